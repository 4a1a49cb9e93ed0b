"""Progress lines for long work, on stderr, at most about one a second."""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts items done and prints `label  done/total (rate/s)` now and then, and once at the end."""

    def __init__(self, label: str, total: int, stream=None, every: float = 1.0):
        self.label, self.total, self.every = label, total, every
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = self._last = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._print(now)

    def finish(self) -> None:
        self._print(time.monotonic())

    def _print(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        print(f"  {self.label:<24} {self.done:>7}/{self.total:<7} ({self.done / elapsed:,.0f}/s)",
              file=self.stream, flush=True)
