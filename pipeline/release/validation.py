"""Row-level validation: rows that break their table's schema are set aside, not fatal.

pandera's lazy validation lists every failure case with its row index; those
rows leave the table and become quarantine rows naming the table, the row's
id and the failed check. ``strict`` turns any failure into an error instead.
"""

from __future__ import annotations

import pandas as pd
import pandera.errors

from schemas.derive import validate
from schemas.tables import TABLE_MODELS


class ValidationFailed(Exception):
    """A table failed its schema while the build is strict."""


def _row_label(df: pd.DataFrame, index) -> str:
    key = next((c for c in ("forecast_id", "event_id", "actor_id", "doc_id") if c in df.columns), None)
    return f"{key}={df.at[index, key]}" if key is not None and index in df.index else f"row {index}"


def split_valid(table: str, df: pd.DataFrame, strict: bool = False) -> tuple[pd.DataFrame, list[dict]]:
    """(the valid rows, validated and coerced; quarantine rows for the others)."""
    try:
        return validate(table, df), []
    except pandera.errors.SchemaErrors as errors:
        if strict:
            raise ValidationFailed(f"{table}: {len(errors.failure_cases)} schema failure(s)\n"
                                   f"{errors.failure_cases.head(20).to_string()}") from errors
        cases = errors.failure_cases
        bad_index = cases["index"].dropna().unique().tolist()
        rejected = []
        for _, case in cases.iterrows():
            where = _row_label(df, case["index"]) if pd.notna(case["index"]) else "whole table"
            rejected.append({"source_path": f"table:{table}", "line": None, "reason": "schema_failure",
                             "detail": f"{where}: column {case['column']} failed {case['check']} "
                                       f"(value {case['failure_case']!r})"})
        remaining = df.drop(index=[i for i in bad_index if i in df.index])
        return TABLE_MODELS[table].validate(remaining, lazy=True), rejected
