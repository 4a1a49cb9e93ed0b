"""Pandera models of the release tables: the single source of truth for columns and types.

Each field carries its description and, in ``metadata["arrow"]``, the Arrow
type it is stored as where the pandas dtype does not say it (dates, lists).
The first seven models are the contract of ../shared/contract/RELEASE_SCHEMA.md;
``RefusedFigures`` (figures refused as no forecast), ``Observations`` (actual figures reported),
``DocumentTexts`` (the bodies the offsets count in), ``Quarantine`` (inputs and rows that were set aside),
``Coverage`` (every input and what became of it), ``Removed`` (tombstones of the previous release's rows),
``CurationLog`` and ``IdRedirects`` (what the curation file decided) are this project's additions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import vocabularies as vocab

DATE = {"arrow": "date32"}
STRING_LIST = {"arrow": "list<string>"}
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HEX_ID = r"^[0-9a-f]{16}$"


def _is_string_list(series: pd.Series) -> pd.Series:
    # Read back from Parquet, a list column holds numpy arrays.
    return series.map(lambda v: isinstance(v, list | tuple | np.ndarray) and all(isinstance(x, str) for x in v))


class Documents(pa.DataFrameModel):
    """One row per ingested article."""

    doc_id: Series[str] = pa.Field(unique=True, str_matches=HEX_ID,
                                   description="Stable id: the first 16 hex digits of the body's sha256.")
    source_path: Series[str] = pa.Field(
        description="Path relative to the sources folder (`file.jsonl#<id>` for a JSONL article).")
    title: Series[str] = pa.Field(nullable=True, description="Title from front matter or JSONL.")
    publisher: Series[str] = pa.Field(nullable=True, description="Publisher from front matter or JSONL.")
    url: Series[str] = pa.Field(nullable=True, description="URL from front matter or JSONL.")
    published_date: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE, description="Publication date; the reference for relative dates.")
    text_sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$",
                                        description="sha256 of the body text (UTF-8).")
    n_chars: Series[int] = pa.Field(ge=0, description="Length of the body in Unicode code points.")
    format: Series[str] = pa.Field(isin=vocab.SOURCE_FORMATS,
                                   description="What the document was read from: `text` (.txt/.md), `jsonl`, "
                                               "`html` (a saved page's main text), `rss` / `atom` (a feed "
                                               "item), `pdf`.")
    original_sha256: Series[str] = pa.Field(
        str_matches=r"^[0-9a-f]{64}$",
        description="sha256 of the original bytes: the file (a feed file for each of its items), or a JSONL "
                    "article's line.")
    published_source: Series[str] = pa.Field(
        nullable=True, isin=vocab.PUBLISHED_SOURCES,
        description="Where `published_date` came from: `front_matter` (or the JSONL record), `format_metadata` "
                    "(the page's, feed item's or PDF's own), `dateline` or `url_path`; null without a date.")

    class Config:
        strict = True
        coerce = True
        title = "documents"


class Actors(pa.DataFrameModel):
    """One row per real-world actor, deduplicated across the corpus."""

    actor_id: Series[str] = pa.Field(unique=True, str_matches=SLUG,
                                     description="Stable slug, e.g. `huawei`, `us-government`.")
    name: Series[str] = pa.Field(str_length={"min_value": 1}, description="Canonical name.")
    actor_type: Series[str] = pa.Field(isin=vocab.ACTOR_TYPES, description="Kind of actor.")
    country: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{2}$",
                                    description="ISO 3166-1 alpha-2 country code (EU for EU bodies).")
    aliases: Series[object] = pa.Field(metadata=STRING_LIST,
                                       description="Surface forms known or seen for the actor.")
    wikidata_id: Series[str] = pa.Field(nullable=True, str_matches=r"^Q[1-9][0-9]*$",
                                        description="Wikidata id where known.")
    in_registry: Series[bool] = pa.Field(
        description="True when the actor comes from the reviewed registry, false when discovered in text.")

    @pa.check("aliases", name="list_of_strings")
    def aliases_are_string_lists(cls, series: pd.Series) -> pd.Series:  # noqa: N805 - pandera classmethod
        return _is_string_list(series)

    class Config:
        strict = True
        coerce = True
        title = "actors"


class ActorMentions(pa.DataFrameModel):
    """Each place a document names an actor."""

    doc_id: Series[str] = pa.Field(description="Document the mention is in.")
    actor_id: Series[str] = pa.Field(description="Actor mentioned.")
    text: Series[str] = pa.Field(str_length={"min_value": 1},
                                 description="Surface form: `body[char_start:char_end]`.")
    char_start: Series[int] = pa.Field(ge=0, description="Start offset in the body (code points).")
    char_end: Series[int] = pa.Field(ge=1, description="End offset in the body (exclusive).")

    class Config:
        strict = True
        coerce = True
        unique = ["doc_id", "char_start", "char_end"]
        title = "actor_mentions"


class Events(pa.DataFrameModel):
    """One row per real-world event, deduplicated across documents."""

    event_id: Series[str] = pa.Field(unique=True, str_matches=HEX_ID, description="Stable id.")
    event_type: Series[str] = pa.Field(isin=vocab.EVENT_TYPES, description="Type of event.")
    summary: Series[str] = pa.Field(str_length={"min_value": 1}, description="One short line.")
    event_date: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE,
        description="First day of the period the event happened in, at `date_precision`.")
    date_precision: Series[str] = pa.Field(isin=vocab.DATE_PRECISIONS, description="Precision of the date.")
    status: Series[str] = pa.Field(isin=vocab.EVENT_STATUSES,
                                   description="`reported`, `reportedly` (hedged) or `planned`.")
    country: Series[str] = pa.Field(
        nullable=True, str_matches=r"^[A-Z]{2}$",
        description="Where the acting government sits: the `actors.country` of the event's initiators that are "
                    "a `country_government` or `government_agency`, when they share one; null when no initiator "
                    "is one or they are of different countries (where an event happened is not extracted).")
    n_documents: Series[int] = pa.Field(ge=1, description="Documents that report the event.")
    n_sources: Series[int] = pa.Field(
        ge=1, description="Independent sources among them: the distinct `event_reports.story_doc_id`, so "
                          "syndicated copies and light rewrites of one story (near-duplicate bodies), and a "
                          "report citing the outlet that published another, count once.")
    first_reported_date: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE,
        description="Earliest `documents.published_date` of the documents reporting it; null when none is dated.")
    last_reported_date: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE,
        description="Latest `documents.published_date` of the documents reporting it; null when none is dated.")

    class Config:
        strict = True
        coerce = True
        title = "events"


class EventActors(pa.DataFrameModel):
    """Who took part in an event, and how."""

    event_id: Series[str] = pa.Field(description="Event.")
    actor_id: Series[str] = pa.Field(description="Actor taking part.")
    role: Series[str] = pa.Field(isin=vocab.ROLES, description="initiator, target, affected or participant.")

    class Config:
        strict = True
        coerce = True
        unique = ["event_id", "actor_id"]
        title = "event_actors"


class EventReports(pa.DataFrameModel):
    """Which documents report an event, and where."""

    event_id: Series[str] = pa.Field(description="Event reported.")
    doc_id: Series[str] = pa.Field(description="Document reporting it.")
    char_start: Series[int] = pa.Field(ge=0, description="Start of the evidence in the body.")
    char_end: Series[int] = pa.Field(ge=1, description="End of the evidence in the body.")
    evidence_text: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 1000},
                                          description="The sentence: `body[char_start:char_end]`.")
    attributed_to_actor_id: Series[str] = pa.Field(
        nullable=True, description="Outlet or person the document cites for it.")
    url: Series[str] = pa.Field(nullable=True, description="URL of the document (`documents.url`), where known.")
    publisher: Series[str] = pa.Field(nullable=True,
                                      description="Publisher of the document (`documents.publisher`), where known.")
    story_doc_id: Series[str] = pa.Field(
        str_matches=HEX_ID,
        description="The story the document tells, named by its first document (earliest published, then by "
                    "doc_id) among the event's reports: documents with near-duplicate bodies (MinHash over "
                    "word shingles), or citing the outlet that published one of them, tell one story.")
    rule: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="What produced the row: the extraction rule's name (see docs/EXTRACTION.md) or `curation`.")
    confidence: Series[float] = pa.Field(
        ge=0, le=1, description="How likely the row is right, 0..1: the precision its rule showed on the project's "
                                "annotated articles (docs/EXTRACTION.md); 1 for a row a curator added.")

    class Config:
        strict = True
        coerce = True
        unique = ["event_id", "doc_id", "char_start"]
        title = "event_reports"


class Forecasts(pa.DataFrameModel):
    """One row per forecast or estimate stated in a document."""

    forecast_id: Series[str] = pa.Field(unique=True, str_matches=HEX_ID, description="Stable id.")
    doc_id: Series[str] = pa.Field(description="Document stating it.")
    forecaster_actor_id: Series[str] = pa.Field(nullable=True, description="Who makes the forecast.")
    subject_actor_id: Series[str] = pa.Field(nullable=True, description="Whose figure it is, where one actor's.")
    target: Series[str] = pa.Field(str_length={"min_value": 1}, description="What is forecast, short text.")
    metric: Series[str] = pa.Field(isin=vocab.METRICS, description="Kind of figure.")
    value_low: Series[float] = pa.Field(nullable=True, description="Lower bound (a point sets both).")
    value_high: Series[float] = pa.Field(nullable=True, description="Upper bound (a point sets both).")
    unit: Series[str] = pa.Field(str_length={"min_value": 1},
                                 description="`percent` (60 = 60%), `usd`, `cny`, `units`, ...")
    comparator: Series[str] = pa.Field(isin=vocab.COMPARATORS, description="=, >, >=, <, <= or ~.")
    horizon_start: Series[pd.Timestamp] = pa.Field(nullable=True, metadata=DATE,
                                                   description="Start of the period forecast.")
    horizon_end: Series[pd.Timestamp] = pa.Field(nullable=True, metadata=DATE,
                                                 description="End of the period forecast.")
    issued_date: Series[pd.Timestamp] = pa.Field(nullable=True, metadata=DATE,
                                                 description="When the forecast was made.")
    hedge: Series[str] = pa.Field(nullable=True, description="Hedging word: projected, expected, could ...")
    evidence_text: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 1000},
                                          description="The sentence: `body[char_start:char_end]`.")
    char_start: Series[int] = pa.Field(ge=0, description="Start of the evidence in the body.")
    char_end: Series[int] = pa.Field(ge=1, description="End of the evidence in the body.")
    resolution_status: Series[str] = pa.Field(isin=vocab.RESOLUTION_STATUSES,
                                              description="open, resolved_true or resolved_false.")
    observed_value: Series[float] = pa.Field(
        nullable=True, description="What was observed once the horizon passed (from resolutions.yaml).")
    observed_date: Series[pd.Timestamp] = pa.Field(nullable=True, metadata=DATE,
                                                   description="When the observed value was recorded.")
    resolution_source: Series[str] = pa.Field(
        nullable=True, description="URL or citation of the observed value; for a resolution by an observation, "
                                   "`<doc_id>:<char_start>-<char_end>` of the observation's evidence.")
    resolution_method: Series[str] = pa.Field(
        nullable=True, isin=vocab.RESOLUTION_METHODS,
        description="`observation` (settled by an `observations` row of a later document) or `manual` "
                    "(resolutions.yaml, which overrides); null while open.")
    resolution_observation_id: Series[str] = pa.Field(
        nullable=True, str_matches=HEX_ID,
        description="The `observations.observation_id` that settled it, for `resolution_method = observation`.")
    matching_observations: Series[int] = pa.Field(
        ge=0, description="How many observations of later documents report the forecast's subject, metric and "
                          "period (each kept in `observations`, never averaged).")
    resolution_conflict: Series[bool] = pa.Field(
        description="True when the matching observations report different values; when they also disagree on "
                    "whether the forecast came true, it is left open (unless resolutions.yaml settles it).")
    rule: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="What produced the row: the extraction rule's name (see docs/EXTRACTION.md) or `curation`.")
    confidence: Series[float] = pa.Field(
        ge=0, le=1, description="How likely the row is right, 0..1: the precision its rule showed on the project's "
                                "annotated articles (docs/EXTRACTION.md); 1 for a row a curator added.")

    @pa.dataframe_check(name="value_low_not_above_value_high")
    def low_not_above_high(cls, df: pd.DataFrame) -> pd.Series:  # noqa: N805 - pandera classmethod
        return df["value_low"].isna() | df["value_high"].isna() | (df["value_low"] <= df["value_high"])

    class Config:
        strict = True
        coerce = True
        title = "forecasts"


class Quarantine(pa.DataFrameModel):
    """Inputs and extracted rows set aside, with the reason (not part of the contract's seven)."""

    source_path: Series[str] = pa.Field(description="File (relative to the sources folder) or table.")
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Line of the file, where it applies.")
    reason: Series[str] = pa.Field(description="Reason code, e.g. `empty_file`, `bad_front_matter`.")
    detail: Series[str] = pa.Field(description="What is wrong, for a person.")

    class Config:
        strict = True
        coerce = True
        title = "quarantine"


class RefusedFigures(pa.DataFrameModel):
    """Figures of forecast-like sentences refused as no forecast, each with the rule that refused it."""

    doc_id: Series[str] = pa.Field(str_matches=HEX_ID, description="Document stating it.")
    figure: Series[str] = pa.Field(str_length={"min_value": 1}, description="The figure as written in the body.")
    figure_start: Series[int] = pa.Field(
        ge=0, description="Where the figure starts in the body: `body[figure_start:figure_start + len(figure)]`.")
    value_low: Series[float] = pa.Field(nullable=True, description="Lower bound as the quantity grammar reads it.")
    value_high: Series[float] = pa.Field(nullable=True, description="Upper bound as the quantity grammar reads it.")
    unit: Series[str] = pa.Field(str_length={"min_value": 1}, description="Unit, as in `forecasts.unit`.")
    reason: Series[str] = pa.Field(isin=tuple(vocab.REFUSAL_REASONS),
                                   description="The rule that refused it.")
    evidence_text: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 1000},
                                          description="The sentence: `body[char_start:char_end]`.")
    char_start: Series[int] = pa.Field(ge=0, description="Start of the sentence in the body.")
    char_end: Series[int] = pa.Field(ge=1, description="End of the sentence in the body.")

    class Config:
        strict = True
        coerce = True
        unique = ["doc_id", "figure_start"]
        title = "refused_figures"


