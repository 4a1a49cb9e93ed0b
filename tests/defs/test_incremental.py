"""Incremental builds through Dagster: the sensor's requests, and what its runs materialise.

A persistent instance in a temporary folder stands in for ``DAGSTER_HOME``; the
sensor is evaluated with ``build_sensor_context`` and its requests carried out as
the daemon would (partitions added and deleted, then each run executed in process).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from dagster._core.test_utils import create_run_for_test

from pipeline.cli import run_build
from pipeline.defs.assets import CORPUS_ASSETS
from pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from pipeline.defs.sources import SOURCE_FILES
from pipeline.watch import Watcher, watch
from schemas.tables import TABLE_MODELS
from tests.conftest import PROJECT_ROOT
from tests.robustness.corpus import DEV_ARTICLES

CORPUS = {(name, None) for name in CORPUS_ASSETS}


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        yield instance


class Project(Watcher):
    """A sources folder, a release folder and a watcher that builds one from the other, tick by tick."""

    def __init__(self, root: Path, instance: dg.DagsterInstance):
        (root / "sources").mkdir()
        super().__init__(root / "sources", root / "release", instance)
        self.sources, self.output = root / "sources", root / "release"

    def add(self, name: str, article: Path, suffix: str = "") -> None:
        (self.sources / name).write_text(article.read_text(encoding="utf-8") + suffix, encoding="utf-8")

    def partitions(self) -> list[str]:
        return list(self.instance.get_dynamic_partitions(SOURCE_FILES.name))


def materialised(result: dg.ExecuteInProcessResult) -> set[tuple[str, str | None]]:
    return {(event.asset_key.to_user_string(), event.partition) for event in result.get_asset_materialization_events()}


def parquet_files(release: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(release.glob("*.parquet"))}


def requested_keys(project: Project, run: dg.RunRequest) -> list[str]:
    """The partition keys a run request covers, once its tick's partition requests are applied."""
    if run.partition_key is not None:
        return [run.partition_key]
    if PARTITION_RANGE_START_TAG not in run.tags:
        return []
    keys = project.partitions()
    start, end = keys.index(run.tags[PARTITION_RANGE_START_TAG]), keys.index(run.tags[PARTITION_RANGE_END_TAG])
    return keys[start:end + 1]


def test_a_dagster_run_and_the_cli_give_the_same_release(tmp_path: Path, instance: dg.DagsterInstance) -> None:
    project = Project(tmp_path, instance)
    for article in DEV_ARTICLES[:4]:
        project.add(article.name, article)
    (project.sources / "sub").mkdir()
    project.add("sub/copy.txt", DEV_ARTICLES[0])  # a duplicate, kept at dev-01.txt
    (project.sources / "notes.csv").write_text("a,b\n", encoding="utf-8")  # quarantined
    (run,) = project.apply(project.tick())
    assert run.success

    cli = tmp_path / "cli-release"
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", str(project.sources),
                           "--output", str(cli)], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert parquet_files(project.output) == parquet_files(cli)
    assert len(parquet_files(cli)) == len(TABLE_MODELS)


