"""Forecasts settled by the corpus's own observations: a later article reports the actual figure.

An observation (table ``observations``) settles a forecast when

- it is about the same thing: the same ``subject_actor_id`` (TSMC's capex), or,
  for a market forecast with no subject, no subject either and the same target
  words once years and case are set aside ("global smartphone shipments"; words
  that name no market, "its share" or "revenue", match nothing);
- of the same ``metric`` and ``unit``, and about exactly the forecast's horizon
  (``period_start``/``period_end`` = ``horizon_start``/``horizon_end``: a
  full-year forecast is not settled by a quarter's figure);
- and its document was published after the forecast was issued and after the
  horizon ended (a figure for a year still under way is no outcome).

The forecast is then ``resolved_true`` when the value meets it by
:func:`pipeline.release.resolutions.is_hit` with a tolerance of
``OBSERVED_TOLERANCE`` of its bound for ``=``, ``>``, ``<`` and their kin (reported
figures are rounded: "US$40.9 billion"), and ``~``'s own 10%; else ``resolved_false``.
The earliest matching observation (by publication, document, offset) is the
one recorded. Observations are never averaged: when they disagree on whether the
forecast came true, it stays open with ``resolution_conflict``, and every one of
them stays in ``observations``; ``resolutions.yaml`` is applied afterwards and
overrides either way.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.release.resolutions import is_hit, with_outcome_columns

OBSERVED_TOLERANCE = 0.02  # of the forecast's bound: "US$40 billion" is met by a reported US$40.6 billion
# A year with its preposition ("in 2025"), a possessive, punctuation, a leading article.
YEARS_AND_MARKS = re.compile(r"(?:\b(?:in|for|by|during|through|of)\s+)?\b(?:19|20)\d{2}\b|['’]s?\b|[^\w\s]|"
                             r"^\s*(?:the|a|an)\b")


def market_key(target: str) -> str:
    """A target's words without years, possessives, punctuation and case: "Global smartphone shipments in
    2025" and "global smartphone shipments" are one market."""
    return " ".join(YEARS_AND_MARKS.sub(" ", target.lower()).split())


# A market's words must name one: not a pronoun's ("its share") nor a single word ("revenue", "prices").
VAGUE_MARKET = re.compile(r"^(?:its|their|his|her|our|this|that|these|those)\b|^\S*$")


def _about(df: pd.DataFrame, subject: str, target: str) -> pd.Series:
    """What a row is about: its subject, else its market's words; null when it names neither."""
    markets = df[target].map(market_key)
    markets = ("market:" + markets).where(~markets.str.contains(VAGUE_MARKET))
    return df[subject].where(df[subject].notna(), markets)


def observed_tolerance(comparator: str, low: float | None, high: float | None) -> float | None:
    """The slack an observed value gets against a forecast (None: `~` keeps its own 10%)."""
    if comparator == "~":
        return None
    bounds = [abs(float(v)) for v in (low, high) if v is not None and not pd.isna(v)]
    return OBSERVED_TOLERANCE * max(bounds)


def matching_observations(forecasts: pd.DataFrame, observations: pd.DataFrame,
                          documents: pd.DataFrame) -> pd.DataFrame:
    """Pairs (forecast index as ``forecast_index``, observation columns, ``published``) of each forecast with
    the observations that may settle it, earliest first."""
    published = documents.set_index("doc_id")["published_date"]
    seen = observations.assign(about=_about(observations, "subject_actor_id", "target"),
                               published=pd.to_datetime(observations["doc_id"].map(published)))
    made = forecasts[forecasts["horizon_end"].notna() & forecasts["issued_date"].notna()
                     & (forecasts["value_low"].notna() | forecasts["value_high"].notna())]
    made = made.assign(about=_about(made, "subject_actor_id", "target"), forecast_index=made.index)
    seen, made = seen[seen["about"].notna()], made[made["about"].notna()]  # a merge would pair null with null
    keys = ["about", "metric", "unit"]
    pairs = made[[*keys, "forecast_index", "horizon_start", "horizon_end", "issued_date"]].merge(
        seen.drop(columns=["target", "subject_actor_id"]), on=keys)
    pairs = pairs[(pd.to_datetime(pairs["period_start"]) == pd.to_datetime(pairs["horizon_start"]))
                  & (pd.to_datetime(pairs["period_end"]) == pd.to_datetime(pairs["horizon_end"]))
                  & (pairs["published"] > pd.to_datetime(pairs["issued_date"]))
                  & (pairs["published"] > pd.to_datetime(pairs["horizon_end"]))]
    return pairs.sort_values(["forecast_index", "published", "doc_id", "figure_start"], kind="stable")


def resolve_by_observations(forecasts: pd.DataFrame, observations: pd.DataFrame,
                            documents: pd.DataFrame) -> pd.DataFrame:
    """The forecasts with those the observations settle resolved (see the module docstring)."""
    out = with_outcome_columns(forecasts)
    out["matching_observations"] = 0
    out["resolution_conflict"] = False
    if out.empty or observations.empty:
        return out
    for index, found in matching_observations(out, observations, documents).groupby("forecast_index", sort=False):
        row = out.loc[index]
        tolerance = observed_tolerance(row["comparator"], row["value_low"], row["value_high"])
        hits = {is_hit(row["comparator"], row["value_low"], row["value_high"], value, tolerance)
                for value in found["value"]}
        out.at[index, "matching_observations"] = len(found)
        out.at[index, "resolution_conflict"] = found["value"].nunique() > 1
        if len(hits) > 1:
            continue  # sources disagree on the outcome: left open, both kept
        first = found.iloc[0]
        out.at[index, "resolution_status"] = "resolved_true" if hits.pop() else "resolved_false"
        out.at[index, "observed_value"] = first["value"]
        out.at[index, "observed_date"] = first["published"]
        out.at[index, "resolution_source"] = f"{first['doc_id']}:{first['char_start']}-{first['char_end']}"
        out.at[index, "resolution_method"] = "observation"
        out.at[index, "resolution_observation_id"] = first["observation_id"]
    return out