class DocumentTexts(pa.DataFrameModel):
    """The body of each document, which every offset counts in (left out of a release built `--without-text`)."""

    doc_id: Series[str] = pa.Field(unique=True, str_matches=HEX_ID, description="Document.")
    body: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="The text after the front matter (a JSONL article's `text`), UTF-8 with universal newlines: "
                    "`char_start` and `char_end` of every table count its code points.")

    class Config:
        strict = True
        coerce = True
        title = "document_texts"


class Observations(pa.DataFrameModel):
    """Actual figures a document reports as fact ("capex came in at US$40.9 billion in 2025"), read with the
    forecasts' quantity, metric and subject grammar; what settles forecasts automatically."""

    observation_id: Series[str] = pa.Field(unique=True, str_matches=HEX_ID, description="Stable id.")
    doc_id: Series[str] = pa.Field(str_matches=HEX_ID, description="Document reporting it.")
    subject_actor_id: Series[str] = pa.Field(nullable=True,
                                             description="Whose figure it is, where one actor's; null for a market.")
    target: Series[str] = pa.Field(str_length={"min_value": 1}, description="What is measured, short text.")
    metric: Series[str] = pa.Field(isin=vocab.METRICS, description="Kind of figure, as in `forecasts.metric`.")
    value: Series[float] = pa.Field(description="The value (a decline's percentage is negative).")
    unit: Series[str] = pa.Field(str_length={"min_value": 1}, description="Unit, as in `forecasts.unit`.")
    period_start: Series[pd.Timestamp] = pa.Field(metadata=DATE, description="Start of the period it is about.")
    period_end: Series[pd.Timestamp] = pa.Field(metadata=DATE, description="End of the period it is about.")
    reported_by_actor_id: Series[str] = pa.Field(nullable=True,
                                        description="The source the sentence cites or whose saying verb states it.")
    evidence_text: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 1000},
                                          description="The sentence: `body[char_start:char_end]`.")
    char_start: Series[int] = pa.Field(ge=0, description="Start of the evidence in the body.")
    char_end: Series[int] = pa.Field(ge=1, description="End of the evidence in the body.")
    figure_start: Series[int] = pa.Field(ge=0, description="Where the figure starts in the body.")
    figure_end: Series[int] = pa.Field(ge=1, description="Where the figure ends in the body (exclusive).")

    class Config:
        strict = True
        coerce = True
        title = "observations"


