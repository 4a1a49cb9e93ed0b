"""``python -m pipeline build``: materialise the Dagster assets in-process and summarise the release."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.definitions import build_definitions
from pipeline.defs.assets import CORPUS_ASSETS
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from pipeline.defs.sources import sync_partitions
from pipeline.fetch.client import Limits
from pipeline.fetch.run import DEFAULT_INTERVAL, fetch_urls
from pipeline.paths import path_problem
from pipeline.release.lock import OutputBusy, output_lock
from pipeline.release.writer import MANIFEST, build_time, pid_alive
from pipeline.sources.ingest import KEPT_WITH_CAVEAT


def run_build(sources: Path, output: Path, strict: bool = False,
              instance: dg.DagsterInstance | None = None, with_text: bool = True,
              dask_scheduler: str = "", curation: Path | None = None) -> dg.ExecuteInProcessResult:
    """Materialise every asset and run every check, as the Dagster UI would, in this process, in one run.

    The folder's files become the partitions of ``file_extractions`` (partitions of files no longer there
    are deleted) and the one run covers all of them: a run per file would cost Dagster's per-run overhead
    10,000 times over. Without an ``instance`` the run uses a temporary in-memory one, which records the
    thousands of partition events of a large folder far faster than one on disk, and keeps the values
    in memory; with one (a persistent ``DagsterInstance``), the partitions are stored for later runs.
    """
    settings = ReleaseSettings(sources_dir=str(sources.resolve()), output_dir=str(output.resolve()),
                               strict=strict, with_text=with_text, dask_scheduler=dask_scheduler,
                               curation_file=str(curation.resolve()) if curation else "")
    # On a temporary instance nothing outlives the run: its values stay in memory, not in pickles.
    job = build_definitions(settings, in_memory=instance is None).resolve_implicit_global_asset_job_def()
    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    with _temporary_instance() if instance is None else _keep(instance) as active:
        keys = sync_partitions(active, settings.sources_path)
        if not keys:  # an empty folder: no partition to run, an empty release all the same
            return job.execute_in_process(instance=active, run_config=run_config, raise_on_error=False,
                                          asset_selection=[dg.AssetKey(name) for name in CORPUS_ASSETS])
        return job.execute_in_process(instance=active, run_config=run_config, raise_on_error=False,
                                      tags={PARTITION_RANGE_START_TAG: keys[0], PARTITION_RANGE_END_TAG: keys[-1]})


INSTANCE_PREFIX = "chipgeo-dagster-"


def remove_stale_instances() -> None:
    """Remove the temporary Dagster folders of builds that were killed (the pid in a folder's name is its
    build's): a build ended by a signal it cannot catch leaves its folder behind, the next one removes it."""
    for folder in Path(tempfile.gettempdir()).glob(f"{INSTANCE_PREFIX}*"):
        pid = folder.name[len(INSTANCE_PREFIX):].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)) and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _temporary_instance() -> Iterator[dg.DagsterInstance]:
    remove_stale_instances()
    with tempfile.TemporaryDirectory(prefix=f"{INSTANCE_PREFIX}{os.getpid()}-") as folder:
        with dg.DagsterInstance.ephemeral(tempdir=folder) as instance:
            yield instance


class _keep:
    """A context manager that yields a given instance and leaves it open."""

    def __init__(self, instance: dg.DagsterInstance):
        self.instance = instance

    def __enter__(self) -> dg.DagsterInstance:
        return self.instance

    def __exit__(self, *exc) -> None:
        return None


MAX_PROBLEM_LINES = 50  # every problem of a small corpus; a large one is in quarantine.parquet


def read_quarantine(release: Path) -> pd.DataFrame:
    return pq.read_table(release / "quarantine.parquet").to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get)  # line numbers stay integers beside nulls


def problem_line(row) -> str:
    """``feed.jsonl:3: bad_jsonl_line: ...``: one quarantine row, where and why."""
    where = f"{row.source_path}" + (f":{row.line}" if not pd.isna(row.line) else "")
    return f"{where}: {row.reason}: {row.detail}"


