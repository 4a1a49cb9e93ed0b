"""What changed between two releases: per table, the rows added, removed and changed.

Rows are matched by their table's key (:func:`schemas.describe.row_key`):
``documents.doc_id``, ``actors.actor_id``, ``events.event_id``,
``forecasts.forecast_id``, the natural key of the link tables, and every
column for a table without a key (``quarantine``), where a row can only be
added or removed. Values are compared as Arrow reads them from the Parquet
files, over the columns both releases have.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.release.tombstones import key_text, release_keys, removed_table
from schemas.describe import row_key
from schemas.tables import TABLE_MODELS

MANIFEST = "release.json"
LABEL_COLUMNS = ("summary", "name", "target", "title", "text", "evidence_text", "detail")
TEXT_ROWS_PER_LIST = 20


@dataclass
class TableDiff:
    table: str
    key: list[str]
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    removed_reasons: list[str | None] = field(default_factory=list)  # per removed row, where one is known
    changed: list[dict] = field(default_factory=list)  # {"key": {...}, "changes": {column: {"old", "new"}}}
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added or self.columns_removed)


@dataclass
class ReleaseDiff:
    old_version: str
    new_version: str
    tables: list[TableDiff]

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)


def release_version(folder: Path) -> str:
    manifest = folder / MANIFEST
    if manifest.is_file():
        return json.loads(manifest.read_text(encoding="utf-8")).get("release_version", folder.name)
    return folder.name


def is_release(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.parquet"))


def _plain(value):
    """A JSON-ready value: dates as ISO strings, lists as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _table(path: Path | None) -> pa.Table | None:
    return pq.read_table(path) if path is not None and path.is_file() else None


def _row_hashes(table: pa.Table, columns: list[str]) -> np.ndarray:
    """One 64-bit hash per row over the given columns, in row order (DuckDB's ``hash``, on both cores)."""
    con = duckdb.connect()
    try:
        con.register("rows", table.select(columns))
        names = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        return con.execute(f"SELECT hash({names}) AS h FROM rows").fetchnumpy()["h"]
    finally:
        con.close()


def _without_shared_rows(old: pa.Table, new: pa.Table, columns: list[str]) -> tuple[pa.Table, pa.Table]:
    """Both tables less the rows they have in common: after a build that added one article, nearly every
    row is unchanged, and only the few others need comparing value by value."""
    old_hashes, new_hashes = _row_hashes(old, columns), _row_hashes(new, columns)
    # pandas' isin hashes (numpy's sorts both sides): a few ms for a million rows
    return (old.filter(pa.array(~pd.Series(old_hashes).isin(new_hashes).to_numpy())),
            new.filter(pa.array(~pd.Series(new_hashes).isin(old_hashes).to_numpy())))


def _rows(table: pa.Table | None) -> list[dict]:
    return [] if table is None else [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]


def _order(table: str) -> int:
    names = list(TABLE_MODELS)
    return names.index(table) if table in names else len(names)


def diff_table(table: str, old_path: Path | None, new_path: Path | None) -> TableDiff:
    old_table, new_table = _table(old_path), _table(new_path)
    old_columns = old_table.column_names if old_table is not None else []
    new_columns = new_table.column_names if new_table is not None else []
    common = [c for c in new_columns if c in old_columns] if old_columns and new_columns else \
        (new_columns or old_columns)
    if old_table is not None and new_table is not None and common:
        old_table, new_table = _without_shared_rows(old_table, new_table, common)
    old_rows, new_rows = _rows(old_table), _rows(new_table)
    declared = row_key(table) if table in TABLE_MODELS else ()
    key = [c for c in declared if c in common] if all(c in common for c in declared) and declared else common
    result = TableDiff(table, key)
    if old_columns and new_columns:
        result.columns_added = [c for c in new_columns if c not in old_columns]
        result.columns_removed = [c for c in old_columns if c not in new_columns]

    def by_key(rows: list[dict]) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            groups[json.dumps([row.get(c) for c in key])].append(row)
        return groups

    def fingerprint(row: dict) -> str:
        return json.dumps([row.get(c) for c in common])

    def in_order(group_key: str) -> tuple:
        return tuple((v is None, str(v) if isinstance(v, list) else v) for v in json.loads(group_key))

    old_groups, new_groups = by_key(old_rows), by_key(new_rows)
    for group_key in sorted(set(old_groups) | set(new_groups), key=in_order):
        olds, news = old_groups.get(group_key, []), new_groups.get(group_key, [])
        if not olds or not news:
            result.added += news
            result.removed += olds
        elif len(olds) == 1 and len(news) == 1:
            changes = {c: {"old": olds[0].get(c), "new": news[0].get(c)} for c in common
                       if olds[0].get(c) != news[0].get(c)}
            if changes:
                result.changed.append({"key": {c: news[0][c] for c in key}, "changes": changes})
        else:  # rows sharing a key (only where the key is every column): compare as multisets
            old_count, new_count = Counter(map(fingerprint, olds)), Counter(map(fingerprint, news))
            result.removed += [dict(zip(common, json.loads(f), strict=True))
                               for f in (old_count - new_count).elements()]
            result.added += [dict(zip(common, json.loads(f), strict=True))
                             for f in (new_count - old_count).elements()]
    return result


