"""Actors the registry does not know, found from the grammar of the text.

Three rule families, with their knowledge in ``discovery.yaml``:

- organisation names by suffix: "Naura Technology Group", "Biren Technology",
  "Ministry of Commerce", "Semiconductor Industry Association";
- names introduced by a descriptor: "equipment makers Naura, Piotech and
  SiCarrier", "Moore Threads, a Chinese GPU maker", "Dutch chipmaker Nexperia";
- people introduced by a title: "Commerce Secretary Gina Raimondo", "Co-CEO
  Zhao Haijun", "Rapidus President Atsuyoshi Koike", "Kevin Xu, founder of ...".

A discovered actor gets a deterministic slug id from its name and
``in_registry = False``; when a name is also a registry alias, the registry's
entry wins (registry mentions are found first and discovery skips them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.actors.registry import Actor, Registry
from pipeline.documents.model import Mention, Sentence

GRAMMAR_PATH = Path(__file__).with_name("discovery.yaml")

# A capitalised word of a name ("SiCarrier", "AT&T", "Co.", "ChangXin", "3M").
_WORD = r"(?:[A-Z][\w&’'.-]*[\w.&]|[A-Z]|\d[\w-]*[A-Za-z][\w-]*)"
_NAME = rf"{_WORD}(?:\s+(?:(?:of|and|for|de|the)\s+)?{_WORD}){{0,5}}"
# Capitalised words that start sentences or name things that are not actors.
_NOT_NAMES = frozenset("""The A An It Its This That These Those In On At For From By With As While But And Or
    Also After Before Since Until During According Under Over However Meanwhile Still Yet Some Many Most
    January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday Read Photo Last Next Earlier Later Both Each Every Other
    If When Where Which Who What Why How Such Several Further Looking Industry Chinese American Japanese
    Korean Dutch Taiwanese European""".split())


@dataclass(frozen=True)
class Grammar:
    suffix: re.Pattern[str]
    suffix_types: dict[str, str]
    agency_prefix: re.Pattern[str]
    descriptor_before: re.Pattern[str]
    descriptor_after: re.Pattern[str]
    descriptor_types: dict[str, str]
    title: re.Pattern[str]
    person_after: re.Pattern[str]
    demonym: re.Pattern[str]
    demonyms: dict[str, str]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def load_grammar(path: Path = GRAMMAR_PATH) -> Grammar:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    suffix_types = {w: t for t, words in data["org_suffixes"].items() for w in words}
    descriptor_types = {w.lower(): t for t, words in data["descriptors"].items() for w in words}
    demonyms = dict(data["demonyms"])
    descriptors = _alternation(descriptor_types)
    demonym_words = _alternation(demonyms)
    return Grammar(
        suffix=re.compile(rf"\b({_NAME}\s+(?:{_alternation(suffix_types)}))(?![\w])(?!\s+(?:of|for)\b)"),
        suffix_types=suffix_types,
        agency_prefix=re.compile(r"\b((?:Ministry|Department|Bureau|Office|Administration|Commission) (?:of|for) "
                                 r"(?:the )?[A-Z][\w-]+(?:(?:,? and|,| of| for)? [A-Z][\w-]+){0,5})"),
        descriptor_before=re.compile(
            rf"\b({descriptors})\s+(?:such as\s+|including\s+|like\s+)?"
            rf"((?:{_NAME})(?:(?:,\s+|,?\s+and\s+)(?:{_NAME}))*)"),
        descriptor_after=re.compile(
            rf"\b({_NAME}),\s+(?:a|an|the)\s+((?:(?:{demonym_words})\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:{descriptors}))\b"),
        descriptor_types=descriptor_types,
        title=re.compile(rf"\b(?:{_alternation(data['titles'])})\s+((?:[A-Z][\w’'-]+|[A-Z]\.(?:\s?[A-Z]\.)*)"
                         rf"(?:\s+[A-Z][\w’'-]+){{1,2}})"),
        person_after=re.compile(rf"\b([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}}),\s+(?:a |an |the )?"
                                rf"(?:[\w-]+\s+){{0,3}}?(?i:{_alternation(data['titles'])})\b(?:\s+(?:of|at|for|with)\b)"),
        demonym=re.compile(rf"\b({demonym_words})\b"),
        demonyms=demonyms,
    )


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _clean(name: str) -> str:
    """A name without a leading article or a trailing possessive."""
    name = re.sub(r"^(?:The|the)\s+", "", name.strip())
    return re.sub(r"(?:'s|’s)$", "", name).strip(" ,.") if not name.endswith(("Co.", "Inc.", "Corp.", "Ltd.")) \
        else name.strip(" ,")


def _acceptable(name: str) -> bool:
    words = name.split()
    return bool(words) and words[0] not in _NOT_NAMES and len(name) >= 3 and not name.isupper() or (
        name.isupper() and 3 <= len(name) <= 6 and words[0] not in _NOT_NAMES)


def _country(grammar: Grammar, text: str) -> str | None:
    """The country of the last demonym in a text ("the Chinese parent of Dutch chipmaker" -> NL)."""
    matches = list(grammar.demonym.finditer(text))
    return grammar.demonyms[matches[-1].group(1)] if matches else None


def _candidates(grammar: Grammar, sentence: Sentence) -> list[tuple[int, int, str, str, str | None]]:
    """(start, end, name, type, country) in body offsets, from the three rule families."""
    text, base, found = sentence.text, sentence.start, []

    def add(start: int, raw: str, actor_type: str, country: str | None) -> None:
        name = _clean(raw)
        if not _acceptable(name):
            return
        at = start + raw.find(name)
        found.append((base + at, base + at + len(name), name, actor_type, country))

    for match in grammar.agency_prefix.finditer(text):
        add(match.start(1), match.group(1), "government_agency", None)
    for match in grammar.suffix.finditer(text):
        last = match.group(1).split()[-1]
        add(match.start(1), match.group(1), grammar.suffix_types.get(last, "company"), None)
    for match in grammar.descriptor_before.finditer(text):
        actor_type = grammar.descriptor_types[match.group(1).lower()]
        country = _country(grammar, text[max(0, match.start() - 30):match.start(1)])
        for part in re.finditer(r"[^,]+?(?=,\s+|,?\s+and\s+|$)", match.group(2)):
            raw = part.group(0).strip()
            if raw.startswith("and "):
                raw = raw[4:]
            if re.fullmatch(_NAME, raw):
                add(match.start(2) + part.start() + part.group(0).find(raw), raw, actor_type, country)
    for match in grammar.descriptor_after.finditer(text):
        descriptor = match.group(2).lower().split()[-1]
        actor_type = grammar.descriptor_types.get(descriptor, "company")
        add(match.start(1), match.group(1), actor_type, _country(grammar, match.group(2)))
    for pattern in (grammar.title, grammar.person_after):
        for match in pattern.finditer(text):
            add(match.start(1), match.group(1), "person", None)
    return found


def discover_actors(body: str, sentences: tuple[Sentence, ...], known: list[Mention],
                    registry: Registry) -> tuple[list[Actor], list[Mention]]:
    """(new actors, all their mentions) in a body; spans a registry mention already covers are skipped."""
    grammar = load_grammar()
    taken = [(m.start, m.end) for m in known]
    actors: dict[str, Actor] = {}
    for sentence in sentences:
        for start, end, name, actor_type, country in _candidates(grammar, sentence):
            if any(s < end and start < e for s, e in taken):
                continue
            actor_id = slug(name)
            if not actor_id or actor_id in registry.actors or registry.lookup(name):
                continue
            actors.setdefault(actor_id, Actor(actor_id, name, actor_type, country, (), None, in_registry=False))
    if not actors:
        return [], []
    # Every occurrence of a discovered name is a mention, not only the one that introduced it.
    names = sorted(((a.name, a.actor_id) for a in actors.values()), key=lambda p: -len(p[0]))
    pattern = re.compile("|".join(rf"(?<![\w]){re.escape(n)}(?![\w])" for n, _ in names))
    by_name = dict(names)
    mentions = []
    for match in pattern.finditer(body):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        mentions.append(Mention(by_name[match.group(0)], match.group(0), match.start(), match.end()))
    return sorted(actors.values(), key=lambda a: a.actor_id), mentions
