"""Views stored in ``dataset.duckdb`` beside the tables: derived answers that stay in step with the data.

A view is SQL over the release's own tables, so it works wherever the database
file goes. Each is declared once here, with what its columns mean; the data
dictionary lists them from this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class View:
    name: str
    description: str
    columns: dict[str, tuple[str, str]]  # column -> (type, meaning)
    sql: str


FORECASTER_TRACK_RECORD = View(
    name="forecaster_track_record",
    description="Per forecaster: forecasts made, how many were resolved, and how many of those came true.",
    columns={
        "forecaster_actor_id": ("string", "The forecaster (`actors.actor_id`)."),
        "forecaster": ("string", "The forecaster's name."),
        "forecasts_made": ("integer", "Forecasts attributed to it in the release."),
        "open": ("integer", "Forecasts still open."),
        "resolved": ("integer", "Forecasts resolved true or false."),
        "resolved_true": ("integer", "Forecasts whose observed value met the forecast."),
        "hit_rate": ("number", "resolved_true / resolved; null while nothing is resolved."),
    },
    sql="""
SELECT f.forecaster_actor_id,
       any_value(a.name) AS forecaster,
       count(*) AS forecasts_made,
       count(*) FILTER (WHERE f.resolution_status = 'open') AS open,
       count(*) FILTER (WHERE f.resolution_status <> 'open') AS resolved,
       count(*) FILTER (WHERE f.resolution_status = 'resolved_true') AS resolved_true,
       count(*) FILTER (WHERE f.resolution_status = 'resolved_true')
         / nullif(count(*) FILTER (WHERE f.resolution_status <> 'open'), 0) AS hit_rate
FROM forecasts f
LEFT JOIN actors a ON a.actor_id = f.forecaster_actor_id
WHERE f.forecaster_actor_id IS NOT NULL
GROUP BY f.forecaster_actor_id
ORDER BY forecasts_made DESC, f.forecaster_actor_id
""",
)

VIEWS = (FORECASTER_TRACK_RECORD,)


@dataclass(frozen=True)
class TableMacro:
    """A table macro: a view with a parameter, ``SELECT * FROM name(argument)``."""

    name: str
    parameter: str
    description: str
    sql: str


# Time of knowledge: what a document published after day d said is not known on d. Undated documents are
# never known; an event is as its reports known on d make it.
EVENTS_AS_OF = TableMacro(
    name="events_as_of",
    parameter="d",
    description="The events as known on day `d` (a DATE or 'YYYY-MM-DD'): only those reported by a document "
                "published on or before `d`, with `n_documents`, `n_sources`, `first_reported_date` and "
                "`last_reported_date` counted over those documents alone. The columns of `events`.",
    sql="""
WITH known AS (
  SELECT r.event_id, r.doc_id, r.story_doc_id, doc.published_date
  FROM event_reports r
  JOIN documents doc ON doc.doc_id = r.doc_id
  WHERE doc.published_date <= CAST(d AS DATE)
), counts AS (
  SELECT event_id AS known_event_id,
         count(DISTINCT doc_id) AS known_documents,
         count(DISTINCT story_doc_id) AS known_sources,
         min(published_date) AS known_first,
         max(published_date) AS known_last
  FROM known
  GROUP BY event_id
)
SELECT e.* REPLACE (c.known_documents AS n_documents, c.known_sources AS n_sources,
                    c.known_first AS first_reported_date, c.known_last AS last_reported_date)
FROM events e
JOIN counts c ON c.known_event_id = e.event_id
ORDER BY e.event_id
""",
)
# A backtest must not see outcomes recorded after d either: those forecasts are still open on d.
FORECASTS_AS_OF = TableMacro(
    name="forecasts_as_of",
    parameter="d",
    description="The forecasts as known on day `d`: only those issued on or before `d` (`issued_date`, the "
                "document's published date), and still `open`, without observed value, date or source, unless "
                "their outcome was observed on or before `d`. The columns of `forecasts`.",
    sql="""
SELECT f.* REPLACE (
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.resolution_status ELSE 'open' END AS resolution_status,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.observed_value END AS observed_value,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.observed_date END AS observed_date,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.resolution_source END AS resolution_source)
FROM forecasts f
WHERE f.issued_date <= CAST(d AS DATE)
ORDER BY f.issued_date, f.forecast_id
""",
)
TABLE_MACROS = (EVENTS_AS_OF, FORECASTS_AS_OF)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) every view and table macro in the release's database."""
    for view in VIEWS:
        con.execute(f'CREATE OR REPLACE VIEW "{view.name}" AS {view.sql}')
    for macro in TABLE_MACROS:
        con.execute(f'CREATE OR REPLACE MACRO "{macro.name}"({macro.parameter}) AS TABLE {macro.sql}')
