"""``python -m pipeline watch``: a warm process that keeps the release up to date with a folder.

What the Dagster daemon does with the ``watch_sources`` sensor (register new and
changed files as partitions, drop removed ones, run them and the corpus-level
assets), done in one long-lived process on a persistent instance: the imports,
the instance, the registry and the grammars are loaded once, so a new article
reaches the release in the time its own extraction and the corpus step take,
without the seconds a fresh run process spends starting.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.cli import failure_lines, problem_line, read_quarantine
from pipeline.definitions import build_definitions
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sensors import folder_changes
from pipeline.sources.ingest import SET_ASIDE

# Dagster's own console lines stay out of the watch's lines: a failed run is told by failure_lines instead.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


class Watcher:
    """The sensor's ticks and their runs, applied in this process to one instance."""

    def __init__(self, sources: Path, output: Path, instance: dg.DagsterInstance,
                 cursor_file: Path | None = None):
        self.instance = instance
        self.settings = ReleaseSettings(sources_dir=str(sources.resolve()), output_dir=str(output.resolve()))
        self.job = build_definitions(self.settings).resolve_implicit_global_asset_job_def()
        # Kept on disk (as the daemon keeps a sensor's cursor), so a restart does not process every file again.
        self.cursor_file = cursor_file
        self.cursor: str | None = None
        self.found: str | None = None  # what the last tick found, in words
        if cursor_file is not None and cursor_file.is_file():
            self.cursor = cursor_file.read_text(encoding="utf-8")

    def tick(self) -> dg.SensorResult | dg.SkipReason:
        result, self.found = folder_changes(self.instance, self.cursor, self.settings.sources_path,
                                            self.settings.curation_path)
        if isinstance(result, dg.SensorResult) and result.cursor is not None:
            self.cursor = result.cursor
        return result

    def apply(self, result: dg.SensorResult | dg.SkipReason,
              raise_on_error: bool = True) -> list[dg.ExecuteInProcessResult]:
        """What the daemon does with a tick's result: partitions first, then the runs."""
        if not isinstance(result, dg.SensorResult):
            return []
        for request in result.dynamic_partitions_requests or []:
            if isinstance(request, dg.AddDynamicPartitionsRequest):
                self.instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
            else:
                for key in request.partition_keys:
                    self.instance.delete_dynamic_partition(request.partitions_def_name, key)
        return [self.job.execute_in_process(instance=self.instance, tags=run.tags, partition_key=run.partition_key,
                                            asset_selection=run.asset_selection, run_config=RUN_CONFIG,
                                            raise_on_error=raise_on_error)
                for run in result.run_requests or []]

    def update(self) -> list[dg.ExecuteInProcessResult]:
        """One tick and its runs: the release as the folder is now."""
        before = self.cursor
        runs = self.apply(self.tick(), raise_on_error=False)
        if self.cursor_file is not None and self.cursor != before and all(run.success for run in runs):
            self.cursor_file.write_text(self.cursor or "", encoding="utf-8")
        return runs


def new_problems(output: Path, told: set[tuple]) -> list[str]:
    """The quarantine rows of the release not told before, one line each (and now told)."""
    lines = []
    for row in read_quarantine(output).itertuples():
        key = (row.source_path, None if pd.isna(row.line) else int(row.line), row.reason, row.detail)
        if key not in told:
            told.add(key)
            lines.append(f"  {'set aside' if row.reason in SET_ASIDE else 'kept with a caveat'}: {problem_line(row)}")
    return lines


def interrupted(run: dg.ExecuteInProcessResult) -> bool:
    """Whether a Ctrl-C landed inside the run: Dagster catches it there (in a step or between them) and
    ends the run as failed, so it never reaches the loop as a KeyboardInterrupt."""
    for event in run.all_events:
        data = event.event_specific_data
        if getattr(getattr(data, "error_source", None), "value", None) == "INTERRUPT":
            return True
        error = getattr(data, "error", None)
        while error is not None:
            if error.cls_name in ("DagsterExecutionInterruptedError", "KeyboardInterrupt"):
                return True
            error = error.cause
    return False


def watch(sources: Path, output: Path, home: Path, interval: float = 2.0,
          report: Callable[[str], None] = print, stop: Callable[[], bool] = lambda: False) -> None:
    """Update the release whenever the folder changes, until ``stop()`` (or Ctrl-C); one plain line per
    change found, per update and per input set aside or kept with a caveat."""
    home.mkdir(parents=True, exist_ok=True)
    told: set[tuple] = set()
    with dg.DagsterInstance.local_temp(str(home.resolve())) as instance:
        key = hashlib.sha256(str(sources.resolve()).encode()).hexdigest()[:16]
        watcher = Watcher(sources, output, instance, cursor_file=home / f"watch-cursor-{key}.json")
        report(f"watching {sources} -> {output} (Dagster instance in {home}); Ctrl-C stops")
        while not stop():
            started = time.monotonic()
            runs = watcher.update()
            if any(interrupted(run) for run in runs):
                raise KeyboardInterrupt
            if watcher.found and runs:
                report(f"{time.strftime('%H:%M:%S')} {watcher.found}")
            for run in runs:
                if run.success:
                    report(f"{time.strftime('%H:%M:%S')} release updated in {time.monotonic() - started:.1f} s")
                    for line in new_problems(output, told):
                        report(line)
                else:
                    report(f"{time.strftime('%H:%M:%S')} release FAILED (the previous release is kept)")
                    for line in failure_lines(run):
                        report(line)
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
