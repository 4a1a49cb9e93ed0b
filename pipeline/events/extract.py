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
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.actors.anaphora import actor_spans
from pipeline.attribution import CITATION_CUE, attribution_in
from pipeline.documents.clauses import evidence_for, split_clauses
from pipeline.documents.context import DocumentContext
from pipeline.documents.model import Sentence
from pipeline.events.model import EventRecord
from pipeline.events.structure import (
    FrameTrigger,
    frame_triggers,
    may_be_refused,
    possible_types,
    refused,
    subject_span,
    token_at,
)
from pipeline.events.summary import summarize
from pipeline.events.triggers import TriggerMatch, match_triggers
from pipeline.temporal.expressions import TimeExpression

HEDGED = re.compile(r"\b(reportedly|is said to|are said to|was said to|were said to|allegedly|is believed to|"
                    r"are believed to|reports? suggest|according to (?:people|sources|a person))\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(will|would|plans? to|planned|planning to|is set to|are set to|slated to|aims? to|"
                    r"goal of|expected to|expects to|intends? to|is to|are to|scheduled to|to begin|next year|"
                    r"upcoming|later this (?:year|month|quarter|decade)|(?:scheduled|slated|set|planned) for|"
                    r"on track to|poised to|as early as|in the coming (?:weeks|months|years)|"
                    r"next (?:month|quarter|spring|summer|autumn|fall|winter)|"
                    r"due (?:in|by|for|to (?:be|start|begin|open|launch|ship|complete|enter|take|come|go|arrive|"
                    r"finish|reach|resume)))\b", re.IGNORECASE)
# "also launched", "a separate rule": the clause reports another event, not a restatement.
DISTINCT = re.compile(r"\b(also|separate(?:ly)?|another|additional|second)\b", re.IGNORECASE)
# A forecasting verb before a trigger makes the event somebody's prediction ("Morgan Stanley expects
# China's self-sufficiency to rise"), not a report that it happened.
PREDICTING = re.compile(r"\b(expects?|expected|projects?|projected|forecasts?|predicts?|predicted|estimates?|"
                        r"estimated|sees|warns?|warned|anticipates?)\b", re.IGNORECASE)
UNNAMED_SOURCE = re.compile(r"\b(analysts?|economists?|observers|experts|watchers)\b", re.IGNORECASE)
# Analysts as the ones predicting, at a named bank or firm too ("Morgan Stanley analysts ... expect"), not
# the audience of a company's own plan ("Nvidia told analysts it expects ...").
ANALYSTS_PREDICTING = re.compile(r"(?<!told )(?<!\bto )(?<!with )\b(analysts?|economists?|strategists?)\b",
                                 re.IGNORECASE)
# A clause opened by a condition reports none ("If the ban stays, ...", "Once the waiver ends, ...").
CONDITIONAL_CLAUSE = re.compile(r"^\W*(?:if|once|unless|should|were|whether|in case)\b", re.IGNORECASE)
# Words that place an event before the news of the day.
HISTORY = re.compile(r"\b(?:previously|earlier|in the past|had (?:been |already )?\w+ed|since|already|ago|"
                     r"former(?:ly)?|first \w+ed|originally|back in|last (?:year|month))\b", re.IGNORECASE)
POLICY_TYPES = {"export_control_eased", "export_control_tightened", "sanction_imposed", "tariff_change",
                "procurement_policy", "industrial_policy", "regulatory_action"}
CITED_BEFORE = re.compile(rf"\b{CITATION_CUE}\s+(?:the\s+)?$", re.IGNORECASE)
# An actor's possessive right before the trigger word: "Trump’s greenlight", "Beijing's latest ban".
OWNER = re.compile(r"[\w. &-]+?['’]s\s+(?:[\w-]+\s+)?$")
EXPORT_CONTROL_TYPES = {"export_control_eased", "export_control_tightened"}
OPPOSITE = {"export_control_eased": "export_control_tightened", "export_control_tightened": "export_control_eased"}
POLICY_ACTORS = {"country_government", "government_agency", "person", "international_org"}
CORPORATE_ACTORS = {"company", "person", "industry_body", "other"}
# Actor types that act in events; outlets and research firms are sources, not parties.
ACTING_TYPES = {"country_government", "government_agency", "company", "person", "industry_body",
                "international_org", "other"}


