"""Tombstones: the rows of a previous release that a new one no longer has, and why.

A consumer syncing incrementally deletes them by key (``removed`` table); the
diff (:mod:`pipeline.release.diff`) gives the same reasons. A row depends on
documents: its own (a row with a ``doc_id``), those reporting it (an event, its
actors) or those mentioning it (an actor). Gone with all of them is
``document_removed``, or ``document_changed`` when a file that held one is still
there with another text; while one of them is still there, the extractor or
its reviewed knowledge changed (``extraction_changed``), or this build's curation
file took it out (``curation``: a dropped event or forecast, a merged actor). Only the two releases
are read, so the same sources and the same previous release give the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.derive import columns, empty_frame
from schemas.describe import primary_key
from schemas.tables import TABLE_MODELS

# Tables without a key (quarantine, coverage) have no tombstones, nor have the tombstones themselves, nor the
# curation file's own record (its rows are the file's decisions, renumbered when one is taken out).
UNTRACKED = frozenset({"removed", "curation_log", "id_redirects"})
# The curation decisions that take rows out, by the key column their target is a value of.
CURATED_AWAY = {"drop_event": "event_id", "drop_forecast": "forecast_id"}
# The documents a row without a doc_id depends on: its key column -> the old table linking it to documents.
DEPENDS = {"event_id": "event_reports", "actor_id": "actor_mentions"}
_STILL_THERE, _CHANGED, _GONE = 0, 1, 2
_REASONS = {_STILL_THERE: "extraction_changed", _CHANGED: "document_changed", _GONE: "document_removed"}


def key_text(key: list[str], values: list) -> str:
    """A row's key as the ``removed.row_key`` JSON object."""
    return json.dumps(dict(zip(key, values, strict=True)), ensure_ascii=False, separators=(", ", ": "))


def _read(folder: Path, table: str, wanted: list[str]) -> pd.DataFrame | None:
    path = folder / f"{table}.parquet"
    if not path.is_file():
        return None
    try:
        present = [c for c in wanted if c in pq.read_schema(path).names]
        return pq.read_table(path, columns=present).to_pandas() if present == wanted else None
    except (OSError, pa.ArrowInvalid):  # a damaged previous release has nothing to say
        return None


def _tracked(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    return [t for t in TABLE_MODELS if t in tables and t not in UNTRACKED and primary_key(t)]


def release_keys(folder: Path) -> dict[str, pd.DataFrame]:
    """What :func:`removed_table` needs of a release folder: each tracked table's key columns, and the
    documents' paths."""
    tables = {}
    for table in TABLE_MODELS:
        key = list(primary_key(table))
        wanted = [*key, "source_path"] if table == "documents" else key
        found = _read(folder, table, wanted) if key and table not in UNTRACKED else None
        if found is not None:
            tables[table] = found
    return tables


def removed_table(previous: Path, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``removed`` table of a release of ``tables`` replacing the release in ``previous`` (empty when
    there is none)."""
    found = []
    for table in _tracked(tables):
        key = list(primary_key(table))
        # A forecast's key is its id alone: its document, which the reason needs, is read beside it.
        old = _read(previous, table, key + [c for c in ("doc_id",) if c in columns(table) and c not in key])
        if old is None:
            continue
        new = tables[table][key].astype(old[key].dtypes.to_dict()).drop_duplicates()
        gone = old.merge(new, on=key, how="left", indicator=True)
        gone = gone[gone["_merge"] == "left_only"].drop(columns="_merge")
        found.append(gone.assign(table_name=table, row_key=[key_text(key, list(v))
                                                             for v in gone[key].itertuples(index=False)]))
    if not found or not any(len(f) for f in found):
        return empty_frame("removed")
    gone = pd.concat(found, ignore_index=True)
    gone["reason"] = _reasons(previous, gone, tables["documents"])
    gone.loc[_curated_away(gone, tables) & (gone["reason"] == _REASONS[_STILL_THERE]), "reason"] = "curation"
    order = {t: i for i, t in enumerate(TABLE_MODELS)}
    gone = gone.assign(_order=gone["table_name"].map(order)).sort_values(["_order", "row_key"], kind="stable")
    return gone[["table_name", "row_key", "reason"]].reset_index(drop=True)


def _curated_away(gone: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Which gone rows this build's curation took out: a dropped event (with its actors and reports), a dropped
    forecast, a merged actor."""
    log, redirects = tables.get("curation_log"), tables.get("id_redirects")
    away = pd.Series(False, index=gone.index)
    if log is not None:
        applied = log[log["status"] == "applied"]
        for action, column in CURATED_AWAY.items():
            if column in gone:
                away |= gone[column].isin(applied.loc[applied["action"] == action, "target"])
    if redirects is not None and "actor_id" in gone:
        away |= gone["actor_id"].isin(redirects.loc[redirects["table"] == "actors", "old_id"])
    return away


def _documents_of(previous: Path, gone: pd.DataFrame, column: str) -> pd.DataFrame:
    """(doc_id, _row) of the old documents linked to each gone row's ``column`` (see DEPENDS)."""
    links = _read(previous, DEPENDS[column], [column, "doc_id"])
    if links is None or column not in gone:
        return pd.DataFrame({"doc_id": [], "_row": []})
    rows = gone[[column]].dropna()
    return rows.assign(_row=rows.index).merge(links.drop_duplicates(), on=column)[["doc_id", "_row"]]


def _reasons(previous: Path, gone: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """Per row gone (with its key columns, NaN where its table has none), the reason it is gone."""
    own = gone[["doc_id"]].dropna().assign(_row=lambda df: df.index) if "doc_id" in gone else \
        pd.DataFrame({"doc_id": [], "_row": []})
    by_event, by_actor = (_documents_of(previous, gone, column) for column in DEPENDS)
    by_event, by_actor = (df[~df["_row"].isin(own["_row"])] for df in (by_event, by_actor))
    # An event's actor depends on the documents that report the event and name the actor, where there are any.
    both = by_event.merge(by_actor, on=["doc_id", "_row"])
    by_event = pd.concat([both, by_event[~by_event["_row"].isin(both["_row"])]], ignore_index=True)
    by_actor = by_actor[~by_actor["_row"].isin(by_event["_row"])]
    depends = pd.concat([own, by_event, by_actor], ignore_index=True)
    if depends.empty:
        return pd.Series(_REASONS[_STILL_THERE], index=gone.index)
    old_paths = _read(previous, "documents", ["doc_id", "source_path"])
    path_of = old_paths.set_index("doc_id")["source_path"] if old_paths is not None else pd.Series(dtype=object)
    status = pd.Series(_GONE, index=depends.index)
    status[depends["doc_id"].map(path_of).isin(documents["source_path"])] = _CHANGED
    status[depends["doc_id"].isin(documents["doc_id"])] = _STILL_THERE
    best = status.groupby(depends["_row"]).min()
    # A row no document is known for (an actor named only in a forecast) changed with the extraction.
    return gone.index.to_series().map(best).fillna(_STILL_THERE).astype(int).map(_REASONS)
