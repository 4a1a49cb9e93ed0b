"""Find where a body names actors: registry aliases, then people's surnames.

Registry aliases are matched case-sensitively as whole words, longest first,
so "Bank of China" wins over "China" and "U.S. Commerce Department" over
"U.S.". A person named in full once may then be named by surname alone
("Gina Raimondo" ... "Raimondo"). Discovered actors (not in the registry)
are added by :mod:`pipeline.actors.discovery`.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.actors.registry import Registry
from pipeline.actors.trie import trie_pattern
from pipeline.documents.model import Mention

# Surface forms that look like an actor but name something else right here:
# "US$5.5 billion", "US dollar terms", "U.S.-made".
_NOT_AFTER = re.compile(r"\$|[\s-]?dollars?\b|-(?:made|based|listed|designed)\b", re.IGNORECASE)


# Where a name ends: not inside a word, a dotted name or an apostrophe's word ("Xi" in "Xi’an"; "Xi’s" ends it).
_NAME_END = r"(?![\w]|\.\w|['’](?!s\b)\w)"


@cache
def _alias_pattern(registry: Registry) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$@#])(?:{trie_pattern(registry.by_alias)}){_NAME_END}")


# An abbreviation defined for a common noun phrase, whose lower-case words it spells ("million square
# inches (MSI)"), or written after a number as its unit ("15,485 MSI"), is no actor's name, whoever else
# it abbreviates; "the industry group (SEMI)" still names SEMI.
_DEFINED_BY = re.compile(r"((?:[a-z][a-z-]*\s+)+)\(\s*$")
_NUMBER_BEFORE = re.compile(r"\d(?:[\d,.]*\d)?[^\S\n]*$")


def _acronym_of_a_thing(body: str, match: re.Match[str]) -> bool:
    surface = match.group(0)
    if not (surface.isupper() and surface.isalpha()):
        return False
    before = body[max(0, match.start() - 60):match.start()]
    number = _NUMBER_BEFORE.search(before)
    if number and not re.fullmatch(r"(?:19|20)\d\d\s*", number.group(0)):
        return True  # after a figure, not after a year ("the 2025 SEMI forecast")
    defined = _DEFINED_BY.search(before)
    if not defined or not body.startswith(")", match.end()):
        return False
    words = defined.group(1).split()[-len(surface):]
    return "".join(w[0] for w in words) == surface.lower()


# Heads of the names of public bodies, which news often writes in lower case ("China's commerce ministry").
_BODY_HEADS = {"ministry", "department", "administration", "commission", "bureau", "agency", "office",
               "council", "house", "regulator", "parliament", "congress", "senate", "cabinet"}


@cache
def _lowercase_aliases(registry: Registry) -> tuple[re.Pattern[str], dict[str, str]]:
    """Multi-word names of public bodies matched whatever their case ("China's commerce ministry")."""
    by_lower: dict[str, str] = {}
    for surface, actor_id in registry.by_alias.items():
        words = surface.lower().split()
        if len(words) >= 2 and words[-1] in _BODY_HEADS:
            by_lower.setdefault(surface.lower(), actor_id)
    return re.compile(rf"(?<![\w$@#])(?:{trie_pattern(by_lower)}){_NAME_END}", re.IGNORECASE), by_lower


def registry_mentions(body: str, registry: Registry) -> list[Mention]:
    """Every registry alias in the body, as mentions with exact offsets; exact case first."""
    mentions = []
    for match in _alias_pattern(registry).finditer(body):
        if _NOT_AFTER.match(body, match.end()) or _acronym_of_a_thing(body, match):
            continue
        surface = match.group(0)
        mentions.append(Mention(registry.by_alias[surface], surface, match.start(), match.end()))
    pattern, by_lower = _lowercase_aliases(registry)
    for match in pattern.finditer(body):
        overlapping = [m for m in mentions if m.start < match.end() and match.start() < m.end]
        # A longer name in other case wins over the exact names inside it ("Trump Administration").
        if any(not (match.start() <= m.start and m.end <= match.end()) or m.end - m.start == len(match.group(0))
               for m in overlapping):
            continue
        mentions = [m for m in mentions if m not in overlapping]
        mentions.append(Mention(by_lower[match.group(0).lower()], match.group(0), match.start(), match.end()))
    return sorted(mentions, key=lambda m: m.start)


def surname_mentions(body: str, mentions: list[Mention], people: dict[str, tuple[str, str | None]]) -> list[Mention]:
    """Bare surnames of people already named in full earlier in this body.

    ``people`` maps actor_id -> (full name, country) for the people mentioned.
    """
    taken = [(m.start, m.end) for m in mentions]
    first_seen = {}
    for mention in mentions:
        first_seen.setdefault(mention.actor_id, mention.start)
    surnames: dict[str, str] = {}
    for actor_id, (name, country) in people.items():
        parts = name.split()
        if len(parts) < 2:
            continue
        surnames.setdefault(parts[-1], actor_id)
        if country == "CN":  # Chinese names put the family name first: "Zhao Haijun" ... "Zhao"
            surnames.setdefault(parts[0], actor_id)
    found = []
    for surname, actor_id in surnames.items():
        for match in re.finditer(rf"(?<![\w.]){re.escape(surname)}(?![\w]|\.\w)", body):
            if match.start() <= first_seen.get(actor_id, len(body)):
                continue
            if any(s <= match.start() < e for s, e in taken):
                continue
            found.append(Mention(actor_id, surname, match.start(), match.end()))
    return found