def _actors_of(context: DocumentContext, clause: Sentence, sentence: Sentence, trigger_at: int,
               event_type: str) -> list[tuple[str, str]]:
    """(actor_id, role) of a clause's event: the initiator first, then the others."""
    def acting(start: int, end: int) -> list[tuple[int, str]]:
        return [(at, a) for at, a in actor_spans(context, start, end) if context.actors[a].actor_type in ACTING_TYPES]

    spans = acting(clause.start, clause.end) or acting(sentence.start, sentence.end)
    if not spans:
        return []
    before = [(at, a) for at, a in spans if at < trigger_at]
    # The initiator is the clause's subject: the first actor before the trigger of a kind that can take
    # the action (a state, agency or official for a policy, a company for a corporate event), unless
    # the trigger is a noun owned by an actor ("Trump's greenlight for exports", "Beijing's ban").
    can_act = POLICY_ACTORS if event_type in POLICY_TYPES else CORPORATE_ACTORS
    fitting = [(at, a) for at, a in before if context.actors[a].actor_type in can_act]
    owner = [a for at, a in fitting if OWNER.match(context.document.body, at, trigger_at)]
    initiator = owner[-1] if owner else (fitting or before or spans)[0][1]
    roles = {initiator: "initiator"}
    for _, actor_id in spans:
        roles.setdefault(actor_id, "target")
    # An agency acts for its country's government: record the government too.
    for actor_id in list(roles):
        actor = context.actors[actor_id]
        government = f"{actor.country.lower()}-government" if actor.country else None
        if actor.actor_type == "government_agency" and government and government not in roles \
                and context.bring_in(government):
            roles[government] = "participant"
    return list(roles.items())


COMPARISON_BASE = re.compile(r"(?:\b(?:higher|lower|up|down|more|less|larger|smaller|bigger|increase|rise|jump|"
                             r"fall|drop|decline)\s+(?:from|than|on)\s+(?:the|a|an|its|their)\b|"
                             r"\b(?:compared (?:with|to)|versus|vs\.?)\s)[^,;.]{0,60}$")
# How much further (in characters) a less precise expression may be and still win: a day named
# in the clause ("on Thursday") usually dates the event better than an adjacent "first-quarter".
PRECISION_PENALTY = {"day": 0, "month": 4, "quarter": 8, "year": 12, "unknown": 40}
# Dates mostly follow the verb they date ("extended ... from September 15"): one before it costs a little more.
PRECEDING_PENALTY = 6


def _nearest_time(expressions: list[TimeExpression], start: int, end: int) -> TimeExpression | None:
    """The expression dating a trigger at [start, end): near it, precise, and not inside it.

    An expression inside the trigger qualifies its object, not the event
    ("reported first-quarter revenue ... on Thursday": Thursday dates it).
    """
    dated = [t for t in expressions if t.event_date is not None and not (start <= t.start and t.end <= end)]
    if not dated:
        return None

    def cost(t: TimeExpression) -> tuple[int, int]:
        distance = t.start - end if t.start >= end else start - t.end + PRECEDING_PENALTY
        return max(distance, 0) + PRECISION_PENALTY.get(t.event_precision, 40), t.start

    return min(dated, key=cost)


# What is asked for or asked about has not happened: "urged the department to ban sales", "called on Tokyo to
# fund", "declined to comment on whether it would launch".
UNASSERTED = re.compile(r"\b(?:urg(?:e|ed|es|ing)|call(?:ed|s|ing)? (?:on|for)|press(?:ed|es|ing)|"
                        r"push(?:ed|es|ing)? for|lobb(?:y|ied|ies|ying)|demand(?:ed|ing)|whether)\b"
                        r"(?!.*\b(?:and|but|then)\b)",
                        re.IGNORECASE)