def diff_releases(old: Path, new: Path, new_version: str | None = None) -> ReleaseDiff:
    """Compare every table either release has; a removed row says why it is gone where that is known
    (:mod:`pipeline.release.tombstones`)."""
    names = {p.stem for p in old.glob("*.parquet")} | {p.stem for p in new.glob("*.parquet")}
    tables = [diff_table(name, old / f"{name}.parquet", new / f"{name}.parquet")
              for name in sorted(names, key=lambda n: (_order(n), n))]
    new_keys = release_keys(new)
    if "documents" in new_keys and any(t.removed for t in tables):
        gone = removed_table(old, new_keys)
        reasons = dict(zip(zip(gone["table_name"], gone["row_key"], strict=True), gone["reason"], strict=True))
        for t in tables:
            t.removed_reasons = [reasons.get((t.table, key_text(t.key, [row.get(c) for c in t.key])))
                                 for row in t.removed]
    return ReleaseDiff(release_version(old), new_version or release_version(new), tables)


def to_json(diff: ReleaseDiff) -> str:
    return json.dumps({
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "tables": {t.table: {"key": t.key, "added": t.added, "removed": t.removed,
                             "removed_reasons": t.removed_reasons, "changed": t.changed,
                             "columns_added": t.columns_added, "columns_removed": t.columns_removed}
                   for t in diff.tables},
    }, indent=2, ensure_ascii=False)


def _key_text(row: dict, key: list[str]) -> str:
    if len(key) == 1:
        return f"`{row.get(key[0])}`"
    return ", ".join(f"{c}={row.get(c)}" for c in key)


def _label(row: dict, key: list[str]) -> str:
    text = next((row[c] for c in LABEL_COLUMNS
                 if c not in key and isinstance(row.get(c), str) and row[c]), "")
    text = " ".join(text.split())
    return f": {text[:90]}{'...' if len(text) > 90 else ''}" if text else ""


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _limited(lines: list[str]) -> list[str]:
    if len(lines) <= TEXT_ROWS_PER_LIST:
        return lines
    return lines[:TEXT_ROWS_PER_LIST] + [f"- ... and {len(lines) - TEXT_ROWS_PER_LIST} more"]


def to_markdown(diff: ReleaseDiff) -> str:
    """The diff for a person (also what ``CHANGES.md`` holds): a summary table, then the rows."""
    lines = [f"# Changes from {diff.old_version} to {diff.new_version}", ""]
    if diff.empty:
        return "\n".join(lines + ["No rows added, removed or changed.", ""])
    lines += ["| table | key | added | removed | changed |", "|---|---|---:|---:|---:|"]
    lines += [f"| {t.table} | {', '.join(t.key)} | {len(t.added)} | {len(t.removed)} "
              f"| {len(t.changed)} |" for t in diff.tables]
    for t in diff.tables:
        if t.empty:
            continue
        lines += ["", f"## {t.table}"]
        if t.columns_added:
            lines += ["", f"Columns added: {', '.join(t.columns_added)}"]
        if t.columns_removed:
            lines += ["", f"Columns removed: {', '.join(t.columns_removed)}"]
        if t.added:
            lines += ["", f"Added ({len(t.added)}):", ""]
            lines += _limited([f"- {_key_text(r, t.key)}{_label(r, t.key)}" for r in t.added])
        if t.removed:
            lines += ["", f"Removed ({len(t.removed)}):", ""]
            reasons = t.removed_reasons or [None] * len(t.removed)
            lines += _limited([f"- {_key_text(r, t.key)}{_label(r, t.key)}{f' ({why})' if why else ''}"
                               for r, why in zip(t.removed, reasons, strict=True)])
        if t.changed:
            lines += ["", f"Changed ({len(t.changed)}):", ""]
            lines += _limited([
                f"- {_key_text(c['key'], t.key)}: " + "; ".join(
                    f"{col} {_short(v['old'])} -> {_short(v['new'])}" for col, v in c["changes"].items())
                for c in t.changed])
    return "\n".join(lines) + "\n"
