"""Events from sentence structure: frames over the dependency parse (``frames.yaml``).

``frame_triggers`` finds the tokens that report an event of a type by what
they govern, refusing those the structure says did not happen: negated,
conditional, hypothetical, required or merely considered. ``summary_span``
gives the words of a sentence that say what happened (the verb, its particle
and its object and prepositional phrases), for a summary in the sentence's
own terms.

Works on spaCy ``Doc`` objects of one sentence each (``pipeline.documents.parse``);
``possible_types`` says which event types a frame could find in a sentence, so that the
rest are never parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.documents.parse import coarse_pos as _pos
from pipeline.events.forms import inflections, lemma_in
from pipeline.knowledge import load_yaml

FRAMES_PATH = Path(__file__).with_name("frames.yaml")

MONEY = "MONEY"
ACTOR = "ACTOR"
MODEL = "MODEL"  # a product named by its model: a capitalised name with a number ("the Ascend 950", "B300")
_MODEL_NAME = re.compile(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+\d+\w*\b|\b[A-Z]+[\w-]*\d[\w-]*\b")
# The argument relations of a verb, and a noun's own modifiers.
VERB_ARGUMENTS = {"dobj", "nsubjpass", "attr", "oprd", "dative", "prt", "obj"}
NOUN_MODIFIERS = {"compound", "amod", "nmod", "nummod", "poss", "quantmod", "npadvmod"}
# What stands between a trigger and the clause that asserts it.
# Not a subject (what a subject names is not under its verb's modality: "the ban could hurt sales") nor a
# relative clause (it asserts on its own: "Kioxia, which opened the Kitakami fab in 2019, said ...").
CHAIN = {"xcomp", "ccomp", "conj", "advcl", "acl", "dobj", "pobj", "prep", "attr", "pcomp", "compound", "appos",
         "acomp"}
# Modal verbs that make a frame hypothetical ("could", "might") or a requirement ("must", "should").
UNREAL_MODALS = {"could", "might", "may", "should", "must"}
CONDITIONS = {"if", "unless", "whether", "once"}
# Verbs above a frame that say it did not, or not yet, happen: "weighing a ban", "denied plans to buy".
UNREAL_VERBS = {"consider", "weigh", "mull", "threaten", "deny", "propose", "urge", "ask", "call", "fail", "refuse",
                "decline", "reject", "oppose", "explore", "study", "discuss", "seek", "hope", "want", "need",
                "require", "warn", "continue", "keep"}
# An infinitive reports an event only under a verb or noun of intent or agreement ("plans to build",
# "agreed to acquire", "is set to launch"); elsewhere it is a purpose or a wish ("a grant to help X
# build", "vying to provide", "the goal is to lift").
INTENT = {"plan", "agree", "decide", "aim", "intend", "expect", "set", "schedule", "prepare", "move", "vote",
          "begin", "start", "due", "poise", "slate", "agreement", "deal", "proposal", "pledge", "promise", "commit",
          "announce", "unveil", "elect", "choose", "opt", "go", "offer", "deadline", "enter", "sign", "reach", "strike"}
# Subjects too vague to say what a verb without object is about ("production is ramping").
ABSTRACT_SUBJECTS = {"production", "output", "capacity", "construction", "operation", "volume", "work", "supply"}
MONEY_WORDS = {"billion", "million", "trillion", "bn", "mn", "dollar", "yuan", "euro", "yen", "usd", "rmb", "renminbi"}
_TIME_WORDS = {"day", "week", "month", "quarter", "year", "half", "today", "yesterday", "monday", "tuesday",
               "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
               "may", "june", "july", "august", "september", "october", "november", "december"}
_WORD = re.compile(r"[a-z][a-z-]+")


@dataclass(frozen=True)
class Frame:
    event_type: str
    verbs: frozenset[str]
    nouns: frozenset[str]
    objects: frozenset[str]
    requires_verb: bool
    unless: frozenset[str] = frozenset()
    with_amount: bool = False


@dataclass(frozen=True)
class FrameTrigger:
    event_type: str
    start: int  # offsets of the trigger token in the parsed text
    end: int
    head: int  # index of the token a summary starts from (the verb that asserts a noun trigger)


@dataclass(frozen=True)
class Lexicon:
    frames: tuple[Frame, ...]
    reported_by: frozenset[str]
    irregular: tuple[tuple[str, str], ...]  # (form, lemma): "built" -> "build"

    def forms(self, lemma: str) -> set[str]:
        """Every form of a lexicon word, its irregular ones too ("build" -> builds, built, building, ...)."""
        return inflections(lemma, [form for form, of in self.irregular if of == lemma])


@cache
def load_frames(path: Path = FRAMES_PATH) -> Lexicon:
    data = load_yaml(path.read_text(encoding="utf-8"))
    frames = tuple(Frame(f["type"], frozenset(f.get("verbs", ())), frozenset(f.get("nouns", ())),
                         frozenset(f.get("objects", ())), bool(f.get("requires_verb", False)),
                         frozenset(f.get("unless", ())), bool(f.get("with_amount", False)))
                   for f in data["frames"])
    pairs = tuple(sorted((form, lemma) for lemma, forms in data["irregular"].items() for form in forms))
    return Lexicon(frames, frozenset(data["reported_by"]), pairs)


@cache
def _vocabulary() -> frozenset[str]:
    """Every word the frames and the refusal rules ask about, the lemmas words are matched against."""
    lexicon = load_frames()
    words = set(lexicon.reported_by) | UNREAL_VERBS | INTENT | ABSTRACT_SUBJECTS | MONEY_WORDS | _TIME_WORDS
    words |= {"help", "enable", "of", "for"}
    for frame in lexicon.frames:
        words |= frame.verbs | frame.nouns | frame.objects | frame.unless
    return frozenset(words)


_AMOUNT = re.compile(r"[$€¥£]|\b(?:billions?|millions?|trillions?|bn)\b", re.IGNORECASE)


@cache
def _gate_index() -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
    """Word form -> the frames it is a verb or noun of; word form -> the frames it is an object of."""
    lexicon = load_frames()
    words: dict[str, set[int]] = {}
    objects: dict[str, set[int]] = {}
    for i, frame in enumerate(lexicon.frames):
        for lemma in frame.verbs | frame.nouns:
            for form in lexicon.forms(lemma):
                words.setdefault(form, set()).add(i)
        for lemma in frame.objects - {MONEY, ACTOR, MODEL}:
            for form in lexicon.forms(lemma):
                objects.setdefault(form, set()).add(i)
    return ({w: frozenset(f) for w, f in words.items()}, {w: frozenset(f) for w, f in objects.items()})


def possible_types(text: str) -> set[str]:
    """The event types a frame could find in a sentence: those of the frames whose verb or noun is in it,
    in any form, with one of their objects (an amount for MONEY; any name for ACTOR) or none asked for.
    A sentence with none is never parsed."""
    words_index, objects_index = _gate_index()
    tokens = set(_WORD.findall(text.lower()))
    candidates = {i for w in tokens & words_index.keys() for i in words_index[w]}
    if not candidates:
        return set()
    with_object = {i for w in tokens & objects_index.keys() for i in objects_index[w]}
    frames = load_frames().frames
    amount = bool(_AMOUNT.search(text))
    model = bool(_MODEL_NAME.search(text))
    return {frames[i].event_type for i in candidates
            if not frames[i].objects or ACTOR in frames[i].objects or i in with_object
            or (MONEY in frames[i].objects and amount) or (MODEL in frames[i].objects and model)}


def _lemma(token) -> str:
    return lemma_in(token.lower_, _vocabulary(), load_frames().irregular)


def _with_modifiers(token) -> list:
    """A noun with its compounds and modifiers, and the objects of its "of"/"for" phrases
    ("the sale of chips", "plans for a fab")."""
    found = [token, *(c for c in token.children if c.dep_ in NOUN_MODIFIERS)]
    for prep in token.children:
        if prep.dep_ == "prep" and _lemma(prep) in ("of", "for"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    found += [pobj, *(c for c in pobj.children if c.dep_ in NOUN_MODIFIERS)]
    return found


def _arguments(token) -> list:
    """The tokens a verb or noun governs that say what it is about (see frames.yaml)."""
    found = []
    if _pos(token) in ("NOUN", "PROPN"):
        found += _with_modifiers(token)[1:]
    for child in token.children:
        if child.dep_ in VERB_ARGUMENTS:
            found += _with_modifiers(child)
        elif child.dep_ in ("prep", "agent"):
            found.append(child)
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found += _with_modifiers(pobj)
        elif child.dep_ == "xcomp" and _pos(token) == "VERB":
            found += [c for c in child.children if c.dep_ in VERB_ARGUMENTS]
    if _pos(token) == "VERB" and not any(c.dep_ in ("dobj", "obj") for c in token.children):
        # With no object, what the verb is about is its subject ("the chips will debut", "the plant is
        # expected to open"), the subject of the verb it complements when it has none of its own.
        subject = _subject(token)
        if subject is not None and _lemma(subject) not in ABSTRACT_SUBJECTS:
            found += _with_modifiers(subject)
    elif _pos(token) in ("NOUN", "PROPN") and token.dep_ == "pobj" and _pos(token.head.head) in ("NUM", "NOUN"):
        found.append(token.head.head)  # "$80 billion in planned investments": the amount the noun is in
    return found


def _subject(verb):
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or verb.dep_ != "xcomp":
            return subject
        verb = verb.head
    return None


def _is_money(token) -> bool:
    return any(t.tag_ == "$" or _lemma(t) in MONEY_WORDS for t in token.subtree)


def _holds(frame: Frame, token, arguments: list, has_actor: Callable[[int, int], bool]) -> bool:
    # the parser reads the noun of an idiom as an adverbial ("bought Rapidus time"): it is no argument, but
    # it says what the verb means
    adverbial = [c for c in token.children if c.dep_ == "npadvmod"]
    if any(_lemma(a) in frame.unless for a in [*arguments, *adverbial]):
        return False
    if frame.with_amount and not any(a.dep_ != "prep" and _is_money(a) for a in arguments):
        return False
    if not frame.objects:
        return True
    for argument in arguments:
        if _lemma(argument) in frame.objects:
            return True
        if MONEY in frame.objects and _pos(argument) in ("NOUN", "NUM", "SYM", "PROPN") and _is_money(argument):
            return True
        if MODEL in frame.objects and argument.dep_ in VERB_ARGUMENTS and _is_model(argument):
            return True
        # The object itself is an actor ("acquired Ampere", "fined Qualcomm"), not a thing that names one
        # ("buy US chips", "Nvidia's H20").
        if ACTOR in frame.objects and _pos(argument) == "PROPN" and (
                argument.dep_ in VERB_ARGUMENTS or argument.head.dep_ in VERB_ARGUMENTS):
            if has_actor(argument.idx, argument.idx + len(argument)):
                return True
    return False


def _is_model(token) -> bool:
    """A product named by its model: a proper name or number with a digit in it or beside it ("the Ascend 950",
    "B300"), not a year."""
    words = [t for t in token.subtree if t.dep_ in NOUN_MODIFIERS | {"dobj", "nsubjpass", "attr", "obj"}
             or t.i == token.i]
    text = " ".join(t.text for t in words)
    return _pos(token) in ("PROPN", "NUM") and bool(_MODEL_NAME.search(text)) and not re.fullmatch(r"(?:19|20)\d\d",
                                                                                                  token.text)


def _asserting_verb(noun, reported_by: frozenset[str]):
    """The verb of `reported_by` that reports a noun trigger ("announced an investment", "the deal was
    signed", "signed an agreement on the merger"), or None."""
    token = noun
    for _ in range(3):
        head = token.head
        if head.i == token.i:
            return None
        if _pos(head) in ("VERB", "AUX") and _lemma(head) in reported_by and token.dep_ in (
                "dobj", "nsubjpass", "nsubj", "attr", "pobj", "obj"):
            return head
        if token.dep_ not in ("pobj", "prep", "conj", "appos", "compound"):
            return None
        token = head
    return None


def _never(token) -> bool:
    """ "never", "no longer", "no more" on a verb."""
    if token.dep_ != "advmod":
        return False
    return token.lower_ == "never" or (token.lower_ in ("longer", "more") and any(
        c.lower_ == "no" for c in token.children))


def _purpose(verb) -> bool:
    """A to-infinitive under no verb or noun of intent: a purpose or a wish, not an event."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and _lemma(verb.head) not in INTENT


@cache
def _refusal_cue() -> re.Pattern[str]:
    """Any word `refused` reads: a negation, an unreal modal, a condition, a verb that only considers or
    requires, "help" or "enable"."""
    lexicon = load_frames()
    words = {"not", "cannot", "never", "no", "longer"} | UNREAL_MODALS | CONDITIONS
    for verb in UNREAL_VERBS | {"help", "enable"}:
        words |= lexicon.forms(verb)
    return re.compile(r"n['’]t\b|\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def may_be_refused(text: str) -> bool:
    """Whether a sentence holds a word that could make `refused` refuse one of its triggers: a sentence
    with none need not be parsed for it."""
    return bool(_refusal_cue().search(text))


def refused(token, frame: bool = True) -> bool:
    """Whether the structure says a trigger did not (or not yet, or only maybe) happen: a negation,
    an unreal modal or a condition on it or on a clause above it, or a verb above it that only
    considers, denies or requires it; for a frame, also an infinitive of purpose or a gerund inside
    a phrase (the trigger grammar's words are chosen to report, and keep those)."""
    if frame and _pos(token) == "VERB":
        if _purpose(token):
            return True
        # A gerund inside a phrase is background or manner ("discouraged firms from buying", "by taking over");
        # a relative clause describes what it hangs on ("the Constitution, which prohibits taxes on exports").
        if (token.tag_ == "VBG" and token.dep_ in ("pcomp", "advcl", "acl", "pobj")) or token.dep_ == "relcl":
            return True
    current = token
    for _ in range(12):
        if _pos(current) in ("VERB", "AUX", "NOUN"):
            for child in current.children:
                if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no") or _never(child):
                    return True
                if child.dep_ == "aux" and child.lower_ in UNREAL_MODALS:
                    return True
                if child.dep_ == "mark" and child.lower_ in CONDITIONS:
                    return True
        if current.i != token.i and _lemma(current) in UNREAL_VERBS:
            return True
        if frame and current.i != token.i and _lemma(current) in ("help", "enable") and _purpose(current):
            return True  # "a grant to help Micron build three fabs"
        if current.head.i == current.i or current.dep_ not in CHAIN:
            return False
        current = current.head
    return False


def frame_triggers(doc, has_actor: Callable[[int, int], bool]) -> list[FrameTrigger]:
    """The frames a parsed sentence reports, in order; `has_actor(start, end)` says whether an actor's name
    covers any of that span of the parsed text."""
    lexicon = load_frames()
    frames, reported_by = lexicon.frames, lexicon.reported_by
    found: list[FrameTrigger] = []
    for token in doc:
        lemma = _lemma(token)
        is_verb, is_noun = _pos(token) == "VERB", _pos(token) in ("NOUN", "PROPN")
        arguments = None  # found once per token, for the first frame that asks
        for frame in frames:
            if not ((is_verb and lemma in frame.verbs) or (is_noun and lemma in frame.nouns)):
                continue
            head = token
            if is_noun and frame.requires_verb:
                head = _asserting_verb(token, reported_by)
                if head is None:
                    continue
            arguments = _arguments(token) if arguments is None else arguments
            if not _holds(frame, token, arguments, has_actor) or refused(token):
                continue
            if any(f.event_type == frame.event_type and f.start == token.idx for f in found):
                continue
            found.append(FrameTrigger(frame.event_type, token.idx, token.idx + len(token), head.i))
    return found


# Dependents of a verb that belong to another statement, not to what it did.
_NOT_SUMMARY = {"conj", "cc", "advcl", "ccomp", "parataxis", "punct", "relcl", "mark", "nsubj", "nsubjpass", "aux",
                "auxpass", "neg", "advmod", "csubj", "intj", "dep", "appos", "expl", "acl", "npadvmod"}
# Words a summary does not end on ("... at the White House in").
_DANGLING = {"ADP", "DET", "CCONJ", "SCONJ", "PUNCT", "PART", "PRON"}
SUMMARY_TOKENS = 16


def _is_time(phrase) -> bool:
    """Whether a dependent of a verb only dates it ("on Monday", "in 2027", "last week"): the event's date
    is a column of its own."""
    heads = [phrase] if phrase.dep_ != "prep" else [c for c in phrase.children if c.dep_ == "pobj"]
    return bool(heads) and all(_lemma(h) in _TIME_WORDS or (h.like_num and h.text.isdigit() and len(h.text) == 4)
                               for h in heads)


def summary_span(doc, head_index: int) -> tuple[int, int] | None:
    """The character span of what a trigger's verb did: its auxiliaries ("will", "to", "has"), the verb,
    its particle, objects and phrases to its right, without the clauses hanging on them (relative
    clauses, conjuncts, asides), cut at SUMMARY_TOKENS tokens; None for a lone word."""
    head = doc[head_index]
    words = {head.i}
    for child in head.rights:
        if child.dep_ not in _NOT_SUMMARY and not _is_time(child):
            words |= {t.i for t in child.subtree}
    for child in head.rights:
        for t in child.subtree:
            if t.dep_ in _NOT_SUMMARY - {"punct"} and t is not child and t.i in words and t.head.i in words:
                words -= {u.i for u in t.subtree}
    end = head.i
    while end + 1 in words and end + 1 < head.i + SUMMARY_TOKENS and doc[end + 1].text not in ",;:()—–":
        end += 1
    while end > head.i and _pos(doc[end]) in _DANGLING:
        end -= 1
    if end == head.i:
        return None
    start = head.i
    while start > 0 and doc[start - 1].dep_ in ("aux", "auxpass") and doc[start - 1].head.i == head.i:
        start -= 1
    return doc[start].idx, doc[end].idx + len(doc[end])


def summary_head(doc, at: int) -> int:
    """The token a summary starts from for a trigger at character `at`: the trigger's verb, or the verb that
    reports a trigger noun ("imposed tariffs", "signed a deal")."""
    token = token_at(doc, at)
    if _pos(token) == "VERB":
        return token.i
    reported_by = load_frames().reported_by
    verb = _asserting_verb(token, reported_by)
    if verb is None:  # a noun in a phrase of a reporting verb ("approved 100 billion yen in subsidies")
        verb = next((t for t in list(token.ancestors)[:3] if _pos(t) == "VERB" and _lemma(t) in reported_by), None)
    return verb.i if verb is not None else token.i


def token_at(doc, at: int):
    """The token at character `at` of a parsed text (the first one if none is)."""
    return next((t for t in doc if t.idx <= at < t.idx + len(t)), doc[0])


def subject_span(doc, at: int) -> tuple[int, int] | None:
    """The character span of the subject of the verb that reports the trigger at character `at` ("the two
    countries" in "In Abu Dhabi, the two countries unveiled plans for an AI campus"), or None."""
    token = token_at(doc, at)
    verb = token if _pos(token) in ("VERB", "AUX") else token.head
    for _ in range(4):
        if _pos(verb) in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subject = _subject(verb)
    if subject is None:
        return None
    return subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge)

