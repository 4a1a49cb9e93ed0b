"""The published date of a document that its metadata does not give: a dateline, else its URL's path.

The cascade (:func:`published`) takes the first of: the front matter's (or JSONL record's) ``published``,
the date the format's own metadata carries (an HTML page's, a feed item's, a PDF's), a dateline at the
start of a paragraph (``TAIPEI, March 3, 2025 (Reuters) -``), and a date in the URL's path
(``/2025/06/05/``). A dateline without a year takes it from the URL's path, or is no date: a year is
never guessed. ``published_source`` names which one gave the date.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from pipeline.temporal.expressions import month_number

# A dateline opens a paragraph: a place in capitals, a comma, a month and day (and year), then the agency in
# brackets or a dash. Only the body's first paragraphs are looked at.
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z.'\- ]{1,40}(?:,[ \t]*[A-Z][A-Za-z.'\- ]{1,30})?,[ \t]+"
    r"(?P<month>[A-Z][a-z]{2,8})\.?[ \t]+(?P<day>\d{1,2})(?:,[ \t]+(?P<year>\d{4}))?"
    r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?[-\u2013\u2014]", re.MULTILINE)
DATELINE_WINDOW = 600
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})(?=[/.\-_]|$)")
_URL_YEAR = re.compile(r"/((?:19|20)\d{2})(?=/)")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def url_date(url: str | None) -> dt.date | None:
    """``https://x.example/news/2025/06/05/story`` (or ``/2025-06-05-story``) gives 2025-06-05."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    return _date(int(match["year"]), int(match["month"]), int(match["day"])) if match else None


def _url_year(url: str | None) -> int | None:
    match = _URL_YEAR.search(urlsplit(url).path) if url else None
    return int(match.group(1)) if match else None


def dateline_date(body: str, url: str | None = None) -> dt.date | None:
    """The date of a dateline among the body's first characters; its year, if it has none, from the URL."""
    for match in _DATELINE.finditer(body[:DATELINE_WINDOW]):
        month = month_number(match["month"])
        year = int(match["year"]) if match["year"] else _url_year(url)
        if month and year:
            return _date(year, month, int(match["day"]))
    return None


def published(front_matter: dt.date | None, format_metadata: dt.date | None, body: str,
              url: str | None) -> tuple[dt.date | None, str | None]:
    """(date, which source gave it) by the cascade; (None, None) when nothing gives one."""
    for source, found in (("front_matter", lambda: front_matter), ("format_metadata", lambda: format_metadata),
                          ("dateline", lambda: dateline_date(body, url)), ("url_path", lambda: url_date(url))):
        date = found()
        if date is not None:
            return date, source
    return None, None
