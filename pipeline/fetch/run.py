"""Fetch pages and feeds into a sources folder, so that every build reads local files only.

A URL that serves a page (HTML, PDF, plain text) is saved as a file (:mod:`pipeline.fetch.store`). A URL
that serves an RSS or Atom feed is kept in ``.fetch/feeds/`` and each of its items' links is fetched as a
page, once: an item whose page is already in the folder costs no request. The feeds of ``feeds.yaml`` (in
the sources folder) are fetched when no URL is given. Every request is conditional when the URL was
fetched before (an unchanged feed costs one 304), polite (:mod:`pipeline.fetch.polite`) and safe
(:mod:`pipeline.fetch.client`); every failure is one line naming the URL, and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import yaml

from pipeline.fetch.client import FetchError, Limits
from pipeline.fetch.polite import Politeness
from pipeline.fetch.store import FETCHED, STATE_DIR, Store, extension, file_name
from pipeline.sources import feeds
from pipeline.sources.ingest import FEEDS_FILE

DEFAULT_INTERVAL = 1.0  # seconds between two requests to one host
FEEDS = f"{STATE_DIR}/feeds"  # the kept copies of feeds: hidden, as ingest is not to read them


@dataclass
class Outcome:
    saved: list[str] = field(default_factory=list)  # files written (relative to the sources folder)
    unchanged: list[str] = field(default_factory=list)  # URLs answered 304, or the same bytes again
    failed: list[str] = field(default_factory=list)  # one line per failure


def feed_urls(sources: Path) -> list[str]:
    """The feed URLs of ``feeds.yaml``: a list of URLs, or a mapping with a ``feeds`` list."""
    path = sources / FEEDS_FILE
    if not path.is_file():
        return []
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{path}{where}: not a valid YAML list of feed URLs") from None
    listed = loaded.get("feeds") if isinstance(loaded, dict) else loaded
    if not isinstance(listed, list) or not all(isinstance(url, str) for url in listed):
        raise ValueError(f"{path}: expected a list of feed URLs (or `feeds:` with one)")
    return listed


class Fetcher:
    def __init__(self, sources: Path, limits: Limits, interval: float = DEFAULT_INTERVAL,
                 say: Callable[[str], None] = print):
        self.store = Store(sources)
        self.polite = Politeness(limits, interval)
        self.say = say
        self.outcome = Outcome()

    def _fail(self, url: str, reason: str, status: int | None = None) -> None:
        self.outcome.failed.append(f"{url}: {reason}")
        self.say(f"failed: {url}: {reason}")
        self.store.log(url, "failed", reason, status)

    def _download(self, url: str) -> tuple[bytes, dict, str] | None:
        """(body, headers, extension) of a 200, None for a 304 or a failure (said and logged)."""
        try:
            response = self.polite.get(url, self.store.conditional_headers(url))
        except FetchError as error:
            self._fail(url, str(error))
            return None
        if response.status == 304 and not self.store.has(url):  # asked for nothing conditional: no copy to keep
            self._fail(url, "HTTP 304 (not modified) without a kept copy of it", 304)
            return None
        if response.status == 304:
            self.outcome.unchanged.append(url)
            self.store.log(url, "not_modified", status=304, path=self.store.state[url]["path"])
            return None
        if response.status != 200:
            self._fail(url, f"HTTP {response.status}", response.status)
            return None
        ext = extension(response.headers.get("content-type"), response.body)
        if ext is None:
            self._fail(url, f"content type {response.headers.get('content-type')!r} is not a page, feed or PDF",
                       200)
            return None
        return response.body, response.headers, ext

    def _keep(self, url: str, rel: str, body: bytes, headers: dict) -> None:
        if self.store.save(url, rel, body, headers):
            self.outcome.saved.append(rel)
            self.store.log(url, "saved", status=200, path=rel)
        else:
            self.outcome.unchanged.append(url)
            self.store.log(url, "unchanged", status=200, path=rel)

    def fetch(self, url: str, item: bool = False) -> None:
        """A page into ``fetched/``, or a feed into ``.fetch/feeds/`` and then its items' pages.

        An item (a link of a feed) whose page is already in the folder is not requested again. An unchanged
        feed (304) still has the items of its kept copy fetched that are not in the folder yet (an earlier
        run may have failed on some); those already there cost nothing.
        """
        url = urldefrag(url).url  # "#comments" names a part of the page the server sends whole
        if item and self.store.has(url):
            return
        downloaded = self._download(url)
        if downloaded is None:
            if url not in self.outcome.unchanged or item:
                return
            body = self.store.path_of(url).read_bytes()
            feed = feeds.read_feed_file(body) if self.store.state[url]["path"].startswith(FEEDS) else None
        else:
            body, headers, ext = downloaded
            feed = feeds.read_feed_file(body) if ext == ".xml" else None
            if feed is None:
                self._keep(url, f"{FETCHED}/{file_name(url, ext)}", body, headers)
                return
            if item:
                self._fail(url, "a feed item's link serves another feed: not followed", 200)
                return
            self._keep(url, f"{FEEDS}/{file_name(url, ext)}", body, headers)
        for entry in feed.items if feed else ():
            if entry.url:
                self.fetch(urljoin(url, entry.url), item=True)  # a link may be relative to the feed's URL
            else:
                self._fail(url, f"item {entry.key!r} has no link to fetch")


def fetch_urls(sources: Path, urls: list[str], limits: Limits, interval: float = DEFAULT_INTERVAL,
          say: Callable[[str], None] = print) -> Outcome:
    """Fetch the URLs (the feeds of ``feeds.yaml`` when none is given) into the sources folder."""
    fetcher = Fetcher(sources, limits, interval, say)
    try:
        for url in urls or feed_urls(sources):
            fetcher.fetch(url)
    finally:
        fetcher.store.close()
    return fetcher.outcome
