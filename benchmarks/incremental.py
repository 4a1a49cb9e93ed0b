"""One article added to a built corpus: how long until the release has it.

    python -m benchmarks.incremental --sources DIR --workdir DIR [--seed 7]

With the partitioned assets (``file_extractions`` has one dynamic partition per source file and the
``watch_sources`` sensor), this is what a deployment does when an article lands in the folder: the first
build of the corpus runs through ``run_build`` on a persistent ``DagsterInstance`` (on disk, in
``--workdir``); then one article is written to the folder and, in a fresh process (as Dagster's run
launcher starts one per run), its partition is registered and one run materialises that partition and the
corpus-level assets (the sensor's run request for one file). The measured time is that process's wall
time, start-up included. Without partitions, it is a full rebuild of the corpus plus one article.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import warnings
from pathlib import Path

from benchmarks.corpus import ArticleWriter, file_name


def partitioned() -> bool:
    """Whether the project's assets are partitioned by source file (dynamic partitions)."""
    import dagster as dg

    from pipeline.definitions import build_definitions

    graph = build_definitions().resolve_asset_graph()
    return any(isinstance(graph.get(key).partitions_def, dg.DynamicPartitionsDefinition)
               for key in graph.get_all_asset_keys())


def link_copy(source: Path, target: Path) -> int:
    """The corpus's files into a fresh folder, as hard links (fast; the files are never written)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    count = 0
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            try:
                os.link(path, target / path.name)
            except OSError:
                shutil.copy2(path, target / path.name)
            count += 1
    return count


def _instance(home: Path):
    import dagster as dg

    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.local_temp(str(home))


def warm_runs(sources: Path, output: Path, home: Path, seed: int, base: int) -> dict:
    """In this process, as ``python -m pipeline watch`` does: the first look at the folder builds the
    corpus; then one article is written and the next look brings the release up to date (timed from the
    file's writing to the release in place), twice."""
    from benchmarks.build import asset_groups, stage_timings
    from pipeline.watch import Watcher

    with _instance(home) as instance:
        watcher = Watcher(sources, output, instance)
        started = time.perf_counter()
        (first,) = watcher.update()
        initial = time.perf_counter() - started
        added = []
        for index in (base, base + 1):
            started = time.perf_counter()
            (sources / file_name(index)).write_text(ArticleWriter(seed).text(index), encoding="utf-8")
            (run,) = watcher.update()
            added.append({"seconds": time.perf_counter() - started, "success": bool(run.success),
                          "stages": stage_timings(run, asset_groups())[0]})
    return {"initial_seconds": initial, "initial_success": bool(first.success), "added": added}


def run_new_article(sources: Path, output: Path, home: Path, rel: str) -> dict:
    """In this (fresh) process: register the new file's partition, run it and the corpus-level assets."""

    from benchmarks.build import asset_groups, stage_timings
    from pipeline.definitions import build_definitions
    from pipeline.defs.resources import ReleaseSettings
    from pipeline.defs.sensors import run_request_for
    from pipeline.defs.sources import partition_key, sync_partitions

    settings = ReleaseSettings(sources_dir=str(sources.resolve()), output_dir=str(output.resolve()))
    job = build_definitions(settings).resolve_implicit_global_asset_job_def()
    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    with _instance(home) as instance:
        started = time.perf_counter()
        sync_partitions(instance, settings.sources_path)
        request = run_request_for([partition_key(rel)])
        result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False,
                                        partition_key=request.partition_key, tags=dict(request.tags),
                                        asset_selection=request.asset_selection)
        seconds = time.perf_counter() - started
        stages, steps = stage_timings(result, asset_groups())
    return {"success": bool(result.success), "run_seconds": seconds, "stages": stages,
            "steps": len(steps)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True, help="the built corpus to add an article to")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", help="profile the new article's run with pyinstrument into this file")
    parser.add_argument("--new-article", help=argparse.SUPPRESS)  # internal: the fresh process's step
    parser.add_argument("--warm", type=int, help=argparse.SUPPRESS)  # internal: the watcher's process
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import logging

    logging.getLogger("dagster").setLevel(logging.WARNING)
    work = Path(args.workdir)
    sources, output, home = work / "sources", work / "release", work / "dagster_home"
    if args.warm is not None:
        print(json.dumps(warm_runs(sources, output, home, args.seed, args.warm)))
        return 0
    if args.new_article:
        started = time.perf_counter()
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002)
            profiler.start()
        result = run_new_article(sources, output, home, args.new_article)
        if profiler is not None:
            profiler.stop()
            from benchmarks.profiles import save_profile

            result["profile"] = save_profile(profiler.last_session, Path(args.profile))
        print(json.dumps({**result, "process_seconds": time.perf_counter() - started}))
        return 0 if result["success"] else 1

    from benchmarks.measure import run_child

    shutil.rmtree(work, ignore_errors=True)
    base = link_copy(Path(args.sources), sources)
    new = file_name(base)
    is_partitioned = partitioned()
    if is_partitioned:
        warm = run_child("benchmarks.incremental", "--sources", args.sources, "--workdir", str(work),
                         "--seed", str(args.seed), "--warm", str(base))
        first = {"seconds": (warm.result or {}).get("initial_seconds"),
                 "success": bool((warm.result or {}).get("initial_success"))}
        children = []
        # One more article in a fresh process, timed; then another, profiled (pyinstrument slows what it samples).
        for index, profile in ((base + 2, None), (base + 3, args.profile)):
            new = file_name(index)
            (sources / new).write_text(ArticleWriter(args.seed).text(index), encoding="utf-8")
            children.append(run_child("benchmarks.incremental", "--sources", args.sources, "--workdir", str(work),
                                      "--seed", str(args.seed), "--new-article", new,
                                      *(("--profile", profile) if profile else ())))
        child, profiled = children[0], children[-1].result or {}
        inner = child.result
        if child.returncode != 0 or not inner:
            print(child.stderr_tail, file=sys.stderr)
        description = (
            f"Persistent Dagster instance on disk. **Warm** (`python -m pipeline watch`): one process looks at "
            f"the folder; its first look builds the {base:,} articles, then an article is written and the next "
            f"look (the `watch_sources` sensor's tick and its run: the new partition, then the corpus step) "
            f"brings the release up to date, timed from the file's writing to the release in place; twice. "
            f"**Fresh process** (as the Dagster daemon's run launcher starts one per run): one more article, "
            f"its partition registered (`sync_partitions`) and one run of it plus the corpus-level assets; the "
            f"time is the whole process: start-up (imports, the instance) "
            f"{child.wall_seconds - inner.get('run_seconds', 0):.1f} s, the run {inner.get('run_seconds', 0):.1f} s.")
        result = {"mode": "one new partition + corpus assets", "base_articles": base,
                  "warm": warm.result, "warm_stderr": None if warm.result else warm.stderr_tail,
                  "initial_seconds": first["seconds"], "initial_success": first["success"],
                  "incremental_seconds": child.wall_seconds, "incremental_run_seconds": inner.get("run_seconds"),
                  "incremental_stages": inner.get("stages"), "success": bool(inner.get("success")),
                  "incremental_peak_rss_tree": child.peak_rss_tree, "description": description,
                  "profile": profiled.get("profile")}
    else:
        first = run_child("benchmarks.build", "--sources", str(sources), "--output", str(output))
        (sources / new).write_text(ArticleWriter(args.seed).text(base), encoding="utf-8")
        child = run_child("benchmarks.build", "--sources", str(sources), "--output", str(output))
        description = ("The assets are not partitioned by source file here, so adding an article means a "
                       "full rebuild of the corpus plus one article (timed as a whole build in a fresh process).")
        result = {"mode": "full rebuild", "base_articles": base, "initial_seconds": first.wall_seconds,
                  "initial_success": first.returncode == 0, "incremental_seconds": child.wall_seconds,
                  "incremental_stages": child.result.get("stages"), "success": child.returncode == 0,
                  "description": description}
    manifest = output / "release.json"
    if manifest.is_file():
        result["documents_after"] = json.loads(manifest.read_text())["row_counts"]["documents"]
    print(json.dumps(result))
    return 0 if result["success"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
