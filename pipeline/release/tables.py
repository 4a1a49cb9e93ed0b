"""The corpus's rows become the release's tables.

This is where the corpus comes together: one document per text (the first
file's, by relative path, as ``ingest`` reads the folder), actors deduplicated
by id, events by what identifies them (:func:`pipeline.release.rows.event_key`)
so that two articles reporting one event give one ``events`` row with two
``event_reports`` rows. Every row already has its stable id (:mod:`pipeline.release.rows`);
here rows are only selected, merged and sorted, in vectorised pandas, so that
the same sources always give the same tables and a corpus of 10,000 articles
is put together in seconds.
"""

from __future__ import annotations

import pandas as pd

from pipeline.release.coverage import coverage_table, with_outcomes
from pipeline.release.provenance import with_provenance
from pipeline.release.quality import with_confidence
from pipeline.release.rows import Rows
from schemas.derive import columns

_STABLE = "stable"  # ties keep the rows' order: a document's rows are in extraction order
GOVERNMENT_TYPES = ("country_government", "government_agency")  # the actors whose country an event's is


def _table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table's columns in the model's order (absent ones empty), a fresh 0..n index."""
    return df.reindex(columns=list(columns(name))).reset_index(drop=True)


def kept_documents(rows: Rows) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the first document of each text in folder order, duplicate problems for the later copies)."""
    documents = rows["documents"].sort_values(["order", "position"], kind=_STABLE)
    later = documents.duplicated("doc_id")
    first_path = documents[~later].set_index("doc_id")["source_path"]
    copies = documents[later]
    duplicates = pd.DataFrame({
        "source_path": copies["source_path"], "line": pd.array([None] * len(copies), dtype="Int64"),
        "reason": "duplicate", "doc_id": copies["doc_id"],
        "detail": "same text as " + copies["doc_id"].map(first_path).astype(object) + ": one document, recorded there"})
    return documents[~later], duplicates


def _from_kept(df: pd.DataFrame, kept: pd.DataFrame, everything: bool) -> pd.DataFrame:
    """The rows of the kept copy of each document (a duplicate's partition has the same doc_ids)."""
    if df.empty or everything:
        return df
    pairs = pd.MultiIndex.from_frame(kept[["partition", "doc_id"]])
    return df[pd.MultiIndex.from_frame(df[["partition", "doc_id"]]).isin(pairs)]


def corpus(rows: Rows) -> Rows:
    """The rows of the kept documents only, and the problems with a ``duplicate`` one per later copy."""
    kept, duplicates = kept_documents(rows)
    everything = len(kept) == len(rows["documents"])  # no duplicate: nothing to filter
    assembled = {name: _from_kept(df, kept, everything) for name, df in rows.items()
                 if name not in ("documents", "problems")}
    problems = rows["problems"].sort_values(["order", "position"], kind=_STABLE)
    assembled["documents"] = kept.sort_values("source_path", kind=_STABLE)
    problems = problems[["source_path", "line", "reason", "detail"]]  # a duplicate's adds the kept doc_id
    assembled["problems"] = pd.concat([problems, duplicates], ignore_index=True) if len(duplicates) else problems
    return assembled


def documents_table(rows: Rows) -> pd.DataFrame:
    return _table("documents", rows["documents"].sort_values("doc_id", kind=_STABLE))


def document_texts_table(rows: Rows) -> pd.DataFrame:
    return _table("document_texts", rows["documents"].sort_values("doc_id", kind=_STABLE))


def quarantine_table(rows: Rows) -> pd.DataFrame:
    problems = rows["problems"].assign(_line=rows["problems"]["line"].fillna(0))
    return _table("quarantine", problems.sort_values(["source_path", "_line", "reason"], kind=_STABLE))


def actors_table(rows: Rows) -> pd.DataFrame:
    """One row per actor mentioned anywhere; aliases are the known ones plus every surface form seen."""
    order = rows["documents"].set_index("doc_id")["source_path"]
    actors = rows["actors"].assign(_order=rows["actors"]["doc_id"].map(order))
    actors = actors.sort_values("_order", kind=_STABLE).drop_duplicates("actor_id").sort_values("actor_id")
    pairs = rows["mentions"][["actor_id", "text"]].drop_duplicates()  # hashed first: far fewer to group
    seen = pairs.groupby("actor_id")["text"].agg(set)
    actors["aliases"] = [sorted((set(known) | seen.get(actor_id, set())) - {name})
                         for actor_id, name, known in zip(actors["actor_id"], actors["name"], actors["aliases"],
                                                          strict=True)]
    return _table("actors", actors)


