"""What a build may not do to the user's machine: replace a folder that is not wholly a release, race
another build into the same output, leave its worker processes running or its temporary folders behind
when it is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from pipeline.cli import INSTANCE_PREFIX, main
from pipeline.release.lock import output_lock
from tests.robustness.corpus import PROJECT_ROOT
from tests.robustness.test_atomic_release import dead_pid


@pytest.fixture(scope="module")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("seed") / "release"
    assert main(["build", "--sources", str(PROJECT_ROOT / "seeds"), "--output", str(output)]) == 0
    return output


def test_a_folder_with_a_stray_manifest_beside_the_users_files_is_not_replaced(
        seed_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    paper = tmp_path / "paper"
    (paper / "src").mkdir(parents=True)
    (paper / "thesis.tex").write_text("\\section{Chips}\n", encoding="utf-8")
    (paper / "src" / "figures.py").write_text("print('fig')\n", encoding="utf-8")
    shutil.copy(seed_release / "release.json", paper / "release.json")
    before = sorted(p.relative_to(paper) for p in paper.rglob("*"))
    code = main(["build", "--sources", str(PROJECT_ROOT / "seeds"), "--output", str(paper)])
    err = capsys.readouterr().err
    assert code == 2 and "does not list (src, thesis.tex)" in err and err.count("\n") == 1, err
    assert sorted(p.relative_to(paper) for p in paper.rglob("*")) == before


def test_a_release_is_still_replaced(seed_release: Path, tmp_path: Path) -> None:
    copy = tmp_path / "release"
    shutil.copytree(seed_release, copy)
    assert main(["build", "--sources", str(PROJECT_ROOT / "seeds"), "--output", str(copy)]) == 0


def test_a_release_a_file_manager_or_duckdb_left_files_in_is_still_replaced(seed_release: Path,
                                                                             tmp_path: Path) -> None:
    copy = tmp_path / "release"
    shutil.copytree(seed_release, copy)
    (copy / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (copy / "dataset.duckdb.wal").write_bytes(b"")
    assert main(["build", "--sources", str(PROJECT_ROOT / "seeds"), "--output", str(copy)]) == 0
    assert not (copy / ".DS_Store").exists() and (copy / "release.json").is_file()


def test_a_second_build_into_the_same_output_stops_at_once_in_one_line(tmp_path: Path) -> None:
    output = tmp_path / "release"
    with output_lock(output):  # a build in progress
        result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", "seeds", "--output",
                                 str(output)], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: another build is writing {output.resolve()}; wait for it to finish or choose another --output"]
    assert not output.exists()


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_the_workers_of_a_killed_build_end_with_it(tmp_path: Path) -> None:
    write_corpus(tmp_path / "articles", 400)
    build = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--sources", str(tmp_path / "articles"),
                              "--output", str(tmp_path / "release")], cwd=PROJECT_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 240
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers = _children(build.pid)
        time.sleep(0.2)
    assert len(workers) >= 2, "the build ended before its workers were seen"
    time.sleep(1)  # the workers are started and have run their initializer
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    alive = [pid for pid in workers if Path(f"/proc/{pid}/stat").exists()
             and (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z")]
    assert alive == []


def test_the_temporary_folders_of_killed_builds_are_removed_by_the_next(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    stale = temporary / f"{INSTANCE_PREFIX}{dead_pid()}-x1y2"
    (stale / "storage").mkdir(parents=True)
    other = temporary / "someone-elses"
    other.mkdir()
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", "seeds", "--output",
                             str(tmp_path / "release")], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            env={**os.environ, "TMPDIR": str(temporary)}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in temporary.iterdir()) == ["someone-elses"]
