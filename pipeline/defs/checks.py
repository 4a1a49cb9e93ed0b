"""Data-quality checks shown in the Dagster UI beside each table.

One pandera check per table, made by one factory; one check per table that
its ids (its key columns, read from the same pandera models) are unique; and
cross-table rules (references, offsets that slice the body, release checksums)
as explicit checks that report counts.
"""


import inspect
import json

import dagster as dg
import pandas as pd
import pandera.errors

from pipeline.defs.resources import ReleaseSettings
from pipeline.release.writer import MANIFEST, sha256_file
from pipeline.sources.ingest import Ingested
from schemas.derive import validate
from schemas.tables import TABLE_MODELS


def schema_check(table: str) -> dg.AssetChecksDefinition:
    """The pandera check of one table (the check's parameter must bear the table's name)."""
    model = TABLE_MODELS[table].__name__

    def run(*args: pd.DataFrame, **kwargs: pd.DataFrame) -> dg.AssetCheckResult:
        df = args[0] if args else kwargs[table]
        try:
            validate(table, df)
        except pandera.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            return dg.AssetCheckResult(passed=False, metadata={
                "failure_cases": len(cases), "examples": dg.MetadataValue.md(cases.head(10).to_markdown())})
        return dg.AssetCheckResult(passed=True, metadata={"rows": len(df)})

    run.__signature__ = inspect.Signature(
        [inspect.Parameter(table, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=pd.DataFrame)])
    return dg.asset_check(asset=table, name=f"{table}_matches_schema", blocking=False,
                          description=f"Every row of {table} passes the pandera model schemas.tables.{model}.")(run)


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


def unique_keys_check(table: str) -> dg.AssetChecksDefinition:
    """No two rows of the table share an id (or composite key)."""
    def run(*args: pd.DataFrame, **kwargs: pd.DataFrame) -> dg.AssetCheckResult:
        df = args[0] if args else kwargs[table]
        counts = duplicated_keys(table, df)
        return dg.AssetCheckResult(passed=not any(counts.values()), metadata={f"duplicated {k}": v
                                                                              for k, v in counts.items()})

    run.__signature__ = inspect.Signature(
        [inspect.Parameter(table, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=pd.DataFrame)])
    keys = " and ".join("(" + ", ".join(columns) + ")" for columns in key_columns(table))
    return dg.asset_check(asset=table, name=f"{table}_keys_unique", blocking=False,
                          description=f"No two rows of {table} share {keys}.")(run)


# (table, column, referenced table, its key)
REFERENCES = [
    ("actor_mentions", "doc_id", "documents", "doc_id"),
    ("actor_mentions", "actor_id", "actors", "actor_id"),
    ("event_actors", "event_id", "events", "event_id"),
    ("event_actors", "actor_id", "actors", "actor_id"),
    ("event_reports", "event_id", "events", "event_id"),
    ("event_reports", "doc_id", "documents", "doc_id"),
    ("event_reports", "attributed_to_actor_id", "actors", "actor_id"),
    ("forecasts", "doc_id", "documents", "doc_id"),
    ("forecasts", "forecaster_actor_id", "actors", "actor_id"),
    ("forecasts", "subject_actor_id", "actors", "actor_id"),
]


def dangling_references(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Per `table.column`, how many non-null values name no row of the referenced table."""
    counts = {}
    for table, column, target, key in REFERENCES:
        values = tables[table][column].dropna()
        counts[f"{table}.{column}"] = int((~values.isin(set(tables[target][key]))).sum())
    return counts


@dg.asset_check(asset="forecasts", name="references_resolve", blocking=False,
                additional_ins={name: dg.AssetIn(name) for name in
                                ("documents", "actors", "actor_mentions", "events", "event_actors", "event_reports")},
                description="Every doc_id, actor_id and event_id a row refers to exists.")
def references_resolve(forecasts: pd.DataFrame, documents: pd.DataFrame, actors: pd.DataFrame,
                       actor_mentions: pd.DataFrame, events: pd.DataFrame, event_actors: pd.DataFrame,
                       event_reports: pd.DataFrame) -> dg.AssetCheckResult:
    counts = dangling_references({"forecasts": forecasts, "documents": documents, "actors": actors,
                                  "actor_mentions": actor_mentions, "events": events,
                                  "event_actors": event_actors, "event_reports": event_reports})
    return dg.AssetCheckResult(passed=not any(counts.values()), metadata={k: v for k, v in counts.items()})


def offsets_mismatched(df: pd.DataFrame, text_column: str, bodies: dict[str, str]) -> int:
    """Rows whose [char_start:char_end] of their document's body is not their text."""
    bad = 0
    for doc_id, start, end, text in zip(df["doc_id"], df["char_start"], df["char_end"], df[text_column],
                                        strict=True):
        if bodies.get(doc_id, "")[start:end] != text:
            bad += 1
    return bad


@dg.asset_check(asset="actor_mentions", name="offsets_slice_body", blocking=False,
                additional_ins={"source_documents": dg.AssetIn("source_documents"),
                                "event_reports": dg.AssetIn("event_reports"), "forecasts": dg.AssetIn("forecasts")},
                description="body[char_start:char_end] is the row's text in actor_mentions, event_reports "
                            "and forecasts.")
def offsets_slice_body(actor_mentions: pd.DataFrame, source_documents: Ingested, event_reports: pd.DataFrame,
                       forecasts: pd.DataFrame) -> dg.AssetCheckResult:
    bodies = {d.doc_id: d.body for d in source_documents.documents}
    counts = {"actor_mentions": offsets_mismatched(actor_mentions, "text", bodies),
              "event_reports": offsets_mismatched(event_reports, "evidence_text", bodies),
              "forecasts": offsets_mismatched(forecasts, "evidence_text", bodies)}
    return dg.AssetCheckResult(passed=not any(counts.values()), metadata=counts)


@dg.asset_check(asset="release", name="checksums_match", blocking=False,
                description="Every file release.json lists has the sha256 it states.")
def checksums_match(settings: ReleaseSettings) -> dg.AssetCheckResult:
    folder = settings.output_path
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    wrong = [name for name, entry in manifest["files"].items()
             if not (folder / name).is_file() or sha256_file(folder / name) != entry["sha256"]]
    return dg.AssetCheckResult(passed=not wrong, metadata={"files": len(manifest["files"]),
                                                           "mismatched": ", ".join(wrong) or "none"})


ALL_CHECKS = [*(schema_check(name) for name in TABLE_MODELS),
              *(unique_keys_check(name) for name in TABLE_MODELS if key_columns(name)),
              references_resolve, offsets_slice_body, checksums_match]
