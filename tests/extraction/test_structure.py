"""Events from sentence structure: frames over the spaCy parse, what the parse refuses, summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.documents.parse import parse
from pipeline.events.structure import (
    frame_triggers,
    may_be_refused,
    possible_types,
    subject_span,
    summary_head,
    summary_span,
)
from tests.extraction.helpers import extract

PUBLISHED = dt.date(2025, 6, 18)  # a Wednesday


def frames_of(text: str) -> list[tuple[str, str]]:
    """(type, trigger word) of every frame, with every span counting as naming an actor."""
    doc = parse([text])[0]
    return [(f.event_type, text[f.start:f.end]) for f in frame_triggers(doc, lambda start, end: True)]


@pytest.mark.parametrize(("text", "expected"), [
    # material between the verb and its object does not matter
    ("Kioxia inked a US$2.1 billion (about 300 billion yen) supply agreement with Sony.",
     ("partnership_or_order", "inked")),
    ("Kioxia has resumed construction of its Kitakami fab.", ("production_capacity", "resumed")),
    # with no object, the subject says what the verb is about, also through "is expected to"
    ("The second fab in Kitakami is slated to open in 2027.", ("production_capacity", "open")),
    ("Intel's 18A chips will debut next year.", ("product_launch", "debut")),
    # a noun frame: an investment with its amount, the amount it is in
    ("Micron's investment of more than $20 billion in Boise will create jobs.", ("investment", "investment")),
    ("The state offered up to $80 billion in planned investments by Intel in Ohio.", ("investment", "investments")),
    ("Rapidus agreed to acquire a 10% stake in the packaging venture.", ("acquisition", "acquire")),
    ("Tokyo has earmarked 300 billion yen for Rapidus's pilot line in Chitose.", ("investment", "earmarked")),
    ("The ministry announced a new investment plan of 10 trillion yen for chips and AI.",
     ("industrial_policy", "announced")),
], ids=["between-verb-and-object", "resumed-construction", "subject-through-raising", "debut", "noun-with-amount",
        "amount-it-is-in", "agreed-to-acquire", "committed-money", "plan-with-amount"])
def test_frames(text: str, expected: tuple[str, str]) -> None:
    assert expected in frames_of(text)


@pytest.mark.parametrize(("text", "event_type"), [
    ("Intel did not acquire Tower Semiconductor.", "acquisition"),
    ("Samsung could build a new fab in Texas.", "production_capacity"),
    ("If Micron builds a fab in Hiroshima, Tokyo will pay a third of the cost.", "production_capacity"),
    ("Washington is weighing new curbs on exports of HBM chips.", "export_control_tightened"),
    ("The company has denied plans to buy the plant.", "acquisition"),
    ("Washington finalized a grant of $6 billion to help Micron build three fabs in Idaho.", "production_capacity"),
    ("Cambricon is among the firms vying to supply chips to Chinese data centres.", "partnership_or_order"),
    ("Beijing discouraged local firms from buying Nvidia chips.", "acquisition"),
    ("Shipments of gallium to the United States will no longer be permitted.", "export_control_eased"),
    ("The court cited the Constitution, which prohibits taxes on exports.", "export_control_tightened"),
    ("Production is ramping in parallel.", "production_capacity"),
    ("The plan to buy US chips was shelved.", "acquisition"),
    ("State cash has bought Kestrel Silicon more time.", "acquisition"),
], ids=["negated", "could", "condition", "weighing", "denied", "purpose-under-help", "purpose-infinitive",
        "gerund-in-phrase", "no-longer", "relative-clause", "vague-subject", "no-actor-object", "bought-time"])
def test_refused(text: str, event_type: str) -> None:
    doc = parse([text])[0]
    # Only proper names count as actors here, as the registry would ("US" in "US chips" names a thing's origin).
    names = [(t.idx, t.idx + len(t)) for t in doc if t.tag_ == "NNP" and t.text != "US"]
    found = frame_triggers(doc, lambda start, end: any(s < end and start < e for s, e in names))
    assert event_type not in {f.event_type for f in found}


@pytest.mark.parametrize("text", [
    "Samsung could acquire a European chip designer if prices fall further, analysts said.",
    "Intel may sign a supply agreement with Tesla, people familiar with the talks said.",
], ids=["could-acquire", "may-sign"])
def test_the_structure_refuses_what_the_trigger_grammar_found(text: str) -> None:
    """A sentence whose trigger the grammar found is parsed when it holds a word that could refuse it."""
    assert may_be_refused(text)
    assert extract(text).events == ()


def test_summary_says_what_happened_in_the_sentence_words() -> None:
    text = "Kioxia will build a second fab in Kitakami for 500 billion yen, which will open in 2027, it said."
    doc = parse([text])[0]
    start, end = summary_span(doc, summary_head(doc, text.index("build")))
    assert text[start:end] == "will build a second fab in Kitakami for 500 billion yen"


def test_summary_of_a_noun_starts_at_the_verb_that_reports_it() -> None:
    text = "Washington imposed tariffs of 25% on imported chips last week."
    doc = parse([text])[0]
    start, end = summary_span(doc, summary_head(doc, text.index("tariffs")))
    assert text[start:end] == "imposed tariffs of 25% on imported chips"


def test_subject_of_the_verb_that_reports_a_trigger() -> None:
    text = "In Osaka on Monday, the two companies unveiled plans for a packaging plant."
    doc = parse([text])[0]
    start, end = subject_span(doc, text.index("plans"))
    assert text[start:end] == "the two companies"


@pytest.mark.parametrize(("text", "types"), [
    ("The weather in Hsinchu was mild on Tuesday.", set()),
    ("Kioxia will build a fab in Kitakami.", {"production_capacity"}),
    ("Samsung plans to spend $4 billion.", {"investment"}),
    ("Intel acquired the start-up.", {"acquisition"}),
    ("Kioxia built the line with bought-in tools.", {"production_capacity"}),  # irregular forms
])
def test_only_sentences_where_a_frame_could_find_a_type_are_parsed(text: str, types: set[str]) -> None:
    assert possible_types(text) == types


def test_the_parse_is_deterministic() -> None:
    text = "Tokyo approved up to 100 billion yen in subsidies for Kioxia's new line in Kitakami on Tuesday."
    first, second = parse([text, text])
    assert [(t.dep_, t.head.i, t.lemma_) for t in first] == [(t.dep_, t.head.i, t.lemma_) for t in second]


# End to end: the frames add what the trigger grammar misses, with the actors, date and status of the clause.

def test_a_frame_adds_an_event_the_grammar_missed() -> None:
    body = "Kioxia has resumed construction of its Kitakami fab, the company said on Monday."
    (event,) = [e for e in extract(body, PUBLISHED).events if e.event_type == "production_capacity"]
    assert event.actors[0] == ("kioxia", "initiator")
    assert (event.event_date, event.date_precision) == (dt.date(2025, 6, 16), "day")
    assert event.summary == "Kioxia has resumed construction of its Kitakami fab"


def test_a_states_money_for_an_industry_is_industrial_policy() -> None:
    body = "Tokyo has earmarked 300 billion yen for Rapidus's pilot line in Chitose."
    types = {e.event_type for e in extract(body, PUBLISHED).events}
    assert "industrial_policy" in types and "investment" not in types


def test_a_states_stake_in_a_company_is_an_investment() -> None:
    body = "The Japanese government plans to take an equity stake in Rapidus with a 100 billion yen investment."
    types = {e.event_type for e in extract(body, PUBLISHED).events}
    assert "investment" in types and "industrial_policy" not in types


def test_a_countrys_deal_is_no_company_partnership() -> None:
    body = "South Korea and the United States reached a trade deal in late July."
    assert [e.event_type for e in extract(body, PUBLISHED).events if e.event_type == "partnership_or_order"] == []


def test_a_schedule_is_planned() -> None:
    body = "Huawei said its next accelerator is scheduled for release in the fourth quarter."
    (event,) = [e for e in extract(body, PUBLISHED).events if e.event_type == "product_launch"]
    assert event.status == "planned"


def test_an_undated_report_beside_old_news_is_background_of_its_own() -> None:
    # Two capacity reports by one company: one dated months back, one undated. The undated one does not
    # take the old date (it is not a restatement of the article's news).
    body = ("Kioxia opened its Kitakami fab in January. "
            "Kioxia has resumed construction of its Yokkaichi fab.")
    dates = sorted(str(e.event_date) for e in extract(body, PUBLISHED).events
                   if e.event_type == "production_capacity")
    assert dates == ["2025-01-01", "2025-06-01"]


def test_an_undated_report_beside_the_news_of_the_day_joins_it() -> None:
    body = ("Tokyo has approved new subsidies for Rapidus. "
            "The Ministry of Economy, Trade and Industry approved 100 billion yen in subsidies for Rapidus on Friday.")
    events = [e for e in extract(body, PUBLISHED).events if e.event_type == "industrial_policy"]
    assert [(e.event_date, e.date_precision) for e in events] == [(dt.date(2025, 6, 13), "day")] * 2
    assert events[1].summary == ("Ministry of Economy, Trade and Industry approved 100 billion yen in subsidies "
                                 "for Rapidus")
