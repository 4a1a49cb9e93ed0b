"""Release diffs: rows added, removed and changed by key, as text, as JSON and as CHANGES.md in a release."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.release.diff import diff_releases, to_markdown
from pipeline.release.writer import write_release
from schemas.derive import validate
from schemas.tables import TABLE_MODELS


def read_tables(release: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in TABLE_MODELS:
        df = pq.read_table(release / f"{name}.parquet").to_pandas()
        if name == "actors":
            df["aliases"] = df["aliases"].map(list)
        tables[name] = validate(name, df)
    return tables


def edited(seed_release: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The seed tables with one event summary changed, one forecast dropped, one actor and one problem added."""
    tables = read_tables(seed_release)
    events = tables["events"].copy()
    event_id = events.loc[0, "event_id"]
    events.loc[0, "summary"] = "A corrected summary"
    forecasts = tables["forecasts"]
    dropped = forecasts.iloc[-1]["forecast_id"]
    actors = pd.concat([tables["actors"], pd.DataFrame([{
        "actor_id": "zz-new-actor", "name": "New Actor", "actor_type": "company", "country": "US",
        "aliases": [], "wikidata_id": None, "in_registry": False}])], ignore_index=True)
    quarantine = pd.concat([tables["quarantine"], pd.DataFrame([{
        "source_path": "broken.txt", "line": None, "reason": "empty_file", "detail": "the file is empty"}])],
        ignore_index=True)
    tables.update(events=events, forecasts=forecasts.iloc[:-1], actors=validate("actors", actors),
                  quarantine=validate("quarantine", quarantine))
    return tables, {"event": event_id, "forecast": dropped}


def test_diff_by_key(seed_release: Path, tmp_path: Path) -> None:
    tables, ids = edited(seed_release)
    new = write_release(tables, tmp_path / "new", sources=[]).path
    diff = {t.table: t for t in diff_releases(seed_release, new).tables}
    assert [c["key"] for c in diff["events"].changed] == [{"event_id": ids["event"]}]
    assert diff["events"].changed[0]["changes"]["summary"]["new"] == "A corrected summary"
    assert [r["forecast_id"] for r in diff["forecasts"].removed] == [ids["forecast"]]
    assert [r["actor_id"] for r in diff["actors"].added] == ["zz-new-actor"]
    assert diff["quarantine"].key == ["source_path", "line", "reason", "detail"]
    assert [r["source_path"] for r in diff["quarantine"].added] == ["broken.txt"]
    assert diff["actor_mentions"].key == ["doc_id", "char_start", "char_end"] and diff["actor_mentions"].empty
    assert diff["event_actors"].empty and diff["documents"].empty


def test_release_writes_changes_against_the_release_it_replaces(seed_release: Path, tmp_path: Path) -> None:
    output = tmp_path / "release"
    shutil.copytree(seed_release, output)
    old_version = json.loads((output / "release.json").read_text())["release_version"]
    tables, ids = edited(seed_release)
    info = write_release(tables, output, sources=[])
    changes = (output / "CHANGES.md").read_text(encoding="utf-8")
    assert changes.startswith(f"# Changes from {old_version} to {info.version}\n")
    assert "| events | event_id | 0 | 0 | 1 |" in changes
    assert "| forecasts | forecast_id | 0 | 1 | 0 |" in changes
    assert "| actors | actor_id | 1 | 0 | 0 |" in changes
    assert f"- `{ids['event']}`: summary " in changes and "-> A corrected summary" in changes
    assert "- `zz-new-actor`: New Actor" in changes
    manifest = json.loads((output / "release.json").read_text())
    assert {"CHANGES.md", "datapackage.json", "index.html", "dataset.duckdb"} <= set(manifest["files"])
    # Built again from the same tables: nothing changed.
    write_release(tables, output, sources=[])
    assert "No rows added, removed or changed." in (output / "CHANGES.md").read_text(encoding="utf-8")


def test_a_first_release_has_no_changes_file(seed_release: Path) -> None:
    assert not (seed_release / "CHANGES.md").exists()
    assert "CHANGES.md" not in json.loads((seed_release / "release.json").read_text())["files"]


def test_diff_command_text_and_json(seed_release: Path, tmp_path: Path, capsys) -> None:
    tables, ids = edited(seed_release)
    new = write_release(tables, tmp_path / "new", sources=[]).path
    assert main(["diff", str(seed_release), str(new)]) == 0
    text = capsys.readouterr().out
    assert text == to_markdown(diff_releases(seed_release, new))
    assert f"- `{ids['forecast']}`: " in text
    assert main(["diff", str(seed_release), str(new), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["new_version"] == json.loads((new / "release.json").read_text())["release_version"]
    assert data["tables"]["forecasts"]["removed"][0]["forecast_id"] == ids["forecast"]
    assert data["tables"]["events"]["changed"][0]["changes"]["summary"]["new"] == "A corrected summary"
    assert data["tables"]["actors"]["added"][0]["aliases"] == []
    assert main(["diff", str(seed_release), str(tmp_path / "missing")]) == 2