# A verb in the past tense: what it reports was done, so a month named without its year is the last one.
PAST_VERB = re.compile(r"\b(?:\w+ed|began|was|were|had|did|made|took|won|struck|sold|bought|held|told|met|grew|fell|"
                       r"rose|gave|got|came|went|paid|built|broke|chose|drew|found|hit|lost|sent|shut|sought|spent|"
                       r"stood|threw|withdrew|wrote|said)\b")


def _as_told(when: TimeExpression, clause: str, published: dt.date | None) -> dt.date | None:
    """The event's date from its time expression; a month or day named without a year that the resolver put
    ahead of publication is a year earlier when the clause tells of something done ("began supplying
    samples in March", in an October article, is last March, not next)."""
    day = when.event_date
    if day is None or published is None or day <= published or re.search(r"\d{4}|['’]\d\d", when.raw):
        return day
    if when.event_precision in ("day", "month") and PAST_VERB.search(clause) and not FUTURE.search(clause):
        return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day
    return day


def _status(clause: str, sentence: str, event_date: dt.date | None, published: dt.date | None) -> str:
    if HEDGED.search(clause) or HEDGED.search(sentence):
        return "reportedly"
    if FUTURE.search(clause) or (event_date and published and event_date > published):
        return "planned"
    return "reported"


# Event types a company does (a government alone cannot launch a chip or post revenue).
CORPORATE_TYPES = {"product_launch", "production_capacity", "investment", "acquisition", "partnership_or_order",
                   "financial_results"}
# Between two triggers of one type, what says the second is another action, not an elaboration.
NEXT_ACTION = re.compile(r"\band\b|\bgoal\b|\bplans?\b|\baims?\b|\btargets?\b|\bexpected to\b|\bslated to\b",
                         re.IGNORECASE)
# How many sentences back "the fab", "a second fab" may look for the company a corporate event is about.
COMPANY_LOOKBACK = 2


def _recent_actor(context: DocumentContext, sentence: Sentence, types: set[str], end: int) -> str | None:
    """The actor of one of `types` named last in the few sentences before this one, up to `end`."""
    index = context.sentences.index(sentence)
    window_start = context.sentences[max(0, index - COMPANY_LOOKBACK)].start
    for mention in reversed(context.mentions_in(window_start, end)):
        if context.actors[mention.actor_id].actor_type in types:
            return mention.actor_id
    return None


STATE_TYPES = {"country_government", "government_agency", "international_org"}
# Common nouns naming a state body, which let a policy clause without a named actor fall back on the
# government or agency named just before ("The Cabinet also cleared ...").
STATE_BODY = re.compile(r"\b(government|cabinet|ministry|parliament|lawmakers|legislature|congress|senate|"
                        r"regulators?|authorities|officials|administration|department|agency)\b", re.IGNORECASE)


# Titles that make the person named after them an official acting for a state.
_TITLES = r"(?:President|Prime Minister|Premier|Chancellor|Minister|Secretary|Governor|Commissioner|" \
          r"Vice President|Senator|Representative)"
OFFICIAL_TITLE = re.compile(rf"\b{_TITLES}\s+(?:[A-Z][\w.'’-]*\s+)?$")
# The same title inside a name the registry knows with it ("Commerce Secretary Gina Raimondo").
TITLED_NAME = re.compile(rf"(?:[A-Z][\w.'’-]*\s+){{0,2}}?{_TITLES}\s+[A-Z]")


def _titled(body: str, at: int) -> bool:
    """Whether the person named at `at` is named with a government title ("Prime Minister X")."""
    return bool(OFFICIAL_TITLE.search(body, max(0, at - 40), at) or TITLED_NAME.match(body, at))
STAKE = re.compile(r"\b(?:stakes?|equity|shares)\b", re.IGNORECASE)
PRONOUN = re.compile(r"it|they|he|she|we|this|that|which|who", re.IGNORECASE)


