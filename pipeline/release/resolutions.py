"""Forecast resolution: outcomes kept in ``resolutions.yaml`` close the forecasts whose horizon has passed.

The file is a YAML list; each entry names one forecast by id, or several by
forecaster, target text and horizon year, and says what was observed::

    - forecast_id: 5349bc0871f53e2c        # one forecast, by its stable id
      observed_value: 230000
      observed_on: 2026-02-15               # when the value was published or observed
      source: https://example.org/huawei-ascend-2025-output

    - match:                                # every forecast matching all three
        forecaster_actor_id: trendforce
        target_contains: AI chip market     # case-insensitive substring of `target`
        horizon_year: 2026                  # the year `horizon_end` falls in
      observed_value: 64
      observed_on: 2027-01-20
      source: "TrendForce, China AI chip market review 2026"
      tolerance: 2                          # optional, in the forecast's unit (see below)

A forecast resolves ``resolved_true`` when the observed value meets it:
``=`` within [value_low, value_high]; ``~`` the same range widened by 10% of
each bound (about, roughly); ``>``/``>=``/``<``/``<=`` against its bound. An
entry's ``tolerance`` widens the range by that amount instead. Otherwise it
resolves ``resolved_false``; either way ``observed_value``, ``observed_date``
and ``resolution_source`` are filled in, with ``resolution_method`` ``manual``. An entry overrides a
resolution by an observation of the corpus (:mod:`pipeline.release.observed`).

Mistakes stop the build with every problem named by its line: an unknown key
or forecast id, a match that finds nothing, a missing or ill-typed value, a
forecast whose horizon had not passed on the day observed, or one resolved
twice.

The file is ``resolutions.yaml`` at the project root unless the environment
variable ``CHIPGEO_RESOLUTIONS`` names another; without the file, forecasts
stay open.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pipeline.sources.ingest import shown

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = PROJECT_ROOT / "resolutions.yaml"
ENV_VAR = "CHIPGEO_RESOLUTIONS"
ABOUT_TOLERANCE = 0.10  # `~` accepts values within 10% of the range's bounds

ENTRY_KEYS = {"forecast_id", "match", "observed_value", "observed_on", "source", "tolerance"}
MATCH_KEYS = {"forecaster_actor_id", "target_contains", "horizon_year"}


class ResolutionError(ValueError):
    """resolutions.yaml is malformed or names forecasts that cannot be resolved."""


@dataclass(frozen=True)
class Match:
    forecaster_actor_id: str
    target_contains: str
    horizon_year: int


@dataclass(frozen=True)
class Resolution:
    line: int
    observed_value: float
    observed_on: dt.date
    source: str
    forecast_id: str | None = None
    match: Match | None = None
    tolerance: float | None = None


def resolutions_path() -> Path:
    """The resolutions file in force: ``$CHIPGEO_RESOLUTIONS`` or ``resolutions.yaml`` at the project root."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured).expanduser() if configured else DEFAULT_FILE


