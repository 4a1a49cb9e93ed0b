"""Curation: reviewers' decisions about rows, kept in ``curation.yaml`` and applied on every build.

The file is a YAML list of decisions; each names its ``action``, its target by the release's column names,
a ``reason``, and optionally who decided it (``by``) and when (``date``)::

    - {action: drop_event, event_id: 3f13cceff291fc71, reason: commentary, not an event}
    - {action: retype_event, event_id: 919d8d281f65f6df, event_type: investment, reason: a stake, not a fund}
    - {action: redate_event, event_id: 919d8d281f65f6df, event_date: 2025-03-01, date_precision: month, reason: ...}
    - {action: set_event_actors, event_id: 919d8d281f65f6df, actors: {tsmc: initiator, us-government: target},
       reason: ...}
    - {action: drop_forecast, forecast_id: 5349bc0871f53e2c, reason: a past result}
    - {action: merge_actors, actor_id: huawei-technologies, into: huawei, reason: same company}
    - {action: add_alias, actor_id: huawei, alias: Huawei Tech, reason: ...}
    - {action: set_actor, actor_id: zhipu-ai, actor_type: company, country: CN, wikidata_id: Q123, reason: ...}
    - {action: split_alias, actor_id: micron, alias: MU, into: mu-group, doc_id: 5fbff517701d8f76, reason: ...}
    - {action: add_event, doc_id: 5fbff517701d8f76, evidence: "<exact text of the body>", event_type: investment,
       actors: {tsmc: initiator}, event_date: 2025-03-03, date_precision: day, reason: missed}
    - {action: add_forecast, doc_id: 5fbff517701d8f76, evidence: "<exact text of the body>", metric: market_share,
       value_low: 50, value_high: 50, unit: percent, comparator: "~", horizon_end: 2026-12-31,
       forecaster_actor_id: trendforce, reason: missed}

Decisions apply in file order, after extraction and before validation. A malformed file (an unknown action
or key, a missing or ill-typed value, a type or role outside the vocabularies) stops the build with every
problem named by its line, before anything is applied. A decision whose target is not in the corpus (an id
gone, an evidence no longer in its document) is ``unmatched``: it is logged and the build goes on, unless
the build is strict. Every decision becomes a ``curation_log`` row; a merge's retired id an ``id_redirects``
row. Added rows take ``rule`` ``curation`` and ``confidence`` 1, their offsets found in the body (the first
place the evidence occurs), so they are grounded like extracted ones.

Decisions name rows by the ids extraction gives them, and keep those ids: a retyped or redated event keeps
its ``event_id``, so the decision and any later one still find it on the next build. An added event's id
is derived from its document, evidence offset and type; an added forecast's as an extracted one's.

The file is ``curation.yaml`` at the sources folder's root unless the build names another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import yaml

from pipeline.release import tables as build
from pipeline.release.ids import stable_id
from pipeline.release.quality import CURATION_RULE
from pipeline.release.resolutions import _entries, _mapping, _number, _Problems, _text, _value
from pipeline.release.rows import ROLE_RANK, forecast_id
from pipeline.release.validation import REFERENCES
from pipeline.sources.ingest import CURATION_FILE, shown
from schemas import vocabularies as vocab
from schemas.derive import empty_frame, frame

COMMON_KEYS = {"action", "reason", "by", "date"}
# Per action: (the keys it needs, those it may have).
ACTIONS: dict[str, tuple[set[str], set[str]]] = {
    "drop_event": ({"event_id"}, set()),
    "drop_forecast": ({"forecast_id"}, set()),
    "retype_event": ({"event_id", "event_type"}, set()),
    "redate_event": ({"event_id", "date_precision"}, {"event_date"}),
    "set_event_actors": ({"event_id", "actors"}, set()),
    "merge_actors": ({"actor_id", "into"}, set()),
    "add_alias": ({"actor_id", "alias"}, set()),
    "set_actor": ({"actor_id"}, {"name", "actor_type", "country", "wikidata_id"}),
    "split_alias": ({"actor_id", "alias", "into"}, {"doc_id"}),
    "add_event": ({"doc_id", "evidence", "event_type", "actors"},
                  {"event_date", "date_precision", "status", "summary", "attributed_to_actor_id"}),
    "add_forecast": ({"doc_id", "evidence", "metric", "unit", "comparator"},
                     {"value_low", "value_high", "horizon_start", "horizon_end", "issued_date", "forecaster_actor_id",
                      "subject_actor_id", "target", "hedge"}),
}
assert tuple(ACTIONS) == vocab.CURATION_ACTIONS
# Keys whose values must be in a vocabulary.
CHOICES = {"event_type": vocab.EVENT_TYPES, "date_precision": vocab.DATE_PRECISIONS, "status": vocab.EVENT_STATUSES,
           "metric": vocab.METRICS, "comparator": vocab.COMPARATORS, "actor_type": vocab.ACTOR_TYPES}
DATES = {"event_date", "horizon_start", "horizon_end", "issued_date", "date"}
NUMBERS = {"value_low", "value_high"}
NULLABLE = {"country", "wikidata_id", "event_date"}  # `set_actor` may clear these; `redate_event` may undate
FORMATS = {"country": re.compile(r"^[A-Z]{2}$"), "wikidata_id": re.compile(r"^Q[1-9][0-9]*$"),
           "event_id": re.compile(r"^[0-9a-f]{16}$"), "forecast_id": re.compile(r"^[0-9a-f]{16}$"),
           "doc_id": re.compile(r"^[0-9a-f]{16}$")}
MAX_EVIDENCE = 1000  # as event_reports.evidence_text and forecasts.evidence_text allow


class CurationError(ValueError):
    """The curation file is malformed, or (when strict) a decision matched nothing."""


@dataclass(frozen=True)
class Decision:
    line: int
    action: str
    reason: str
    values: dict[str, Any] = field(default_factory=dict)  # the action's keys, typed
    by: str | None = None
    date: dt.date | None = None

    @property
    def target(self) -> str:
        """What the decision names, for the log: its id, or the document and evidence of an addition."""
        if "evidence" in self.values:
            return f"{self.values['doc_id']}: {self.values['evidence'][:80]}"
        key = next(k for k in ("event_id", "forecast_id", "actor_id") if k in self.values)
        return self.values[key]


def curation_path(sources: Path, configured: str | Path | None = None) -> Path:
    """The curation file in force: the one configured, else ``curation.yaml`` at the sources folder's root."""
    return Path(configured).expanduser() if configured else sources / CURATION_FILE


