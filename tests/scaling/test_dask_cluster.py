"""The per-document work on a real Dask cluster: a scheduler and two worker processes on loopback.

The project's own definitions, changed by run config only (docs/SCALING.md's block): the extraction goes
to the cluster (``settings.dask_scheduler``), the partitions and the kept rows to a shared folder
(``partition_store.base_dir``), the instance is SQLite in that folder. A backfill of every dev-set
partition in one run; the workers' pids are in the run's metadata, and the release is the CLI's in-process
one byte for byte (both built at one SOURCE_DATE_EPOCH). Skipped only where the cluster cannot start, with
the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from benchmarks.dask_cluster import ClusterUnavailable, LocalCluster, local_cluster
from pipeline.cli import run_build
from pipeline.definitions import build_definitions
from pipeline.defs.io import PartitionStore
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from pipeline.defs.sources import sync_partitions
from pipeline.release.writer import DATABASE, MANIFEST, pid_alive

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"
SCALING_DOC = Path(__file__).resolve().parents[2] / "docs" / "SCALING.md"
MARKER = "<!-- checked by tests/scaling/test_dask_cluster.py -->"


def documented_run_config() -> dict:
    after = SCALING_DOC.read_text(encoding="utf-8").split(MARKER, 1)[1]
    return yaml.safe_load(after.split("```yaml", 1)[1].split("```", 1)[0])


def release_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    """A scheduler and two worker processes, all stopped after the test, whatever happened."""
    with contextlib.ExitStack() as stack:
        try:
            running = stack.enter_context(local_cluster(workers=2))
        except ClusterUnavailable as reason:
            print(f"SKIPPED: {reason}")
            pytest.skip(f"the Dask cluster cannot start here: {reason}")
        yield running


class _Failing(Exception):
    pass


def test_the_cluster_stops_every_process_it_started_also_when_the_test_fails() -> None:
    with contextlib.suppress(_Failing):
        try:
            with local_cluster(workers=2) as running:
                raise _Failing  # as a failing assertion leaves the block
        except ClusterUnavailable as reason:
            pytest.skip(f"the Dask cluster cannot start here: {reason}")
    started = {running.scheduler_pid, *running.worker_pids}
    assert len(started) == 3 and not any(pid_alive(pid) for pid in started)


def test_the_documented_run_config_is_the_cluster_profile() -> None:
    run_config = documented_run_config()
    assert run_config["resources"]["settings"]["config"]["dask_scheduler"].startswith("tcp://")
    job = build_definitions().resolve_implicit_global_asset_job_def()
    assert dg.validate_run_config(job, run_config)


def test_a_backfill_runs_on_a_dask_cluster_and_releases_the_same_bytes(tmp_path: Path, cluster: LocalCluster,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748779200")  # the two builds' created_at
    sources = tmp_path / "sources"
    sources.mkdir()
    for article in sorted(DEV.glob("*.txt")):
        shutil.copy(article, sources / article.name)
    shared = tmp_path / "shared"  # what every machine of a cluster mounts
    in_process, on_cluster = tmp_path / "in-process", shared / "release"
    assert run_build(sources, in_process).success

    # docs/SCALING.md's run config, its addresses and folders made this test's
    run_config = documented_run_config()
    run_config["resources"]["settings"]["config"].update(
        sources_dir=str(sources), output_dir=str(on_cluster), dask_scheduler=cluster.address)
    run_config["resources"]["partition_store"]["config"]["base_dir"] = str(shared / "partitions")
    job = build_definitions(ReleaseSettings()).resolve_implicit_global_asset_job_def()
    (shared / "dagster_home").mkdir(parents=True)
    with dg.DagsterInstance.local_temp(str(shared / "dagster_home")) as instance:
        keys = sync_partitions(instance, sources)  # one run over every partition: the backfill
        result = job.execute_in_process(instance=instance, run_config=run_config,
                                        tags={PARTITION_RANGE_START_TAG: keys[0], PARTITION_RANGE_END_TAG: keys[-1]})
        assert result.success
        materialized = result.asset_materializations_for_node("file_extractions")

    assert {m.partition for m in materialized} == set(keys) and len(keys) == len(list(DEV.glob("*.txt")))
    recorded = {entry for m in materialized for entry in m.metadata["extracted by (host:pid)"].value}
    pids = {int(entry.rsplit(":", 1)[1]) for entry in recorded}
    assert pids and pids <= cluster.worker_pids and os.getpid() not in pids  # the workers extracted
    assert all(m.metadata["extracted on"].value == f"Dask cluster {cluster.address}" for m in materialized)

    # the partitions and the corpus's kept rows are in the shared folder
    store = PartitionStore(shared / "partitions" / "partitions")
    assert all(store.path(dg.AssetKey("file_extractions"), key).is_file() for key in keys)
    assert any(store.base.joinpath("file_extractions", "derived").iterdir())

    cluster_files, local_files = release_files(on_cluster), release_files(in_process)
    assert set(cluster_files) == set(local_files) >= {DATABASE, MANIFEST} and len(local_files) > 10
    for name in local_files:
        assert cluster_files[name] == local_files[name], name
