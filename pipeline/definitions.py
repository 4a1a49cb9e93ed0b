"""The Dagster code location: ``dg dev`` (or ``dagster dev -m pipeline.definitions``).

The UI's folders are ``seeds/`` and ``output/`` unless ``CHIPGEO_SOURCES_DIR`` /
``CHIPGEO_OUTPUT_DIR`` say otherwise; the ``watch_sources`` sensor watches the
same folder the runs read, and the ``fetch_feeds_hourly`` schedule fetches the feeds of its
``feeds.yaml`` into it. ``CHIPGEO_DASK_SCHEDULER`` sends the extraction to a
Dask cluster, ``CHIPGEO_PARTITIONS_DIR`` keeps the partitions and the kept rows in a
folder every machine of a cluster mounts (docs/SCALING.md).
"""

import os

import dagster as dg

from pipeline.defs import assets, checks, fetching, sensors
from pipeline.defs.io import PartitionStoreIOManager, memory_partition_store
from pipeline.defs.resources import ReleaseSettings

ASSETS = [assets.file_extractions, assets.build_release]

# Dagster's default executor (``multiprocess`` or ``in_process``, chosen in the run config), but in-process
# unless a run asks otherwise: a subprocess per step would cost seconds per step and per check and buy
# nothing on one machine, as the steps depend on each other in a line and file_extractions spreads its own
# work over the cores. ``execution: config: multiprocess: ...`` still selects the multiprocess one.
EXECUTOR = dg.multi_or_in_process_executor.configured(
    lambda config: config, name="multi_or_in_process_executor",
    config_schema=dg.Field(dg.multi_or_in_process_executor.config_schema.config_type,
                           default_value={"in_process": {}}))


def default_settings() -> ReleaseSettings:
    return ReleaseSettings(sources_dir=os.environ.get("CHIPGEO_SOURCES_DIR", "seeds"),
                           output_dir=os.environ.get("CHIPGEO_OUTPUT_DIR", "output"),
                           dask_scheduler=os.environ.get("CHIPGEO_DASK_SCHEDULER", ""))


def build_definitions(settings: ReleaseSettings | None = None, in_memory: bool = False) -> dg.Definitions:
    """The project's assets, checks, sensor and resources; the CLI passes its own folders here.

    ``in_memory``: every value, partitions included, stays in the run's process instead of being pickled
    into the instance's storage; for a one-run build on a temporary instance (the CLI's).
    """
    shared = os.environ.get("CHIPGEO_PARTITIONS_DIR") or None  # a folder every machine mounts; else the instance's
    storage = ({"partition_store": memory_partition_store, "io_manager": dg.mem_io_manager} if in_memory
               else {"partition_store": PartitionStoreIOManager(base_dir=shared)})
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=checks.ALL_CHECKS,
        sensors=[sensors.watch_sources],
        schedules=[fetching.fetch_feeds_schedule],
        jobs=[fetching.fetch_feeds_job],
        resources={"settings": settings or default_settings(), **storage},
        executor=EXECUTOR,
    )


defs = build_definitions()
