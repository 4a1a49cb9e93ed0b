"""Who reported an event, how independently, and when it was first known.

``events.n_documents`` counts the documents reporting an event, ``events.n_sources`` the stories among
them: documents whose bodies are near-duplicates (:mod:`pipeline.release.near_duplicates`: syndicated
copies, light rewrites), or one of which cites the outlet that published the other ("according to
<outlet>"), tell one story. ``event_reports.story_doc_id`` names each report's story by its first document,
so the count can be taken again over any subset of the reports (``events_as_of`` in
:mod:`pipeline.release.views`). Dates are the documents' published dates: no wall-clock time.
"""

from __future__ import annotations

import pandas as pd

from pipeline.release.near_duplicates import signature, stories

OUTLET = "media_outlet"


def _outlet_publishers(documents: pd.DataFrame, actors: pd.DataFrame) -> pd.Series:
    """doc_id -> the outlet actor that published the document, where its publisher names one."""
    outlets = actors[actors["actor_type"] == OUTLET]
    names = {}
    for actor_id, name, aliases in zip(outlets["actor_id"], outlets["name"], outlets["aliases"], strict=True):
        for form in (name, *aliases):
            names.setdefault(form.casefold(), actor_id)
    publishers = documents.set_index("doc_id")["publisher"].dropna()
    return publishers.map(lambda publisher: names.get(publisher.casefold())).dropna()


def _story_of(group: pd.DataFrame, signatures: dict, outlet_of: pd.Series) -> dict[str, str]:
    """doc_id -> its story's first document, for the documents of one event (in story order)."""
    doc_ids = list(group["doc_id"].unique())
    first = stories([signatures[d] for d in doc_ids])
    story = {d: doc_ids[i] for d, i in zip(doc_ids, first, strict=True)}
    # A report citing the outlet that published another document of the event retells that document's story.
    by_outlet = {outlet_of[d]: story[d] for d in doc_ids if d in outlet_of.index}
    cited = group.dropna(subset=["attributed_to_actor_id"])
    joined = {story[d]: by_outlet[a] for d, a in zip(cited["doc_id"], cited["attributed_to_actor_id"], strict=True)
              if a in by_outlet and by_outlet[a] != story[d]}
    return {d: joined.get(s, s) for d, s in story.items()}


def with_provenance(events: pd.DataFrame, event_reports: pd.DataFrame, documents: pd.DataFrame,
                    actors: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events with n_documents, n_sources, first_reported_date, last_reported_date; event_reports with
    publisher and story_doc_id). ``documents`` are the corpus's rows (with ``body``)."""
    by_doc = documents.set_index("doc_id")
    reports = event_reports.assign(publisher=event_reports["doc_id"].map(by_doc["publisher"]),
                                   _published=event_reports["doc_id"].map(by_doc["published_date"]))
    # One row per event and document, earliest published first (undated last), so a story is named by its
    # first document.
    pairs = (reports[["event_id", "doc_id", "_published", "attributed_to_actor_id"]]
             .sort_values(["event_id", "_published", "doc_id"], kind="stable", na_position="last"))
    shared = pairs["event_id"].duplicated(keep=False)
    bodies = by_doc["body"]
    signatures = {d: signature(bodies[d]) for d in pairs.loc[shared, "doc_id"].unique()}
    outlet_of = _outlet_publishers(documents, actors)
    story: dict[tuple[str, str], str] = {}
    for event_id, group in pairs[shared].groupby("event_id", sort=False):
        story.update({(event_id, d): s for d, s in _story_of(group, signatures, outlet_of).items()})
    keys = list(zip(reports["event_id"], reports["doc_id"], strict=True))
    reports["story_doc_id"] = [story.get(key, key[1]) for key in keys]
    counts = reports.groupby("event_id").agg(n_documents=("doc_id", "nunique"), n_sources=("story_doc_id", "nunique"),
                                             first_reported_date=("_published", "min"),
                                             last_reported_date=("_published", "max"))
    events = events.assign(**{column: events["event_id"].map(counts[column]) for column in counts})
    return events, reports.drop(columns="_published")
