"""``python -m pipeline review RELEASE``: the rows of a release most worth a reviewer's look.

Three kinds of row, least sure first: event reports and forecasts whose ``confidence`` is below a bar,
events without a date, and forecasts without a forecaster. Each comes with its evidence and a curation
entry to paste into ``curation.yaml`` once edited (:mod:`pipeline.release.curation`): the entry that drops
the row, or the one that fills in what it lacks, with ``reason`` left for the reviewer to state. The list
is written as Markdown (to read) and CSV (to sort and share).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

LOW_CONFIDENCE = 0.8  # rows below this are listed: about one in five or more of them is wrong
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # written unquoted: ids, slugs, vocabulary words
YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "y", "n", "null"}  # what YAML would not read as text
COLUMNS = ("kind", "table", "id", "doc_id", "confidence", "rule", "what", "evidence", "curation")


def _flow(entry: dict) -> str:
    """A one-line YAML list entry (flow style), keys in the order given."""
    def value(v) -> str:
        if isinstance(v, int | float) and not isinstance(v, bool):
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        text = str(v)
        if isinstance(v, dt.date) or (PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS):
            return text
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "- {" + ", ".join(f"{k}: {value(v)}" for k, v in entry.items()) + "}"


def _month_of(published) -> dict:
    """A date to start from: the publication month (most undated events are the article's news)."""
    if published is None or pd.isna(published):
        return {"event_date": "YYYY-MM-DD", "date_precision": "day"}
    return {"event_date": pd.Timestamp(published).date().replace(day=1), "date_precision": "month"}


def _given(row, columns: tuple[str, ...]) -> dict:
    """The row's values of ``columns`` that are set, dates as dates."""
    values = {}
    for column in columns:
        value = getattr(row, column)
        if value is not None and not pd.isna(value):
            values[column] = pd.Timestamp(value).date() if isinstance(value, pd.Timestamp) else value
    return values


def _first_actor(mentions: pd.DataFrame, row) -> str:
    """The first actor named in the row's evidence: a guess at the forecaster for the reviewer to check."""
    inside = mentions[(mentions["doc_id"] == row.doc_id) & (mentions["char_start"] >= row.char_start)
                      & (mentions["char_end"] <= row.char_end)].sort_values("char_start")
    return inside["actor_id"].iloc[0] if len(inside) else "TODO"


def _read(release: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(release / f"{table}.parquet")


def worklist(release: Path, low: float = LOW_CONFIDENCE) -> pd.DataFrame:
    """The rows to review, one per line (``COLUMNS``), least confident first within each kind."""
    events, reports, forecasts = _read(release, "events"), _read(release, "event_reports"), _read(release, "forecasts")
    reports = reports.merge(events[["event_id", "event_type", "event_date"]], on="event_id", how="left")
    published = _read(release, "documents").set_index("doc_id")["published_date"]
    mentions = _read(release, "actor_mentions")
    items = []
    # an event once, at its least confident report: one decision drops it whatever reports it
    doubtful = reports[reports["confidence"] < low].sort_values(["confidence", "doc_id"], kind="stable")
    for r in doubtful.drop_duplicates("event_id").itertuples():
        items.append(("low_confidence", "event_reports", r.event_id, r.doc_id, r.confidence, r.rule,
                      f"{r.event_type} event", r.evidence_text,
                      _flow({"action": "drop_event", "event_id": r.event_id, "reason": "TODO"})))
    for r in forecasts[forecasts["confidence"] < low].itertuples():
        items.append(("low_confidence", "forecasts", r.forecast_id, r.doc_id, r.confidence, r.rule,
                      f"{r.metric} {r.value_low}..{r.value_high} {r.unit}", r.evidence_text,
                      _flow({"action": "drop_forecast", "forecast_id": r.forecast_id, "reason": "TODO"})))
    undated = reports[reports["event_date"].isna()].drop_duplicates("event_id")
    for r in undated.itertuples():
        items.append(("no_date", "events", r.event_id, r.doc_id, r.confidence, r.rule, f"{r.event_type} event",
                      r.evidence_text, _flow({"action": "redate_event", "event_id": r.event_id,
                                              **_month_of(published.get(r.doc_id)), "reason": "TODO"})))
    for r in forecasts[forecasts["forecaster_actor_id"].isna()].itertuples():
        # Re-adding it with its forecaster replaces it: drop the old row, add the same evidence with one.
        items.append(("no_forecaster", "forecasts", r.forecast_id, r.doc_id, r.confidence, r.rule,
                      f"{r.metric} {r.value_low}..{r.value_high} {r.unit}", r.evidence_text,
                      _flow({"action": "drop_forecast", "forecast_id": r.forecast_id, "reason": "TODO"}) + "\n"
                      + _flow({"action": "add_forecast", "doc_id": r.doc_id, "evidence": r.evidence_text,
                               **_given(r, ("target", "metric", "value_low", "value_high", "unit", "comparator",
                                            "horizon_start", "horizon_end", "subject_actor_id", "hedge")),
                               "forecaster_actor_id": _first_actor(mentions, r), "reason": "TODO"})))
    out = pd.DataFrame(items, columns=list(COLUMNS))
    order = {"low_confidence": 0, "no_date": 1, "no_forecaster": 2}
    return out.sort_values(["kind", "confidence", "id"], key=lambda s: s.map(order) if s.name == "kind" else s,
                           kind="stable").reset_index(drop=True)


def to_csv(items: pd.DataFrame) -> str:
    out = io.StringIO()
    items.to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    return out.getvalue()


HEADINGS = {"low_confidence": "Low confidence", "no_date": "Events without a date",
            "no_forecaster": "Forecasts without a forecaster"}


def to_markdown(items: pd.DataFrame, release: Path, low: float = LOW_CONFIDENCE) -> str:
    lines = [f"# Review worklist for {release}", "",
             f"{len(items)} row(s): confidence below {low}, events without a date, forecasts without a forecaster. "
             "Edit an entry (its `reason` above all) and paste it into `curation.yaml`; the next build applies it.",
             ""]
    for kind, heading in HEADINGS.items():
        mine = items[items["kind"] == kind]
        lines += [f"## {heading} ({len(mine)})", ""]
        for r in mine.itertuples():
            lines += [f"### {r.table} `{r.id}` ({r.what}; confidence {r.confidence:.2f}, rule `{r.rule}`)", "",
                      f"Document `{r.doc_id}`:", "", f"> {r.evidence}", "", "```yaml", r.curation, "```", ""]
    return "\n".join(lines)


def write_worklist(release: Path, output: Path, low: float = LOW_CONFIDENCE) -> tuple[Path, Path, int]:
    """Write ``<output>.md`` and ``<output>.csv``; returns their paths and the number of rows listed."""
    items = worklist(release, low)
    output.parent.mkdir(parents=True, exist_ok=True)
    markdown, table = output.with_suffix(".md"), output.with_suffix(".csv")
    markdown.write_text(to_markdown(items, release, low), encoding="utf-8")
    table.write_text(to_csv(items), encoding="utf-8")
    return markdown, table, len(items)
