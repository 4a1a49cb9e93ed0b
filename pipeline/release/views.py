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


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) every view in the release's database."""
    for view in VIEWS:
        con.execute(f'CREATE OR REPLACE VIEW "{view.name}" AS {view.sql}')
