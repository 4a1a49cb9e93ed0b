"""Quantity grammar: the numbers a news sentence states, and what they measure.

What belongs here: turning the surface form of a quantity into
``(value_low, value_high, unit, comparator)`` plus the character span it was
read from, for every quantity of a sentence::

    "up to about US$5.5 billion"            -> None..5.5e9  usd      "<="  (approximate)
    "between US$14 billion and US$18 billion" -> 14e9..18e9 usd      "="
    "20–25%", "roughly 20% to 25%"           -> 20..25      percent  "=" / "~"
    "over 60%"                               -> 60..None    percent  ">"
    "several million Ascend 910C accelerators" -> 2e6..9e6  units    "~"
    "close to mid-20s percent"               -> 25..25      percent  "~"
    "double"                                 -> 100..100    percent  "="  (multiplier_word)
    "20,000 wafers per month"                -> 20000       wafers_per_month

What does not belong here: whether a quantity is a forecast, what it is about
(metric, target), its period, and its sign.  Values are magnitudes as written:
the caller negates declines ("fall by 4% to 6%" is returned as 4..6).  Only a
written minus sign ("-4%") or a halving word ("halve" is -50 percent) carries a
sign of its own.

Not quantities: years ("in 2026", "fiscal 2025"), quarters and halves ("4Q24",
"2H26", "Q3"), dates ("April 9", "December 8th"), ordinals, process nodes and
dimensions ("3nm", "16/14nm", "300mm", "8-inch"), compound adjectives
("12-high", "5-year"), model names ("H20", "MI308", "910C", "NXT:2050i",
"Ascend 910"), labels ("Section 232", "top 10") and number words standing
alone ("one of", "eight companies").

Vague quantities get honest ranges, approximate=True and comparator "~":

* "several X" is 2 to 9 X (the evaluation convention): "several million" is
  2e6..9e6, "several trillion won" 2e12..9e12 krw, "several times US$16.5
  billion" 33e9..148.5e9 usd.
* "a few X" is 2 to 5 X, "a couple of X" 2 to 3 X.
* Plural magnitudes follow "several": "tens of" 20..90, "hundreds of"
  200..900, "thousands of" 2e3..9e3, "hundreds of thousands" 2e5..9e5,
  "billions of dollars" 2e9..9e9 usd (above that a writer says "tens of
  billions").  "dozens of" is 24..99.
* Bands: "low-20s" 21..23, "mid-20s" a point 25, "high-20s" 27..29; "mid-teens"
  15; "high single digits" 7..9; "double-digit growth" 10..99 percent.

Units: "percent", "percentage_points", "basis_points", a lowercase ISO 4217
code for money ("usd", "cny", "twd", "jpy", "eur", "krw", ...; "per metric
ton" after an amount keeps the currency), a count-noun unit ("units",
"wafers", "wafers_per_month", "gigabits", "fabs", "people", "years", ...) and
"count" for a number with no unit the grammar knows ("140 entities").

Ranges: "20-25%", "20% to 25%", "between A and B", "ranging from A to B" are
one quantity (a comparator word before a range is ignored: the range wins).
"from 31% in 2023 to 39%" and "from A to B" are two quantities: a change from
one level to another.

Known gaps: number words are read only before a magnitude, "dozen", a percent
word or a count noun, or as the first number of a range ("two to three
million"), so "eight companies" is nothing; fractions ("a third", "1/3") are
not quantities; European decimal commas ("1.234,5") and space-grouped
thousands ("1 200") are not read; rates are kept only for wafers ("per share"
stays "usd"); a capitalised word right before a bare integer is taken for a
product name, so a title-case headline "US Adds 140 Entities" gives nothing.

Tables (currencies, magnitudes, count nouns, comparator and approximation
words, ...) live in ``units.yaml`` beside this module and are read once by
:func:`load_tables`; the regexes are built from them at import.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.knowledge import load_yaml

__all__ = ["COMPARATORS", "Quantity", "find_quantities", "load_tables"]

log = logging.getLogger(__name__)

UNITS_PATH = Path(__file__).with_name("units.yaml")
COMPARATORS: frozenset[str] = frozenset({"=", ">", ">=", "<", "<=", "~"})


@dataclass(frozen=True)
class Quantity:
    """One quantity of a sentence; ``text[start:end] == raw``."""

    value_low: float | None  # None when open below ("up to 5", "below 30%")
    value_high: float | None  # None when open above ("over 60%", "at least 16")
    unit: str  # "percent" (60 means 60%), "usd", "units", "wafers_per_month", "count", ...
    comparator: str  # one of COMPARATORS
    start: int
    end: int
    raw: str
    approximate: bool = False
    multiplier_word: str | None = None


@functools.cache
def load_tables(path: str | None = None) -> dict[str, Any]:
    """The grammar's tables (``units.yaml``), read once per path."""
    with open(path or UNITS_PATH, encoding="utf-8") as fh:
        return load_yaml(fh)


# --------------------------------------------------------------------------- text helpers

_HYPHENS = "-\u2010\u2011\u2012"  # hyphen-minus, hyphen, non-breaking hyphen, figure dash
_DASHES = _HYPHENS + "\u2013\u2014\u2212"  # ... en dash, em dash, minus sign
_MINUS = "-\u2212\u2011"  # what a writer uses for a negative number
_HY = "\\-\u2010\u2011\u2012"  # _HYPHENS escaped for a regex character class
_DASH = _HY + "\u2013\u2014\u2212"  # _DASHES escaped for a regex character class
# Characters that may stand right before a bare number; anything else glued to
# it (a letter, "/", ":", "$" of an unknown currency) makes it part of a name.
_OPENERS = frozenset("([{\"“‘«<>≤≥~≈+±,;")  # not "'": "'25" is a year
_KEY_TRANS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "’": "'"})
_FOLD_TRANS = str.maketrans({"\u0307": None, "\u0131": "i"})  # "İ".casefold() is "i̇"; dotless "ı"
_TIMES_SIGNS = frozenset("xX×")  # "10x": a multiplier
_PREFIX_WINDOW = 64  # characters before a number searched for comparator words ("approximately between")
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"


