"""Where fetched bytes go in the sources folder, and what the fetcher remembers between runs.

A page goes to ``fetched/<host>/<path words>-<8 hex of the URL's sha256>.<ext>``: one file per URL, named
from it (the hash keeps two URLs that read alike apart), the extension from what the server sent. The
fetcher's own files live in the hidden ``.fetch/`` folder, which ingest skips: ``state.json`` (per URL the
file written, its sha256 and the ETag / Last-Modified for conditional requests), ``feeds/`` (the last copy
of each feed, whose items are fetched as pages) and ``fetch_log.jsonl`` (one line per request: when, what,
the outcome).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

FETCHED = "fetched"
STATE_DIR = ".fetch"
MAX_NAME = 80

# Content types (before any `;`) and the extension their file gets; what is none of these is not kept.
EXTENSIONS = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
              "application/rss+xml": ".xml", "application/atom+xml": ".xml", "application/xml": ".xml",
              "text/xml": ".xml", "text/plain": ".txt"}
_SNIFFED = ((b"%PDF-", ".pdf"), (b"<?xml", ".xml"), (b"<rss", ".xml"), (b"<feed", ".xml"),
            (b"<!doctype html", ".html"), (b"<html", ".html"))


def extension(content_type: str | None, body: bytes) -> str | None:
    found = EXTENSIONS.get((content_type or "").split(";")[0].strip().lower())
    if found:
        return found
    start = body[:512].lstrip().lower()
    return next((ext for magic, ext in _SNIFFED if start.startswith(magic)), None)


def file_name(url: str, ext: str) -> str:
    """``https://news.example/2025/06/05/chip-curbs?x=1`` -> ``news.example/2025-06-05-chip-curbs-<hash>.html``."""
    parts = urlsplit(url)
    words = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-")[:MAX_NAME] or "index"
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", parts.hostname or "host") + (f"-{parts.port}" if parts.port else "")
    return f"{host}/{words}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}{ext}"


def fetched_urls(sources: Path) -> dict[str, str]:
    """The URL each fetched file came from (its path relative to ``sources`` -> URL), from ``state.json``: what
    ingest falls back on for a page that names no URL of its own (its date may be in the URL's path)."""
    path = sources / STATE_DIR / "state.json"
    try:
        info = path.stat()
    except OSError:
        return {}
    return _urls_of(path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4)
def _urls_of(path: Path, _mtime_ns: int, _size: int) -> dict[str, str]:
    """Read once per version of the file (the key holds its time and size), not once per document."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a damaged state names no URL; fetch itself reports it
        return {}
    if not isinstance(state, dict):
        return {}
    return {known["path"]: url for url, known in state.items()
            if isinstance(known, dict) and isinstance(known.get("path"), str)}


class Store:
    def __init__(self, sources: Path):
        self.sources = sources
        self.state_dir = sources / STATE_DIR
        self.state_path = self.state_dir / "state.json"
        self.log_path = self.state_dir / "fetch_log.jsonl"
        self.state: dict[str, dict] = (json.loads(self.state_path.read_text(encoding="utf-8"))
                                       if self.state_path.is_file() else {})

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since of the URL's last 200, while its file is still there."""
        known = self.state.get(url, {})
        if not known or not (self.sources / known["path"]).is_file():
            return {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def has(self, url: str) -> bool:
        known = self.state.get(url)
        return bool(known) and (self.sources / known["path"]).is_file()

    def path_of(self, url: str) -> Path:
        return self.sources / self.state[url]["path"]

    def save(self, url: str, rel: str, body: bytes, headers: dict[str, str]) -> bool:
        """Write the bytes under ``rel`` (unless they are the same as the file's); whether they were new."""
        path = self.sources / rel
        digest = hashlib.sha256(body).hexdigest()
        new = not path.is_file() or self.state.get(url, {}).get("sha256") != digest
        if new:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.part")  # hidden: the sensor never sees half a file
            temporary.write_bytes(body)
            os.replace(temporary, path)
        self.state[url] = {"path": rel, "sha256": digest, "etag": headers.get("etag"),
                           "last_modified": headers.get("last-modified")}
        return new

    def log(self, url: str, outcome: str, detail: str = "", status: int | None = None, path: str | None = None):
        self.state_dir.mkdir(parents=True, exist_ok=True)
        line = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "url": url, "outcome": outcome,
                "status": status, "path": path, "detail": detail}
        with self.log_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".part")
        temporary.write_text(json.dumps(self.state, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.state_path)
