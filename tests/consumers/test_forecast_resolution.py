"""resolutions.yaml resolves forecasts whose horizon has passed; mistakes are named by their line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.cli import run_build, summary
from pipeline.release import resolutions
from pipeline.release.resolutions import ENV_VAR, ResolutionError, apply_resolutions, is_hit
from schemas.derive import frame, validate
from tests.conftest import SEEDS

TODAY = dt.date(2028, 6, 1)


def forecast(forecast_id: str, forecaster: str | None, target: str, comparator: str, low: float | None,
             high: float | None, horizon_year: int | None = 2026) -> dict:
    return {"forecast_id": forecast_id, "doc_id": "5fbff517701d8f76", "forecaster_actor_id": forecaster,
            "subject_actor_id": None, "target": target, "metric": "market_share", "value_low": low,
            "value_high": high, "unit": "percent", "comparator": comparator,
            "horizon_start": pd.Timestamp(f"{horizon_year}-01-01") if horizon_year else pd.NaT,
            "horizon_end": pd.Timestamp(f"{horizon_year}-12-31") if horizon_year else pd.NaT,
            "issued_date": pd.Timestamp("2025-12-10"), "hedge": "projected", "evidence_text": target,
            "char_start": 0, "char_end": len(target), "resolution_status": "open",
            "matching_observations": 0, "resolution_conflict": False, "rule": "forecast.cue.named", "confidence": 0.9}


@pytest.fixture()
def forecasts() -> pd.DataFrame:
    return validate("forecasts", frame("forecasts", [
        forecast("00000000000000a1", "trendforce", "China high-end AI chip market growth", ">", 60, None),
        forecast("00000000000000a2", "trendforce", "domestic chips' market share", "~", 50, 50),
        forecast("00000000000000a3", "trendforce", "imported chips' market share", "~", 30, 30),
        forecast("00000000000000a4", "us-government", "Huawei Ascend output", "=", 2e6, 9e6, 2025),
        forecast("00000000000000a5", "idc", "AI server shipments", "<", None, 5, None),
    ]))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "resolutions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# Examples of how an observed value meets a forecast, from the contract's comparators.
HITS = [
    pytest.param("=", 200_000, 200_000, 200_000, None, True, id="point-equal"),
    pytest.param("=", 200_000, 200_000, 230_000, None, False, id="point-missed"),
    pytest.param("=", -6, -4, -5, None, True, id="decline-range"),
    pytest.param("=", 10, 10, 11, 1, True, id="tolerance-widens"),
    pytest.param("~", 50, 50, 54, None, True, id="about-within-10pct"),
    pytest.param("~", 50, 50, 56, None, False, id="about-beyond-10pct"),
    pytest.param("~", 2e6, 9e6, 1.9e6, None, True, id="about-range"),
    pytest.param(">", 60, None, 64, None, True, id="over-60"),
    pytest.param(">", 60, None, 60, None, False, id="over-is-strict"),
    pytest.param(">=", 60, None, 60, None, True, id="at-least"),
    pytest.param(">", 60, None, 59, 2, True, id="over-with-tolerance"),
    pytest.param("<", None, 5, 4, None, True, id="under"),
    pytest.param("<", None, 5, 5, None, False, id="under-is-strict"),
    pytest.param("<=", None, 5, 5, None, True, id="at-most"),
]


@pytest.mark.parametrize(("comparator", "low", "high", "observed", "tolerance", "hit"), HITS)
def test_is_hit(comparator: str, low, high, observed: float, tolerance, hit: bool) -> None:
    assert is_hit(comparator, low, high, observed, tolerance) is hit


def test_entries_by_id_and_by_match_resolve_forecasts(forecasts: pd.DataFrame, tmp_path: Path) -> None:
    path = write(tmp_path, """\
- forecast_id: 00000000000000a4
  observed_value: 2.5e6
  observed_on: 2026-03-01
  source: https://example.org/ascend-2025
- match:
    forecaster_actor_id: trendforce
    target_contains: MARKET SHARE
    horizon_year: 2026
  observed_value: 47
  observed_on: 2027-02-01
  source: "TrendForce, China AI chip review 2026"