class Coverage(pa.DataFrameModel):
    """One row per input the build saw (a file, or a line of a JSONL feed) and what became of it."""

    source_path: Series[str] = pa.Field(
        description="The input: a path relative to the sources folder (`file.jsonl#<id>` for a JSONL article).")
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Line of the feed, for a feed line set aside.")
    doc_id: Series[str] = pa.Field(nullable=True, str_matches=HEX_ID,
                                   description="The document it became (a duplicate's: the kept copy's).")
    outcome: Series[str] = pa.Field(isin=vocab.COVERAGE_OUTCOMES,
                                    description="What became of it.")
    reason: Series[str] = pa.Field(nullable=True,
                                   description="Why it was set aside (`quarantine.reason`), for a duplicate or "
                                               "quarantined input.")
    detail: Series[str] = pa.Field(nullable=True, description="What is wrong, for a person.")

    class Config:
        strict = True
        coerce = True
        title = "coverage"


class Removed(pa.DataFrameModel):
    """Tombstones: rows of the previous release (the one in the output folder) that this one no longer has."""

    table_name: Series[str] = pa.Field(description="Table the row was in.")
    row_key: Series[str] = pa.Field(
        description='The row\'s key as a JSON object, e.g. `{"event_id": "0123456789abcdef"}`.')
    reason: Series[str] = pa.Field(isin=tuple(vocab.REMOVAL_REASONS), description="Why it is gone.")

    class Config:
        strict = True
        coerce = True
        unique = ["table_name", "row_key"]
        title = "removed"


