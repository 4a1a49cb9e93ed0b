"""Extractions as rows: what the release's tables are built from, kept between runs.

The tables need the whole corpus (one document per text, events merged across
documents), but every row they are made of depends on one source file alone:
its documents, its problems, its mentions, event reports and forecasts, ids
included. So each file's partition becomes rows once, tagged with the
partition's key; a corpus keeps them between runs (:func:`corpus_rows`), and a
new article adds only its own rows to those of the 10,000 before it instead of
every stored extraction being loaded and converted again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.release.ids import stable_id

if TYPE_CHECKING:  # the extraction code loads only when a run extracts, not with the definitions
    from pipeline.extraction import DocumentExtraction

ROLE_RANK = {"initiator": 0, "target": 1, "affected": 2, "participant": 3}

# Per row table, its columns. ``partition`` says which file the row came from; ``order`` and ``position``
# put documents and problems in the order ingest reads the folder (by relative path, then within a file).
COLUMNS = {
    "documents": ("partition", "order", "position", "doc_id", "source_path", "title", "publisher", "url",
                  "published_date", "text_sha256", "n_chars", "offsets_mismatched", "body", "format",
                  "original_sha256", "published_source"),
    "problems": ("partition", "order", "position", "source_path", "line", "reason", "detail"),
    "mentions": ("partition", "doc_id", "actor_id", "text", "char_start", "char_end"),
    "actors": ("partition", "doc_id", "actor_id", "name", "actor_type", "country", "aliases", "wikidata_id",
               "in_registry"),
    "reports": ("partition", "doc_id", "event_id", "event_type", "summary", "event_date", "date_precision",
                "status", "char_start", "char_end", "evidence_text", "attributed_to_actor_id", "rule"),
    "roles": ("partition", "doc_id", "event_id", "actor_id", "role_rank", "role"),
    "forecasts": ("partition", "forecast_id", "doc_id", "forecaster_actor_id", "subject_actor_id", "target",
                  "metric", "value_low", "value_high", "unit", "comparator", "horizon_start", "horizon_end",
                  "issued_date", "hedge", "evidence_text", "char_start", "char_end", "rule"),
    "refused": ("partition", "doc_id", "figure", "figure_start", "value_low", "value_high", "unit", "reason",
                "evidence_text", "char_start", "char_end"),
    "observations": ("partition", "observation_id", "doc_id", "subject_actor_id", "target", "metric", "value",
                     "unit", "period_start", "period_end", "reported_by_actor_id", "evidence_text", "char_start",
                     "char_end", "figure_start", "figure_end"),
}
_DATES = {"documents": ("published_date",), "reports": ("event_date",),
          "forecasts": ("horizon_start", "horizon_end", "issued_date"), "observations": ("period_start", "period_end")}
_INTEGERS = {"documents": ("position", "n_chars", "offsets_mismatched"), "problems": ("position",),
             "mentions": ("char_start", "char_end"),
             "reports": ("char_start", "char_end"), "roles": ("role_rank",), "forecasts": ("char_start", "char_end"),
             "refused": ("figure_start", "char_start", "char_end"),
             "observations": ("char_start", "char_end", "figure_start", "figure_end")}

Rows = dict[str, pd.DataFrame]


def event_key(record, doc_id: str) -> tuple:
    """What makes two reports one event: type, date and who acted (a state for its agencies).

    An undated event is only merged within its document: without a date, two
    reports of the same kind by the same actor may be different events.
    """
    if record.event_date is None:
        return (record.event_type, doc_id, record.anchor)
    return (record.event_type, record.event_date.isoformat(), record.date_precision, record.anchor)


def forecast_id(doc_id: str, f) -> str:
    return stable_id("forecast", doc_id, f.char_start, f.target, f.metric, f.value_low, f.value_high, f.unit,
                     f.horizon_end)


def observation_id(doc_id: str, o) -> str:
    return stable_id("observation", doc_id, o.figure_start, o.metric, o.value, o.unit, o.period_end)


# Columns whose values repeat across documents (ids, names, codes): each document's extraction is unpickled
# apart, with its own copies of them, so equal values are made one object (a third of the rows' memory).
REPEATED = frozenset(("actor_id", "text", "name", "actor_type", "country", "aliases", "wikidata_id", "event_type",
                      "date_precision", "status", "attributed_to_actor_id", "role", "forecaster_actor_id",
                      "subject_actor_id", "target", "metric", "unit", "comparator", "hedge", "reason", "publisher",
                      "reported_by_actor_id", "rule"))


class _Columns:
    """Rows gathered column by column (a list per column), made a frame once."""

    def __init__(self) -> None:
        self.data = {table: {column: [] for column in columns} for table, columns in COLUMNS.items()}
        self.shared = {table: tuple(column in REPEATED for column in columns) for table, columns in COLUMNS.items()}
        self.values: dict = {}

    def add(self, table: str, *values) -> None:
        for column, shared, value in zip(self.data[table].values(), self.shared[table], values, strict=True):
            # Keyed by type too: 1, 1.0 and True are equal, and would be made one.
            column.append(self.values.setdefault((value.__class__, value), value) if shared else value)

    def frames(self) -> Rows:
        """The tables as frames; each table's lists are let go once it is one (they take as much room)."""
        frames = {}
        for table in COLUMNS:
            df = pd.DataFrame(self.data.pop(table), columns=list(COLUMNS[table]))
            for column in _DATES.get(table, ()):
                df[column] = pd.to_datetime(df[column])
            for column in _INTEGERS.get(table, ()):
                df[column] = df[column].astype("int64")
            frames[table] = df
        frames["problems"]["line"] = frames["problems"]["line"].astype("Int64")
        return frames