""")
    out = validate("forecasts", apply_resolutions(forecasts, path, today=TODAY)).set_index("forecast_id")
    assert out.loc["00000000000000a4", "resolution_status"] == "resolved_true"
    assert out.loc["00000000000000a4", "observed_value"] == 2_500_000
    assert out.loc["00000000000000a4", "observed_date"] == pd.Timestamp("2026-03-01")
    assert out.loc["00000000000000a4", "resolution_source"] == "https://example.org/ascend-2025"
    assert out.loc["00000000000000a2", "resolution_status"] == "resolved_true"   # ~50, 47 is within 10%
    assert out.loc["00000000000000a3", "resolution_status"] == "resolved_false"  # ~30
    assert out.loc["00000000000000a3", "resolution_source"] == "TrendForce, China AI chip review 2026"
    assert out.loc["00000000000000a1", "resolution_status"] == "open"
    assert pd.isna(out.loc["00000000000000a1", "observed_value"])


# Each file has one mistake; the error names the file's line where it is.
MISTAKES = [
    pytest.param("- forecast_id: ffffffffffffffff\n  observed_value: 1\n  observed_on: 2026-03-01\n"
                 "  source: x\n", 1, "unknown forecast id 'ffffffffffffffff'", id="unknown-id"),
    pytest.param("- forecast_id: 00000000000000a4\n  observed_value: 1\n  observed_on: 2026-03-01\n"
                 "  source: x\n  sourse: y\n", 5, "unknown key 'sourse'", id="unknown-key"),
    pytest.param("- forecast_id: 00000000000000a4\n  observed_value: lots\n  observed_on: 2026-03-01\n"
                 "  source: x\n", 2, "observed_value must be a number", id="value-not-a-number"),
    pytest.param("- forecast_id: 00000000000000a4\n  observed_value: 1\n  observed_on: March 2026\n"
                 "  source: x\n", 3, "observed_on must be a date", id="date-not-a-date"),
    pytest.param("\n- forecast_id: 00000000000000a4\n  observed_value: 1\n  source: x\n", 2,
                 "a resolution needs observed_on", id="missing-date"),
    pytest.param("- observed_value: 1\n  observed_on: 2026-03-01\n  source: x\n", 1,
                 "exactly one of forecast_id or match", id="no-target"),
    pytest.param("- match: {forecaster_actor_id: trendforce, target_contains: share}\n  observed_value: 1\n"
                 "  observed_on: 2028-01-01\n  source: x\n", 1, "match lacks horizon_year", id="match-incomplete"),
    pytest.param("- match: {forecaster_actor_id: gartner, target_contains: share, horizon_year: 2026}\n"
                 "  observed_value: 1\n  observed_on: 2028-01-01\n  source: x\n", 1,
                 "no forecast by 'gartner'", id="match-finds-nothing"),
    pytest.param("- forecast_id: 00000000000000a1\n  observed_value: 70\n  observed_on: 2026-06-30\n"
                 "  source: x\n", 1, "ends 2026-12-31, not before observed_on 2026-06-30", id="horizon-not-passed"),
    pytest.param("- forecast_id: 00000000000000a4\n  observed_value: 1\n  observed_on: 2029-01-01\n"
                 "  source: x\n", 1, "is in the future", id="observed-in-the-future"),
    pytest.param("- forecast_id: 00000000000000a5\n  observed_value: 1\n  observed_on: 2027-01-01\n"
                 "  source: x\n", 1, "names no horizon", id="no-horizon"),
    pytest.param("- forecast_id: 00000000000000a4\n  observed_value: 1\n  observed_on: 2026-03-01\n  source: x\n"
                 "- match: {forecaster_actor_id: us-government, target_contains: huawei, horizon_year: 2025}\n"
                 "  observed_value: 1\n  observed_on: 2026-03-01\n  source: x\n", 5,
                 "already resolved by line 1", id="resolved-twice"),
    pytest.param("forecast_id: 00000000000000a4\n", 1, "must be a list of resolutions", id="not-a-list"),
    pytest.param("- forecast_id: [unclosed\n  observed_value: 1\n", 2, "not valid YAML", id="bad-yaml"),
]


@pytest.mark.parametrize(("text", "line", "message"), MISTAKES)
def test_mistakes_are_named_by_line(forecasts: pd.DataFrame, tmp_path: Path, text: str, line: int,
                                    message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ResolutionError) as raised:
        apply_resolutions(forecasts, path, today=TODAY)
    first = str(raised.value).splitlines()[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert message in first


def test_every_problem_is_listed(forecasts: pd.DataFrame, tmp_path: Path) -> None:
    text = ("- forecast_id: 1111111111111111\n  observed_value: 1\n  observed_on: 2026-03-01\n  source: x\n"
            "- forecast_id: 2222222222222222\n  observed_value: 1\n  observed_on: 2026-03-01\n  source: x\n")
    with pytest.raises(ResolutionError, match=r"\(and 1 more problem\(s\)\)") as raised:
        resolutions.resolve(forecasts, resolutions.parse_resolutions(text, Path("r.yaml")), Path("r.yaml"),
                            today=TODAY)
    assert "r.yaml:5: unknown forecast id '2222222222222222'" in str(raised.value).splitlines()


def test_an_entry_naming_a_forecast_curation_dropped_resolves_nothing(forecasts: pd.DataFrame) -> None:
    text = "- forecast_id: 1111111111111111\n  observed_value: 1\n  observed_on: 2026-03-01\n  source: x\n"
    entries = resolutions.parse_resolutions(text, Path("r.yaml"))
    with pytest.raises(ResolutionError, match="unknown forecast id"):
        resolutions.resolve(forecasts, entries, Path("r.yaml"), today=TODAY)
    out = resolutions.resolve(forecasts, entries, Path("r.yaml"), today=TODAY,
                              dropped=frozenset({"1111111111111111"}))
    assert (out["resolution_status"] == "open").all()


def test_without_a_file_forecasts_stay_open(forecasts: pd.DataFrame, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr("pipeline.release.resolutions.DEFAULT_FILE", tmp_path / "resolutions.yaml")
    assert apply_resolutions(forecasts) is forecasts
    assert resolutions.parse_resolutions("", Path("empty.yaml")) == []
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere.yaml"))
    with pytest.raises(ResolutionError, match="elsewhere.yaml: resolutions file not found"):
        apply_resolutions(forecasts)


def passed_forecast(release: Path) -> pd.Series:
    """A forecast of the seed release whose horizon has passed (the 200,000 units of 2025)."""
    forecasts = pd.read_parquet(release / "forecasts.parquet")
    passed = forecasts[pd.to_datetime(forecasts["horizon_end"]) < pd.Timestamp("2026-01-15")]
    assert len(passed) >= 1, forecasts[["forecast_id", "target", "horizon_end"]]
    return passed.iloc[0]


def test_build_resolves_forecasts_and_records_the_change(seed_release: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = passed_forecast(seed_release)
    observed = float(chosen["value_high"])  # exactly the figure forecast: a hit for any comparator but < >
    outcomes = write(tmp_path, f"""\