class CurationLog(pa.DataFrameModel):
    """One row per decision of the curation file, and what became of it (not part of the contract's seven)."""

    position: Series[int] = pa.Field(unique=True, ge=1, description="The decision's place in the file (1 = first).")
    line: Series[int] = pa.Field(ge=1, description="Line of the curation file the decision starts on.")
    action: Series[str] = pa.Field(isin=vocab.CURATION_ACTIONS, description="What the decision does.")
    target: Series[str] = pa.Field(str_length={"min_value": 1},
                                   description="What it names: an id, or `doc_id` and evidence for an addition.")
    status: Series[str] = pa.Field(isin=("applied", "unmatched"),
                                   description="`applied`, or `unmatched` when its target is not in the corpus.")
    rows_changed: Series[int] = pa.Field(ge=0, description="Rows of the release it added, removed or changed.")
    detail: Series[str] = pa.Field(description="What it changed, or why it matched nothing.")
    reason: Series[str] = pa.Field(str_length={"min_value": 1}, description="Why the curator decided it.")
    decided_by: Series[str] = pa.Field(nullable=True, description="Who decided it (`by`), where given.")
    decided_on: Series[pd.Timestamp] = pa.Field(nullable=True, metadata=DATE,
                                                description="When it was decided (`date`), where given.")

    class Config:
        strict = True
        coerce = True
        title = "curation_log"