class _Problems:
    """Every problem of a file, each at its line; raised together as ``error`` (curation.py shares it)."""

    def __init__(self, path: Path, error: type[ValueError] = ResolutionError):
        self.path = path
        self.error = error
        self.items: list[str] = []

    def add(self, node: yaml.Node, message: str) -> None:
        self.items.append(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def raise_if_any(self) -> None:
        if len(self.items) == 1:
            raise self.error(self.items[0])
        if self.items:
            raise self.error(f"{self.items[0]} (and {len(self.items) - 1} more problem(s))\n" + "\n".join(self.items))


def _value(node: yaml.Node):
    """The node's Python value; a scalar YAML cannot build (``2025-02-30`` looks like a date and is none) stays
    its text, for the key's own check to report at its line."""
    try:
        return yaml.SafeLoader("").construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        if isinstance(node, yaml.ScalarNode):
            return node.value
        raise


def _text(node: yaml.Node) -> str | None:
    """A scalar as written: ids like `0000000000001234` stay text instead of turning into numbers."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _mapping(node: yaml.Node, allowed: set[str], what: str,
             problems: _Problems) -> dict[str, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        problems.add(node, f"{what} must be a mapping of keys to values")
        return None
    items = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in allowed:
            problems.add(key_node, f"unknown key {shown(key)} in {what} (expected: {', '.join(sorted(allowed))})")
        elif key in items:
            problems.add(key_node, f"key {key!r} given twice")
        else:
            items[key] = value_node
    return items


def _number(node: yaml.Node, key: str, problems: _Problems) -> float | None:
    value = _value(node)
    if isinstance(value, str):  # YAML 1.1 reads 2.5e6 (no sign after the e) as text
        try:
            value = float(value.replace("_", ""))
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.add(node, f"{key} must be a number, not {shown(value)}")
        return None
    return float(value)


def _entry(node: yaml.Node, problems: _Problems) -> Resolution | None:
    before = len(problems.items)
    items = _mapping(node, ENTRY_KEYS, "a resolution", problems)
    if items is None:
        return None
    forecast_id, match = None, None
    if ("forecast_id" in items) == ("match" in items):
        problems.add(node, "a resolution needs exactly one of forecast_id or match")
    if "forecast_id" in items:
        forecast_id = _text(items["forecast_id"])
        if not forecast_id:
            problems.add(items["forecast_id"], "forecast_id must be one id, e.g. 5349bc0871f53e2c")
    if "match" in items:
        fields = _mapping(items["match"], MATCH_KEYS, "match", problems)
        if fields is not None:
            missing = MATCH_KEYS - set(fields)
            if missing:
                problems.add(items["match"], f"match lacks {', '.join(sorted(missing))}")
            else:
                actor, text = _text(fields["forecaster_actor_id"]), _text(fields["target_contains"])
                year = _value(fields["horizon_year"])
                if not actor or not text or not text.strip():
                    problems.add(items["match"], "forecaster_actor_id and target_contains must be text")
                elif isinstance(year, bool) or not isinstance(year, int):
                    problems.add(fields["horizon_year"], f"horizon_year must be a year, not {shown(year)}")
                else:
                    match = Match(actor, text, year)
    for key in ("observed_value", "observed_on", "source"):
        if key not in items:
            problems.add(node, f"a resolution needs {key}")
    value = None
    if "observed_value" in items:
        value = _number(items["observed_value"], "observed_value", problems)
    observed_on = _value(items["observed_on"]) if "observed_on" in items else None
    is_day = isinstance(observed_on, dt.date) and not isinstance(observed_on, dt.datetime)
    if "observed_on" in items and not is_day:
        problems.add(items["observed_on"], f"observed_on must be a date (YYYY-MM-DD), not {shown(observed_on)}")
    source = _value(items["source"]) if "source" in items else None
    if "source" in items and (not isinstance(source, str) or not source.strip()):
        problems.add(items["source"], "source must be a URL or a citation")
    tolerance = _number(items["tolerance"], "tolerance", problems) if "tolerance" in items else None
    if tolerance is not None and tolerance < 0:
        problems.add(items["tolerance"], "tolerance must not be negative")
    if len(problems.items) > before:
        return None
    return Resolution(line=node.start_mark.line + 1, observed_value=value, observed_on=observed_on,
                      source=source.strip(), forecast_id=forecast_id, match=match, tolerance=tolerance)


def _entries(text: str, problems: _Problems, what: str) -> list[yaml.Node]:
    """The nodes of a YAML list file's entries; not YAML or not a list raises ``problems.error``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise problems.error(f"{problems.path}{line}: not valid YAML: {error.problem or error}") from error
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        problems.add(root, f"the file must be a list of {what} (each starting with `- `)")
        problems.raise_if_any()
    return root.value


def parse_resolutions(text: str, path: Path) -> list[Resolution]:
    """The entries of a resolutions file; raises :class:`ResolutionError` naming every bad line."""
    problems = _Problems(path)
    entries = [_entry(node, problems) for node in _entries(text, problems, "resolutions")]
    problems.raise_if_any()
    return [e for e in entries if e is not None]


def load_resolutions(path: Path) -> list[Resolution]:
    return parse_resolutions(path.read_text(encoding="utf-8"), path)


def is_hit(comparator: str, low: float | None, high: float | None, observed: float,
           tolerance: float | None = None) -> bool:
    """Whether an observed value meets a forecast (see the module docstring)."""
    low = None if low is None or pd.isna(low) else float(low)
    high = None if high is None or pd.isna(high) else float(high)
    if low is None and high is None:
        raise ValueError("a forecast without a value cannot be resolved")
    if comparator in (">", ">="):
        bound = low if low is not None else high
        slack = tolerance or 0.0
        return observed > bound - slack if comparator == ">" else observed >= bound - slack
    if comparator in ("<", "<="):
        bound = high if high is not None else low
        slack = tolerance or 0.0
        return observed < bound + slack if comparator == "<" else observed <= bound + slack
    low = low if low is not None else high
    high = high if high is not None else low
    if tolerance is not None:
        below, above = tolerance, tolerance
    elif comparator == "~":
        below, above = abs(low) * ABOUT_TOLERANCE, abs(high) * ABOUT_TOLERANCE
    else:
        below = above = 0.0
    return low - below <= observed <= high + above


def _targets(entry: Resolution, forecasts: pd.DataFrame) -> pd.Index:
    if entry.forecast_id is not None:
        return forecasts.index[forecasts["forecast_id"] == entry.forecast_id]
    match = entry.match
    horizon_year = pd.to_datetime(forecasts["horizon_end"]).dt.year
    chosen = ((forecasts["forecaster_actor_id"] == match.forecaster_actor_id)
              & forecasts["target"].str.contains(match.target_contains, case=False, regex=False, na=False)
              & (horizon_year == match.horizon_year))
    return forecasts.index[chosen]


def with_outcome_columns(forecasts: pd.DataFrame) -> pd.DataFrame:
    """A copy of the forecasts with the columns an outcome fills in, of the types they take."""
    out = forecasts.copy()
    for column in ("observed_value", "observed_date", "resolution_source", "resolution_method",
                   "resolution_observation_id"):
        if column not in out.columns:
            out[column] = None
    out["observed_value"] = out["observed_value"].astype("float64")
    out["observed_date"] = pd.to_datetime(out["observed_date"])
    for column in ("resolution_source", "resolution_method", "resolution_observation_id"):
        out[column] = out[column].astype(object)
    return out


def resolve(forecasts: pd.DataFrame, entries: list[Resolution], path: Path,
            today: dt.date | None = None, dropped: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The forecasts with the entries applied; raises :class:`ResolutionError` naming every bad entry.

    An entry naming a forecast the curation file dropped (``dropped``, their ids) resolves nothing: the
    reviewer's drop stands, and is in ``curation_log``."""
    today = today or dt.date.today()
    out = with_outcome_columns(forecasts)
    problems: list[str] = []
    resolved_by: dict = {}
    for entry in entries:
        if entry.forecast_id in dropped:
            continue
        where = f"{path}:{entry.line}"
        chosen = _targets(entry, out)
        if len(chosen) == 0:
            if entry.forecast_id is not None:
                problems.append(f"{where}: unknown forecast id {entry.forecast_id!r}")
            else:
                m = entry.match
                problems.append(f"{where}: no forecast by {m.forecaster_actor_id!r} with a target containing "
                                f"{m.target_contains!r} and a horizon ending in {m.horizon_year}")
            continue
        if entry.observed_on > today:
            problems.append(f"{where}: observed_on {entry.observed_on} is in the future")
            continue
        for index in chosen:
            row = out.loc[index]
            label = f"forecast {row['forecast_id']} ({row['target']!r})"
            if index in resolved_by:
                problems.append(f"{where}: {label} is already resolved by line {resolved_by[index]}")
                continue
            horizon_end = row["horizon_end"]
            if pd.isna(horizon_end):
                problems.append(f"{where}: {label} names no horizon, so it cannot be resolved")
                continue
            if pd.Timestamp(horizon_end).date() >= entry.observed_on:
                problems.append(f"{where}: the horizon of {label} ends {pd.Timestamp(horizon_end).date()}, "
                                f"not before observed_on {entry.observed_on}")
                continue
            if pd.isna(row["value_low"]) and pd.isna(row["value_high"]):
                problems.append(f"{where}: {label} states no value, so it cannot be resolved")
                continue
            resolved_by[index] = entry.line
            hit = is_hit(row["comparator"], row["value_low"], row["value_high"], entry.observed_value,
                         entry.tolerance)
            out.at[index, "resolution_status"] = "resolved_true" if hit else "resolved_false"
            out.at[index, "observed_value"] = entry.observed_value
            out.at[index, "observed_date"] = pd.Timestamp(entry.observed_on)
            out.at[index, "resolution_source"] = entry.source
            out.at[index, "resolution_method"] = "manual"  # overrides a resolution by an observation
            out.at[index, "resolution_observation_id"] = None
    if len(problems) == 1:
        raise ResolutionError(problems[0])
    if problems:
        raise ResolutionError(f"{problems[0]} (and {len(problems) - 1} more problem(s))\n" + "\n".join(problems))
    return out


def apply_resolutions(forecasts: pd.DataFrame, path: Path | None = None,
                      today: dt.date | None = None, dropped: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Resolve the forecasts the resolutions file names; without the default file, return them unchanged."""
    path = path or resolutions_path()
    if not path.is_file():
        if path == DEFAULT_FILE:
            return forecasts  # nothing resolved yet
        raise ResolutionError(f"{path}: resolutions file not found")
    return resolve(forecasts, load_resolutions(path), path, today, dropped)
