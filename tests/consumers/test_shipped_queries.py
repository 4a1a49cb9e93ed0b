"""The queries in queries/ run against the release built from seeds/ and give its real answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT

QUERIES = PROJECT_ROOT / "queries"
DECEMBER_8 = dt.date(2025, 12, 8)


@pytest.fixture()
def con(seed_release: Path):
    connection = duckdb.connect(str(seed_release / "dataset.duckdb"), read_only=True)
    yield connection
    connection.close()


def run(con: duckdb.DuckDBPyConnection, name: str) -> list[dict]:
    cursor = con.execute((QUERIES / name).read_text(encoding="utf-8"))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def test_every_query_file_runs(con: duckdb.DuckDBPyConnection) -> None:
    names = sorted(p.name for p in QUERIES.glob("*.sql"))
    assert names == ["actor_events.sql", "events_by_independent_sources.sql", "export_controls_by_country.sql",
                     "most_reported_events.sql", "open_forecasts.sql"]
    for name in names:
        run(con, name)


def test_export_control_timeline_has_the_us_easing_of_december_8(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "export_controls_by_country.sql")
    us = [r for r in rows if r["country"] == "US" and r["event_type"] == "export_control_eased"]
    assert any(r["event_date"] == DECEMBER_8 and r["date_precision"] == "day"
               and "United States government" in r["initiators"] for r in us), rows
    assert all(r["event_type"].startswith("export_control_") for r in rows)
    assert [r["country"] for r in rows] == sorted(r["country"] for r in rows)


def test_actor_events_lists_roles_and_counterparts(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "actor_events.sql")  # default actor: us-government
    easing = [r for r in rows if (r["event_type"], r["event_date"]) == ("export_control_eased", DECEMBER_8)]
    assert easing and easing[0]["role"] == "initiator"
    assert "NVIDIA (target)" in easing[0]["counterparts"]
    assert "Chinese government (target)" in easing[0]["counterparts"]
    con.execute("SET VARIABLE actor_id = 'nvidia'")
    rows = run(con, "actor_events.sql")
    easing = [r for r in rows if (r["event_type"], r["event_date"]) == ("export_control_eased", DECEMBER_8)]
    assert easing and easing[0]["role"] == "target"
    assert "United States government (initiator)" in easing[0]["counterparts"]


def test_open_forecasts_by_horizon_and_forecaster(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "open_forecasts.sql")
    trendforce_2026 = [r for r in rows if r["forecaster"] == "TrendForce" and r["horizon_year"] == 2026]
    assert len(trendforce_2026) >= 3
    growth = [r for r in trendforce_2026 if r["metric"] == "market_growth"]
    assert [(g["comparator"], g["value_low"], g["unit"]) for g in growth] == [(">", 60, "percent")]
    shares = sorted(r["value_low"] for r in trendforce_2026 if r["metric"] == "market_share")
    assert shares == [30, 50]
    keys = [(r["horizon_year"] or 9999, r["forecaster"]) for r in rows]
    assert keys == sorted(keys)


def test_most_reported_events_come_first(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "most_reported_events.sql")
    assert [r["reports"] for r in rows] == sorted((r["reports"] for r in rows), reverse=True)
    total = con.execute("SELECT count(*) FROM event_reports").fetchone()[0]
    assert sum(r["reports"] for r in rows) == total
    easing = next(r for r in rows if r["event_type"] == "export_control_eased")
    assert easing["reports"] >= 2 and easing["publishers"] == "TrendForce News"
    assert easing["first_published"] == dt.date(2025, 12, 10)
    assert (easing["documents"], easing["sources"]) == (1, 1)  # the seeds are one article


def test_events_by_independent_sources_ranks_by_n_sources(con: duckdb.DuckDBPyConnection) -> None:
    rows = run(con, "events_by_independent_sources.sql")
    assert len(rows) == con.execute("SELECT count(*) FROM events").fetchone()[0]
    keys = [(-r["n_sources"], -r["n_documents"]) for r in rows]
    assert keys == sorted(keys)
    assert all(r["publishers"] == "TrendForce News" and r["first_reported_date"] == dt.date(2025, 12, 10)
               for r in rows)
