"""Views stored in ``dataset.duckdb`` beside the tables: derived answers that stay in step with the data.

A view is SQL over the release's own tables, so it works wherever the database
file goes. Each is declared once here, with what its columns mean; the data
dictionary lists them from this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd


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

FORECASTER_SCORES = View(
    name="forecaster_scores",
    description="Per forecaster: forecasts made, resolved (by a later article's observation or by "
                "resolutions.yaml), hit rate, and how far off the resolved ones were. A forecast's figure is "
                "the middle of its range (or its one bound); errors are in percent of the observed value, so "
                "that forecasts of different units add up; a positive signed error is a forecast above the "
                "outcome.",
    columns={
        "forecaster_actor_id": ("string", "The forecaster (`actors.actor_id`)."),
        "forecaster": ("string", "The forecaster's name."),
        "forecasts_made": ("integer", "Forecasts attributed to it in the release."),
        "resolved": ("integer", "Forecasts resolved true or false."),
        "resolved_by_observation": ("integer", "Of those, resolved by an observation of the corpus."),
        "resolved_true": ("integer", "Forecasts whose observed value met the forecast."),
        "conflicting": ("integer", "Forecasts whose matching observations report different values."),
        "hit_rate": ("number", "resolved_true / resolved; null while nothing is resolved."),
        "median_abs_pct_error": ("number", "Median of |forecast - observed| / |observed| x 100 over the resolved "
                                           "forecasts."),
        "mean_signed_pct_error": ("number", "Mean of (forecast - observed) / |observed| x 100: above 0, the "
                                            "forecaster tends to forecast too high."),
    },
    sql="""
WITH scored AS (
  SELECT f.*,
         (coalesce((f.value_low + f.value_high) / 2, f.value_low, f.value_high) - f.observed_value)
           / nullif(abs(f.observed_value), 0) * 100 AS pct_error
  FROM forecasts f
  WHERE f.forecaster_actor_id IS NOT NULL
)
SELECT s.forecaster_actor_id,
       any_value(a.name) AS forecaster,
       count(*) AS forecasts_made,
       count(*) FILTER (WHERE s.resolution_status <> 'open') AS resolved,
       count(*) FILTER (WHERE s.resolution_method = 'observation') AS resolved_by_observation,
       count(*) FILTER (WHERE s.resolution_status = 'resolved_true') AS resolved_true,
       count(*) FILTER (WHERE s.resolution_conflict) AS conflicting,
       count(*) FILTER (WHERE s.resolution_status = 'resolved_true')
         / nullif(count(*) FILTER (WHERE s.resolution_status <> 'open'), 0) AS hit_rate,
       median(abs(s.pct_error)) FILTER (WHERE s.resolution_status <> 'open') AS median_abs_pct_error,
       avg(s.pct_error) FILTER (WHERE s.resolution_status <> 'open') AS mean_signed_pct_error
FROM scored s
LEFT JOIN actors a ON a.actor_id = s.forecaster_actor_id
GROUP BY s.forecaster_actor_id
ORDER BY resolved DESC, forecasts_made DESC, s.forecaster_actor_id
""",
)

VIEWS = (FORECASTER_TRACK_RECORD, FORECASTER_SCORES)


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
                "document's published date), and still `open`, without observed value, date, source or method, "
                "unless their outcome was observed on or before `d`. The columns of `forecasts`.",
    sql="""
SELECT f.* REPLACE (
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.resolution_status ELSE 'open' END AS resolution_status,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.observed_value END AS observed_value,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.observed_date END AS observed_date,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.resolution_source END AS resolution_source,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.resolution_method END AS resolution_method,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.resolution_observation_id
           END AS resolution_observation_id,
         CASE WHEN f.observed_date <= CAST(d AS DATE) THEN f.matching_observations ELSE 0 END
           AS matching_observations,
         f.resolution_conflict AND coalesce(f.observed_date <= CAST(d AS DATE), false) AS resolution_conflict)
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


def view_frame(view: View, tables: dict) -> pd.DataFrame:
    """A view's rows computed over frames (the release's tables before they are written), by the same SQL."""
    con = duckdb.connect()
    try:
        for name, df in tables.items():
            con.register(name, df)
        return con.execute(view.sql).df()
    finally:
        con.close()
