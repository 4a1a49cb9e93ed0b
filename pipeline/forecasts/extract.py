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
- the forecaster is whoever the sentence attributes it to ("according to
  TrendForce", "TrendForce projects", "SMIC expects", "U.S. officials
  concluded"), else the previous forecast's forecaster in the paragraph;
- the metric comes from ``metrics.yaml``, matched on the words before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.actors.anaphora import descriptions_in
from pipeline.attribution import attribution_in, is_boilerplate
from pipeline.documents.clauses import split_clauses
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Sentence
from pipeline.forecasts.model import ForecastRecord
from pipeline.forecasts.quantities import Quantity, find_quantities
from pipeline.temporal.expressions import TimeExpression, find_time_expressions

METRICS_PATH = Path(__file__).with_name("metrics.yaml")
CURRENCIES = {"usd", "cny", "twd", "jpy", "eur", "krw", "gbp", "inr", "hkd", "sgd", "chf", "cad", "aud"}
COUNT_UNITS = {"units", "wafers", "wafers_per_month", "gigabits", "gigabytes", "terabytes", "petaflops"}

# Words that frame a figure as a forecast or estimate; the match is the `hedge`.
CUE = re.compile(
    r"\b(project(?:s|ed|ing|ions?)?|forecast(?:s|ed|ing)?|expect(?:s|ed|ing)?|estimat(?:e|es|ed|ing)|"
    r"predict(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|could|would|should|may|might|likely|poised|"
    r"on track|set to|aims?|aiming|targets?|targeting|goal|guid(?:e|es|ed|ing|ance)|outlook|budget(?:ed|s)?|"
    r"is seen|are seen|sees|see|concluded)\b", re.IGNORECASE)
# A decline verb right before a percentage makes it negative ("fall by 4%", "dropped nearly 7%").
DECLINE = re.compile(r"\b(fall|falls|fell|falling|declin\w*|drop\w*|plung\w*|slump\w*|shrink\w*|shrank|contract\w*|"
                     r"decreas\w*|slid\w*|sink\w*|sank|tumbl\w*|dip\w*|down|lower\w*|cut\w*|reduc\w*)\s+"
                     r"(?:by\s+)?(?:(?:about|around|roughly|nearly|almost|some|approximately|an estimated)\s+)?$",
                     re.IGNORECASE)
FORECAST_VERB = re.compile(r"\b(projects?|projected|forecasts?|expects?|expected|estimates?|estimated|predicts?|"
                           r"sees|anticipates?|guided|guides|targets|aims|concluded|warns?|said|says|notes|adds)\b",
                           re.IGNORECASE)
FORECASTER_TYPES = ("research_firm", "media_outlet", "company", "government_agency", "country_government",
                    "person", "industry_body", "international_org", "other")


@dataclass(frozen=True)
class MetricRule:
    metric: str
    pattern: re.Pattern[str]
    units: frozenset[str]


@cache
def metric_rules(path: Path = METRICS_PATH) -> tuple[MetricRule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(MetricRule(r["metric"], re.compile(r["pattern"], re.IGNORECASE), frozenset(r.get("units") or ()))
                 for r in data["rules"])


def unit_group(unit: str) -> str:
    if unit in CURRENCIES:
        return "money"
    if unit == "percent":
        return "percent"
    return "count"


def classify_metric(window: str, clause_before: str, after: str, unit: str) -> str:
    """The metric of a figure from the words since the previous figure, then the whole clause."""
    group = unit_group(unit)
    for text in (window + " " + after, clause_before + " " + after):
        for rule in metric_rules():
            if rule.units and group not in rule.units:
                continue
            if rule.pattern.search(text):
                return rule.metric
    return "other"


def signed(quantity: Quantity, before: str) -> tuple[float | None, float | None]:
    """(low, high) with a decline's percentage negative: "fall by 4% to 6%" -> (-6, -4)."""
    low, high = quantity.value_low, quantity.value_high
    if quantity.unit == "percent" and DECLINE.search(before[-60:]):
        low, high = (-high if high is not None else None), (-low if low is not None else None)
    return low, high


def _horizon_of(quantity: Quantity, times: list[TimeExpression], clause: Sentence, sentence: Sentence
                ) -> TimeExpression | None:
    """The time expression a figure is about: right after it, else nearest in its clause, else in the sentence."""
    usable = [t for t in times if t.period_end is not None]
    q_start, q_end = quantity.start, quantity.end
    following = [t for t in usable if 0 <= t.start - q_end <= 40]
    if following:
        return min(following, key=lambda t: t.start)
    c_start, c_end = clause.start - sentence.start, clause.end - sentence.start
    in_clause = [t for t in usable if c_start <= t.start < c_end]
    pool = in_clause or usable
    if not pool:
        return None
    return min(pool, key=lambda t: min(abs(t.start - q_end), abs(q_start - t.end)))


def _forecaster(context: DocumentContext, sentence: Sentence, clause: Sentence) -> str | None:
    """Who the sentence says makes the forecast: a cited source, or the subject of a forecast verb."""
    cited = attribution_in(context, sentence)
    if cited:
        return cited
    body = context.document.body
    for scope in (clause, sentence):
        for verb in FORECAST_VERB.finditer(body, scope.start, scope.end):
            spans = [(m.start, m.actor_id) for m in context.mentions_in(scope.start, verb.start())]
            spans += descriptions_in(context, scope.start, verb.start())
            spans = [(at, a) for at, a in sorted(spans) if context.actors[a].actor_type in FORECASTER_TYPES]
            if spans:
                return spans[0][1]
    return None


def _subject(context: DocumentContext, clause: Sentence, quantity_at: int) -> str | None:
    """The company whose figure it is: the last company named in the clause before the figure."""
    companies = [m.actor_id for m in context.mentions_in(clause.start, quantity_at)
                 if context.actors[m.actor_id].actor_type == "company"]
    return companies[-1] if companies else None


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


def _same_paragraph(body: str, previous_end: int, start: int) -> bool:
    return previous_end >= 0 and "\n" not in body[previous_end:start]


def sentence_forecasts(context: DocumentContext, sentence: Sentence, carry: _Carry) -> list[ForecastRecord]:
    published = context.document.published_date
    cue = CUE.search(sentence.text)
    if not cue:
        return []
    quantities = [q for q in find_quantities(sentence.text) if q.unit != "count" and q.unit != "percentage_points"]
    if not quantities:
        return []
    body = context.document.body
    times = find_time_expressions(sentence.text, published)
    continuing = _same_paragraph(body, carry.end, sentence.start)
    forecaster = _forecaster(context, sentence, sentence) or (carry.forecaster if continuing else None)
    records, previous_end = [], 0
    for clause in split_clauses(sentence):
        c_from, c_to = clause.start - sentence.start, clause.end - sentence.start
        for quantity in (q for q in quantities if c_from <= q.start < c_to):
            if not any(ch.isdigit() for ch in quantity.raw) and quantity.multiplier_word is None \
                    and "several" not in quantity.raw.lower():
                continue  # "billions of dollars": no figure to check later
            when = _horizon_of(quantity, times, clause, sentence)
            if when is not None:
                horizon = (when.period_start, when.period_end)
            elif continuing and carry.horizon:
                horizon = carry.horizon
            elif published:
                horizon = (dt.date(published.year, 1, 1), dt.date(published.year, 12, 31))
            else:
                horizon = (None, None)
            if published and horizon[1] is not None and horizon[1] < published:
                continue  # about a period already over: a statistic, not a forecast
            before = sentence.text[max(c_from, previous_end):quantity.start]
            clause_before = sentence.text[c_from:quantity.start]
            after = sentence.text[quantity.end:quantity.end + 40]
            previous_end = quantity.end
            metric = classify_metric(before, clause_before, after, quantity.unit)
            low, high = signed(quantity, sentence.text[c_from:quantity.start])
            records.append(ForecastRecord(
                forecaster_actor_id=forecaster,
                subject_actor_id=_subject(context, clause, sentence.start + quantity.start) or (
                    forecaster if forecaster and context.actors[forecaster].actor_type == "company" else None),
                target=_target(clause.text, clause_before, metric),
                metric=metric,
                value_low=low,
                value_high=high,
                unit=quantity.unit,
                comparator=quantity.comparator,
                horizon_start=horizon[0],
                horizon_end=horizon[1],
                issued_date=published,
                hedge=cue.group(0).lower(),
                evidence_text=sentence.text,
                char_start=sentence.start,
                char_end=sentence.end,
            ))
    if records:
        carry.horizon = (records[-1].horizon_start, records[-1].horizon_end) if records[-1].horizon_end else None
        carry.forecaster = forecaster
        carry.end = sentence.end
    return records


def extract_forecasts(context: DocumentContext) -> list[ForecastRecord]:
    carry = _Carry()
    records = []
    for sentence in context.sentences:
        if is_boilerplate(sentence.text):
            continue
        records += sentence_forecasts(context, sentence, carry)
    return records
