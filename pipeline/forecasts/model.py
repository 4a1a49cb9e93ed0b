"""A forecast or estimate as one document states it."""

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
