"""A Dask ``distributed`` cluster on loopback: a scheduler and N worker processes, each a process of its own.

What ``dask scheduler`` / ``dask worker`` start on a real cluster's machines, started here for the cluster
test and the cluster benchmark. Workers run without a nanny, so each worker is the very process started
(its pid is the one the run's metadata records), and they import the project from its root.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 120  # scheduler and workers up and registered (slower on a loaded machine)


class ClusterUnavailable(RuntimeError):
    """The engine could not start here (the reason says why)."""


@dataclass(frozen=True)
class LocalCluster:
    address: str  # tcp://127.0.0.1:PORT
    worker_pids: frozenset[int]
    scheduler_pid: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _log_tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:] if path.exists() else ""


@contextlib.contextmanager
def local_cluster(workers: int = 2) -> Iterator[LocalCluster]:
    """Start a scheduler on a free loopback port and ``workers`` single-threaded worker processes; stop every
    one of them on the way out, whatever happened. Raises ClusterUnavailable if they do not come up."""
    try:
        from distributed import Client
    except ImportError as error:
        raise ClusterUnavailable(f"distributed is not installed: {error}") from error
    address = f"tcp://127.0.0.1:{free_port()}"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="chipgeo-dask-") as logs:
        def start(name: str, *args: str) -> subprocess.Popen:
            log = open(Path(logs) / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process below
            process = subprocess.Popen([sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=environment,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            log.close()  # the child has its own copy
            processes.append(process)
            return process

        try:
            scheduler = start("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                  "--port", address.rsplit(":", 1)[1], "--no-dashboard")
            pids = frozenset(start(f"worker-{n}", "distributed.cli.dask_worker", address, "--host", "127.0.0.1",
                                   "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", f"worker-{n}",
                                   "--death-timeout", "60").pid for n in range(workers))
            try:
                with Client(address, timeout=START_SECONDS, set_as_default=False) as client:
                    client.wait_for_workers(workers, timeout=START_SECONDS)
                    if set(client.run(os.getpid).values()) != pids:
                        raise ClusterUnavailable("the scheduler knows other workers than the ones started")
            except (OSError, TimeoutError) as error:
                logs_text = "\n".join(f"--- {p.name}\n{_log_tail(p)}" for p in sorted(Path(logs).iterdir()))
                raise ClusterUnavailable(f"the Dask cluster did not start at {address}: {error}\n{logs_text}"
                                         ) from error
            yield LocalCluster(address, pids, scheduler.pid)
        finally:
            for process in reversed(processes):  # workers first, then the scheduler
                _stop(process)