def _with_implied(context: DocumentContext, actors: list[tuple[str, str]],
                  implied: str | None) -> list[tuple[str, str]]:
    """The actor a trigger names by itself ("placed on the Entity List": the US government) takes the
    lead when no state is named in the clause."""
    if implied is None or any(context.actors[a].actor_type in STATE_TYPES for a, _ in actors):
        return actors
    if not context.bring_in(implied):
        return actors
    return [(implied, "initiator"), *((a, "target" if r == "initiator" else r) for a, r in actors if a != implied)]


def _with_state(context: DocumentContext, sentence: Sentence, event_type: str,
                actors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Policy events are a state's: the clause's government or agency, else the one named just before
    ("The Cabinet also cleared ...", "Under the revision, companies will deduct ...")."""
    if event_type in EXPORT_CONTROL_TYPES and actors and context.actors[actors[0][0]].actor_type == "company":
        # "Nvidia was blocked from selling ... to China": the company's own state controls its exports.
        country = context.actors[actors[0][0]].country
        home = f"{country.lower()}-government" if country else None
        if home and context.bring_in(home):
            return [(home, "initiator"), *((a, "target" if r == "initiator" else r) for a, r in actors if a != home)]
    if event_type not in POLICY_TYPES or any(context.actors[a].actor_type in STATE_TYPES for a, _ in actors):
        return actors
    state = _recent_actor(context, sentence, STATE_TYPES, sentence.end) if STATE_BODY.search(sentence.text) else None
    state = state or _officials_government(context, sentence, actors)
    if state is None:
        return []  # a policy with no state behind it is no policy event ("most of the rules take effect")
    return [(state, "initiator"), *((a, "target" if r == "initiator" else r) for a, r in actors)]


def _officials_government(context: DocumentContext, sentence: Sentence, actors: list[tuple[str, str]]) -> str | None:
    """The government an official acts for: as the registry records it (`serves`), else the government of
    a person the article names with a government title ("Prime Minister X announced a ¥10 trillion plan" is
    Japan's policy; so is "X said" after "Prime Minister X" earlier)."""
    body = context.document.body
    for mention in context.mentions_in(sentence.start, sentence.end):
        actor = context.actors[mention.actor_id]
        if (mention.actor_id, "initiator") not in actors or actor.actor_type != "person":
            continue
        if actor.serves and context.bring_in(actor.serves):
            return actor.serves  # the registry knows the office ("Lutnick said ...")
        if actor.country and any(_titled(body, m.start) for m in context.mentions if m.actor_id == mention.actor_id):
            government = f"{actor.country.lower()}-government"
            if context.bring_in(government):
                return government
    return None


def _with_company(context: DocumentContext, sentence: Sentence, event_type: str,
                  actors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Corporate events need a company: the clause's, else the one the previous sentences were about."""
    if event_type not in CORPORATE_TYPES:
        return actors
    if any(context.actors[a].actor_type == "company" for a, _ in actors):
        return actors
    company = _recent_actor(context, sentence, {"company"}, sentence.start)
    if company is None:
        return []
    if not actors:
        return [(company, "initiator")]
    return [*actors, (company, "target")] if event_type == "investment" else [(company, "initiator"), *(
        (a, "target" if r == "initiator" else r) for a, r in actors)]


def _predicted(context: DocumentContext, clause: Sentence, trigger_at: int, event_type: str) -> bool:
    """Whether a forecasting verb before the trigger makes this event someone's prediction.

    Research firms, outlets and unnamed analysts only predict; a company predicting a policy
    ("Jefferies estimated ... if the export ban stays") does not enact it. A company's own plan
    ("SMIC expects capital expenditure ...") stays an event.
    """
    body = context.document.body
    for verb in PREDICTING.finditer(body, clause.start, trigger_at):
        lead = body[clause.start:verb.start()]
        if ANALYSTS_PREDICTING.search(lead):
            return True
        spans = actor_spans(context, clause.start, verb.start())
        if not spans:
            if UNNAMED_SOURCE.search(lead):
                return True
            continue
        kind = context.actors[spans[-1][1]].actor_type
        if kind in ("research_firm", "media_outlet") or (kind == "company" and event_type in POLICY_TYPES):
            return True
    return False


def _analysts_subject(context: DocumentContext, clause: Sentence, trigger_at: int, event_type: str) -> bool:
    """A research firm or outlet as the subject of a corporate event is revising its own numbers
    ("TrendForce cut its forecast for Huawei's output"), not reporting the company's results; cited with
    "according to", it is only the source."""
    if event_type not in CORPORATE_TYPES:
        return False
    spans = actor_spans(context, clause.start, trigger_at)
    if not spans:
        return False
    at, actor_id = spans[-1]
    if context.actors[actor_id].actor_type not in ("research_firm", "media_outlet"):
        return False
    return not CITED_BEFORE.search(context.document.body, max(clause.start, at - 30), at)


def _with_frames(context: DocumentContext, sentence: Sentence, clause: Sentence, triggers: list[TriggerMatch],
                 doc, frames: list[FrameTrigger]) -> list[TriggerMatch]:
    """The clause's grammar triggers, and the sentence's `frames` (from its parse `doc`) in the clause of
    the types the grammar did not find there."""
    if doc is None:
        return triggers
    offset = clause.start - sentence.start
    triggers = [t for t in triggers if not refused(token_at(doc, offset + t.start), frame=False)]
    found = {t.event_type for t in triggers}
    taken = [(offset + t.start, offset + t.end) for t in triggers]
    extra = []
    for frame in frames:
        if frame.event_type in found or not offset <= frame.start < offset + len(clause.text):
            continue
        # A word the grammar read already, or the opposite of the grammar's reading of the clause
        # ("will no longer be permitted"), is not another event.
        if any(s < frame.end and frame.start < e for s, e in taken) or OPPOSITE.get(frame.event_type) in found:
            continue
        # A policy read from structure alone needs a state as its subject ("Nvidia unveiled a $500 billion
        # plan" is a company's, whoever else the sentence names) ...
        at = sentence.start + frame.start
        if frame.event_type in POLICY_TYPES and not _state_subject(context, clause, at, sentence, doc, officials=True):
            continue
        # and a company's deal, launch or plant needs no state as its subject ("the two countries reached a deal").
        if frame.event_type in CORPORATE_TYPES - {"investment", "acquisition"} and _state_subject(
                context, clause, at, sentence, doc):
            continue
        found.add(frame.event_type)
        extra.append(TriggerMatch(frame.event_type, frame.start - offset, frame.end - offset,
                                  rule=f"frame.{frame.event_type}"))
    return sorted(triggers + extra, key=lambda m: (m.start, m.event_type))


def _state_subject(context: DocumentContext, clause: Sentence, trigger_at: int, sentence: Sentence | None = None,
                   doc=None, officials: bool = False) -> bool:
    """Whether the subject of a trigger is a state ("Tokyo has earmarked 300 billion yen for Rapidus's pilot
    line"): in the parse, the subject of the verb that reports it, an actor or a state body ("the
    ministry"); for a pronoun or where nothing was parsed, the first actor named before it. With
    `officials`, a person named with a government title counts ("Prime Minister X announced")."""
    span = subject_span(doc, trigger_at - sentence.start) if doc is not None else None
    spans = actor_spans(context, sentence.start + span[0], sentence.start + span[1]) if span else []
    if span and not spans:
        subject = sentence.text[span[0]:span[1]]
        if STATE_BODY.search(subject):
            return True  # "the department signed a deal"
        if not PRONOUN.fullmatch(subject):
            return False  # "the chips", "the two companies"
    if not spans:  # no subject, or a pronoun: the first actor named before the trigger
        spans = actor_spans(context, clause.start, trigger_at)
    if not spans:
        return False
    at, actor_id = spans[0]
    kind = context.actors[actor_id].actor_type
    if officials and kind == "person":
        return _titled(context.document.body, at)
    return kind in STATE_TYPES


def grammar_triggers(sentence: Sentence) -> list[tuple[Sentence, list[TriggerMatch]]]:
    """A sentence's clauses, each with the trigger grammar's matches."""
    return [(clause, match_triggers(clause.text)) for clause in split_clauses(sentence)]


def sentence_events(context: DocumentContext, sentence: Sentence,
                    grammar: list[tuple[Sentence, list[TriggerMatch]]], doc) -> list[EventRecord]:
    """The events a sentence reports: per clause and type, one per distinct date of its triggers.

    `grammar` is the sentence's clauses with their grammar triggers; `doc` the sentence's parse, or
    None where it was not worth parsing: its frames add events the grammar missed, and its structure
    gives the summaries."""
    published = context.document.published_date
    # an actor's name covers the word: "Systems" of "ZT Systems", not "AI" after the "US" of "US AI chips"
    frames = frame_triggers(doc, lambda s, e: any(m.end > sentence.start + s for m in
                                                  context.mentions_in(sentence.start, sentence.start + e))
                            ) if doc is not None else []
    clauses = [(clause, _with_frames(context, sentence, clause, triggers, doc, frames))
               for clause, triggers in grammar]
    if not any(triggers for _, triggers in clauses):
        return []  # most sentences report no event: skip their dates and attribution
    # "from last year's pace" compares, and so does a date inside the base of a comparison ("a quarter higher
    # than the package unveiled in 2024"); neither dates the event.
    times = [t for t in context.time_expressions(sentence)
             if not re.match(r"['’]s\b", sentence.text[t.end:t.end + 2])
             and not COMPARISON_BASE.search(sentence.text, 0, t.start)]
    attributed = attribution_in(context, sentence)
    records = []
    for clause, triggers in clauses:
        offset = clause.start - sentence.start
        chosen: dict[tuple[str, dt.date | None], tuple[int, TimeExpression | None, bool, str]] = {}
        implied: dict[str, str] = {}
        last_end: dict[str, int] = {}
        if CONDITIONAL_CLAUSE.match(clause.text):
            continue  # "Once the exemption lapses, buyers need ...": a condition, not an event
        for trigger in triggers:
            if UNASSERTED.search(clause.text, 0, trigger.start):
                continue  # "urged the department to ban sales", "declined to say whether it would launch"
            t_start, t_end = offset + trigger.start, offset + trigger.end
            kind, rule = trigger.event_type, trigger.rule
            if kind in ("investment", "acquisition") and _state_subject(context, clause, clause.start + trigger.start,
                                                                         sentence, doc):
                # A state's money in an industry is a state fund; a stake it takes in a company, an investment.
                kind = "investment" if STAKE.search(clause.text) else "industrial_policy"
                rule += ".state"
            # Results name the period they cover ("profit in the second quarter"), not the day of the report.
            usable = [t for t in times if kind != "financial_results" or t.event_precision in ("day", "month")]
            in_usable = [t for t in usable if offset <= t.start < offset + len(clause.text)]
            when = _nearest_time(in_usable, t_start, t_end) or _nearest_time(usable, t_start, t_end)
            day = _as_told(when, clause.text, published) if when else None
            if trigger.anaphoric and kind not in last_end:
                # "The probe ... when SAMR approved its acquisition": a later, non-anaphoric
                # trigger of the type may still report a new event.
                chosen.setdefault((kind, day), (clause.start + trigger.start, when, True, rule))
                continue
            if (kind, day) in chosen and chosen[(kind, day)][2]:
                del chosen[(kind, day)]  # a restatement and a new report on one date: the new one
            if kind in last_end:
                # A second trigger of a type is a second event only when the clause moves on to
                # another action ("applied ... in August 2023 and extended ... from September 15");
                # results and the guidance given with them are one event.
                between = clause.text[last_end[kind]:trigger.start]
                if (day is None or kind == "financial_results" or not NEXT_ACTION.search(between)
                        or (kind, day) in chosen):
                    continue
            last_end[kind] = trigger.end
            chosen[(kind, day)] = (clause.start + trigger.start, when, trigger.anaphoric, rule)
            if trigger.implies:
                implied.setdefault(kind, trigger.implies)
        kinds = {kind for kind, _ in chosen}
        for (event_type, day), (at, when, anaphoric, rule) in chosen.items():
            if event_type == "partnership_or_order" and "acquisition" in kinds:
                continue  # "entered into an agreement ... to acquire": the agreement is the acquisition
            if _predicted(context, clause, at, event_type):
                continue
            if _analysts_subject(context, clause, at, event_type):
                continue
            actors = _actors_of(context, clause, sentence, at, event_type)
            actors = _with_implied(context, actors, implied.get(event_type))
            actors = _with_state(context, sentence, event_type, _with_company(context, sentence, event_type, actors))
            if not actors:
                continue
            evidence = evidence_for(sentence, clause)
            records.append(EventRecord(
                event_type=event_type,
                summary=summarize(context.actors[actors[0][0]].name, [context.actors[a].name for a, _ in actors[1:]],
                                  event_type, sentence.text, at - sentence.start, clause.end - sentence.start,
                                  [(t.start, t.end) for t in times], doc),
                event_date=day,
                date_precision=when.event_precision if when else "unknown",
                status=_status(clause.text, sentence.text, day, published),
                actors=tuple(actors),
                evidence_text=evidence.text,
                char_start=evidence.start,
                char_end=evidence.end,
                attributed_to_actor_id=attributed,
                anchor=anchor(context, actors[0][0], event_type),
                refers_back=anaphoric,
                distinct=bool(DISTINCT.search(clause.text)),
                rule=rule,
            ))
    return records


def anchor(context: DocumentContext, actor_id: str, event_type: str) -> str:
    """What identifies an event's initiator across reports: a state for its agencies (and for the
    officials who act in policy events, "Trump's decision"), else the actor itself."""
    actor = context.actors.get(actor_id)
    if actor is None or not actor.country:
        return actor_id
    if actor.actor_type in ("country_government", "government_agency"):
        return f"state:{actor.country}"
    if actor.actor_type == "person" and event_type not in CORPORATE_TYPES:
        return f"state:{actor.country}"
    return actor_id


def _within(coarse: EventRecord, fine: EventRecord) -> bool:
    """Whether a coarser dated report's period holds a finer one's date ("first three quarters" / "Friday")."""
    order = ["day", "month", "quarter", "year"]
    if coarse.event_date is None or fine.event_date is None:
        return False
    if coarse.date_precision not in order[1:] or fine.date_precision not in order:
        return False
    if order.index(fine.date_precision) >= order.index(coarse.date_precision):
        return False
    start = coarse.event_date
    months = {"month": 1, "quarter": 3, "year": 12}[coarse.date_precision]
    end_month = start.month - 1 + months
    end = dt.date(start.year + end_month // 12, end_month % 12 + 1, 1)
    return start <= fine.event_date < end


# How many days before publication a dated report may be and still be the news an undated one restates.
NEWS_WINDOW_DAYS = 31


def _is_news(record: EventRecord, published: dt.date | None) -> bool:
    """Whether a report is dated to the article's news: a day a few days or weeks before publication, or
    its month."""
    if record.event_date is None or record.date_precision not in ("day", "month"):
        return False
    if published is None:
        return record.date_precision == "day"
    if record.date_precision == "month":  # "this month", "in May" of a May article
        return record.event_date == published.replace(day=1)
    return 0 <= (published - record.event_date).days <= NEWS_WINDOW_DAYS


def merge_restatements(records: list[EventRecord], published: dt.date | None = None) -> list[EventRecord]:
    """Restatements within a document join the event they restate.

    "The probe puts ..." joins the last event of its type named before it; an undated report joins
    the report of the same type and initiator dated to the article's news (``_is_news``: "has set up a
    fund" beside "the fund was registered on Friday"), and one dated only by a period that holds
    another's day ("revenue for the first three quarters" beside "reported on Friday") joins that
    one, unless it says it is another one ("also launched", "a separate rule"). An undated report
    beside one dated months or years back is background of its own ("has resumed construction"
    beside "completed development earlier this year").
    """
    dated: dict[tuple[str, str], list[EventRecord]] = {}
    news: dict[tuple[str, str], list[EventRecord]] = {}
    for record in records:
        if record.event_date is not None:
            dated.setdefault((record.event_type, record.anchor), []).append(record)
        if _is_news(record, published):
            news.setdefault((record.event_type, record.anchor), []).append(record)
    merged: list[EventRecord] = []
    last: dict[str, EventRecord] = {}  # the last merged event of each type
    for record in records:
        same = news.get((record.event_type, record.anchor), [])
        # Only results come in nested periods ("first three quarters" beside "on Friday"); elsewhere a
        # month and a day in it are two events ("earlier this month ... unveiled plans", "on Thursday passed").
        finer = [r for r in dated.get((record.event_type, record.anchor), []) if _within(record, r)
                 ] if record.event_type == "financial_results" else []
        if record.refers_back and record.event_type in last:
            first = last[record.event_type]
            record = replace(record, event_date=first.event_date, date_precision=first.date_precision,
                             anchor=first.anchor)
        elif record.distinct:
            pass
        elif record.event_date is None and same:
            record = replace(record, event_date=same[0].event_date, date_precision=same[0].date_precision)
        elif finer:
            record = replace(record, event_date=finer[0].event_date, date_precision=finer[0].date_precision)
        merged.append(record)
        last[record.event_type] = record
    return merged


def news_of_the_day(records: list[EventRecord], published: dt.date | None) -> list[EventRecord]:
    """An event reported with no date of its own ("has widened its grant scheme", "reported higher
    earnings", "said it would expand the rules", "will revoke the waiver") is the news of the article:
    dated by its publication month, when it was done or announced. History ("previously", "had
    allowed") stays undated."""
    if published is None:
        return records
    month = published.replace(day=1)
    news = {(r.event_type, r.anchor) for r in records
            if r.event_date is None and not HISTORY.search(r.evidence_text)}
    # An undated restatement of the news ("lenders have already been told") is the same event.
    # "another", "a separate" keep two events apart; the only one of its kind is the news all the same.
    alone = Counter((r.event_type, r.anchor) for r in records)
    dated, last = [], {}
    for r in records:
        if r.refers_back and r.event_type in last:
            # A restatement ("the new restrictions") keeps the date of the event it restates.
            r = replace(r, event_date=last[r.event_type].event_date, date_precision=last[r.event_type].date_precision)
        elif r.event_date is None and (key := (r.event_type, r.anchor)) in news and (not r.distinct or alone[key] == 1):
            r = replace(r, event_date=month, date_precision="month")
        last[r.event_type] = r
        dated.append(r)
    return dated


@dataclass(frozen=True)
class EventsPlan:
    """What extraction needs before the parse: the sentences, their grammar triggers, those to parse."""

    sentences: tuple[Sentence, ...]
    grammar: dict[int, list[tuple[Sentence, list[TriggerMatch]]]]  # by sentence start
    to_parse: tuple[Sentence, ...]


def plan_events(context: DocumentContext) -> EventsPlan:
    """The sentences to read and, of them, those to parse: where a frame could find an event type the
    grammar did not find there, or where the structure could refuse a grammar trigger ("could acquire",
    "only if it receives"); a parse costs about as much as the rest of extraction."""
    sentences = context.story
    grammar = {s.start: grammar_triggers(s) for s in sentences}
    to_parse = tuple(s for s in sentences
                     if possible_types(s.text) - {t.event_type for _, triggers in grammar[s.start] for t in triggers}
                     or (any(triggers for _, triggers in grammar[s.start]) and may_be_refused(s.text)))
    return EventsPlan(sentences, grammar, to_parse)


def extract_events(context: DocumentContext, plan: EventsPlan, parses: list) -> list[EventRecord]:
    """A document's events, from its plan and the parses of `plan.to_parse` (the caller parses the sentences
    of many documents in one batch: ``pipeline.extraction.extract_documents``)."""
    by_start = dict(zip((s.start for s in plan.to_parse), parses, strict=True))
    records = []
    for sentence in plan.sentences:
        records += sentence_events(context, sentence, plan.grammar[sentence.start], by_start.get(sentence.start))
    published = context.document.published_date
    return news_of_the_day(merge_restatements(records, published), published)