def _key(phrase: str, *, fold: bool = True) -> str:
    """Lookup key of a phrase: whitespace collapsed, hyphens unified, case-folded.

    Case-insensitive regexes also match "ſ" for "s" and "İ"/"ı" for "i":
    folding them here keeps every matched phrase a key of its table.
    """
    joined = " ".join(phrase.translate(_KEY_TRANS).split())
    return joined.casefold().translate(_FOLD_TRANS) if fold else joined


def _phrase_re(phrase: str) -> str:
    """Regex for a table phrase: a space matches any whitespace run, a hyphen any hyphen."""
    out = []
    for ch in phrase:
        if ch.isspace():
            out.append(r"\s+")
        elif ch in _HYPHENS:
            out.append(f"[{_HY}]")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(phrases: Iterable[str], *, end_guard: bool = True) -> str:
    """Alternation of phrases, longest first, each guarded at word edges."""
    items = []
    for p in sorted({p for p in phrases if p}, key=lambda p: (-len(p), p)):
        r = _phrase_re(p)
        if p[0].isalnum():
            r = r"(?<!\w)" + r
        if end_guard and p[-1].isalnum():
            r += r"(?!\w)"
        items.append(r)
    return "(?:" + "|".join(items) + ")"


def _gate(phrases: Iterable[str], extra: str = "") -> str:
    """Lookahead on the first letters of phrases: lets a search skip most positions quickly."""
    chars = {c for p in phrases if p for c in (p[0].lower(), p[0].upper())}
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + extra + "])"


def _scaled(value: float, factor: float) -> float:
    """value * factor without binary noise: 526.8 billion is 526800000000, not ...99.99994."""
    return float(f"{value * factor:.15g}")


def _to_float(number: str) -> float | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------- compiled grammar


