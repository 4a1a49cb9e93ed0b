"""Forecasts from sentences: quantity, horizon and attribution grammar.

A figure in a sentence is a forecast when the sentence frames it as one (a
cue: "projected", "expects", "could", "guided", "estimate", "targets") and
the period it is about has not ended before the article was published; a
figure about the past ("revenue rose 40% in 1H25") is not. For each figure:

- value, unit and comparator come from :mod:`pipeline.forecasts.quantities`;
  a decline ("fall by 4% to 6%") is negative for percentage changes;
- the horizon is the time expression that follows the figure, else the one
  nearest to it in its clause or sentence, else the horizon of the previous
  forecast in the same paragraph, else the year of publication;
- the forecaster is the subject of the forecasting or saying verb the figure
  depends on in the sentence's parse (:mod:`pipeline.forecasts.speaker`, applied
  by `with_parse`); where the parse names none, whoever the sentence attributes it to ("according to
  TrendForce", "TrendForce projects", "SMIC expects", "U.S. officials
  concluded", "the report projects"), else the previous forecast's forecaster
  in the paragraph, else the research firm or industry body the article's
  lead is built on (a release or report: its figures are the source's unless
  another is named);
- the metric comes from ``metrics.yaml``, matched on the words before it.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.actors.anaphora import actor_spans
from pipeline.actors.mentions import registry_mentions
from pipeline.attribution import attribution_in
from pipeline.documents.clauses import evidence_for, split_clauses
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Sentence
from pipeline.forecasts.model import ForecastRecord, RefusedFigure
from pipeline.forecasts.quantities import Quantity, find_quantities, has_magnitude
from pipeline.forecasts.speaker import ORGANISATIONS, stated_by
from pipeline.forecasts.target import noun_phrase_target
from pipeline.knowledge import load_yaml
from pipeline.temporal.expressions import TimeExpression

METRICS_PATH = Path(__file__).with_name("metrics.yaml")
CURRENCIES = {"usd", "cny", "twd", "jpy", "eur", "krw", "gbp", "inr", "hkd", "sgd", "chf", "cad", "aud"}
# Figures that are no forecast value: bare counts ("140 entities") and durations ("over 15 years").
NOT_FORECAST_UNITS = {"count", "years", "months", "weeks", "days", "hours", "quarters", "fabs"}

# Words that frame a figure as a forecast or estimate; the match is the `hedge`.
CUE = re.compile(
    r"\b(project(?:ed|ing|ions?)?|projects(?= that| an? | the |\s+\w+['’]s\b|\s+\d)|forecast(?:s|ed|ing)?|"
    r"expect(?:s|ed|ing)?|estimat(?:e|es|ed|ing)|"
    r"predict(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|could|would|should|(?-i:may|might)|likely|poised|"
    r"on track|aims?|aiming|targets?|targeting|goal|guid(?:e|es|ed|ing|ance)|outlook|budget(?:ed|s)?|"
    r"is seen|are seen|sees|see|concluded|set to)\b", re.IGNORECASE)
# A clause that sets a figure against another ("compared with X", "up from Y") gives a reference point.
CONTRAST = re.compile(r"(?:compared (?:with|to)|versus|vs\.?|up from|down from|from)\b", re.IGNORECASE)
# Future markers frame a figure as a plan or target only when the period it is about lies ahead
# ("will raise prices by 3% to 10% in 2026"; not "will invest a combined 114 billion yuan").
FUTURE_CUE = re.compile(r"\b(will|plans? to|planned|planning to|aims? to|intends? to|is to|are to|is set to|"
                        r"are set to)\b", re.IGNORECASE)
# Amounts that only qualify another figure: "plus or minus 2%", "$23.28 a share".
QUALIFIER_BEFORE = re.compile(r"(?:plus or minus|±|\+/-|\bone in|\bout of)\s*$", re.IGNORECASE)
QUALIFIER_AFTER = re.compile(r"^\s*(?:a|per) share\b", re.IGNORECASE)
# The speaker's own "will": "it will open an office", "we will hire".
OWN_PLAN = re.compile(r"\b(?:it|we|they|the (?:firm|group|association|company))\s+(?:will|plans? to|is to|are to)\b",
                      re.IGNORECASE)
# A broker's target for a share price, a plain amount ("a price target of $45", "lifted its target to
# 98,000 won"); a company's target in billions is a plan.
PRICE_TARGET_BEFORE = re.compile(r"\b(?:price target|target price|(?:raised|raises|lifted|lifts|cut|cuts|lowered|"
                                 r"lowers|trimmed|trims|kept|keeps|set|sets) (?:its|their|the) target)\s+"
                                 r"(?:[\w-]+\s+){0,4}?(?:of|to|at|from)?\s*(?:about|around|roughly)?\s*$",
                                 re.IGNORECASE)
# A tariff's rate is what the tariff is ("a 25% tariff", "cuts the tariff on chips to 15% from 20%"), not a
# forecast of anything, whatever the verb.
RATE_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:tariffs?|dut(?:y|ies)|levy|levies)\b", re.IGNORECASE)
# A figure naming what a thing is ("its $2 billion campus", "a 25% investment tax credit", "a $50bn-a-year
# market") describes the thing; it forecasts nothing.
ATTRIBUTE_AFTER = re.compile(r"^(?!\s+(?:of|in|for|to|from|by|on|as|at|and|or|but|while|with|when|if|than|after|"
                             r"amid|over|per|a|an|the)\b)(?:-[\w-]+)?\s+(?:[\w'‘’\"“”-]+\s+){0,3}?"
                             r"(?:sites?|campus(?:es)?|plants?|fabs?|factor(?:y|ies)|facilit(?:y|ies)|projects?|"
                             r"packages?|programmes?|programs?|deals?|credits?|funds?|markets?)\b"
                             r"(?!\s+(?:to|will|would|could|is|are|in \d))", re.IGNORECASE)
RATE_BEFORE = re.compile(r"\b(?:tariffs?|dut(?:y|ies)|levy|levies)\b[^.;]{0,60}\b(?:to|of|at|from)\s+"
                         r"(?:about |around |roughly |as much as |up to )?$", re.IGNORECASE)
# The base a change starts from ("up from $23.5 billion", "rise from 31% in 2023 to 39%").
BASE_OF_CHANGE = re.compile(r"\bfrom\s+(?:(?:about|around|roughly|approximately|nearly|some|an estimated|the current|"
                            r"a|an)\s+)*$", re.IGNORECASE)
# "344 billion yuan (roughly US$47.5 billion)": a conversion of the figure before it, not a figure.
CONVERSION = re.compile(r"\d[^()]{0,40}\(\s*(?:or\s+|roughly\s+|about\s+|around\s+|approximately\s+|some\s+)?$")
# "billions of dollars", "tens of thousands of units": no figure to check later.
VAGUE_PLURAL = re.compile(r"\b(?:tens|hundreds|thousands|millions|billions|trillions) of\b", re.IGNORECASE)
# A decline noun right after a percentage makes it negative too ("a 2.1% decline").
DECLINE_AFTER = re.compile(r"^\s*(?:(?:yoy|qoq|mom|year-on-year|year-over-year|quarter-on-quarter|"
                           r"quarter-over-quarter|on-year|annual|sequential)\s+)?"
                           r"(?:decline|drop|fall|decrease|contraction|slump|plunge|dip)\b", re.IGNORECASE)
# A decline verb right before a percentage makes it negative ("fall by 4%", "dropped nearly 7%").
# Also with the verb's object between ("cut combined spending on their plants by as much as 20%").
DECLINE = re.compile(r"\b(fall|falls|fell|falling|declin\w*|drop\w*|plung\w*|slump\w*|shrink\w*|shrank|contract\w*|"
                     r"decreas\w*|slid\w*|sink\w*|sank|tumbl\w*|dip\w*|down|lower\w*|cut\w*|reduc\w*|shav\w*|"
                     r"trim\w*|slip\w*|slash\w*|eas(?:e|es|ed|ing)|shed\w*|los(?:e|es|ing)|lost)\s+"
                     r"(?:(?:[\w’'$.,%-]+\s+){0,10}?by\s+|of\s+|a further\s+|another\s+)?"
                     r"(?:(?:about|around|roughly|nearly|almost|some|approximately|an estimated|as much as|"
                     r"up to)\s+)?$",
                     re.IGNORECASE)
LEVEL = re.compile(r"(?:below|under|beneath|above|over|to)\b", re.IGNORECASE)
SIGNED_UNITS = {"percent", "percentage_points"}  # changes, which a decline makes negative
# Verbs whose subject makes the forecast; a passive form ("is expected") names no forecaster.
FORECAST_VERB = re.compile(r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )"
                           r"\b(projects?|projected|forecasts?|forecasted|expects?|expected|estimates?|estimated|"
                           r"predicts?|predicted|sees|saw|anticipates?|anticipated|guided|guides|targets|targeted|aims|"
                           r"concluded|warns?|warned|warning|say|said|says|notes|noted|adds|added|believes?|told)\b",
                           re.IGNORECASE)
# A forecasting word used as a noun of a citation: "estimates from X", "according to forecasts by X".
CITED_NOUN = re.compile(r"\s+(?:from|by|of)\b")
# Only the active cues: in "officials cited by the report concluded" the verb still has its subject.
CITING = re.compile(r"\b(?:according to|as per|per|citing)\s+(?:the\s+|its\s+|their\s+)?(?:\w+\s+)?$",
                    re.IGNORECASE)
# An unnamed forecaster: "some analysts warn", "industry watchers expect", "people familiar with the plans said".
UNNAMED = re.compile(r"\b(analysts?|sources|observers|experts|watchers|insiders|economists|people)"
                     r"(?:\s+(?:familiar|close|briefed|with knowledge)\b[\w\s']{0,30})?\W*$", re.IGNORECASE)
FORECASTER_TYPES = ("research_firm", "media_outlet", "company", "government_agency", "country_government",
                    "person", "industry_body", "international_org", "other")


@dataclass(frozen=True)
class MetricRule:
    metric: str
    pattern: re.Pattern[str]
    units: frozenset[str]
    after: bool  # matched at the start of the words right after the figure, before any other rule


@cache
def load_metrics(path: Path = METRICS_PATH) -> tuple[dict[str, str], tuple[MetricRule, ...]]:
    """``metrics.yaml`` as (metric by unit, the rules in order), read once."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    return dict(data.get("by_unit") or {}), tuple(
        MetricRule(r["metric"], re.compile(r["pattern"], re.IGNORECASE), frozenset(r.get("units") or ()),
                   bool(r.get("after")))
        for r in data["rules"])


