"""Event summaries in the sentence's own words.

"Kioxia has resumed construction of its Kitakami fab", not "Kioxia changes
production capacity": the initiator's name, then what the sentence says it
did. From the parse where the sentence was parsed (``summary_span``: the verb
with its objects and phrases); else from the words at the trigger: back to the
reporting verb just before it ("imposed tariffs"), on to the end of the phrase
(a comma, a relative clause, an aside), without a trailing date (the date is a
column of its own) or dangling words. The type's template only where neither
gives a phrase.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.events.structure import load_frames, summary_head, summary_span
from pipeline.events.triggers import summary_phrase

MAX_WORDS = 14
# Where the phrase that reports an event ends.
_PHRASE_END = re.compile(r"[,;:()\[\]—–\"“”]|\s(?:which|who|that|while|whereas|after|before|because|as|amid|"
                         r"according|citing|said|says|sources)\b")
_DANGLING = {"the", "a", "an", "of", "to", "in", "on", "for", "with", "and", "or", "at", "by", "from", "its",
             "their", "his", "her", "this", "that", "into", "as", "than", "worth", "about", "around", "some"}
# Auxiliaries right before the verb belong to the summary ("has resumed", "will build", "plans to buy").
_AUXILIARIES = re.compile(r"(?<!\w)(?:(?:has|have|had|will|would|is|are|was|were|be|been|plans? to|is set to|"
                          r"agreed to|to)\s+)+$", re.IGNORECASE)
# How far before a noun trigger the verb that reports it may be ("imposed new tariffs").
VERB_REACH = 30


@cache
def _reporting_verbs() -> re.Pattern[str]:
    lexicon = load_frames()
    forms = {f for lemma in lexicon.reported_by for f in lexicon.forms(lemma)}
    return re.compile(r"\b(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def _window(text: str, at: int, end: int, times: list[tuple[int, int]]) -> str | None:
    """The words of text[:end] that report the trigger at `at`."""
    before = list(_reporting_verbs().finditer(text, max(0, at - VERB_REACH), at))
    start = before[-1].start() if before else at
    auxiliaries = _AUXILIARIES.search(text, 0, start)
    if auxiliaries:
        start = auxiliaries.start()
    stop = _PHRASE_END.search(text, at, end)
    spans = [m.span() for m in re.finditer(r"\S+", text[:stop.start() if stop else end])
             if m.start() >= start][:MAX_WORDS]
    if spans:
        phrase_end = spans[-1][1]
        for t_start, t_end in times:  # a date at the end of the phrase goes
            if start < t_start < phrase_end <= t_end + 1:
                spans = [s for s in spans if s[1] <= t_start]
    words = [text[s:e] for s, e in spans]
    while words and (words[-1].lower().strip(".") in _DANGLING or not any(c.isalpha() for c in words[-1])):
        words.pop()
    words = [w.rstrip(".") if i == len(words) - 1 else w for i, w in enumerate(words)]
    return " ".join(words) if len(words) > 1 else None


def summarize(initiator: str, others: list[str], event_type: str, text: str, at: int, end: int,
              times: list[tuple[int, int]], doc=None) -> str:
    """One line on an event: `initiator` and what the sentence `text` says at the trigger offset `at`
    (clause ending at `end`, time expressions at `times`), parsed as `doc` where it was."""
    if doc is not None:
        span = summary_span(doc, summary_head(doc, at))
        if span is not None:
            return f"{initiator} {doc.text[span[0]:span[1]]}"
    phrase = _window(text, at, end, times)
    if phrase is not None:
        return f"{initiator} {phrase}"
    others_text = f" ({', '.join(others[:3])})" if others else ""
    return f"{initiator} {summary_phrase(event_type)}{others_text}"