class _Grammar:
    """Lookup maps and regexes built once from the tables."""

    def __init__(self, t: dict[str, Any]) -> None:
        self.magnitudes = {_key(k): float(v) for k, v in t["magnitudes"].items()}
        self.attached = {str(k): (float(v["factor"]), bool(v.get("needs_currency"))) for k, v in
                         t["attached_magnitudes"].items()}
        self.number_words = {_key(k): float(v) for k, v in t["number_words"].items()}
        self.words_needing_magnitude = frozenset(_key(w) for w in t["number_words_needing_magnitude"])
        self.vague = {_key(k): (float(v[0]), float(v[1])) for k, v in t["vague_quantifiers"].items()}
        self.plural = {_key(k): (float(v[0]), float(v[1])) for k, v in t["plural_magnitudes"].items()}
        self.plural_chain = {_key(k): float(v) for k, v in t["plural_chain_magnitudes"].items()}
        self.times_words = {_key(k): (float(v[0]), float(v[1])) for k, v in t["times_words"].items()}
        self.times_adverbs = {_key(k): (float(v[0]), float(v[1])) for k, v in t["times_adverbs"].items()}

        # Currencies: prefixes are case-sensitive symbols and codes, suffixes are words.
        self.prefix_cur: dict[str, str] = {}
        self.suffix_cur: dict[str, tuple[str, bool]] = {}
        for code, forms in t["currencies"].items():
            for p in forms.get("prefixes", []):
                self.prefix_cur[_key(p, fold=False)] = code
            for s in forms.get("suffixes", []):
                self.suffix_cur[_key(s)] = (code, False)
            for s in forms.get("suffixes_needing_magnitude", []):
                self.suffix_cur[_key(s)] = (code, True)
        self.currency_codes = frozenset(t["currencies"])
        self.ambiguous_prefixes = frozenset(_key(p, fold=False) for p in t["ambiguous_prefixes"])

        self.percent_units = {_key(w): u for u, ws in t["percent_units"].items() for w in ws}
        self.percent_kinds = frozenset(t["percent_units"])
        self.attached_percent = frozenset(t["attached_percent"])
        self.nouns = {_key(w): u for u, ws in t["count_nouns"].items() for w in ws}
        self.symbols = {w: u for u, ws in t["unit_symbols"].items() for w in ws}
        self.rate_units = {u: dict(v) for u, v in t["rate_units"].items()}
        self.rate_phrases = {_key(w): r for r, ws in t["rate_phrases"].items() for w in ws}
        self.rate_context = {_key(w): r for r, ws in t["rate_context"].items() for w in ws}
        self.comparators = {_key(w): c for c, ws in t["comparators"].items() for w in ws}
        self.trailing = {_key(w): c for c, ws in t["trailing_comparators"].items() for w in ws}
        self.multipliers = {_key(w): float(v) for v, ws in t["multiplier_words"].items() for w in ws}
        self.multiplier_blockers = frozenset(_key(w) for w in t["multiplier_blockers"])
        self.decade_qualifiers = {_key(k): (float(v[0]), float(v[1])) for k, v in
                                  t["decade_qualifiers"].items()}
        self.digit_bands = {_key(k): {_key(q): (float(r[0]), float(r[1])) for q, r in v.items()}
                            for k, v in t["digit_bands"].items()}
        self.percent_context = frozenset(_key(w) for w in t["percent_context"])
        self.fold_words = frozenset(_key(w) for w in t["fold_words"])
        self.month_names = [m.title() for m in t["months"]]
        stop = {_key(w) for w in t["modifier_stopwords"]}
        # Words that may stand before a number without making it a model name ("Over 140").
        self.function_words = (stop | set(self.comparators) | {_key(w) for w in t["approximations"]}
                               | {_key(w) for w in t["comparator_intensifiers"]}
                               | {"between", "from", "some", "nearly", "just", "only", "about"})

        mags = _alt(self.magnitudes)
        percent = _alt(self.percent_units)
        nouns = _alt(self.nouns)
        stops = _alt(stop)
        months = _alt(self.month_names)
        word_numbers = _alt(self.number_words)
        ones = _alt(w for w, v in self.number_words.items() if v in range(1, 10) and w not in ("a", "an"))
        cmp_words = _alt(self.comparators)
        approx_words = _alt(t["approximations"])
        intensifiers = _alt(t["comparator_intensifiers"])
        times_numbers = _alt([w for w, v in self.number_words.items() if v >= 2 and v.is_integer()])
        times_pre = _alt(self.times_words)
        times_alone = _alt(self.times_adverbs)
        ix = re.IGNORECASE

        self.number = re.compile(_NUM)
        # A currency written before the number, ending where the number starts.
        self.cur_prefix = re.compile(r"(?P<c>" + _alt(self.prefix_cur) + r")\s?\Z")
        self.attached_suffix = re.compile(
            r"(?P<s>" + "|".join(sorted(map(re.escape, self.attached), key=len, reverse=True))
            + "|" + "|".join(map(re.escape, self.attached_percent))
            + "|[" + "".join(sorted(_TIMES_SIGNS)) + r"])(?![^\W_])")
        self.hyphen_word = re.compile(f"[{_HY}](?P<w>[^\\W\\d_]+)")
        self.mag_words = re.compile(r"\s+(?P<m1>" + mags + r")(?:\s+(?P<m2>" + mags + r"))?", ix)
        self.percent = re.compile(r"\s*(?P<u>" + percent + ")", ix)
        self.cur_suffix = re.compile(r"\s+(?P<u>" + _alt(self.suffix_cur) + ")", ix)
        self.symbol = re.compile(r"\s*(?P<u>" + "|".join(
            sorted(map(re.escape, self.symbols), key=len, reverse=True)) + r")(?![^\W_])")
        # A count noun, possibly after up to three modifiers ("1 million H20 chips").
        token = r"(?!" + stops + r")(?!" + mags + r")[^\W_][\w.+/:&'’" + _HY + r"]*"
        self.noun = re.compile(r"(?:\s+" + token + r"){0,3}?\s+(?P<u>" + nouns + f")(?![\\w{_HY}])", ix)
        self.noun_direct = re.compile(r"\s+(?P<u>" + nouns + f")(?![\\w{_HY}])", ix)
        self.rate_after = re.compile(r"\s*(?P<r>" + _alt(self.rate_phrases) + ")", ix)
        self.rate_ctx = re.compile(_alt(self.rate_context), ix)
        self.times = re.compile(r"(?P<t>\s+times)(?!\w)(?P<cmp>\s+" + _alt(t["times_comparatives"]) + ")?", ix)
        self.reject_after = re.compile(r"\s*" + _alt(t["reject_after"]), ix)
        self.month_before = re.compile(months + r"\.?\s+\Z")
        self.month_after = re.compile(r"\s+" + months + r"(?!\w)")
        self.label_before = re.compile(_alt(t["label_words"]) + r"\s*\Z", ix)
        self.capital_before = re.compile(r"(?<![\w.])(?P<tok>[A-Z][\w" + _HY + r"]*)\s+\Z")
        self.range_conn = re.compile(r"(?P<c>\s+(?:to|through|thru|and)\s+|\s*[" + _DASH + r"~]\s*)", ix)
        # The gate (a word or a symbol starts here) lets the search skip most
        # positions of the window quickly: this regex runs once per number.
        self.prefix = re.compile(
            r"(?:(?<!\w)(?=\w)|(?=[^\w\s]))"
            r"(?:(?P<approx0>" + approx_words + r")\s*)?"
            r"(?:(?P<rw>between|(?:rang(?:e|es|ed|ing)|anywhere)\s+from|from)\s+)?"
            r"(?:(?:" + intensifiers + r"\s+)?(?P<cmp>" + cmp_words + r")\s*)?"
            r"(?:(?P<approx>" + approx_words + r")\s*)?"
            r"(?:an?\s+)?"  # "roughly a 60% share", "over a 10% stake"
            r"(?:(?P<mult>(?:" + times_pre + "|" + times_numbers + r"|[0-9]+(?:\.[0-9]+)?)\s+times|"
            + times_alone + r")\s+)?\Z", ix)
        trailing_words = [w for w in self.trailing if w[0].isalpha()]
        trailing_marks = [w for w in self.trailing if not w[0].isalpha()]
        self.trailing_re = re.compile(r"(?:\s+(?P<w>" + _alt(trailing_words) + r")|(?P<s>"
                                      + _alt(trailing_marks) + "))", ix)
        self.word_number = re.compile(
            r"(?<![\w" + _HY + r"])" + _gate(self.number_words) + r"(?P<w>" + word_numbers + r")"
            r"(?:[" + _HY + r"](?P<o>" + ones + r"))?"
            r"(?=\s+(?:" + mags + "|dozen|" + percent + "|" + nouns + r"))", ix)
        self.dozen = re.compile(r"\s+dozen(?!\w)", ix)
        # The first number of a range written in words: "two to three million", "five to 10 percent".
        head_words = _alt(self.number_words.keys() - self.words_needing_magnitude)
        self.range_head = re.compile(
            r"(?:(?P<rw>between|from)\s+)?(?P<w>" + head_words + r")(?:[" + _HY + r"](?P<o>" + ones + r"))?"
            r"(?P<c>\s+(?:to|and)\s+|\s*[" + _DASH + r"]\s*)\Z", ix)
        self.vague_re = re.compile(
            r"(?<!\w)" + _gate(self.vague) + r"(?P<q>" + _alt(self.vague) + r")"
            r"(?=\s+(?:" + mags + "|" + percent + "))", ix)
        self.plural_re = re.compile(
            r"(?<!\w)" + _gate(self.plural) + r"(?P<p>" + _alt(self.plural) + r")"
            r"(?P<chain>(?:\s+of\s+" + _alt(self.plural_chain) + r")*)", ix)
        self.of = re.compile(r"\s+of(?=\s)", ix)
        self.multiplier = re.compile(
            r"(?<![\w" + _HY + r"])" + _gate(self.multipliers) + r"(?P<w>" + _alt(self.multipliers)
            + r")(?![\w" + _HY + "])", ix)
        self.fold = re.compile(
            r"(?<![\w" + _HY + r"])(?P<n>" + _alt(self.number_words, end_guard=False)
            + r"|[0-9]+(?:\.[0-9]+)?)[" + _HY + r"]?(?P<f>" + "|".join(map(re.escape, self.fold_words))
            + r")(?!\w)", ix)
        self.next_word = re.compile(r"\s+(?P<w>[^\W_]+)")
        quals = _alt(self.decade_qualifiers.keys() - {""})
        # "single digits", "single-digit", "single digit": a space in a band name matches a hyphen too.
        bands = "(?:" + "|".join(_phrase_re(b).replace(r"\s+", f"[\\s{_HY}]+")
                                 for b in sorted(self.digit_bands, key=len, reverse=True)) + ")"
        self.band = re.compile(
            r"(?<![\w" + _HY + r"])"
            + _gate([*self.decade_qualifiers, *self.digit_bands], "1-9")
            + r"(?:(?P<q>" + quals + r")(?:[\s" + _HY + r"]+to[\s" + _HY + r"]+(?P<q2>" + quals + r"))?"
            r"[\s" + _HY + r"]+)?(?:the\s+)?"
            r"(?P<b>" + bands + r"|(?P<d>[1-9]0)['’]?s)(?!\w)",
            ix)
        self.band_percent = re.compile(r"\s*[" + _HY + r"]?\s*(?P<u>" + percent + ")", ix)
        self.sentence_break = re.compile(r"[.;!?](?=\s)|\n")


