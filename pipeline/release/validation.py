"""Row-level validation: rows that break their table's schema are set aside, not fatal.

pandera's lazy validation lists every failure case with its row index; those
rows leave the table and become quarantine rows naming the table, the row's
id, its document and the failed checks. A row that refers to a row set aside
(an event report of a rejected event) goes with it, so the release keeps its
references whole. ``strict`` turns any failure into an error instead.

A failure no row can be blamed for (a missing or extra column) is the code's
fault, not the input's: it fails the build even when not strict.

A row's checks depend on the row alone, so a row that passed them once passes
them again: with a ``memo`` folder, the hashes of the rows that passed are kept
between builds, and only the rows not seen before go through pandera (on a
corpus of 10,000 articles that gains one more, a few hundred rows instead of a
million). Keys are unique by construction (``pipeline.release.tables``), and the
``*_keys_unique`` checks still look at whole tables.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pandera
import pandera.errors

from schemas.derive import validate

# The memo holds for these schemas only: a change to them (or to pandera) validates every row again.
_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
_MEMO_FORMAT = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(_SCHEMAS.glob("*.py")))
                              + pandera.__version__.encode()).hexdigest()[:12]

# The columns that identify a row in quarantine details, by preference.
ROW_KEYS = ("forecast_id", "observation_id", "event_id", "actor_id", "doc_id")
# Tables whose rows other tables refer to, by their key.
KEYS = {"documents": "doc_id", "actors": "actor_id", "events": "event_id"}
# (table, column, referenced table): the references of the release (as the references_resolve check).
REFERENCES = (
    ("actor_mentions", "doc_id", "documents"),
    ("actor_mentions", "actor_id", "actors"),
    ("event_actors", "event_id", "events"),
    ("event_actors", "actor_id", "actors"),
    ("event_reports", "event_id", "events"),
    ("event_reports", "doc_id", "documents"),
    ("event_reports", "attributed_to_actor_id", "actors"),
    ("forecasts", "doc_id", "documents"),
    ("forecasts", "forecaster_actor_id", "actors"),
    ("forecasts", "subject_actor_id", "actors"),
    ("refused_figures", "doc_id", "documents"),
    ("observations", "doc_id", "documents"),
    ("observations", "subject_actor_id", "actors"),
    ("observations", "reported_by_actor_id", "actors"),
    ("document_texts", "doc_id", "documents"),
    ("coverage", "doc_id", "documents"),
)
MAX_PASSES = 5  # dropping rows may unmask checks that could not run (e.g. a comparison with a bad value)


class ValidationFailed(Exception):
    """A table failed its schema while the build is strict, or as a whole."""


def row_label(df: pd.DataFrame, index) -> str:
    """``forecast_id=... (doc_id=...)``: what a person needs to find the row's source."""
    parts = [f"{key}={df.at[index, key]}" for key in ROW_KEYS if key in df.columns][:2]
    return ", ".join(parts) or f"row {index}"


def _short(text: object, limit: int = 80) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def quarantine_row(table: str, detail: str, reason: str = "schema_failure") -> dict:
    return {"source_path": f"table:{table}", "line": None, "reason": reason, "detail": detail}


def _rejections(table: str, df: pd.DataFrame, cases: pd.DataFrame) -> list[dict]:
    """One quarantine row per rejected row, listing each of its failed checks, in table order."""
    failures: dict[object, list[str]] = {}
    for case in cases.itertuples():
        if case.schema_context == "Column":
            text = f"{case.column} failed {_short(case.check)} (value {_short(repr(case.failure_case), 60)})"
        else:  # a check of the whole row, which pandera reports once per column
            text = f"the row failed {_short(case.check)}"
        if text not in failures.setdefault(case.index, []):
            failures[case.index].append(text)
    return [quarantine_row(table, f"{row_label(df, index)}: " + "; ".join(failures[index]))
            for index in df.index if index in failures]


def _failure_message(table: str, df: pd.DataFrame, cases: pd.DataFrame) -> str:
    """The first line says how many rows fail (the CLI summary shows it); then the first of them."""
    by_row = cases[cases["index"].notna() & cases["index"].isin(df.index)]
    details = [row["detail"] for row in _rejections(table, df, by_row)][:10]
    whole = cases[cases["index"].isna()]
    details += [f"the table failed {_short(c.check)} ({c.column})" for c in whole.head(5).itertuples()]
    return (f"{table}: {by_row['index'].nunique()} row(s) fail the schema, {len(whole)} check(s) of the whole "
            "table\n" + "\n".join(details))


