"""Observations: actual figures a document reports as fact, read with the forecasts' own grammar.

A figure is an observation when its clause states it as a result, plainly:

- a verb of result stands before it in its clause ("came in at", "rose",
  "reached", "was", "shipped", "posted");
- nothing in the clause frames it as a forecast, a plan, an estimate or a
  hearsay: no forecast cue or future marker (:data:`pipeline.forecasts.extract.CUE`,
  ``FUTURE_CUE``), no "estimated", "reportedly", "consensus"; for a period that
  ended before the year of publication (a figure the forecasts refuse as
  ``past_period``) the cue only counts near the figure, so that "expects sales to
  rise 10% this year after they rose 40% in 2024" gives the 40% as an observation;
- it is about a period named in the sentence that had begun by publication
  ("in 2025", "last year", "in the third quarter"); a figure with no period
  cannot settle a forecast and is left out;
- it is one value ("US$40.9 billion", "12%"), not a range or an open bound;
- the forecasts' refusal rules do not refuse it (a count, a conversion, a
  tariff's rate, a stake, a base of change, a qualifier, an attribute).

Value, unit, sign, period, metric, subject and source come from the same code
as a forecast's (:mod:`pipeline.forecasts.quantities`, ``extract``, ``target``,
``speaker``), so an observation and the forecast it settles are read alike.
"""

from __future__ import annotations

import re

from pipeline.documents.clauses import split_clauses
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Sentence
from pipeline.forecasts.extract import (
    CONTRAST,
    CONVERSION,
    CUE,
    FUTURE_CUE,
    NOT_FORECAST_UNITS,
    _forecaster,
    _horizons,
    _refusal,
    read_figure,
)
from pipeline.forecasts.model import ObservationRecord
from pipeline.forecasts.quantities import find_quantities

# A verb that states a result: "came in at", "rose", "reached", "totalled", "was", "posted", "shipped".
RESULT = re.compile(r"\b(?:came|comes|come) in at|\b(?:reached|rose|grew|fell|declined|increased|decreased|dropped|"
                    r"jumped|climbed|surged|slipped|slid|shrank|contracted|expanded|totall?ed|amounted to|"
                    r"stood at|stands at|hit|was|were|is|are|posted|reported|recorded|shipped|sold|spent|"
                    r"generated|accounted for|accounts for|held|holds|ended|finished)\b", re.IGNORECASE)
# Words that make a figure something other than an actual: an estimate, hearsay, or someone's expectation.
HEARSAY = re.compile(r"\b(?:reportedly|probably|possibly|consensus|rumou?red|allegedly|preliminary|"
                     r"estimat\w*|beat\w*|miss\w*|topp\w*)\b", re.IGNORECASE)
EXACT = ("=", "~")


# A modal or cue just before the verb of result hedges it: "would have reached", "is expected to have hit".
BEFORE_VERB = 30
# After the figure, up to a comma: "US$12 billion, above the US$11 billion analysts expected" hedges nothing.
AFTER = re.compile(r"[^,;]{0,40}")


def _plain_result(clause_text: str, figure_start: int, figure_end: int, ended: bool) -> bool:
    """Whether a clause states the figure at clause_text[figure_start:figure_end] as a result, unhedged.

    A figure of a period under way needs its whole clause free of cues; one of a period that ended before
    publication (what the forecasts refuse as ``past_period``) only the words from just before its verb
    to just after it: "TrendForce expects revenue to rise 18% in 2026, after it grew 25% in 2025"."""
    verbs = list(RESULT.finditer(clause_text, 0, figure_start))
    if not verbs or HEARSAY.search(clause_text):
        return False
    if ended:
        start = max(0, verbs[-1].start() - BEFORE_VERB)
        clause_text = clause_text[start:figure_end] + AFTER.match(clause_text, figure_end).group(0)
    return not CUE.search(clause_text) and not FUTURE_CUE.search(clause_text)


def sentence_observations(context: DocumentContext, sentence: Sentence) -> list[ObservationRecord]:
    """The actual figures a sentence reports (see the module docstring)."""
    published = context.document.published_date
    if published is None or not RESULT.search(sentence.text):
        return []
    quantities = [q for q in find_quantities(sentence.text)
                  if q.unit not in NOT_FORECAST_UNITS and not CONVERSION.search(sentence.text, 0, q.start)]
    if not quantities:
        return []
    times = context.time_expressions(sentence)
    clauses = split_clauses(sentence)
    clause_spans = [(c.start - sentence.start, c.end - sentence.start) for c in clauses]
    periods = _horizons(quantities, times, sentence.text, clause_spans)
    records: list[ObservationRecord] = []
    previous_end = 0
    for clause in clauses:
        c_from, c_to = clause.start - sentence.start, clause.end - sentence.start
        in_clause = [q for q in quantities if c_from <= q.start < c_to]
        if not in_clause or CONTRAST.match(clause.text):
            continue
        found, source = _forecaster(context, sentence, clause, None)
        for quantity in in_clause:
            when = periods[quantity.start]
            if (when is None or when.period_start is None or when.period_start > published
                    or not _plain_result(clause.text, quantity.start - c_from, quantity.end - c_from,
                                         when.period_end.year < published.year)
                    or quantity.comparator not in EXACT
                    or quantity.value_low is None or quantity.value_low != quantity.value_high
                    or _refusal(sentence.text, quantity, c_from)):
                continue
            figure = read_figure(context, sentence, clause, quantity, previous_end, source, records)
            previous_end = quantity.end
            evidence = figure.evidence
            records.append(ObservationRecord(
                subject_actor_id=figure.subject, target=figure.target, metric=figure.metric,
                value=figure.low, unit=quantity.unit, period_start=when.period_start, period_end=when.period_end,
                reported_by_actor_id=source if found else None, evidence_text=evidence.text, char_start=evidence.start,
                char_end=evidence.end, figure_start=sentence.start + quantity.start,
                figure_end=sentence.start + quantity.end))
    return records


def extract_observations(context: DocumentContext) -> list[ObservationRecord]:
    """The document's observations, in order."""
    return [record for sentence in context.story for record in sentence_observations(context, sentence)]
