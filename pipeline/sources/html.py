"""A saved web page's article: its main text without site chrome, and the page's own metadata.

trafilatura finds the main text (navigation, ads, related links and comment threads left out; compared with
readability-lxml in docs/BENCHMARKS.md) and the title, site name and canonical URL; htmldate reads the
publication date from the page's markup only (no free-text guessing, no URL: the URL has its own step in
the published-date cascade) with a fixed upper bound, so the date never depends on the day of the build.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from htmldate import find_date

# htmldate refuses dates after its max_date, which defaults to today: a fixed bound keeps builds reproducible.
MAX_DATE = "2100-12-31"
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "section", "article",
           "ul", "ol", "table", "figure", "figcaption", "header", "footer", "dd", "dt"}
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Page:
    body: str  # paragraphs separated by blank lines, as in a .txt article
    title: str | None
    publisher: str | None
    url: str | None
    date: dt.date | None


def paragraphs(lines: list[str]) -> str:
    """Text lines (one block each) as paragraphs: spaces collapsed, empty lines dropped, a blank line between."""
    kept = [_SPACES.sub(" ", line).strip() for line in lines]
    return "\n\n".join(line for line in kept if line)


def page_date(data: bytes | str) -> dt.date | None:
    try:
        found = find_date(data, extensive_search=False, original_date=True, max_date=MAX_DATE)
    except (ValueError, TypeError):  # htmldate raises on markup it cannot parse; it is then no date
        return None
    return dt.date.fromisoformat(found) if found else None


def read_page(data: bytes) -> Page | None:
    """The article of a saved page, or None when the page has no main text."""
    # favor_precision, and fast (no fallback extractors): otherwise a page whose article is short comes back
    # with its headline, byline and share links, and one without an article with its navigation, as text.
    extracted = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, favor_precision=True,
                                            fast=True, include_tables=False, include_images=False,
                                            deduplicate=False)
    text = getattr(extracted, "text", None) or ""
    body = paragraphs(text.split("\n"))
    if not body:
        return None
    return Page(body=body, title=extracted.title or None, publisher=extracted.sitename or None,
                url=extracted.url or None, date=page_date(data))


def fragment_text(markup: str) -> str:
    """The text of an HTML fragment (a feed item's content), a paragraph per block element.

    A fragment is all article, so nothing is left out as chrome; plain text comes back as it was.
    """
    if "<" not in markup:
        return paragraphs(markup.split("\n"))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for unwanted in root.xpath("//comment()|//processing-instruction()|//script|//style"):
        unwanted.drop_tree()
    for element in root.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    return paragraphs(root.text_content().split("\n"))
