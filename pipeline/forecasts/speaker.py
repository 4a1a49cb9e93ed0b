"""Who states a forecast, read off the dependency parse of its sentence.

From the figure up through the verbs it depends on to the first verb of
forecasting or saying; its subject is the forecaster:

- the actor the subject's head names, not a modifier of it: "Acme Corp (ACM),
  Ruritania's largest foundry, expects revenue to rise 5%" -> Acme, not
  Ruritania;
- through a clause the verb says: "Zenith Research estimated that the
  country's exports could drop by a third" -> Zenith Research;
- "it" in what an organisation says is that organisation, and what a person
  at a firm says is the firm's: "a manager at Acme said it expected sales to
  fall by half" -> Acme;
- a relative pronoun stands for its antecedent: "said Jane Roe, an analyst at
  Zenith, who expects prices to rise 30%" -> Jane Roe;
- a subject that is a report or an estimate is its source's: "a Zenith review
  suggests", "the Commission's forecast", "the consensus compiled by Zenith".

None when the parse finds no such verb, or its subject names no actor
("prices are expected to rise 5%", "analysts expect"): the pattern rules of
:mod:`pipeline.forecasts.extract` then stand.
"""

from __future__ import annotations

import re

from pipeline.actors.anaphora import DESCRIPTION, actor_spans
from pipeline.documents.context import DocumentContext
from pipeline.documents.parse import coarse_pos, tokens_in

# Verbs whose subject states what the clause under them says.
STATING = re.compile(r"projects?|projected|forecasts?|forecasted|expects?|expected|expecting|estimates?|estimated|"
                     r"predicts?|predicted|sees|saw|anticipates?|anticipated|guided|guides|targets?|targeted|"
                     r"warns?|warned|say|said|says|notes|noted|adds|added|believes?|believed|told|tells|"
                     r"suggests?|suggested|puts|reckons?|reckoned|thinks?|thought|calculated|calculates|"
                     r"concluded|concludes|aims|aimed|plans|planned", re.IGNORECASE)
# Links from a clause up to the verb it depends on: "expects [revenue to rise]", "said [it would fall]".
UP = {"xcomp", "ccomp", "conj", "advcl", "relcl", "acl", "aux", "auxpass", "dobj", "pobj", "prep", "attr",
      "npadvmod", "advmod", "nummod", "quantmod", "amod", "compound", "appos", "oprd", "acomp", "nmod",
      "parataxis"}
PRONOUNS = {"it", "they", "he", "she", "we"}
ORGANISATION_PRONOUNS = {"it", "we", "they"}
# What "it" can stand for: an organisation, not a person or a country.
ORGANISATIONS = ("company", "research_firm", "government_agency", "industry_body", "international_org",
                 "media_outlet")
RELATIVE = {"who", "that", "which"}
# A noun whose source is the forecaster: "a Zenith review suggests", "the consensus compiled by Zenith".
SOURCE_NOUNS = {"review", "report", "study", "survey", "forecast", "forecasts", "estimate", "estimates", "analysis",
                "consensus", "outlook", "research", "data", "projection", "projections", "model", "calculation",
                "calculations", "tally", "note", "poll"}
MAX_STEPS = 12
MENTION_TAIL = 80


def stated_by(context: DocumentContext, doc, offset: int, figure_start: int, figure_end: int,
              types: tuple[str, ...]) -> str | None:
    """The actor (of `types`) whose forecasting or saying verb the figure at body[figure_start:figure_end]
    depends on, in the parse `doc` of the sentence at body offset `offset`; None when the parse names none."""
    tokens = tokens_in(doc, figure_start - offset, figure_end - offset)
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    token = next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[0])
    pronoun = False
    for _ in range(MAX_STEPS):
        if coarse_pos(token) in ("VERB", "AUX") and STATING.fullmatch(token.text) and token.i not in inside:
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            if agent is not None:  # "is forecast by SEAJ to shrink"
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if subject is not None and subject.lower_ in RELATIVE and token.dep_ == "relcl":
                subject = token.head  # "Jane Roe, an analyst at Zenith, who expects"
            if subject is not None and subject.lower_ in PRONOUNS:
                # "said it expected": whose "it" is the speaker's, further up; "we" and "it" are the
                # speaker's organisation ("'We expect …,' said Acme Chief Executive Jane Roe": Acme).
                pronoun = pronoun or subject.lower_ in ORGANISATION_PRONOUNS
            elif subject is not None:
                actor = (_organisation_in(context, offset, subject) if pronoun else None) or \
                    _named_by(context, offset, subject, types)
                if actor is not None or not pronoun:
                    return actor
        if token.head == token or token.dep_ not in UP:
            return None
        token = token.head
    return None


def _named_by(context: DocumentContext, offset: int, head, types: tuple[str, ...]) -> str | None:
    """The actor a subject names: its head ("Acme Corp (ACM), the country's largest foundry"), the head of an
    apposition ("an analyst, Jane Roe"), a firm the head works at ("an analyst at Zenith"), or the source of a
    report ("a Zenith review", "the Commission's forecast", "the consensus compiled by Zenith")."""
    named = _actor_at(context, offset, head, types)
    if named is not None:
        return named
    for child in head.children:
        if child.dep_ == "appos":
            named = _actor_at(context, offset, child, types) or _employer(context, offset, child, types)
            if named is not None:
                return named
    named = _employer(context, offset, head, types)
    if named is not None or head.lower_ not in SOURCE_NOUNS:
        return named
    for child in head.children:
        if child.dep_ in ("poss", "compound") or (child.dep_ == "acl" and child.i > head.i):
            for t in child.subtree:
                named = _actor_at(context, offset, t, types)
                if named is not None:
                    return named
    return None


def _organisation_in(context: DocumentContext, offset: int, head) -> str | None:
    """The first organisation named in a subject outside its relative clauses: the one a speaker's "we"
    or "it" stands for ("Acme Chief Executive Jane Roe", "a spokesperson at Acme, which supplies Zenith")."""
    asides = {t.i for c in head.subtree if c.dep_ in ("relcl", "acl") for t in c.subtree}
    for token in head.subtree:
        if token.i not in asides:
            named = _actor_at(context, offset, token, ORGANISATIONS)
            if named is not None:
                return named
    return None


def _employer(context: DocumentContext, offset: int, head, types: tuple[str, ...]) -> str | None:
    """"an analyst at Zenith", "a manager with Acme": the organisation someone speaks for."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("at", "with", "from"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    named = _actor_at(context, offset, pobj, types)
                    if named is not None:
                        return named
    return None


def _actor_at(context: DocumentContext, offset: int, token, types: tuple[str, ...]) -> str | None:
    """The actor named by a mention covering the token or a definite description ending with it ("the
    finance ministry")."""
    at, end = offset + token.idx, offset + token.idx + len(token)
    body = context.document.body
    # Up to a mention the token starts or is inside of ("Acme Corp (ACM)").
    for start, actor_id in actor_spans(context, offset + token.left_edge.idx, end + MENTION_TAIL):
        mention = next((m for m in context.mentions_in(start, end + MENTION_TAIL) if m.start == start), None)
        covers = at < mention.end if mention else DESCRIPTION.fullmatch(body, start, end)
        if start <= at and covers and context.actors[actor_id].actor_type in types:
            return actor_id
    return None
