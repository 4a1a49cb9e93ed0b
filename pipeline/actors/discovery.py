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

from pipeline.actors.registry import Actor, Registry
from pipeline.documents.model import Mention, Sentence
from pipeline.knowledge import load_yaml

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
    Korean Dutch Taiwanese European Shares Copyright Opinion Reporting Editing Advertisement Related FILE
    Sign Subscribe Updated Additionally Moreover Furthermore Separately Overall Notably Currently Today
    Yesterday Key Global Worldwide Total About Senior""".split())
# Words that open an organisation's name before "of" ("Bank of Japan", "Chamber of Commerce"), beside
# the organisation suffixes: a name of two or three other capitalised words before "of" is a person's
# ("Lee Sang-min of Mirae Asset Securities").
_ORG_HEADS = frozenset("""Bank Board Academy School College Port Republic Government State Central Kingdom
    Union Court House Chamber""".split())


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
    person_aged: re.Pattern[str]
    association_of: re.Pattern[str]
    country_body: re.Pattern[str]
    legal_suffixes: frozenset[str]
    titles: frozenset[str]  # the title words, as written in discovery.yaml
    demonym: re.Pattern[str]
    demonyms: dict[str, str]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def load_grammar(path: Path = GRAMMAR_PATH) -> Grammar:
    data = load_yaml(path.read_text(encoding="utf-8"))
    suffix_types = {w: t for t, words in data["org_suffixes"].items() for w in words}
    descriptor_types = {w.lower(): t for t, words in data["descriptors"].items() for w in words}
    demonyms = dict(data["demonyms"])
    descriptors = _alternation(descriptor_types)
    demonym_words = _alternation(demonyms)
    return Grammar(
        # A suffix word followed by another capitalised word is inside a longer title ("Annual Global
        # Memory Market Outlook", "Advanced Packaging Forum Report"), not a name's end.
        # "Ministry for Trade" goes on; "Kestrel Systems for $4.9 billion" ends at the suffix.
        suffix=re.compile(rf"\b({_NAME}\s+(?:{_alternation(suffix_types)}))(?![\w])"
                          r"(?!\s+(?:of|for)\s+(?:the\s+)?[A-Z])"
                          rf"(?!\s+(?!(?:{_alternation(data['titles'])})\b)[A-Z][\w&-]*[A-Za-z])"),
        suffix_types=suffix_types,
        agency_prefix=re.compile(rf"\b((?:(?:{demonym_words})\s+)?"
                                 r"(?:Ministry|Department|Bureau|Office|Administration|Commission) (?:of|for) "
                                 r"(?:the )?[A-Z][\w-]+(?:(?:,? and|,| of| for)? [A-Z][\w-]+){0,5})"),
        descriptor_before=re.compile(
            rf"\b({descriptors})\s+(?:such as\s+|including\s+|like\s+)?"
            rf"((?:{_NAME})(?:(?:,\s+|,?\s+and\s+)(?:{_NAME}))*)"),
        descriptor_after=re.compile(
            rf"\b({_NAME}),\s+(?:a|an|the)\s+((?:(?:{demonym_words})\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:{descriptors}))\b"
            # "in New York, the company said": a new clause's subject, not an apposition
            r"(?!\s+(?:said|says|added|adds|told|announced|reported|noted|stated|expects?|plans?|will|would|is|was|"
            r"has|had)\b)"),
        descriptor_types=descriptor_types,
        title=re.compile(rf"\b(?i:{_alternation(data['titles'])})(?:\s+(?:of|for)(?:\s+[A-Z][\w&-]*){{1,4}}?"
                         rf"\s+([A-Z][\w’'-]+\s+[A-Z][\w’'-]+)(?![\w’'-]|\s+[A-Z])|"
                         rf"\s+((?:[A-Z][\w’'-]+|[A-Z]\.(?:\s?[A-Z]\.)*)(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'-]+){{1,2}}))"),
        person_after=re.compile(rf"\b([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}}),\s+(?:a |an |the )?"
                                rf"(?:[\w-]+\s+){{0,3}}?(?i:{_alternation(data['titles'])})\b(?:\s+(?:of|at|for|with)\b)"),
        # "Ole Marten, 37, of Dublin": court and police reports give a person's age and home.
        person_aged=re.compile(r"\b([A-Z][\w’'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'-]+){1,2}),\s+\d{2},\s+(?:of|from)\b"),
        association_of=re.compile(rf"\b({_NAME}\s+(?:Association|Institute|Federation|Council|Society|Alliance)"
                                  r"\s+of\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"),
        country_body=re.compile(rf"\b((?:[A-Z][\w.-]*\s+)?[A-Z][\w.-]*['’]s\s+(?:[a-z-]+\s+){{0,2}}?"
                                rf"(?:{_alternation(data['body_nouns'])}))\b"),
        legal_suffixes=frozenset(data["legal_suffixes"]),
        titles=frozenset(data["titles"]),
        demonym=re.compile(rf"\b({demonym_words})\b"),
        demonyms=demonyms,
    )


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# Words before a name that are not part of it: a possessive home ("Taiwan's PSMC") or a qualifier
# ("Shanghai-based CINNO Research", "Nasdaq-listed ACM Research").
_LEADING_QUALIFIER = re.compile(r"^(?:(?:The|the)\s+)?(?:[A-Z][\w.-]*['’]s\s+|[\w-]+-(?:based|listed|headquartered|"
                                r"owned|backed|controlled|run)\s+)+")


def _clean(name: str) -> str:
    """A name without a leading article, possessive home or qualifier, or a trailing possessive."""
    name = _LEADING_QUALIFIER.sub("", re.sub(r"^(?:The|the)\s+", "", name.strip()))
    if name.endswith(("Co.", "Inc.", "Corp.", "Ltd.")):
        return name.strip(" ,")
    return re.sub(r"(?:'s|’s)$", "", name).strip(" ,.")


def _acceptable(name: str) -> bool:
    words = name.split()
    if words and re.fullmatch(r"\d+(?:mm|nm|-?inch|in|GB|TB)", words[0]):
        return False  # "300mm Fab Outlook": a product or report named after a size
    return bool(words) and words[0] not in _NOT_NAMES and len(name) >= 3 and not name.isupper() or (
        name.isupper() and 3 <= len(name) <= 6 and words[0] not in _NOT_NAMES)


def _split_pair(grammar: Grammar, start: int, raw: str) -> list[tuple[int, str]]:
    """Two names joined by "and" ("Kingstone Semiconductor and Hwatsing Precision") as two; one name
    with "and" inside ("India Electronics and Semiconductor Association") stays whole."""
    head, sep, tail = raw.partition(" and ")
    if sep and head.split()[-1] in grammar.suffix_types and tail.split()[0] not in grammar.suffix_types:
        return [(start, head), (start + len(head) + len(sep), tail)]
    return [(start, raw)]


def _country(grammar: Grammar, text: str) -> str | None:
    """The country of the last demonym in a text ("the Chinese parent of Dutch chipmaker" -> NL)."""
    matches = list(grammar.demonym.finditer(text))
    return grammar.demonyms[matches[-1].group(1)] if matches else None


# A descriptor reached through a preposition describes another actor: "a partner at consulting firm X".
OF_ANOTHER = re.compile(r"\b(?:at|of|with|for|from|to)\b")
# A heading: a line of a few title-case words with no closing period ("Capacity Race Heats Up"), or the
# title-case lead-in of a paragraph up to its colon ("High-Bandwidth Memory (HBM) Outlook: ...").
HEADING_LINE = re.compile(r"^[^\S\n]*((?:[\w&()’'.,/-]+[^\S\n]+){0,11}[\w&()’'/-]+)[^\S\n]*$", re.MULTILINE)
HEADING_LEAD = re.compile(r"^[^\S\n]*((?:[\w&()’'/-]+[^\S\n]+){0,7}[\w&()’'/-]+):\s", re.MULTILINE)
SMALL_WORDS = frozenset("a an and as at by for from in of on or the to vs with".split())


def heading_spans(body: str) -> list[tuple[int, int]]:
    """Headline and sub-heading spans of a body: their title-case words name no one by themselves."""
    spans = []
    for pattern in (HEADING_LINE, HEADING_LEAD):
        for match in pattern.finditer(body):
            words = [w for w in match.group(1).split() if w.lower() not in SMALL_WORDS]
            if len(words) >= 2 and all(w[0].isupper() or w[0].isdigit() or w[0] in "(’'" for w in words):
                spans.append(match.span(1))
    return spans


@dataclass(frozen=True)
class Candidate:
    start: int  # body offsets
    end: int
    name: str
    actor_type: str
    country: str | None
    organisation_name: bool  # a full organisation name (by suffix or "Ministry of ..."), not a bare name


def _candidates(grammar: Grammar, sentence: Sentence) -> list[Candidate]:
    """Candidates in body offsets, from the three rule families."""
    text, base, found = sentence.text, sentence.start, []

    def add(start: int, raw: str, actor_type: str, country: str | None, organisation_name: bool = False) -> None:
        name = _clean(raw)
        lead = name.split(" ", 1)[0]
        if name in grammar.suffix_types or name.lower() in grammar.descriptor_types:
            return  # "the Department", "the Group": a bare kind word refers back, it names no one
        # A demonym may open an organisation's name ("Dutch Ministry of Economic Affairs"), not a bare name.
        if not (_acceptable(name) or (organisation_name and lead in grammar.demonyms and " " in name)):
            return
        at = start + raw.find(name)
        found.append(Candidate(base + at, base + at + len(name), name, actor_type, country, organisation_name))

    for match in grammar.association_of.finditer(text):
        kind = "research_firm" if "Institute" in match.group(1) else "industry_body"
        add(match.start(1), match.group(1), kind, None, True)
    for match in grammar.country_body.finditer(text):
        # Kept whole: the possessive is part of how news names such a body ("China's foreign ministry").
        found.append(Candidate(base + match.start(1), base + match.end(1), match.group(1), "government_agency",
                               None, True))
    for match in grammar.agency_prefix.finditer(text):
        add(match.start(1), match.group(1), "government_agency", _country(grammar, match.group(1)), True)
    for match in grammar.suffix.finditer(text):
        for start, raw in _split_pair(grammar, match.start(1), match.group(1)):
            head, of, tail = raw.partition(" of ")
            words = head.split()
            if of and 2 <= len(words) <= 3 and all(w[0].isupper() for w in words) \
                    and not any(w in grammar.suffix_types or w in _ORG_HEADS for w in words):
                add(start, head, "person", None)  # "Lee Sang-min of Mirae Asset Securities": two actors
                start, raw = start + len(head) + len(of), tail
            last = raw.split()[-1]
            add(start, raw, grammar.suffix_types.get(last, "company"), None, True)
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
        if OF_ANOTHER.search(match.group(2)):
            continue  # "Ann Lee, an analyst at research firm X": the descriptor is the firm's
        descriptor = match.group(2).lower().split()[-1]
        actor_type = grammar.descriptor_types.get(descriptor, "company")
        add(match.start(1), match.group(1), actor_type, _country(grammar, match.group(2)))
    at = 0
    while (match := grammar.title.search(text, at)) is not None:
        group = 1 if match.group(1) else 2
        # "Chief Cabinet Secretary Minoru Kihara": a title inside the name starts the search again there.
        inner = next((m for m in re.finditer(r"[A-Z][\w’'-]+", match.group(group)) if m.group(0) in grammar.titles),
                     None)
        if inner is not None:
            at = match.start(group) + inner.start()
            continue
        add(match.start(group), match.group(group), "person", None)
        at = match.end()
    for match in (*grammar.person_after.finditer(text), *grammar.person_aged.finditer(text)):
        add(match.start(1), match.group(1), "person", None)
    return found


def _may_take(candidate: Candidate, known: list[Mention], registry: Registry, grammar: Grammar) -> bool:
    """Whether a candidate may stand where registry mentions are.

    Where none is, yes. A full organisation name may also swallow registry names inside it that
    are not its own head: a country ("India Electronics and Semiconductor Association", "Korea
    Development Bank") or another body's name after a qualifier ("Jiangsu Semiconductor Industry
    Association"); never a company's own name followed by a legal suffix ("Huawei Technologies Co.").
    """
    inside = [m for m in known if m.start < candidate.end and candidate.start < m.end]
    if not inside:
        return True
    if not candidate.organisation_name:
        return False
    for mention in inside:
        if not (candidate.start <= mention.start and mention.end <= candidate.end):
            return False
        if re.match(r"\s+and\s", candidate.name[mention.end - candidate.start:]):
            return False  # "SMIC and Yangtze Memory Technologies": two names, one of them known
        actor = registry.get(mention.actor_id)
        extra = candidate.name[mention.end - candidate.start:].split()
        legal = not extra or all(word in grammar.legal_suffixes for word in extra)
        if mention.start == candidate.start and legal and (actor is None or actor.actor_type != "country_government"):
            return False
        if actor is not None and actor.actor_type == "government_agency" and actor.country == candidate.country:
            return False  # "Taiwanese Ministry of Economic Affairs" is the registry's own
    return True


def _registry_name(name: str, registry: Registry, grammar: Grammar) -> bool:
    """Whether the registry knows a name, also without its legal suffix ("Taiwan Semiconductor Manufacturing Co")."""
    words = name.split()
    while words:
        if registry.lookup(" ".join(words)) or registry.lookup(" ".join(words) + "."):
            return True
        if words[-1] not in grammar.legal_suffixes and words[-1].rstrip(".") not in grammar.legal_suffixes:
            return False
        words = words[:-1]
    return False


def _inner_country(candidate: Candidate, known: list[Mention], registry: Registry) -> str | None:
    """The country a name holds ("South Korea’s parliament", "Korea Development Bank")."""
    for mention in known:
        actor = registry.get(mention.actor_id)
        if candidate.start <= mention.start and mention.end <= candidate.end and actor is not None \
                and actor.actor_type == "country_government":
            return actor.country
    return None


def discover_actors(body: str, sentences: tuple[Sentence, ...], known: list[Mention],
                    registry: Registry) -> tuple[list[Actor], list[Mention]]:
    """(new actors, all their mentions) in a body; spans a registry mention already covers are skipped."""
    grammar = load_grammar()
    actors: dict[str, Actor] = {}
    headings = heading_spans(body)
    for sentence in sentences:
        for candidate in _candidates(grammar, sentence):
            if not _may_take(candidate, known, registry, grammar) or \
                    any(start <= candidate.start and candidate.end <= end for start, end in headings):
                continue
            actor_id = slug(candidate.name)
            if not actor_id or actor_id in registry.actors or _registry_name(candidate.name, registry, grammar):
                continue
            country = candidate.country or _inner_country(candidate, known, registry)
            actors.setdefault(actor_id, Actor(actor_id, candidate.name, candidate.actor_type, country, (),
                                              None, in_registry=False))
    if not actors:
        return [], []
    # Every occurrence of a discovered name is a mention, not only the one that introduced it.
    names = sorted(((a.name, a.actor_id) for a in actors.values()), key=lambda p: -len(p[0]))
    pattern = re.compile("|".join(rf"(?<![\w]){re.escape(n)}(?![\w])" for n, _ in names))
    by_name = dict(names)
    mentions = []
    for match in pattern.finditer(body):
        span = Candidate(match.start(), match.end(), match.group(0), "", None, True)
        if not _may_take(span, known, registry, grammar):
            continue
        mentions.append(Mention(by_name[match.group(0)], match.group(0), match.start(), match.end()))
    return sorted(actors.values(), key=lambda a: a.actor_id), mentions
