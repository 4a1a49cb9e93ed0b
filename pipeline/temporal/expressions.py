"""Temporal grammar: the date and period expressions of a news sentence, resolved against
the article's published date.

What belongs here: recognising the surface forms news text uses for dates and periods
("on Monday", "December 8th", "in 4Q24", "by 2027", "over the next four years"), turning
each into the calendar period it names, the relation the sentence puts it in ("in", "by",
"since", "from", "as_of", "over", "ago") and the release contract's pair
(``event_date``, ``date_precision``).  Word lists (months, weekdays, number words, ordinals,
seasons) live in ``vocabulary.yaml`` beside this file.

What does not belong here: deciding which expression dates which event or forecast, and
arithmetic relative to other expressions or events ("a day after X", "the previous
quarter", "a year earlier"): callers do that with the offsets returned.

Design: every rule family is one precompiled regular expression for the *core* of an
expression plus one resolver function.  A generic left extension then takes in a qualifier
("early", "mid-", "the end of", "earlier") and a preposition ("in", "by", "since", "as of")
written just before the core; the preposition gives the relation, the qualifier narrows the
period.  All candidates of all rules are collected and the longest non-overlapping ones win.

Choices (callers and reviewers can rely on them):

- ``raw`` spans the preposition and qualifier read with the core ("by the end of 2025",
  "Last week", "in the quarter ended October"), so text[start:end] is the whole phrase.

- P is the published date.  Expressions that need a reference date (weekdays, "today",
  "last year", a month or quarter without a year...) are returned with period ``None``,
  precision ``"unknown"`` and event_date ``None`` when P is ``None``: never guessed.
- A month, a month and day or a season without a year resolves to the occurrence nearest
  to P, measured to the nearest edge of the period, a tie going to the past ("December 8th"
  on 2025-12-10 -> 2025-12-08; "in December" on 2025-04-02 -> Dec 2024; "June" on 2025-12-10
  -> June 2025).  The preposition biases it: "by", "until", "through" look forward (the next
  occurrence not yet over), "since" and "... ended" look back; "last November" is the most
  recent November over before P, "next July" the first one starting after P; "this year"/
  "last year" after the date pin the year.
- A quarter or half without a year is the one of P's year, which is what writers mean unless
  they report just-closed results or look just past New Year: the quarter just before P's
  quarter, and the second half in January-February, are last year's ("fourth-quarter
  revenue" on 2025-01-17 -> 4Q24); a first quarter or half in December is next year's.
  ("the first quarter" on 2025-01-17 -> 1Q25; "the second half" on 2025-03-12 -> 2H25.)
- Weekdays: a bare or "on" weekday is the most recent such day on or before P (P itself
  when it is that weekday).  "last"/"next"/"this" and "... last week" use calendar weeks
  starting on Monday: "last Friday" is the Friday of the week before P's week.
- Weeks are not a contract precision: "this week"/"last week"/"N weeks ago" name the Monday
  to Sunday week, with precision "month" and event_date the first of the month of P (this
  week) or of P - 7 days (last week).
- Fiscal years and fiscal quarters are treated as calendar years and quarters ("fiscal 2025",
  "FY25" -> 2025-01-01..2025-12-31): company fiscal calendars are not known here.
- Two-digit years ("4Q24", "FY25") take the century that puts them nearest to P (default
  1990-2089 without P).  Only years 1990..2099 are read as years.
- Halves ("2H25", "the second half of 2025") have precision "half" and event precision
  "year" (event_date January 1).  Spans ("over the next four years" -> P..P + 4 years) and
  decades have precision "multi_year" and event precision "unknown".
- Qualifiers narrow the period but keep the named unit's precision: "early/mid/late 2026"
  -> the first, middle, last third (Jan-Apr, May-Aug, Sep-Dec) with precision "year"; "late
  December" -> December 21-31 with precision "month"; "the end of the decade" -> its last three
  years (so "by the end of the decade" ends 2029-12-31 for the 2020s).  "earlier"/"later"
  split the period at P when P is inside it ("earlier this year" -> Jan 1..P, "later this
  decade" -> P..2029-12-31).
- "the first ten months of this year" -> January 1..October 31 of P's year, precision "year".
- "the quarter ended October" / "the fiscal first quarter ending April 27" name the end month
  or day (precision month / day), looking back for "ended".
- Ranges ("between 2025 and 2027", "January-March 2025") and spans take the smallest calendar
  unit containing the whole period as precision (a calendar quarter, half, year, or
  multi_year).
- Vague periods ("in recent years", "in the coming months", "the next few years") are returned
  with period None and precision "unknown" so that callers do not fall back to a default date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.knowledge import load_yaml

__all__ = ["TimeExpression", "find_time_expressions"]


@dataclass(frozen=True)
class TimeExpression:
    """One date or period expression of a sentence, resolved against the published date."""

    start: int  # text[start:end] == raw
    end: int
    raw: str
    period_start: dt.date | None  # the period the expression names (None when unresolvable)
    period_end: dt.date | None
    precision: str  # "day", "month", "quarter", "half", "year", "multi_year", "unknown"
    relation: str  # "in", "by", "since", "from", "as_of", "over", "ago"
    event_precision: str  # contract date_precision: day/month/quarter/year/unknown
    event_date: dt.date | None  # first day of the period at event_precision


# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

_VOCAB = load_yaml(Path(__file__).with_name("vocabulary.yaml").read_text(encoding="utf-8"))


def _variants(word: str) -> list[str]:
    # Month and weekday names are case-sensitive on purpose ("may", "march" are words), but
    # headlines and datelines write them in capitals too.
    return [word, word.upper()] if word.upper() != word else [word]


_MONTH_NUM: dict[str, int] = {}
_FULL_MONTHS: list[str] = []
for _num, _names in _VOCAB["months"].items():
    for _i, _name in enumerate(_names):
        for _v in _variants(_name):
            _MONTH_NUM[_v] = int(_num)
            if _i == 0:
                _FULL_MONTHS.append(_v)

_WEEKDAY_NUM: dict[str, int] = {}
for _num, _name in _VOCAB["weekdays"].items():
    for _v in _variants(_name):
        _WEEKDAY_NUM[_v] = int(_num)

_NUMBER_WORDS: dict[str, int] = {k.lower(): int(v) for k, v in _VOCAB["numbers"].items()}
_VAGUE_COUNTS: set[str] = {k.lower() for k in _VOCAB["vague_counts"]}
_ORDINALS: dict[str, int] = {k.lower(): int(v) for k, v in _VOCAB["ordinals"].items()}
_HALF_WORDS: dict[str, int] = {k.lower(): int(v) for k, v in _VOCAB["halves"].items()}
_SEASONS: dict[str, tuple[int, int]] = {
    k.lower(): (int(v[0]), int(v[1])) for k, v in _VOCAB["seasons"].items()
}


def _alt(words: list[str] | set[str] | dict[str, object]) -> str:
    """Regex alternation, longest first so that 'September' is tried before 'Sep'."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_MONTH_ALT = _alt(list(_MONTH_NUM))
_FULL_MONTH_ALT = _alt(_FULL_MONTHS)
_WEEKDAY_ALT = _alt(list(_WEEKDAY_NUM))
_NUM_ALT = _alt(_NUMBER_WORDS) + "|[0-9]{1,3}"
_VAGUE_ALT = _alt(_VAGUE_COUNTS)
_QUARTER_ORD_ALT = _alt(_ORDINALS)
_HALF_ORD_ALT = _alt(
    [k for k, v in _ORDINALS.items() if v <= 2 and k not in ("last", "final")] + list(_HALF_WORDS)
)
_MONTH_ORD_ALT = _NUM_ALT  # "the first ten months", "the first 9 months"


