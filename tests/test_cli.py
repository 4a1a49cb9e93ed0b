"""The CLI end to end on seeds/, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
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


def _folders(tmp_path: Path) -> dict[str, Path]:
    sources = tmp_path / "articles"
    sources.mkdir()
    (sources / "a.txt").write_text("Acme Semiconductor opened a new fab in Ohio on 3 March 2025.\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.md").write_text("a user's file\n", encoding="utf-8")
    (tmp_path / "home").mkdir()
    return {"sources": sources, "file": tmp_path / "notes.txt", "mine": tmp_path / "mine",
            "home": tmp_path / "home", "tmp": tmp_path}


@pytest.mark.parametrize(("sources", "output", "message"), [
    ("file", "new", "is a file, not a folder of articles"),
    ("sources", "file", "is not a folder; choose another --output"),
    ("sources", "/", "is the root folder"),
    ("sources", "home", "is your home folder"),
    ("sources", "sources", "holds the sources folder"),
    ("sources", "tmp", "holds the sources folder"),
    ("sources", "sources/release", "is inside the sources folder"),
    ("sources", "mine", "is a folder without release.json, not a release"),
], ids=["sources-is-a-file", "output-is-a-file", "output-is-root", "output-is-home", "output-is-the-sources",
        "output-holds-the-sources", "output-inside-the-sources", "output-is-a-user-folder"])
def test_bad_folders_are_refused_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture, sources: str, output: str,
                                                  message: str) -> None:
    folders = _folders(tmp_path)
    monkeypatch.setenv("HOME", str(folders["home"]))
    before = sorted(p for p in tmp_path.rglob("*"))

    def resolve(name: str) -> str:
        head, _, rest = name.partition("/")
        return name if name == "/" else str(folders.get(head, tmp_path / head) / rest)

    code = main(["build", "--sources", resolve(sources), "--output", resolve(output)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing made, nothing removed


def test_a_bad_output_fails_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    folders = _folders(tmp_path)
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", str(folders["sources"]),
                             "--output", str(folders["file"])], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {folders['file']} is not a folder; choose another --output"]
    assert result.stdout == ""


def test_watch_checks_its_folders_too(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folders = _folders(tmp_path)
    code = main(["watch", "--sources", str(folders["sources"]), "--output", str(folders["mine"]),
                 "--dagster-home", str(tmp_path / "dagster")])
    assert code == 2 and "not a release" in capsys.readouterr().err
    assert not (tmp_path / "dagster").exists()


def test_a_build_writes_nothing_outside_its_output_folder(tmp_path: Path) -> None:
    """No cache in the home folder (the chart is drawn by vl-convert in-process), no temporary files left."""
    folders = _folders(tmp_path)
    home, temporary, output = tmp_path / "home", tmp_path / "tmp", tmp_path / "release"
    temporary.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), TMPDIR=str(temporary))
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", str(folders["sources"]),
                             "--output", str(output)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "index.html").is_file()
    assert list(home.iterdir()) == [] and list(temporary.iterdir()) == []
    # Beside the release only its lock file (one build at a time per output), empty.
    assert {p.name for p in tmp_path.iterdir()} == {"articles", "notes.txt", "mine", "home", "tmp", "release",
                                                    ".release.lock"}
    assert (tmp_path / ".release.lock").stat().st_size == 0
