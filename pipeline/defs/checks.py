"""Data-quality checks shown in the Dagster UI beside each table.

Per table, that its rows passed its pandera model and that its ids (its key
columns, read from the same pandera models) are unique; across tables, that
references resolve and offsets slice the body; for the release, that its
checksums hold.

The table checks are computed by ``release_tables`` itself, on the frames it has
just built and validated (``check_specs``), not as separate steps: a separate
check step would load the tables again, and validate again what was just
validated, costing seconds per run on a large corpus for nothing.
"""

import json
from collections import Counter
from collections.abc import Iterator, Mapping

import dagster as dg
import pandas as pd

from pipeline.defs.resources import ReleaseSettings
from pipeline.release.validation import KEYS
from pipeline.release.validation import REFERENCES as VALIDATED_REFERENCES
from pipeline.release.writer import MANIFEST, sha256_file
from schemas.tables import TABLE_MODELS


def key_columns(table: str) -> list[list[str]]:
    """The column sets of a table that must be unique: its id column(s) and its composite key, per its model."""
    schema = TABLE_MODELS[table].to_schema()
    keys = [[name] for name, column in schema.columns.items() if column.unique]
    if schema.unique:
        keys.append(list(schema.unique))
    return keys


def duplicated_keys(table: str, df: pd.DataFrame) -> dict[str, int]:
    """Per key of the table, how many rows repeat a key value of an earlier row."""
    return {"+".join(columns): int(df.duplicated(subset=columns).sum()) for columns in key_columns(table)}


# (table, column, referenced table, its key): the references row validation keeps whole.
REFERENCES = [(table, column, target, KEYS[target]) for table, column, target in VALIDATED_REFERENCES]


def dangling_references(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Per `table.column`, how many non-null values name no row of the referenced table."""
    counts = {}
    for table, column, target, key in REFERENCES:
        values = tables[table][column].dropna()
        counts[f"{table}.{column}"] = int((~values.isin(tables[target][key])).sum())
    return counts


def _spec(table: str, name: str, description: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name, asset=table, blocking=False, description=description)


def _keys_text(table: str) -> str:
    return " and ".join("(" + ", ".join(columns) + ")" for columns in key_columns(table))


TABLE_CHECK_SPECS = [
    *(_spec(table, f"{table}_matches_schema", f"Every row of {table} passed the pandera model "
            f"schemas.tables.{TABLE_MODELS[table].__name__}; the rows that did not were set aside to the "
            "quarantine table (the check then warns, with their number).") for table in TABLE_MODELS),
    *(_spec(table, f"{table}_keys_unique", f"No two rows of {table} share {_keys_text(table)}.")
      for table in TABLE_MODELS if key_columns(table)),
    _spec("forecasts", "references_resolve", "Every doc_id, actor_id and event_id a row refers to exists."),
    _spec("actor_mentions", "offsets_slice_body", "body[char_start:char_end] is the row's text in "
          "actor_mentions, event_reports and forecasts (checked per document when its extraction becomes rows, "
          "where the body is at hand)."),
]


def table_check_results(tables: Mapping[str, pd.DataFrame], rejected: list[dict],
                        offsets_mismatched: int) -> Iterator[dg.AssetCheckResult]:
    """The results of :data:`TABLE_CHECK_SPECS` for validated tables, the quarantine rows of the rows
    set aside (``source_path`` ``table:<name>``) and the documents' count of rows whose offsets do not
    slice their body (:func:`pipeline.release.rows.offsets_mismatched`)."""
    set_aside = Counter(row["source_path"].removeprefix("table:") for row in rejected)
    for table in TABLE_MODELS:
        yield dg.AssetCheckResult(asset_key=table, check_name=f"{table}_matches_schema",
                                  passed=not set_aside[table], severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"rows": len(tables[table]), "rows set aside": set_aside[table]})
        if key_columns(table):
            counts = duplicated_keys(table, tables[table])
            yield dg.AssetCheckResult(asset_key=table, check_name=f"{table}_keys_unique",
                                      passed=not any(counts.values()),
                                      metadata={f"duplicated {k}": v for k, v in counts.items()})
    counts = dangling_references(tables)
    yield dg.AssetCheckResult(asset_key="forecasts", check_name="references_resolve",
                              passed=not any(counts.values()), metadata=counts)
    yield dg.AssetCheckResult(asset_key="actor_mentions", check_name="offsets_slice_body",
                              passed=not offsets_mismatched, metadata={"rows mismatched": offsets_mismatched})


@dg.asset_check(asset="release", name="checksums_match", blocking=False,
                description="Every file release.json lists has the sha256 it states.")
def checksums_match(settings: ReleaseSettings) -> dg.AssetCheckResult:
    folder = settings.output_path
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    wrong = [name for name, entry in manifest["files"].items()
             if not (folder / name).is_file() or sha256_file(folder / name) != entry["sha256"]]
    return dg.AssetCheckResult(passed=not wrong, metadata={"files": len(manifest["files"]),
                                                           "mismatched": ", ".join(wrong) or "none"})


ALL_CHECKS = [checksums_match]  # the table checks are release_tables' own (TABLE_CHECK_SPECS)
