"""The event trigger grammar of ``triggers.yaml``, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.knowledge import load_yaml

TRIGGERS_PATH = Path(__file__).with_name("triggers.yaml")


# How far either side of a trigger its `requires` and `unless` conditions are looked for.
CONDITION_WINDOW = 100


@dataclass(frozen=True)
class TriggerRule:
    event_type: str
    trigger: re.Pattern[str]
    requires: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    window: int = CONDITION_WINDOW
    implies: str | None = None  # the actor the trigger names by itself ("the Entity List": the US)


@dataclass(frozen=True)
class TriggerMatch:
    event_type: str
    start: int  # offsets of the trigger word(s) in the clause
    end: int
    anaphoric: bool = False  # "the probe", "this partnership": a reference back to an event named before
    implies: str | None = None
    rule: str = ""  # what found it: `grammar.<type>` (triggers.yaml) or `frame.<type>` (frames.yaml)


# A clause that opens on "the <trigger noun>" refers back to an event named before ("The probe puts
# ...", "Under the partnership, ..."); elsewhere "the" introduces new ones ("approved the IPO of X").
_ANAPHORIC = re.compile(r"^(?:(?:under|after|alongside|amid|besides|beyond|with|following|despite|since|through|"
                        r"in|and|as part of|on top of|in addition to|unlike|before)\s+)?"
                        r"(?:the|this|that|such a)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


_IN_A_NAME = re.compile(r"\w*\.(?:com|net|org|io)\b")


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


@cache
def load_grammar(path: Path = TRIGGERS_PATH) -> tuple[tuple[TriggerRule, ...], dict[str, str]]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    rules = tuple(TriggerRule(r["type"], _compile(r["trigger"]), _compile(r.get("requires")),
                              _compile(r.get("unless")), int(r.get("window", CONDITION_WINDOW)), r.get("implies"))
                  for r in data["rules"])
    return rules, dict(data["summaries"])


def match_triggers(clause: str) -> list[TriggerMatch]:
    """Every trigger occurrence in a clause, by type, for rules whose conditions hold.

    A type may occur more than once ("first applied ... in August 2023 and
    extended ... from September 15"): the caller splits them by date.

    >>> [m.event_type for m in match_triggers("Washington approved NVIDIA's H200 exports to China")]
    ['export_control_eased']
    """
    rules, _ = load_grammar()
    found: list[TriggerMatch] = []
    for rule in rules:
        for match in rule.trigger.finditer(clause):
            if _IN_A_NAME.match(clause, match.end()):
                continue  # "Investing.com": a word of a site's name
            near = clause[max(0, match.start() - rule.window):match.end() + rule.window]
            if rule.requires and not rule.requires.search(near):
                continue
            if rule.unless and rule.unless.search(near):
                continue
            if any(m.event_type == rule.event_type and m.start < match.end() and match.start() < m.end
                   for m in found):
                continue
            anaphoric = bool(_ANAPHORIC.match(clause[:match.start()]))
            found.append(TriggerMatch(rule.event_type, match.start(), match.end(), anaphoric, rule.implies,
                                      f"grammar.{rule.event_type}"))
    return sorted(found, key=lambda m: (m.start, m.event_type))


def summary_phrase(event_type: str) -> str:
    return load_grammar()[1].get(event_type, event_type.replace("_", " "))
