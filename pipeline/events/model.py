"""An event as one document states it, before events are deduplicated across documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class EventRecord:
    event_type: str
    summary: str
    event_date: dt.date | None
    date_precision: str
    status: str
    actors: tuple[tuple[str, str], ...]  # (actor_id, role), initiator first
    evidence_text: str                   # body[char_start:char_end]
    char_start: int
    char_end: int
    attributed_to_actor_id: str | None = None
    anchor: str = ""  # what identifies the initiator across reports (a state for its agencies)
    refers_back: bool = False  # "the probe ...": restates an event the document named before
    distinct: bool = False  # "also", "a separate": explicitly another event, never a restatement
    rule: str = ""  # the trigger that found it (`grammar.<type>`, `frame.<type>`; `.state` when a state's)
