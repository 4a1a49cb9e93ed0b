"""The CLI end to end on seeds/, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT


def test_build_command_writes_a_release_and_summarises_it(tmp_path: Path) -> None:
    output = tmp_path / "release"
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", "seeds", "--output", str(output)],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "extracting documents" in result.stderr  # progress
    summary = result.stdout
    assert "documents             1" in summary
    assert "checks          all passed" in summary
    tables = ("documents", "actors", "actor_mentions", "events", "event_actors", "event_reports", "forecasts",
              "quarantine")
    expected = {f"{t}.parquet" for t in tables} | {"dataset.duckdb", "release.json"}
    assert expected <= {p.name for p in output.iterdir()}


def test_missing_sources_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", str(tmp_path / "nope"),
                             "--output", str(tmp_path / "out")], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