def unit_group(unit: str) -> str:
    if unit in CURRENCIES:
        return "money"
    if unit == "percent":
        return "percent"
    return "count"


# A change in percent ("expand 4.1%", "a 9% annual rise"): a market's growth unless an owner's ("its revenue",
# "toolmakers' revenue").
GROWTH = re.compile(r"\b(?:grow\w*|grew|increas\w*|ris(?:e|es|ing)|rose|surg\w*|jump\w*|climb\w*|expan\w*|"
                    r"fall\w*|fell|declin\w*|drop\w*|shrink\w*|contract\w*|rebound\w*)\b", re.IGNORECASE)
OWN = re.compile(r"\b(?:its|their|the company['’]s|the firm['’]s|\w+s['’](?=\s))", re.IGNORECASE)


def classify_metric(window: str, clause_before: str, after: str, unit: str) -> str | None:
    """The metric of a figure: from its unit where that says it (`by_unit`), else from the words right after
    it where a rule reads those ("30% of the HBM market"), else from the words since the previous figure,
    then with the words after it, then from the whole clause before it; None when no rule matches."""
    by_unit, all_rules = load_metrics()
    if unit in by_unit:
        return by_unit[unit]
    group = unit_group(unit)
    rules = [rule for rule in all_rules if not rule.units or group in rule.units]
    for rule in rules:
        if rule.after and rule.pattern.match(after):
            return rule.metric
    for text in (window, window + " " + after, clause_before + " " + after):
        for rule in rules:
            if not rule.after and rule.pattern.search(text):
                return rule.metric
    return None


