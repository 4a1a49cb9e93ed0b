"""Events from sentences: trigger grammar over clauses, actors by position, dates by proximity.

For each clause of a sentence, ``match_triggers`` gives the event types it
reports. The actors are the clause's mentions (or, failing those, the
sentence's, or the actor a definite description such as "the company" refers
back to); the initiator is the first acting actor before the trigger. The date
is the time expression nearest the trigger, resolved against the published
date; the status comes from hedges and future markers; the attribution from
"according to X", "as per X", "X reported". Within a document, an undated
report of the same kind by the same government or company joins the dated one
it restates, so a background restatement does not become a second event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pipeline.actors.anaphora import descriptions_in
from pipeline.attribution import attribution_in, is_boilerplate
from pipeline.documents.clauses import split_clauses
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Sentence
from pipeline.events.model import EventRecord
from pipeline.events.triggers import match_triggers, summary_phrase
from pipeline.temporal.expressions import TimeExpression, find_time_expressions

HEDGED = re.compile(r"\b(reportedly|is said to|are said to|was said to|were said to|allegedly|is believed to|"
                    r"are believed to|reports? suggest|according to (?:people|sources|a person))\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(will|would|plans? to|planned|planning to|is set to|are set to|slated to|aims? to|"
                    r"goal of|expected to|expects to|intends? to|is to|are to|scheduled to|to begin|next year|"
                    r"upcoming|later this (?:year|month|decade))\b", re.IGNORECASE)
# Actor types that act in events; outlets and research firms are sources, not parties.
ACTING_TYPES = {"country_government", "government_agency", "company", "person", "industry_body",
                "international_org", "other"}


def _actors_of(context: DocumentContext, clause: Sentence, sentence: Sentence,
               trigger_at: int) -> list[tuple[str, str]]:
    """(actor_id, role) of a clause's event: the initiator first, then the others."""
    def acting(start: int, end: int) -> list[tuple[int, str]]:
        spans = [(m.start, m.actor_id) for m in context.mentions_in(start, end)]
        spans += descriptions_in(context, start, end)
        return sorted((at, a) for at, a in spans if context.actors[a].actor_type in ACTING_TYPES)

    spans = acting(clause.start, clause.end) or acting(sentence.start, sentence.end)
    if not spans:
        return []
    before = [a for at, a in spans if at < trigger_at]
    initiator = before[-1] if before else spans[0][1]
    # A government or agency before the trigger outranks a company nearer to it ("Washington approved NVIDIA's").
    for _, actor_id in spans:
        if actor_id in before and context.actors[actor_id].actor_type in ("country_government", "government_agency"):
            initiator = actor_id
            break
    roles = {initiator: "initiator"}
    for _, actor_id in spans:
        roles.setdefault(actor_id, "target")
    # An agency acts for its country's government: record the government too.
    for actor_id in list(roles):
        actor = context.actors[actor_id]
        government = f"{actor.country.lower()}-government" if actor.country else None
        if actor.actor_type == "government_agency" and government and government not in roles:
            roles[government] = "participant"
    return list(roles.items())


def _nearest_time(expressions: list[TimeExpression], at: int) -> TimeExpression | None:
    dated = [t for t in expressions if t.event_date is not None]
    if not dated:
        return None
    return min(dated, key=lambda t: (min(abs(t.start - at), abs(t.end - at)), t.start))


def _status(clause: str, sentence: str, event_date: dt.date | None, published: dt.date | None) -> str:
    if HEDGED.search(clause) or HEDGED.search(sentence):
        return "reportedly"
    if FUTURE.search(clause) or (event_date and published and event_date > published):
        return "planned"
    return "reported"


def _summary(context: DocumentContext, event_type: str, actors: list[tuple[str, str]]) -> str:
    names = [context.actors[a].name for a, _ in actors]
    others = f" ({', '.join(names[1:4])})" if len(names) > 1 else ""
    return f"{names[0]} {summary_phrase(event_type)}{others}"


def sentence_events(context: DocumentContext, sentence: Sentence) -> list[EventRecord]:
    published = context.document.published_date
    times = find_time_expressions(sentence.text, published)
    attributed = attribution_in(context, sentence)
    records = []
    for clause in split_clauses(sentence):
        offset = clause.start - sentence.start
        for trigger in match_triggers(clause.text):
            at = clause.start + trigger.start
            actors = _actors_of(context, clause, sentence, at)
            if not actors:
                continue
            in_clause = [t for t in times if offset <= t.start < offset + len(clause.text)]
            when = _nearest_time(in_clause, offset + trigger.start) or _nearest_time(times, offset + trigger.start)
            event_date = when.event_date if when else None
            records.append(EventRecord(
                event_type=trigger.event_type,
                summary=_summary(context, trigger.event_type, actors),
                event_date=event_date,
                date_precision=when.event_precision if when else "unknown",
                status=_status(clause.text, sentence.text, event_date, published),
                actors=tuple(actors),
                evidence_text=sentence.text,
                char_start=sentence.start,
                char_end=sentence.end,
                attributed_to_actor_id=attributed,
                anchor=anchor(context, actors[0][0]),
            ))
    return records


def anchor(context: DocumentContext, actor_id: str) -> str:
    """What identifies an event's initiator across reports: a state for its agencies, else the actor."""
    actor = context.actors.get(actor_id)
    if actor and actor.actor_type in ("country_government", "government_agency") and actor.country:
        return f"state:{actor.country}"
    return actor_id


def merge_restatements(records: list[EventRecord]) -> list[EventRecord]:
    """Undated reports take the date of a dated report of the same type and initiator in the document."""
    dated: dict[tuple[str, str], EventRecord] = {}
    for record in records:
        if record.event_date is not None:
            dated.setdefault((record.event_type, record.anchor), record)
    merged = []
    for record in records:
        first = dated.get((record.event_type, record.anchor))
        if record.event_date is None and first is not None:
            record = replace(record, event_date=first.event_date, date_precision=first.date_precision)
        merged.append(record)
    return merged


def extract_events(context: DocumentContext) -> list[EventRecord]:
    records = []
    for sentence in context.sentences:
        if is_boilerplate(sentence.text):
            continue
        records += sentence_events(context, sentence)
    return merge_restatements(records)
