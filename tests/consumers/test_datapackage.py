"""datapackage.json: a Frictionless Data Package derived from the schemas, valid against the real release.

The real validator (``frictionless validate``, the command a user runs) checks the whole package: every
row of every table, list columns included, types, constraints, primary and foreign keys, and every file's
size and sha256.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pyarrow.parquet as pq

from pipeline.defs.checks import REFERENCES
from schemas import vocabularies
from schemas.describe import foreign_keys
from schemas.tables import TABLE_MODELS


def _descriptor(release: Path) -> dict:
    return json.loads((release / "datapackage.json").read_text(encoding="utf-8"))


def test_descriptor_is_a_valid_data_package(seed_release: Path) -> None:
    report = frictionless.Package.validate_descriptor(str(seed_release / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    descriptor = _descriptor(seed_release)
    manifest = json.loads((seed_release / "release.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == manifest["release_version"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"] == [{"title": "TrendForce News (1 article, listed in documents.parquet)"}]
    assert [r["name"] for r in descriptor["resources"]] == list(TABLE_MODELS)
    for resource in descriptor["resources"]:
        assert (seed_release / resource["path"]).is_file()


def test_fields_keys_and_vocabularies_come_from_the_schemas(seed_release: Path) -> None:
    resources = {r["name"]: r["schema"] for r in _descriptor(seed_release)["resources"]}
    events = {f["name"]: f for f in resources["events"]["fields"]}
    assert events["event_type"]["constraints"]["enum"] == list(vocabularies.EVENT_TYPES)
    assert events["event_date"]["type"] == "date"
    assert "required" not in events["event_date"].get("constraints", {})
    assert events["event_id"]["constraints"] == {"required": True, "unique": True, "pattern": "[0-9a-f]{16}"}
    assert events["summary"]["description"] == "One short line."
    forecasts = {f["name"]: f for f in resources["forecasts"]["fields"]}
    assert forecasts["comparator"]["constraints"]["enum"] == list(vocabularies.COMPARATORS)
    assert forecasts["value_low"]["type"] == "number"
    assert forecasts["observed_value"]["type"] == "number"
    assert {f["name"]: f["type"] for f in resources["actors"]["fields"]}["aliases"] == "array"
    assert resources["forecasts"]["primaryKey"] == ["forecast_id"]
    assert resources["event_reports"]["primaryKey"] == ["event_id", "doc_id", "char_start"]
    assert "primaryKey" not in resources["quarantine"]
    declared = {(table, fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
                for table, schema in resources.items() for fk in schema.get("foreignKeys", [])}
    assert declared == set(REFERENCES)  # the same links the references_resolve check follows
    assert {(t, k.column, k.table, k.key) for t in TABLE_MODELS for k in foreign_keys(t)} == set(REFERENCES)


def validate(release: Path) -> tuple[int, dict]:
    """``frictionless validate --json`` on the release's datapackage.json: (exit code, report)."""
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             str(release / "datapackage.json")], capture_output=True, text=True, timeout=300)
    return result.returncode, json.loads(result.stdout)


def errors(report: dict) -> list[tuple[str, str, str]]:
    return [(task["name"], error["type"], error.get("note", "")) for task in report["tasks"]
            for error in task["errors"]]


def test_frictionless_validates_the_whole_package(seed_release: Path) -> None:
    code, report = validate(seed_release)
    assert code == 0 and report["valid"], errors(report)[:10]
    rows = {task["name"]: task["stats"].get("rows", 0) for task in report["tasks"]}
    assert rows == {table: pq.read_metadata(seed_release / f"{table}.parquet").num_rows for table in TABLE_MODELS}
    assert rows["actors"] > 0


def test_frictionless_reports_a_broken_foreign_key_and_a_changed_file(seed_release: Path, tmp_path: Path) -> None:
    broken = tmp_path / "release"
    shutil.copytree(seed_release, broken)
    path = broken / "event_actors.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("actor_id")] = "no-such-actor"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    code, report = validate(broken)
    assert code == 1 and not report["valid"]
    found = {(name, kind) for name, kind, _ in errors(report)}
    assert ("event_actors", "foreign-key") in found and ("event_actors", "hash-count") in found, found
    assert {name for name, _ in found} == {"event_actors"}
