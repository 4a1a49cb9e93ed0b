"""Politeness per host: robots.txt (protego) read once per run, and a minimum interval between requests.

A robots.txt that is missing (4xx) allows everything, as the convention has it; one that cannot be fetched
(5xx, timeout, refused) allows nothing on that host for this run, the cautious reading. A ``Crawl-delay``
longer than the configured interval is honoured, up to ``MAX_CRAWL_DELAY``.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from protego import Protego

from pipeline.fetch.client import USER_AGENT, FetchError, Limits, get

# A robots.txt may ask for a delay between requests; beyond this many seconds it would stall a run.
MAX_CRAWL_DELAY = 60.0


class Politeness:
    def __init__(self, limits: Limits, interval: float):
        self.limits = limits
        self.interval = interval
        self._robots: dict[str, Protego | str] = {}  # origin -> rules, or why there are none
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request

    @staticmethod
    def _origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _rules(self, origin: str) -> Protego | str:
        if origin not in self._robots:
            try:
                self.wait(origin)
                response = get(f"{origin}/robots.txt", self.limits)
                if response.status >= 500:
                    self._robots[origin] = f"its robots.txt answered {response.status}"
                else:  # 4xx: no robots.txt, everything is allowed
                    text = response.body.decode("utf-8", errors="replace") if response.status == 200 else ""
                    self._robots[origin] = Protego.parse(text)
            except FetchError as error:
                self._robots[origin] = f"its robots.txt could not be fetched ({error})"
        return self._robots[origin]

    def allowed(self, url: str) -> None:
        """Raises FetchError when robots.txt forbids the URL (or cannot be read)."""
        rules = self._rules(self._origin(url))
        if isinstance(rules, str):
            raise FetchError(f"not fetched: {rules}")
        if not rules.can_fetch(url, USER_AGENT):
            raise FetchError("robots.txt forbids this URL")

    def wait(self, url: str) -> None:
        """Sleep until the host's interval (or its robots.txt crawl delay) has passed since its last request."""
        origin = self._origin(url)
        rules = self._robots.get(origin)
        asked = (rules.crawl_delay(USER_AGENT) or 0) if isinstance(rules, Protego) else 0
        delay = max(self.interval, min(asked, MAX_CRAWL_DELAY))
        host = urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None:
            time.sleep(max(0.0, last + delay - time.monotonic()))
        self._last[host] = time.monotonic()

    def get(self, url: str, headers: dict[str, str] | None = None):
        """A polite GET: robots.txt asked for every hop, the rate limit kept."""
        def check(hop: str) -> None:
            self.allowed(hop)
            self.wait(hop)
        return get(url, self.limits, headers, allowed=check)
