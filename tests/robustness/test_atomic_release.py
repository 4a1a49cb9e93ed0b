"""Releases are atomic: a build killed or failing midway leaves the previous release whole and readable,
and what it left behind does not break the next build.

The first test kills a real ``python -m pipeline build`` with SIGKILL while it
writes; the others put the writer in the states a kill at other moments leaves.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.cli import run_build
from pipeline.release.lock import lock_path
from pipeline.release.writer import MANIFEST, NotAReleaseFolder, prepare_target, sha256_file, write_release
from schemas.tables import TABLE_MODELS
from tests.robustness.corpus import PROJECT_ROOT, fresh, write_dev


def assert_whole(release: Path) -> dict:
    """The release's files match release.json's checksums and DuckDB's row counts match its counts."""
    manifest = json.loads((release / MANIFEST).read_text())
    for name, entry in manifest["files"].items():
        assert sha256_file(release / name) == entry["sha256"], name
    with duckdb.connect(str(release / "dataset.duckdb"), read_only=True) as con:
        for table, count in manifest["row_counts"].items():
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count, table
            assert len(pd.read_parquet(release / f"{table}.parquet")) == count, table
    return manifest


def leftovers(release: Path) -> list[str]:
    """What builds left beside the release but its lock file (which stays, empty, by design)."""
    return sorted(p.name for p in release.parent.glob(f".{release.name}.*") if p != lock_path(release))


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sources, release): a release of three dev articles, as a build left it."""
    folder = tmp_path_factory.mktemp("atomic")
    write_dev(folder / "sources", ["dev-01.txt", "dev-02.txt", "dev-05.txt"])
    assert run_build(folder / "sources", folder / "release").success
    return folder / "sources", folder / "release"


def kill_while_writing(sources: Path, release: Path, timeout: float = 180) -> None:
    """Start a CLI build and SIGKILL it once its temporary release folder holds a file."""
    build = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--sources", str(sources),
                              "--output", str(release)], cwd=PROJECT_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while build.poll() is None and time.monotonic() < deadline:
            building = list(release.parent.glob(f".{release.name}.building-*"))
            if building and any(building[0].iterdir()):
                build.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        if build.poll() is None and time.monotonic() >= deadline:
            build.kill()
        build.wait()
    assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed while writing"


def test_a_build_killed_while_writing_leaves_the_previous_release(previous: tuple[Path, Path]) -> None:
    sources, release = previous
    before = assert_whole(release)
    (sources / "new.txt").write_text(fresh("killed"))

    kill_while_writing(sources, release)
    assert [name.split("-")[0] for name in leftovers(release)] == [f".{release.name}.building"]
    assert assert_whole(release) == before

    assert run_build(sources, release).success  # the next build succeeds and cleans up
    assert leftovers(release) == []
    assert assert_whole(release)["row_counts"]["documents"] == before["row_counts"]["documents"] + 1


# ---------------------------------------------------------------- the writer in the states a kill leaves


def release_tables(release: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(release / f"{name}.parquet") for name in TABLE_MODELS}


def copy_release(previous: tuple[Path, Path], folder: Path) -> Path:
    target = folder / "release"
    write_release(release_tables(previous[1]), target, [])
    return target


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_kill_between_the_two_renames_is_recovered(previous: tuple[Path, Path], tmp_path: Path) -> None:
    release = copy_release(previous, tmp_path)
    before = assert_whole(release)
    os.replace(release, tmp_path / f".release.old-{dead_pid()}")  # the old release set aside, the new not in
    prepare_target(release)
    assert assert_whole(release) == before and leftovers(release) == []


def test_stale_folders_are_removed_but_not_those_of_a_running_build(previous: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    release = copy_release(previous, tmp_path)
    with subprocess.Popen(["sleep", "60"]) as running:
        try:
            for name in (f".release.building-{dead_pid()}-x1", ".release.building-legacy",
                         f".release.old-{dead_pid()}", f".release.building-{running.pid}-x2"):
                (tmp_path / name).mkdir()
                (tmp_path / name / "documents.parquet").write_bytes(b"half")
            write_release(release_tables(previous[1]), release, [])
            assert leftovers(release) == [f".release.building-{running.pid}-x2"]
        finally:
            running.kill()
    assert_whole(release)


def test_a_failing_write_leaves_the_release_and_no_temporary_folder(previous: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    release = copy_release(previous, tmp_path)
    before = assert_whole(release)
    tables = release_tables(previous[1])
    tables["documents"] = tables["documents"].drop(columns=["text_sha256"])
    with pytest.raises(KeyError):
        write_release(tables, release, [])
    assert assert_whole(release) == before and leftovers(release) == []


@pytest.mark.parametrize("kind", ["folder_with_files", "file"])
def test_a_folder_that_is_not_a_release_is_never_replaced(previous: tuple[Path, Path], tmp_path: Path,
                                                          kind: str) -> None:
    target = tmp_path / "home"
    if kind == "file":
        target.write_text("my notes")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("my notes")
    with pytest.raises(NotAReleaseFolder):
        write_release(release_tables(previous[1]), target, [])
    assert (target.read_text() if kind == "file" else (target / "notes.txt").read_text()) == "my notes"
    assert leftovers(target) == []


def test_an_empty_folder_becomes_a_release(previous: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "release").mkdir()
    assert_whole(copy_release(previous, tmp_path))