def _is_day(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _period_start(day: dt.date, precision: str) -> bool:
    """Whether a date is the first day of its period, as the contract asks of `event_date`."""
    return {"day": True, "month": day.day == 1, "quarter": day.day == 1 and day.month in (1, 4, 7, 10),
            "year": (day.month, day.day) == (1, 1)}.get(precision, False)


def _typed(key: str, node: yaml.Node, problems: _Problems) -> Any:
    """One key's value, checked; None (with a problem added) when it is wrong."""
    before = len(problems.items)
    if key in NUMBERS:
        return _number(node, key, problems)
    value = _value(node)
    if value is None and key in NULLABLE:
        return None
    if key in DATES:
        if not _is_day(value):
            problems.add(node, f"{key} must be a date (YYYY-MM-DD), not {shown(value)}")
        return value if len(problems.items) == before else None
    if key == "actors":
        if not isinstance(value, dict) or not value:
            problems.add(node, "actors must map actor ids to roles, e.g. {tsmc: initiator}")
            return None
        for actor_id, role in value.items():
            if role not in vocab.ROLES:
                problems.add(node, f"role {role!r} of {actor_id!r} is not one of {', '.join(vocab.ROLES)}")
        return {str(actor_id): role for actor_id, role in value.items()} if len(problems.items) == before else None
    text = _text(node)
    if text is None or not text.strip():
        problems.add(node, f"{key} must be text, not {shown(value)}")
        return None
    text = text.strip()
    if key in CHOICES and text not in CHOICES[key]:
        problems.add(node, f"{key} {shown(text)} is not one of {', '.join(CHOICES[key])}")
    elif key in FORMATS and not FORMATS[key].match(text):
        problems.add(node, f"{key} {shown(text)} is not of the form {FORMATS[key].pattern}")
    elif key == "evidence" and len(text) > MAX_EVIDENCE:
        problems.add(node, f"evidence is longer than {MAX_EVIDENCE} characters")
    return text if len(problems.items) == before else None


def _decision(node: yaml.Node, problems: _Problems) -> Decision | None:
    before = len(problems.items)
    if not isinstance(node, yaml.MappingNode):
        problems.add(node, "a decision must be a mapping of keys to values")
        return None
    action_node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "action"), None)
    if action_node is None:
        problems.add(node, "a decision needs an action")
        return None
    action = _text(action_node)
    if action not in ACTIONS:
        problems.add(action_node, f"action must be one of {', '.join(ACTIONS)}, not {shown(action)}")
        return None
    needed, optional = ACTIONS[action]
    items = _mapping(node, COMMON_KEYS | needed | optional, f"a {action} decision", problems)
    if items is None:
        return None
    for key in sorted((needed | {"reason"}) - set(items)):
        problems.add(node, f"a {action} decision needs {key}")
    values = {key: _typed(key, value, problems) for key, value in items.items() if key != "action"}
    if len(problems.items) > before:
        return None
    if action == "redate_event":
        day, precision = values.get("event_date"), values["date_precision"]
        if (day is None) != (precision == "unknown") or (day is not None and not _period_start(day, precision)):
            problems.add(node, f"event_date {day} does not fit date_precision {precision!r} (the first day of the "
                               "period; none for unknown)")
    if action == "add_event" and values.get("event_date") is not None:
        values.setdefault("date_precision", "day")
        if not _period_start(values["event_date"], values["date_precision"]):
            problems.add(node, f"event_date {values['event_date']} is not the first day of its "
                               f"{values['date_precision']}")
    if action == "set_actor" and not set(values) & optional:
        problems.add(node, f"a set_actor decision needs one of {', '.join(sorted(optional))}")
    if action == "add_forecast":
        if values.get("value_low") is None and values.get("value_high") is None:
            problems.add(node, "an add_forecast decision needs value_low or value_high")
        elif (values.get("value_low") is not None and values.get("value_high") is not None
              and values["value_low"] > values["value_high"]):
            problems.add(node, "value_low is above value_high")
    if len(problems.items) > before:
        return None
    reason, by, date = values.pop("reason"), values.pop("by", None), values.pop("date", None)
    return Decision(line=node.start_mark.line + 1, action=action, reason=reason, values=values, by=by, date=date)


