"""The CSV copy of each table holds what its Parquet file holds, read back as the data package types it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.release.csv_export import write_csv
from schemas.tables import TABLE_MODELS


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def test_every_csv_reads_back_as_its_parquet_file(seed_release: Path) -> None:
    package = frictionless.Package(str(seed_release / "datapackage.json"))
    for table in TABLE_MODELS:
        expected = pq.read_table(seed_release / f"{table}.parquet").to_pylist()
        resource = package.get_resource(table)
        assert resource.path == f"{table}.csv"
        rows = [{k: _plain(v) for k, v in row.items()} for row in resource.read_rows()]
        assert rows == expected, table


def test_lists_become_json_arrays_and_nulls_empty_fields(tmp_path: Path) -> None:
    table = pa.table({
        "name": pa.array(["Taipei", None]),
        "aliases": pa.array([["台北", 'the "capital"'], []], pa.list_(pa.string())),
        "day": pa.array([dt.date(2026, 3, 1), None], pa.date32()),
        "value": pa.array([2.5, None]),
    })
    [path] = write_csv({"places": table}, tmp_path)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["name", "aliases", "day", "value"],
                    ["Taipei", '["台北", "the \\"capital\\""]', "2026-03-01", "2.5"],
                    ["", "[]", "", ""]]
    assert json.loads(rows[1][1]) == ["台北", 'the "capital"']
    assert path.read_text(encoding="utf-8").splitlines()[2] == ',"[]",,'  # a null: an empty field
