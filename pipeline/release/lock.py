"""One build at a time per output folder: an advisory lock on a file beside it.

Two builds writing one release raced: the loser failed with a raw ``OSError``
from a rename and still said the previous release was left as it was. The
CLI takes the lock before any work (a second build stops at once with one
line); the writer takes it too (a build started from the Dagster UI), which
in the CLI's process is a lock it already holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class OutputBusy(RuntimeError):
    """Another build is writing the same output folder."""


_HELD: dict[Path, int] = {}  # output folder -> the descriptor of its lock file, held by this process


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Hold the output folder's lock for the block; raise OutputBusy at once when another process holds it."""
    target = target.resolve()
    if target in _HELD:
        yield
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(target), os.O_RDONLY | os.O_CREAT, 0o644)  # flock needs no write access
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(f"another build is writing {target}; wait for it to finish or choose another "
                             "--output") from None
        _HELD[target] = fd
        try:
            yield
        finally:
            del _HELD[target]
    finally:
        os.close(fd)  # the last descriptor of the lock file closed releases the lock


def forget_inherited() -> None:
    """In a forked worker: close the lock descriptors inherited from the build, so that a worker outliving
    it (killed parent) does not keep the folder locked."""
    for fd in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()
