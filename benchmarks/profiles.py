"""pyinstrument profiles: the text tree, and the top functions by self and by total time as JSON.

Note on reading them: time spent inside a compiled regular expression while a ``for m in
pattern.finditer(...)`` loop advances is not a separate call for pyinstrument, so it shows up as the
*self* time of the Python function running the loop. In this rule-based pipeline, high self time in a
function that loops over patterns is regex scanning.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

TOP = 15


def _walk(frame, ancestors: frozenset, totals: dict, selfs: dict) -> None:
    if not frame.is_synthetic:
        key = f"{frame.function}  {frame.file_path_short}:{frame.line_no}"
        selfs[key] += frame.total_self_time
        if key not in ancestors:  # recursion: count a function's total once per stack
            totals[key] += frame.time
        ancestors = ancestors | {key}
    for child in frame.children:
        _walk(child, ancestors, totals, selfs)


def hotspots(session, top: int = TOP) -> dict:
    """Top functions of the project (``pipeline``, ``schemas``) and of everything, by self and total time."""
    root = session.root_frame()
    totals: dict[str, float] = defaultdict(float)
    selfs: dict[str, float] = defaultdict(float)
    if root is not None:
        _walk(root, frozenset(), totals, selfs)
    duration = session.duration or 1e-9

    def ranked(table: dict[str, float], only_project: bool) -> list[dict]:
        rows = [(k, v) for k, v in table.items()
                if not only_project or k.split("  ")[-1].startswith(("pipeline/", "schemas/"))]
        rows.sort(key=lambda kv: -kv[1])
        return [{"function": k, "seconds": round(v, 3), "share": round(v / duration, 3)} for k, v in rows[:top]]

    return {
        "duration": duration, "cpu_time": getattr(session, "cpu_time", None),
        "self_project": ranked(selfs, True), "total_project": ranked(totals, True),
        "self_all": ranked(selfs, False),
    }


def save_profile(session, path: Path) -> dict:
    """``path`` gets the text tree (``.txt``); ``path`` with ``.json`` the hotspots, which are returned."""
    from pyinstrument.renderers import ConsoleRenderer

    path.parent.mkdir(parents=True, exist_ok=True)
    text = ConsoleRenderer(unicode=False, color=False, short_mode=False, show_all=False).render(session)
    path.write_text(text, encoding="utf-8")
    spots = hotspots(session)
    path.with_suffix(".json").write_text(json.dumps(spots, indent=2), encoding="utf-8")
    return spots