_G = _Grammar(load_tables())


# --------------------------------------------------------------------------- internal candidates


@dataclass
class _Core:
    """A quantity before its prefix words (comparators, approximations) are read."""

    start: int
    end: int
    low: float
    high: float
    unit: str
    approximate: bool = False
    comparator: str | None = None  # from inside the core ("60-plus")
    multiplier_word: str | None = None
    is_range: bool = False  # an explicit range ("20-25%"): comparator words do not apply
    amount: bool = False  # a plain amount that "several times ..." may multiply
    scale: float | None = None  # value / the number as written, for a range head ("two to three million")


@dataclass
class _Atom:
    """One number with its currency, magnitude and unit."""

    start: int
    end: int
    bare: float  # the number as written (minus sign applied)
    value: float  # bare times magnitude
    mag: float | None
    unit: str | None
    multiplier_word: str | None = None
    approximate: bool = False
    comparator: str | None = None
    plain_reject: bool = False  # a year, day, label or model number unless a range gives it a unit


# --------------------------------------------------------------------------- units


def _rate_in_context(text: str, start: int) -> str | None:
    """Rate named earlier in the clause: "monthly capacity reached 973,000 wafers" -> "per_month"."""
    lo = max(0, start - 80)
    window_start = lo
    for m in _G.sentence_break.finditer(text, lo, start):
        window_start = m.end()
    rate = None
    for m in _G.rate_ctx.finditer(text, window_start, start):
        rate = _G.rate_context.get(_key(m.group()))  # the nearest rate word wins
    return rate


def _with_rate(text: str, unit: str, end: int, ctx_start: int) -> tuple[str, int]:
    """Attach a rate to units that carry one: "20,000 wafers per month" -> wafers_per_month."""
    rates = _G.rate_units.get(unit)
    if not rates:
        return unit, end
    m = _G.rate_after.match(text, end)
    if m:
        rate = _G.rate_phrases[_key(m.group("r"))]
        if rate in rates:
            return rates[rate], m.end()
    rate = _rate_in_context(text, ctx_start)
    if rate in rates:
        return rates[rate], end
    return unit, end


def _unit_after(text: str, pos: int, *, has_mag: bool, ctx_start: int, modifiers: bool = True,
                nouns: bool = True, currencies: bool = True) -> tuple[str | None, int]:
    """The unit written after a number (and its magnitude), with where it ends.

    Percent before currency before symbols before count nouns:
    "60%"/"60 per cent" -> percent, "5 percentage points" -> percentage_points,
    "344 billion yuan" -> cny, "30 billion Gb" -> gigabits,
    "1 million H20 chips" -> units (up to three modifiers), "20,000 wafers per
    month" -> wafers_per_month, "5 billion pounds" -> gbp (but "500 pounds" is
    not money).
    """
    m = _G.percent.match(text, pos)
    if m:
        return _G.percent_units[_key(m.group("u"))], m.end()
    m = _G.cur_suffix.match(text, pos) if currencies else None
    if m:
        code, needs_mag = _G.suffix_cur[_key(m.group("u"))]
        if has_mag or not needs_mag:
            return code, m.end()
    m = _G.symbol.match(text, pos)
    if m:
        return _with_rate(text, _G.symbols[m.group("u")], m.end(), ctx_start)
    if nouns:
        m = (_G.noun if modifiers else _G.noun_direct).match(text, pos)
        if m:
            return _with_rate(text, _G.nouns[_key(m.group("u"))], m.end(), ctx_start)
    return None, pos


# --------------------------------------------------------------------------- numbers written in digits


def _is_plain_reject(text: str, s: int, e: int, number: str, value: float) -> bool:
    """A bare number that is a year, a day of a month, a label or part of a model name.

    "in 2026", "April 9", "9 April", "Section 232", "top 10", "Ascend 910 chips".
    """
    if "," in number or "." in number:
        return False
    if 1900 <= value <= 2099:
        return True
    if value <= 31 and (_G.month_before.search(text, max(0, s - 12), s) or _G.month_after.match(text, e)):
        return True
    if _G.label_before.search(text, max(0, s - 14), s):
        return True
    m = _G.capital_before.search(text, max(0, s - 30), s)
    if m and _key(m.group("tok")) not in _G.function_words:
        before = text[max(0, m.start() - 3):m.start()].rstrip()
        if before and before[-1] not in ".!?\"“\n":
            return True  # a capitalised word mid-sentence names a product: "Ascend 910", "Windows 11"
    return False