def market_change(metric: str | None, unit: str, clause_before: str, after: str, company: str | None) -> bool:
    """Whether a percentage is a market's growth: a change in revenue or sales ("memory revenue is
    set to climb 11%", "tool sales ... a 9% rise") that no company owns (an
    executive's or a company's own forecast is of its revenue)."""
    return (unit == "percent" and metric in ("revenue", None) and company is None
            and bool(GROWTH.search(clause_before[-80:] + " " + after[:30])) and not OWN.search(clause_before))


def signed(quantity: Quantity, before: str, after: str = "") -> tuple[float | None, float | None]:
    """(low, high) with a decline's percentage negative: "fall by 4% to 6%" -> (-6, -4)."""
    low, high = quantity.value_low, quantity.value_high
    if LEVEL.match(quantity.raw):
        return low, high  # "slip below 30%": the level it reaches, not the change
    if quantity.unit in SIGNED_UNITS and (DECLINE.search(before[-100:]) or DECLINE_AFTER.match(after)):
        low, high = (-high if high is not None else None), (-low if low is not None else None)
    return low, high


BASE_BEFORE = re.compile(r"\b(?:from|than|versus|compared (?:with|to))\s*$", re.IGNORECASE)
# A horizon needs a period: "said on Tuesday" dates the statement, not what it forecasts.
STATEMENT_PRECISIONS = {"day"}
CONDITIONAL = re.compile(r"\b(?:[Cc]ould|[Ww]ould|might|may)\b")


def _horizons(quantities: list[Quantity], times: list[TimeExpression], sentence_text: str,
              clauses: list[tuple[int, int]]) -> dict[int, TimeExpression | None]:
    """For each figure (by start), the time expression it is about.

    A period right after a figure belongs to it ("31% in 2023 to 39% by 2027"); the
    others take the nearest period that no other figure owns ("For this year, ... US$38
    billion to US$42 billion, up from US$29.8 billion in 2024": 2024 is the US$29.8 billion's).
    """
    usable = [t for t in times if t.period_end is not None
              and not (t.precision in STATEMENT_PRECISIONS and t.relation == "in")
              and t.relation not in ("from", "since")  # "down 30% from last year": a base, not a horizon
              and not BASE_BEFORE.search(sentence_text, 0, t.start)
              and not re.match(r"['’]s\b", sentence_text[t.end:t.end + 2])]  # "this year's output": a base
    owned: dict[int, TimeExpression] = {}
    for q in quantities:
        # Right after the figure, in the same clause, not a comparison base ("double this year's output").
        following = [t for t in usable if 0 <= t.start - q.end <= 40
                     and not any(q.end <= o.start < t.start for o in quantities)
                     and not re.search(r"[,;]", sentence_text[q.end:t.start])]
        if following:
            owned[q.start] = min(following, key=lambda t: t.start)
    # A figure chained to another ("climb 4% to $80 billion in 2027", "jump 15% in 2026, reaching $12
    # billion") is about the same period: a chain takes the period its first owning figure has.
    for chain in _chains(quantities, sentence_text):
        period = next((owned[q.start] for q in chain if q.start in owned), None)
        for q in chain:
            if period is not None:
                owned.setdefault(q.start, period)
    _respective(quantities, sentence_text, owned)
    taken = {id(t) for t in owned.values()}
    free = [t for t in usable if id(t) not in taken]
    result: dict[int, TimeExpression | None] = {}
    for q in quantities:
        if q.start in owned:
            result[q.start] = owned[q.start]
        else:
            # The nearest period no other figure owns, else the furthest-reaching of the others ("60% by
            # 2027, while the US share could rise to 17%": 2027 holds for both; a growth rate between
            # "US$48 billion in 2024" and "US$103 billion by 2030" is about the span to 2030).
            begin, end = next(((b, e) for b, e in clauses if b <= q.start < e), (0, len(sentence_text)))
            in_clause = [t for t in free if begin <= t.start < end]
            result[q.start] = (_nearest(in_clause, q) or _nearest(free, q)
                               or max(usable, key=lambda t: t.period_end, default=None))
    return result


