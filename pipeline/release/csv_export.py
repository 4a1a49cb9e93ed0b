"""``<table>.csv`` beside each Parquet file: the tables for spreadsheets, and the files ``datapackage.json``
describes (Frictionless reads CSV natively, list columns included; see :mod:`pipeline.release.datapackage`).

Written from the same Arrow tables as the Parquet files: UTF-8, a header row, fields quoted as RFC 4180 does,
dates as ``YYYY-MM-DD``, booleans ``true``/``false``, a list as a JSON array (``["U.S.", "Washington"]``).
A null is an empty field, and so is an empty string: CSV cannot tell them apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.csv


def _json_lists(table: pa.Table) -> pa.Table:
    """The table with every list column as JSON text, which CSV can hold."""
    for index, field in enumerate(table.schema):
        if pa.types.is_list(field.type):
            text = [None if v is None else json.dumps(v, ensure_ascii=False) for v in table[index].to_pylist()]
            table = table.set_column(index, pa.field(field.name, pa.string(), field.nullable),
                                     pa.array(text, pa.string()))
    return table


def write_csv(tables: Mapping[str, pa.Table], folder: Path) -> list[Path]:
    """One CSV file per table; returns the files written."""
    paths = [folder / f"{name}.csv" for name in tables]
    for path, table in zip(paths, tables.values(), strict=True):
        pyarrow.csv.write_csv(_json_lists(table), path)
    return paths