def parse_curation(text: str, path: Path) -> list[Decision]:
    """The decisions of a curation file; raises :class:`CurationError` naming every bad line."""
    problems = _Problems(path, CurationError)
    decisions = [_decision(node, problems) for node in _entries(text, problems, "decisions")]
    problems.raise_if_any()
    return [d for d in decisions if d is not None]


def load_curation(path: Path, required: bool = False) -> list[Decision]:
    """The decisions of ``path``; none when it does not exist and was not asked for by name."""
    if not path.is_file():
        if required:
            raise CurationError(f"{path}: curation file not found")
        return []
    return parse_curation(path.read_text(encoding="utf-8"), path)


# ---------------------------------------------------------------- applying


class Unmatched(Exception):
    """A decision's target is not in the corpus."""


@dataclass
class Curated:
    tables: dict[str, pd.DataFrame]
    redirects: list[dict] = field(default_factory=list)

    def rows(self, table: str, column: str, value: str) -> pd.Series:
        df = self.tables[table]
        return df[column] == value

    def need(self, table: str, column: str, value: str, what: str) -> pd.Series:
        found = self.rows(table, column, value)
        if not found.any():
            raise Unmatched(f"no {what} {value!r} in {table}")
        return found

    def drop(self, table: str, mask: pd.Series) -> int:
        self.tables[table] = self.tables[table][~mask].reset_index(drop=True)
        return int(mask.sum())

    def body(self, doc_id: str) -> str:
        texts = self.tables["document_texts"]
        found = texts.loc[texts["doc_id"] == doc_id, "body"]
        if found.empty:
            raise Unmatched(f"no document {doc_id!r}")
        return found.iloc[0]

    def grounded(self, values: dict) -> tuple[int, int, str]:
        """(char_start, char_end, text) of the evidence in its document's body."""
        evidence, body = values["evidence"], self.body(values["doc_id"])
        start = body.find(evidence)
        if start < 0:
            raise Unmatched(f"the evidence is not in the body of document {values['doc_id']}")
        return start, start + len(evidence), evidence