# "..., to $110 billion and $126 billion, respectively": a list that pairs with the list before it.
RESPECTIVELY = re.compile(r"[^.;%$\d]{0,25}?\brespectively\b")
LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")


def _respective(quantities: list[Quantity], sentence_text: str, owned: dict[int, TimeExpression]) -> None:
    """Give the figures of a "respectively" list the periods of the list before it, in order ("jump 40% in
    2026 and 15% in 2027, to $110 billion and $126 billion, respectively": $110 billion is 2026's)."""
    ordered = sorted(quantities, key=lambda q: q.start)
    for last, q in enumerate(ordered):
        if not RESPECTIVELY.match(sentence_text, q.end):
            continue
        first = last
        while first > 0 and LIST_JOIN.fullmatch(sentence_text, ordered[first - 1].end, ordered[first].start):
            first -= 1
        listed = ordered[first:last + 1]
        paired = ordered[max(0, first - len(listed)):first]
        if len(listed) > 1 and len(paired) == len(listed) and all(p.start in owned for p in paired):
            for mine, theirs in zip(listed, paired, strict=True):
                owned[mine.start] = owned[theirs.start]


# What joins two figures of one statement: "4% to $80 billion", "15% in 2026, reaching $12 billion",
# "$75 billion in 2026 (a 12% increase from 2025)".
CHAIN = re.compile(r"\s*(?:(?:in|for|by|during)\s+[^,;%$]{1,25}?)?\s*,?\s*(?:(?:to|reaching|to reach|hitting|"
                   r"totall?ing|or)\s+(?:(?:a\s+)?(?:new\s+)?(?:record|high)(?:\s+of)?\s+|about\s+|around\s+|"
                   r"roughly\s+|approximately\s+|nearly\s+|some\s+)?|\(\s*(?:an?\s+|up\s+|down\s+)?)", re.IGNORECASE)


def _chains(quantities: list[Quantity], sentence_text: str) -> list[list[Quantity]]:
    """Runs of figures joined by a chaining phrase (`CHAIN`), in order."""
    chains: list[list[Quantity]] = []
    for q in sorted(quantities, key=lambda q: q.start):
        if chains and CHAIN.fullmatch(sentence_text, chains[-1][-1].end, q.start) and \
                not BASE_BEFORE.search(sentence_text, 0, chains[-1][-1].start):
            chains[-1].append(q)
        else:
            chains.append([q])
    return chains


def _list_metric(records: list[ForecastRecord], evidence_start: int, unit: str) -> str:
    """The metric of a figure no rule classifies, from the figures before it in its clause: a list's
    figure measures what the one before did ("expand 3% next year and 8% in 2028"), and a market's level
    after its growth ("expand 5% to $40 billion") is its revenue."""
    group = unit_group(unit)
    for record in reversed(records):
        if record.char_start != evidence_start:
            continue
        if unit_group(record.unit) == group:
            return record.metric
        if record.metric == "market_growth" and group == "money":
            return "revenue"
    return "other"


def _nearest(times: list[TimeExpression], q: Quantity) -> TimeExpression | None:
    return min(times, key=lambda t: min(abs(t.start - q.end), abs(q.start - t.end)), default=None)


def _verb_subject(context: DocumentContext, scope: Sentence, source_of_lead: str | None) -> tuple[bool, str | None]:
    """(found, actor) for the first forecast verb of a scope: the actor named just before it,
    or None when the subject is an unnamed group ("some analysts warn")."""
    body = context.document.body
    for verb in FORECAST_VERB.finditer(body, scope.start, scope.end):
        if CITED_NOUN.match(body, verb.end()) or CITING.search(body, max(scope.start, verb.start() - 30), verb.start()):
            continue  # "according to estimates from Kiwoom": a noun of the citation, not a verb with a subject
        lead = body[scope.start:verb.start()]
        unnamed = UNNAMED.search(lead)
        if unnamed:
            # "Bernstein analysts expect", "Morgan Stanley's analysts see": the firm named right before them.
            group_at = scope.start + unnamed.start()
            firm = [m for m in context.mentions_in(scope.start, group_at)
                    if re.fullmatch(r"(?:['’]s)?\s*", body[m.end:group_at])
                    and context.actors[m.actor_id].actor_type in ("research_firm", "company")]
            return True, (firm[-1].actor_id if firm else None)
        if REPORT_SUBJECT.search(lead):
            # "The report projects", "the study adds": the source last cited, else the article's.
            source = _last_actor_before(context, verb.start(), REPORT_SOURCE_TYPES) or source_of_lead
            if source:
                return True, source
        if OUTLET_SUBJECT.search(lead):
            outlet = _last_actor_before(context, verb.start(), ("media_outlet",))
            if outlet:
                return True, outlet  # "The outlet added": the outlet last named
        if PRONOUN_SUBJECT.search(lead):
            company = _topic_organisation(context, verb.start()) or \
                _last_actor_before(context, verb.start(), ("company",))
            if company:
                return True, company
        if PERSON_PRONOUN.search(lead):
            person = _last_actor_before(context, verb.start(), ("person",))
            if person:
                return True, person
        # Skip a relative clause between subject and verb ("Intel, which ... under Tan, forecast").
        asides = [(scope.start + m.start(), scope.start + m.end()) for m in RELATIVE_CLAUSE.finditer(lead)]
        spans = [(at, a) for at, a in actor_spans(context, scope.start, verb.start())
                 if context.actors[a].actor_type in FORECASTER_TYPES
                 and not any(s <= at < e for s, e in asides)
                 and not _placed(body, scope.start, at, context.actors[a].actor_type)]
        if spans:
            return True, spans[-1][1]  # the subject nearest the verb: "TrendForce said", "SMIC expects"
    return False, None


