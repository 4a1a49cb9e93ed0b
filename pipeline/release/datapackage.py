"""``datapackage.json``: the release described as a Frictionless (tabular) Data Package.

Every table is a resource with its Table Schema (fields, types, descriptions,
constraints with the vocabularies as enums), primary and foreign keys. All of
it is derived from the pandera models through :mod:`schemas.describe`; nothing
about a column is written here by hand.

The resources are the tables' CSV copies (:mod:`pipeline.release.csv_export`),
not the Parquet files: Frictionless reads a Parquet list column as a numpy array,
which its ``array`` type rejects, while a CSV cell holding a JSON array is what
that type reads; CSV is also what every Data Package tool reads. So
``frictionless validate datapackage.json`` checks every row, list columns
included, and each file's size and sha256.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from schemas.describe import FieldInfo, fields, foreign_keys, primary_key, table_description

PACKAGE_NAME = "chipgeo"
TITLE = "chipgeo: semiconductor and AI-chip geopolitics"
DESCRIPTION = ("Actors, events and forecasts of semiconductor and AI-chip geopolitics extracted from news "
               "articles, every row traceable to the sentence it came from (document id and character "
               "offsets).")
LICENSES = [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
             "path": "https://creativecommons.org/licenses/by/4.0/"}]
KEYWORDS = ["semiconductors", "AI chips", "export controls", "geopolitics", "forecasts", "events"]

# Table Schema type of each type name of schemas.describe
_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "date": "date"}


def field_descriptor(info: FieldInfo) -> dict:
    """A Table Schema field: name, type, description and the constraints the model checks."""
    field: dict = {"name": info.name, "description": info.description}
    if info.type.startswith("list<"):
        # A JSON array in the CSV file, whose items are checked as the list's type.
        field["type"] = "array"
        field["arrayItem"] = {"type": _TYPES[info.type.removeprefix("list<").removesuffix(">")]}
    else:
        field["type"] = _TYPES[info.type]
    constraints: dict = {}
    if not info.nullable:
        constraints["required"] = True
    if info.unique:
        constraints["unique"] = True
    if info.enum is not None:
        constraints["enum"] = list(info.enum)
    if info.pattern is not None:
        # Table Schema patterns match the whole value; the models' patterns are anchored already.
        constraints["pattern"] = info.pattern.removeprefix("^").removesuffix("$")
    if info.minimum is not None:
        constraints["minimum"] = info.minimum
    if info.min_length is not None:
        constraints["minLength"] = info.min_length
    if info.max_length is not None:
        constraints["maxLength"] = info.max_length
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: str) -> dict:
    schema: dict = {"fields": [field_descriptor(info) for info in fields(table)], "missingValues": [""]}
    key = primary_key(table)
    if key:
        schema["primaryKey"] = list(key)
    links = foreign_keys(table)
    if links:
        schema["foreignKeys"] = [{"fields": [link.column], "reference": {"resource": link.table,
                                                                          "fields": [link.key]}}
                                 for link in links]
    return schema


def package_sources(documents: pd.DataFrame | None) -> list[dict]:
    """The publishers of the articles the release was built from (each article is in ``documents``)."""
    if documents is None or documents.empty:
        return []
    counts = documents["publisher"].fillna("").value_counts()
    sources = []
    for publisher in sorted(counts.index, key=lambda p: (p == "", p)):
        n = int(counts[publisher])
        name = publisher or "Articles without a publisher"
        sources.append({"title": f"{name} ({n} article{'s' if n != 1 else ''}, listed in documents.parquet)"})
    return sources


def data_package(tables: Mapping[str, pd.DataFrame], version: str, folder: Path, hashes: Mapping[str, str]) -> dict:
    """The descriptor of a release of these tables, one resource per table: its CSV file in ``folder``, with
    the file's size and sha256 (from ``hashes``, file name -> sha256) for ``frictionless validate`` to check."""
    resources = []
    for table in tables:
        name = f"{table}.csv"
        resources.append({
            "name": table,
            "type": "table",
            "path": name,
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": (folder / name).stat().st_size,
            "hash": f"sha256:{hashes[name]}",
            "title": table,
            "description": table_description(table),
            "licenses": LICENSES,
            "schema": table_schema(table),
        })
    return {
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "licenses": LICENSES,
        "keywords": KEYWORDS,
        "sources": package_sources(tables.get("documents")),
        "resources": resources,
    }
