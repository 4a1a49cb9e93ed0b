"""Materialisation metadata: row counts and a Markdown preview of a few rows."""

from __future__ import annotations

import dagster as dg
import pandas as pd

PREVIEW_ROWS = 5


def preview(df: pd.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    shown = df.head(rows).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(lambda v: (str(v)[:60] + "…") if len(str(v)) > 60 else v)
    return shown.to_markdown(index=False) if len(shown) else "_no rows_"


def table_metadata(df: pd.DataFrame, **extra) -> dict:
    return {"dagster/row_count": dg.MetadataValue.int(len(df)),
            "preview": dg.MetadataValue.md(preview(df)), **extra}