def _add_extraction(out: _Columns, partition: str, e: DocumentExtraction) -> None:
    doc_id = e.doc_id
    for m in e.mentions:
        out.add("mentions", partition, doc_id, m.actor_id, m.text, m.start, m.end)
    for a in e.actors:
        out.add("actors", partition, doc_id, a.actor_id, a.name, a.actor_type, a.country, a.aliases,
                a.wikidata_id, a.in_registry)
    for r in e.events:
        event_id = stable_id("event", *event_key(r, doc_id))
        out.add("reports", partition, doc_id, event_id, r.event_type, r.summary, r.event_date, r.date_precision,
                r.status, r.char_start, r.char_end, r.evidence_text, r.attributed_to_actor_id, r.rule)
        for actor_id, role in r.actors:
            out.add("roles", partition, doc_id, event_id, actor_id, ROLE_RANK[role], role)
    for f in e.forecasts:
        out.add("forecasts", partition, forecast_id(doc_id, f), doc_id, f.forecaster_actor_id, f.subject_actor_id,
                f.target, f.metric, f.value_low, f.value_high, f.unit, f.comparator, f.horizon_start,
                f.horizon_end, f.issued_date, f.hedge, f.evidence_text, f.char_start, f.char_end, f.rule)
    for x in e.refused_figures:
        out.add("refused", partition, doc_id, x.figure, x.figure_start, x.value_low, x.value_high, x.unit, x.reason,
                x.evidence_text, x.char_start, x.char_end)
    for o in e.observations:
        out.add("observations", partition, observation_id(doc_id, o), doc_id, o.subject_actor_id, o.target, o.metric,
                o.value, o.unit, o.period_start, o.period_end, o.reported_by_actor_id, o.evidence_text, o.char_start,
                o.char_end, o.figure_start, o.figure_end)


def offsets_mismatched(body: str, e: DocumentExtraction) -> int:
    """How many of a document's mentions, event reports, forecasts, refused figures and observations are not
    ``body[char_start:char_end]``.

    Checked here, once per document, where the extraction is at hand (the corpus keeps rows, not
    extractions), and the ``offsets_slice_body`` check adds these counts up.
    """
    spans = [(m.start, m.end, m.text) for m in e.mentions]
    spans += [(r.char_start, r.char_end, r.evidence_text) for r in e.events]
    spans += [(f.char_start, f.char_end, f.evidence_text) for f in e.forecasts]
    spans += [(x.char_start, x.char_end, x.evidence_text) for x in e.refused_figures]
    spans += [(x.figure_start, x.figure_start + len(x.figure), x.figure) for x in e.refused_figures]
    spans += [(o.char_start, o.char_end, o.evidence_text) for o in e.observations]
    return sum(body[start:end] != text for start, end, text in spans)


def rows_of(files: Iterable) -> Rows:
    """The rows of source files (:class:`pipeline.defs.sources.SourceFile`: documents, problems, extractions)."""
    out = _Columns()
    for source in files:
        order = source.rels[0] if source.rels else source.key  # several files in one partition: the first's
        for position, problem in enumerate(source.problems):
            out.add("problems", source.key, order, position, problem.source_path, problem.line, problem.reason,
                    problem.detail)
        for position, (d, extraction) in enumerate(zip(source.documents, source.extractions, strict=True)):
            out.add("documents", source.key, order, position, d.doc_id, d.source_path, d.title, d.publisher, d.url,
                    d.published_date, d.text_sha256, len(d.body), offsets_mismatched(d.body, extraction), d.body,
                    d.format, d.original_sha256, d.published_source)
            _add_extraction(out, source.key, extraction)
    return out.frames()