def _drop_event(c: Curated, v: dict) -> tuple[int, str]:
    event_id = v["event_id"]
    c.need("events", "event_id", event_id, "event")
    changed = sum(c.drop(table, c.rows(table, "event_id", event_id))
                  for table in ("events", "event_actors", "event_reports"))
    return changed, "event dropped with its reports and actors"


def _drop_forecast(c: Curated, v: dict) -> tuple[int, str]:
    return c.drop("forecasts", c.need("forecasts", "forecast_id", v["forecast_id"], "forecast")), "forecast dropped"


def _set_event(c: Curated, v: dict, changes: dict) -> int:
    mask = c.need("events", "event_id", v["event_id"], "event")
    for column, value in changes.items():
        c.tables["events"].loc[mask, column] = value
    return int(mask.sum())


def _retype_event(c: Curated, v: dict) -> tuple[int, str]:
    return _set_event(c, v, {"event_type": v["event_type"]}), f"event_type set to {v['event_type']}"


def _redate_event(c: Curated, v: dict) -> tuple[int, str]:
    day = pd.Timestamp(v["event_date"]) if v.get("event_date") else pd.NaT
    changed = _set_event(c, v, {"event_date": day, "date_precision": v["date_precision"]})
    return changed, f"event_date set to {v.get('event_date')} ({v['date_precision']})"


def _need_actors(c: Curated, actor_ids) -> None:
    known = set(c.tables["actors"]["actor_id"])
    missing = sorted(a for a in actor_ids if a is not None and a not in known)
    if missing:
        raise Unmatched(f"no actor {', '.join(map(repr, missing))} in actors")


def _actor_rows(event_id: str, actors: dict[str, str]) -> pd.DataFrame:
    return frame("event_actors", [{"event_id": event_id, "actor_id": a, "role": r} for a, r in actors.items()])


def _set_event_actors(c: Curated, v: dict) -> tuple[int, str]:
    c.need("events", "event_id", v["event_id"], "event")
    _need_actors(c, v["actors"])
    removed = c.drop("event_actors", c.rows("event_actors", "event_id", v["event_id"]))
    c.tables["event_actors"] = pd.concat([c.tables["event_actors"], _actor_rows(v["event_id"], v["actors"])],
                                         ignore_index=True)
    return removed + len(v["actors"]), "actors set to " + ", ".join(f"{a} ({r})" for a, r in v["actors"].items())


# Where an actor id appears besides the actors table: the references validation checks, so none is missed.
ACTOR_REFERENCES = tuple((table, column) for table, column, target in REFERENCES if target == "actors")


def _aliases(c: Curated, actor_id: str, add: set[str] = frozenset(), remove: set[str] = frozenset()) -> int:
    """Change an actor's aliases (never its own name); 1 when they changed, else 0."""
    actors = c.tables["actors"]
    index = actors.index[actors["actor_id"] == actor_id][0]
    before = sorted(actors.at[index, "aliases"])
    after = sorted((set(before) | set(add)) - set(remove) - {actors.at[index, "name"]})
    actors.at[index, "aliases"] = after
    return int(after != before)


def _merge_actors(c: Curated, v: dict) -> tuple[int, str]:
    old, into = v["actor_id"], v["into"]
    if old == into:
        raise Unmatched("an actor cannot be merged into itself")
    row = c.tables["actors"][c.need("actors", "actor_id", old, "actor")].iloc[0]
    c.need("actors", "actor_id", into, "actor")
    changed = 0
    for table, column in ACTOR_REFERENCES:
        mask = c.rows(table, column, old)
        c.tables[table].loc[mask, column] = into
        changed += int(mask.sum())
    # The merged actor's roles in one event: the strongest one.
    roles = c.tables["event_actors"]
    ranked = roles.assign(_rank=roles["role"].map(ROLE_RANK)).sort_values(["event_id", "actor_id", "_rank"],
                                                                         kind="stable")
    c.tables["event_actors"] = (ranked.drop_duplicates(["event_id", "actor_id"]).drop(columns="_rank")
                                .sort_index().reset_index(drop=True))
    changed += _aliases(c, into, add={row["name"], *row["aliases"]})
    changed += c.drop("actors", c.rows("actors", "actor_id", old))
    for redirect in c.redirects:  # an earlier merge into the actor now merged goes on to its new id
        if redirect["table"] == "actors" and redirect["new_id"] == old:
            redirect["new_id"] = into
    c.redirects.append({"old_id": old, "new_id": into, "table": "actors", "reason": v["reason"]})
    return changed, f"{old} merged into {into}"


