"""The per-document work on a Dask ``distributed`` cluster instead of this machine's worker processes.

One setting chooses it: ``ReleaseSettings.dask_scheduler``, the scheduler's address (``CHIPGEO_DASK_SCHEDULER``
for the UI's code location, ``--dask-scheduler`` for the CLI, ``resources: settings: config: dask_scheduler``
in a run's config). The step that extracts a range of partitions then sends its batches of documents to the
cluster's workers as tasks, through the same ``concurrent.futures`` interface as the local pool, and takes
the packed extractions back in the batches' order: the release does not depend on which worker made what.

The workers get the documents with the task, so they need the project's code (``pipeline`` importable) but
neither the sources folder nor the instance. Their tasks run in worker threads, where the per-document CPU
limit (a signal, delivered to a main thread only) does not apply: a stalled document holds its thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor

CONNECT_TIMEOUT = "30s"  # a scheduler that does not answer fails the step with the address in the error


@contextlib.contextmanager
def cluster_pool(address: str) -> Iterator[tuple[Executor, int]]:
    """An executor whose tasks run on the cluster at ``address``, and how many threads its workers have."""
    from distributed import Client  # only a run that uses a cluster loads it

    with Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False) as client:
        # pure=False: a batch is run, not looked up by a hash of its documents (hashing them costs time)
        yield client.get_executor(pure=False), max(1, sum(client.nthreads().values()))
