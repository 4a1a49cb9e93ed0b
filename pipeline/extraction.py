"""One document in, its mentions, actors, events and forecasts out.

The order is the data flow: sentences -> actor mentions (registry, then
discovered actors, then surnames) -> events and forecasts, which both read
the sentences and mentions. Nothing here knows about Dagster or tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.actors.discovery import discover_actors
from pipeline.actors.mentions import registry_mentions, surname_mentions
from pipeline.actors.registry import Actor, Registry, load_registry
from pipeline.attribution import is_boilerplate
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Document, Mention
from pipeline.documents.parse import parse
from pipeline.documents.sentences import split_sentences
from pipeline.events.extract import extract_events, plan_events
from pipeline.events.model import EventRecord
from pipeline.forecasts.extract import extract_forecasts, forecast_sentences, with_parse
from pipeline.forecasts.model import ForecastRecord, ObservationRecord, RefusedFigure
from pipeline.forecasts.observations import extract_observations


@dataclass(frozen=True)
class DocumentExtraction:
    doc_id: str
    mentions: tuple[Mention, ...]
    actors: tuple[Actor, ...]
    events: tuple[EventRecord, ...]
    forecasts: tuple[ForecastRecord, ...]
    refused_figures: tuple[RefusedFigure, ...] = ()
    observations: tuple[ObservationRecord, ...] = ()


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Mentions sorted by offset, the longer one kept where two overlap."""
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _outside(mentions: list[Mention], spans: list[tuple[int, int]]) -> list[Mention]:
    return [m for m in mentions if not any(start <= m.start < end for start, end in spans)]


def document_context(document: Document, registry: Registry) -> DocumentContext:
    sentences = tuple(split_sentences(document.body))
    # An outlet's lines (credits, sign-ups) name the outlet's staff, products and offices, not the story's actors.
    boilerplate = [(s.start, s.end) for s in sentences if is_boilerplate(s.text)]
    story = tuple(s for s in sentences if (s.start, s.end) not in boilerplate)
    mentions = _outside(registry_mentions(document.body, registry), boilerplate)
    discovered, found = discover_actors(document.body, story, mentions, registry)
    found = _outside(found, boilerplate)
    mentions = _without_overlaps(mentions + found)
    actors: dict[str, Actor] = {a.actor_id: a for a in discovered}
    for mention in mentions:
        if mention.actor_id not in actors:
            actors[mention.actor_id] = registry.actors[mention.actor_id]
    people = {a.actor_id: (a.name, a.country) for a in actors.values() if a.actor_type == "person"}
    mentions = _without_overlaps(mentions + _outside(surname_mentions(document.body, mentions, people), boilerplate))
    return DocumentContext(document, sentences, story, tuple(mentions), actors, registry)


def extract_documents(documents: Sequence[Document], registry: Registry | None = None) -> list[DocumentExtraction]:
    """extract_document for each document, with the sentences all of them need parsed in one batch
    (the parser is several times faster on a batch of a hundred sentences than on a few): those that may
    carry an event the trigger grammar missed, and the evidence of every forecast and observation (for its
    target and speaker)."""
    registry = registry or load_registry()
    contexts = [document_context(document, registry) for document in documents]
    plans = [plan_events(context) for context in contexts]
    forecasts = [extract_forecasts(context) for context in contexts]
    evidence = [forecast_sentences(context, found) for context, (found, _) in zip(contexts, forecasts, strict=True)]
    observed = [extract_observations(context) for context in contexts]
    stated = [forecast_sentences(context, found) for context, found in zip(contexts, observed, strict=True)]
    parsed = iter(parse([s.text for plan in plans for s in plan.to_parse]
                        + [s.text for sentences in evidence for s in sentences]
                        + [s.text for sentences in stated for s in sentences]))
    events = [tuple(extract_events(context, plan, [next(parsed) for _ in plan.to_parse])) for context, plan in
              zip(contexts, plans, strict=True)]
    targeted = [with_parse(context, found, {s.start: next(parsed) for s in sentences})
                for context, (found, _), sentences in zip(contexts, forecasts, evidence, strict=True)]
    observations = [with_parse(context, found, {s.start: next(parsed) for s in sentences},
                               speaker="reported_by_actor_id")
                    for context, found, sentences in zip(contexts, observed, stated, strict=True)]
    return [_extraction(context, found_events, found, refused, actual) for context, found_events, found,
            (_, refused), actual in zip(contexts, events, targeted, forecasts, observations, strict=True)]


def extract_document(document: Document, registry: Registry | None = None) -> DocumentExtraction:
    return extract_documents([document], registry)[0]


def _extraction(context: DocumentContext, events: tuple[EventRecord, ...], forecasts: list[ForecastRecord],
                refused: list[RefusedFigure], observations: list[ObservationRecord]) -> DocumentExtraction:
    document = context.document
    used = {m.actor_id for m in context.mentions}
    used |= {actor_id for e in events for actor_id, _ in e.actors}
    used |= {e.attributed_to_actor_id for e in events} | {f.forecaster_actor_id for f in forecasts}
    used |= {f.subject_actor_id for f in forecasts}
    used |= {o.subject_actor_id for o in observations} | {o.reported_by_actor_id for o in observations}
    return DocumentExtraction(
        doc_id=document.doc_id,
        mentions=context.mentions,
        actors=tuple(a for a in context.actors.values() if a.actor_id in used),
        events=events,
        forecasts=tuple(forecasts),
        refused_figures=tuple(refused),
        observations=tuple(observations),
    )
