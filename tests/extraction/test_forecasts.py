"""Forecasts: value, comparator, sign, horizon, forecaster, metric; and figures that are no forecast."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.extraction.helpers import extract

PUBLISHED = dt.date(2025, 6, 18)


def forecasts_of(body: str, published: dt.date | None = PUBLISHED):
    return extract(body, published).forecasts


@pytest.mark.parametrize(("body", "low", "high", "unit", "comparator", "year", "forecaster", "metric"), [
    ("According to Counterpoint, global smartphone shipments are projected to grow 3% in 2026.",
     3, 3, "percent", "=", 2026, "counterpoint-research", "shipments"),
    ("Gartner expects worldwide semiconductor revenue to reach more than US$700 billion next year.",
     700e9, None, "usd", ">", 2026, "gartner", "revenue"),
    ("Hua Hong expects revenue in the third quarter to fall by 2% to 4% sequentially.",
     -4, -2, "percent", "=", 2025, "hua-hong", "revenue"),
    ("Analysts say Intel's share of the server CPU market could slip below 60% by 2027.",
     None, 60, "percent", "<", 2027, None, "market_share"),
    ("SEMI forecasts that fab equipment spending will rise to about US$130 billion in 2026, SEMI said.",
     130e9, 130e9, "usd", "~", 2026, "semi", "capex"),
    ("IDC estimates that AI server shipments could double in 2026.",
     100, 100, "percent", "=", 2026, "idc", "shipments"),
    ("Gartner said the new rules could cut chipmakers' spending on Chinese fabs by as much as 15% next year.",
     -15, None, "percent", "<=", 2026, "gartner", "other"),
    ("Counterpoint now expects global smartphone shipments to post a 2.1% YoY decline in 2026.",
     -2.1, -2.1, "percent", "=", 2026, "counterpoint-research", "shipments"),
    ("TrendForce expects foundry utilization to slip by 2 to 3 percentage points in 2026.",
     -3, -2, "percentage_points", "=", 2026, "trendforce", "capacity"),
], ids=["research-firm-growth", "lower-bound-next-year", "decline-range", "unnamed-analysts-upper-bound",
        "approximate-capex", "double", "decline-with-object", "yoy-decline-noun", "slip-points"])
def test_forecast_grammar(body, low, high, unit, comparator, year, forecaster, metric) -> None:
    (forecast,) = forecasts_of(body)
    assert (forecast.value_low, forecast.value_high) == (low, high)
    assert (forecast.unit, forecast.comparator) == (unit, comparator)
    assert forecast.horizon_end.year == year
    assert forecast.forecaster_actor_id == forecaster
    assert forecast.metric == metric
    assert forecast.issued_date == PUBLISHED
    assert forecast.evidence_text == body


@pytest.mark.parametrize("body", [
    "Amkor expects its $2 billion packaging campus in Arizona to open next year.",
    "The bill also creates a 25% investment tax credit that analysts expect to matter next year.",
], ids=["money-naming-a-site", "percent-naming-a-credit"])
def test_a_figure_naming_what_a_thing_is_is_not_a_forecast(body: str) -> None:
    assert forecasts_of(body) == ()


def test_a_tariff_rate_is_not_a_forecast() -> None:
    assert forecasts_of("Washington will raise the tariff on Chinese chips to 50% from 25% next year.") == ()
    assert forecasts_of("The White House is expected to impose a 25% tariff on imported chips next year.") == ()


def test_analysts_of_a_named_firm_make_the_firm_the_forecaster() -> None:
    (forecast,) = forecasts_of("Bernstein analysts expect local accelerators to take about 55 per cent of China's "
                               "AI chip market in 2026.")
    assert (forecast.forecaster_actor_id, forecast.metric, forecast.value_low) == ("bernstein", "market_share", 55)


def test_a_figure_about_the_past_is_not_a_forecast() -> None:
    assert forecasts_of("Revenue rose 40% in 1H25, the company said.") == ()
    assert forecasts_of("TSMC reported fourth-quarter revenue of US$26.9 billion in January.") == ()


def test_an_estimate_of_the_current_year_is_a_forecast() -> None:
    (forecast,) = forecasts_of("June's estimate put Huawei's output at just 200,000 units this year.")
    assert (forecast.value_low, forecast.unit, forecast.horizon_end) == (200000, "units", dt.date(2025, 12, 31))


def test_the_horizon_carries_to_the_next_sentence_of_the_paragraph() -> None:
    body = ("According to TrendForce, the AI chip market is projected to grow over 60% in 2026. "
            "Domestic chips are expected to reach a market share of around 50%.")
    first, second = forecasts_of(body)
    assert (first.value_low, first.value_high, first.comparator) == (60, None, ">")
    assert second.horizon_end == dt.date(2026, 12, 31)
    assert second.forecaster_actor_id == "trendforce"


def test_several_million_is_an_honest_range() -> None:
    (forecast,) = forecasts_of("U.S. officials concluded that by 2026, Huawei could produce several million "
                               "Ascend chips.")
    assert (forecast.value_low, forecast.value_high, forecast.comparator) == (2e6, 9e6, "~")
    assert (forecast.forecaster_actor_id, forecast.subject_actor_id) == ("us-government", "huawei")
    assert forecast.metric == "production_volume"


def test_a_release_built_on_a_research_firm_gives_it_every_unattributed_figure() -> None:
    body = ("Worldwide spending on AI accelerators will climb sharply, according to Omdia's latest quarterly "
            "outlook published on Tuesday.\n"
            "Accelerator revenue is expected to reach US$310 billion in 2026.\n"
            "The report projects that shipments of custom chips will rise 40% in 2027.")
    forecasts = forecasts_of(body)
    assert [(f.value_low, f.forecaster_actor_id) for f in forecasts] == [(310e9, "omdia"), (40, "omdia")]


def test_a_figure_with_no_source_in_an_ordinary_article_has_no_forecaster() -> None:
    body = ("Chip stocks rose on Monday after the company reported strong orders for its newest tools.\n"
            "Traders said the rally spread to equipment makers in Tokyo and Seoul later in the day.\n"
            "Accelerator revenue is expected to reach US$310 billion in 2026, a figure Omdia did not comment on.")
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id is None


@pytest.mark.parametrize(("body", "expected"), [
    ("SEMI expects packaging equipment sales to rise 8.1% to US$6.2 billion in 2026.",
     [(8.1, 2026, "market_growth"), (6.2e9, 2026, "revenue")]),
    ("SEMI expects packaging equipment sales to rise 8.1% in 2025, reaching US$6.2 billion, and to keep "
     "growing in 2026.",
     [(8.1, 2025, "market_growth"), (6.2e9, 2025, "revenue")]),
    ("SEMI expects memory equipment to grow 5.5% in 2025 and 9.9% in 2026.",
     [(5.5, 2025, "market_growth"), (9.9, 2026, "market_growth")]),
    ("Nikkei Asia reported that Kioxia expects its revenue to grow 12% in 2026.",
     [(12, 2026, "revenue")]),
], ids=["percent-to-level", "level-after-period", "list-of-periods", "a-company-s-own-growth"])
def test_chained_figures_share_a_period_and_a_market_s_growth_is_market_growth(body, expected) -> None:
    assert [(f.value_low, f.horizon_end.year, f.metric) for f in forecasts_of(body)] == expected


def test_the_base_of_a_change_is_no_forecast() -> None:
    forecasts = forecasts_of("Wolfspeed expects capacity to rise from 12,000 wafers a month this year to about "
                             "20,000 wafers a month in 2027.")
    assert [(f.value_low, f.horizon_end.year) for f in forecasts] == [(20000, 2027)]


# ------------------------------------------------------------------ who makes a forecast

@pytest.mark.parametrize(("body", "forecaster"), [
    ("Chip equipment spending could reach $130 billion in 2026, as noted by SEMI in its latest update.", "semi"),
    ("The DRAM market will expand 25% in 2026, Counterpoint Research projects.", "counterpoint-research"),
    ("Shipments of AI servers are projected by Gartner to climb 30% next year.", "gartner"),
    ("Analysts at IDC expect the foundry market to grow by 16% in 2026.", "idc"),
    ("Samsung could take 40% of the HBM4 market in 2026, according to estimates from Kiwoom Securities.",
     "kiwoom"),
    ("Samsung's quarterly profit is expected to reach 1.2 trillion won, according to a Refinitiv "
     "SmartEstimate.", "lseg"),
    ("Revenue at the foundry is expected to rise 30% in 2026, Reuters reported, citing Morgan Stanley.",
     "morgan-stanley"),
    ("Intel's foundry unit is expected to lose $5 billion in 2026, people familiar with the matter said.", None),
    ("Nvidia's share of the accelerator market, which rivals such as AMD and Intel are chasing, is forecast to "
     "stay near 80% in 2026.", None),
    ("Analysts put the cost of the plant at about 1.5 trillion yen, an outlay that Micron plans to make over "
     "the next five years.", "micron"),
], ids=["as-noted-by", "source-after-the-clause", "passive-agent", "analysts-at-a-firm", "estimates-from",
        "a-named-estimate", "outlet-citing-a-bank", "unnamed-sources", "companies-named-in-passing",
        "a-company-s-own-plan"])
def test_the_forecaster_is_the_source_the_sentence_cites(body: str, forecaster: str | None) -> None:
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id == forecaster


def test_it_is_the_company_a_recent_sentence_is_about() -> None:
    body = ("TSMC said profit rose to a record in the second quarter. That beat an LSEG estimate of T$350 billion. "
            "For the coming three months, it sees sales of $33 billion to $34 billion.")
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id == "tsmc"


@pytest.mark.parametrize(("body", "forecaster"), [
    ('"We expect data center revenue to grow 40% next year," said Nvidia Chief Executive Jensen Huang.',
     "nvidia"),
    ("Micron reported strong sales. Revenue should reach $12 billion next quarter, according to the company.",
     "micron"),
    ("IDC cut its outlook for personal computers on Monday. It sees PC prices rising 4% to 8% in 2026.", "idc"),
], ids=["speaker-after-the-quote", "according-to-the-company", "it-is-the-firm-the-last-sentence-is-about"])
def test_a_source_named_after_the_quote_by_its_kind_or_by_it(body: str, forecaster: str) -> None:
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id == forecaster


@pytest.mark.parametrize(("body", "forecaster"), [
    ("Hua Hong Semiconductor (Hua Hong), China's second-largest foundry, expects sales to climb 8% in 2027.",
     "hua-hong"),
    ("Fitch Ratings, which follows the industry, estimated that Japan's wafer imports could shrink by a quarter "
     "in 2027.", "fitch-ratings"),
    ("Japan's METI said exports were weak in May. The Ministry of Trade, Industry and Energy projects that chip "
     "exports will grow 9% in 2027.", "motie"),
    ("A spokesperson at Wolfspeed, which supplies Infineon, said it expected orders to fall by half in 2027 as "
     "customers wait for new parts.", "wolfspeed"),
    ("A FnGuide survey of analysts forecasts SK hynix's 2027 operating profit at about 40 trillion won.", "fnguide"),
    ("Jefferies raised its target; separately, S&P Global Mobility warned that a long outage could cut car output "
     "by up to 300,000 units in 2027.", "sp-global-mobility"),
    ("Kiwoom Securities, a Seoul brokerage, sees SK hynix's operating profit reaching 45 trillion won in 2027.",
     "kiwoom"),
], ids=["the-subject-not-its-modifier", "through-a-that-clause", "a-name-starting-with-a-kind-is-no-description",
        "it-in-what-someone-at-a-firm-says", "the-source-of-a-survey", "the-subject-of-the-verb-above-the-figure",
        "a-home-city-in-an-apposition"])
def test_the_forecaster_is_the_subject_of_the_verb_the_figure_depends_on(body: str, forecaster: str) -> None:
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id == forecaster


def test_the_outlet_is_the_outlet_last_named() -> None:
    body = ("Nikkei Asia reported on Monday that AI chip demand would stay strong. "
            "The outlet added that HBM prices may rise 15% next year.")
    (forecast,) = forecasts_of(body)
    assert (forecast.forecaster_actor_id, forecast.metric) == ("nikkei", "price")


def test_an_outlet_reporting_a_cited_source_gives_the_source_its_figure() -> None:
    body = ("Nikkei Asia said, citing data from Counterpoint Research, that smartphone shipments would fall 4% "
            "in 2027.")
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id == "counterpoint-research"


def test_a_research_firm_in_the_title_gives_a_release_its_figures() -> None:
    body = "Memory revenue is expected to climb 18% in 2026 as prices recover across DRAM and NAND products."
    (forecast,) = extract(body, PUBLISHED, title="Gartner Sees Memory Rebound Next Year").forecasts
    assert forecast.forecaster_actor_id == "gartner"


def test_the_foundry_market_is_a_market_not_the_foundry_last_named() -> None:
    body = ("TSMC is expected to lift its share to 40% in 2026, IDC said. "
            "The foundry market is expected to grow by 20% in 2026.")
    forecasts = forecasts_of(body)
    assert [f.subject_actor_id for f in forecasts] == ["tsmc", None]


# ------------------------------------------------------------------ what a figure measures

@pytest.mark.parametrize(("body", "metric"), [
    ("Micron is projected to win more than 25% of the HBM market next year.", "market_share"),
    ("Chromebooks are expected to account for a fifth of notebook shipments in 2026.", "market_share"),
    ("The new fab is expected to produce 40,000 wafers per month by 2027.", "capacity"),
    ("The logic segment is projected to lead with $120 billion of investments over 2026-2028.", "capex"),
    ("Toolmakers' revenue from China is expected to decline by 10% next year.", "revenue"),
    ("China's contribution is expected to normalise to around 20% of total revenue in 2026.", "revenue"),
    ("Global wafer shipments are projected to reach 13,210 million square inches in 2026.", "shipments"),
    ("Contract prices for DRAM could climb 8% to 13% in the first quarter of 2026.", "price"),
    ("The foundry market is forecast to grow 18% in 2026.", "market_growth"),
], ids=["part-of-a-market", "a-fifth-of-shipments", "wafers-a-month-are-capacity", "investments-are-capex",
        "an-owner-s-revenue", "part-of-a-company-s-revenue", "square-inches", "contract-prices",
        "a-market-s-growth"])
def test_the_metric_of_a_figure(body: str, metric: str) -> None:
    (forecast,) = forecasts_of(body)
    assert forecast.metric == metric


# ------------------------------------------------------------------ what a forecast is about

@pytest.mark.parametrize(("body", "target"), [
    ("Analysts expect that prices for the wafers in the region could climb 10% next year.",
     "prices for the wafers in the region"),
    ("GlobalFoundries' 2026 capital spending is expected to reach about $1 billion.",
     "GlobalFoundries' 2026 capital spending"),
    ("Micron expects capital spending of about $20 billion in fiscal 2026.", "capital spending"),
    ("Shipments of AI servers are projected by Gartner to climb 30% next year.", "Shipments of AI servers"),
    ("Micron is projected to win more than 25% of the HBM market next year.", "HBM market"),
], ids=["subject-with-its-phrase", "possessive-subject", "noun-of-the-figure", "passive-subject",
        "the-whole-of-a-share"])
def test_the_target_is_the_noun_phrase_the_figure_measures(body: str, target: str) -> None:
    (forecast,) = forecasts_of(body)
    assert forecast.target == target


# ------------------------------------------------------------------ periods of lists and asides

def test_respectively_pairs_a_list_with_the_periods_of_the_list_before_it() -> None:
    body = ("Gartner expects DRAM revenue to jump 40% in 2026 and 15% in 2027, reaching $110 billion and "
            "$126 billion, respectively.")
    assert [(f.value_low, f.horizon_end.year) for f in forecasts_of(body)] == [
        (40, 2026), (15, 2027), (110e9, 2026), (126e9, 2027)]


def test_a_change_in_parentheses_is_about_the_figure_before_it() -> None:
    body = "Flash revenue will total $80.5 billion in 2026 (a 14% increase from 2025), Gartner said."
    assert [(f.value_low, f.horizon_end.year, f.metric) for f in forecasts_of(body)] == [
        (80.5e9, 2026, "revenue"), (14, 2026, "market_growth")]


# ------------------------------------------------------------------ figures that are no forecast

@pytest.mark.parametrize(("body", "reason"), [
    ("Firms at least 25 percent owned by listed entities will need licences, with most requests expected "
     "to be refused.", "ownership"),
    ("A total of 15 trillion won in cheap loans to chip firms will be offered between 2026 and 2028.", "support"),
    ("The amount adds to about ¥3 trillion Tokyo has set aside since 2022, and more is expected.", "support"),
    ("The state's $4.2 billion 'Chips Valley' programme aims to lift chip output across the region.",
     "attribute"),
    ("With roughly 2,000 engineers on staff, the startup is expected to become a key supplier.",
     "background"),
    ("With about $3 billion in cash, the startup is expected to become a key supplier next year.", "background"),
    ("Revenue is expected to rise to $12 billion in 2026 from $9 billion this year.", "base_of_change"),
    ("Washington is expected to impose a 25% tariff on imported chips next year.", "rate"),
], ids=["ownership-share", "state-loans", "money-set-aside", "a-named-programme", "headcount", "with-phrase",
        "base-of-a-change", "tariff-rate"])
def test_a_refused_figure_keeps_the_rule_that_refused_it(body: str, reason: str) -> None:
    extraction = extract(body, PUBLISHED)
    refused = {(x.figure, x.reason) for x in extraction.refused_figures}
    assert reason in {r for _, r in refused}
    for x in extraction.refused_figures:
        assert body[x.figure_start:x.figure_start + len(x.figure)] == x.figure
        assert body[x.char_start:x.char_end] == x.evidence_text
    assert all(f.value_low not in {x.value_low for x in extraction.refused_figures} for f in extraction.forecasts)


def test_the_latter_half_of_a_year_is_a_period_not_a_figure() -> None:
    assert forecasts_of("SoftBank expects the deal to close in the latter half of 2026.") == ()


def test_what_an_industry_body_says_will_happen_this_year_is_its_forecast_and_a_companys_a_plan() -> None:
    """'will' with no forecasting verb: this year's figure is a forecast from a research firm or an industry
    body, and a plan from a company (refused as plan_this_year); next year's is a forecast from either."""
    (forecast,) = forecasts_of("The Semiconductor Industry Association said global chip sales will reach "
                               "$700 billion in 2025.")
    assert (forecast.forecaster_actor_id, forecast.value_low) == ("sia", 700e9)
    result = extract("Kioxia said it will spend 300 billion yen on new equipment in 2025.", PUBLISHED)
    assert result.forecasts == () and [r.reason for r in result.refused_figures] == ["plan_this_year"]
    result = extract("Gartner said it will cut 500 jobs in 2025.", PUBLISHED)
    assert result.forecasts == () and [r.reason for r in result.refused_figures] == ["plan_this_year"]


@pytest.mark.parametrize("body", [
    "Nomura lifted its price target on SK hynix to 410,000 won in 2026.",
    "Jefferies kept its Buy rating on Intel, with a price target of $45 for 2026.",
], ids=["target-raised", "target-kept"])
def test_a_brokers_share_price_target_is_no_forecast(body: str) -> None:
    result = extract(body, PUBLISHED)
    assert result.forecasts == () and "price_target" in {r.reason for r in result.refused_figures}


def test_a_companys_target_in_billions_is_still_a_forecast() -> None:
    (forecast,) = forecasts_of("TSMC raised its target to $30 billion in revenue from the region by 2027.")
    assert (forecast.forecaster_actor_id, forecast.value_low) == ("tsmc", 30e9)


def test_the_bank_is_the_bank_named_before() -> None:
    body = "Credit notes from UBS came out on Monday. The bank now expects NAND sales to reach $95 billion in 2026."
    (forecast,) = forecasts_of(body)
    assert forecast.forecaster_actor_id == "ubs"
