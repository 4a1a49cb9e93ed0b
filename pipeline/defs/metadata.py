"""Asset metadata: each table's columns from its schema; row counts, a preview and health figures per run.

What the Dagster UI shows beside each table (and the release) after a run: how
many rows, what they look like, and a few figures that tell at a glance whether
the extraction is healthy (share of events with a date, actors found outside the
registry, inputs set aside, with their reason codes from ``pipeline.sources.ingest``).
"""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg
import pandas as pd

from pipeline.sources.ingest import SET_ASIDE
from schemas.describe import FieldInfo, fields

PREVIEW_ROWS = 5
PREVIEW_WIDTH = 60


def _cell(value: object) -> object:
    if not isinstance(value, str):
        text = str(value)
        if len(text) <= PREVIEW_WIDTH:
            return value
    else:
        text = value
    # One line per row and no stray column separators, whatever the text holds.
    text = " ".join(text.split()).replace("|", "\\|")
    return text[:PREVIEW_WIDTH] + "…" if len(text) > PREVIEW_WIDTH else text


def preview(df: pd.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """The first rows as a Markdown table, long values cut."""
    shown = df.head(rows).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(_cell)
    return shown.to_markdown(index=False) if len(shown) else "_no rows_"


def _share(part: int, whole: int) -> dg.MetadataValue:
    return dg.MetadataValue.float(round(part / whole, 4) if whole else 0.0)


def health(table: str, df: pd.DataFrame) -> dict[str, dg.MetadataValue]:
    """The health figures of one table (none for most)."""
    if table == "events" and "event_date" in df:
        dated = int(df["event_date"].notna().sum())
        return {"events with a date": dg.MetadataValue.int(dated),
                "share of events with a date": _share(dated, len(df))}
    if table == "actors" and "in_registry" in df:
        outside = int((~df["in_registry"].astype(bool)).sum())
        return {"actors outside the registry": dg.MetadataValue.int(outside)}
    if table == "quarantine" and "reason" in df:
        rows = df["source_path"].astype(str).str.startswith("table:")
        return {"quarantined inputs": dg.MetadataValue.int(int((~rows & df["reason"].isin(SET_ASIDE)).sum())),
                "inputs kept with a caveat": dg.MetadataValue.int(int((~rows & ~df["reason"].isin(SET_ASIDE)).sum())),
                "rows rejected by a schema": dg.MetadataValue.int(int(rows.sum()))}
    if table == "documents" and "published_date" in df:
        return {"share of documents with a published date": _share(int(df["published_date"].notna().sum()), len(df))}
    return {}


def _other_constraints(field: FieldInfo) -> list[str]:
    """What the schema checks beyond type, nulls and uniqueness, in words."""
    other = [f"one of: {', '.join(field.enum)}"] if field.enum else []
    other += [f"matches {field.pattern}"] if field.pattern else []
    other += [f">= {field.minimum:g}"] if field.minimum is not None else []
    other += [f"at least {field.min_length} character(s)"] if field.min_length else []
    return other


def table_schema(table: str) -> dg.TableSchema:
    """The table's columns as its pandera model declares them (through :mod:`schemas.describe`, as the data
    dictionary does): the type a reader of the Parquet file gets (``date``, ``list<string>``, not a pandas
    dtype), the description, and the constraints."""
    return dg.TableSchema(columns=[
        dg.TableColumn(field.name, field.type, description=field.description,
                       constraints=dg.TableColumnConstraints(nullable=field.nullable, unique=field.unique,
                                                             other=_other_constraints(field)))
        for field in fields(table)])


def table_metadata(table: str, df: pd.DataFrame, **extra) -> dict:
    """Row count, preview, columns and health figures of one table."""
    return {"dagster/row_count": dg.MetadataValue.int(len(df)),
            "dagster/column_schema": dg.MetadataValue.table_schema(table_schema(table)),
            "preview": dg.MetadataValue.md(preview(df)),
            **health(table, df), **extra}


def release_health(tables: Mapping[str, pd.DataFrame]) -> dict[str, dg.MetadataValue]:
    """Every table's health figures together, for the release asset."""
    figures: dict[str, dg.MetadataValue] = {}
    for name, df in tables.items():
        figures.update(health(name, df))
    return figures
