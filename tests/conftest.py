"""Shared fixtures: one real build of seeds/ into a temporary folder, reused by the release tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import run_build

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_ROOT / "seeds"
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release built from seeds/ by the same code path as the CLI."""
    output = tmp_path_factory.mktemp("seed") / "release"
    result = run_build(SEEDS, output)
    assert result.success
    return output
