"""A row that fails its schema goes to quarantine, the rest of the release builds; --strict fails the build.

The unit tests feed real frames to ``split_valid`` / ``validate_tables``; the
build tests make the real forecast extractor return impossible rows beside
its own and look at the Parquet files and the database that come out.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import pipeline.extraction
from pipeline.cli import run_build, summary
from pipeline.forecasts.model import ForecastRecord
from pipeline.release import validation
from pipeline.release.lock import lock_path
from pipeline.release.validation import ValidationFailed, split_valid, validate_tables
from pipeline.release.writer import MANIFEST, sha256_file
from schemas.derive import frame
from tests.robustness.corpus import write_dev

FORECAST = {
    "forecast_id": "0000000000000000", "doc_id": "d000000000000001", "forecaster_actor_id": None,
    "subject_actor_id": None, "target": "AI chip market growth", "metric": "market_growth", "value_low": 10.0,
    "value_high": 20.0, "unit": "percent", "comparator": "=", "horizon_start": pd.NaT, "horizon_end": pd.NaT,
    "issued_date": pd.NaT, "hedge": None, "evidence_text": "It will grow.", "char_start": 0, "char_end": 13,
    "resolution_status": "open", "matching_observations": 0, "resolution_conflict": False,
    "rule": "forecast.cue.named", "confidence": 0.9,
}
BAD_FORECASTS = {
    "invalid_metric": ({"metric": "vibes"}, "metric failed isin"),
    "low_above_high": ({"value_low": 30.0, "value_high": 20.0}, "failed value_low_not_above_value_high"),
    "value_not_a_number": ({"value_low": "lots"}, "value_low failed coerce_dtype"),
    "bad_id": ({"forecast_id": "not-hex"}, "forecast_id failed str_matches"),
    "negative_offset": ({"char_start": -5}, "char_start failed greater_than_or_equal_to"),
    "unknown_comparator": ({"comparator": "≈"}, "comparator failed isin"),
}


def forecasts(bad: dict) -> pd.DataFrame:
    rows = [dict(FORECAST, forecast_id=f"{i:016x}", char_start=i) for i in range(4)]
    rows[2].update(bad)
    return frame("forecasts", rows)


@pytest.mark.parametrize(("bad", "message"), list(BAD_FORECASTS.values()), ids=list(BAD_FORECASTS))
def test_a_failing_row_is_set_aside_with_its_failure(bad: dict, message: str) -> None:
    valid, rejected = split_valid("forecasts", forecasts(bad))
    assert len(valid) == 3 and "0000000000000002" not in set(valid.forecast_id)
    (row,) = rejected
    assert (row["source_path"], row["reason"]) == ("table:forecasts", "schema_failure")
    assert message in row["detail"] and "doc_id=d000000000000001" in row["detail"]


@pytest.mark.parametrize(("bad", "message"), list(BAD_FORECASTS.values()), ids=list(BAD_FORECASTS))
def test_strict_fails_on_the_same_row(bad: dict, message: str) -> None:
    with pytest.raises(ValidationFailed, match=r"forecasts: 1 row\(s\) fail the schema") as failed:
        split_valid("forecasts", forecasts(bad), strict=True)
    assert message in str(failed.value)


def test_a_failure_no_row_is_to_blame_for_fails_even_when_not_strict() -> None:
    df = forecasts({}).assign(surprise=1)
    with pytest.raises(ValidationFailed, match="as a whole"):
        split_valid("forecasts", df)


def test_rows_that_refer_to_a_rejected_row_go_with_it() -> None:
    event = {"event_type": "tariff_change", "summary": "s", "event_date": pd.NaT, "date_precision": "unknown",
             "status": "reported", "n_documents": 1, "n_sources": 1}
    tables = {
        "events": frame("events", [dict(event, event_id="e000000000000001"),
                                   dict(event, event_id="e000000000000002", event_type="gossip")]),
        "event_actors": frame("event_actors", [{"event_id": f"e00000000000000{i}", "actor_id": "huawei",
                                                "role": "target"} for i in (1, 2)]),
    }
    valid, rejected = validate_tables(tables)
    assert list(valid["events"].event_id) == ["e000000000000001"]
    assert list(valid["event_actors"].event_id) == ["e000000000000001"]
    assert [r["reason"] for r in rejected] == ["schema_failure", "depends_on_rejected_row"]
    assert "event_id=e000000000000002" in rejected[1]["detail"]


@pytest.mark.parametrize(("bad", "message"), list(BAD_FORECASTS.values()), ids=list(BAD_FORECASTS))
def test_with_a_memo_rows_seen_to_pass_are_not_validated_again(bad: dict, message: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The first build validates every row and remembers those that passed; the next validates only the
    rows it has not seen (a failing row is never remembered) and gives the same tables and quarantine."""
    df = forecasts(bad)
    expected = split_valid("forecasts", df)
    first = validate_tables({"forecasts": df}, memo=tmp_path)
    pd.testing.assert_frame_equal(first[0]["forecasts"], expected[0])
    assert first[1] == expected[1]

    seen = []
    real = validation.validate
    monkeypatch.setattr(validation, "validate", lambda table, frame: seen.append(len(frame)) or real(table, frame))
    more = pd.concat([df, forecasts({}).iloc[[0]].assign(forecast_id="00000000000000ff")], ignore_index=True)
    valid, rejected = validate_tables({"forecasts": more}, memo=tmp_path)
    assert seen[0] == 2  # the row that failed, and the new one
    pd.testing.assert_frame_equal(valid["forecasts"], split_valid("forecasts", more)[0])
    assert rejected == expected[1] and message in rejected[0]["detail"]