def test_the_sensor_requests_the_right_partitions(tmp_path: Path, instance: dg.DagsterInstance) -> None:
    project = Project(tmp_path, instance)
    project.add("a.txt", DEV_ARTICLES[0])
    project.add("b.txt", DEV_ARTICLES[1])

    first = project.tick()
    (run,) = first.run_requests
    project.apply(dg.SensorResult(dynamic_partitions_requests=first.dynamic_partitions_requests))
    assert project.partitions() == ["a.txt", "b.txt"] and requested_keys(project, run) == ["a.txt", "b.txt"]
    assert run.asset_selection is None  # the partitions and everything downstream

    assert not project.tick().run_requests  # nothing new

    project.add("c.txt", DEV_ARTICLES[2])  # new file -> a run for it
    new = project.tick()
    (run,) = new.run_requests
    assert run.partition_key == "c.txt"
    project.apply(dg.SensorResult(dynamic_partitions_requests=new.dynamic_partitions_requests))
    assert project.partitions() == ["a.txt", "b.txt", "c.txt"]

    project.add("a.txt", DEV_ARTICLES[0], suffix="\nA correction was appended.\n")  # changed -> requested again
    changed = project.tick()
    (run,) = changed.run_requests
    assert run.partition_key == "a.txt"
    project.apply(dg.SensorResult(dynamic_partitions_requests=changed.dynamic_partitions_requests))
    assert sorted(project.partitions()) == ["a.txt", "b.txt", "c.txt"]

    shutil.copystat(DEV_ARTICLES[3], project.sources / "b.txt")  # touched, not changed -> nothing to do
    assert not project.tick().run_requests

    (project.sources / "b.txt").unlink()  # removed -> its partition deleted, the corpus rebuilt without it
    removed = project.tick()
    (delete,) = removed.dynamic_partitions_requests
    assert isinstance(delete, dg.DeleteDynamicPartitionsRequest) and list(delete.partition_keys) == ["b.txt"]
    (run,) = removed.run_requests
    assert run.partition_key is None and PARTITION_RANGE_START_TAG not in run.tags
    assert {key.to_user_string() for key in run.asset_selection} == set(CORPUS_ASSETS)
    project.apply(dg.SensorResult(dynamic_partitions_requests=removed.dynamic_partitions_requests))
    assert sorted(project.partitions()) == ["a.txt", "c.txt"]

    # Several at once (two new, one changed): one run, whose range holds exactly those three.
    project.add("d.txt", DEV_ARTICLES[3])
    project.add("e.txt", DEV_ARTICLES[4])
    project.add("c.txt", DEV_ARTICLES[2], suffix="\nUpdated.\n")
    several = project.tick()
    (run,) = several.run_requests
    project.apply(dg.SensorResult(dynamic_partitions_requests=several.dynamic_partitions_requests))
    assert requested_keys(project, run) == ["c.txt", "d.txt", "e.txt"]
    assert sorted(project.partitions()) == ["a.txt", "c.txt", "d.txt", "e.txt"]

    # While a run is unfinished, the sensor waits and keeps its cursor.
    create_run_for_test(instance, job_name="__ASSET_JOB", status=dg.DagsterRunStatus.STARTED)
    project.add("f.txt", DEV_ARTICLES[5])
    cursor = project.cursor
    assert isinstance(project.tick(), dg.SkipReason) and project.cursor == cursor


def test_adding_an_article_materialises_only_its_partition(tmp_path: Path, instance: dg.DagsterInstance) -> None:
    project = Project(tmp_path, instance)
    for article in DEV_ARTICLES[:3]:
        project.add(article.name, article)
    (initial,) = project.apply(project.tick())
    assert materialised(initial) == {("file_extractions", a.name) for a in DEV_ARTICLES[:3]} | CORPUS

    project.add("new-article.txt", DEV_ARTICLES[3])
    (added,) = project.apply(project.tick())
    assert materialised(added) == {("file_extractions", "new-article.txt")} | CORPUS
    documents = pq.read_table(project.output / "documents.parquet").to_pandas()
    assert len(documents) == 4 and "new-article.txt" in set(documents["source_path"])

    project.add(DEV_ARTICLES[0].name, DEV_ARTICLES[0], suffix="\nA correction was appended.\n")
    (changed,) = project.apply(project.tick())
    assert materialised(changed) == {("file_extractions", DEV_ARTICLES[0].name)} | CORPUS

    (project.sources / DEV_ARTICLES[1].name).unlink()
    (removed,) = project.apply(project.tick())
    assert materialised(removed) == CORPUS
    assert DEV_ARTICLES[1].name not in project.partitions()

    # The watch's run keeps the tombstones of the release it replaced: the removed article's rows.
    removed = pq.read_table(project.output / "removed.parquet").to_pandas()
    gone = removed[removed["table_name"] == "documents"]
    assert gone["reason"].tolist() == ["document_removed"] and len(removed) > 1
    assert set(removed["reason"]) == {"document_removed"}
    coverage = pq.read_table(project.output / "coverage.parquet").to_pandas()
    assert sorted(coverage["source_path"]) == sorted(p.name for p in project.sources.iterdir())

    # The release built bit by bit is the release built from scratch, but for the tombstones (a first build
    # has none).
    full = tmp_path / "full"
    assert run_build(project.sources, full).success
    built = parquet_files(project.output)
    assert built.pop("removed.parquet") != parquet_files(full).pop("removed.parquet")
    assert built == {name: data for name, data in parquet_files(full).items() if name != "removed.parquet"}