def _atom(text: str, m: re.Match[str], *, range_tail: bool = False) -> _Atom | None:
    """Read one number written in digits with what is glued around it.

    "US$5.5 billion" -> 5.5e9 usd; "NT$1.2tn" -> 1.2e12 twd; "-4%" -> -4 percent;
    "10x"/"10-fold" -> 900 percent (multiplier); "5-billion" -> 5e9;
    "H20", "910C", "4Q24", "3nm", "12-high", "16/14nm", "D:5" -> None.
    """
    s, e = m.span()
    number = m.group()
    bare = _to_float(number)
    if bare is None:
        return None
    n = len(text)
    start = s
    currency: str | None = None
    ambiguous = False
    pm = _G.cur_prefix.search(text, max(0, s - 10), s)
    if pm:
        b = pm.start()
        if b > 0 and text[b - 1].isalnum():
            return None  # "AB$5": an identifier, not money
        sym = _key(pm.group("c"), fold=False)
        currency = _G.prefix_cur[sym]
        ambiguous = sym in _G.ambiguous_prefixes
        start = b
    elif s > 0:
        prev = text[s - 1]
        before = text[s - 2] if s >= 2 else " "
        if prev in _DASHES:
            if before.isalnum() or before in "%)":
                if not range_tail:
                    return None  # "IIM-1", "COVID-19", the tail of a range already read
            elif prev in _MINUS:
                bare, start = -bare, s - 1
        elif not range_tail and not (prev.isspace() or prev in _OPENERS):
            return None  # "H20", "NXT:2050i", "16/14", "’25", "#1"
        elif prev in "+±" and before.isalnum():
            return None  # "N+2", a process or product name

    nxt = text[e] if e < n else ""
    nxt2 = text[e + 1] if e + 1 < n else ""
    if nxt in "/:." and nxt2.isdigit():
        return None  # "16/14nm", "24/7", "10:30", "1.2.3"
    pos = e
    mag: float | None = None
    unit: str | None = None
    mult: str | None = None
    needs_noun = False
    comparator: str | None = None
    am = _G.attached_suffix.match(text, e)
    if am:
        suffix = am.group("s")
        if suffix in _TIMES_SIGNS:
            mult = text[s:am.end()]
        elif suffix in _G.attached_percent:
            unit = "percent"
        else:
            factor, needs_currency = _G.attached[suffix]
            # "5m" alone may be metres and "5M" a model: without a currency these
            # suffixes count only before a count noun ("40K wafers", "5m units").
            needs_noun = needs_currency and currency is None
            mag = factor
        pos = am.end()
    elif nxt.isalpha() or nxt == "_":
        return None  # "910C", "2H26", "4Q24", "8th", "3nm", "1990s"
    elif nxt in "'’" and nxt2.isalpha():
        return None  # "1990's"
    elif nxt in _HYPHENS and nxt2.isalpha():
        hm = _G.hyphen_word.match(text, e)
        word = _key(hm.group("w")) if hm else ""
        if word in _G.magnitudes:
            mag = _G.magnitudes[word]
        elif word in _G.fold_words:
            mult = text[s:hm.end()]
        elif word in _G.percent_units:
            unit = _G.percent_units[word]
        elif "-" + word in _G.trailing:
            comparator = _G.trailing["-" + word]  # "60-plus" -> ">=", "50-odd" -> "~"
        else:
            return None  # "12-high", "8-inch", "5-year": an adjective, not a quantity
        pos = hm.end()

    if mult is None and mag is None and unit is None:
        mm = _G.mag_words.match(text, pos)
        if mm:
            mag = _G.magnitudes[_key(mm.group("m1"))]
            if mm.group("m2"):
                mag *= _G.magnitudes[_key(mm.group("m2"))]
            pos = mm.end()
        elif currency is None:
            if _G.reject_after.match(text, pos):
                return None  # "3 nm", "300 mm", "10 a.m."
            tm = _G.times.match(text, pos)
            if tm:
                if not tm.group("cmp"):
                    return None  # "3 times US$5 billion": the amount reads it; "cut rates 3 times"
                mult = text[s:tm.end("t")]  # "3 times larger": the word after stays out of the span
                pos = tm.end("t")

    if mult is not None:
        value = (bare - 1.0) * 100.0
        return _Atom(start, pos, value, value, None, "percent", multiplier_word=mult)

    if currency is not None and unit is None:
        unit = currency
        if ambiguous:
            cm = _G.cur_suffix.match(text, pos)
            if cm:
                code, _needs = _G.suffix_cur[_key(cm.group("u"))]
                unit, pos = code, cm.end()  # "¥344 billion yuan" is yuan
    elif unit is None:
        unit, pos = _unit_after(text, pos, has_mag=mag is not None, ctx_start=start,
                                currencies=not needs_noun)
    if needs_noun and (unit is None or unit in _G.percent_kinds):
        return None

    value = _scaled(bare, mag) if mag is not None else bare
    if not math.isfinite(value):
        return None
    plain = (currency is None and mag is None and unit not in _G.percent_kinds
             and unit not in _G.currency_codes)
    reject = plain and _is_plain_reject(text, s, e, number, bare)
    return _Atom(start, pos, bare, value, mag, unit, comparator=comparator, plain_reject=reject)


def _merge_range(a: _Atom, b: _Atom) -> _Core | None:
    """Join two numbers of a range: "20-25%", "US$38 to 42 billion", "US$38 billion to US$42 billion".

    The first number borrows the unit and the magnitude of the second
    ("1.5 to 2 million units"), unless it is already larger than the second
    number's digits ("1,000 to 2 million" keeps 1,000).  Different units are
    two quantities, not a range ("162% to US$188 million").
    """
    if a.unit and b.unit and a.unit != b.unit:
        return None
    if a.unit and not b.unit and a.unit not in _G.currency_codes:
        return None  # "up 10% to 15": the 15 is something else
    if a.mag is not None and b.mag is None:
        return None
    low = a.value
    if a.mag is None and b.mag is not None and abs(a.bare) <= abs(b.bare):
        low = _scaled(a.bare, b.mag)
    high = b.value
    if low > high:
        if low < 0 and high < 0:
            low, high = high, low  # "-4% to -6%"
        else:
            return None  # "3-2 vote", "from 10 to 5"
    unit = a.unit or b.unit or "count"
    return _Core(a.start, b.end, low, high, unit, approximate=a.approximate or b.approximate, is_range=True)