def split_valid(table: str, df: pd.DataFrame, strict: bool = False) -> tuple[pd.DataFrame, list[dict]]:
    """(the valid rows, validated and coerced; quarantine rows for the others)."""
    valid, rejected = _split_valid(table, df, strict)
    return valid.reset_index(drop=True), rejected


def _split_valid(table: str, df: pd.DataFrame, strict: bool) -> tuple[pd.DataFrame, list[dict]]:
    """:func:`split_valid`, the valid rows keeping their index."""
    rejected: list[dict] = []
    for _ in range(MAX_PASSES):
        try:
            return validate(table, df), rejected
        except pandera.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            # `from None`: the message lists the failures; pandera's own error would hide it in the summary.
            if strict:
                raise ValidationFailed(_failure_message(table, df, cases)) from None
            by_row = cases[cases["index"].notna() & cases["index"].isin(df.index)]
            if by_row.empty:  # nothing a row can be blamed for
                raise ValidationFailed("the table as a whole fails its schema: "
                                       + _failure_message(table, df, cases)) from None
            rejected += _rejections(table, df, by_row)
            df = df.drop(index=by_row["index"].unique())
    raise ValidationFailed(f"{table}: still failing its schema after {MAX_PASSES} passes")


def _dependents(tables: dict[str, pd.DataFrame], lost: dict[str, set]) -> list[dict]:
    """Drop (in place) the rows that refer to a row set aside; their quarantine rows."""
    rejected = []
    for table, column, target in REFERENCES:
        if table not in tables or not lost.get(target):
            continue
        df = tables[table]
        hit = df[column].isin(lost[target])
        rejected += [quarantine_row(table, f"{row_label(df, index)}: {column}={df.at[index, column]} refers to a "
                                           f"{target} row set aside", reason="depends_on_rejected_row")
                     for index in df.index[hit]]
        tables[table] = df[~hit].reset_index(drop=True)
    return rejected


def row_hashes(df: pd.DataFrame) -> np.ndarray | None:
    """One 64-bit hash per row over every column; None for a table with list cells (they cannot be hashed)."""
    try:
        return pd.util.hash_pandas_object(df, index=False).to_numpy()
    except TypeError:
        return None


def _memo_file(memo: Path, table: str) -> Path:
    return memo / f"{table}-{_MEMO_FORMAT}.npy"


def _load_memo(memo: Path, table: str) -> np.ndarray:
    try:
        return np.load(_memo_file(memo, table))
    except (OSError, ValueError):
        return np.empty(0, dtype=np.uint64)


def _save_memo(memo: Path, table: str, hashes: np.ndarray) -> None:
    memo.mkdir(parents=True, exist_ok=True)
    path = _memo_file(memo, table)
    temporary = path.with_name(f".{path.stem}.tmp-{os.getpid()}.npy")
    np.save(temporary, hashes)
    os.replace(temporary, path)
    for old in memo.glob(f"{table}-*.npy"):
        if old != path:
            old.unlink(missing_ok=True)


def split_valid_memo(table: str, df: pd.DataFrame, strict: bool, memo: Path) -> tuple[pd.DataFrame, list[dict]]:
    """:func:`split_valid` of the rows not known to pass; the others kept as they are, in the table's order."""
    hashes = row_hashes(df)
    if hashes is None:
        return split_valid(table, df, strict=strict)
    known = pd.Series(hashes).isin(_load_memo(memo, table)).to_numpy()
    fresh, rejected = _split_valid(table, df[~known], strict)  # coerced to the table's dtypes
    kept = df[known].astype(fresh.dtypes.to_dict())
    valid = pd.concat([kept, fresh]).sort_index() if len(fresh) else kept
    if len(fresh) or not known.all():  # else the memo already holds every row
        _save_memo(memo, table, hashes[df.index.isin(valid.index)])
    return valid.reset_index(drop=True), rejected


def validate_tables(tables: dict[str, pd.DataFrame], strict: bool = False,
                    memo: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Every table through :func:`split_valid` (with a ``memo`` folder, only its rows not seen to pass
    before), then the rows referring to rows set aside removed too.

    Each table is taken out of ``tables`` as it is validated: a large corpus's tables held beside their
    validated copies took a third more memory. Only documents, actors and events are referred to, and
    none of the referring tables is, so one pass over the references is enough.
    """
    valid: dict[str, pd.DataFrame] = {}
    rejected: list[dict] = []
    lost: dict[str, set] = {}
    for name in list(tables):
        df = tables.pop(name)
        valid[name], rows = (split_valid(name, df, strict=strict) if memo is None else
                             split_valid_memo(name, df, strict, memo))
        rejected += rows
        if name in KEYS:
            lost[name] = set(df[KEYS[name]]) - set(valid[name][KEYS[name]])
    rejected += _dependents(valid, lost)
    return valid, rejected
