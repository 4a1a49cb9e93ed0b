"""The items of an RSS or Atom feed file (feedparser): one article each.

An item's text is its full content where the feed carries it (``content:encoded``, Atom ``content``), else its
summary, and then :attr:`Item.summary_only` says so (ingest notes it as a ``summary_only`` caveat). A file
feedparser cannot read as a feed with items is not a feed (None).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import feedparser

from pipeline.sources.html import fragment_text


@dataclass(frozen=True)
class Item:
    key: str  # the item's id, else its link, else its position (1-based): the `#` part of its source_path
    body: str
    title: str | None
    url: str | None
    date: dt.date | None
    summary_only: bool


@dataclass(frozen=True)
class Feed:
    kind: str  # "rss" or "atom"
    publisher: str | None
    items: tuple[Item, ...]


def _date(entry) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*parsed[:3]) if parsed else None


def _text(entry) -> tuple[str, bool]:
    """(the item's text, whether it is only the summary)."""
    for content in entry.get("content") or []:
        text = fragment_text(content.get("value") or "")
        if text:
            return text, False
    return fragment_text(entry.get("summary") or ""), True


def read_feed_file(data: bytes) -> Feed | None:
    # feedparser fetches nothing given bytes, and resolves no external entities.
    parsed = feedparser.parse(data)
    version = parsed.get("version") or ""
    if not version or (parsed.get("bozo") and not parsed.entries):
        return None
    items = []
    for position, entry in enumerate(parsed.entries, start=1):
        body, summary_only = _text(entry)
        items.append(Item(key=str(entry.get("id") or entry.get("link") or position), body=body,
                          title=entry.get("title") or None, url=entry.get("link") or None, date=_date(entry),
                          summary_only=summary_only))
    kind = "atom" if version.startswith("atom") else "rss"
    return Feed(kind=kind, publisher=parsed.feed.get("title") or None, items=tuple(items))
