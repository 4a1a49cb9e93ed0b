"""Events from trigger grammar: type, actors, date, status, attribution; and cross-document deduplication."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.release.rows import extraction_rows
from pipeline.release.tables import event_tables
from tests.extraction.helpers import extract

PUBLISHED = dt.date(2025, 6, 18)  # a Wednesday


def events_of(body: str):
    return extract(body, PUBLISHED).events


@pytest.mark.parametrize(("body", "event_type", "initiator", "date", "precision", "status"), [
    ("Washington approved Nvidia's H20 exports to China on Monday.",
     "export_control_eased", "us-government", dt.date(2025, 6, 16), "day", "reported"),
    ("The Commerce Department added 23 Chinese firms to the Entity List last week, according to Reuters.",
     "sanction_imposed", "us-department-of-commerce", dt.date(2025, 6, 1), "month", "reported"),
    ("Beijing reportedly told state firms to stop buying Micron chips in May.",
     "procurement_policy", "cn-government", dt.date(2025, 5, 1), "month", "reportedly"),
    ("China's State Administration for Market Regulation opened an investigation into Qualcomm on Friday.",
     "regulatory_action", "samr", dt.date(2025, 6, 13), "day", "reported"),
    ("TSMC plans to begin 2nm mass production in 2H25.",
     "production_capacity", "tsmc", dt.date(2025, 1, 1), "year", "planned"),
    ("SK hynix unveiled its first HBM4 samples in March.",
     "product_launch", "sk-hynix", dt.date(2025, 3, 1), "month", "reported"),
    ("Intel agreed to acquire Tower Semiconductor for US$5.4 billion in April.",
     "acquisition", "intel", dt.date(2025, 4, 1), "month", "reported"),
    ("Tokyo approved up to 100 billion yen in subsidies for Kioxia on Tuesday.",
     "industrial_policy", "jp-government", dt.date(2025, 6, 17), "day", "reported"),
    ("Beijing suspended its ban on gallium exports to the United States on Sunday.",
     "export_control_eased", "cn-government", dt.date(2025, 6, 15), "day", "reported"),
    ("Washington agreed to pause the affiliates rule for a year on Monday.",
     "export_control_eased", "us-government", dt.date(2025, 6, 16), "day", "reported"),
    ("The White House decided last month to let AMD resume sales of its MI308 chips in China.",
     "export_control_eased", "us-government", dt.date(2025, 5, 1), "month", "reported"),
    ("The Commerce Department added 12 Chinese companies to its export blacklist on Tuesday.",
     "sanction_imposed", "us-department-of-commerce", dt.date(2025, 6, 17), "day", "reported"),
    ("Beijing ordered state-funded data centres to use only domestically made AI chips in May.",
     "procurement_policy", "cn-government", dt.date(2025, 5, 1), "month", "reported"),
    ("The Commerce Department finalized awards of up to $1.2 billion for Micron on Friday.",
     "industrial_policy", "us-department-of-commerce", dt.date(2025, 6, 13), "day", "reported"),
    ("Samsung will supply 50,000 HBM stacks to the Indian government next year.",
     "partnership_or_order", "samsung-electronics", dt.date(2026, 1, 1), "year", "planned"),
], ids=["eased", "entity-list", "procurement-reportedly", "probe", "capacity-planned", "launch", "acquisition",
        "subsidy", "suspended-ban", "paused-rule", "let-resume-sales", "export-blacklist", "use-only-domestic",
        "chips-award", "supply-to-the"])
def test_trigger_grammar(body, event_type, initiator, date, precision, status) -> None:
    found = [e for e in events_of(body) if e.event_type == event_type]
    assert found, [e.event_type for e in events_of(body)]
    event = found[0]
    assert event.actors[0] == (initiator, "initiator")
    assert (event.event_date, event.date_precision, event.status) == (date, precision, status)
    assert event.evidence_text == body


def test_attribution_names_the_outlet() -> None:
    (event,) = events_of("The Commerce Department added 23 Chinese firms to the Entity List, according to Reuters.")
    assert event.attributed_to_actor_id == "reuters"


def test_one_sentence_can_report_several_events() -> None:
    body = ("Last week, Washington added 140 entities to its Entity List and imposed new curbs on chipmaking tools, "
            "and Beijing responded by banning exports of gallium to the United States.")
    kinds = sorted((e.event_type, e.actors[0][0]) for e in events_of(body))
    assert kinds == [("export_control_tightened", "cn-government"), ("export_control_tightened", "us-government"),
                     ("sanction_imposed", "us-government")]


@pytest.mark.parametrize("body", [
    "Washington will suspend for a year its rule extending export curbs to firms owned by blacklisted companies.",
    "Morgan Stanley analysts said in a note that they expect TSMC's capex to climb to $60 billion next year.",
    "The additions follow the listing in January of Sophgo, a chip designer.",
    "The new rule borrowed the logic of the US foreign direct product rule.",
    "Export rules bar Hygon from buying American tools without a licence.",
    "Beijing's push for self-sufficiency has kept SMIC's factories running at full capacity.",
    "Tokyo's bet on Rapidus now rests less on subsidies than on demand from its customers.",
    "Washington's threat of tariffs on imported chips has pushed TSMC to build more in Arizona.",
    "Goldman Sachs economists on Friday cut their forecast for China's economic growth this year.",
    "Intel unveiled a new strategy for its foundry business on Tuesday.",
], ids=["suspended-rule-is-no-tightening-or-sanction", "bank-analysts-predict", "entity-listing-is-no-ipo",
        "rule-named-as-background", "barred-by-export-control-is-no-procurement-rule", "self-sufficiency-push",
        "subsidies-as-background", "threat-of-tariffs", "economists-cut-forecast", "a-company-strategy"])
def test_what_is_not_the_event_it_looks_like(body: str) -> None:
    kinds = {e.event_type for e in events_of(body)}
    assert not kinds & {"export_control_tightened", "sanction_imposed", "investment", "procurement_policy",
                        "industrial_policy", "tariff_change", "financial_results"}, kinds


def test_background_without_an_actor_is_no_event() -> None:
    assert events_of("Export controls have been tightened many times in recent years.") == ()


def test_two_articles_reporting_one_event_give_one_event_with_two_reports() -> None:
    first = extract("The US Commerce Department added 140 Chinese entities to the Entity List on Monday, "
                    "Reuters reported.", dt.date(2024, 12, 3))
    second = extract("Washington on Monday blacklisted 140 companies, putting them on the Entity List.",
                     dt.date(2024, 12, 4))
    events, event_actors, reports = event_tables(extraction_rows([first, second]))
    sanctions = events[events["event_type"] == "sanction_imposed"]
    assert len(sanctions) == 1
    assert sanctions.iloc[0]["event_date"] == dt.datetime(2024, 12, 2)
    event_reports = reports[reports["event_id"] == sanctions.iloc[0]["event_id"]]
    assert sorted(event_reports["doc_id"]) == sorted([first.doc_id, second.doc_id])


@pytest.mark.parametrize(("body", "event_type", "initiator"), [
    ("Brussels has cleared a €900 million Italian state aid measure for a power-chip plant in Catania.",
     "industrial_policy", "european-union"),
    ("Tokyo announced a sweeping new semiconductor support plan worth ¥2 trillion.",
     "industrial_policy", "jp-government"),
    ("The Commerce Department is opening investigations into imports of chipmaking tools.",
     "regulatory_action", "us-department-of-commerce"),
    ("Micron will start mass shipments of its LPDDR6 chips to handset makers.",
     "product_launch", "micron"),
    ("Kioxia has resumed construction of its second Kitakami fab.",
     "production_capacity", "kioxia"),
    ("Renesas has entered into a multi-year supply agreement with Wolfspeed for silicon carbide wafers.",
     "partnership_or_order", "renesas"),
    ("Nvidia was blocked from selling its H20 accelerator to Chinese buyers.",
     "export_control_tightened", "us-government"),
    ("Washington granted the Korean chipmakers a waiver for their plants in China.",
     "export_control_eased", "us-government"),
    ("Federal prosecutors on Tuesday charged two men with smuggling Nvidia chips to China.",
     "regulatory_action", "us-department-of-justice"),
    ("The Netherlands brought some measuring tools under national export controls in April.",
     "export_control_tightened", "nl-government"),
    ("Vietnam's government approved a chip strategy on Friday that aims for 50 local design houses.",
     "industrial_policy", "vn-government"),
    ("Nvidia's new accelerator is scheduled for release in the second quarter.", "product_launch", "nvidia"),
    ("Samsung showed its first working 2nm transistors at its Hwaseong plant in July.", "product_launch",
     "samsung-electronics"),
    ("Infineon's Dresden fab is due to open in 2027.", "production_capacity", "infineon"),
    ("Work on TSMC's Arizona site began in March.", "production_capacity", "tsmc"),
    ("Intel told investors it will no longer proceed with a planned Ohio fab.", "production_capacity",
     "intel"),
    ("Rapidus has signed up Tenstorrent as a customer for its 2nm process.", "partnership_or_order", "rapidus"),
    ("Malaysia agreed to pay Arm for access to its processor blueprints.", "partnership_or_order",
     "my-government"),
    ("Last year Intel sold its NAND memory business to SK hynix for $9 billion.", "acquisition", "intel"),
    ("Qualcomm bought Kestrel Systems for $1.2 billion last July.", "acquisition", "qualcomm"),
    ("A group headed by U.S. buyout firm Bain Capital purchased Hitachi's memory unit in 2019.",
     "acquisition", "bain-capital"),
], ids=["state-aid-measure", "plan-with-words-between", "plural-investigations", "mass-shipments",
        "construction-resumed", "entered-into-agreement", "blocked-from-selling", "waiver-granted",
        "prosecutors-charged", "brought-under-controls", "a-state-strategy-approved", "scheduled-for-release",
        "first-working-parts-shown", "plant-due-to-open", "work-on-a-site-began", "no-longer-proceed-with-a-fab",
        "signed-up-as-a-customer", "pay-for-access", "a-business-sold", "a-company-bought-by-its-name",
        "a-home-country-before-a-descriptor"])
def test_real_copy_phrasings(body: str, event_type: str, initiator: str | None) -> None:
    events = [e for e in events_of(body) if e.event_type == event_type]
    assert events, [e.event_type for e in events_of(body)]
    if initiator:
        assert events[0].actors[0][0] == initiator


@pytest.mark.parametrize("body", [
    "Once the exemption is withdrawn, the two firms must apply for export licences for every tool.",
    "Beijing will also impose permitting requirements on exports of magnet technology.",
    "The A100 was restricted in 2022 before it was even launched.",
    "Smaller rivals are vying to provide an alternative to the Nvidia accelerators.",
    "Cloud firms kept buying the Nvidia hardware they had managed to acquire.",
    "Last month Washington ordered Samsung to halt deliveries of HBM parts to two Chinese buyers.",
    "Investing.com -- Samsung shares rose 3% on Monday.",
    "Cadence cooperated with the investigation, the department said.",
    "Micron sold 10,000 memory modules to Dell on Monday.",
    "Japan and other partners can now buy US GPUs in any quantity, the notice said.",
    "Samsung cannot acquire Arm under Korean rules, officials said.",
    "Beijing ordered Alibaba, ByteDance and Tencent to stop purchasing Nvidia's chips.",
    "Nvidia sells through its data center business to Microsoft and Meta.",
    "AMD sold the business group's older inventory to Dell.",
    "The boom in AI capex has lifted Nvidia's shares 200%.",
], ids=["conditional-clause", "permitting-requirements-ease-nothing", "launched-in-a-time-clause",
        "vying-to-provide", "acquiring-hardware", "ordered-to-stop", "a-site-s-name", "cooperated-with-a-probe",
        "products-sold", "a-home-country-inside-a-thing-bought", "cannot", "ordered-several-to-stop",
        "sells-through-a-business", "inventory-sold", "capex-as-a-cause"])
def test_what_is_no_event_of_that_kind(body: str) -> None:
    kinds = {e.event_type for e in events_of(body)}
    assert not kinds & {"export_control_eased", "product_launch", "partnership_or_order", "acquisition", "investment"}


def test_news_of_the_day_is_dated_by_the_publication_month_and_history_is_not() -> None:
    (news,) = events_of("South Korea has expanded its chip support package to 40 trillion won.")
    assert (news.event_date, news.date_precision) == (dt.date(2025, 6, 1), "month")
    (history,) = events_of("Seoul had previously expanded its chip support package to 30 trillion won.")
    assert history.event_date is None


def test_results_are_dated_by_their_report_not_the_period_they_cover() -> None:
    (event,) = events_of("Hua Hong reported its highest ever profit in the first quarter.")
    assert (event.event_type, event.event_date, event.date_precision) == (
        "financial_results", dt.date(2025, 6, 1), "month")


def test_a_name_holding_the_head_noun_is_not_a_description_of_an_earlier_actor() -> None:
    body = "China hit back on Friday. The Trump administration opened investigations into imports of chip tools."
    probe = next(e for e in events_of(body) if e.event_type == "regulatory_action")
    assert probe.actors[0][0] == "us-government"


def test_an_agreement_to_acquire_is_the_acquisition_alone() -> None:
    body = "Qualcomm said it had entered into an agreement under which it will acquire Alphawave for US$2.4 billion."
    assert [e.event_type for e in events_of(body)] == ["acquisition"]


def test_a_date_in_the_base_of_a_comparison_does_not_date_the_event() -> None:
    body = ("Japan has expanded its chip subsidy budget to 4 trillion yen, a third larger than the package "
            "approved in 2023, according to Nikkei.")
    (event,) = extract(body, PUBLISHED).events
    assert (event.event_type, event.event_date, event.date_precision) == (
        "industrial_policy", dt.date(2025, 6, 1), "month")


def test_a_plan_announced_with_no_date_is_dated_by_the_publication_month() -> None:
    (event,) = extract("The Hague announced that it would widen its export rules for chip tools.",
                       PUBLISHED).events
    assert (event.status, event.event_date, event.date_precision) == ("planned", dt.date(2025, 6, 1), "month")


def test_a_restatement_keeps_the_date_of_the_event_it_restates() -> None:
    body = ("Beijing will also require permits for exports of rare-earth refining technology. "
            "The new restrictions are to protect national security, the Commerce Ministry said.")
    events = extract(body, PUBLISHED).events
    assert len({(e.event_type, e.event_date) for e in events}) == 1


@pytest.mark.parametrize(("body", "event_type", "status"), [
    ("Micron will build a $100 billion memory complex in upstate New York, the company said on Tuesday.",
     "production_capacity", "planned"),
    ("Construction of the TSMC fab in Dresden started on Tuesday.", "production_capacity", "reported"),
], ids=["a-complex-to-build", "construction-of-a-fab-began"])
def test_capacity_in_other_words(body: str, event_type: str, status: str) -> None:
    (event,) = extract(body, PUBLISHED).events
    assert (event.event_type, event.status) == (event_type, status)


@pytest.mark.parametrize(("body", "event_type"), [
    ("Prime Minister Fumio Kishida on Tuesday announced a new support plan worth more than 8 trillion yen "
     "for the country's chip industry.", "industrial_policy"),
    ("President Donald Trump met chipmakers on Monday. Trump said he would be unveiling new tariffs on "
     "imported chips soon.", "tariff_change"),
], ids=["titled-in-the-sentence", "titled-earlier-in-the-article"])
def test_an_official_s_policy_is_the_government_s(body: str, event_type: str) -> None:
    events = [e for e in extract(body, PUBLISHED).events if e.event_type == event_type]
    assert len(events) == 1
    assert events[0].actors[0] in (("jp-government", "initiator"), ("us-government", "initiator"))


def test_an_official_the_registry_knows_acts_for_their_government() -> None:
    (event,) = extract("Wang Wentao announced new export controls on graphite on Friday.", PUBLISHED).events
    assert event.event_type == "export_control_tightened"
    assert event.actors[0] == ("cn-government", "initiator")


@pytest.mark.parametrize(("body", "event_type", "initiator"), [
    ("China ordered state-owned telecom carriers to phase out foreign chips by 2027.", "procurement_policy",
     "cn-government"),
    ("The Japanese government approved an additional 100 billion yen for Rapidus.", "industrial_policy",
     "jp-government"),
    ("The CHIPS Program Office awarded Intel $7.86 billion.", "industrial_policy", "chips-program-office"),
], ids=["phase-out-foreign-chips", "money-approved-for-a-company", "money-awarded-to-a-company"])
def test_policies_in_other_words(body: str, event_type: str, initiator: str) -> None:
    (event,) = extract(body, PUBLISHED).events
    assert (event.event_type, event.actors[0][0]) == (event_type, initiator)


def test_the_only_event_of_its_kind_is_the_news_though_it_says_another() -> None:
    (event,) = extract("The Japanese government approved an additional 100 billion yen for Rapidus.",
                       PUBLISHED).events
    assert (event.event_date, event.date_precision) == (dt.date(2025, 6, 1), "month")


@pytest.mark.parametrize(("body", "event_type", "date", "status"), [
    ("Huawei is set to launch the Ascend 950 next year.", "product_launch", dt.date(2026, 1, 1), "planned"),
    ("A $3 billion order for ASML's EUV machines was placed by Intel.", "partnership_or_order",
     dt.date(2025, 6, 1), "reported"),
    ("Beijing slapped export curbs on rare earth magnets in April.", "export_control_tightened",
     dt.date(2025, 4, 1), "reported"),
    ("Chinese regulators approved Synopsys' purchase of Ansys after a long review.", "regulatory_action",
     dt.date(2025, 6, 1), "reported"),
    ("SK hynix began supplying HBM4 samples to Nvidia in December.", "product_launch", dt.date(2024, 12, 1),
     "reported"),
    ("SK hynix will begin supplying HBM4 samples to Nvidia in December.", "product_launch", dt.date(2025, 12, 1),
     "planned"),
], ids=["a-model-named-by-number", "an-order-placed", "curbs-slapped", "a-named-company-s-deal-approved",
        "a-month-told-in-the-past-is-the-last-one", "a-month-ahead-is-the-next-one"])
def test_more_real_phrasings(body: str, event_type: str, date: dt.date, status: str) -> None:
    (event,) = extract(body, PUBLISHED).events
    assert (event.event_type, event.event_date, event.status) == (event_type, date, status)


@pytest.mark.parametrize(("body", "event_type", "initiator"), [
    ("TSMC raised its 2025 revenue growth forecast to the mid-30s percent.", "financial_results", "tsmc"),
    ("Japan's cabinet approved a bill to fund Rapidus.", "industrial_policy", "jp-government"),
], ids=["guidance-raised", "a-cabinet-is-its-government"])
def test_guidance_and_cabinets(body: str, event_type: str, initiator: str) -> None:
    (event,) = extract(body, PUBLISHED).events
    assert (event.event_type, event.actors[0][0]) == (event_type, initiator)


@pytest.mark.parametrize("body", [
    "Lawmakers have urged the Commerce Department to ban sales of the H20.",
    "Nvidia declined to comment on whether it would launch a new China chip.",
], ids=["asked-for", "asked-about"])
def test_what_is_asked_for_or_about_is_no_event(body: str) -> None:
    assert extract(body, PUBLISHED).events == ()


def test_demand_the_noun_asks_for_nothing() -> None:
    (event,) = extract("Amid strong AI demand, Nvidia unveiled its Rubin platform on Tuesday.", PUBLISHED).events
    assert event.event_type == "product_launch"


@pytest.mark.parametrize(("body", "event_type", "expected"), [
    ("What drives the rally is cloud capex, one fund manager said.", "investment", False),
    ("Micron raised its capital spending plan for next year, the company said on Monday.", "investment", True),
    ("Nomura raised its target to 95,000 won for SK hynix on Tuesday.", "financial_results", False),
], ids=["capex-as-a-topic", "capex-raised", "a-broker-s-price-target"])
def test_budgets_and_targets(body: str, event_type: str, expected: bool) -> None:
    assert (event_type in {e.event_type for e in events_of(body)}) == expected


@pytest.mark.parametrize(("body", "event_type", "initiator"), [
    ("TSMC raised its revenue growth target to 30% for 2025.", "financial_results", "tsmc"),
    ("The Netherlands barred equipment makers from exporting DUV tools to China.", "export_control_tightened",
     "nl-government"),
    ("Kioxia said on Monday that its capital spending in 2027 would climb sharply.", "investment", "kioxia"),
], ids=["a-company-s-own-target", "a-country-before-a-verb-acts", "capital-spending-to-rise"])
def test_what_the_review_found(body: str, event_type: str, initiator: str) -> None:
    events = [e for e in events_of(body) if e.event_type == event_type]
    assert events and events[0].actors[0][0] == initiator, events_of(body)
