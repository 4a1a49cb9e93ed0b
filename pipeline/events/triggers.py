"""The event trigger grammar of ``triggers.yaml``, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TRIGGERS_PATH = Path(__file__).with_name("triggers.yaml")


@dataclass(frozen=True)
class TriggerRule:
    event_type: str
    trigger: re.Pattern[str]
    requires: re.Pattern[str] | None
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class TriggerMatch:
    event_type: str
    start: int  # offsets of the trigger word(s) in the clause
    end: int


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


@cache
def load_grammar(path: Path = TRIGGERS_PATH) -> tuple[tuple[TriggerRule, ...], dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = tuple(TriggerRule(r["type"], _compile(r["trigger"]), _compile(r.get("requires")),
                              _compile(r.get("unless"))) for r in data["rules"])
    return rules, dict(data["summaries"])


def match_triggers(clause: str) -> list[TriggerMatch]:
    """At most one match per event type in a clause, the first rule of a type that fires.

    >>> [m.event_type for m in match_triggers("Washington approved NVIDIA's H200 exports to China")]
    ['export_control_eased']
    """
    rules, _ = load_grammar()
    found: dict[str, TriggerMatch] = {}
    for rule in rules:
        if rule.event_type in found:
            continue
        match = rule.trigger.search(clause)
        if not match:
            continue
        if rule.requires and not rule.requires.search(clause):
            continue
        if rule.unless and rule.unless.search(clause):
            continue
        found[rule.event_type] = TriggerMatch(rule.event_type, match.start(), match.end())
    return sorted(found.values(), key=lambda m: m.start)


def summary_phrase(event_type: str) -> str:
    return load_grammar()[1].get(event_type, event_type.replace("_", " "))