def test_an_empty_folder_builds_an_empty_release(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    result = run_build(tmp_path / "sources", tmp_path / "release")
    assert result.success
    assert json.loads((tmp_path / "release" / "release.json").read_text())["row_counts"]["documents"] == 0


def test_the_watch_command_keeps_the_release_up_to_date(tmp_path: Path) -> None:
    """``python -m pipeline watch``'s loop: the first look builds the release, a new article joins it."""
    sources, output = tmp_path / "sources", tmp_path / "release"
    sources.mkdir()
    shutil.copy(DEV_ARTICLES[0], sources / DEV_ARTICLES[0].name)
    looks, lines = [], []

    def stop() -> bool:
        looks.append(1)
        if len(looks) == 2:  # after the first look, an article arrives
            shutil.copy(DEV_ARTICLES[1], sources / DEV_ARTICLES[1].name)
        return len(looks) > 2

    watch(sources, output, tmp_path / "home", interval=0, report=lines.append, stop=stop)
    assert json.loads((output / "release.json").read_text())["row_counts"]["documents"] == 2
    assert sum("release updated" in line for line in lines) == 2


def test_the_watch_says_what_it_set_aside_and_why_in_its_own_lines(tmp_path: Path) -> None:
    sources, output = tmp_path / "sources", tmp_path / "release"
    sources.mkdir()
    (sources / "fab.txt").write_text("Acme Semiconductor opened a new fab in Ohio on 3 March 2025.\n", encoding="utf-8")
    (sources / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n not an article")
    looks, lines = [], []

    def stop() -> bool:
        looks.append(1)
        if len(looks) == 2:
            (sources / "blank.txt").write_text("   \n", encoding="utf-8")
        return len(looks) > 2

    watch(sources, output, tmp_path / "home", interval=0, report=lines.append, stop=stop)
    problems = [line.split(": ")[1:3] for line in lines if line.startswith("  set aside: ")]
    assert problems == [["scan.png", "unsupported_extension"], ["blank.txt", "empty_file"]]  # each told once
    assert ("  set aside: scan.png: unsupported_extension: '.png' files are not read; use .txt, .md, .jsonl, .html, "
            ".htm, .xml, .rss, .atom or .pdf") in lines
    assert [line.split(" ", 1)[1] for line in lines if "new or changed" in line] == [
        "2 new or changed file(s), 0 removed", "1 new or changed file(s), 0 removed"]
    assert not any(" - dagster - " in line for line in lines)


def _watch_process(sources: Path, tmp_path: Path) -> tuple[subprocess.Popen, list[str]]:
    """`pipeline watch` in a process of its own, and the list its output lines are read into as they come."""
    watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", "--sources", str(sources), "--output",
                                str(tmp_path / "release"), "--dagster-home", str(tmp_path / "home"),
                                "--interval", "0.5"],
                               cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []

    def read() -> None:
        for line in watcher.stdout:
            lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return watcher, lines


def _wait_for(lines: list[str], text: str, watcher: subprocess.Popen) -> None:
    deadline = time.monotonic() + 240
    while not any(text in line for line in lines) and watcher.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)


def test_the_watch_process_prints_no_dagster_log_lines(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n not an article")
    watcher, lines = _watch_process(sources, tmp_path)
    _wait_for(lines, "set aside", watcher)
    time.sleep(1)  # its lines after the update
    watcher.send_signal(signal.SIGINT)
    watcher.wait(timeout=60)
    assert not [line for line in lines if " - dagster - " in line or "dagster.daemon" in line], lines
    assert ("  set aside: scan.png: unsupported_extension: '.png' files are not read; use .txt, .md, .jsonl, .html, "
            ".htm, .xml, .rss, .atom or .pdf") in lines


def test_ctrl_c_during_an_update_stops_the_watch(tmp_path: Path) -> None:
    """Dagster catches a Ctrl-C that lands inside a run and ends the run as failed; the watch stops all
    the same instead of going on watching."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for article in DEV_ARTICLES:
        shutil.copy(article, sources / article.name)
    watcher, lines = _watch_process(sources, tmp_path)
    _wait_for(lines, "extracting documents", watcher)
    assert any("extracting documents" in line for line in lines), lines
    watcher.send_signal(signal.SIGINT)
    assert watcher.wait(timeout=60) == 0
    time.sleep(0.5)
    assert lines[-1] == "stopped" and not any("release updated" in line for line in lines), lines