def extraction_rows(extractions: Iterable[DocumentExtraction]) -> Rows:
    """The rows of extractions alone (no documents), each its own partition: for building events in tests."""
    out = _Columns()
    for extraction in extractions:
        _add_extraction(out, extraction.doc_id, extraction)
    return out.frames()


# ---------------------------------------------------------------- kept between runs
#
# A cache folder holds numbered files: a base (every partition's signature and rows) and the deltas
# written after it (the signatures and rows of the partitions new or changed in one run, and the keys
# gone). A run writes one small delta, not every row again; every MAX_DELTAS runs a new base replaces
# them. Each file is written whole and renamed into place, so a killed run leaves the cache as it was;
# a file the cache cannot read or of another format makes it start over from the partitions.

MAX_DELTAS = 32
_FORMAT = hashlib.sha256(Path(__file__).read_bytes() + pd.__version__.encode()).hexdigest()[:16]


def _files(folder: Path) -> list[tuple[int, str, Path]]:
    found = []
    for path in folder.glob("*.pickle") if folder.is_dir() else ():
        number, _, kind = path.stem.partition(".")
        if number.isdigit() and kind in ("base", "delta"):
            found.append((int(number), kind, path))
    return sorted(found)


def _drop_frame(df: pd.DataFrame, keys: set[str]) -> pd.DataFrame:
    """The rows of other partitions than ``keys`` (a frame none of whose rows go is kept, not copied)."""
    if not keys:
        return df
    hit = df["partition"].isin(keys)
    return df[~hit] if hit.any() else df


def _drop(rows: Rows, keys: set[str]) -> Rows:
    return {name: _drop_frame(df, keys) for name, df in rows.items()}


def _concat(rows: Rows, more: Rows) -> Rows:
    return {name: pd.concat([rows[name], more[name]], ignore_index=True) if len(more[name]) else rows[name]
            for name in COLUMNS}


def _load(folder: Path) -> tuple[dict[str, str], Rows, int] | None:
    """(signatures, rows, deltas since the base) or None."""
    files = _files(folder)
    bases = [i for i, (_, kind, _) in enumerate(files) if kind == "base"]
    if not bases:
        return None
    signatures: dict[str, str] = {}
    pieces: dict[str, list[pd.DataFrame]] = {name: [] for name in COLUMNS}  # concatenated once, at the end
    try:
        for _, kind, path in files[bases[-1]:]:
            with open(path, "rb") as handle:
                form, changed, gone, more = pickle.load(handle)
            if form != _FORMAT:
                return None
            if kind == "base":
                signatures = dict(changed)
            else:
                stale = set(changed) | set(gone)
                pieces = {name: [_drop_frame(df, stale) for df in frames] for name, frames in pieces.items()}
                for key in gone:
                    signatures.pop(key, None)
                signatures.update(changed)
            for name in COLUMNS:
                pieces[name].append(more[name])
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    rows = {name: pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            for name, frames in pieces.items()}
    return signatures, rows, len(files) - bases[-1] - 1


def _write(folder: Path, number: int, kind: str, value: tuple) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{number:08d}.{kind}.pickle"
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    temporary.write_bytes(pickle.dumps((_FORMAT, *value), protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)


def corpus_rows(partitions: Mapping, signatures: Mapping[str, str] | None = None, cache: Path | None = None,
                on_load: Callable[[int, int], None] | None = None) -> Rows:
    """The rows of every partition; with ``signatures`` (per partition, changing whenever it is stored
    again) and a ``cache`` folder, only the partitions new or changed since the cache was written are
    loaded and converted, and the rows of those gone are dropped. ``on_load(changed, total)`` reports how
    many partitions were converted.
    """
    keys = list(partitions)
    cached = _load(cache) if cache is not None and signatures is not None else None
    if cached is None:
        changed, gone, rows = keys, [], None
    else:
        before, rows, deltas = cached
        changed = [key for key in keys if before.get(key) != signatures[key]]
        gone = sorted(set(before) - set(keys))
        rows = _drop(rows, set(changed) | set(gone))
    if on_load is not None:
        on_load(len(changed), len(keys))
    new_rows = rows_of(partitions[key] for key in changed)
    rows = new_rows if rows is None else _concat(rows, new_rows)
    if cache is not None and signatures is not None:
        existing = _files(cache)
        number = existing[-1][0] + 1 if existing else 0
        if cached is None or deltas >= MAX_DELTAS:
            _write(cache, number, "base", ({k: signatures[k] for k in keys}, [], rows))
            for _, _, path in existing:  # only after the new base is in place
                path.unlink(missing_ok=True)
        elif changed or gone:
            _write(cache, number, "delta", ({k: signatures[k] for k in changed}, gone, new_rows))
    return rows
