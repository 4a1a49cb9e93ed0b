"""Extraction quality, measured with the project's scorer: the seed and the dev set stay above the bars."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import run_build
from tests.conftest import SHARED

SCORER = SHARED / "eval" / "score.py"


def score(release: Path, gold: Path) -> dict:
    result = subprocess.run([sys.executable, str(SCORER), "--release", str(release), "--gold", str(gold), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_seed_scores_at_least_0_9_on_every_part(seed_release: Path) -> None:
    scores = score(seed_release, SHARED / "eval" / "seed")
    assert scores["docs_scored"] == 1
    for part in ("actors", "events", "forecasts"):
        assert scores[part]["f1"] >= 0.9, (part, scores[part])


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    output = tmp_path_factory.mktemp("dev") / "release"
    assert run_build(SHARED / "eval" / "dev", output).success
    return score(output, SHARED / "eval" / "dev")


@pytest.mark.parametrize(("part", "measure", "bar"), [
    ("actors", "f1", 0.90), ("events", "f1", 0.80), ("forecasts", "f1", 0.85),
    ("forecasts", "metric_accuracy", 0.85), ("forecasts", "forecaster_accuracy", 0.85),
], ids=["actors-f1", "events-f1", "forecasts-f1", "metric-accuracy", "forecaster-accuracy"])
def test_dev_set_meets_the_issue_bars(dev_scores: dict, part: str, measure: str, bar: float) -> None:
    assert dev_scores["docs_scored"] == 10
    assert dev_scores[part][measure] >= bar, dev_scores[part]