# ---------------------------------------------------------------------------------------
# Regex fragments (named groups are given per use, since Python forbids duplicate names)
# ---------------------------------------------------------------------------------------


def _mon(group: str) -> str:
    """Month name or abbreviation ("December", "Dec.", "Sept").

    An abbreviation's dot is taken only when a day, a year or a range follows, so that a
    sentence-final "Dec." keeps its full stop out of the expression."""
    return rf"(?P<{group}>{_MONTH_ALT})\b(?:\.(?=\s*[0-9'’]|\s*[-–]))?"


def _full_mon(group: str) -> str:
    """Full month name only: bare abbreviations ("Jan", "Mar") are too often other words."""
    return rf"(?P<{group}>{_FULL_MONTH_ALT})\b"


def _day(group: str) -> str:
    """Day of month, 1-31, with an optional ordinal suffix; never the start of a longer number."""
    return rf"(?P<{group}>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.,][0-9])"


def _year(group: str) -> str:
    """A four-digit year 1990..2099 that is not part of a longer number or a percentage."""
    return rf"(?P<{group}>199[0-9]|20[0-9][0-9])(?![\w%]|[.,][0-9])"


def _yy(group: str) -> str:
    """A two-digit year ("24" in "4Q24")."""
    return rf"(?P<{group}>[0-9]{{2}})(?![\w%]|[.,][0-9])"


# Numbers glued to letters, currency or other digits are model names and amounts ("H200",
# "US$2025", "NXT:2050i", "1,2025"), not years or days.
_NUM_START = r"(?<![\w$€£¥.,:/#])"
_FISCAL = r"(?:(?i:fiscal|financial|calendar)\s+(?:(?i:year)\s+)?|(?:FY|CY)\s?['’]?)"
_PIN = r"(?i:(?P<pin>this|last|next)\s+year)"

# Words after a bare year that show it is a quantity ("2000 units", "2048 channels").
# Case-sensitive: units are written in lower case or as symbols, while "the 2022 CHIPS Act" is a year.
_QUANTITY_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:nm|mm|cm|km|kg|MW|GW|kW|W|GB|TB|Gb|MB|MHz|GHz|units?|chips?|wafers?|yuan|yen|won|"
    r"dollars?|euros?|rupees?|people|employees|workers|staff|jobs|tons?|tonnes?|pieces|patents|companies|"
    r"firms|entities|engineers|points|shares|times|miles|acres|hectares|channels|lanes|cores|pins|"
    r"transistors|stores|vehicles|cars|devices|servers|GPUs|CPUs|stacks)\b"
)
# Words before a bare number that show it is an amount ("more than 2000").
_QUANTITY_BEFORE = re.compile(
    r"(?i)(?<![A-Za-z])(?:than|about|roughly|around|nearly|approximately|almost|some|under|up\s+to|top|"
    r"no\.|number|model|version|series|rtx|gtx)\s+\Z"
)

# Qualifier written just before a core: "early 2026", "mid-2026", "the end of 2025",
# "late in the first quarter", "earlier this year", "year-end 2026", "end-March".
_QUAL_TAIL = re.compile(
    r"(?i)(?<![A-Za-z])(?:"
    r"(?:the\s+)?(?P<q_of>end|start|beginning|middle|close)\s+of\s+"
    r"|(?:the\s+)?(?P<q_hy>end|mid|early|late)\s*-\s*"
    r"|(?:the\s+)?(?P<q_in>early|earlier|mid|late|later)(?:\s+(?:in|on|during))?\s+"
    r"|(?P<q_ye>year[-\s]end|year['’]s\s+end)\s+"
    r")\Z"
)
_QUAL_MEANING = {
    "end": "late", "close": "late", "late": "late", "year-end": "late", "start": "early",
    "beginning": "early", "early": "early", "mid": "mid", "middle": "mid",
    "earlier": "earlier", "later": "later",
}

# Preposition written just before a core (or before its qualifier); leftmost = longest.
_PREP_TAIL = re.compile(
    r"(?i)(?<![A-Za-z])(?P<prep>as\s+of|as\s+at|as\s+early\s+as|as\s+soon\s+as|no\s+later\s+than|"
    r"prior\s+to|up\s+until|ever\s+since|starting(?:\s+(?:in|on|from|at))?|"
    r"beginning(?:\s+(?:in|on|from|at))?|"
    r"effective(?:\s+(?:from|on|in|at|as\s+of))?|throughout|through|thru|until|till|since|from|by|before|"
    r"into|in|on|during|for|at|after|within|over)\s+\Z"
)


def _relation_of(prep: str | None) -> str:
    """The relation a preposition puts a period in: deadline, start, anchor or plain 'in'."""
    if not prep:
        return "in"
    p = " ".join(prep.lower().split())
    if p in ("as of", "as at") or p == "effective as of":
        return "as_of"
    if p in ("since", "ever since"):
        return "since"
    if p in ("by", "before", "prior to", "through", "thru", "until", "till", "up until", "no later than"):
        return "by"
    if p.startswith(("from", "starting", "beginning", "effective", "as early as", "as soon as", "after")):
        return "from"
    return "in"


# ---------------------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------------------

Period = tuple[dt.date, dt.date]


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _month_period(y: int, m: int) -> Period:
    return dt.date(y, m, 1), _month_end(y, m)


def _quarter_period(y: int, q: int) -> Period:
    return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


def _half_period(y: int, h: int) -> Period:
    return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h)


