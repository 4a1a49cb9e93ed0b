"""DuckDB at scale: a release's tables replicated to >= 1,000,000 events, and typical queries timed on it.

    python -m benchmarks.duckdb_scale --release DIR --output DIR [--min-events 1000000]

The scaled ``dataset.duckdb`` is built with DuckDB SQL from a real (small) release: every row of
``events``, ``event_actors``, ``event_reports``, ``forecasts`` and ``documents`` is copied ``k`` times,
with ids made unique per copy (``md5(id || copy)``), dates moved by a copy-dependent number of months
(-60 .. +59, so the events spread over about ten years beyond the originals') and actors split into
``ACTOR_VARIANTS`` variants (``nvidia``, ``nvidia-v1`` ...), so that one actor's share of the events
stays realistic. Forecasts whose moved horizon ended before today are marked resolved (half true, half
false), the rest stay open. Each query is run once cold and ``REPEATS`` times warm, on a fresh read-only
connection, with the whole result fetched (as Arrow); the median warm time is reported.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ACTOR_VARIANTS = 10
REPEATS = 5
TARGET_SECONDS = 1.0

# The queries with a target: what the issue names as typical.
QUERIES = {
    "events per type per month": """
SELECT event_type, date_trunc('month', event_date) AS month, count(*) AS events
FROM events
WHERE event_date IS NOT NULL
GROUP BY ALL
ORDER BY month, event_type
""",
    "one actor's events (queries/actor_events.sql)": None,  # the shipped query, with the busiest actor
    "open forecasts by horizon": """
SELECT year(horizon_end) AS horizon_year, metric, count(*) AS forecasts,
       count(DISTINCT forecaster_actor_id) AS forecasters, median(value_high) AS median_value_high
FROM forecasts
WHERE resolution_status = 'open'
GROUP BY ALL
ORDER BY horizon_year NULLS LAST, metric
""",
}
# The other shipped queries, timed for information (they list every matching row).
SHIPPED = ("open_forecasts.sql", "most_reported_events.sql", "export_controls_by_country.sql")


def _shift(column: str) -> str:
    """A date column moved by the copy's number of months (copy ``c``, -60 .. +59)."""
    return f"CAST({column} + to_months(CAST((c.i * 37) % 120 - 60 AS INTEGER)) AS DATE)"


def _variant(column: str) -> str:
    return (f"CASE WHEN {column} IS NULL THEN NULL WHEN c.i % {ACTOR_VARIANTS} = 0 THEN {column} "
            f"ELSE {column} || '-v' || (c.i % {ACTOR_VARIANTS}) END")


def _new_id(column: str) -> str:
    return f"CASE WHEN c.i = 0 THEN {column} ELSE substr(md5({column} || ':' || c.i), 1, 16) END"