REPORT_SUBJECT = re.compile(r"(?<!\bby )(?<!\bin )\b(?:[Tt]he|[Ii]ts|[Tt]his|[Tt]heir)\s+(?:[\w-]+\s+){0,2}?"
                            r"(?:report|study|survey|forecast|analysis|outlook|research|data|release|tracker)"
                            r"\s+(?:\w+\s+)?$")
OUTLET_SUBJECT = re.compile(r"\b[Tt]he\s+(?:outlet|newspaper|paper|daily|publication|news agency|broadcaster|"
                            r"magazine|wire service)\s+(?:\w+\s+)?$")
# The kinds of actor whose reports an article is built on ("according to SEMI's latest forecast").
REPORT_SOURCE_TYPES = ("research_firm", "industry_body")
LEAD_SENTENCES = 2


def lead_source(context: DocumentContext) -> str | None:
    """The research firm or industry body named in the article's title or first sentences: the source a
    release, or an article built on one, takes every unattributed figure from."""
    title = context.document.title or ""
    for mention in registry_mentions(title, context.registry) if context.registry else ():
        kind = context.registry.actors[mention.actor_id].actor_type
        if kind in REPORT_SOURCE_TYPES and not _placed(title, 0, mention.start, kind) and \
                context.bring_in(mention.actor_id):
            return mention.actor_id  # "Gartner Forecasts Memory Revenue to ...": the release's source
    lead = [s for s in context.story if len(s.text.split()) >= 8]
    for sentence in lead[:LEAD_SENTENCES]:
        for at, actor_id in actor_spans(context, sentence.start, sentence.end):
            kind = context.actors[actor_id].actor_type
            if kind in REPORT_SOURCE_TYPES and not _placed(context.document.body, sentence.start, at, kind):
                return actor_id
    return None


PRONOUN_SUBJECT = re.compile(r"(?:^|\W)(?:it|It)\s+(?:\w+\s+)?$")
PERSON_PRONOUN = re.compile(r"(?:^|\W)(?:he|He|she|She)\s+(?:\w+\s+)?$")
# "sales in China are expected to": a place named after a preposition is where, not who.
LOCATION_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside|across|throughout|from)\s+$")


def _placed(text: str, start: int, at: int, actor_type: str) -> bool:
    """Whether the actor named at text[at:] stands after a preposition of place; an organisation after "at" is
    where someone works, who speaks for it ("analysts at IDC expect")."""
    place = LOCATION_BEFORE.search(text, max(start, at - 12), at)
    return bool(place) and not (place.group(0).startswith("at") and actor_type != "country_government")


RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose)\b[^,]*,")


# What may stand before a sentence's subject: up to two words ("Chipmaker TSMC") or an opening phrase and
# its comma ("On Thursday, TSMC said").
SUBJECT_POSITION = re.compile(r"(?:[\w.&'’-]+\s+){0,2}|[^,]{0,40},\s+")
TOPIC_SENTENCES = 3




def _topic_organisation(context: DocumentContext, offset: int) -> str | None:
    """The organisation a recent sentence before `offset` has for its subject: what "it" refers to, rather
    than one named in passing since ("TSMC said profit climbed. That beat an LSEG estimate. It expects ...",
    "IDC cut its outlook on Monday. It sees prices rising ...")."""
    body = context.document.body
    before = [s for s in context.sentences if s.start < offset][-TOPIC_SENTENCES - 1:]
    for sentence in reversed(before):
        for mention in context.mentions_in(sentence.start, min(sentence.end, offset)):
            if context.actors[mention.actor_id].actor_type in ORGANISATIONS and \
                    SUBJECT_POSITION.fullmatch(body, sentence.start, mention.start):
                return mention.actor_id
    return None


def _last_actor_before(context: DocumentContext, offset: int, types: tuple[str, ...]) -> str | None:
    """The actor of a type named last before an offset: what "it" or "he" stands for as a subject."""
    for mention in reversed(context.mentions):
        if mention.start < offset and context.actors[mention.actor_id].actor_type in types:
            return mention.actor_id
    return None


