"""The same assets on Dagster's multiprocess executor: the path to a cluster is configuration only.

The project's definitions (``build_definitions`` with a ``ReleaseSettings`` resource) run under
``dg.multiprocess_executor`` (two processes at a time) on a persistent ``DagsterInstance``, as a
deployment would run them (docs/SCALING.md); the steps run in child processes, and the release has the
same rows as the in-process build of the CLI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import yaml

from pipeline.cli import run_build
from pipeline.definitions import build_definitions
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from pipeline.defs.sources import sync_partitions

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"
JOB_NAME = "release_multiprocess"
# Two steps at a time, each forked from a server that has imported the project once (the default, spawn,
# imports Dagster, pandas and pandera again in every step's process). The same as docs/SCALING.md's.
EXECUTOR_CONFIG = {"max_concurrent": 2,
                   "start_method": {"forkserver": {"preload_modules": ["pipeline.definitions"]}}}


def multiprocess_job(sources_dir: str, output_dir: str) -> dg.JobDefinition:
    """Every asset of the project on the multiprocess executor. Module-level, so that each step's process
    can rebuild it (``build_reconstructable_job``). The tables' checks come with their step; the release's
    checksum check is left out: each step costs a process of its own (~2-5 s here, most of it opening the
    instance and planning), and the release's rows are what this test compares."""
    settings = ReleaseSettings(sources_dir=sources_dir, output_dir=output_dir)
    selection = dg.AssetSelection.all() - dg.AssetSelection.checks_for_assets("release")
    job = dg.define_asset_job(JOB_NAME, selection=selection,
                              executor_def=dg.multiprocess_executor.configured(EXECUTOR_CONFIG))
    defs = dg.Definitions.merge(build_definitions(settings), dg.Definitions(jobs=[job]))
    return defs.resolve_job_def(JOB_NAME)


def row_counts(release: Path) -> dict[str, int]:
    return {p.stem: pq.read_metadata(p).num_rows for p in sorted(release.glob("*.parquet"))}


def test_assets_run_on_the_multiprocess_executor(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for article in sorted(DEV.glob("*.txt")):
        shutil.copy(article, sources / article.name)
    in_process, multiprocess = tmp_path / "in-process", tmp_path / "multiprocess"
    assert run_build(sources, in_process).success

    recon = dg.build_reconstructable_job(
        "test_multiprocess", "multiprocess_job",
        reconstructable_kwargs={"sources_dir": str(sources), "output_dir": str(multiprocess)},
        reconstructor_working_directory=str(Path(__file__).parent),
    )
    (tmp_path / "dagster_home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        # As run_build does: the files become partitions, and one run covers the whole range of them.
        keys = sync_partitions(instance, sources)
        tags = {PARTITION_RANGE_START_TAG: keys[0], PARTITION_RANGE_END_TAG: keys[-1]}
        with dg.execute_job(recon, instance=instance, tags=tags) as result:
            assert result.success
            events = result.all_events
            run_id = result.run_id
        records = instance.get_records_for_run(run_id).records

    step_pids = {e.pid for e in events if e.event_type_value == "STEP_SUCCESS"}
    assert step_pids and os.getpid() not in step_pids  # every step ran in a child process
    engine_messages = " ".join(r.event_log_entry.message or "" for r in records
                               if r.event_log_entry.dagster_event
                               and r.event_log_entry.dagster_event.event_type_value == "ENGINE_EVENT")
    assert "multiprocess" in engine_messages.lower()
    assert row_counts(multiprocess) == row_counts(in_process)
    assert row_counts(multiprocess)["documents"] == len(list(DEV.glob("*.txt")))


SCALING_DOC = Path(__file__).resolve().parents[2] / "docs" / "SCALING.md"


def checked_yaml_block(text: str) -> dict:
    """The YAML block that follows the doc's "checked by" marker."""
    after = text.split("<!-- checked by tests/scaling/test_multiprocess.py -->", 1)[1]
    return yaml.safe_load(after.split("```yaml", 1)[1].split("```", 1)[0])


def test_the_documented_run_config_selects_the_multiprocess_executor() -> None:
    """docs/SCALING.md's run config for the project's own code location."""
    run_config = checked_yaml_block(SCALING_DOC.read_text(encoding="utf-8"))
    job = build_definitions().resolve_implicit_global_asset_job_def()
    assert dg.validate_run_config(job, run_config)
    assert run_config["execution"]["config"]["multiprocess"] == EXECUTOR_CONFIG


def test_a_deployment_builds_its_definitions_from_the_project_parts(tmp_path: Path) -> None:
    """docs/SCALING.md's code location of a deployment: the project's parts with its own executor and
    resources (here the multiprocess executor and local storage in place of a cluster's)."""
    from pipeline.definitions import ASSETS
    from pipeline.defs import checks, sensors
    from pipeline.defs.io import PartitionStoreIOManager

    defs = dg.Definitions(
        assets=ASSETS, asset_checks=checks.ALL_CHECKS, sensors=[sensors.watch_sources],
        executor=dg.multiprocess_executor.configured(EXECUTOR_CONFIG),
        resources={"settings": ReleaseSettings(sources_dir=str(tmp_path / "sources"),
                                               output_dir=str(tmp_path / "release")),
                   "partition_store": PartitionStoreIOManager(base_dir=str(tmp_path / "partitions")),
                   "io_manager": dg.FilesystemIOManager(base_dir=str(tmp_path / "io"))})
    job = defs.resolve_implicit_global_asset_job_def()
    assert job.executor_def.name == "multiprocess"
    assert {"file_extractions", "release"} <= {key.to_user_string()
                                               for key in defs.resolve_asset_graph().get_all_asset_keys()}