def _year_period(y: int) -> Period:
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def _add_months(d: dt.date, n: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _expand_yy(yy: str, p: dt.date | None) -> int:
    """Two-digit year -> the 1990..2099 year nearest to P (without P: 90-99 -> 1990s, else 20xx)."""
    n = int(yy)
    options = [c for c in (1900 + n, 2000 + n) if 1990 <= c <= 2099]
    if p is None or len(options) == 1:
        return options[-1] if n < 90 else options[0]
    return min(options, key=lambda c: (abs(c - p.year), c))


def _distance(period: Period, p: dt.date) -> int:
    s, e = period
    if s <= p <= e:
        return 0
    return (s - p).days if s > p else (p - e).days


def _pick(cands: list[Period], p: dt.date, bias: str | None) -> Period:
    """The candidate period nearest to P (to its nearest edge), a tie going to the past.

    bias "future": only periods not over before P; "past": only periods started by P;
    "before": only periods over before P; "after": only periods starting after P.
    """
    keep = {
        "future": lambda c: c[1] >= p,
        "past": lambda c: c[0] <= p,
        "before": lambda c: c[1] < p,
        "after": lambda c: c[0] > p,
    }.get(bias or "")
    pool = [c for c in cands if keep(c)] if keep else cands
    return min(pool or cands, key=lambda c: (_distance(c, p), c[0] > p))


def _containing_precision(s: dt.date, e: dt.date) -> str:
    """Smallest calendar unit holding the whole period (for ranges and spans)."""
    if s == e:
        return "day"
    if s.year != e.year:
        return "multi_year"
    if s.month == e.month:
        return "month"
    if (s.month - 1) // 3 == (e.month - 1) // 3:
        return "quarter"
    if (s.month - 1) // 6 == (e.month - 1) // 6:
        return "half"
    return "year"


def _is_month_aligned(s: dt.date, e: dt.date) -> bool:
    return s.day == 1 and e == _month_end(e.year, e.month)


def _narrow(s: dt.date, e: dt.date, qual: str, p: dt.date | None) -> Period:
    """Narrow a period by a qualifier: thirds for early/mid/late, a split at P for earlier/later.

    2026 + early -> Jan 1..Apr 30; December + late -> Dec 21..31; the 2020s + late -> 2027..2029;
    this year + earlier (P inside) -> Jan 1..P.
    """
    if qual in ("earlier", "later"):
        if p is not None and s <= p <= e:
            return (s, p) if qual == "earlier" else (p, e)
        qual = "early" if qual == "earlier" else "late"
    if not _is_month_aligned(s, e):
        return s, e  # weeks and spans have no natural thirds
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if months == 120:  # a decade: 3 + 4 + 3 years
        first, last = {"early": (0, 2), "mid": (3, 6), "late": (7, 9)}[qual]
        return dt.date(s.year + first, 1, 1), dt.date(s.year + last, 12, 31)
    if months == 1:
        last_day = e.day
        first_d, last_d = {"early": (1, 10), "mid": (11, 20), "late": (21, last_day)}[qual]
        return s.replace(day=first_d), s.replace(day=last_d)
    if months in (3, 6, 12):
        k = months // 3
        i = {"early": 0, "mid": 1, "late": 2}[qual]
        ns = _add_months(s, i * k)
        ne = _add_months(s, i * k + k - 1)
        return ns, _month_end(ne.year, ne.month)
    return s, e


def _floor(d: dt.date, precision: str) -> dt.date | None:
    if precision == "day":
        return d
    if precision == "month":
        return d.replace(day=1)
    if precision == "quarter":
        return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if precision == "year":
        return dt.date(d.year, 1, 1)
    return None


_EVENT_PRECISION = {
    "day": "day", "month": "month", "quarter": "quarter", "half": "year", "year": "year",
    "multi_year": "unknown", "unknown": "unknown",
}
_OFFSET = {"this": 0, "current": 0, "the current": 0, "last": -1, "past": -1, "previous": -1,
           "next": 1, "coming": 1, "the coming": 1}


def _offset(word: str | None) -> int:
    return _OFFSET.get(" ".join((word or "this").lower().split()), 0)


# ---------------------------------------------------------------------------------------
# Rule machinery
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Res:
    """What a resolver found: the period, its precision and what dates an event."""

    start: dt.date | None
    end: dt.date | None
    precision: str
    anchor: dt.date | None = None  # day whose unit gives event_date (default: start)
    relation: str | None = None  # fixed relation of the rule (spans, "ago", ranges)


_UNRESOLVED = _Res(None, None, "unknown")


@dataclass(frozen=True)
class _Ctx:
    """Left context of a core: qualifier meaning, preposition, and the full text."""

    qual: str | None
    prep: str | None
    text: str
    end: int  # end of the core match
    qual_hyphen: bool = False  # the qualifier was written "mid-", "end-"


Resolver = Callable[[re.Match[str], dt.date | None, _Ctx], _Res | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    left: bool = True  # take in a qualifier and a preposition written before the core


def _bias(ctx: _Ctx) -> str | None:
    """Deadlines look forward, 'since' looks back; anything else takes the nearest."""
    rel = _relation_of(ctx.prep)
    return {"by": "future", "since": "past"}.get(rel)


def _month_num(name: str) -> int:
    return _MONTH_NUM[name.rstrip(".")]


def month_number(name: str) -> int | None:
    """A month's number from its name or abbreviation as the date grammar knows them ("March", "Sept."),
    else None."""
    return _MONTH_NUM.get(name.rstrip("."))


# ---------------------------------------------------------------------------------------
# Rule families: one resolver per family, examples in the docstrings
# ---------------------------------------------------------------------------------------

_ISO = re.compile(
    r"(?<![\w.\-/])(?P<y>199[0-9]|20[0-9]{2})(?P<sep>[-/.])(?P<m>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9]|[-/.][0-9])"
)


def _r_iso(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """ISO dates: '2025-12-08', '2025/12/08' -> day."""
    d = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Res(d, d, "day")


_WEEKDAY_PREFIX = rf"(?:\b(?P<wd>{_WEEKDAY_ALT})\b,?\s+)?"
_MONTH_DAY = re.compile(
    _WEEKDAY_PREFIX + r"\b" + _mon("m") + r"\s*" + _day("d")
    + r"(?:\s*[-–]\s*" + _day("d2") + r")?"
    + r"(?:,?\s+" + _year("y") + r"|,?\s+(?:(?i:of)\s+)?" + _PIN + r")?"
)
_DAY_MONTH = re.compile(
    _WEEKDAY_PREFIX + r"(?:\b(?i:the)\s+)?" + _NUM_START + _day("d") + r"(?:\s+(?i:of))?\s+" + _mon("m")
    + r"(?:,?\s+" + _year("y") + r"|,?\s+(?:(?i:of)\s+)?" + _PIN + r")?"
)


def _r_month_day(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Month and day, with or without a year.

    'December 8, 2025', 'Dec. 8, 2025', '8 December 2025', 'Monday, December 8, 2025' -> day;
    'December 8th' (P 2025-12-10) -> 2025-12-08; 'January 29' (P 2025-01-16) -> 2025-01-29;
    'from April 1' (P 2025-01-16) -> 2025-04-01; 'September 15 this year' -> P's year;
    'Dec. 2-6' -> Dec 2..6 (precision month).  A weekday written with it picks the year.
    """
    month = _month_num(m["m"])
    d1 = int(m["d"])
    d2 = int(m["d2"]) if m.groupdict().get("d2") else d1
    if d2 < d1:
        return None
    if m["y"]:
        years = [int(m["y"])]
    elif p is None:
        return _UNRESOLVED
    elif m["pin"]:
        years = [p.year + _offset(m["pin"])]
    else:
        years = [p.year - 1, p.year, p.year + 1]
    cands: list[Period] = []
    for y in years:
        try:
            cands.append((dt.date(y, month, d1), dt.date(y, month, d2)))
        except ValueError:  # February 30, or February 29 outside leap years
            continue
    if not cands:
        return None
    if m["wd"] and len(cands) > 1:
        wd = _WEEKDAY_NUM[m["wd"]]
        cands = [c for c in cands if c[0].weekday() == wd] or cands
    s, e = cands[0] if len(cands) == 1 or p is None else _pick(cands, p, _bias(ctx))
    return _Res(s, e, "day" if s == e else _containing_precision(s, e))


_MONTH_YEAR = re.compile(
    r"\b" + _mon("m") + r",?\s+(?:(?i:of)\s+)?(?:" + _year("y") + r"|['’]" + _yy("yy") + r")"
)


def _r_month_year(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Month with a year: 'in October 2022', 'since December 2020', 'Oct. 2022', "Dec '24" -> month."""
    y = int(m["y"]) if m["y"] else _expand_yy(m["yy"], p)
    s, e = _month_period(y, _month_num(m["m"]))
    return _Res(s, e, "month")


_MONTH_BARE = re.compile(
    r"(?:\b(?i:(?P<rel>last|this|next|past|previous|coming))\s+)?\b" + _full_mon("m")
    + r"(?:,?\s+(?:(?i:of)\s+)?" + _PIN + r")?"
)
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")


def _r_month_bare(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """A month name without a day or a year -> month.

    'in December' (P 2025-04-02) -> Dec 2024 (nearest); 'in October' (P 2024-12-04) -> Oct 2024;
    'In January last year' -> January of P.year - 1; 'last November' (P 2025-01-17) -> Nov 2024;
    'by July' (P 2025-04-02) -> July 2025; "Washington's December package" -> nearest December.
    'May' needs a preposition or modifier (it is also a verb); a month followed by a
    capitalised word with nothing before it is taken for a name ('June Yoon').
    """
    rel, pin = m["rel"], m["pin"]
    if not (rel or pin or ctx.prep or ctx.qual):
        if m["m"] in ("May", "MAY") or _NAME_AFTER.match(ctx.text, ctx.end):
            return None
    if p is None:
        return _UNRESOLVED
    month = _month_num(m["m"])
    if pin:
        s, e = _month_period(p.year + _offset(pin), month)
        return _Res(s, e, "month")
    cands = [_month_period(y, month) for y in (p.year - 1, p.year, p.year + 1)]
    if rel and rel.lower() == "this":
        s, e = _month_period(p.year, month)
    elif rel:
        s, e = _pick(cands, p, "after" if _offset(rel) > 0 else "before")
    else:
        s, e = _pick(cands, p, _bias(ctx))
    return _Res(s, e, "month")


_MONTH_RANGE = re.compile(
    r"(?:\b(?i:between|from)\s+)?\b" + _mon("m1") + r"\s*(?:[-–—]|\s(?i:to|through|until|till|and)\s)\s*"
    + _mon("m2") + r"(?:,?\s+(?:(?i:of)\s+)?(?:" + _year("y") + r"|" + _PIN + r"))?"
)


def _r_month_range(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Month ranges: 'January-March 2025', 'between April and June', 'from May to July'.

    The end year follows the start ('December to February' crosses into the next year);
    without a year the start month is resolved like a bare month.  Precision is the smallest
    calendar unit holding the range (a quarter for 'January-March').
    """
    m1, m2 = _month_num(m["m1"]), _month_num(m["m2"])
    if m1 == m2:
        return None
    if m["y"]:
        y2 = int(m["y"])
        y1 = y2 if m1 < m2 else y2 - 1
    elif p is None:
        return _UNRESOLVED
    elif m["pin"]:
        y2 = p.year + _offset(m["pin"])
        y1 = y2 if m1 < m2 else y2 - 1
    else:
        cands = []
        for y in (p.year - 1, p.year, p.year + 1):
            end_y = y if m1 < m2 else y + 1
            cands.append((dt.date(y, m1, 1), _month_end(end_y, m2)))
        s, e = _pick(cands, p, _bias(ctx))
        return _Res(s, e, _containing_precision(s, e), relation="in")
    s, e = dt.date(y1, m1, 1), _month_end(y2, m2)
    return _Res(s, e, _containing_precision(s, e), relation="in")


_WEEKDAY = re.compile(
    r"(?:\b(?i:(?P<rel>last|next|this|past|previous|coming))\s+)?\b(?P<wd>" + _WEEKDAY_ALT + r")\b"
    r"(?:\s+(?i:morning|afternoon|evening|night))?(?:,?\s+(?i:(?P<wk>this|last|next)\s+week))?"
)


def _r_weekday(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Weekdays -> day.

    'on Monday', 'Tuesday' -> the most recent such weekday on or before P (P itself when P is
    that weekday); 'last Friday', 'Friday last week' -> the Friday of the week (Monday-Sunday)
    before P's week; 'next Tuesday' -> the Tuesday of the week after; 'this Friday' -> P's week.
    """
    if p is None:
        return _UNRESOLVED
    wd = _WEEKDAY_NUM[m["wd"]]
    rel = m["wk"] or m["rel"]
    if rel:
        monday = p - dt.timedelta(days=p.weekday())
        d = monday + dt.timedelta(days=7 * _offset(rel) + wd)
    else:
        d = p - dt.timedelta(days=(p.weekday() - wd) % 7)
    return _Res(d, d, "day")


_DAY_ALONE = re.compile(r"\b(?i:on\s+the)\s+(?P<d>[1-9]|[12][0-9]|3[01])(?i:st|nd|rd|th)\b(?!\s+(?i:of\b|century))")


def _r_day_alone(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """A day of the month alone -> day: 'on the 14th' (P 2025-07-22) -> 2025-07-14; a day later than P's
    is last month's ('on the 28th' (P 2025-07-22) -> 2025-06-28), as news reports what happened."""
    if p is None:
        return _UNRESOLVED
    day = int(m["d"])
    year, month = (p.year, p.month) if day <= p.day else ((p.year, p.month - 1) if p.month > 1 else (p.year - 1, 12))
    if day > _month_end(year, month).day:
        return _UNRESOLVED
    d = dt.date(year, month, day)
    return _Res(d, d, "day")


_DAY_REL = re.compile(
    r"\b(?i:(?P<rd>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday|"
    r"tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night))\b"
    r"(?:\s+(?i:morning|afternoon|evening|night))?"
)
_DAY_REL_OFFSET = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1,
                   "tomorrow": 1, "last night": -1}


def _r_day_relative(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """'today', 'tonight', 'this morning' -> P; 'yesterday', 'last night' -> P-1; 'tomorrow' -> P+1."""
    if p is None:
        return _UNRESOLVED
    key = " ".join(m["rd"].lower().split())
    d = p + dt.timedelta(days=_DAY_REL_OFFSET.get(key, 0))
    return _Res(d, d, "day")


_RELATIVE_UNIT = re.compile(
    r"\b(?i:(?P<rel>this|last|next|current|the\s+current|coming|the\s+coming)\s+"
    r"(?:(?P<fiscal>fiscal|financial|calendar)\s+)?(?P<unit>weekend|week|month|quarter|year|decade))\b"
    r"(?![-‐][A-Za-z])"
    r"|\b(?i:(?P<ytd>year[-\s]to[-\s]date|so\s+far\s+this\s+year))\b"
)


def _unit_period(unit: str, p: dt.date, offset: int) -> tuple[Period, str, dt.date]:
    """P's week/month/quarter/year/decade moved by offset units: (period, precision, anchor)."""
    if unit == "week":
        ref = p + dt.timedelta(days=7 * offset)
        monday = ref - dt.timedelta(days=ref.weekday())
        return (monday, monday + dt.timedelta(days=6)), "month", ref
    if unit == "weekend":
        saturday = p - dt.timedelta(days=p.weekday()) + dt.timedelta(days=5 + 7 * offset)
        sunday = saturday + dt.timedelta(days=1)
        return (saturday, sunday), _containing_precision(saturday, sunday), saturday
    if unit == "month":
        ref = _add_months(p.replace(day=1), offset)
        period = _month_period(ref.year, ref.month)
        return period, "month", period[0]
    if unit == "quarter":
        idx = p.year * 4 + (p.month - 1) // 3 + offset
        period = _quarter_period(idx // 4, idx % 4 + 1)
        return period, "quarter", period[0]
    if unit == "decade":
        first = p.year // 10 * 10 + 10 * offset
        period = (dt.date(first, 1, 1), dt.date(first + 9, 12, 31))
        return period, "multi_year", period[0]
    period = _year_period(p.year + offset)
    return period, "year", period[0]


def _r_relative_unit(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Units relative to P.

    'this year' -> P's year; 'last year' -> P.year-1; 'next year'; 'this month', 'last month',
    'next month'; 'this quarter', 'last quarter'; 'this decade' -> 2020..2029 (multi_year);
    'this week' -> P's Monday-Sunday week, precision month, event_date P's month;
    'last week' (P 2024-12-10) -> week of Dec 2, event_date 2024-12-01 (month of P-7);
    'this weekend'; 'year-to-date', 'so far this year' -> Jan 1..P.
    With qualifiers: 'earlier this month' -> 1st..P; 'later this decade' -> P..2029-12-31.
    """
    if p is None:
        return _UNRESOLVED
    if m["ytd"]:
        return _Res(dt.date(p.year, 1, 1), p, "year")
    (s, e), precision, anchor = _unit_period(m["unit"].lower(), p, _offset(m["rel"]))
    return _Res(s, e, precision, anchor=anchor)


_THE_UNIT = re.compile(
    r"\b(?i:the\s+(?P<unit>year|month|quarter|weekend|week|decade))\b(?![-‐][A-Za-z])"
    r"|\b(?i:(?P<unit_end>year|month|quarter)(?:[-\s]end|['’]s\s+end))\b(?![-‐][A-Za-z])"
    r"|(?<=-)(?i:(?P<unit_bare>year|month|quarter|decade))\b(?![-‐][A-Za-z])"
)


def _r_the_unit(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """P's own unit named with a qualifier: 'by the end of the year', 'earlier in the year',
    'by the end of the decade' (2029-12-31 for the 2020s), 'by year-end', 'at quarter-end',
    'by mid-year', 'by mid-decade'; 'over the weekend' -> the last Saturday-Sunday on or before P.

    'the year' alone is no expression: it is 'the year' of something else.
    """
    unit = (m["unit"] or m["unit_end"] or m["unit_bare"]).lower()
    if unit == "weekend":
        if p is None:
            return _UNRESOLVED
        saturday = p - dt.timedelta(days=(p.weekday() - 5) % 7)
        sunday = saturday + dt.timedelta(days=1)
        return _Res(saturday, sunday, _containing_precision(saturday, sunday))
    if m["unit"] and not ctx.qual:
        return None
    if m["unit_bare"] and not ctx.qual_hyphen:
        return None
    if p is None:
        return _UNRESOLVED
    (s, e), precision, anchor = _unit_period(unit, p, 0)
    if m["unit_end"]:
        s, e = _narrow(s, e, "late", p)
    return _Res(s, e, precision, anchor=anchor)


_SPAN = re.compile(
    r"(?:\b(?i:(?P<prep>over|in|within|during|for|across|throughout|through|into))\s+)?"
    r"\b(?P<the>(?i:the)\s+)?(?i:(?P<dir>next|coming|upcoming|past|last|recent|following|previous|prior))\s+"
    r"(?:(?P<num>(?i:" + _NUM_ALT + r"))\s+|(?P<vague>(?i:" + _VAGUE_ALT + r"))\s+)?"
    r"(?i:(?P<unit>years|year|months|month|weeks|week|days|day|decades|decade|quarters|quarter))\b"
    r"(?![-‐][A-Za-z])"
    r"|\b(?i:(?P<prep2>in|over)\s+the\s+(?P<unit2>years|months|weeks|days)\s+(?:ahead|to\s+come))\b"
)
_SPAN_IN = re.compile(
    r"\b(?i:(?P<prep>within|in|inside)\s+(?:(?:less\s+than|under|about|around|roughly|just)\s+)?"
    r"(?P<num>" + _NUM_ALT + r")\s+"
    r"(?P<unit>years|year|months|month|weeks|week|days|day|decades|decade))"
    # "two years ago", "in three years of talks", "in the three months to June" are no spans from P
    r"\b(?![-‐][A-Za-z])(?!\s+(?i:ago|earlier|later|before|after|of\b|old|in\s+a\s+row|running|"
    r"to\b|ended|ending|through|that))"
)
_UNIT_MONTHS = {"year": 12, "decade": 120, "quarter": 3, "month": 1}


def _parse_count(word: str | None) -> int | None:
    if word is None:
        return None
    w = " ".join(word.lower().split())
    return int(w) if w.isdigit() else _NUMBER_WORDS.get(w)


def _shift(p: dt.date, unit: str, n: int) -> dt.date:
    if unit in ("week", "day"):
        return p + dt.timedelta(days=n * (7 if unit == "week" else 1))
    return _add_months(p, n * _UNIT_MONTHS[unit])


def _r_span(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Spans counted from P -> relation 'over'.

    'over the next three years', 'in the next four years' (P 2025-04-17 -> P..2029-04-17),
    'within five years', 'in three years' -> P..P+N; 'over the past two years' -> P-N..P;
    'the past year' -> P-1y..P; 'the next 12 months'.  Precision: the smallest calendar unit
    holding the span (multi_year for year spans).  'in recent years', 'in the coming months',
    'the next few years', 'in the years ahead' -> vague: period None, precision unknown.
    'last year', 'next month' (no 'the', no count) are calendar units, not spans;
    'the following/previous N years' are relative to the story, not to P.
    """
    unit = (m.groupdict().get("unit") or m.groupdict().get("unit2") or "").lower().rstrip("s")
    direction = (m.groupdict().get("dir") or "next").lower()
    if direction in ("following", "previous", "prior"):
        return None
    if m.groupdict().get("unit2") or m.groupdict().get("vague") or direction == "recent":
        return _Res(None, None, "unknown", relation="over")
    if direction == "coming" and not m["num"]:
        if m["unit"].lower().endswith("s"):
            return _Res(None, None, "unknown", relation="over")
        if not m["the"]:
            return None  # 'coming year' is the calendar unit of the relative rule
    n = _parse_count(m["num"])
    if n is None:
        if m.groupdict().get("the") is None and direction in ("last", "next", "past"):
            return None
        if m["unit"].lower().endswith("s"):  # "the past years": no count
            return _Res(None, None, "unknown", relation="over")
        n = 1
    if n <= 0:
        return None
    if p is None:
        return _Res(None, None, "unknown", relation="over")
    forward = direction in ("next", "coming", "upcoming") or "dir" not in m.groupdict() or m["dir"] is None
    other = _shift(p, unit, n if forward else -n)
    s, e = (p, other) if forward else (other, p)
    precision = _containing_precision(s, e)
    if unit in ("year", "decade") and precision != "multi_year":
        precision = "multi_year"  # a span of years is never one calendar year
    return _Res(s, e, precision, relation="over")


_AGO = re.compile(
    r"\b(?i:(?P<num>" + _NUM_ALT + r"|" + _VAGUE_ALT + r")\s+"
    r"(?P<unit>years|year|months|month|weeks|week|days|day|decades|decade)\s+ago)\b"
)


def _r_ago(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """'N units ago' -> relation 'ago'.

    'two years ago' -> the year of P-2 (year); 'a decade ago' -> year; 'three months ago' ->
    that month; 'two weeks ago' -> that week (precision month, like 'last week');
    'five days ago' -> day; 'a few years ago' -> unknown.
    """
    unit = m["unit"].lower().rstrip("s")
    n = _parse_count(m["num"])
    if n is None or p is None:
        return _Res(None, None, "unknown", relation="ago")
    if unit in ("year", "decade"):
        s, e = _year_period(p.year - n * (10 if unit == "decade" else 1))
        return _Res(s, e, "year", relation="ago")
    if unit == "month":
        ref = _add_months(p, -n)
        s, e = _month_period(ref.year, ref.month)
        return _Res(s, e, "month", relation="ago")
    if unit == "week":
        (s, e), precision, anchor = _unit_period("week", p, -n)
        return _Res(s, e, precision, anchor=anchor, relation="ago")
    d = p - dt.timedelta(days=n)
    return _Res(d, d, "day", relation="ago")


_YEAR_RANGE = re.compile(
    r"(?:\b(?i:between)\s+" + _FISCAL + r"?" + _year("a1") + r"\s+(?i:and)\s+" + _FISCAL + r"?" + _year("a2")
    + r"|(?:\b(?i:from)\s+)?" + _NUM_START + r"(?:\b" + _FISCAL + r")?" + _year("b1")
    + r"\s*(?:[-–—/]|\s(?i:to|through|until|till|thru)\s)\s*(?:" + _FISCAL + r")?(?:" + _year("b2") + r"|"
    + _yy("byy") + r"))"
)


def _r_year_range(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Year ranges: 'between 2025 and 2027', '2025-2027', '2024–25', 'from 2023 to 2030',
    'fiscal 2024/25' -> Jan 1 of the first .. Dec 31 of the last year, multi_year."""
    y1 = int(m["a1"] or m["b1"])
    if m["a2"] or m["b2"]:
        y2 = int(m["a2"] or m["b2"])
    else:
        y2 = y1 // 100 * 100 + int(m["byy"])
    if y2 <= y1 or y2 > 2099:
        return None  # "2025-12" is no range; the year alone is matched by the year rule
    return _Res(dt.date(y1, 1, 1), dt.date(y2, 12, 31), "multi_year", relation="in")


_DECADE = re.compile(r"(?:\b(?i:the)\s+)?" + _NUM_START + r"(?P<dec>199|20[0-9])0s\b")


def _r_decade(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Decades: 'the 2020s', 'the late 2020s' (-> 2027..2029) -> multi_year."""
    first = int(m["dec"]) * 10
    return _Res(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "multi_year")


_YEAR = re.compile(
    _NUM_START + r"(?<![0-9]-)(?:(?P<fy>" + _FISCAL + r")" + _year("y")
    + r"|(?P<fy2>\b(?:FY|CY)\s?['’]?)" + _yy("yy") + r"|" + _year("y2") + r")"
)


def _r_year(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Years: 'in 2026', 'by 2027', 'through 2028', 'until 2030', '2025 revenue', "2025's",
    'fiscal 2025', 'fiscal year 2025', 'FY2025', 'FY25', 'through fiscal 2030' -> year.

    A bare number is not a year when a unit follows ('2000 units') or an amount word precedes
    it ('more than 2000').
    """
    if m["yy"]:
        y = _expand_yy(m["yy"], p)
    else:
        y = int(m["y"] or m["y2"])
    if m["y2"]:
        if _QUANTITY_AFTER.match(ctx.text, ctx.end):
            return None
        if not ctx.prep and _QUANTITY_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start()):
            return None
    s, e = _year_period(y)
    return _Res(s, e, "year")


_QUARTER_CODE = re.compile(
    r"(?<![\w$])(?:"
    r"(?P<qa>[1-4])Q\s?(?:(?i:FY|CY)\s?)?['’]?(?:" + _year("ya") + r"|" + _yy("yya") + r")"
    r"|Q(?P<qb>[1-4])(?:\s*(?:(?i:FY|CY)\s?['’]?|['’])(?:" + _year("yb") + r"|" + _yy("yyb") + r")"
    r"|\s+(?:(?i:of)\s+)?(?:" + _FISCAL + r")?" + _year("yc") + r"|\s*[-/]\s*" + _year("yd") + r")?"
    r"|(?P<qe>[1-4])Q"
    r")(?![\w%]|[.,][0-9])"
)


def _pick_part_of_year(make: Callable[[int], Period], p: dt.date, bias: str | None, lag: int) -> Period:
    """A quarter or half written without a year: the one of P's year, except that a period
    of the previous year that ended at most `lag` days before P wins over one of P's year that
    has not started (results season: 'fourth-quarter revenue' in January is 4Q of last year),
    and the next year's period starting within a month wins over one of P's year already over
    ('the first quarter' in December).  A deadline or 'since' picks the nearest on its side.
    """
    prev, cur, nxt = make(p.year - 1), make(p.year), make(p.year + 1)
    if bias:
        return _pick([prev, cur, nxt], p, bias)
    if cur[0] > p and (p - prev[1]).days <= lag:
        return prev
    if cur[1] < p and (nxt[0] - p).days <= 31:
        return nxt
    return cur


def _quarter_res(q: int, year: int | None, p: dt.date | None, ctx: _Ctx) -> _Res:
    """A quarter in a known year, else the one of P's year (see _pick_part_of_year): the
    quarter just before P's quarter counts as recent, so 4Q is last year's until April."""
    if year is None:
        if p is None:
            return _UNRESOLVED
        s, e = _pick_part_of_year(lambda y: _quarter_period(y, q), p, _bias(ctx), lag=92)
    else:
        s, e = _quarter_period(year, q)
    return _Res(s, e, "quarter")


def _r_quarter_code(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Quarter codes: '4Q24', '1Q25', '1Q2025', 'Q4 2025', "Q4'25", 'Q1 FY26', 'Q3' -> quarter.

    Without a year ('Q3', 'in 3Q') the quarter nearest to P.
    """
    q = int(m["qa"] or m["qb"] or m["qe"])
    year: int | None = None
    for g in ("ya", "yb", "yc", "yd"):
        if m[g]:
            year = int(m[g])
    for g in ("yya", "yyb"):
        if m[g]:
            year = _expand_yy(m[g], p)
    return _quarter_res(q, year, p, ctx)


_OF_YEAR = (
    r"(?:\s+(?i:of|in)\s+(?:(?i:the)\s+)?(?:(?i:fiscal|financial|calendar)\s+)?(?:(?i:year)\s+)?"
    r"(?:" + _year("y1")
    + r"|(?i:(?P<rel>this|last|next|the\s+current|the)\s+(?:(?:fiscal|financial|calendar)\s+)?year))"
    r"|,?\s+(?:" + _FISCAL + r")?" + _year("y2") + r"|\s+(?:FY|CY)\s?['’]?" + _yy("yy") + r")?"
)
_YEAR_BEFORE = r"(?:(?:" + _FISCAL + r")?" + _NUM_START + _year("y0") + r"(?:['’]s)?\s+)?"
_QUARTER_WORDS = re.compile(
    _YEAR_BEFORE + r"(?:\b(?i:the)\s+)?(?:(?i:fiscal|financial|calendar)\s+)?"
    r"\b(?P<q>(?i:" + _QUARTER_ORD_ALT + r"))"
    r"[-\s]+(?:(?i:fiscal|financial|calendar)[-\s]+)?(?i:quarter)\b(?![-‐](?i:on|over|to)\b)" + _OF_YEAR
)


def _year_of(m: re.Match[str], p: dt.date | None) -> tuple[int | None, bool]:
    """The year written with a quarter/half/'first N months' phrase: (year, is_known)."""
    if m["y0"]:
        return int(m["y0"]), True
    if m["y1"] or m["y2"]:
        return int(m["y1"] or m["y2"]), True
    if m["yy"]:
        return _expand_yy(m["yy"], p), True
    if m["rel"]:
        if p is None:
            return None, True
        rel = " ".join(m["rel"].lower().split())
        return p.year + (0 if rel == "the" else _offset(rel)), True
    return None, False


def _r_quarter_words(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Quarters in words: 'the fourth quarter of 2024', 'fourth-quarter', 'the first quarter',
    'the final quarter of 2024', "2025's first quarter", 'the second quarter of this year'.

    Without a year: the occurrence nearest to P ('fourth-quarter' on 2025-01-17 -> 4Q24, 'the
    first quarter' on 2025-01-17 -> 1Q25, 'the second quarter' on 2025-05-12 -> 2Q25).
    'last quarter' without a year is relative (previous quarter) and left to that rule.
    """
    word = m["q"].lower()
    year, known = _year_of(m, p)
    if word == "last" and not known:
        return None
    if known and year is None:
        return _UNRESOLVED
    return _quarter_res(_ORDINALS[word], year, p, ctx)


_QUARTER_RANGE = re.compile(
    r"(?<![\w$])(?:Q(?P<a1>[1-4])\s*(?:[-–]|\s(?i:to|through|and)\s)\s*Q(?P<a2>[1-4])"
    r"|(?P<b1>[1-4])Q\s*[-–]\s*(?P<b2>[1-4])Q)"
    r"(?:\s+(?:(?i:of)\s+)?(?:" + _FISCAL + r")?" + _year("y") + r"|\s?['’]?" + _yy("yy") + r")?"
    r"(?![\w%]|[.,][0-9])"
)


def _r_quarter_range(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Quarter ranges: 'Q1-Q3 2024', '1Q-3Q24', 'Q2 to Q4' (P's year) -> Jan 1..Sep 30 etc.,
    precision the smallest calendar unit holding them (a half for 'Q1-Q2')."""
    q1, q2 = int(m["a1"] or m["b1"]), int(m["a2"] or m["b2"])
    if q2 <= q1:
        return None
    if m["y"]:
        year = int(m["y"])
    elif m["yy"]:
        year = _expand_yy(m["yy"], p)
    elif p is None:
        return _UNRESOLVED
    else:
        year = p.year
    s, e = _quarter_period(year, q1)[0], _quarter_period(year, q2)[1]
    return _Res(s, e, _containing_precision(s, e), relation="in")


_HALF_CODE = re.compile(
    r"(?<![\w$])(?:"
    r"(?P<ha>[12])H\s?(?:(?i:FY|CY)\s?)?['’]?(?:" + _year("ya") + r"|" + _yy("yya") + r")"
    r"|H(?P<hb>[12])(?:\s*(?:(?i:FY|CY)\s?['’]?|['’])(?:" + _year("yb") + r"|" + _yy("yyb") + r")"
    r"|\s+(?:(?i:of)\s+)?(?:" + _FISCAL + r")?" + _year("yc") + r"|\s*[-/]\s*" + _year("yd") + r")"
    r")(?![\w%]|[.,][0-9])"
)


def _half_res(h: int, year: int | None, p: dt.date | None, ctx: _Ctx) -> _Res:
    """A half in a known year, else the one of P's year (see _pick_part_of_year): 'the second
    half' is last year's only in January and February, when its results come out."""
    if year is None:
        if p is None:
            return _UNRESOLVED
        s, e = _pick_part_of_year(lambda y: _half_period(y, h), p, _bias(ctx), lag=62)
    else:
        s, e = _half_period(year, h)
    return _Res(s, e, "half")


def _r_half_code(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Half codes: '2H26', '1H25', '2H2025', 'H2 2025', "H1'25" -> half (event: the year).

    Bare 'H1'/'H2' are not read (hydrogen, chip names); 'H20', 'H200' never match.
    """
    h = int(m["ha"] or m["hb"])
    year: int | None = None
    for g in ("ya", "yb", "yc", "yd"):
        if m[g]:
            year = int(m[g])
    for g in ("yya", "yyb"):
        if m[g]:
            year = _expand_yy(m[g], p)
    return _half_res(h, year, p, ctx)


_HALF_WORDS_RE = re.compile(
    _YEAR_BEFORE + r"(?:\b(?i:the)\s+)?\b(?P<h>(?i:" + _HALF_ORD_ALT + r"))[-\s]+(?i:half)\b"
    r"(?!\s+(?i:of\s+(?:the|this|next|last)\s+(?:decade|century)|a\b|an\b))(?:[-\s](?i:year)\b)?" + _OF_YEAR
)


def _r_half_words(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Halves in words: 'the second half of 2025', 'the first half', 'second-half 2025',
    'the back half of the year' -> half; without a year the half nearest to P."""
    word = m["h"].lower()
    h = _HALF_WORDS.get(word) or _ORDINALS[word]
    year, known = _year_of(m, p)
    if known and year is None:
        return _UNRESOLVED
    return _half_res(h, year, p, ctx)


_FIRST_MONTHS = re.compile(
    r"(?:\b(?i:the)\s+)?\b(?i:first)\s+(?P<n>(?i:" + _MONTH_ORD_ALT + r"))\s+(?P<unit>(?i:months|quarters))\b"
    + _OF_YEAR
)


def _r_first_months(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """'the first ten months of this year', 'the first nine months of 2024', 'the first three
    quarters of 2024' -> Jan 1..end of month N, precision year (the period lies within one named
    year).  Without 'of ...' the year is P's."""
    n = _parse_count(m["n"])
    if n is not None and m["unit"].lower() == "quarters":
        n = 3 * n if n <= 4 else None
    if n is None or not 1 <= n <= 12:
        return None
    if m["y1"] or m["y2"]:
        year: int | None = int(m["y1"] or m["y2"])
    elif m["yy"]:
        year = _expand_yy(m["yy"], p)
    elif p is None:
        return _UNRESOLVED
    else:
        rel = " ".join((m["rel"] or "this").lower().split())
        year = p.year + (0 if rel == "the" else _offset(rel))
    return _Res(dt.date(year, 1, 1), _month_end(year, n), "year")


_QUARTER_ENDED = re.compile(
    r"\b(?:(?i:the)\s+)?(?:(?i:fiscal|financial)\s+)?(?:(?i:" + _QUARTER_ORD_ALT + r")[-\s]+)?"
    r"(?:(?i:fiscal)\s+)?"
    r"(?i:quarter|three\s+months|six\s+months|nine\s+months|twelve\s+months|12\s+months|"
    r"(?:13|thirteen|26|39|52)\s+weeks|half|year|fiscal\s+year|period)\s+(?:(?i:that)\s+)?"
    r"(?P<verb>(?i:ended|ending|ends|through|to))\s+"
    r"(?:(?i:on|in)\s+)?(?:" + _mon("m") + r"(?:\s*" + _day("d") + r")?(?:,?\s+" + _year("y") + r")?"
    r"|" + _day("d2") + r"\s+" + _mon("m2") + r"(?:,?\s+" + _year("y2") + r")?)"
)


def _r_quarter_ended(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Reporting periods named by their end: 'the quarter ended October' (P 2024-12-10) ->
    Oct 2024 (month); 'the fiscal first quarter ending April 27' (P 2025-04-17) -> 2025-04-27
    (day); 'the three months ended December 31, 2024' -> day.  'ended' looks back."""
    month = _month_num(m["m"] or m["m2"])
    day_s = m["d"] or m["d2"]
    year_s = m["y"] or m["y2"]
    bias = "past" if m["verb"].lower() == "ended" else None
    if year_s:
        years = [int(year_s)]
    elif p is None:
        return _UNRESOLVED
    else:
        years = [p.year - 1, p.year, p.year + 1]
    cands: list[Period] = []
    for y in years:
        try:
            cands.append((dt.date(y, month, int(day_s)),) * 2 if day_s else _month_period(y, month))
        except ValueError:
            continue
    if not cands:
        return None
    s, e = cands[0] if len(cands) == 1 or p is None else _pick(cands, p, bias)
    return _Res(s, e, "day" if day_s else "month")


_MONTH_QUARTER = re.compile(
    r"(?:\b(?i:the)\s+)?(?:" + _NUM_START + _year("y0") + r"(?:['’]s)?\s+)?\b" + _full_mon("m")
    + r"[-\s](?i:quarter)\b(?:\s+(?:(?i:of)\s+)?" + _year("y") + r")?"
)


def _r_month_quarter(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Quarters named by their last month: 'the September quarter' -> calendar 3Q (nearest to
    P, looking back); 'the October quarter' (a fiscal quarter) -> the month October."""
    month = _month_num(m["m"])
    year_s = m["y"] or m["y0"]
    if year_s:
        years = [int(year_s)]
    elif p is None:
        return _UNRESOLVED
    else:
        years = [p.year - 1, p.year, p.year + 1]
    if month % 3 == 0:
        cands = [_quarter_period(y, month // 3) for y in years]
        precision = "quarter"
    else:
        cands = [_month_period(y, month) for y in years]
        precision = "month"
    s, e = cands[0] if len(cands) == 1 or p is None else _pick(cands, p, _bias(ctx) or "past")
    return _Res(s, e, precision)


_SEASON = re.compile(
    r"\b(?i:(?P<rel>this|last|next|the\s+coming|the\s+past|the)\s+)?"
    r"(?P<s>(?i:spring|summer|autumn|fall|winter))\b"
    r"(?:\s+(?:(?i:of)\s+)?" + _year("y") + r")?"
)


def _season_period(y: int, first: int, last: int) -> Period:
    return dt.date(y, first, 1), _month_end(y if last >= first else y + 1, last)


def _r_season(m: re.Match[str], p: dt.date | None, ctx: _Ctx) -> _Res | None:
    """Seasons (northern hemisphere): 'this summer', 'last autumn', 'in the fall of 2025',
    'spring 2026'; 'winter 2025' -> Dec 2025..Feb 2026.  'fall' and 'spring' need a year or
    this/last/next ('the fall in prices' is no season).  Precision: smallest unit holding it."""
    season = m["s"].lower()
    rel = " ".join((m["rel"] or "").lower().split())
    if not (rel or m["y"]):
        return None
    if rel == "the" and season in ("fall", "spring") and not m["y"]:
        return None
    first, last = _SEASONS[season]
    if m["y"]:
        s, e = _season_period(int(m["y"]), first, last)
    elif p is None:
        return _UNRESOLVED
    else:
        cands = [_season_period(y, first, last) for y in (p.year - 1, p.year, p.year + 1)]
        if rel in ("this", "the"):
            s, e = _pick(cands, p, None)
        elif rel in ("last", "the past"):
            s, e = _pick(cands, p, "before")
        else:
            s, e = _pick(cands, p, "after")
    return _Res(s, e, _containing_precision(s, e))


# Order matters only for ties between candidates of equal length: earlier rules win.
_RULES: tuple[_Rule, ...] = (
    _Rule("iso", _ISO, _r_iso),
    _Rule("quarter_ended", _QUARTER_ENDED, _r_quarter_ended),
    _Rule("month_day", _MONTH_DAY, _r_month_day),
    _Rule("day_month", _DAY_MONTH, _r_month_day),
    _Rule("month_range", _MONTH_RANGE, _r_month_range),
    _Rule("month_year", _MONTH_YEAR, _r_month_year),
    _Rule("month_quarter", _MONTH_QUARTER, _r_month_quarter),
    _Rule("month_bare", _MONTH_BARE, _r_month_bare),
    _Rule("quarter_range", _QUARTER_RANGE, _r_quarter_range),
    _Rule("quarter_code", _QUARTER_CODE, _r_quarter_code),
    _Rule("quarter_words", _QUARTER_WORDS, _r_quarter_words),
    _Rule("half_code", _HALF_CODE, _r_half_code),
    _Rule("half_words", _HALF_WORDS_RE, _r_half_words),
    _Rule("first_months", _FIRST_MONTHS, _r_first_months),
    _Rule("weekday", _WEEKDAY, _r_weekday),
    _Rule("day_relative", _DAY_REL, _r_day_relative),
    _Rule("day_alone", _DAY_ALONE, _r_day_alone, left=False),
    _Rule("relative_unit", _RELATIVE_UNIT, _r_relative_unit),
    _Rule("the_unit", _THE_UNIT, _r_the_unit),
    _Rule("span", _SPAN, _r_span, left=False),
    _Rule("span_in", _SPAN_IN, _r_span, left=False),
    _Rule("ago", _AGO, _r_ago, left=False),
    _Rule("year_range", _YEAR_RANGE, _r_year_range),
    _Rule("decade", _DECADE, _r_decade),
    _Rule("year", _YEAR, _r_year),
    _Rule("season", _SEASON, _r_season),
)

# Cheap gate: a sentence with none of these cannot hold an expression.
_TRIGGER = re.compile(
    r"[0-9]|(?i:day|night|morning|afternoon|evening|week|month|quarter|year|decade|half|spring|summer|"
    r"autumn|fall|winter)|" + "|".join(sorted({name[:3] for name in _MONTH_NUM}))
)

_LOOKBACK = 40  # characters searched for a qualifier or preposition before a core


def _left_context(text: str, start: int, end: int) -> tuple[int, _Ctx]:
    """Extend a core leftwards over a qualifier and then a preposition."""
    qual = prep = None
    hyphen = False
    qm = _QUAL_TAIL.search(text, max(0, start - _LOOKBACK), start)
    if qm:
        word = next(w for w in (qm["q_of"], qm["q_hy"], qm["q_in"], qm["q_ye"]) if w)
        word = "year-end" if word.lower().startswith("year") else word.lower()
        qual = _QUAL_MEANING[word]
        hyphen = qm["q_hy"] is not None
        start = qm.start()
    pm = _PREP_TAIL.search(text, max(0, start - _LOOKBACK), start)
    if pm:
        prep = pm["prep"]
        start = pm.start()
    return start, _Ctx(qual, prep, text, end, hyphen)


def _candidate(rule: _Rule, m: re.Match[str], text: str, p: dt.date | None) -> TimeExpression | None:
    if rule.left:
        start, ctx = _left_context(text, m.start(), m.end())
    else:
        start, ctx = m.start(), _Ctx(None, None, text, m.end())
    qual = ctx.qual
    res = rule.resolve(m, p, ctx)
    if res is None:
        return None
    s, e, precision = res.start, res.end, res.precision
    anchor = res.anchor or s
    if s is None or e is None:
        s = e = anchor = None
        precision = "unknown"
    elif qual and precision not in ("day", "unknown"):
        s, e = _narrow(s, e, qual, p)
    if s is not None and e is not None and s > e:
        return None
    event_precision = _EVENT_PRECISION[precision]
    event_date = _floor(anchor, event_precision) if anchor is not None else None
    if event_date is None:
        event_precision = "unknown"
    return TimeExpression(
        start=start, end=m.end(), raw=text[start:m.end()], period_start=s, period_end=e,
        precision=precision, relation=res.relation or _relation_of(ctx.prep),
        event_precision=event_precision, event_date=event_date,
    )


def find_time_expressions(text: str, published: dt.date | None) -> list[TimeExpression]:
    """Every date/period expression of a sentence, left to right, non-overlapping (longest wins);
    never raises.

    >>> [e.raw for e in find_time_expressions("from 31% in 2023 to 39% by 2027", None)]
    ['in 2023', 'by 2027']
    """
    if not isinstance(text, str) or not text or not _TRIGGER.search(text):
        return []
    p = published.date() if isinstance(published, dt.datetime) else published
    if not isinstance(p, dt.date):
        p = None
    found: list[tuple[int, int, int, TimeExpression]] = []
    for order, rule in enumerate(_RULES):
        for m in rule.pattern.finditer(text):
            try:
                cand = _candidate(rule, m, text, p)
            except (ValueError, OverflowError, KeyError):
                continue  # dates past year 9999 and similar: no expression rather than a crash
            if cand is not None:
                found.append((cand.start, cand.end, order, cand))
    found.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    chosen: list[tuple[int, int, int, TimeExpression]] = []
    for c in found:
        if all(c[1] <= k[0] or c[0] >= k[1] for k in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return [c[3] for c in chosen]
