"""One timed build through the CLI's code path (``pipeline.cli.run_build``), in its own process.

    python -m benchmarks.build --sources DIR --output DIR [--instance DIR] [--profile FILE]

Prints one JSON line: wall time, per-step durations from the Dagster run's ``STEP_SUCCESS`` events grouped
into stages by the asset groups the steps materialise (sources -> ingest, extraction -> extraction,
tables -> table building + validation, release -> writing, asset checks apart), the time spent in a few
plain functions (instrumented where the Dagster modules call them), and the release's row counts.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import threading
import time
import warnings
from collections import defaultdict
from pathlib import Path

# Plain functions whose time (and the process's peak memory while they run) is worth splitting out of
# their step, in the modules that call them: module -> names. Names a module does not have are skipped,
# so the list survives refactoring; calls made in worker processes are not seen.
INSTRUMENTED = {
    "pipeline.defs.*": ("ingest", "process_files", "extract_all", "corpus_rows", "validate_tables", "split_valid",
                        "apply_resolutions", "write_release", "table_check_results"),
    "pipeline.release.tables": ("corpus", "event_tables", "documents_table", "actors_table", "actor_mentions_table",
                                "forecasts_table", "quarantine_table"),
    "pipeline.release.writer": ("write_parquet", "store_table", "write_extras"),
    "pipeline.release.extras": ("diff_releases", "overview_html", "data_package", "create_views"),
}
# Stages by the assets a step materialises (the partitioned layout), else by asset group (the older one).
ASSET_STAGES = {"file_extractions": "read + extract", "release": "corpus, tables, validation, writing"}
GROUP_STAGES = {"sources": "ingest", "extraction": "extraction", "tables": "tables + validation",
                "release": "writing"}
STAGE_ORDER = ("ingest", "extraction", "corpus, tables, validation, writing", "asset checks")


def own_rss() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class CallTimes:
    """Wraps functions where the pipeline's modules call them: their time, and this process's peak RSS
    while each runs (sampled every 50 ms by a thread)."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.peak_rss: dict[str, int] = defaultdict(int)
        self._open: dict[int, tuple[str, int]] = {}  # call id -> (name, peak so far)
        self._next = 0
        self._lock = threading.Lock()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while True:
            rss = own_rss()
            with self._lock:
                for call, (name, peak) in self._open.items():
                    if rss > peak:
                        self._open[call] = (name, rss)
            time.sleep(0.05)

    def install(self) -> None:
        import importlib

        import pipeline.definitions  # noqa: F401 - imports every Dagster module of the project

        for pattern, names in INSTRUMENTED.items():
            if pattern.endswith(".*"):
                modules = [m for n, m in list(sys.modules.items()) if n.startswith(pattern[:-2])]
            else:
                try:
                    modules = [importlib.import_module(pattern)]
                except ImportError:
                    continue
            for module in modules:
                for attr in names:
                    original = getattr(module, attr, None)
                    if callable(original) and not hasattr(original, "__benchmarked__"):
                        setattr(module, attr, self._wrap(attr, original))

    def _wrap(self, name: str, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            with self._lock:
                call, self._next = self._next, self._next + 1
                self._open[call] = (name, own_rss())
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1
                with self._lock:
                    _, peak = self._open.pop(call)
                    self.peak_rss[name] = max(self.peak_rss[name], peak, own_rss())

        timed.__benchmarked__ = True
        return timed


def asset_groups() -> dict[str, str]:
    """Asset key (user string) -> group name, from the project's definitions."""
    from pipeline.definitions import build_definitions

    graph = build_definitions().resolve_asset_graph()
    return {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}


def step_stages(events, groups: dict[str, str]) -> dict[str, str]:
    """Step key -> stage, from what each step materialised or checked."""
    stage_of: dict[str, str] = {}
    for event in events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            stage_of.setdefault(event.step_key, "asset checks")
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            key = event.asset_key.to_user_string()
            group = groups.get(key, "other")
            stage_of[event.step_key] = ASSET_STAGES.get(key) or GROUP_STAGES.get(group, group)
    return stage_of


def stage_timings(result, groups: dict[str, str]) -> tuple[dict[str, float], list[dict]]:
    events = list(result.all_events)
    stage_of = step_stages(events, groups)
    stages: dict[str, float] = defaultdict(float)
    steps = []
    for event in events:
        if event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            data = event.event_specific_data
            seconds = (getattr(data, "duration_ms", None) or 0) / 1000
            stage = stage_of.get(event.step_key) or _stage_from_name(event.step_key)
            stages[stage] += seconds
            steps.append({"step": event.step_key, "stage": stage, "seconds": seconds, "pid": event.pid,
                          "ok": event.event_type_value == "STEP_SUCCESS"})
    return dict(stages), steps


def split_read_extract(stages: dict[str, float], seconds: dict[str, float]) -> None:
    """The partitioned step reads and extracts: its extraction is ``extract_all``'s time, the rest reading."""
    both = stages.pop("read + extract", None)
    if both is None:
        return
    extraction = min(seconds.get("extract_all", 0.0), both)
    stages["extraction"] = stages.get("extraction", 0.0) + extraction
    stages["ingest"] = stages.get("ingest", 0.0) + both - extraction


def _stage_from_name(step_key: str) -> str:
    for word, stage in (("source", "ingest"), ("extraction", "extraction"), ("table", "tables + validation"),
                        ("check", "asset checks"), ("release", "writing")):
        if word in step_key:
            return stage
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--profile", help="write a pyinstrument text profile of the build here")
    parser.add_argument("--dask-scheduler", default="", help="extract on the Dask cluster at this address")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import logging

    import_started = time.perf_counter()
    from pipeline.cli import run_build

    logging.getLogger("dagster").setLevel(logging.WARNING)
    calls = CallTimes()
    calls.install()
    groups = asset_groups()
    import_seconds = time.perf_counter() - import_started

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    started = time.perf_counter()
    result = run_build(Path(args.sources), Path(args.output), dask_scheduler=args.dask_scheduler)
    wall = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        from benchmarks.profiles import save_profile

        save_profile(profiler.last_session, Path(args.profile))
    stages, steps = stage_timings(result, groups)
    split_read_extract(stages, calls.seconds)
    failures = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None:
                error = error.cause
            failures.append({"step": event.step_key, "error": f"{error.cls_name}: {error.message.strip()[:300]}"})
    manifest = Path(args.output) / "release.json"
    counts = json.loads(manifest.read_text())["row_counts"] if manifest.is_file() else {}
    print(json.dumps({
        "success": bool(result.success), "build_seconds": wall, "import_seconds": import_seconds,
        "stages": stages, "steps": steps, "row_counts": counts, "failures": failures,
        "calls": {name: {"seconds": calls.seconds[name], "calls": calls.calls[name],
                         "peak_rss": calls.peak_rss[name]} for name in calls.calls},
    }))
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
