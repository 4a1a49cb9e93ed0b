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


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) every view in the release's database."""
    for view in VIEWS:
        con.execute(f'CREATE OR REPLACE VIEW "{view.name}" AS {view.sql}')


def view_frame(view: View, tables: dict) -> pd.DataFrame:
    """A view's rows computed over frames (the release's tables before they are written), by the same SQL."""
    con = duckdb.connect()
    try:
        for name, df in tables.items():
            con.register(name, df)
        return con.execute(view.sql).df()
    finally:
        con.close()
