"""A real HTTP server on loopback for the fetch tests: pages, a feed, robots.txt and misbehaving URLs.

Every route is written here; the server counts the requests per path and the conditional headers it saw, so
that tests can say what a fetch asked for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.sources.formats import rss, saved_page

ROBOTS = "User-agent: *\nDisallow: /private/\n"
FEED_ETAG = '"feed-v1"'
SLOW_SECONDS = 3.0
DRIP_SECONDS, DRIP_LINES = 0.4, 12
BIG_BYTES = 300_000


def page(title: str, paragraphs: list[str], published: dt.date, path: str) -> bytes:
    return saved_page(title, "\n\n".join(paragraphs), published, f"https://chipwire.example{path}").encode()


PAGES = {
    "/news/2025/06/05/fab": page("Acme opens a fab", [
        "Acme Semiconductor said on Thursday it opened a new wafer fab in Ohio.",
        "The plant will make 20,000 wafers a month when it is fully running, the company said."],
        dt.date(2025, 6, 5), "/news/2025/06/05/fab"),
    "/news/tools": page("Tool makers face new curbs", [
        "The Commerce Department on Monday added two tool makers to the Entity List.",
        "Both companies said they would appeal the decision."], dt.date(2025, 6, 9), "/news/tools"),
    # no canonical link, no date in the page: only the URL it was fetched from dates it
    "/2025/07/14/plain": (b"<html><head><title>Wafer prices</title></head><body><article>"
                          b"<p>Wafer prices rose for the third month in a row, two distributors said on Monday.</p>"
                          b"<p>Both expect the increase to slow once new capacity comes online.</p>"
                          b"</article></body></html>"),
    "/private/memo": page("Internal memo", ["This page is forbidden to robots and must not be fetched."],
                          dt.date(2025, 6, 1), "/private/memo"),
}


@dataclass
class Site:
    base: str = ""
    requests: Counter = field(default_factory=Counter)
    conditional: list[tuple[str, str | None]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def feed(self) -> bytes:
        items = [{"title": "Acme opens a fab", "url": self.url("/news/2025/06/05/fab"),
                  "published": dt.date(2025, 6, 5), "summary": "Acme opened a fab."},
                 {"title": "Tool makers face new curbs", "url": self.url("/news/tools"),
                  "published": dt.date(2025, 6, 9), "summary": "Two tool makers were listed."},
                 {"title": "Internal memo", "url": self.url("/private/memo"), "published": dt.date(2025, 6, 1),
                  "summary": "Forbidden."}]
        return rss(items).encode()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path
            site.requests[path] += 1
            if path == "/robots.txt":
                self._send(200, ROBOTS.encode(), "text/plain")
            elif path == "/feed.xml":
                site.conditional.append((path, self.headers.get("If-None-Match")))
                if self.headers.get("If-None-Match") == FEED_ETAG:
                    self._send(304)
                else:
                    self._send(200, site.feed(), "application/rss+xml", {"ETag": FEED_ETAG})
            elif path == "/relative.xml":  # an item whose link is relative to the feed's URL
                self._send(200, rss([{"title": "Tools", "url": "news/tools", "published": dt.date(2025, 6, 9),
                                      "summary": "Listed."}]).encode(), "application/rss+xml")
            elif path in PAGES:
                self._send(200, PAGES[path])
            elif path == "/slow":
                time.sleep(SLOW_SECONDS)
                self._send(200, b"<html><body><p>Too late.</p></body></html>")
            elif path == "/drip":  # a header line now and then, each within the socket's timeout
                with contextlib.suppress(OSError):
                    self.send_response(200)
                    for number in range(DRIP_LINES):
                        time.sleep(DRIP_SECONDS)
                        self.send_header(f"X-Drip-{number}", "x")
                        self.flush_headers()
            elif path == "/big":
                self._send(200, b"<html><body>" + b"<p>filler text</p>" * (BIG_BYTES // 18) + b"</body></html>")
            elif path in ("/loop-a", "/loop-b"):
                self._send(302, headers={"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
            elif path == "/always-304":  # a broken server: "not modified" to a request that asked nothing
                self._send(304)
            elif path == "/archive.zip":
                self._send(200, b"PK\x03\x04not a page", "application/zip")
            else:
                self._send(404, b"not found")

    return Handler


@contextmanager
def serve() -> Iterator[Site]:
    """The site on 127.0.0.1 at a free port, for the duration of the block."""
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