def failure_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """The failed steps of a run, each with the user code's own error (not Dagster's wrapper)."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None:
                error = error.cause
            lines.append(f"  step {event.step_key}: {error.cls_name}: {error.message.strip().splitlines()[0]}")
    return lines


def problem_lines(quarantine: pd.DataFrame) -> list[str]:
    """The quarantine in the summary: counts by reason, then one line per problem (up to a screenful)."""
    kept = quarantine["reason"].isin(KEPT_WITH_CAVEAT)
    lines = [f"  problems        {len(quarantine):>7}   (quarantine.parquet: {int((~kept).sum())} set aside, "
             f"{int(kept.sum())} kept with a caveat)"]
    for reason, count in quarantine["reason"].value_counts().sort_index().items():
        lines.append(f"    {reason:<24}{count:>5}")
    lines += [f"    - {problem_line(row)}" for row in quarantine.head(MAX_PROBLEM_LINES).itertuples()]
    if len(quarantine) > MAX_PROBLEM_LINES:
        lines.append(f"    ... and {len(quarantine) - MAX_PROBLEM_LINES} more in quarantine.parquet")
    return lines


def curation_lines(release: Path) -> list[str]:
    """The curation decisions in the summary: how many applied, and each that matched nothing."""
    log = pq.read_table(release / "curation_log.parquet").to_pandas()
    unmatched = log[log["status"] == "unmatched"]
    lines = [f"  curation        {len(log):>7}   ({len(log) - len(unmatched)} applied, {len(unmatched)} unmatched)"]
    return lines + [f"    - line {row.line}: {row.action} {row.target}: {row.detail}" for row in unmatched.itertuples()]


def summary(result: dg.ExecuteInProcessResult, output: Path, seconds: float) -> tuple[str, bool]:
    """The one-screen summary printed at the end of a build, and whether the build succeeded."""
    lines = []
    if not result.success:
        lines.append("BUILD FAILED")
        lines += failure_lines(result)
        lines.append(f"The previous release in {output} (if any) was left as it was.")
        return "\n".join(lines), False
    manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    counts = manifest["row_counts"]
    quarantine = read_quarantine(output)
    failed_checks = [e.asset_check_evaluation_data for e in result.all_events
                     if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed]
    lines += [
        f"Release {manifest['release_version']} written to {output} in {seconds:.1f} s",
        f"  documents       {counts['documents']:>7}",
        f"  actors          {counts['actors']:>7}   ({counts['actor_mentions']} mentions)",
        f"  events          {counts['events']:>7}   ({counts['event_reports']} reports)",
        f"  forecasts       {counts['forecasts']:>7}",
    ]
    lines += curation_lines(output) if counts.get("curation_log") else []
    lines += problem_lines(quarantine)
    lines.append(f"  checks          {'all passed' if not failed_checks else f'{len(failed_checks)} FAILED'}")
    for check in failed_checks:
        lines.append(f"    - {check.asset_key.to_user_string()}: {check.check_name}")
    return "\n".join(lines), True


def build_command(args: argparse.Namespace) -> int:
    sources, output = Path(args.sources), Path(args.output)
    if problem := path_problem(sources, output):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        build_time()  # a bad SOURCE_DATE_EPOCH is said before any work, not after the extraction
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        with output_lock(output):
            print(f"Building a release from {sources} into {output}", file=sys.stderr)
            started = time.monotonic()
            result = run_build(sources, output, strict=args.strict, with_text=not args.without_text,
                               dask_scheduler=args.dask_scheduler,
                               curation=Path(args.curation) if args.curation else None)
            # read under the lock: a build waiting for it would replace the release being summarised
            text, ok = summary(result, output.resolve(), time.monotonic() - started)
    except OutputBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 2
    print(text)
    return 0 if ok else 1


def watch_command(args: argparse.Namespace) -> int:
    from pipeline.watch import watch

    sources, output = Path(args.sources), Path(args.output)
    if problem := path_problem(sources, output):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        with output_lock(output):
            watch(sources, output, Path(args.dagster_home), interval=args.interval)
    except OutputBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped")
    return 0


def dictionary_command(args: argparse.Namespace) -> int:
    from pipeline.release.dictionary import render_dictionary

    path, text = Path(args.output), render_dictionary()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            print(f"{path} is stale: run `python -m pipeline dictionary`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def diff_command(args: argparse.Namespace) -> int:
    from pipeline.release.diff import diff_releases, is_release, to_json, to_markdown

    for folder in (Path(args.old), Path(args.new)):
        if not is_release(folder):
            print(f"error: {folder} is not a release folder (no Parquet files)", file=sys.stderr)
            return 2
    diff = diff_releases(Path(args.old), Path(args.new))
    print(to_json(diff) if args.json else to_markdown(diff), end="" if not args.json else "\n")
    return 0


def review_command(args: argparse.Namespace) -> int:
    from pipeline.release.diff import is_release
    from pipeline.release.review import write_worklist

    release = Path(args.release)
    if not is_release(release):
        print(f"error: {release} is not a release folder (no Parquet files)", file=sys.stderr)
        return 2
    markdown, table, count = write_worklist(release, Path(args.output), args.below)
    print(f"{count} row(s) to review: wrote {markdown} and {table}")
    return 0


def fetch_command(args: argparse.Namespace) -> int:
    sources = Path(args.sources)
    if not sources.is_dir():
        print(f"error: the sources folder {sources} does not exist", file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, max_bytes=args.max_bytes, max_redirects=args.max_redirects,
                    allow_private=args.allow_private)
    try:
        outcome = fetch_urls(sources, args.urls, limits, interval=args.interval,
                        say=lambda line: print(line, file=sys.stderr))
    except ValueError as error:  # feeds.yaml that is not a list of URLs
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"fetched into {sources}: {len(outcome.saved)} new or changed file(s), "
          f"{len(outcome.unchanged)} unchanged, {len(outcome.failed)} failed")
    return 1 if outcome.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build a release from a folder of articles")
    build.add_argument("--sources", default="seeds", help="folder of articles (default: seeds/)")
    build.add_argument("--output", default="output", help="release folder to write (default: output/)")
    build.add_argument("--strict", action="store_true",
                       help="fail on any schema failure instead of quarantining, and on any curation decision "
                            "that matches nothing")
    build.add_argument("--curation", metavar="FILE",
                       help="the reviewers' decisions to apply (default: curation.yaml at the sources folder's root)")
    build.add_argument("--without-text", action="store_true",
                       help="leave the articles' bodies (document_texts) out, for articles that may not be shared")
    build.add_argument("--dask-scheduler", default=os.environ.get("CHIPGEO_DASK_SCHEDULER", ""),
                       help="extract on the Dask cluster at this address, e.g. tcp://10.0.0.5:8786 "
                            "(default: $CHIPGEO_DASK_SCHEDULER, else this machine)")
    build.set_defaults(handler=build_command)
    watch = commands.add_parser("watch", help="keep the release up to date with the folder (a warm process)")
    watch.add_argument("--sources", default="seeds", help="folder of articles (default: seeds/)")
    watch.add_argument("--output", default="output", help="release folder to write (default: output/)")
    watch.add_argument("--dagster-home", default=os.environ.get("DAGSTER_HOME") or ".dagster",
                       help="the persistent Dagster instance's folder (default: $DAGSTER_HOME, else .dagster/)")
    watch.add_argument("--interval", type=float, default=2.0, help="seconds between looks at the folder")
    watch.set_defaults(handler=watch_command)
    dictionary = commands.add_parser("dictionary", help="write docs/DATA_DICTIONARY.md from the schemas")
    dictionary.add_argument("--output", default=str(Path(__file__).resolve().parents[1] / "docs" /
                                                    "DATA_DICTIONARY.md"), help="file to write")
    dictionary.add_argument("--check", action="store_true", help="only check that the file is up to date")
    dictionary.set_defaults(handler=dictionary_command)
    diff = commands.add_parser("diff", help="rows added, removed and changed between two releases")
    diff.add_argument("old", help="the earlier release folder")
    diff.add_argument("new", help="the later release folder")
    diff.add_argument("--json", action="store_true", help="print JSON instead of text")
    diff.set_defaults(handler=diff_command)
    review = commands.add_parser("review", help="list the rows of a release most worth a look, with curation entries")
    review.add_argument("release", help="the release folder")
    review.add_argument("--output", default="review", help="files to write: OUTPUT.md and OUTPUT.csv (default: review)")
    review.add_argument("--below", type=float, default=0.8, help="list rows whose confidence is below this")
    review.set_defaults(handler=review_command)
    fetch = commands.add_parser("fetch", help="download pages and feed items into the sources folder")
    fetch.add_argument("--sources", default="seeds", help="folder of articles (default: seeds/)")
    fetch.add_argument("urls", nargs="*", metavar="URL",
                       help="pages or feeds to fetch (default: the feeds listed in SOURCES/feeds.yaml)")
    fetch.add_argument("--allow-private", action="store_true",
                       help="also fetch from private and loopback addresses (refused by default)")
    fetch.add_argument("--interval", type=float, default=DEFAULT_INTERVAL,
                       help="seconds between two requests to one host (default %(default)s; robots.txt may ask more)")
    fetch.add_argument("--timeout", type=float, default=Limits.timeout,
                       help="seconds for connecting, for each read and for a whole body (default %(default)s)")
    fetch.add_argument("--max-bytes", type=int, default=Limits.max_bytes,
                       help="largest response kept, in bytes (default %(default)s)")
    fetch.add_argument("--max-redirects", type=int, default=Limits.max_redirects,
                       help="redirects followed at most (default %(default)s)")
    fetch.set_defaults(handler=fetch_command)
    args = parser.parse_args(argv)
    logging.getLogger("dagster").setLevel(logging.WARNING)
    return args.handler(args)
