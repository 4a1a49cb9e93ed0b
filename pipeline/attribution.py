"""Who a sentence cites ("according to Reuters", "as per Bloomberg", "TrendForce notes"),
and which lines are an outlet's boilerplate rather than reporting."""

from __future__ import annotations

import re

from pipeline.actors.anaphora import home_country, resolve_description
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Sentence

SOURCE_TYPES = ("media_outlet", "research_firm", "company", "person", "government_agency", "country_government",
                "industry_body", "international_org", "other")
# Cue before the source ("according to X") or after it ("X reported").
_BEFORE = re.compile(r"\b(?:according to|as per|per|citing|cited by|reported by|data from|(?:as )?reported by|"
                     r"(?:as )?noted by|(?:as )?estimated by|as forecast by|(?:a|the) (?:report|note|study|survey) "
                     r"(?:by|from))\s+(?:the\s+|an?\s+)?(?:(?:(?:estimates?|data|figures|forecasts?|projections|research|"
                     r"calculations|analysis|(?:a|the) (?:report|note|study|survey)) (?:from|by|of)|research firm|"
                     r"consultancy|analyst firm|market tracker)\s+)?(?:[A-Z][\w.-]*['’]s\s+)?$", re.IGNORECASE)
# A speaker named after the quote or clause it closes: "..., said Nvidia CEO Jensen Huang", "” says Choi".
_INVERTED = re.compile(r"[,”\"]\s*(?:said|says|added|adds|noted|notes|wrote|writes|told)\s+(?:the\s+)?$", re.IGNORECASE)
# A source named by its kind: "according to the company", "the ministry said".
_DESCRIBED = re.compile(r"\b(?:according to|citing|as per)\s+(?:the|its)\s+(?:[\w-]+\s+){0,2}?(research firm|company|"
                        r"firm|chipmaker|ministry|department|agency|government|regulator|group)\b", re.IGNORECASE)
# The words that cite a source right before it (a name, or a forecasting noun: "according to estimates from").
CITATION_CUE = r"(?:according to|as per|per|citing|cited by)"
_AFTER = re.compile(r"^(?:'s?|’s?)?\s*(?:\w+\s+){0,2}?(?:reported|reports|said|says|notes|noted|suggests|"
                    r"suggested|adds|added|wrote|estimates|estimated|data show|report(?:ed)? (?:on|that))\b",
                    re.IGNORECASE)
_BOILERPLATE = re.compile(r"^(?:read more|photo credit|\(photo credit|image credit|source:|related:|"
                          r"subscribe|click here|sign up)|operates independently from our research team|"
                          # a wire story's credits: "Reporting by Ana Kell in Seoul; Editing by Jon Marr"
                          r"^\W*(?:additional )?(?:reporting|writing|editing) by (?:(?-i:[A-Z])[\w.'’-]*\s?){1,4}"
                          r"(?:in (?:(?-i:[A-Z])[\w.'’-]*\s?){1,3})?(?:[;,]|and\b|$)",
                          re.IGNORECASE)


def is_boilerplate(text: str) -> bool:
    return bool(_BOILERPLATE.search(text.strip()))


_CITING = re.compile(r"\b(?:citing|cited by|data from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def attribution_in(context: DocumentContext, sentence: Sentence, figures: bool = False) -> str | None:
    """The actor a sentence cites as its source.

    For events the outlet that reports it ("according to Reuters"); for figures
    (``figures=True``) whoever the figure comes from: a source the outlet cites
    ("the FT reported, citing research firm SemiAnalysis") or a research firm first.
    """
    body = context.document.body
    cited = []
    for mention in context.mentions_in(sentence.start, sentence.end):
        if home_country(context, mention):
            continue  # "according to Taiwan's Commercial Times": the outlet is cited, not Taiwan
        before = body[max(sentence.start, mention.start - 40):mention.start]
        after = body[mention.end:min(sentence.end, mention.end + 40)]
        if _BEFORE.search(before) or _AFTER.match(after) or _INVERTED.search(before):
            kind = context.actors[mention.actor_id].actor_type
            if figures:
                rank = (0 if _CITING.search(before) else 1 if kind == "research_firm"
                        else 3 if kind == "media_outlet" else 2)
            else:
                rank = 0 if kind == "media_outlet" else 1 if kind == "research_firm" else 2
            cited.append((rank, mention.start, mention.actor_id))
    if cited:
        return min(cited)[2]
    described = _DESCRIBED.search(sentence.text)
    return resolve_description(context, described.group(1), sentence.start + described.start()) if described else None