def build_scaled(release: Path, output: Path, min_events: int = 1_000_000) -> dict:
    """Write ``output/dataset.duckdb`` with at least ``min_events`` events; returns rows, copies, seconds."""
    output.mkdir(parents=True, exist_ok=True)
    database = output / "dataset.duckdb"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    try:
        for name in ("documents", "actors", "events", "event_actors", "event_reports", "forecasts"):
            path = (release / f"{name}.parquet").resolve().as_posix().replace("'", "''")
            con.execute(f"CREATE TEMP VIEW src_{name} AS SELECT * FROM read_parquet('{path}')")
        source_events = con.execute("SELECT count(*) FROM src_events").fetchone()[0]
        copies = max(1, math.ceil(min_events / max(source_events, 1)))
        con.execute(f"CREATE TEMP TABLE c AS SELECT range AS i FROM range({copies})")
        con.execute(f"""
CREATE TABLE actors AS
SELECT CASE WHEN v.i = 0 THEN a.actor_id ELSE a.actor_id || '-v' || v.i END AS actor_id,
       CASE WHEN v.i = 0 THEN a.name ELSE a.name || ' (' || v.i || ')' END AS name,
       a.* EXCLUDE (actor_id, name)
FROM src_actors a, (SELECT range AS i FROM range({ACTOR_VARIANTS})) v""")
        con.execute(f"""
CREATE TABLE documents AS
SELECT {_new_id('d.doc_id')} AS doc_id, d.* EXCLUDE (doc_id, published_date),
       {_shift('d.published_date')} AS published_date
FROM src_documents d, c""")
        con.execute(f"""
CREATE TABLE events AS
SELECT {_new_id('e.event_id')} AS event_id, e.event_type, e.summary, {_shift('e.event_date')} AS event_date,
       e.date_precision, e.status
FROM src_events e, c""")
        con.execute(f"""
CREATE TABLE event_actors AS
SELECT {_new_id('x.event_id')} AS event_id, {_variant('x.actor_id')} AS actor_id, x.role
FROM src_event_actors x, c""")
        con.execute(f"""
CREATE TABLE event_reports AS
SELECT {_new_id('r.event_id')} AS event_id, {_new_id('r.doc_id')} AS doc_id,
       r.* EXCLUDE (event_id, doc_id, attributed_to_actor_id),
       {_variant('r.attributed_to_actor_id')} AS attributed_to_actor_id
FROM src_event_reports r, c""")
        con.execute(f"""
CREATE TABLE forecasts AS
SELECT {_new_id('f.forecast_id')} AS forecast_id, {_new_id('f.doc_id')} AS doc_id,
       {_variant('f.forecaster_actor_id')} AS forecaster_actor_id,
       {_variant('f.subject_actor_id')} AS subject_actor_id,
       f.* EXCLUDE (forecast_id, doc_id, forecaster_actor_id, subject_actor_id, horizon_start, horizon_end,
                    issued_date, resolution_status),
       {_shift('f.horizon_start')} AS horizon_start, {_shift('f.horizon_end')} AS horizon_end,
       {_shift('f.issued_date')} AS issued_date,
       CASE WHEN {_shift('f.horizon_end')} >= current_date OR f.horizon_end IS NULL THEN 'open'
            WHEN hash(f.forecast_id, c.i) % 2 = 0 THEN 'resolved_true' ELSE 'resolved_false' END
           AS resolution_status
FROM src_forecasts f, c""")
        con.execute("CHECKPOINT")
        rows = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in ("documents", "actors", "events", "event_actors", "event_reports", "forecasts")}
        busiest = con.execute("""
SELECT actor_id, count(*) AS n FROM event_actors GROUP BY actor_id ORDER BY n DESC, actor_id LIMIT 1
""").fetchone()
    finally:
        con.close()
    return {"copies": copies, "source_events": source_events, "rows": rows, "seconds": time.perf_counter() - started,
            "bytes": database.stat().st_size, "busiest_actor": busiest[0], "busiest_actor_events": busiest[1]}


def _time(database: Path, sql: str, setup: str | None) -> dict:
    con = duckdb.connect(str(database), read_only=True)
    try:
        if setup:
            con.execute(setup)
        times, rows = [], 0
        for _ in range(REPEATS + 1):
            started = time.perf_counter()
            table = con.sql(sql).to_arrow_table()
            times.append(time.perf_counter() - started)
            rows = table.num_rows
    finally:
        con.close()
    warm = statistics.median(times[1:])
    return {"cold_seconds": times[0], "median_seconds": warm, "max_seconds": max(times), "rows": rows}


def time_queries(database: Path, actor_id: str) -> dict[str, dict]:
    results = {}
    for name, sql in QUERIES.items():
        setup = None
        if sql is None:
            sql = (PROJECT_ROOT / "queries" / "actor_events.sql").read_text(encoding="utf-8")
            setup = f"SET VARIABLE actor_id = '{actor_id}'"
        results[name] = {**_time(database, sql, setup), "target": True}
    for file_name in SHIPPED:
        path = PROJECT_ROOT / "queries" / file_name
        if path.is_file():
            results[f"queries/{file_name}"] = {**_time(database, path.read_text(encoding="utf-8"), None),
                                               "target": False}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", required=True, help="a real release folder (Parquet files)")
    parser.add_argument("--output", required=True, help="folder for the scaled dataset.duckdb")
    parser.add_argument("--min-events", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    built = build_scaled(Path(args.release), Path(args.output), args.min_events)
    queries = time_queries(Path(args.output) / "dataset.duckdb", built["busiest_actor"])
    print(json.dumps({"scaled": built, "queries": queries}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
