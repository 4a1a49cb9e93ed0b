"""Forecasts resolve themselves: a later article's reported actual settles a forecast, in a real build.

Each corpus is two articles written for this test, built into a release by the CLI's code path; the
assertions read the release's Parquet files and its DuckDB database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.cli import run_build
from pipeline.release.observed import market_key, matching_observations, resolve_by_observations

FORECAST = ("TrendForce expects TSMC's 2025 capital spending to reach US$38-42 billion as the foundry adds "
            "advanced packaging lines.")
RESULT = "TSMC's capital expenditure for 2025 came in at US${value} billion, the company said on Thursday."


def article(folder: Path, name: str, published: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"---\ntitle: {name}\npublisher: Test Wire\npublished: {published}\n---\n{body}\n",
                               encoding="utf-8")


def build(tmp_path: Path, result_value: str, result_published: str, forecast_published: str = "2024-11-05"
          ) -> tuple[Path, dict[str, pd.DataFrame]]:
    sources, output = tmp_path / "sources", tmp_path / "release"
    article(sources, "forecast.txt", forecast_published, FORECAST)
    article(sources, "results.txt", result_published, RESULT.format(value=result_value))
    assert run_build(sources, output).success
    names = ("documents", "forecasts", "observations")
    return output, {name: pd.read_parquet(output / f"{name}.parquet") for name in names}


def doc_id_of(tables: dict[str, pd.DataFrame], path: str) -> str:
    documents = tables["documents"]
    return documents.loc[documents["source_path"] == path, "doc_id"].item()


def capex_forecast(tables: dict[str, pd.DataFrame]) -> pd.Series:
    forecasts = tables["forecasts"]
    chosen = forecasts[(forecasts["metric"] == "capex") & (forecasts["subject_actor_id"] == "tsmc")]
    assert len(chosen) == 1, forecasts[["target", "metric", "subject_actor_id"]]
    return chosen.iloc[0]


def test_a_later_result_within_range_resolves_the_forecast_true(tmp_path: Path) -> None:
    output, tables = build(tmp_path, "40.9", "2026-01-15")
    observations = tables["observations"]
    results_doc = doc_id_of(tables, "results.txt")
    row = observations[observations["doc_id"] == results_doc]
    assert len(row) == 1
    seen = row.iloc[0]
    assert (seen["subject_actor_id"], seen["metric"], seen["value"], seen["unit"]) == ("tsmc", "capex", 40.9e9, "usd")
    assert (seen["period_start"], seen["period_end"]) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    forecast = capex_forecast(tables)
    assert forecast["forecaster_actor_id"] == "trendforce"
    assert forecast["resolution_status"] == "resolved_true"
    assert forecast["resolution_method"] == "observation"
    assert forecast["observed_value"] == 40.9e9
    assert forecast["observed_date"] == dt.date(2026, 1, 15)
    assert forecast["resolution_source"] == f"{results_doc}:{seen['char_start']}-{seen['char_end']}"
    assert forecast["resolution_observation_id"] == seen["observation_id"]
    with duckdb.connect(str(output / "dataset.duckdb"), read_only=True) as con:
        scores = con.execute("SELECT forecasts_made, resolved, resolved_true, hit_rate, median_abs_pct_error, "
                             "mean_signed_pct_error FROM forecaster_scores WHERE forecaster_actor_id = "
                             "'trendforce'").fetchall()
    assert len(scores) == 1
    made, resolved, true, hit_rate, median_error, signed_error = scores[0]
    assert (made, resolved, true, hit_rate) == (1, 1, 1, 1.0)
    # The forecast's middle, US$40 billion, is 2.2% under the US$40.9 billion observed.
    assert median_error == pytest.approx(0.9 / 40.9 * 100)
    assert signed_error == pytest.approx(-0.9 / 40.9 * 100)
    page = (output / "index.html").read_text(encoding="utf-8")
    assert 'id="forecaster-scores"' in page and "came in at US$40.9 billion" in page


def test_a_later_result_out_of_range_resolves_the_forecast_false(tmp_path: Path) -> None:
    _, tables = build(tmp_path, "45", "2026-01-15")
    forecast = capex_forecast(tables)
    assert forecast["resolution_status"] == "resolved_false"
    assert forecast["observed_value"] == 45e9
    assert forecast["resolution_source"].startswith(doc_id_of(tables, "results.txt") + ":")


def test_forecasts_as_of_a_day_before_the_result_shows_the_forecast_open(tmp_path: Path) -> None:
    output, _ = build(tmp_path, "40.9", "2026-01-15")
    query = ("SELECT resolution_status, observed_value, resolution_method, resolution_observation_id, "
             "matching_observations, resolution_conflict FROM forecasts_as_of(DATE '{day}') WHERE metric = 'capex'")
    with duckdb.connect(str(output / "dataset.duckdb"), read_only=True) as con:
        before = con.execute(query.format(day="2026-01-14")).fetchall()
        after = con.execute(query.format(day="2026-01-15")).fetchall()
    assert before == [("open", None, None, None, 0, False)]
    assert after[0][:3] == ("resolved_true", 40.9e9, "observation") and after[0][4] == 1


def test_an_observation_published_before_the_forecast_never_resolves_it(tmp_path: Path) -> None:
    # The forecast of 2025 is issued late in 2025; the result was printed a fortnight before it.
    _, tables = build(tmp_path, "40.9", "2025-12-01", forecast_published="2025-12-15")
    assert len(tables["observations"]) == 1  # the figure is an observation all the same
    forecast = capex_forecast(tables)
    assert forecast["resolution_status"] == "open"
    assert pd.isna(forecast["resolution_method"]) and forecast["matching_observations"] == 0


# ---------------------------------------------------------------- matching, on frames


def forecasts_frame(**changes) -> pd.DataFrame:
    row = {"forecast_id": "00000000000000f1", "doc_id": "000000000000000a", "forecaster_actor_id": "idc",
           "subject_actor_id": None, "target": "Global smartphone shipments", "metric": "shipments",
           "value_low": -10.0, "value_high": -10.0, "unit": "percent", "comparator": "~",
           "horizon_start": pd.Timestamp("2025-01-01"), "horizon_end": pd.Timestamp("2025-12-31"),
           "issued_date": pd.Timestamp("2025-02-01"), "resolution_status": "open"}
    return pd.DataFrame([{**row, **changes}])


def observations_frame(*rows: dict) -> pd.DataFrame:
    base = {"subject_actor_id": None, "target": "global smartphone shipments in 2025", "metric": "shipments",
            "unit": "percent", "period_start": pd.Timestamp("2025-01-01"), "period_end": pd.Timestamp("2025-12-31"),
            "char_start": 0, "char_end": 40, "figure_start": 10}
    return pd.DataFrame([{**base, **row} for row in rows])


DOCUMENTS = pd.DataFrame({"doc_id": ["000000000000000b", "000000000000000c", "000000000000000d"],
                          "published_date": pd.to_datetime(["2026-01-10", "2026-02-10", "2025-01-10"])})


def test_a_market_is_matched_by_its_words_without_years() -> None:
    assert market_key("Global smartphone shipments in 2025") == market_key("global smartphone shipments")


@pytest.mark.parametrize(("changes", "matched"), [
    pytest.param({}, True, id="same-market-metric-period"),
    pytest.param({"metric": "revenue"}, False, id="other-metric"),
    pytest.param({"unit": "usd"}, False, id="other-unit"),
    pytest.param({"period_start": pd.Timestamp("2025-07-01")}, False, id="half-year-is-not-the-year"),
    pytest.param({"target": "global tablet shipments"}, False, id="other-market"),
    pytest.param({"subject_actor_id": "apple"}, False, id="a-company-is-not-the-market"),
    pytest.param({"doc_id": "000000000000000d"}, False, id="published-before-the-forecast"),
])
def test_what_an_observation_must_share_with_a_forecast(changes: dict, matched: bool) -> None:
    observations = observations_frame({"observation_id": "00000000000000b1", "doc_id": "000000000000000b",
                                       "value": -9.5, **changes})
    assert (len(matching_observations(forecasts_frame(), observations, DOCUMENTS)) == 1) is matched


@pytest.mark.parametrize("words", ["its share", "shipments"])
def test_words_that_name_no_market_match_nothing(words: str) -> None:
    observations = observations_frame({"observation_id": "00000000000000b1", "doc_id": "000000000000000b",
                                       "value": -9.5, "target": words})
    assert matching_observations(forecasts_frame(target=words), observations, DOCUMENTS).empty


def test_conflicting_observations_are_reported_not_averaged() -> None:
    agreeing = observations_frame(
        {"observation_id": "00000000000000b1", "doc_id": "000000000000000c", "value": -9.5},
        {"observation_id": "00000000000000b2", "doc_id": "000000000000000b", "value": -10.5})
    resolved = resolve_by_observations(forecasts_frame(), agreeing, DOCUMENTS).iloc[0]
    # Both meet "about 10%": the earlier article's value is the one recorded, and the disagreement is flagged.
    assert resolved["resolution_status"] == "resolved_true" and resolved["observed_value"] == -10.5
    assert resolved["matching_observations"] == 2 and resolved["resolution_conflict"]
    disagreeing = observations_frame(
        {"observation_id": "00000000000000b1", "doc_id": "000000000000000b", "value": -9.5},
        {"observation_id": "00000000000000b2", "doc_id": "000000000000000c", "value": -20.0})
    left_open = resolve_by_observations(forecasts_frame(), disagreeing, DOCUMENTS).iloc[0]
    assert left_open["resolution_status"] == "open" and left_open["resolution_conflict"]
    assert pd.isna(left_open["observed_value"])
