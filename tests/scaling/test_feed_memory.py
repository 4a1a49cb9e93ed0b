"""The benchmark's feed memory section: the target judged from the numbers, written in place of the last one."""

from __future__ import annotations

from benchmarks.feed_memory import GIB, HEADING, replace_section, section


def run(size: int, peak: float) -> dict:
    return {"size": size, "feed_bytes": size * 4300, "returncode": 0, "wall_seconds": size / 25,
            "peak_rss_tree": peak, "peak_rss_max_process": peak * 0.6, "row_counts": {"events": size * 11},
            "calls": {"extract_all": 300 * 2 ** 20}}


def test_the_target_is_the_largest_feed_against_the_smallest() -> None:
    assert section([run(4000, 0.8 * GIB), run(16000, 0.96 * GIB)])[-1].endswith("1.20 times, 0.96 GiB: **met**.")
    assert section([run(4000, 0.8 * GIB), run(16000, 1.2 * GIB)])[-1].endswith("**MISSED**.")
    assert section([run(4000, 1.3 * GIB), run(16000, 1.55 * GIB)])[-1].endswith("**MISSED**.")


def test_the_section_replaces_the_previous_one_and_keeps_the_rest() -> None:
    report = f"# Benchmarks\n\n## Builds\n\nold builds\n\n{HEADING}\n\nold numbers\n\n## Missed targets\n\nnone\n"
    lines = section([run(4000, 0.8 * GIB), run(16000, 0.9 * GIB)])
    once = replace_section(report, lines)
    assert "old numbers" not in once and "old builds" in once
    assert once.index("## Builds") < once.index(HEADING) < once.index("## Missed targets")
    assert replace_section(once, lines) == once
    assert replace_section("# Benchmarks\n", lines).endswith("\n".join(lines) + "\n")
