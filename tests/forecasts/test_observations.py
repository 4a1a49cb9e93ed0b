"""The observation grammar (pipeline/forecasts/observations.py) on phrasings written for these tests.

Positive rows: an actual figure stated plainly, with what it should be read as. Negative rows: a forecast,
a plan, a hedged or conditional figure, hearsay, a figure of no period, a rate or stake: none may become an
observation. Every article is published on 10 February 2026, so "last year" is 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.extraction.helpers import extract

PUBLISHED = dt.date(2026, 2, 10)
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
Q4_2025 = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))

# sentence, (subject, metric, value, unit, (period_start, period_end))
OBSERVED = [
    pytest.param("TSMC's capital expenditure for 2025 came in at US$40.9 billion.",
                 ("tsmc", "capex", 40.9e9, "usd", YEAR_2025), id="capex-came-in-at"),
    pytest.param("Global smartphone shipments fell 12% last year.",
                 (None, "shipments", -12.0, "percent", YEAR_2025), id="decline-is-negative"),
    pytest.param("Samsung's share of the DRAM market reached 41% in the fourth quarter of 2025.",
                 ("samsung-electronics", "market_share", 41.0, "percent", Q4_2025), id="share-in-a-quarter"),
    pytest.param("Global semiconductor sales totalled US$697 billion in 2025, according to the Semiconductor "
                 "Industry Association.", (None, "revenue", 697e9, "usd", YEAR_2025), id="market-total"),
    pytest.param("ASML shipped 44 EUV systems in 2025.", ("asml", "shipments", 44.0, "units", YEAR_2025),
                 id="units-shipped"),
    pytest.param("Nvidia held an 80% share of the AI accelerator market in 2025, IDC said.",
                 ("nvidia", "market_share", 80.0, "percent", YEAR_2025), id="share-held"),
    pytest.param("Memory prices jumped 15% in January.",
                 (None, "price", 15.0, "percent", (dt.date(2026, 1, 1), dt.date(2026, 1, 31))),
                 id="a-month-of-this-year"),
]


@pytest.mark.parametrize(("sentence", "expected"), OBSERVED)
def test_an_actual_figure_is_an_observation(sentence: str, expected: tuple) -> None:
    observations = extract(sentence, PUBLISHED).observations
    assert len(observations) == 1, observations
    o = observations[0]
    assert (o.subject_actor_id, o.metric, o.value, o.unit, (o.period_start, o.period_end)) == expected
    assert sentence[o.char_start:o.char_end] == o.evidence_text
    assert o.figure_start >= o.char_start and o.figure_end <= o.char_end


NOT_OBSERVED = [
    pytest.param("TSMC's capital expenditure for 2026 is expected to reach US$52 billion.", id="forecast"),
    pytest.param("TrendForce projects that foundry revenue will grow 20% in 2026.", id="projection"),
    pytest.param("Global smartphone shipments could fall 12% this year.", id="hedged-could"),
    pytest.param("Samsung will spend US$30 billion on new fabs in 2026.", id="plan"),
    pytest.param("Analysts estimated that Huawei shipped 700,000 Ascend chips in 2025.", id="estimate"),
    pytest.param("Nvidia's revenue reportedly reached US$130 billion last year.", id="reportedly"),
    pytest.param("Foundry prices would have risen 10% in 2025 without the subsidies.", id="counterfactual"),
    pytest.param("Revenue came in at US$20 billion.", id="no-period"),
    pytest.param("The US imposed a 25% tariff on chips in 2025.", id="tariff-rate"),
    pytest.param("Intel took a 10% stake in the venture in 2025.", id="stake"),
    pytest.param("Global chip sales rose more than 20% in 2025.", id="open-bound"),
    pytest.param("Foundry revenue rose between 15% and 20% in 2025.", id="range"),
    pytest.param("Memory prices are set to jump 15% in the first quarter.", id="set-to"),
]


@pytest.mark.parametrize("sentence", NOT_OBSERVED)
def test_a_forecast_or_hedged_figure_is_no_observation(sentence: str) -> None:
    assert extract(sentence, PUBLISHED).observations == ()


def test_a_past_figure_beside_a_forecast_is_an_observation_and_the_forecast_stays_one() -> None:
    # The forecasts refuse the 25% as `past_period`; it is a reported result, so it is observed.
    extraction = extract("TrendForce expects foundry revenue to rise 18% in 2026, after it grew 25% in 2025.",
                         PUBLISHED)
    assert [(f.value_low, f.horizon_end.year) for f in extraction.forecasts] == [(18.0, 2026)]
    assert [r.reason for r in extraction.refused_figures] == ["past_period"]
    assert [(o.value, o.period_end.year) for o in extraction.observations] == [(25.0, 2025)]


def test_an_observation_and_a_forecast_of_one_figure_read_alike() -> None:
    """The shared grammar: the same wording of subject, metric and unit gives the same keys."""
    forecast = extract("TrendForce expects TSMC's 2025 capital spending to reach US$38-42 billion.",
                       dt.date(2024, 11, 5)).forecasts[0]
    observed = extract("TSMC's capital spending for 2025 came in at US$40.9 billion.", PUBLISHED).observations[0]
    assert (forecast.subject_actor_id, forecast.metric, forecast.unit, forecast.horizon_start, forecast.horizon_end) \
        == (observed.subject_actor_id, observed.metric, observed.unit, observed.period_start, observed.period_end)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(company=st.sampled_from([("TSMC", "tsmc"), ("ASML", "asml"), ("Micron", "micron")]),
       year=st.integers(2015, 2025), tenths=st.integers(1, 9999),
       verb=st.sampled_from(["came in at", "reached", "totalled", "was"]))
def test_a_stated_result_is_read_back_whatever_its_figure_and_year(company: tuple[str, str], year: int, tenths: int,
                                                                   verb: str) -> None:
    name, actor_id = company
    amount = f"{tenths // 10}.{tenths % 10}"
    observations = extract(f"{name}'s revenue for {year} {verb} US${amount} billion.", PUBLISHED).observations
    assert len(observations) == 1
    o = observations[0]
    assert (o.subject_actor_id, o.metric, o.unit) == (actor_id, "revenue", "usd")
    assert o.value == pytest.approx(float(amount) * 1e9)
    assert (o.period_start, o.period_end) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