def actor_mentions_table(rows: Rows) -> pd.DataFrame:
    return _table("actor_mentions", rows["mentions"].sort_values(["doc_id", "char_start"], kind=_STABLE))


def event_tables(rows: Rows) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(events, event_actors, event_reports), deduplicated across documents.

    An event's fields are those of its first report (by document, then offset); each actor keeps the
    strongest role any report gives it; one report per event and place in a document.
    """
    reports = rows["reports"].sort_values(["doc_id", "char_start"], kind=_STABLE)
    events = reports.drop_duplicates("event_id").sort_values("event_id")
    roles = (rows["roles"].sort_values(["event_id", "actor_id", "role_rank"], kind=_STABLE)
             .drop_duplicates(["event_id", "actor_id"]))
    reports = reports.drop_duplicates(["event_id", "doc_id", "char_start"]).sort_values(
        ["event_id", "doc_id", "char_start"], kind=_STABLE)
    return _table("events", events), _table("event_actors", roles), _table("event_reports", reports)


def with_document_urls(event_reports: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``event_reports.url``: the URL of the document each report is in."""
    return event_reports.assign(url=event_reports["doc_id"].map(documents.set_index("doc_id")["url"]))


def with_acting_countries(events: pd.DataFrame, event_actors: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """``events.country``: the one country (``actors.country``) of the governments and agencies that
    initiated the event; none when no initiator is one, or when they are of different countries."""
    # as objects: a corpus without events (or actors) has empty tables whose columns pandas made float
    initiators = event_actors.loc[event_actors["role"] == "initiator", ["event_id", "actor_id"]].astype(object)
    governments = actors.loc[actors["actor_type"].isin(GOVERNMENT_TYPES), ["actor_id", "country"]].astype(object)
    acting = initiators.merge(governments, on="actor_id")
    countries = acting.dropna(subset=["country"]).drop_duplicates(["event_id", "country"])
    single = countries[~countries["event_id"].duplicated(keep=False)].set_index("event_id")["country"]
    return events.assign(country=events["event_id"].map(single))


def forecasts_table(rows: Rows) -> pd.DataFrame:
    # The same figure stated twice at one place is one forecast.
    forecasts = rows["forecasts"].drop_duplicates("forecast_id", keep="last")
    forecasts = forecasts.sort_values(["doc_id", "char_start", "forecast_id"], kind=_STABLE)
    return _table("forecasts", forecasts.assign(resolution_status="open", matching_observations=0,
                                                resolution_conflict=False))


def refused_figures_table(rows: Rows) -> pd.DataFrame:
    return _table("refused_figures", rows["refused"].sort_values(["doc_id", "figure_start"], kind=_STABLE))


def observations_table(rows: Rows) -> pd.DataFrame:
    # The same figure read twice at one place (a duplicate partition's copy) is one observation.
    observations = rows["observations"].drop_duplicates("observation_id", keep="last")
    return _table("observations", observations.sort_values(["doc_id", "figure_start", "observation_id"],
                                                           kind=_STABLE))


def release_tables(assembled: Rows) -> dict[str, pd.DataFrame]:
    """Every table of the release from the corpus's rows (:func:`corpus`), before validation; ``quarantine``
    holds the problems met reading the sources."""
    documents, actors = documents_table(assembled), actors_table(assembled)
    events, event_actors, event_reports = event_tables(assembled)
    forecasts = forecasts_table(assembled)
    coded = pd.concat([event_reports["doc_id"], forecasts["doc_id"]], ignore_index=True)
    return {"documents": documents, "actors": actors, "actor_mentions": actor_mentions_table(assembled),
            "events": with_acting_countries(events, event_actors, actors), "event_actors": event_actors,
            "event_reports": with_confidence("event_reports", with_document_urls(event_reports, documents)),
            "forecasts": with_confidence("forecasts", forecasts),
            "refused_figures": refused_figures_table(assembled), "observations": observations_table(assembled),
            "document_texts": document_texts_table(assembled), "quarantine": quarantine_table(assembled),
            "coverage": _table("coverage", coverage_table(assembled["documents"], assembled["problems"], coded))}


def with_event_provenance(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with each event's documents, independent sources and report dates counted over its reports
    (:mod:`pipeline.release.provenance`), and each input coded or not by its rows: after curation, whose
    decisions add, drop and move rows."""
    documents = tables["documents"].merge(tables["document_texts"], on="doc_id")
    events, event_reports = with_provenance(tables["events"], tables["event_reports"], documents, tables["actors"])
    coded = pd.concat([event_reports["doc_id"], tables["forecasts"]["doc_id"]], ignore_index=True)
    return {**tables, "events": events, "event_reports": event_reports,
            "coverage": with_outcomes(tables["coverage"], coded)}
