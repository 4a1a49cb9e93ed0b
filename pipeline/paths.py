"""The command line's two folders, checked before any work: one sentence per mistake.

A build extracts every article before it writes the release, so a bad ``--output`` found only by the
writer would cost the whole extraction first; the writer keeps its own check (the last word before
anything is replaced), and this module asks the same question up front, plus the mistakes only the
pair of folders shows: an output that is, holds or lies inside the sources.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.release.writer import NotAReleaseFolder, check_replaceable


def sources_problem(sources: Path) -> str | None:
    if not sources.exists():
        return f"sources folder {sources} does not exist"
    if not sources.is_dir():
        return f"--sources {sources} is a file, not a folder of articles (put the file in a folder)"
    return None


def output_problem(output: Path, sources: Path) -> str | None:
    """Why ``output`` cannot receive a release built from ``sources``, or None."""
    target, read = output.resolve(), sources.resolve()
    if target == target.parent:
        return f"--output {output} is the root folder: a release needs a folder of its own"
    if target == Path.home().resolve():
        return f"--output {output} is your home folder: a release needs a folder of its own"
    if target == read or target in read.parents:
        return f"--output {output} holds the sources folder {sources}: writing the release would replace it"
    if read in target.parents:
        return (f"--output {output} is inside the sources folder {sources}: the release would be read as "
                "articles by the next build")
    try:
        check_replaceable(target)
    except NotAReleaseFolder as refused:
        return str(refused)
    existing = next(folder for folder in (target, *target.parents) if folder.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"--output {output}: {existing} is not writable"
    return None


def path_problem(sources: Path, output: Path) -> str | None:
    """The first thing wrong with the pair of folders, as one line, or None when a build can start."""
    return sources_problem(sources) or output_problem(output, sources)