# outcomes checked by hand
- forecast_id: {chosen['forecast_id']}
  observed_value: {observed}
  observed_on: 2026-01-15
  source: https://example.org/observed
""")
    output = tmp_path / "release"
    shutil.copytree(seed_release, output)  # the previous release, replaced by the build
    monkeypatch.setenv(ENV_VAR, str(outcomes))
    result = run_build(SEEDS, output)
    assert result.success
    forecasts = pd.read_parquet(output / "forecasts.parquet").set_index("forecast_id")
    row = forecasts.loc[chosen["forecast_id"]]
    expected = "resolved_true" if is_hit(row["comparator"], row["value_low"], row["value_high"], observed) \
        else "resolved_false"
    assert (row["resolution_status"], row["observed_value"]) == (expected, observed)
    assert row["resolution_source"] == "https://example.org/observed"
    changes = (output / "CHANGES.md").read_text(encoding="utf-8")
    assert "| forecasts | forecast_id | 0 | 0 | 1 |" in changes
    assert f"`{chosen['forecast_id']}`: resolution_status open -> {expected}" in changes
    con = duckdb.connect(str(output / "dataset.duckdb"), read_only=True)
    record = con.execute("SELECT forecasts_made, resolved, resolved_true, hit_rate FROM forecaster_track_record "
                         "WHERE forecaster_actor_id = ?", [chosen["forecaster_actor_id"]]).fetchone()
    con.close()
    made = int((forecasts["forecaster_actor_id"] == chosen["forecaster_actor_id"]).sum())
    hits = int(expected == "resolved_true")
    assert record == (made, 1, hits, float(hits))


def test_a_bad_resolutions_file_fails_the_build_and_names_the_line(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = write(tmp_path, "# outcomes\n- forecast_id: ffffffffffffffff\n  observed_value: 1\n"
                                  "  observed_on: 2026-01-15\n  source: x\n")
    monkeypatch.setenv(ENV_VAR, str(outcomes))
    output = tmp_path / "release"
    result = run_build(SEEDS, output)
    text, ok = summary(result, output, 0.0)
    assert not ok and not output.exists()
    assert f"{outcomes}:2: unknown forecast id 'ffffffffffffffff'" in text