def _numeric_cores(text: str) -> list[_Core]:
    """Quantities written with digits, ranges included.

    "over 60%", "US$38 billion to US$42 billion", "20–25%", "between US$14
    billion and US$18 billion", "4-6%", "200,000 units", "20,000 wafers per
    month", "140 entities" (unit "count"), "10x".  "from 31% to 39%" is two
    quantities (a change from one level to another), "ranging from 5% to 8%"
    is a range.
    """
    cores: list[_Core] = []
    last_end = 0
    for m in _G.number.finditer(text):
        if m.start() < last_end:
            continue
        a = _atom(text, m)
        if a is None:
            continue
        core: _Core | None = None
        dash_digit = a.end + 1 < len(text) and text[a.end] in _DASHES and text[a.end + 1].isdigit()
        if a.multiplier_word is None:
            core = _try_range(text, a, last_end)
        if core is None:
            if a.plain_reject or dash_digit:
                continue  # a year, a date, a label; "3-2" that is no range
            core = _Core(a.start, a.end, a.value, a.value, a.unit or "count", approximate=a.approximate,
                         comparator=a.comparator, multiplier_word=a.multiplier_word,
                         amount=a.multiplier_word is None,
                         scale=(a.mag or 1.0) if a.multiplier_word is None else None)
        cores.append(core)
        last_end = core.end
    return cores


def _try_range(text: str, a: _Atom, floor: int) -> _Core | None:
    conn = _G.range_conn.match(text, a.end)
    if not conn:
        return None
    word = conn.group("c").strip().lower()
    pre = _G.prefix.search(text, max(floor, a.start - _PREFIX_WINDOW), a.start)
    rw = (pre.group("rw") or "").lower() if pre else ""
    if word == "and" and rw != "between":
        return None
    if word in ("to", "through", "thru") and rw == "from":
        return None  # "from 31% to 39%": a change between two levels
    c = conn.end()
    m2 = _G.number.search(text, c, min(len(text), c + 12))
    if not m2:
        return None
    m2 = _G.number.match(text, m2.start()) or m2  # never read a number cut at the search window
    b = _atom(text, m2, range_tail=True)
    if b is None or b.start != c or b.multiplier_word is not None:
        return None
    if a.plain_reject or b.plain_reject:
        return None  # "in 2025 to 1.24 billion units", "2024-2026"
    if word in _DASHES and a.bare == b.bare:
        return None  # "a 50-50 joint venture"
    return _merge_range(a, b)


# --------------------------------------------------------------------------- numbers written in words


def _word_number_cores(text: str) -> list[_Core]:
    """Numbers written in words: only before a magnitude, "dozen", a percent word or a plural noun.

    "half a trillion dollars" -> 5e11 usd; "two billion yuan" -> 2e9 cny;
    "a million chips" -> 1e6 units; "two dozen" -> 24 count; "five percent"
    -> 5 percent; "three fabs" -> 3 fabs.  "one of", "eight companies" -> nothing.
    """
    cores = []
    for m in _G.word_number.finditer(text):
        value = _G.number_words[_key(m.group("w"))]
        if m.group("o"):
            if value < 20 or not value.is_integer() or value % 10:
                continue
            value += _G.number_words[_key(m.group("o"))]
        pos = m.end()
        dm = _G.dozen.match(text, pos)
        mm = _G.mag_words.match(text, pos)
        if dm:
            value *= 12
            unit, end = _unit_after(text, dm.end(), has_mag=False, ctx_start=m.start(), modifiers=False)
            cores.append(_Core(m.start(), end, value, value, unit or "count", amount=True, scale=12.0))
            continue
        if mm:
            if mm.end() < len(text) and text[mm.end()] in _HYPHENS:
                continue  # "a billion-dollar deal"
            scale = _G.magnitudes[_key(mm.group("m1"))]
            if mm.group("m2"):
                scale *= _G.magnitudes[_key(mm.group("m2"))]
            value = _scaled(value, scale)
            unit, end = _unit_after(text, mm.end(), has_mag=True, ctx_start=m.start())
            cores.append(_Core(m.start(), end, value, value, unit or "count", amount=True, scale=scale))
            continue
        if _key(m.group("w")) in _G.words_needing_magnitude:
            continue
        pm = _G.percent.match(text, pos)
        if pm:
            unit = _G.percent_units[_key(pm.group("u"))]
            cores.append(_Core(m.start(), pm.end(), value, value, unit, scale=1.0))
            continue
        if value >= 2:
            unit, end = _unit_after(text, pos, has_mag=False, ctx_start=m.start(), modifiers=False)
            if unit and unit not in _G.currency_codes:
                cores.append(_Core(m.start(), end, value, value, unit, amount=True, scale=1.0))
    return cores


def _vague_cores(text: str) -> list[_Core]:
    """Vague multiples of a magnitude: "several million" -> 2e6..9e6, "a few billion" -> 2e9..5e9.

    "several trillion won" -> 2e12..9e12 krw; "several hundred thousand units"
    -> 2e5..9e5 units; "a few percentage points" -> 2..5 percentage_points.
    """
    cores = []
    for m in _G.vague_re.finditer(text):
        lo, hi = _G.vague[_key(m.group("q"))]
        mm = _G.mag_words.match(text, m.end())
        if mm:
            mag = _G.magnitudes[_key(mm.group("m1"))]
            if mm.group("m2"):
                mag *= _G.magnitudes[_key(mm.group("m2"))]
            unit, end = _unit_after(text, mm.end(), has_mag=True, ctx_start=m.start())
            cores.append(_Core(m.start(), end, _scaled(lo, mag), _scaled(hi, mag), unit or "count",
                               approximate=True))
            continue
        pm = _G.percent.match(text, m.end())
        if pm:
            unit = _G.percent_units[_key(pm.group("u"))]
            cores.append(_Core(m.start(), pm.end(), lo, hi, unit, approximate=True))
    return cores


