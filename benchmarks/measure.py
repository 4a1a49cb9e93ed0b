"""Run a benchmark step in a child process and measure it: wall time, CPU time, peak memory.

Peak memory is taken two ways, because a build may start worker processes of its own:

- ``peak_rss_max_process``: ``ru_maxrss`` from ``wait4`` on the child, which the kernel reports as the
  largest resident set of the child or any of its (waited-for) descendants: the biggest single process;
- ``peak_rss_tree``: the child's whole process tree sampled every 50 ms from ``/proc`` (``VmRSS`` summed
  over the child and all its descendants): what the build holds at once, including workers.

psutil is not installed (and not needed): both come from the standard library and ``/proc``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 0.05


@dataclass
class ChildRun:
    """What a child process returned (its JSON on stdout) and what it cost."""

    args: list[str]
    returncode: int
    wall_seconds: float
    user_seconds: float
    system_seconds: float
    peak_rss_max_process: int  # bytes
    peak_rss_tree: int  # bytes
    max_processes: int  # most processes alive at once in the child's tree
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    other_cores: float  # CPU used by other processes during the run, in cores (from /proc/stat)
    result: dict = field(default_factory=dict)
    stderr_tail: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def busy_cpu_seconds() -> float:
    """CPU time all processes of the machine have used since boot (the ``cpu`` line of /proc/stat)."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants, and how many processes that is."""
    total, count, todo = 0, 0, [pid]
    while todo:
        current = todo.pop()
        rss = _rss(current)
        if rss:
            total += rss
            count += 1
        todo += _children(current)
    return total, count


class TreeSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.max_processes = pid, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            rss, count = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.max_processes = max(self.max_processes, count)
            self.stop.wait(SAMPLE_SECONDS)


def run_child(module: str, *args: str, timeout: float | None = None) -> ChildRun:
    """``python -m module args...`` in the project's interpreter; its last stdout line is JSON."""
    command = [sys.executable, "-m", module, *args]
    load_before = os.getloadavg()
    busy_before = busy_cpu_seconds()
    started = time.perf_counter()
    stderr_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.monotonic_ns()}.err"
    with open(stderr_path, "w+b") as stderr:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=stderr)
        sampler = TreeSampler(process.pid)
        sampler.start()
        reader = threading.Thread(target=lambda: setattr(process, "_out", process.stdout.read()), daemon=True)
        reader.start()
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
            time.sleep(0.02)
        wall = time.perf_counter() - started
        busy = busy_cpu_seconds() - busy_before
        sampler.stop.set()
        sampler.join()
        reader.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        err = stderr.read().decode("utf-8", "replace")
    stderr_path.unlink(missing_ok=True)
    out = getattr(process, "_out", b"").decode("utf-8", "replace").strip().splitlines()
    result = {}
    if out:
        try:
            result = json.loads(out[-1])
        except json.JSONDecodeError:
            result = {}
    return ChildRun(
        args=command[2:], returncode=process.returncode, wall_seconds=wall, user_seconds=usage.ru_utime,
        system_seconds=usage.ru_stime, peak_rss_max_process=usage.ru_maxrss * 1024,
        peak_rss_tree=max(sampler.peak, usage.ru_maxrss * 1024), max_processes=sampler.max_processes,
        load_before=load_before, load_after=os.getloadavg(),
        other_cores=max(0.0, busy - usage.ru_utime - usage.ru_stime) / wall if wall else 0.0, result=result,
        stderr_tail="\n".join(err.strip().splitlines()[-15:]),
    )
