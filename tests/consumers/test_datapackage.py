"""datapackage.json: a Frictionless Data Package derived from the schemas, valid against the real release.

Frictionless 5 reads Parquet itself (through pyarrow and pandas), but hands a
list column to its ``array`` type as a numpy array, which that type rejects.
So the release is checked three ways: the descriptor against the Data Package
profile; every resource without a list column read by Frictionless from its
Parquet file; and the whole package (every row of every table, types,
constraints, primary and foreign keys) with the rows read from the Parquet
files by pyarrow.
"""

from __future__ import annotations

import json
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


def test_frictionless_reads_and_validates_the_parquet_files(seed_release: Path) -> None:
    package = frictionless.Package(str(seed_release / "datapackage.json"))
    checked = 0
    for resource in package.resources:
        if any(field.type == "array" for field in resource.schema.fields):
            continue  # numpy arrays from Frictionless's Parquet reader: see the module docstring
        report = resource.validate()
        assert report.valid, (resource.name, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        assert report.task.stats.get("rows", 0) == pq.read_metadata(seed_release / resource.path).num_rows
        checked += 1
    assert checked == len(package.resources) - 1


def test_every_row_satisfies_the_package_schemas_and_keys(seed_release: Path) -> None:
    package = frictionless.Package(str(seed_release / "datapackage.json"))
    resources = []
    for resource in package.resources:
        table = pq.read_table(seed_release / resource.path)
        rows = [table.column_names] + [list(row.values()) for row in table.to_pylist()]
        resources.append(frictionless.Resource(name=resource.name, data=rows, schema=resource.schema))
    report = frictionless.Package(resources=resources).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats.get("rows", 0) for task in report.tasks}
    assert rows["actors"] == pq.read_metadata(seed_release / "actors.parquet").num_rows > 0


def test_frictionless_reports_a_broken_foreign_key(seed_release: Path) -> None:
    package = frictionless.Package(str(seed_release / "datapackage.json"))
    resources = []
    for resource in package.resources:
        table = pq.read_table(seed_release / resource.path)
        rows = [table.column_names] + [list(row.values()) for row in table.to_pylist()]
        if resource.name == "event_actors":
            rows[1][rows[0].index("actor_id")] = "no-such-actor"
        resources.append(frictionless.Resource(name=resource.name, data=rows, schema=resource.schema))
    report = frictionless.Package(resources=resources).validate()
    assert not report.valid
    assert {error[1] for error in report.flatten(["resourceName", "type"])} == {"foreign-key"}