def _plural_cores(text: str) -> list[_Core]:
    """Plural magnitudes: "billions of dollars" -> 2e9..9e9 usd, "hundreds of thousands" -> 2e5..9e5.

    "tens of billions of yuan" -> 2e10..9e10 cny; "dozens of chips" -> 24..99
    units; "thousands of" with no unit after it -> count.
    """
    cores = []
    for m in _G.plural_re.finditer(text):
        lo, hi = _G.plural[_key(m.group("p"))]
        for word in re.findall(r"[A-Za-z]+", m.group("chain")):
            if word.lower() != "of":
                factor = _G.plural_chain[word.lower()]
                lo, hi = _scaled(lo, factor), _scaled(hi, factor)
        unit, end = None, m.end()
        om = _G.of.match(text, m.end())
        if om:
            unit, uend = _unit_after(text, om.end(), has_mag=True, ctx_start=m.start())
            if unit in _G.percent_kinds:
                unit = None
            if unit:
                end = uend
        cores.append(_Core(m.start(), end, lo, hi, unit or "count", approximate=True))
    return cores


def _multiplier_cores(text: str) -> list[_Core]:
    """Multiplier words as a percent change: "double" -> 100, "triple" -> 200, "tenfold" -> 900.

    "halve"/"cut in half" -> -50; "2.5-fold" -> 150.  "double-digit",
    "double patterning", "doubling down" are not multipliers.
    """
    cores = []
    for m in _G.multiplier.finditer(text):
        nw = _G.next_word.match(text, m.end())
        if nw and _key(nw.group("w")) in _G.multiplier_blockers:
            continue
        value = _G.multipliers[_key(m.group("w"))]
        cores.append(_Core(m.start(), m.end(), value, value, "percent", multiplier_word=m.group()))
    if "fold" in text.lower():  # the fold regex is costly and "fold" is rare: run it only when needed
        for m in _G.fold.finditer(text):
            n = m.group("n")
            factor = _G.number_words.get(_key(n))
            if factor is None:
                factor = _to_float(n)
            if factor is None or factor <= 1:
                continue
            value = (factor - 1.0) * 100.0
            cores.append(_Core(m.start(), m.end(), value, value, "percent", multiplier_word=m.group()))
    return cores


def _band_cores(text: str) -> list[_Core]:
    """Decade and digit bands: "mid-20s percent" -> 25 "~", "low-20s" -> 21..23, "high teens" -> 17..19.

    "mid-to-high single digits" -> 5..9; "double-digit growth" -> 10..99.  A
    band is a percentage when a percent word follows it or a change or ratio
    word stands next to it; otherwise ("in their mid-20s") it is skipped.
    """
    cores = []
    for m in _G.band.finditer(text):
        q = _key(m.group("q") or "")
        q2 = _key(m.group("q2") or "") or q
        if m.group("d"):
            if not q:
                continue  # "the 1920s", "in their 20s"
            base = float(m.group("d"))
            lo = base + _G.decade_qualifiers[q][0]
            hi = base + _G.decade_qualifiers[q2][1]
        else:
            band = _G.digit_bands.get(_key(m.group("b")).replace("-", " "))
            if band is None:
                continue
            if q not in band or q2 not in band:
                continue
            lo, hi = band[q][0], band[q2][1]
        end = m.end()
        pm = _G.band_percent.match(text, end)
        if pm:
            end = pm.end()
        elif not _percent_context(text, m.start(), m.end()):
            continue
        cores.append(_Core(m.start(), end, lo, hi, "percent", approximate=True))
    return cores


# Fractions as percentages: "fall by nearly half" -> 50, "a third of its revenue" -> 33.3, "one in five" -> 20.
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0,
              "thirds": 100 / 3, "quarters": 25.0, "fifths": 20.0}
_FRACTION = re.compile(r"\b(?:(?:a|one)[- ](?P<one>half|third|quarter|fifth|tenth)|(?P<bare>half)|"
                       r"(?P<many>two|three)[- ](?P<part>thirds|quarters|fifths)|one (?:in|out of) (?P<n>two|three|"
                       r"four|five|six|seven|eight|nine|ten|\d+))\b", re.IGNORECASE)
_FRACTION_CHANGE = re.compile(r"\b(?:by|fall|falls|fell|drop|drops|dropped|cut|cuts|rise|rises|rose|grow|grows|grew|"
                              r"decline[sd]?|decrease[sd]?|plunge[sd]?|slump(?:s|ed)?|shrink|shrank|jump(?:s|ed)?|"
                              r"lose|lost|reduce[sd]?)\b(?:\s+[\w-]+){0,3}\s*$", re.IGNORECASE)
_FRACTION_HEDGE = re.compile(r"\b(?:about|around|roughly|nearly|almost|some|as much as|as many as|at least|up to|"
                             r"more than|less than|over|under)\s*$", re.IGNORECASE)
_NOT_A_FRACTION = re.compile(r"\b(?:first|second|third|fourth|latter|former|back|the|this|next|last|each|per|"
                             r"every)\s*$", re.IGNORECASE)
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _fraction_cores(text: str) -> list[_Core]:
    """Fractions that state a share or a change: "nearly half", "as much as a third", "one in five".

    Only after a change word ("fall by nearly half") or before "of" ("a third of the fund"), and
    never as a period ("the second half", "a quarter").
    """
    cores = []
    for m in _FRACTION.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        if _NOT_A_FRACTION.search(before):
            continue
        followed_by_of = re.match(r"\s+of\b", text[m.end():m.end() + 4]) is not None
        hedged = _FRACTION_HEDGE.search(before)
        if not (m.group("n") or followed_by_of or hedged or _FRACTION_CHANGE.search(before)):
            continue
        if m.group("n"):
            n = _SMALL_NUMBERS.get(m.group("n").lower()) or float(m.group("n"))
            if not n:
                continue
            value = 100.0 / n
        elif m.group("part"):
            value = _FRACTIONS[m.group("part").lower()] * _SMALL_NUMBERS[m.group("many").lower()]
        else:
            value = _FRACTIONS[(m.group("one") or m.group("bare")).lower()]
        cores.append(_Core(m.start(), m.end(), round(value, 1), round(value, 1), "percent"))
    return cores