def _add_alias(c: Curated, v: dict) -> tuple[int, str]:
    c.need("actors", "actor_id", v["actor_id"], "actor")
    changed = _aliases(c, v["actor_id"], add={v["alias"]})
    return changed, f"alias {v['alias']!r} added" if changed else f"{v['alias']!r} was already an alias"


def _set_actor(c: Curated, v: dict) -> tuple[int, str]:
    mask = c.need("actors", "actor_id", v["actor_id"], "actor")
    changes = {k: v[k] for k in ("name", "actor_type", "country", "wikidata_id") if k in v}
    for column, value in changes.items():
        c.tables["actors"].loc[mask, column] = value
    return int(mask.sum()), "set " + ", ".join(f"{k}={value}" for k, value in changes.items())


def _split_alias(c: Curated, v: dict) -> tuple[int, str]:
    old, into, alias = v["actor_id"], v["into"], v["alias"]
    c.need("actors", "actor_id", old, "actor")
    c.need("actors", "actor_id", into, "actor")
    mentions = c.tables["actor_mentions"]
    mask = (mentions["actor_id"] == old) & (mentions["text"] == alias)
    if "doc_id" in v:
        mask &= mentions["doc_id"] == v["doc_id"]
    if not mask.any():
        raise Unmatched(f"no mention {alias!r} of {old}" + (f" in document {v['doc_id']}" if "doc_id" in v else ""))
    mentions.loc[mask, "actor_id"] = into
    still = ((mentions["actor_id"] == old) & (mentions["text"] == alias)).any()
    changed = int(mask.sum()) + _aliases(c, into, add={alias}) + (0 if still else _aliases(c, old, remove={alias}))
    return changed, f"{int(mask.sum())} mention(s) {alias!r} given to {into}"


def _add_event(c: Curated, v: dict) -> tuple[int, str]:
    start, end, evidence = c.grounded(v)
    _need_actors(c, [*v["actors"], v.get("attributed_to_actor_id")])
    event_id = stable_id("curated-event", v["doc_id"], start, v["event_type"])
    if c.rows("events", "event_id", event_id).any():
        return 0, f"event {event_id} was already added"
    day = v.get("event_date")
    event = {"event_id": event_id, "event_type": v["event_type"], "summary": v.get("summary", evidence[:200]),
             "event_date": pd.Timestamp(day) if day else pd.NaT,
             "date_precision": v.get("date_precision", "unknown") if day else "unknown",
             "status": v.get("status", "reported")}
    report = {"event_id": event_id, "doc_id": v["doc_id"], "char_start": start, "char_end": end,
              "evidence_text": evidence, "attributed_to_actor_id": v.get("attributed_to_actor_id"),
              "rule": CURATION_RULE, "confidence": 1.0}
    for table, rows in (("events", frame("events", [event])), ("event_reports", frame("event_reports", [report])),
                        ("event_actors", _actor_rows(event_id, v["actors"]))):
        c.tables[table] = pd.concat([c.tables[table], rows], ignore_index=True)
    return 2 + len(v["actors"]), f"event {event_id} added"