# ---------------------------------------------------------------- real builds


def with_impossible_forecasts(real):
    """The real extractor plus, per document, a forecast of an unknown metric and one of low > high."""
    def extract(context):
        found, refused = real(context)
        body = context.document.body
        model = found[0] if found else ForecastRecord(None, None, "chip output", "production_volume", 1.0, 1.0,
                                                      "units", "=", None, None, None, None, body[:10], 0, 10, 0, 1)
        found += [dataclasses.replace(model, metric="vibes", char_start=0, char_end=10, evidence_text=body[:10]),
                  dataclasses.replace(model, value_low=9e9, value_high=1.0, char_start=1, char_end=11,
                                      evidence_text=body[1:11])]
        return found, refused
    return extract


def release_is_whole(release: Path) -> dict:
    """The manifest of a release whose files match their checksums and whose database opens."""
    manifest = json.loads((release / MANIFEST).read_text())
    for name, entry in manifest["files"].items():
        assert sha256_file(release / name) == entry["sha256"], name
    with duckdb.connect(str(release / "dataset.duckdb"), read_only=True) as con:
        for table, count in manifest["row_counts"].items():
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count
    return manifest


def test_impossible_rows_are_quarantined_and_strict_fails_leaving_the_release(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources, release = tmp_path / "sources", tmp_path / "release"
    write_dev(sources, ["dev-01.txt", "dev-05.txt"])
    monkeypatch.setattr(pipeline.extraction, "extract_forecasts",
                        with_impossible_forecasts(pipeline.extraction.extract_forecasts))

    result = run_build(sources, release)
    assert result.success
    manifest = release_is_whole(release)
    quarantine = pd.read_parquet(release / "quarantine.parquet")
    rejected = quarantine[quarantine.source_path == "table:forecasts"]
    assert len(rejected) == 4 and set(rejected.reason) == {"schema_failure"}
    assert rejected.detail.str.contains("metric failed isin").sum() == 2
    assert rejected.detail.str.contains("value_low_not_above_value_high").sum() == 2
    written = pd.read_parquet(release / "forecasts.parquet")
    assert len(written) > 0 and set(written.metric) != {"vibes"}
    assert (written.value_low.isna() | written.value_high.isna() | (written.value_low <= written.value_high)).all()
    assert manifest["row_counts"]["documents"] == 2
    assert "table:forecasts: schema_failure" in summary(result, release, 1.0)[0]

    before = {path.name: path.read_bytes() for path in release.iterdir()}
    strict = run_build(sources, release, strict=True)
    assert not strict.success
    text, ok = summary(strict, release, 1.0)
    assert not ok and "ValidationFailed" in text and "forecasts" in text
    assert {path.name: path.read_bytes() for path in release.iterdir()} == before
    release_is_whole(release)
    assert not [p for p in tmp_path.glob(".release.*") if p != lock_path(release)]  # nothing half-built