PASSIVE_AGENT = re.compile(r"\b(?:forecast|projected|estimated|expected|predicted)\s+by\s+(?:the\s+)?$", re.IGNORECASE)


def _passive_agent(context: DocumentContext, scope: Sentence) -> str | None:
    """"forecast by the Semiconductor Equipment Association of Japan to shrink 23%": the agent."""
    body = context.document.body
    for at, actor_id in actor_spans(context, scope.start, scope.end):
        if PASSIVE_AGENT.search(body, max(scope.start, at - 40), at):
            return actor_id
    return None


def _forecaster(context: DocumentContext, sentence: Sentence, clause: Sentence,
                source_of_lead: str | None) -> tuple[bool, str | None]:
    """(found, actor): the clause's own forecasting subject ("ASML targets", "the company guides"),
    unless it is an outlet citing someone else ("the FT reported, citing SemiAnalysis"); else the
    source the sentence cites ("according to TrendForce"); else the sentence's forecasting subject."""
    agent = _passive_agent(context, clause)
    if agent:
        return True, agent
    found, actor = _verb_subject(context, clause, source_of_lead)
    cited = attribution_in(context, sentence, figures=True)
    if found and not (actor and cited and context.actors[actor].actor_type == "media_outlet"):
        return found, actor
    if cited:
        return True, cited
    return _verb_subject(context, sentence, source_of_lead)


def _subject(context: DocumentContext, clause: Sentence, quantity_at: int) -> str | None:
    """The company whose figure it is: the last company named in the clause before the figure."""
    companies = [a for _, a in actor_spans(context, clause.start, quantity_at)
                 if context.actors[a].actor_type == "company"]
    return companies[-1] if companies else None


UNSOURCED = re.compile(r"\b(?:is|are|was|were|be|been)\s+(?:widely\s+|also\s+|now\s+)?(?:expected|forecast|"
                       r"projected|estimated|predicted|seen|anticipated)\b")
# A company followed by a verb of its own plans: "(an investment) that Micron plans to make".
OWN_VERB_AFTER = re.compile(r"(?:['’]s)?\s+(?:\w+\s+)?(?:plans?|planned|will|intends?|aims?|expects?|wants?|targets?|"
                            r"hopes?|seeks?|has|is set|is to)\b")


def _clause_subject(context: DocumentContext, clause: Sentence) -> str | None:
    """The company a clause is about: named as its subject ("TSMC will spend", "Intel's capex will be") or as
    the subject of a verb of its own plans ("the sum Micron plans to invest"); not a company named in
    passing ("the share of vendors such as AMD and Intel")."""
    body = context.document.body
    ends = {m.start: m.end for m in context.mentions_in(clause.start, clause.end)}
    for at, actor_id in actor_spans(context, clause.start, clause.end):
        if context.actors[actor_id].actor_type == "company" and (
                SUBJECT_POSITION.fullmatch(body, clause.start, at)
                or (at in ends and OWN_VERB_AFTER.match(body, ends[at]))):
            return actor_id
    return None


def _target(clause_text: str, before: str, metric: str) -> str:
    """A short text naming what is forecast: the words leading up to the figure in its clause."""
    words = re.sub(r"\s+", " ", before).strip(" ,;:-").split(" ")
    phrase = " ".join(words[-8:]).strip()
    return phrase if phrase else metric.replace("_", " ")


@dataclass
class _Carry:
    """What a forecast sentence passes on to the next one in its paragraph."""

    horizon: tuple[dt.date, dt.date] | None = None
    forecaster: str | None = None
    end: int = -1
    lead: str | None = None  # the document's lead source (`lead_source`), found once
    refused: list[RefusedFigure] = field(default_factory=list)  # the document's figures refused so far


def _refuse(carry: _Carry, sentence: Sentence, quantity: Quantity, reason: str) -> None:
    carry.refused.append(RefusedFigure(
        figure=quantity.raw, figure_start=sentence.start + quantity.start, value_low=quantity.value_low,
        value_high=quantity.value_high, unit=quantity.unit, reason=reason, evidence_text=sentence.text,
        char_start=sentence.start, char_end=sentence.end))


def _same_paragraph(body: str, previous_end: int, start: int) -> bool:
    return previous_end >= 0 and "\n" not in body[previous_end:start]


# A stake or ownership share ("at least 50% owned by", "a 10% stake", "49% held by").
OWNERSHIP_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:owned|held|stakes?|ownership|equity interest)\b",
                             re.IGNORECASE)
# A government's support is an event, not a forecast: "15 trillion won in cheap loans", "$9 billion in
# subsidies", "the ¥3 trillion Tokyo has set aside", "targeting ¥10 trillion in support for chipmakers".
SUPPORT_AFTER = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?(?:(?:in|of|worth of)\s+)?(?:[\w-]+\s+){0,2}?"
                           r"(?:loans?|subsid(?:y|ies)|grants?|aid|support|incentives?|funding|"
                           r"tax (?:credits?|breaks?)|stimulus)\b"
                           r"|^\s*(?:[\w’'-]+\s+){1,3}?(?:has|have|had)\s+(?:already\s+)?"
                           r"(?:earmarked|set aside|allocated|budgeted|pledged|committed)\b", re.IGNORECASE)
