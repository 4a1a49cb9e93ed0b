"""Tests of the temporal grammar (pipeline/temporal/expressions.py).

The table holds real phrasings: the seed and dev articles' sentences with their published
dates and the dates their gold files give, then general news phrasings.  Hypothesis
properties check the invariants on arbitrary text, round trips of rendered dates, and the
weekday rule.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.temporal.expressions import TimeExpression, find_time_expressions

D = dt.date.fromisoformat


def _expr(text: str, published: dt.date | None, raw: str) -> TimeExpression:
    """The one expression of `text` whose raw text is `raw`."""
    found = find_time_expressions(text, published)
    hits = [e for e in found if e.raw == raw]
    assert hits, f"{raw!r} not found; got {[e.raw for e in found]}"
    return hits[0]


# One case: (id, published, raw, text, period, precision, relation, event).  period is "start..end",
# one ISO day, or None; event is "<event_date> <event_precision>" or "unknown".
Case = tuple[str, str | None, str, str, str | None, str, str, str]


def C(
    case_id: str, published: str | None, raw: str, text: str, period: str | None, precision: str,
    relation: str, event: str,
) -> Case:
    return (case_id, published, raw, text, period, precision, relation, event)


SEED_CASES: list[Case] = [
    C("seed-december-8th", "2025-12-10", "on December 8th",
      "While Washington approved NVIDIA's H200 exports to China on December 8th, Beijing reportedly acted "
      "first.",
      "2025-12-08", "day", "in", "2025-12-08 day"),
    C("seed-by-2026", "2025-12-10", "by 2026",
      "U.S. officials cited by the report concluded that by 2026, Huawei could produce several million "
      "Ascend 910C accelerators",
      "2026-01-01..2026-12-31", "year", "by", "2026-01-01 year"),
    C("seed-junes-estimate", "2025-12-10", "from June",
      "up sharply from June’s estimate of just 200,000 units this year.",
      "2025-06-01..2025-06-30", "month", "from", "2025-06-01 month"),
    C("seed-this-year", "2025-12-10", "this year",
      "up sharply from June’s estimate of just 200,000 units this year.",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    C("seed-in-recent-years", "2025-12-10", "in recent years",
      "It is worth noting that in recent years, domestic microprocessors have been added",
      None, "unknown", "over", "unknown"),
    C("seed-in-2026", "2025-12-10", "in 2026",
      "China’s high-end AI chip market is projected to grow over 60% in 2026.",
      "2026-01-01..2026-12-31", "year", "in", "2026-01-01 year"),
]

DEV_CASES: list[Case] = [
    # dev-01, published 2024-12-03 (a Tuesday)
    C("dev01-on-monday", "2024-12-03", "on Monday",
      "The US Commerce Department's Bureau of Industry and Security (BIS) on Monday rolled out its third "
      "major round",
      "2024-12-02", "day", "in", "2024-12-02 day"),
    C("dev01-since-october-2022", "2024-12-03", "since October 2022",
      "Export controls on chipmaking tools have been a central lever of US technology policy since "
      "October 2022.",
      "2022-10-01..2022-10-31", "month", "since", "2022-10-01 month"),
    C("dev01-compliance-december-31", "2024-12-03", "December 31",
      "some provisions carry a compliance date of December 31.",
      "2024-12-31", "day", "in", "2024-12-31 day"),
    C("dev01-by-2027", "2024-12-03", "by 2027",
      "TrendForce projects that Taiwan's share will ease to around 60% by 2027",
      "2027-01-01..2027-12-31", "year", "by", "2027-01-01 year"),
    # dev-02, published 2024-12-04 (a Wednesday)
    C("dev02-on-tuesday", "2024-12-04", "on Tuesday",
      "China's Ministry of Commerce (MOFCOM) said on Tuesday that exports of gallium",
      "2024-12-03", "day", "in", "2024-12-03 day"),
    C("dev02-august-2023", "2024-12-04", "in August 2023",
      "a licensing regime that Beijing first applied to gallium and germanium exports in August 2023",
      "2023-08-01..2023-08-31", "month", "in", "2023-08-01 month"),
    C("dev02-september-15-this-year", "2024-12-04", "from September 15 this year",
      "and extended to antimony from September 15 this year.",
      "2024-09-15", "day", "from", "2024-09-15 day"),
    C("dev02-first-ten-months", "2024-12-04", "in the first ten months of this year",
      "no gallium was shipped to the US in the first ten months of this year",
      "2024-01-01..2024-10-31", "year", "in", "2024-01-01 year"),
    C("dev02-in-october", "2024-12-04", "in October",
      "China's antimony exports also plunged 97% in October from September",
      "2024-10-01..2024-10-31", "month", "in", "2024-10-01 month"),
    C("dev02-as-of-november-28", "2024-12-04", "as of November 28",
      "to about US$39,000 per metric ton as of November 28, according to Argus.",
      "2024-11-28", "day", "as_of", "2024-11-28 day"),
    C("dev02-last-year", "2024-12-04", "last year",
      "48% of global antimony mine production last year.",
      "2023-01-01..2023-12-31", "year", "in", "2023-01-01 year"),
    # dev-03, published 2025-01-17 (a Friday)
    C("dev03-on-thursday", "2025-01-17", "on Thursday",
      "TSMC on Thursday reported fourth-quarter revenue of about US$26.9 billion",
      "2025-01-16", "day", "in", "2025-01-16 day"),
    C("dev03-fourth-quarter", "2025-01-17", "fourth-quarter",
      "TSMC on Thursday reported fourth-quarter revenue of about US$26.9 billion",
      "2024-10-01..2024-12-31", "quarter", "in", "2024-10-01 quarter"),
    C("dev03-for-the-first-quarter", "2025-01-17", "For the first quarter",
      "For the first quarter, TSMC guided revenue of US$25.0 billion",
      "2025-01-01..2025-03-31", "quarter", "in", "2025-01-01 quarter"),
    C("dev03-in-4q24", "2025-01-17", "in 4Q24",
      "TSMC's first fab in Arizona entered volume production on the N4 process in 4Q24",
      "2024-10-01..2024-12-31", "quarter", "in", "2024-10-01 quarter"),
    C("dev03-in-2028", "2025-01-17", "in 2028",
      "A second Arizona fab is slated to begin production in 2028",
      "2028-01-01..2028-12-31", "year", "in", "2028-01-01 year"),
    C("dev03-later-this-decade", "2025-01-17", "later this decade",
      "a third fab is set to adopt 2nm or more advanced processes later this decade.",
      "2025-01-17..2029-12-31", "multi_year", "in", "unknown"),
    C("dev03-last-november", "2025-01-17", "Last November",
      "Last November, the US Commerce Department finalized up to US$6.6 billion",
      "2024-11-01..2024-11-30", "month", "in", "2024-11-01 month"),
    C("dev03-2025-revenue", "2025-01-17", "2025",
      "C.C. Wei told analysts that 2025 revenue is expected to grow",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    # dev-04, published 2025-05-12 (a Monday)
    C("dev04-first-quarter-thursday", "2025-05-12", "on Thursday",
      "SMIC reported first-quarter revenue of US$2.247 billion on Thursday",
      "2025-05-08", "day", "in", "2025-05-08 day"),
    C("dev04-first-quarter", "2025-05-12", "first-quarter",
      "SMIC reported first-quarter revenue of US$2.247 billion on Thursday",
      "2025-01-01..2025-03-31", "quarter", "in", "2025-01-01 quarter"),
    C("dev04-second-quarter", "2025-05-12", "in the second quarter",
      "SMIC expects revenue in the second quarter to fall by 4% to 6% sequentially",
      "2025-04-01..2025-06-30", "quarter", "in", "2025-04-01 quarter"),
    C("dev04-on-friday", "2025-05-12", "on Friday",
      "SMIC's Hong Kong-listed shares dropped nearly 7% on Friday",
      "2025-05-09", "day", "in", "2025-05-09 day"),
    C("dev04-since-december-2020", "2025-05-12", "since December 2020",
      "SMIC has been on the US Entity List since December 2020",
      "2020-12-01..2020-12-31", "month", "since", "2020-12-01 month"),
    C("dev04-earlier-in-the-year", "2025-05-12", "Earlier in the year",
      "Earlier in the year, demand was lifted by customers pulling in orders",
      "2025-01-01..2025-05-12", "year", "in", "2025-01-01 year"),
    # dev-05, published 2025-04-17 (a Thursday)
    C("dev05-on-april-9", "2025-04-17", "on April 9",
      "Washington informed it on April 9 that a licence is needed",
      "2025-04-09", "day", "in", "2025-04-09 day"),
    C("dev05-on-april-14", "2025-04-17", "On April 14",
      "On April 14, officials told the company",
      "2025-04-14", "day", "in", "2025-04-14 day"),
    C("dev05-on-tuesday", "2025-04-17", "on Tuesday",
      "NVIDIA said on Tuesday that it expects to take charges",
      "2025-04-15", "day", "in", "2025-04-15 day"),
    C("dev05-on-wednesday", "2025-04-17", "on Wednesday",
      "AMD followed on Wednesday with its own filing",
      "2025-04-16", "day", "in", "2025-04-16 day"),
    C("dev05-quarter-ending-april-27", "2025-04-17", "fiscal first quarter ending April 27",
      "will be booked in NVIDIA’s fiscal first quarter ending April 27.",
      "2025-04-27", "day", "in", "2025-04-27 day"),
    C("dev05-in-1q25", "2025-04-17", "in 1Q25",
      "reportedly ordered at least US$16 billion worth of H20 chips in 1Q25",
      "2025-01-01..2025-03-31", "quarter", "in", "2025-01-01 quarter"),
    C("dev05-next-four-years", "2025-04-17", "over the next four years",
      "to produce up to half a trillion dollars’ worth of AI infrastructure in the US over the next four "
      "years",
      "2025-04-17..2029-04-17", "multi_year", "over", "unknown"),
    C("dev05-this-week", "2025-04-17", "this week",
      "CEO Jensen Huang is reportedly visiting Beijing this week",
      "2025-04-14..2025-04-20", "month", "in", "2025-04-01 month"),
    # dev-06, published 2025-01-16 (a Thursday)
    C("dev06-on-wednesday", "2025-01-16", "on Wednesday",
      "The Dutch government said on Wednesday that it will widen its controls",
      "2025-01-15", "day", "in", "2025-01-15 day"),
    C("dev06-from-april-1", "2025-01-16", "from April 1",
      "it will widen its national export controls from April 1, requiring licences",
      "2025-04-01", "day", "from", "2025-04-01 day"),
    C("dev06-december-package", "2025-01-16", "December",
      "following Washington's December package of chip restrictions.",
      "2024-12-01..2024-12-31", "month", "in", "2024-12-01 month"),
    C("dev06-september-2023", "2025-01-16", "in September 2023",
      "The Netherlands first imposed national licence requirements in September 2023",
      "2023-09-01..2023-09-30", "month", "in", "2023-09-01 month"),
    C("dev06-january-last-year", "2025-01-16", "In January last year",
      "In January last year, The Hague partially revoked licences",
      "2024-01-01..2024-01-31", "month", "in", "2024-01-01 month"),
    C("dev06-last-september", "2025-01-16", "Last September",
      "Last September, the government went a step further",
      "2024-09-01..2024-09-30", "month", "in", "2024-09-01 month"),
    C("dev06-in-october", "2025-01-16", "in October",
      "CFO Roger Dassen said in October that China's contribution should normalize",
      "2024-10-01..2024-10-31", "month", "in", "2024-10-01 month"),
    C("dev06-on-january-29", "2025-01-16", "on January 29",
      "when ASML reports fourth-quarter results on January 29.",
      "2025-01-29", "day", "in", "2025-01-29 day"),
    C("dev06-by-2030", "2025-01-16", "by 2030",
      "ASML targets revenue of €44 billion to €60 billion by 2030",
      "2030-01-01..2030-12-31", "year", "by", "2030-01-01 year"),
    # dev-07, published 2024-05-28 (a Tuesday)
    C("dev07-on-friday", "2024-05-28", "on Friday",
      "the fund was registered on Friday, making it the largest",
      "2024-05-24", "day", "in", "2024-05-24 day"),
    C("dev07-on-monday", "2024-05-28", "on Monday",
      "disclosed in filings on Monday that they will invest",
      "2024-05-27", "day", "in", "2024-05-27 day"),
    C("dev07-in-2014", "2024-05-28", "in 2014",
      "The first phase, launched in 2014, raised 138.7 billion yuan",
      "2014-01-01..2014-12-31", "year", "in", "2014-01-01 year"),
    # dev-08, published 2025-05-23 (a Friday)
    C("dev08-in-march", "2025-05-23", "in March",
      "SK hynix started shipping 12-high HBM4 samples to major customers in March",
      "2025-03-01..2025-03-31", "month", "in", "2025-03-01 month"),
    C("dev08-in-2h26", "2025-05-23", "in 2H26",
      "HBM4 is expected to overtake HBM3E as the mainstream product in 2H26.",
      "2026-07-01..2026-12-31", "half", "in", "2026-01-01 year"),
    C("dev08-sometime-in-2025", "2025-05-23", "in 2025",
      "roughly 20% to 25%, sometime in 2025.",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    # dev-09, published 2025-04-02 (a Wednesday)
    C("dev09-on-tuesday", "2025-04-02", "on Tuesday",
      "Rapidus started running its 2nm pilot line on Tuesday",
      "2025-04-01", "day", "in", "2025-04-01 day"),
    C("dev09-fiscal-2025", "2025-04-02", "for fiscal 2025",
      "approved up to 802.5 billion yen in additional subsidies for Rapidus for fiscal 2025",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    C("dev09-in-2h25", "2025-04-02", "in 2H25",
      "which is expected to be made in 2H25, pending legislation.",
      "2025-07-01..2025-12-31", "half", "in", "2025-01-01 year"),
    C("dev09-by-july", "2025-04-02", "by July",
      "the company aims to produce its first 2nm prototypes by July.",
      "2025-07-01..2025-07-31", "month", "by", "2025-07-01 month"),
    C("dev09-in-december", "2025-04-02", "In December",
      "In December, it installed the first EUV lithography system in Japan",
      "2024-12-01..2024-12-31", "month", "in", "2024-12-01 month"),
    C("dev09-last-november", "2025-04-02", "last November",
      "last November, the government unveiled a plan",
      "2024-11-01..2024-11-30", "month", "in", "2024-11-01 month"),
    C("dev09-through-fiscal-2030", "2025-04-02", "through fiscal 2030",
      "public support for AI and semiconductors through fiscal 2030.",
      "2030-01-01..2030-12-31", "year", "by", "2030-01-01 year"),
    # dev-10, published 2024-12-10 (a Tuesday)
    C("dev10-on-monday", "2024-12-10", "on Monday",
      "SAMR said on Monday that it has opened an investigation into NVIDIA",
      "2024-12-09", "day", "in", "2024-12-09 day"),
    C("dev10-april-2020", "2024-12-10", "in April 2020",
      "SAMR conditionally approved its acquisition of Mellanox Technologies in April 2020.",
      "2020-04-01..2020-04-30", "month", "in", "2020-04-01 month"),
    C("dev10-last-week", "2024-12-10", "Last week",
      "Last week, Washington added 140 entities to its Entity List",
      "2024-12-02..2024-12-08", "month", "in", "2024-12-01 month"),
    C("dev10-quarter-ended-october", "2024-12-10", "in the quarter ended October",
      "roughly 15% of the company's revenue in the quarter ended October.",
      "2024-10-01..2024-10-31", "month", "in", "2024-10-01 month"),
    C("dev10-earlier-this-year", "2024-12-10", "earlier this year",
      "The Financial Times reported earlier this year, citing SemiAnalysis",
      "2024-01-01..2024-12-10", "year", "in", "2024-01-01 year"),
]

GENERAL_CASES: list[Case] = [
    # full dates
    C("full-month-day-year", None, "on December 8, 2025",
      "The rule was published on December 8, 2025.",
      "2025-12-08", "day", "in", "2025-12-08 day"),
    C("full-day-month-year", None, "8 December 2025",
      "It takes effect 8 December 2025.",
      "2025-12-08", "day", "in", "2025-12-08 day"),
    C("full-abbreviated", None, "on Dec. 8, 2025",
      "Filed on Dec. 8, 2025, the suit",
      "2025-12-08", "day", "in", "2025-12-08 day"),
    C("full-iso", None, "Effective 2025-12-08",
      "Effective 2025-12-08 the licence lapses.",
      "2025-12-08", "day", "from", "2025-12-08 day"),
    C("full-with-weekday", None, "On Monday, December 8, 2025",
      "On Monday, December 8, 2025, the ministry said",
      "2025-12-08", "day", "in", "2025-12-08 day"),
    C("month-day-weekday-picks-year", "2025-06-01", "on Friday, January 3",
      "the meeting on Friday, January 3",
      "2025-01-03", "day", "in", "2025-01-03 day"),
    C("month-day-since", "2025-04-01", "since April 2",
      "shares have fallen since April 2",
      "2024-04-02", "day", "since", "2024-04-02 day"),
    C("month-day-range", "2025-01-02", "Jan. 7-10",
      "the show runs Jan. 7-10 in Las Vegas",
      "2025-01-07..2025-01-10", "month", "in", "2025-01-01 month"),
    C("month-day-no-published", None, "on December 8th",
      "approved on December 8th",
      None, "unknown", "in", "unknown"),
    # weekdays and days
    C("weekday-same-day", "2025-05-12", "on Monday",
      "the ministry said on Monday",
      "2025-05-12", "day", "in", "2025-05-12 day"),
    C("weekday-last-friday", "2025-05-12", "last Friday",
      "shares slumped last Friday",
      "2025-05-09", "day", "in", "2025-05-09 day"),
    C("weekday-last-monday", "2025-05-14", "last Monday",
      "the talks began last Monday",
      "2025-05-05", "day", "in", "2025-05-05 day"),
    C("weekday-next-tuesday", "2025-04-17", "next Tuesday",
      "results are due next Tuesday",
      "2025-04-22", "day", "in", "2025-04-22 day"),
    C("weekday-last-week", "2024-12-10", "on Monday last week",
      "the firm said on Monday last week",
      "2024-12-02", "day", "in", "2024-12-02 day"),
    C("weekday-no-published", None, "on Thursday",
      "it said on Thursday",
      None, "unknown", "in", "unknown"),
    C("day-alone", "2025-07-22", "on the 14th",
      "the deal closed on the 14th",
      "2025-07-14", "day", "in", "2025-07-14 day"),
    C("day-alone-later-than-published", "2025-07-22", "on the 28th",
      "the rule was signed on the 28th",
      "2025-06-28", "day", "in", "2025-06-28 day"),
    C("day-alone-across-new-year", "2025-01-05", "on the 30th",
      "the ministry said on the 30th",
      "2024-12-30", "day", "in", "2024-12-30 day"),
    C("today", "2025-03-05", "today",
      "The ministry said today that",
      "2025-03-05", "day", "in", "2025-03-05 day"),
    C("yesterday", "2025-03-01", "yesterday",
      "The firm confirmed yesterday that",
      "2025-02-28", "day", "in", "2025-02-28 day"),
    # relative weeks, months, years, decades
    C("last-month", "2025-01-16", "last month",
      "exports fell 10% last month",
      "2024-12-01..2024-12-31", "month", "in", "2024-12-01 month"),
    C("next-month", "2024-12-16", "next month",
      "the plant opens next month",
      "2025-01-01..2025-01-31", "month", "in", "2025-01-01 month"),
    C("earlier-this-month", "2025-01-16", "earlier this month",
      "the agency said earlier this month",
      "2025-01-01..2025-01-16", "month", "in", "2025-01-01 month"),
    C("next-year", "2025-01-16", "next year",
      "mass production starts next year",
      "2026-01-01..2026-12-31", "year", "in", "2026-01-01 year"),
    C("last-week-across-months", "2024-12-03", "Last week",
      "Last week, regulators approved the deal",
      "2024-11-25..2024-12-01", "month", "in", "2024-11-01 month"),
    C("this-decade", "2025-01-16", "this decade",
      "China aims for self-sufficiency this decade",
      "2020-01-01..2029-12-31", "multi_year", "in", "unknown"),
    C("end-of-the-decade", "2025-01-16", "by the end of the decade",
      "capacity will triple by the end of the decade",
      "2027-01-01..2029-12-31", "multi_year", "by", "unknown"),
    C("year-to-date", "2025-06-30", "year-to-date",
      "shares are up 40% year-to-date",
      "2025-01-01..2025-06-30", "year", "in", "2025-01-01 year"),
    C("two-years-ago", "2025-05-01", "two years ago",
      "the ban took effect two years ago",
      "2023-01-01..2023-12-31", "year", "ago", "2023-01-01 year"),
    C("three-weeks-ago", "2025-05-12", "three weeks ago",
      "the CEO visited three weeks ago",
      "2025-04-21..2025-04-27", "month", "ago", "2025-04-01 month"),
    # months
    C("bare-month-nearest-past", "2025-04-02", "in December",
      "The fab was completed in December.",
      "2024-12-01..2024-12-31", "month", "in", "2024-12-01 month"),
    C("bare-month-nearest-future", "2024-12-20", "in February",
      "Shipments resume in February.",
      "2025-02-01..2025-02-28", "month", "in", "2025-02-01 month"),
    C("until-month", "2024-12-20", "until March",
      "the waiver runs until March",
      "2025-03-01..2025-03-31", "month", "by", "2025-03-01 month"),
    C("next-month-name", "2025-07-15", "next July",
      "a decision is expected next July",
      "2026-07-01..2026-07-31", "month", "in", "2026-07-01 month"),
    C("may-with-preposition", "2025-06-10", "in May",
      "the plant opened in May",
      "2025-05-01..2025-05-31", "month", "in", "2025-05-01 month"),
    C("mid-month", "2025-04-10", "in mid-March",
      "orders surged in mid-March",
      "2025-03-11..2025-03-20", "month", "in", "2025-03-01 month"),
    C("month-year-abbrev", None, "since Oct. 2022",
      "since Oct. 2022 the curbs have widened",
      "2022-10-01..2022-10-31", "month", "since", "2022-10-01 month"),
    C("month-range", None, "between January and March 2025",
      "exports rose between January and March 2025",
      "2025-01-01..2025-03-31", "quarter", "in", "2025-01-01 quarter"),
    # years
    C("year-until", None, "until 2030",
      "the subsidy lasts until 2030",
      "2030-01-01..2030-12-31", "year", "by", "2030-01-01 year"),
    C("year-through", None, "through 2028",
      "capex will stay high through 2028",
      "2028-01-01..2028-12-31", "year", "by", "2028-01-01 year"),
    C("year-starting", None, "starting in 2026",
      "starting in 2026, the levy doubles",
      "2026-01-01..2026-12-31", "year", "from", "2026-01-01 year"),
    C("fiscal-year", None, "for fiscal year 2025",
      "guidance for fiscal year 2025 was raised",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    C("fy-four-digit", None, "FY2025",
      "FY2025 revenue rose 20%",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    C("fy-two-digit", "2025-06-01", "FY25",
      "FY25 revenue rose 20%",
      "2025-01-01..2025-12-31", "year", "in", "2025-01-01 year"),
    C("year-range", None, "between 2025 and 2027",
      "the plan covers the years between 2025 and 2027",
      "2025-01-01..2027-12-31", "multi_year", "in", "unknown"),
    C("year-range-dash", None, "2025-2027",
      "the 2025-2027 plan",
      "2025-01-01..2027-12-31", "multi_year", "in", "unknown"),
    C("mid-year", None, "by mid-2026",
      "volume production is due by mid-2026",
      "2026-05-01..2026-08-31", "year", "by", "2026-01-01 year"),
    C("end-of-year", None, "by the end of 2025",
      "the line should be running by the end of 2025",
      "2025-09-01..2025-12-31", "year", "by", "2025-01-01 year"),
    C("early-next-year", "2025-05-01", "early next year",
      "the chip launches early next year",
      "2026-01-01..2026-04-30", "year", "in", "2026-01-01 year"),
    C("as-of-end-of-year", None, "as of the end of 2024",
      "as of the end of 2024, the fund held",
      "2024-09-01..2024-12-31", "year", "as_of", "2024-01-01 year"),
    C("decade", None, "through the 2010s",
      "demand grew through the 2010s",
      "2010-01-01..2019-12-31", "multi_year", "by", "unknown"),
    # quarters and halves
    C("quarter-code-q-year", None, "Q4 2025",
      "Q4 2025 revenue beat estimates",
      "2025-10-01..2025-12-31", "quarter", "in", "2025-10-01 quarter"),
    C("quarter-code-apostrophe", None, "in Q3'24",
      "margins in Q3'24 fell",
      "2024-07-01..2024-09-30", "quarter", "in", "2024-07-01 quarter"),
    C("quarter-bare-q", "2025-08-10", "in Q3",
      "in Q3 the company shipped more",
      "2025-07-01..2025-09-30", "quarter", "in", "2025-07-01 quarter"),
    C("quarter-words-year", None, "in the third quarter of 2024",
      "in the third quarter of 2024 revenue fell",
      "2024-07-01..2024-09-30", "quarter", "in", "2024-07-01 quarter"),
    C("quarter-by-future", "2025-01-17", "by the fourth quarter",
      "the fab starts output by the fourth quarter",
      "2025-10-01..2025-12-31", "quarter", "by", "2025-10-01 quarter"),
    C("this-quarter", "2025-05-12", "this quarter",
      "shipments will rise this quarter",
      "2025-04-01..2025-06-30", "quarter", "in", "2025-04-01 quarter"),
    C("last-quarter", "2025-01-12", "last quarter",
      "shipments fell last quarter",
      "2024-10-01..2024-12-31", "quarter", "in", "2024-10-01 quarter"),
    C("september-quarter", "2025-11-05", "in the September quarter",
      "in the September quarter sales rose",
      "2025-07-01..2025-09-30", "quarter", "in", "2025-07-01 quarter"),
    C("half-code-1h", None, "1H25",
      "1H25 shipments rose",
      "2025-01-01..2025-06-30", "half", "in", "2025-01-01 year"),
    C("half-code-h2", None, "in H2 2025",
      "production moves up in H2 2025",
      "2025-07-01..2025-12-31", "half", "in", "2025-01-01 year"),
    C("half-words-year", None, "in the second half of 2025",
      "in the second half of 2025 prices rise",
      "2025-07-01..2025-12-31", "half", "in", "2025-01-01 year"),
    C("half-words-nearest", "2025-08-01", "the first half",
      "the first half saw strong demand",
      "2025-01-01..2025-06-30", "half", "in", "2025-01-01 year"),
    C("half-words-of-the-year", "2025-03-01", "in the second half of the year",
      "in the second half of the year",
      "2025-07-01..2025-12-31", "half", "in", "2025-01-01 year"),
    # spans
    C("span-within", "2025-01-01", "within five years",
      "the firm aims to break even within five years",
      "2025-01-01..2030-01-01", "multi_year", "over", "unknown"),
    C("span-past", "2025-06-30", "over the past two years",
      "prices doubled over the past two years",
      "2023-06-30..2025-06-30", "multi_year", "over", "unknown"),
    C("span-in-three-years", "2025-04-17", "in three years",
      "output could triple in three years",
      "2025-04-17..2028-04-17", "multi_year", "over", "unknown"),
    C("span-vague", "2025-04-17", "in the coming years",
      "more fabs will open in the coming years",
      None, "unknown", "over", "unknown"),
    C("quarter-recent-results", "2025-03-12", "fourth-quarter",
      "The company's fourth-quarter revenue rose 12%.",
      "2024-10-01..2024-12-31", "quarter", "in", "2024-10-01 quarter"),
    C("quarter-later-this-year", "2025-05-12", "in the fourth quarter",
      "Intel expects to launch the chip in the fourth quarter.",
      "2025-10-01..2025-12-31", "quarter", "in", "2025-10-01 quarter"),
    C("quarter-after-new-year", "2024-12-10", "in the first quarter",
      "Deliveries will start in the first quarter.",
      "2025-01-01..2025-03-31", "quarter", "in", "2025-01-01 quarter"),
    C("half-this-year", "2025-03-12", "in the second half",
      "Samsung will start mass production in the second half.",
      "2025-07-01..2025-12-31", "half", "in", "2025-01-01 year"),
    C("half-results-season", "2025-01-20", "in the second half",
      "Sales in the second half beat the first.",
      "2024-07-01..2024-12-31", "half", "in", "2024-01-01 year"),
    C("quarter-range", None, "in Q1-Q3 2024",
      "Exports fell 8% in Q1-Q3 2024.",
      "2024-01-01..2024-09-30", "year", "in", "2024-01-01 year"),
    C("first-three-quarters", None, "in the first three quarters of 2024",
      "Imports rose in the first three quarters of 2024.",
      "2024-01-01..2024-09-30", "year", "in", "2024-01-01 year"),
    C("three-months-to", "2025-03-12", "In the three months to September",
      "In the three months to September, sales rose.",
      "2024-09-01..2024-09-30", "month", "in", "2024-09-01 month"),
    C("weekend", "2025-03-12", "over the weekend",
      "The ministry said over the weekend that it would retaliate.",
      "2025-03-08..2025-03-09", "month", "in", "2025-03-01 month"),
    C("mid-year", "2025-03-12", "by mid-year",
      "The fab should be ready by mid-year.",
      "2025-05-01..2025-08-31", "year", "by", "2025-01-01 year"),
    C("act-named-by-year", None, "2022",
      "The 2022 CHIPS Act funds new fabs.",
      "2022-01-01..2022-12-31", "year", "in", "2022-01-01 year"),
    C("season", "2025-05-01", "this summer",
      "a decision is expected this summer",
      "2025-06-01..2025-08-31", "year", "in", "2025-01-01 year"),
    C("year-ended", None, "for the year ended March 31, 2025",
      "revenue for the year ended March 31, 2025 rose",
      "2025-03-31", "day", "in", "2025-03-31 day"),
]


def _d(s: str | None) -> dt.date | None:
    return None if s is None else D(s)


ALL_CASES = SEED_CASES + DEV_CASES + GENERAL_CASES


@pytest.mark.parametrize(
    ("published", "raw", "text", "period", "precision", "relation", "event"),
    [c[1:] for c in ALL_CASES],
    ids=[c[0] for c in ALL_CASES],
)
def test_table(
    published: str | None, raw: str, text: str, period: str | None, precision: str, relation: str, event: str,
) -> None:
    e = _expr(text, _d(published), raw)
    assert text[e.start:e.end] == e.raw
    if period is None:
        assert (e.period_start, e.period_end) == (None, None)
    else:
        start, _, end = period.partition("..")
        assert (e.period_start, e.period_end) == (D(start), D(end or start))
    assert e.precision == precision
    assert e.relation == relation
    if event == "unknown":
        assert (e.event_date, e.event_precision) == (None, "unknown")
    else:
        event_date, event_precision = event.split()
        assert (e.event_date, e.event_precision) == (D(event_date), event_precision)


def test_two_expressions_in_one_clause() -> None:
    found = find_time_expressions(
        "China's share could rise from 31% in 2023 to 39% by 2027, with room for more.", D("2024-05-28")
    )
    assert [(e.raw, e.relation, e.period_start) for e in found] == [
        ("in 2023", "in", D("2023-01-01")), ("by 2027", "by", D("2027-01-01")),
    ]


def test_expressions_come_left_to_right_without_overlap() -> None:
    text = ("On Monday, December 8, 2025, officials said that in 4Q24 and in the first half of 2025 "
            "output rose, and by 2027 it will double.")
    found = find_time_expressions(text, D("2025-12-10"))
    assert [e.raw for e in found] == [
        "On Monday, December 8, 2025", "in 4Q24", "in the first half of 2025", "by 2027",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "TSMC runs 2nm and 16/14nm processes; the N4 node makes NVIDIA H200 and AMD MI400 parts.",
        "SK hynix ships 12-high HBM4 stacks with 2,048 I/O channels.",
        "The company booked US$2025 million and hired more than 2000 engineers for 2000 units.",
        "Revenue grew 5% quarter-on-quarter and 20% year-on-year over the year.",
        "Sales May rise, June Yoon said, and prices may fall.",
        "The fall in prices hurt margins; the year was hard, and the quarter was weak.",
        "The NXT:2050i and NXT:2100i tools ship to China.",
        "It will take 15 years and several months.",
        "",
    ],
    ids=["node-and-chip-names", "hbm-and-counts", "amounts-in-year-range", "growth-idioms", "may-and-names",
         "unit-words-alone", "tool-models", "durations-without-anchor", "empty"],
)
def test_never_read_as_dates(text: str) -> None:
    assert find_time_expressions(text, D("2025-05-01")) == []


def test_no_published_date_keeps_absolute_dates_and_leaves_relative_ones_unresolved() -> None:
    text = "In 2026 and 4Q24, and last year on Monday, in Q3."
    found = {e.raw: e for e in find_time_expressions(text, None)}
    assert found["In 2026"].period_start == D("2026-01-01")
    assert found["4Q24"].period_start == D("2024-10-01")
    for raw in ("last year", "on Monday", "in Q3"):
        assert found[raw].period_start is None and found[raw].precision == "unknown"
        assert found[raw].event_date is None and found[raw].event_precision == "unknown"


def test_datetime_published_is_accepted() -> None:
    (e,) = find_time_expressions("said on Monday", dt.datetime(2025, 5, 14, 9, 30))
    assert e.period_start == D("2025-05-12")


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

_PUBLISHED = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))

# Fragments that exercise the grammar when shuffled into arbitrary text.
_FRAGMENTS = [
    "on", "in", "by", "since", "from", "as of", "through", "until", "over", "the", "next", "last", "past",
    "this", "early", "mid-", "late", "end of", "earlier", "later", "Monday", "Friday", "December", "May",
    "Sept.", "Dec.", "8th", "31", "29", "2025", "1990", "2099", "2100", "4Q24", "Q3", "Q4 2025", "2H26", "H2",
    "FY25", "fiscal", "first", "second", "fourth", "quarter", "half", "year", "years", "month", "week",
    "decade", "2020s", "ago", "three", "a few", "months", "weeks", "-", ",", "'", "’", "2024-25",
    "2025-12-08", "February 29", "today", "year-end", "summer", "fall", "between", "and", "to", "ended",
    "ending", "999", "0", "00", "H200", "2nm",
]
_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map(" ".join),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=4)), max_size=14).map("".join),
)
_QUARTER_START_MONTHS = {1, 4, 7, 10}


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=_TEXT, published=_PUBLISHED)
def test_invariants_on_arbitrary_text(text: str, published: dt.date | None) -> None:
    found = find_time_expressions(text, published)
    last_end = -1
    for e in found:
        assert text[e.start:e.end] == e.raw and e.raw
        assert e.start >= last_end  # left to right, no overlap
        last_end = e.end
        if e.period_start is not None and e.period_end is not None:
            assert e.period_start <= e.period_end
        assert (e.period_start is None) == (e.period_end is None)
        assert e.precision in {"day", "month", "quarter", "half", "year", "multi_year", "unknown"}
        assert e.relation in {"in", "by", "since", "from", "as_of", "over", "ago"}
        assert e.event_precision in {"day", "month", "quarter", "year", "unknown"}
        if e.event_precision == "unknown":
            assert e.event_date is None
        else:
            assert e.event_date is not None
        if e.event_precision == "month":
            assert e.event_date.day == 1
        if e.event_precision == "quarter":
            assert e.event_date.day == 1 and e.event_date.month in _QUARTER_START_MONTHS
        if e.event_precision == "year":
            assert (e.event_date.month, e.event_date.day) == (1, 1)


_DATES = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2090, 12, 31))
_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def _only(text: str, published: dt.date | None) -> TimeExpression:
    found = find_time_expressions(text, published)
    assert len(found) == 1, [e.raw for e in found]
    return found[0]


@settings(max_examples=200, deadline=None)
@given(d=_DATES, fmt=st.sampled_from(["long", "day_first", "iso", "abbrev"]), published=_PUBLISHED)
def test_round_trip_full_dates(d: dt.date, fmt: str, published: dt.date | None) -> None:
    rendered = {
        "long": f"{d:%B} {d.day}, {d.year}",
        "day_first": f"{d.day} {d:%B} {d.year}",
        "iso": d.isoformat(),
        "abbrev": f"{d:%b}. {d.day}, {d.year}",
    }[fmt]
    e = _only(f"The ministry said the rule took effect on {rendered}, officials said.", published)
    assert e.raw == f"on {rendered}"
    assert (e.period_start, e.period_end, e.precision) == (d, d, "day")
    assert (e.event_date, e.event_precision) == (d, "day")


@settings(max_examples=200, deadline=None)
@given(d=_DATES, published=_PUBLISHED)
def test_round_trip_month_year(d: dt.date, published: dt.date | None) -> None:
    e = _only(f"Shipments began in {d:%B} {d.year} at the new fab.", published)
    assert e.period_start == d.replace(day=1)
    assert e.period_end.month == d.month and (e.period_end + dt.timedelta(days=1)).day == 1
    assert (e.precision, e.event_date, e.event_precision) == ("month", d.replace(day=1), "month")


@settings(max_examples=200, deadline=None)
@given(d=_DATES, offset=st.integers(min_value=-3650, max_value=3650),
       fmt=st.sampled_from(["code", "q_year", "words"]))
def test_round_trip_quarters(d: dt.date, offset: int, fmt: str) -> None:
    # A two-digit year is read as the one nearest to P, so P stays within ten years of the date.
    published = d + dt.timedelta(days=offset)
    q = (d.month - 1) // 3 + 1
    rendered = {
        "code": f"{q}Q{d.year % 100:02d}",
        "q_year": f"Q{q} {d.year}",
        "words": f"the {_ORDINAL[q]} quarter of {d.year}",
    }[fmt]
    e = _only(f"Revenue rose 12% in {rendered}, the company said.", published)
    start = dt.date(d.year, 3 * q - 2, 1)
    assert e.period_start == start
    assert (e.precision, e.event_date, e.event_precision) == ("quarter", start, "quarter")


@settings(max_examples=200, deadline=None)
@given(d=_DATES, published=_PUBLISHED, prep=st.sampled_from(["in", "by", "since", "until"]))
def test_round_trip_years(d: dt.date, published: dt.date | None, prep: str) -> None:
    e = _only(f"Output will double {prep} {d.year}, analysts said.", published)
    assert (e.period_start, e.period_end) == (dt.date(d.year, 1, 1), dt.date(d.year, 12, 31))
    assert e.relation == {"in": "in", "by": "by", "since": "since", "until": "by"}[prep]
    assert (e.event_date, e.event_precision) == (dt.date(d.year, 1, 1), "year")


@settings(max_examples=200, deadline=None)
@given(published=st.dates(min_value=dt.date(1995, 7, 1), max_value=dt.date(2090, 6, 30)),
       offset=st.integers(min_value=-150, max_value=150))
def test_month_day_without_year_resolves_to_the_nearest(published: dt.date, offset: int) -> None:
    d = published + dt.timedelta(days=offset)
    e = _only(f"The licence was granted on {d:%B} {d.day}, the company said.", published)
    assert e.period_start == d


@settings(max_examples=300, deadline=None)
@given(published=st.dates(min_value=dt.date(1990, 1, 8), max_value=dt.date(2100, 12, 31)),
       weekday=st.integers(min_value=0, max_value=6))
def test_weekday_is_within_the_week_before_published(published: dt.date, weekday: int) -> None:
    name = calendar_day_name(weekday)
    e = _only(f"The regulator said on {name} that it had opened a probe.", published)
    assert e.precision == "day" and e.period_start == e.period_end
    assert published - dt.timedelta(days=6) <= e.period_start <= published
    assert e.period_start.weekday() == weekday


def calendar_day_name(weekday: int) -> str:
    return ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
