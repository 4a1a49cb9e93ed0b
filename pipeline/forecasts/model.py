"""A forecast or estimate as one document states it, and a figure refused as none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ForecastRecord:
    forecaster_actor_id: str | None
    subject_actor_id: str | None
    target: str
    metric: str
    value_low: float | None
    value_high: float | None
    unit: str
    comparator: str
    horizon_start: dt.date | None
    horizon_end: dt.date | None
    issued_date: dt.date | None
    hedge: str | None
    evidence_text: str  # body[char_start:char_end]
    char_start: int
    char_end: int
    figure_start: int  # the figure, body[figure_start:figure_end], inside the evidence
    figure_end: int
    # The pattern that found it: `forecast.<cue>.<forecaster>`, the cue a forecast word (`cue`) or a plain
    # future (`future`), the forecaster named in the clause (`named`), carried from the paragraph (`carried`),
    # the article's lead source (`lead`), the clause's subject (`subject`), the parse's speaker (`parse`) or
    # none (`none`).
    rule: str = ""


@dataclass(frozen=True)
class RefusedFigure:
    """A figure of a forecast-like sentence that is no forecast, with the rule that refused it."""

    figure: str  # the figure as written, body[figure_start:figure_start + len(figure)]
    figure_start: int
    value_low: float | None
    value_high: float | None
    unit: str
    reason: str  # a key of schemas.vocabularies.REFUSAL_REASONS
    evidence_text: str  # the sentence, body[char_start:char_end]
    char_start: int
    char_end: int


@dataclass(frozen=True)
class ObservationRecord:
    """An actual figure a document reports as fact ("capex came in at US$40.9 billion in 2025")."""

    subject_actor_id: str | None
    target: str
    metric: str
    value: float
    unit: str
    period_start: dt.date
    period_end: dt.date
    reported_by_actor_id: str | None  # the source the sentence cites or whose saying verb states it
    evidence_text: str  # body[char_start:char_end]
    char_start: int
    char_end: int
    figure_start: int  # the figure, body[figure_start:figure_end]
    figure_end: int
