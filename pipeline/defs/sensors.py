"""The sensor that watches the sources folder: new and changed articles in, removed ones out.

Every tick lists the folder and compares each file's fingerprint (size and
modification time, and the sha256 of its contents when those changed) with the
cursor of the previous tick:

- a new or changed file is (re)registered as a partition of ``file_extractions``
  and one run is requested for all of them together with the corpus-level
  assets, so that the next release has them;
- a removed file's partition is deleted, and the corpus-level assets are
  requested without it;
- a changed curation file (``settings.curation_path``) requests the corpus-level
  assets, which apply it again.

One run per tick, not one per file, keeps the per-run cost of Dagster away
from a folder that receives many files at once. A run covers a contiguous range
of partition keys, and dynamic partitions keep the order they were added in, so
the sensor deletes and re-adds every partition it requests: they then form one
range at the end. While any run is still going (its own, or a "materialize
all" from the UI), the sensor waits and its cursor stays where it is, so that
two runs do not write the release at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from pipeline.defs.assets import CORPUS_ASSETS
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sources import SOURCE_FILES, fingerprints

SENSOR_NAME = "watch_sources"
# Dagster's run tags for a run over a range of partitions (dagster._core.storage.tags).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
CURATION_KEY = ":curation"  # the cursor's entry for the curation file (no partition key starts with ':')
UNFINISHED = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
              dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def run_request_for(keys: Sequence[str]) -> dg.RunRequest:
    """One run: the given partitions (a range at the end of the partitions' order) and the corpus."""
    if not keys:
        return dg.RunRequest(asset_selection=[dg.AssetKey(name) for name in CORPUS_ASSETS])
    if len(keys) == 1:
        return dg.RunRequest(partition_key=keys[0])
    return dg.RunRequest(tags={PARTITION_RANGE_START_TAG: keys[0], PARTITION_RANGE_END_TAG: keys[-1]})


@dg.sensor(
    name=SENSOR_NAME,
    target=dg.AssetSelection.all(),
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the sources folder: registers new and changed files as partitions of "
                "file_extractions and requests one run for them and the corpus-level assets; a removed "
                "file's partition is deleted and drops out of the next release.",
)
def watch_sources(context: dg.SensorEvaluationContext, settings: ReleaseSettings):
    result, found = folder_changes(context.instance, context.cursor, settings.sources_path, settings.curation_path)
    if found:
        context.log.info(found)
    return result


def curation_fingerprint(path: Path) -> list[str]:
    """The curation file's digest (a few kilobytes: read whole every tick), or ``absent``."""
    try:
        return ["", hashlib.sha256(path.read_bytes()).hexdigest()]
    except OSError:
        return ["", "absent"]


def folder_changes(instance: dg.DagsterInstance, cursor: str | None, root: Path,
                   curation: Path | None = None) -> tuple[dg.SensorResult | dg.SkipReason, str | None]:
    """The sensor's work without its logging: the partitions to add and delete and the run to request, and
    what was found in words (``pipeline watch`` calls it directly and prints that line in its own format)."""
    if not root.is_dir():
        return dg.SkipReason(f"the sources folder {root} does not exist"), None
    unfinished = instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED), limit=1)
    if unfinished:
        return dg.SkipReason(f"waiting for run {unfinished[0].run_id} to finish"), None

    seen: dict[str, list[str]] = json.loads(cursor) if cursor else {}
    curated_before = seen.pop(CURATION_KEY, None)
    now = fingerprints(root, seen)
    curated = curation_fingerprint(curation) if curation is not None else None
    curation_changed = curated_before is not None and curated != curated_before
    registered = instance.get_dynamic_partitions(SOURCE_FILES.name)
    registered_set = set(registered)
    # A file is (re)processed when it is new to the cursor, changed since, or not a partition (any more).
    to_run = sorted(key for key, fingerprint in now.items()
                    if seen.get(key, [None, None])[1] != fingerprint[1] or key not in registered_set)
    removed = [key for key in registered if key not in now]
    cursor = json.dumps({**now, CURATION_KEY: curated} if curated else now, ensure_ascii=False,
                        separators=(",", ":"))
    if not to_run and not removed:
        if curation_changed:
            return dg.SensorResult(run_requests=[run_request_for([])], cursor=cursor), "the curation file changed"
        return dg.SensorResult(skip_reason="no new, changed or removed files", cursor=cursor), None

    to_run_set = set(to_run)
    delete = [key for key in registered if key in to_run_set] + removed
    requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    if delete:
        requests.append(SOURCE_FILES.build_delete_request(delete))
    if to_run:
        requests.append(SOURCE_FILES.build_add_request(to_run))
    return (dg.SensorResult(run_requests=[run_request_for(to_run)], dynamic_partitions_requests=requests,
                            cursor=cursor),
            f"{len(to_run)} new or changed file(s), {len(removed)} removed")
