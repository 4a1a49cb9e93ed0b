"""Per-document extractions become the release's tables.

This is where the corpus comes together: actors are deduplicated by id,
events by what identifies them (type, date, core actors) so that two articles
reporting one event give one ``events`` row with two ``event_reports`` rows,
and every row gets its stable id. Rows are sorted so that the same sources
always give the same tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

from pipeline.actors.registry import Actor
from pipeline.events.model import EventRecord
from pipeline.extraction import DocumentExtraction
from pipeline.release.ids import stable_id
from pipeline.sources.ingest import Ingested
from schemas.derive import frame

ROLE_RANK = {"initiator": 0, "target": 1, "affected": 2, "participant": 3}


def documents_table(ingested: Ingested) -> pd.DataFrame:
    rows = [
        {
            "doc_id": d.doc_id,
            "source_path": d.source_path,
            "title": d.title,
            "publisher": d.publisher,
            "url": d.url,
            "published_date": pd.Timestamp(d.published_date) if d.published_date else pd.NaT,
            "text_sha256": d.text_sha256,
            "n_chars": len(d.body),
        }
        for d in sorted(ingested.documents, key=lambda d: d.doc_id)
    ]
    return frame("documents", rows)


def quarantine_table(ingested: Ingested) -> pd.DataFrame:
    rows = [{"source_path": p.source_path, "line": p.line, "reason": p.reason, "detail": p.detail}
            for p in ingested.problems]
    rows.sort(key=lambda r: (r["source_path"], r["line"] or 0, r["reason"]))
    df = frame("quarantine", rows)
    df["line"] = df["line"].astype("Int64")
    return df


def actors_table(extractions: Iterable[DocumentExtraction]) -> pd.DataFrame:
    """One row per actor mentioned anywhere; aliases are the known ones plus every surface form seen."""
    actors: dict[str, Actor] = {}
    seen: dict[str, set[str]] = defaultdict(set)
    for extraction in extractions:
        for actor in extraction.actors:
            actors.setdefault(actor.actor_id, actor)
        for mention in extraction.mentions:
            seen[mention.actor_id].add(mention.text)
    rows = []
    for actor_id in sorted(actors):
        actor = actors[actor_id]
        aliases = sorted((set(actor.aliases) | seen[actor_id]) - {actor.name})
        rows.append({"actor_id": actor_id, "name": actor.name, "actor_type": actor.actor_type,
                     "country": actor.country, "aliases": aliases, "wikidata_id": actor.wikidata_id,
                     "in_registry": actor.in_registry})
    return frame("actors", rows)


def actor_mentions_table(extractions: Iterable[DocumentExtraction]) -> pd.DataFrame:
    rows = [{"doc_id": e.doc_id, "actor_id": m.actor_id, "text": m.text, "char_start": m.start, "char_end": m.end}
            for e in extractions for m in e.mentions]
    rows.sort(key=lambda r: (r["doc_id"], r["char_start"]))
    return frame("actor_mentions", rows)


def event_key(record: EventRecord, doc_id: str) -> tuple:
    """What makes two reports one event: type, date and who acted (a state for its agencies).

    An undated event is only merged within its document: without a date, two
    reports of the same kind by the same actor may be different events.
    """
    if record.event_date is None:
        return (record.event_type, doc_id, record.anchor)
    return (record.event_type, record.event_date.isoformat(), record.date_precision, record.anchor)


def event_tables(extractions: Iterable[DocumentExtraction]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(events, event_actors, event_reports), deduplicated across documents."""
    reports: dict[tuple, list[tuple[str, EventRecord]]] = defaultdict(list)
    for extraction in sorted(extractions, key=lambda e: e.doc_id):
        for record in sorted(extraction.events, key=lambda r: r.char_start):
            reports[event_key(record, extraction.doc_id)].append((extraction.doc_id, record))
    events, roles, report_rows = [], [], []
    for key, group in reports.items():
        event_id = stable_id("event", *key)
        first = group[0][1]
        events.append({"event_id": event_id, "event_type": first.event_type, "summary": first.summary,
                       "event_date": pd.Timestamp(first.event_date) if first.event_date else pd.NaT,
                       "date_precision": first.date_precision, "status": first.status})
        best_role: dict[str, str] = {}
        for _, record in group:
            for actor_id, role in record.actors:
                if actor_id not in best_role or ROLE_RANK[role] < ROLE_RANK[best_role[actor_id]]:
                    best_role[actor_id] = role
        roles += [{"event_id": event_id, "actor_id": a, "role": r} for a, r in sorted(best_role.items())]
        seen_reports = set()
        for doc_id, record in group:
            if (doc_id, record.char_start) in seen_reports:
                continue
            seen_reports.add((doc_id, record.char_start))
            report_rows.append({"event_id": event_id, "doc_id": doc_id, "char_start": record.char_start,
                                "char_end": record.char_end, "evidence_text": record.evidence_text,
                                "attributed_to_actor_id": record.attributed_to_actor_id})
    events.sort(key=lambda r: r["event_id"])
    roles.sort(key=lambda r: (r["event_id"], r["actor_id"]))
    report_rows.sort(key=lambda r: (r["event_id"], r["doc_id"], r["char_start"]))
    return frame("events", events), frame("event_actors", roles), frame("event_reports", report_rows)


def forecasts_table(extractions: Iterable[DocumentExtraction]) -> pd.DataFrame:
    rows = []
    for extraction in extractions:
        for f in extraction.forecasts:
            forecast_id = stable_id("forecast", extraction.doc_id, f.char_start, f.target, f.metric,
                                    f.value_low, f.value_high, f.unit, f.horizon_end)
            rows.append({
                "forecast_id": forecast_id, "doc_id": extraction.doc_id,
                "forecaster_actor_id": f.forecaster_actor_id, "subject_actor_id": f.subject_actor_id,
                "target": f.target, "metric": f.metric, "value_low": f.value_low, "value_high": f.value_high,
                "unit": f.unit, "comparator": f.comparator,
                "horizon_start": pd.Timestamp(f.horizon_start) if f.horizon_start else pd.NaT,
                "horizon_end": pd.Timestamp(f.horizon_end) if f.horizon_end else pd.NaT,
                "issued_date": pd.Timestamp(f.issued_date) if f.issued_date else pd.NaT,
                "hedge": f.hedge, "evidence_text": f.evidence_text, "char_start": f.char_start,
                "char_end": f.char_end, "resolution_status": "open",
            })
    # The same figure stated twice at one place is one forecast.
    unique = {r["forecast_id"]: r for r in rows}
    return frame("forecasts", sorted(unique.values(), key=lambda r: (r["doc_id"], r["char_start"], r["forecast_id"])))
