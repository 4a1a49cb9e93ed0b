"""Peak memory of a build as the corpus grows: one JSONL feed of N articles per size, built in a child process.

    .venv/bin/python -m benchmarks.feed_memory --sizes 4000 16000

The target (issue 16): the largest feed's peak RSS (process tree) at most 1.25 times the smallest's, and
under 1.5 GiB. Writes the numbers to ``<workdir>/feed-memory.json`` and its section of
``docs/BENCHMARKS.md`` (``benchmarks.run --feed-sizes`` writes the same section into the whole report).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from benchmarks.corpus import write_feed
from benchmarks.measure import PROJECT_ROOT, run_child

GIB = 1024 ** 3
TARGET_RATIO = 1.25
TARGET_PEAK = 1.5 * GIB
HEADING = "## Memory as a feed grows"
# Stages of the build process's own peak, by the instrumented functions that run in them.
STAGES = (("extraction", "extract_all"), ("rows of the partitions", "corpus_rows"),
          ("validation", "validate_tables"), ("writing", "write_release"))


def feed(workdir: Path, size: int, seed: int) -> Path:
    """The folder holding the feed of this size and seed, written once and reused."""
    folder = workdir / f"feed-{size}-seed{seed}"
    marker = folder / ".complete"
    if not marker.is_file():
        write_feed(folder, size, seed)
        marker.write_text(f"{size} articles, seed {seed}\n")
    return folder


def measure(workdir: Path, sizes: list[int], seed: int, log=print) -> list[dict]:
    runs = []
    for size in sorted(sizes):
        sources = feed(workdir, size, seed)
        log(f"feed of {size}: build")
        output = workdir / f"feed-release-{size}"
        run = run_child("benchmarks.build", "--sources", str(sources), "--output", str(output))
        result = run.result or {}
        runs.append({"size": size, "feed_bytes": sum(p.stat().st_size for p in sources.glob("*.jsonl")),
                     "returncode": run.returncode, "wall_seconds": run.wall_seconds,
                     "peak_rss_tree": run.peak_rss_tree, "peak_rss_max_process": run.peak_rss_max_process,
                     "row_counts": result.get("row_counts", {}),
                     "calls": {name: call["peak_rss"] for name, call in result.get("calls", {}).items()}})
    return runs


def _mib(n: float) -> str:
    return f"{n / 2 ** 20:,.0f} MiB"


def section(runs: list[dict]) -> list[str]:
    out = [HEADING, "",
           "One JSONL feed of N articles of the synthetic corpus (one partition holding every article), built as "
           "above; peak RSS of the process tree (the build and its extraction workers, sampled every 50 ms), and "
           "the build process's own peak while each stage runs. Reproduce with "
           f"`python -m benchmarks.feed_memory --sizes {' '.join(str(r['size']) for r in runs)}`.", "",
           "| articles | feed | wall | peak RSS (tree) | largest process | "
           + " | ".join(name for name, _ in STAGES) + " | events | mentions |",
           "|---|---|---|---|---|" + "---|" * len(STAGES) + "---|---|"]
    for r in runs:
        stages = " | ".join(_mib(r["calls"][call]) if r["calls"].get(call) else "-" for _, call in STAGES)
        counts = r["row_counts"]
        out.append(f"| {r['size']:,} | {r['feed_bytes'] / 2 ** 20:,.1f} MiB | {r['wall_seconds']:,.0f} s "
                   f"| {_mib(r['peak_rss_tree'])} | {_mib(r['peak_rss_max_process'])} | {stages} "
                   f"| {counts.get('events', 0):,} | {counts.get('actor_mentions', 0):,} |")
    judged = target(runs)
    if judged:
        name, goal, value, met = judged
        out += ["", f"Target: {name} {goal}. Measured: {value}: **{'met' if met else 'MISSED'}**."]
    return out


def target(runs: list[dict]) -> tuple[str, str, str, bool] | None:
    """(target, goal, measured, met) of the largest feed against the smallest; None with fewer than two."""
    ok = [r for r in runs if r["returncode"] == 0]
    if len(ok) < 2:
        return None
    small, large = ok[0], ok[-1]
    ratio = large["peak_rss_tree"] / small["peak_rss_tree"]
    return (f"peak RSS (process tree) of a {large['size']:,}-article feed", f"within {TARGET_RATIO} times the "
            f"{small['size']:,}-article feed's and under 1.5 GiB",
            f"{ratio:.2f} times, {large['peak_rss_tree'] / GIB:.2f} GiB",
            ratio <= TARGET_RATIO and large["peak_rss_tree"] < TARGET_PEAK)


def replace_section(report: str, lines: list[str], heading: str = HEADING) -> str:
    """The report with its section under ``heading`` (the feed memory one) replaced (or added at the end)."""
    text = "\n".join(lines) + "\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(report):
        return pattern.sub(lambda _: text + "\n", report, count=1).rstrip("\n") + "\n"
    return report.rstrip("\n") + "\n\n" + text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default="/tmp/chipgeo-bench")
    parser.add_argument("--report", default=str(PROJECT_ROOT / "docs" / "BENCHMARKS.md"))
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    runs = measure(workdir, args.sizes, args.seed, log=lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}"))
    (workdir / "feed-memory.json").write_text(json.dumps(runs, indent=2), encoding="utf-8")
    report = Path(args.report)
    report.write_text(replace_section(report.read_text(encoding="utf-8"), section(runs)), encoding="utf-8")
    print(f"wrote {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