class IdRedirects(pa.DataFrameModel):
    """Ids that curation retired, each with the id of the row it became (not part of the contract's seven)."""

    old_id: Series[str] = pa.Field(description="The id no longer in the release.")
    new_id: Series[str] = pa.Field(description="The id of the row it became.")
    table: Series[str] = pa.Field(isin=("actors", "events", "forecasts"), description="Table both ids are keys of.")
    reason: Series[str] = pa.Field(str_length={"min_value": 1}, description="Why: the curation decision's reason.")

    class Config:
        strict = True
        coerce = True
        unique = ["table", "old_id"]
        title = "id_redirects"


TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "documents": Documents,
    "actors": Actors,
    "actor_mentions": ActorMentions,
    "events": Events,
    "event_actors": EventActors,
    "event_reports": EventReports,
    "forecasts": Forecasts,
    "refused_figures": RefusedFigures,
    "observations": Observations,
    "document_texts": DocumentTexts,
    "quarantine": Quarantine,
    "coverage": Coverage,
    "removed": Removed,
    "curation_log": CurationLog,
    "id_redirects": IdRedirects,
}
CONTRACT_TABLES = tuple(name for name in TABLE_MODELS
                        if name not in ("refused_figures", "observations", "document_texts", "quarantine", "coverage",
                                        "removed", "curation_log", "id_redirects"))

def model_for(table: str) -> type[pa.DataFrameModel]:
    return TABLE_MODELS[table]