# "With about 1,000 engineers, the startup is expected to ...": a description of the subject, before a comma.
BACKGROUND = re.compile(r"^\s*(?:With|Having|Boasting)\b[^,;]*$")


def _refusal(sentence_text: str, quantity: Quantity, c_from: int) -> str | None:
    """The reason (a key of `schemas.vocabularies.REFUSAL_REASONS`) a figure is no forecast whatever the
    sentence's cue, or None."""
    before, after = sentence_text[:quantity.start], sentence_text[quantity.end:]
    if not any(ch.isdigit() for ch in quantity.raw) and VAGUE_PLURAL.search(quantity.raw):
        return "vague"
    if QUALIFIER_BEFORE.search(before) or QUALIFIER_AFTER.match(after):
        return "qualifier"
    if ATTRIBUTE_AFTER.match(after):
        return "attribute"
    if BASE_OF_CHANGE.search(sentence_text, c_from, quantity.start):
        return "base_of_change"
    if quantity.unit == "percent":
        if RATE_AFTER.match(after) or RATE_BEFORE.search(sentence_text[c_from:quantity.start]):
            return "rate"
        if OWNERSHIP_AFTER.match(after):
            return "ownership"
    if unit_group(quantity.unit) == "money" and SUPPORT_AFTER.match(after):
        return "support"
    if BACKGROUND.match(before):
        return "background"
    if unit_group(quantity.unit) == "money" and not has_magnitude(quantity) and PRICE_TARGET_BEFORE.search(
            sentence_text, c_from, quantity.start):
        return "price_target"
    if quantity.multiplier_word and not (CUE.search(sentence_text[c_from:quantity.start])
                                         or FUTURE_CUE.search(sentence_text[c_from:quantity.start])):
        return "fact_multiple"
    return None


def _forecasting_body(context: DocumentContext, actor_id: str | None) -> bool:
    return actor_id is not None and context.actors[actor_id].actor_type in ("research_firm", "industry_body")


@dataclass(frozen=True)
class Figure:
    """What a figure of a clause measures and whose it is, its signed value and its evidence."""

    metric: str
    subject: str | None
    target: str
    low: float | None
    high: float | None
    evidence: Sentence


def read_figure(context: DocumentContext, sentence: Sentence, clause: Sentence, quantity: Quantity,
                previous_end: int, source: str | None, records: list) -> Figure:
    """A figure read the same way for a forecast and an observation: the metric from the words since the
    previous figure (`previous_end`, in the sentence), the clause and those after it, a market's growth where
    no company owns a change; the subject, the company named before it, else the source (`source`) when a
    company; a list's figure takes the metric of the `records` before it in the clause."""
    c_from = clause.start - sentence.start
    before = sentence.text[max(c_from, previous_end):quantity.start]
    clause_before = sentence.text[c_from:quantity.start]
    after = sentence.text[quantity.end:quantity.end + 40]
    metric = classify_metric(before, clause_before, after, quantity.unit)
    subject = _subject(context, clause, sentence.start + quantity.start) or (
        source if source and context.actors[source].actor_type == "company" else None)
    speaker = context.actors[source].actor_type if source else None
    evidence = evidence_for(sentence, clause)
    if speaker not in ("company", "person") and market_change(metric, quantity.unit, clause_before, after, subject):
        metric = "market_growth"
    elif metric is None:
        metric = _list_metric(records, evidence.start, quantity.unit)
    low, high = signed(quantity, clause_before, after)
    return Figure(metric, subject, _target(clause.text, clause_before, metric), low, high, evidence)


