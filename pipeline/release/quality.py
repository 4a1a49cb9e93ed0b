"""What the extractor is worth, as ``quality.json`` records it: how sure each row is, and the scores in release.json.

``quality.json`` (beside this module) is reviewed data, written by ``python -m benchmarks.calibrate`` from the
project's annotated sets: per rule, how many rows it produced there and how many were right, and the confidence
that gives. Rules are dotted names (``grammar.investment.state``); a rule the calibration never saw takes the
confidence of its nearest parent (``grammar.investment``, then ``grammar``), else the table's. The file also
holds the extractor's precision, recall and F1 per table and event type on those sets, which every release.json
states (:func:`release_quality`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

QUALITY_FILE = Path(__file__).with_name("quality.json")
CURATION_RULE = "curation"  # a row a curator added or confirmed: as sure as the curator
UNCALIBRATED = 0.5  # without any calibration: no claim either way


@cache
def load_quality(path: Path = QUALITY_FILE) -> dict:
    """The committed quality file (empty without one)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def rule_confidence(table: str, rule: str, quality: dict | None = None) -> float:
    """The calibrated confidence of a rule's rows in ``table`` (``event_reports`` or ``forecasts``)."""
    if rule == CURATION_RULE:
        return 1.0
    calibrated = (load_quality() if quality is None else quality).get("confidence", {}).get(table, {})
    by_rule = calibrated.get("rules", {})
    parts = rule.split(".")
    for end in range(len(parts), 0, -1):
        found = by_rule.get(".".join(parts[:end]))
        if found is not None:
            return float(found["confidence"])
    return float(calibrated.get("default", UNCALIBRATED))


def with_confidence(table: str, df: pd.DataFrame, quality: dict | None = None) -> pd.DataFrame:
    """The rows with ``confidence`` from their ``rule`` (one lookup per distinct rule)."""
    scores = {rule: rule_confidence(table, rule, quality) for rule in df["rule"].dropna().unique()}
    return df.assign(confidence=df["rule"].map(scores).astype("float64"))


def release_quality(extractor_version: str, quality: dict | None = None) -> dict:
    """release.json's ``quality``: the extractor version that built it, and the scores measured for the version
    the calibration ran on (``measured_with`` says which; they differ when the extractor changed since)."""
    quality = load_quality() if quality is None else quality
    return {"extractor_version": extractor_version, "measured_with": quality.get("extractor_version"),
            "measured_on": quality.get("measured_on"), "scores": quality.get("scores")}