def _add_forecast(c: Curated, v: dict) -> tuple[int, str]:
    start, end, evidence = c.grounded(v)
    _need_actors(c, [v.get("forecaster_actor_id"), v.get("subject_actor_id")])
    low = v.get("value_low", v.get("value_high"))
    high = v.get("value_high", low)
    documents = c.tables["documents"]
    published = documents.loc[documents["doc_id"] == v["doc_id"], "published_date"]
    record = {"doc_id": v["doc_id"], "forecaster_actor_id": v.get("forecaster_actor_id"),
              "subject_actor_id": v.get("subject_actor_id"), "target": v.get("target", v["metric"].replace("_", " ")),
              "metric": v["metric"], "value_low": low, "value_high": high, "unit": v["unit"],
              "comparator": v["comparator"], "horizon_start": v.get("horizon_start"),
              "horizon_end": v.get("horizon_end"),
              "issued_date": v.get("issued_date", published.iloc[0] if len(published) else None),
              "hedge": v.get("hedge"), "evidence_text": evidence, "char_start": start, "char_end": end,
              "resolution_status": "open", "rule": CURATION_RULE, "confidence": 1.0}
    record["forecast_id"] = forecast_id(v["doc_id"], SimpleNamespace(**record))
    if c.rows("forecasts", "forecast_id", record["forecast_id"]).any():
        return 0, f"forecast {record['forecast_id']} is already in the release"
    added = frame("forecasts", [record])
    for column in ("horizon_start", "horizon_end", "issued_date"):
        added[column] = pd.to_datetime(added[column])
    c.tables["forecasts"] = pd.concat([c.tables["forecasts"], added], ignore_index=True)
    return 1, f"forecast {record['forecast_id']} added"


CHANGED_IN_PLACE = frozenset(("actors", "actor_mentions", "events", "event_actors", "event_reports", "forecasts"))
APPLY: dict[str, Callable[[Curated, dict], tuple[int, str]]] = {
    "drop_event": _drop_event, "drop_forecast": _drop_forecast, "retype_event": _retype_event,
    "redate_event": _redate_event, "set_event_actors": _set_event_actors, "merge_actors": _merge_actors,
    "add_alias": _add_alias, "set_actor": _set_actor, "split_alias": _split_alias, "add_event": _add_event,
    "add_forecast": _add_forecast,
}


def apply_curation(tables: dict[str, pd.DataFrame], decisions: list[Decision], path: Path,
                   strict: bool = False) -> dict[str, pd.DataFrame]:
    """The tables with the decisions applied, plus ``curation_log`` and ``id_redirects``.

    Strict, a decision that matches nothing raises :class:`CurationError` (listing every one) instead."""
    if not decisions:  # the common case: nothing copied
        return {**tables, "curation_log": empty_frame("curation_log"), "id_redirects": empty_frame("id_redirects")}
    # The tables decisions change in place are copied (not the bodies: only read).
    curated = Curated({name: df.copy() if name in CHANGED_IN_PLACE else df for name, df in tables.items()})
    log = []
    for position, decision in enumerate(decisions, start=1):
        try:
            changed, detail = APPLY[decision.action](curated, {**decision.values, "reason": decision.reason})
            status = "applied"
        except Unmatched as unmatched:
            changed, detail, status = 0, str(unmatched), "unmatched"
        log.append({"position": position, "line": decision.line, "action": decision.action,
                    "target": decision.target, "status": status, "rows_changed": changed, "detail": detail,
                    "reason": decision.reason, "decided_by": decision.by,
                    "decided_on": pd.Timestamp(decision.date) if decision.date else pd.NaT})
    unmatched = [f"{path}:{row['line']}: {row['action']} matched nothing: {row['detail']}"
                 for row in log if row["status"] == "unmatched"]
    if strict and unmatched:
        raise CurationError(f"{unmatched[0]}" + (f" (and {len(unmatched) - 1} more)" if len(unmatched) > 1 else "")
                            + "\n" + "\n".join(unmatched))
    out = curated.tables
    # What the events and reports take from other tables, again after the changes.
    out["events"] = build.with_acting_countries(out["events"].sort_values("event_id", kind="stable"),
                                                out["event_actors"], out["actors"]).reset_index(drop=True)
    out["event_reports"] = build.with_document_urls(out["event_reports"], out["documents"])
    out["curation_log"] = frame("curation_log", log)
    out["id_redirects"] = frame("id_redirects", curated.redirects) if curated.redirects else empty_frame(
        "id_redirects")
    return out


def applied_targets(log: pd.DataFrame, action: str) -> frozenset[str]:
    """The targets (ids) of the applied decisions of one action in ``curation_log``."""
    return frozenset(log.loc[(log["action"] == action) & (log["status"] == "applied"), "target"])