def sentence_forecasts(context: DocumentContext, sentence: Sentence, carry: _Carry) -> list[ForecastRecord]:
    """The forecasts of a sentence; the figures it refuses go to `carry.refused` with their reason."""
    published = context.document.published_date
    cue = CUE.search(sentence.text)
    future_only = cue is None
    cue = cue or FUTURE_CUE.search(sentence.text)
    if not cue:
        return []
    quantities = []
    for q in find_quantities(sentence.text):
        if q.unit in NOT_FORECAST_UNITS:
            _refuse(carry, sentence, q, "count")
        elif CONVERSION.search(sentence.text, 0, q.start):
            _refuse(carry, sentence, q, "conversion")
        else:
            quantities.append(q)
    if not quantities:
        return []
    body = context.document.body
    times = context.time_expressions(sentence)
    clause_spans = [(c.start - sentence.start, c.end - sentence.start) for c in split_clauses(sentence)]
    horizons = _horizons(quantities, times, sentence.text, clause_spans)
    continuing = _same_paragraph(body, carry.end, sentence.start)
    records, previous_end, forecaster = [], 0, None
    for clause in split_clauses(sentence):
        c_from, c_to = clause.start - sentence.start, clause.end - sentence.start
        in_clause = [q for q in quantities if c_from <= q.start < c_to]
        if not in_clause:
            continue
        found, forecaster = _forecaster(context, sentence, clause, carry.lead)
        source = "named" if found else "none"
        if not found and continuing:
            forecaster, source = carry.forecaster, "carried"
        if not found and forecaster is None:
            forecaster, source = carry.lead, "lead"
        if not found and forecaster is None and not UNSOURCED.search(clause.text):
            # A company's own figure with no one else named is its guidance ("the foundry giant has set
            # its capital budget at ..."); "is expected to" with no one named has no known source.
            forecaster, source = _clause_subject(context, clause), "subject"
        if forecaster is None:
            source = "none"
        comparison = CONTRAST.match(clause.text) and not any(c_from <= t.start < c_to for t in times)
        for quantity in in_clause:
            reason = "comparison" if comparison else _refusal(sentence.text, quantity, c_from)
            if reason:
                _refuse(carry, sentence, quantity, reason)
                continue
            when = horizons[quantity.start]
            if when is not None:
                horizon = (when.period_start, when.period_end)
            elif continuing and carry.horizon:
                horizon = carry.horizon
            elif published and not CONDITIONAL.search(clause.text):
                # Guidance and estimates without a period are about the current year;
                # a conditional ("a ban could cut GDP by ...") is about no period at all.
                horizon = (dt.date(published.year, 1, 1), dt.date(published.year, 12, 31))
            else:
                horizon = (None, None)
            if published and horizon[1] is not None and horizon[1].year < published.year:
                _refuse(carry, sentence, quantity, "past_period")
                continue
            # What a research firm or an industry body says "will" happen this year is its forecast; a
            # company's "will" this year is a plan, and so is the body's own ("SEMI said it will open ...").
            if future_only and not (_forecasting_body(context, forecaster) and not OWN_PLAN.search(clause.text)) and (
                    published is None or horizon[1] is None or horizon[1].year <= published.year):
                _refuse(carry, sentence, quantity, "plan_this_year")
                continue
            figure = read_figure(context, sentence, clause, quantity, previous_end, forecaster, records)
            previous_end = quantity.end
            evidence = figure.evidence
            records.append(ForecastRecord(
                forecaster_actor_id=forecaster,
                subject_actor_id=figure.subject,
                target=figure.target,
                metric=figure.metric,
                value_low=figure.low,
                value_high=figure.high,
                unit=quantity.unit,
                comparator=quantity.comparator,
                horizon_start=horizon[0],
                horizon_end=horizon[1],
                issued_date=published,
                hedge=cue.group(0).lower(),
                evidence_text=evidence.text,
                char_start=evidence.start,
                char_end=evidence.end,
                figure_start=sentence.start + quantity.start,
                figure_end=sentence.start + quantity.end,
                rule=f"forecast.{'future' if future_only else 'cue'}.{source}",
            ))
    if records:
        carry.horizon = (records[-1].horizon_start, records[-1].horizon_end) if records[-1].horizon_end else None
        carry.forecaster = forecaster
        carry.end = sentence.end
    return records


def extract_forecasts(context: DocumentContext) -> tuple[list[ForecastRecord], list[RefusedFigure]]:
    """(the document's forecasts, the figures of its forecast-like sentences refused as no forecast)."""
    carry = _Carry(lead=lead_source(context))
    records = []
    for sentence in context.story:
        records += sentence_forecasts(context, sentence, carry)
    return records, carry.refused


def forecast_sentences(context: DocumentContext, records: list[ForecastRecord]) -> list[Sentence]:
    """The sentences the records' evidence is in, in order, each once: what `with_parse` needs parsed."""
    starts = [s.start for s in context.sentences]
    return sorted({context.sentences[bisect.bisect_right(starts, r.char_start) - 1] for r in records},
                  key=lambda s: s.start)


def _outlet_citing(context: DocumentContext, stated: str, found: str | None) -> bool:
    """Whether the parse's speaker is an outlet reporting a source the patterns found (`found`: "Reuters
    reported, citing Counterpoint, that ..."): the figure is the cited source's."""
    return (found is not None and context.actors[stated].actor_type == "media_outlet"
            and context.actors[found].actor_type != "media_outlet")


def with_parse(context: DocumentContext, records: list, parses: dict[int, object],
               speaker: str = "forecaster_actor_id") -> list:
    """The records (forecasts, or observations with ``speaker="reported_by_actor_id"``) with what the parse of their
    sentence (by its start) tells: the noun phrase their figure measures for `target`
    (:mod:`pipeline.forecasts.target`), and the actor whose forecasting or saying verb it depends on for the
    field `speaker` (:mod:`pipeline.forecasts.speaker`); where the parse names neither, the record keeps what
    the patterns found."""
    starts = sorted(parses)
    parsed = []
    for record in records:
        at = starts[bisect.bisect_right(starts, record.char_start) - 1]
        doc = parses[at]
        changes = {}
        phrase = noun_phrase_target(doc, record.figure_start - at, record.figure_end - at)
        if phrase:
            changes["target"] = phrase
        stated = stated_by(context, doc, at, record.figure_start, record.figure_end, FORECASTER_TYPES)
        found = getattr(record, speaker)
        if stated and stated != found and not _outlet_citing(context, stated, found):
            changes[speaker] = stated
            if speaker == "forecaster_actor_id":  # a forecast's rule says where its forecaster came from
                changes["rule"] = record.rule.rsplit(".", 1)[0] + ".parse"
        parsed.append(dataclasses.replace(record, **changes) if changes else record)
    return parsed