def _percent_context(text: str, start: int, end: int) -> bool:
    """A change or ratio word right after the band or shortly before it ("margins in the high teens")."""
    nw = _G.next_word.match(text, end)
    if nw and _key(nw.group("w")) in _G.percent_context:
        return True
    words = re.findall(r"[^\W_]+", text[max(0, start - 40):start])
    return any(_key(w) in _G.percent_context for w in words[-4:])


# --------------------------------------------------------------------------- comparators and assembly


def _decorate(text: str, core: _Core, floor: int) -> Quantity:
    """Read the words around a core quantity and turn it into a Quantity.

    Before: comparators ("over", "at least", "up to", "below"), approximation
    words ("about", "nearly", "close to"), "between", and multipliers of an
    amount ("several times US$16.5 billion").  After: "or more", "or less",
    "+", "or so".  "up to about US$5.5 billion" -> None..5.5e9 "<=" approximate.
    """
    start, end = core.start, core.end
    low, high = core.low, core.high
    approximate = core.approximate
    multiplier_word = core.multiplier_word
    cmp = core.comparator
    pre = _G.prefix.search(text, max(floor, start - _PREFIX_WINDOW), start)
    if pre and pre.start() < start:
        if pre.group("cmp"):
            cmp = _G.comparators[_key(pre.group("cmp"))]
        if pre.group("approx") or pre.group("approx0"):
            approximate = True
        mult = pre.group("mult")
        if mult and core.amount and not core.is_range:
            first = _key(mult.split()[0])
            factors = _G.times_words.get(first) or _G.times_adverbs.get(first)
            if factors is None:
                f = _G.number_words.get(first)
                if f is None:
                    f = _to_float(first) or 1.0
                factors = (f, f)
            low, high = _scaled(low, factors[0]), _scaled(high, factors[1])
            multiplier_word = _key(mult)
            approximate = approximate or factors[0] != factors[1]
        # "between"/"ranging from" belong to a range's text; "from" alone never does.
        if core.is_range and (pre.group("rw") or "").lower() not in ("", "from"):
            start = pre.start()
        else:
            starts = [pre.start(g) for g in ("cmp", "approx", "mult") if pre.group(g)]
            if pre.group("approx0") and not pre.group("rw"):
                starts.append(pre.start("approx0"))
            if starts:
                start = min(starts)
    if cmp is None and not core.is_range:
        tm = _G.trailing_re.match(text, end)
        if tm:
            cmp = _G.trailing[_key(tm.group("w") or tm.group("s"))]
            end = tm.end()
    if cmp == "~":
        approximate, cmp = True, None
    if core.is_range or cmp is None:
        comparator = "~" if approximate else "="
    else:
        comparator = cmp
        if cmp in (">", ">="):
            high = None
        else:
            low = None
    return Quantity(low, high, core.unit, comparator, start, end, text[start:end],
                    approximate=approximate, multiplier_word=multiplier_word)


def _word_range_heads(text: str, cores: list[_Core]) -> None:
    """Widen a quantity into a range whose first number is a word.

    "two to three million units" -> 2e6..3e6 units; "five to 10 percent" ->
    5..10; "between two and three billion yuan".  "from two to three" stays a
    change between two levels.
    """
    for core in cores:
        if core.scale is None or core.is_range or core.low != core.high or core.comparator:
            continue
        m = _G.range_head.search(text, max(0, core.start - 40), core.start)
        if not m:
            continue
        conn = m.group("c").strip().lower()
        rw = (m.group("rw") or "").lower()
        if (conn == "and") != (rw == "between") or (conn == "to" and rw == "from"):
            continue
        value = _G.number_words[_key(m.group("w"))]
        if m.group("o"):
            if value < 20 or value % 10:
                continue
            value += _G.number_words[_key(m.group("o"))]
        low = _scaled(value, core.scale)
        if low < core.low:
            core.start, core.low, core.is_range = m.start("w"), low, True


def _scan(text: str) -> list[Quantity]:
    """find_quantities without the safety net (the tests fuzz this one)."""
    cores = _numeric_cores(text)
    if any(c.isalpha() for c in text):
        cores += _word_number_cores(text)
        cores += _vague_cores(text)
        cores += _plural_cores(text)
        cores += _multiplier_cores(text)
        cores += _band_cores(text)
        cores += _fraction_cores(text)
        _word_range_heads(text, cores)
    cores.sort(key=lambda c: (c.start, c.start - c.end))
    out: list[Quantity] = []
    last_end = 0
    for core in cores:
        if core.start < last_end:
            continue  # overlaps a longer or earlier quantity
        q = _decorate(text, core, last_end)
        out.append(q)
        last_end = q.end
    return out


def has_magnitude(quantity: Quantity) -> bool:
    """Whether a quantity is written with a magnitude word of the grammar ("$30 billion", "5bn", "millions
    of"), not as a plain amount ("$45", "98,000 won")."""
    words = re.findall(r"[A-Za-z]+", quantity.raw)
    return any(_key(w) in _G.magnitudes or _key(w) in _G.plural or w in _G.attached for w in words) or any(
        re.search(rf"\d{re.escape(suffix)}\b", quantity.raw) for suffix in _G.attached)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in a sentence, left to right, non-overlapping, never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _scan(text)
    except Exception:  # a grammar bug must not take a pipeline run down: lose this sentence only
        log.warning("quantity grammar failed on %r", text[:200], exc_info=True)
        return []
