"""Read a sources folder into documents, setting aside what cannot be read.

Accepted: ``.txt`` / ``.md`` files with optional YAML front matter, ``.jsonl``
feeds (one article per line), saved web pages (``.html`` / ``.htm``, see
:mod:`pipeline.sources.html`), RSS and Atom feed files (``.xml`` / ``.rss`` /
``.atom``, one article per item, :mod:`pipeline.sources.feeds`) and PDFs
(:mod:`pipeline.sources.pdf`). A document's published date comes from the
cascade of :mod:`pipeline.sources.published`. Everything else, and every broken
input, becomes a :class:`Problem` naming the file (and line) and a reason code
from :data:`REASONS`; the rest of the folder is still read. Some problems set
the input aside (:data:`SET_ASIDE`), others keep the document with a caveat
(:data:`KEPT_WITH_CAVEAT`). Nothing here raises on bad input.

Safety: front matter is read with a safe YAML loader; links are followed only
when they stay inside the sources folder; only regular files are opened; no
path is built from an input's content. Limits (documented in the README's
"Input" paragraph): an article file may be at most ``MAX_ARTICLE_BYTES``, a
JSONL feed at most ``MAX_FEED_BYTES``, a page, feed file or PDF at most
``MAX_EXTRACTED_BYTES``, with lines of at most
``MAX_FEED_LINE_BYTES`` and article texts of at most ``MAX_ARTICLE_BYTES``;
front matter is parsed up to ``MAX_FRONT_MATTER_BYTES``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import yaml

from pipeline.documents.model import Document
from pipeline.fetch.store import fetched_urls
from pipeline.sources import feeds, html, pdf
from pipeline.sources.published import published

ARTICLE_SUFFIXES = (".txt", ".md")
FEED_SUFFIX = ".jsonl"
# Formats whose text is extracted from markup or layout, and the reader of each suffix.
EXTRACTED_SUFFIXES = {".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed",
                      ".pdf": "pdf"}
# Files known to travel beside articles without being articles (an evaluation set's gold annotations,
# `dev-01.gold.json` beside `dev-01.txt`): skipped like hidden files, not reported as problems.
SIDECAR_SUFFIXES = (".gold.json",)
# Files at the folder's root that configure the pipeline, no articles: the reviewers' decisions
# (pipeline/release/curation.py) and the feeds `pipeline fetch` follows (pipeline/fetch/run.py).
CURATION_FILE = "curation.yaml"
FEEDS_FILE = "feeds.yaml"
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_FEED_BYTES = 512 * 1024 * 1024
# Saved pages carry scripts and styles, PDFs fonts and images: far more bytes than their text.
MAX_EXTRACTED_BYTES = 32 * 1024 * 1024
# A feed line holds the text JSON-escaped (\uXXXX may take six bytes for one character), hence the headroom.
MAX_FEED_LINE_BYTES = 4 * MAX_ARTICLE_BYTES
MAX_FRONT_MATTER_BYTES = 64 * 1024
# Share of undecodable bytes up to which a non-UTF-8 file is still read (with a problem noted).
MAX_REPLACED_SHARE = 0.01
# A broken feed lists its first problems one by one, then only how many more there were.
MAX_PROBLEMS_PER_FEED = 100
# Published dates outside this range are certainly wrong (and out of pandas' timestamp range).
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
LATEST_PUBLISHED = dt.date(2100, 12, 31)

# Reason codes. An input with one of these is not in the release (its path, line and detail are).
SET_ASIDE = {
    "unsupported_extension": "not a .txt, .md, .jsonl, .html, .htm, .xml, .rss, .atom or .pdf file",
    "link_outside_sources": "a link to a file or folder outside the sources folder: not followed",
    "bad_file_name": "the file name is not valid UTF-8, so no source_path can name it",
    "not_a_file": "a pipe, socket or device, not a regular file: not opened",
    "unreadable": "the operating system refused to read it",
    "file_too_large": "over the size limit of its kind",
    "empty_file": "no article text (no bytes, only whitespace, or front matter alone)",
    "binary_file": "NUL bytes or mostly undecodable: not a text file",
    "not_utf8": "more than 1% of the text is not UTF-8: too damaged to read honestly",
    "duplicate": "the same body text as another document, which is kept under its own path",
    "bad_jsonl_line": "a feed line that is not a JSON object",
    "empty_article": "a feed line without a `text` string, or a feed item without content or summary",
    "no_text": "a page without main text (only navigation, ads, comments), or a PDF without extractable text",
    "broken_pdf": "not a PDF that can be read (damaged, truncated or encrypted)",
    "not_a_feed": "an .xml, .rss or .atom file that is not an RSS or Atom feed with items",
    "line_too_large": "a feed line or its text over the size limit",
    "duplicate_id": "a feed line reusing an id of an earlier line of the same feed",
    "too_many_problems": "a feed with more broken lines than are listed one by one",
    "extraction_timeout": "its extraction ran over the time a document is given (`document_timeout`)",
}
# Reason codes of a document that is in the release, with the caveat said in the detail.
KEPT_WITH_CAVEAT = {
    "not_utf8_repaired": "a few undecodable bytes (or unpaired surrogate escapes) replaced by U+FFFD",
    "bad_front_matter": "front matter that is not a YAML mapping: read as plain `key: value` lines where every "
                        "line is one, else the document has no metadata",
    "invalid_published_date": "`published` is not an ISO date in range: the document has no date",
    "bad_metadata": "a title, publisher or url that is not text: that field is left empty",
    "summary_only": "a feed item that carries only its summary: the document is the summary, not the article",
}
REASONS = {**SET_ASIDE, **KEPT_WITH_CAVEAT}


@dataclass(frozen=True)
class Problem:
    """An input, or a line of one, that was set aside or read with a caveat."""

    source_path: str
    reason: str
    detail: str
    line: int | None = None


@dataclass(frozen=True)
class Ingested:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def doc_id_for(body: str) -> str:
    """Same body text, same id: the first 16 hex digits of its sha256."""
    return sha256_hex(body)[:16]


def normalise_newlines(text: str) -> str:
    """Universal newlines, as Python's text mode reads a file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A block of '---' lines at the very start (the same rule as the contract's checker).
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?:(.*?)\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter block or None, body)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    return match.group(1) or "", text[match.end():]


# ---------------------------------------------------------------- values


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Zz ]*)?")


MAX_SHOWN_CHARS = 60


def shown(value: object) -> str:
    """An input value for a message, bounded: a text's first characters, else its kind (a message never
    formats a whole value, which may be megabytes long or nested without end)."""
    if isinstance(value, str):
        return repr(value[:MAX_SHOWN_CHARS]) + ("..." if len(value) > MAX_SHOWN_CHARS else "")
    return f"a {type(value).__name__} value"


def _iso_date(text: str) -> dt.date:
    match = _ISO_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"published {shown(text)} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError as error:
        raise ValueError(f"published {shown(text)} is not a valid date ({error})") from None


def parse_date(value: object) -> dt.date | None:
    """A published date from YAML/JSON: a date, a datetime or an ISO string; raises ValueError otherwise.

    ``2025-12-10`` and ``2025-12-10T08:00:00Z`` give 2025-12-10; ``2025-13-01``, ``10 Dec 2025``,
    ``2025`` and dates before 1900 or after 2100 are errors.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        date = _iso_date(value.strip())
    else:
        raise ValueError(f"published {shown(value)} is not an ISO date (YYYY-MM-DD)")
    if not EARLIEST_PUBLISHED <= date <= LATEST_PUBLISHED:
        raise ValueError(f"published {date.isoformat()} is outside {EARLIEST_PUBLISHED}..{LATEST_PUBLISHED}")
    return date


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """(text with unpaired surrogates replaced by U+FFFD, how many): they cannot be written as UTF-8.

    JSON and YAML escapes (``"\\ud800"``) can produce them; the replacement keeps every offset.
    """
    return _SURROGATE.subn("\ufffd", text)


def _text_field(meta: dict, key: str, source_path: str, line: int | None, problems: list[Problem]) -> str | None:
    """A metadata field as text; a list or mapping is not a title, so it is left out and said so."""
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
        problems.append(Problem(source_path, "bad_metadata",
                                f"`{key}` is not text but a {type(value).__name__} value; left empty", line))
        return None
    text, replaced = replace_surrogates(str(value).strip())
    if replaced:
        problems.append(Problem(source_path, "not_utf8_repaired",
                                f"{replaced} unpaired surrogate escape(s) in `{key}` replaced by U+FFFD", line))
    return text or None


def _published(meta: dict, source_path: str, line: int | None, problems: list[Problem]) -> dt.date | None:
    try:
        return parse_date(meta.get("published"))
    except ValueError as error:
        problems.append(Problem(source_path, "invalid_published_date",
                                f"{error}; not used (a dateline or the URL may still date it)", line))
        return None


@dataclass(frozen=True)
class Origin:
    """What a document was read from: its format, the sha256 of those bytes, and the date its format's
    metadata gives (a page's, a feed item's, a PDF's)."""

    format: str
    original_sha256: str
    format_date: dt.date | None = None


def make_document(source_path: str, body: str, meta: dict, problems: list[Problem], origin: Origin,
                  line: int | None = None, date_line: int | None = None, file_path: str | None = None) -> Document:
    """A document of a body and its metadata; metadata that cannot be used is left out with a problem.

    Problems name ``file_path`` (a feed, for a feed's article) and ``line``, as every problem of a file does.
    """
    where = file_path or source_path
    digest = sha256_hex(body)
    url = _text_field(meta, "url", where, line, problems)
    date, date_source = published(_published(meta, where, date_line or line, problems), origin.format_date, body,
                                  url)
    return Document(
        doc_id=digest[:16],
        source_path=source_path,
        body=body,
        text_sha256=digest,
        title=_text_field(meta, "title", where, line, problems),
        publisher=_text_field(meta, "publisher", where, line, problems),
        url=url,
        published_date=date,
        format=origin.format,
        original_sha256=origin.original_sha256,
        published_source=date_source,
    )


# ---------------------------------------------------------------- bytes to text


def _undecodable(data: bytes) -> int:
    """How many undecodable byte sequences a UTF-8 reading of the bytes replaces."""
    return len(data.decode("utf-8", errors="replace")) - len(data.decode("utf-8", errors="ignore"))


def decode(data: bytes, source_path: str, problems: list[Problem], line: int | None = None) -> str | None:
    """UTF-8 text with universal newlines; a little damage is replaced and noted, more is refused.

    ``line`` is the feed line the bytes are (None for a whole file, whose first bad byte's line is given).
    """
    if b"\x00" in data:
        problems.append(Problem(source_path, "binary_file", "contains NUL bytes: not a text file", line))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        replaced = _undecodable(data)
        where = line if line is not None else data[:error.start].count(b"\n") + 1
        if replaced > max(1, len(text) * MAX_REPLACED_SHARE):
            problems.append(Problem(source_path, "not_utf8",
                                    f"not UTF-8 text: {replaced} undecodable byte sequence(s), the first at byte "
                                    f"{error.start} ({error.reason}); over 1% of the text", where))
            return None
        problems.append(Problem(source_path, "not_utf8_repaired",
                                f"{replaced} undecodable byte sequence(s), the first at byte {error.start}, "
                                "replaced by U+FFFD; document kept", where))
    return normalise_newlines(text)


# ---------------------------------------------------------------- articles


class FrontMatterLoader(yaml.SafeLoader):
    """The safe loader with dates left as text (``parse_date`` judges them: PyYAML raises on 2025-13-45) and
    no aliases: metadata never needs one, and a few hundred bytes of nested aliases stand for billions of
    items that any later walk over the value (a check, an error message) would expand."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "an alias (*name) is not read in front matter",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rule) for tag, rule in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _yaml_error_line(error: Exception) -> int | None:
    """The file line of a YAML error (the block starts on the file's second line)."""
    mark = getattr(error, "problem_mark", None)
    return mark.line + 2 if mark is not None else None


def _yaml_error_text(error: Exception) -> str:
    """What a person needs from a YAML error: what was being parsed and what went wrong, on one line."""
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    text = ": ".join(str(p) for p in parts if p) or (str(error).splitlines() or [""])[0]
    return text or type(error).__name__


_PLAIN_LINE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+(.+?)[ \t]*")


def plain_front_matter(block: str) -> dict[str, str] | None:
    """A front matter block that YAML refuses but whose every line is ``key: value`` (a title with a colon
    in it, ``title: Memory crunch deepens: prices up``) as that mapping of strings; else None."""
    found: dict[str, str] = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        match = _PLAIN_LINE.fullmatch(line)
        if match is None:
            return None
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found[match.group(1)] = value
    return found or None


def load_front_matter(block: str, source_path: str, problems: list[Problem]) -> dict:
    """The front matter as a mapping; anything else is a problem and gives no metadata."""
    if len(block.encode("utf-8", errors="replace")) > MAX_FRONT_MATTER_BYTES:
        problems.append(Problem(source_path, "bad_front_matter",
                                f"front matter over {MAX_FRONT_MATTER_BYTES} bytes: not parsed; "
                                "document kept without metadata", 2))
        return {}
    try:
        loaded = yaml.load(block, Loader=FrontMatterLoader)  # a SafeLoader: builds no Python objects
    # A YAML parser meets hostile input with more than YAMLError (RecursionError on deep nesting,
    # ValueError from a constructor): any of them only means the block is not usable metadata.
    except Exception as error:
        first = _yaml_error_text(error)
        plain = plain_front_matter(block)
        problems.append(Problem(source_path, "bad_front_matter", f"front matter is not valid YAML ({first}); " + (
            "read as plain `key: value` lines" if plain else "document kept without metadata"),
            _yaml_error_line(error)))
        return plain or {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        problems.append(Problem(source_path, "bad_front_matter",
                                f"front matter is not a mapping but a {type(loaded).__name__} value; "
                                "document kept without metadata", 2))
        return {}
    return loaded


def _key_line(block: str, key: str) -> int | None:
    """The file line of ``key:`` in a front matter block (which starts on line 2)."""
    for number, text in enumerate(block.split("\n"), start=2):
        if re.match(rf"{key}\s*:", text):
            return number
    return None


def read_article(data: bytes, source_path: str, problems: list[Problem]) -> Document | None:
    """The document of a .txt / .md file, or None when it is set aside."""
    text = decode(data, source_path, problems)
    if text is None:
        return None
    if text.startswith("\ufeff") and split_front_matter(text[1:])[0] is not None:
        # The contract reads files as plain UTF-8, where a byte order mark is text: the block after it
        # is body, not front matter. Say so rather than lose the metadata silently.
        problems.append(Problem(source_path, "bad_front_matter", "a byte order mark precedes the front matter, "
                                "which is therefore read as body text; save the file without BOM", 1))
    block, body = split_front_matter(text)
    meta = load_front_matter(block, source_path, problems) if block is not None else {}
    if not body.strip().strip("\ufeff"):
        problems.append(Problem(source_path, "empty_file", "no article text after the front matter"))
        return None
    date_line = _key_line(block, "published") if block is not None else None
    return make_document(source_path, body, meta, problems, Origin("text", hashlib.sha256(data).hexdigest()),
                         date_line=date_line)


# ---------------------------------------------------------------- feeds


def feed_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """The lines of a feed as bytes, split on universal newlines as the contract reads them.

    A line over ``MAX_FEED_LINE_BYTES`` is skipped without being held in memory and given as None.
    """
    while True:
        chunk = handle.readline(MAX_FEED_LINE_BYTES + 1)
        if not chunk:
            return
        if len(chunk) > MAX_FEED_LINE_BYTES and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = handle.readline(1 << 20)
            yield None
            continue
        chunk = chunk.removesuffix(b"\n").removesuffix(b"\r")
        yield from chunk.split(b"\r")


def _record(raw: bytes | None, source_path: str, number: int, problems: list[Problem]) -> dict | None:
    """The JSON object of a feed line, or None (with a problem unless the line is blank)."""
    if raw is None:
        problems.append(Problem(source_path, "line_too_large", f"over {MAX_FEED_LINE_BYTES} bytes", number))
        return None
    if not raw.strip():
        return None
    line = decode(raw, source_path, problems, line=number)
    if line is None:
        return None
    try:
        record = json.loads(line)
    except RecursionError:
        problems.append(Problem(source_path, "bad_jsonl_line", "not JSON: nested too deeply", number))
        return None
    except ValueError as error:  # JSONDecodeError, and int() refusing a number of over 4300 digits
        problems.append(Problem(source_path, "bad_jsonl_line", f"not JSON: {getattr(error, 'msg', error)}", number))
        return None
    if not isinstance(record, dict):
        problems.append(Problem(source_path, "bad_jsonl_line", f"not a JSON object but a {type(record).__name__} value",
                                number))
        return None
    return record


def _feed_body(record: dict, source_path: str, number: int, problems: list[Problem]) -> str | None:
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        what = "no `text` field" if body is None else f"`text` holds no article text ({type(body).__name__} value)"
        problems.append(Problem(source_path, "empty_article", what, number))
        return None
    body, replaced = replace_surrogates(body)
    if len(body.encode("utf-8")) > MAX_ARTICLE_BYTES:
        problems.append(Problem(source_path, "line_too_large",
                                f"`text` over the article limit of {MAX_ARTICLE_BYTES} bytes", number))
        return None
    if replaced:
        problems.append(Problem(source_path, "not_utf8_repaired",
                                f"{replaced} unpaired surrogate escape(s) in `text` replaced by U+FFFD; "
                                "article kept", number))
    return body


def _feed_document(record: dict, body: str, source_path: str, number: int, first_line_of: dict[str, int],
                   problems: list[Problem], original_sha256: str) -> Document | None:
    """The document of a good feed line, unless its id (or line number, without one) is taken."""
    article_id = record.get("id")
    key = replace_surrogates(str(number) if article_id is None else str(article_id))[0]
    if key in first_line_of:
        problems.append(Problem(source_path, "duplicate_id", f"id {shown(key)} is already line {first_line_of[key]}'s; "
                                "give each article its own id", number))
        return None
    first_line_of[key] = number
    return make_document(f"{source_path}#{key}", body, record, problems, Origin("jsonl", original_sha256),
                         line=number, file_path=source_path)


def read_feed(lines: Iterable[bytes | None], source_path: str, problems: list[Problem]) -> Iterator[Document]:
    """Articles of a JSONL feed; a broken line is a problem, the other lines still count.

    An article is ``feed.jsonl#<id>``, or ``feed.jsonl#<line>`` without an id (as the contract finds it).
    A feed whose lines are mostly not text and give no article is one ``binary_file`` problem, not one per
    line; otherwise the first ``MAX_PROBLEMS_PER_FEED`` problems are listed and the rest counted.
    """
    listed: list[Problem] = []
    more = nonblank = undecodable = articles = 0
    first_line_of: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        found: list[Problem] = []
        record = _record(raw, source_path, number, found)
        body = _feed_body(record, source_path, number, found) if record is not None else None
        document = (_feed_document(record, body, source_path, number, first_line_of, found,
                                   hashlib.sha256(raw).hexdigest()) if body else None)
        if document is not None:
            articles += 1
            yield document
        nonblank += raw is None or bool(raw.strip())
        undecodable += any(p.reason in ("binary_file", "not_utf8") for p in found)
        shown = found[:max(0, MAX_PROBLEMS_PER_FEED - len(listed))]
        listed += shown
        more += len(found) - len(shown)
    if not articles and undecodable and undecodable * 2 >= nonblank:
        problems.append(Problem(source_path, "binary_file",
                                f"{undecodable} of its {nonblank} lines are not UTF-8 text: not a JSONL text file"))
        return
    problems += listed
    if more:
        problems.append(Problem(source_path, "too_many_problems", f"{more} more problem(s) in this feed; "
                                f"the first {MAX_PROBLEMS_PER_FEED} are listed"))


# ---------------------------------------------------------------- pages, feed files and PDFs


def _checked_body(body: str, source_path: str, problems: list[Problem]) -> str | None:
    """An extracted text as a body: unpaired surrogates replaced, within the article limit."""
    body, replaced = replace_surrogates(body)
    if replaced:
        problems.append(Problem(source_path, "not_utf8_repaired",
                                f"{replaced} unpaired surrogate(s) in the extracted text replaced by U+FFFD"))
    if len(body.encode("utf-8")) > MAX_ARTICLE_BYTES:
        problems.append(Problem(source_path, "file_too_large",
                                f"its text is over the article limit of {MAX_ARTICLE_BYTES} bytes"))
        return None
    return body


def read_html(data: bytes, rel: str, problems: list[Problem], fetched_from: str | None = None) -> list[Document]:
    page = html.read_page(data)
    if page is None:
        problems.append(Problem(rel, "no_text", "no main text found in the page (navigation, ads or comments "
                                "only, or not HTML)"))
        return []
    body = _checked_body(page.body, rel, problems)
    if body is None:
        return []
    meta = {"title": page.title, "publisher": page.publisher, "url": page.url or fetched_from}
    return [make_document(rel, body, meta, problems, Origin("html", hashlib.sha256(data).hexdigest(), page.date))]


def read_feed_items(data: bytes, rel: str, problems: list[Problem], fetched_from: str | None = None
                    ) -> list[Document]:
    """One document per item of an RSS or Atom file; ``rel#<item id>`` names each, with its own URL (where the
    feed was fetched from is not the items')."""
    feed = feeds.read_feed_file(data)
    if feed is None:
        problems.append(Problem(rel, "not_a_feed", "not an RSS or Atom feed that can be read (not XML, or no "
                                "channel and items)"))
        return []
    digest = hashlib.sha256(data).hexdigest()
    documents, first_item_of = [], {}
    for number, item in enumerate(feed.items, start=1):
        source_path = f"{rel}#{item.key}"
        if item.key in first_item_of:
            problems.append(Problem(rel, "duplicate_id", f"item {number} reuses the id {shown(item.key)} of item "
                                    f"{first_item_of[item.key]}"))
            continue
        first_item_of[item.key] = number
        if not item.body.strip():
            problems.append(Problem(source_path, "empty_article", f"item {number} has no content and no summary"))
            continue
        body = _checked_body(item.body, source_path, problems)
        if body is None:
            continue
        if item.summary_only:
            problems.append(Problem(source_path, "summary_only", "the feed carries only this item's summary; "
                                    "fetch its page for the whole article"))
        meta = {"title": item.title, "publisher": feed.publisher, "url": item.url}
        documents.append(make_document(source_path, body, meta, problems, Origin(feed.kind, digest, item.date),
                                       file_path=rel))
    if not documents and not feed.items:
        problems.append(Problem(rel, "empty_file", "a feed without items"))
    return documents


def read_pdf_file(data: bytes, rel: str, problems: list[Problem], fetched_from: str | None = None
                  ) -> list[Document]:
    try:
        text = pdf.read_pdf(data)
    except pdf.BrokenPdf as error:
        problems.append(Problem(rel, "broken_pdf", f"cannot be read as a PDF ({error})"))
        return []
    if not text.body.strip():
        problems.append(Problem(rel, "no_text", "no extractable text (a scanned image?): run OCR first"))
        return []
    body = _checked_body(text.body, rel, problems)
    if body is None:
        return []
    return [make_document(rel, body, {"title": text.title, "url": fetched_from}, problems,
                          Origin("pdf", hashlib.sha256(data).hexdigest(), text.date))]


_READERS = {"html": read_html, "feed": read_feed_items, "pdf": read_pdf_file}


# ---------------------------------------------------------------- the folder


def _inside(path: Path, root: Path) -> bool:
    """Whether a path, its links followed, stays below root (a link loop does not)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, on Python 3.11
        return False


def source_files(root: Path) -> list[tuple[Path, str]]:
    """(path, path relative to root) for every entry below root but hidden ones (the fetcher's `.fetch/`),
    sidecar files and the feeds list, sorted by relative path.

    The order decides which of two copies of a text is kept (the first), so it is the paths' order, not
    the file system's. Links to folders are listed too (read_source reports those that leave the folder);
    none is walked into, as the files of one inside the folder are read where they are.
    """
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        linked = [d for d in dirs if (Path(folder) / d).is_symlink()]
        for name in [*files, *linked]:
            skipped = name.startswith(".") or name.endswith(SIDECAR_SUFFIXES) or (
                name in (CURATION_FILE, FEEDS_FILE) and Path(folder) == root)
            if not skipped:
                path = Path(folder) / name
                found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def printable(rel: str) -> str:
    """A path as valid text: a file name that is not UTF-8 shows its bad bytes as U+FFFD."""
    return os.fsencode(rel).decode("utf-8", errors="replace")


def _refusal(path: Path, rel: str, root: Path) -> Problem | None:
    """Why a file is not read at all, judged from its name and link only; None to read it."""
    if printable(rel) != rel:
        return Problem(printable(rel), "bad_file_name", "the file name is not valid UTF-8; rename the file")
    if path.is_symlink() and not _inside(path, root):
        return Problem(rel, "link_outside_sources",
                       "a link that leads outside the sources folder (or loops): not followed")
    suffix = path.suffix.lower()
    if suffix not in (*ARTICLE_SUFFIXES, FEED_SUFFIX, *EXTRACTED_SUFFIXES) and not path.is_dir():
        return Problem(rel, "unsupported_extension", f"'{suffix or '(none)'}' files are not read; use .txt, .md, "
                       ".jsonl, .html, .htm, .xml, .rss, .atom or .pdf")
    return None


def _opened_path(fd: int, path: Path) -> Path:
    """Where an open file really is: what the kernel says of the descriptor (Linux), else the path's links
    resolved now."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return path.resolve()


def _open_regular(path: Path, rel: str, root: Path, limit: int, problems: list[Problem]) -> BinaryIO | None:
    """The file opened for reading, if it is a regular file inside root and within the limit."""
    try:
        # Non-blocking, so that opening a named pipe cannot hang the build; fstat then judges what was opened.
        handle = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    except OSError as error:
        problems.append(Problem(rel, "unreadable", f"cannot be opened: {error.strerror or error}"))
        return None
    if not _opened_path(handle.fileno(), path).is_relative_to(root):
        # A folder of the path swapped for a link to elsewhere after the listing: what was opened is outside.
        handle.close()
        problems.append(Problem(rel, "link_outside_sources",
                                "the file opened lies outside the sources folder (a link swapped in): not read"))
        return None
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode):
        handle.close()
        problems.append(Problem(rel, "not_a_file", "not a regular file (a pipe, socket or device): not read"))
        return None
    if info.st_size > limit:
        handle.close()
        problems.append(Problem(rel, "file_too_large", f"{info.st_size} bytes, over the limit of {limit}"))
        return None
    return handle


def _read_feed_file(handle: BinaryIO, rel: str, problems: list[Problem]) -> list[Document]:
    found: list[Problem] = []
    documents = list(read_feed(feed_lines(handle), rel, found))
    problems += found
    if not documents and not found:
        problems.append(Problem(rel, "empty_file", "no article lines: the file is empty or only whitespace"))
    return documents


def read_source(path: Path, rel: str, root: Path, problems: list[Problem]) -> list[Document]:
    """The documents of one source file (none when it is set aside)."""
    refusal = _refusal(path, rel, root)
    if refusal is not None:
        problems.append(refusal)
        return []
    if path.is_dir():  # a link to a folder inside the sources: its files are read where they are
        return []
    suffix = path.suffix.lower()
    is_feed = suffix == FEED_SUFFIX
    limit = MAX_FEED_BYTES if is_feed else MAX_EXTRACTED_BYTES if suffix in EXTRACTED_SUFFIXES else MAX_ARTICLE_BYTES
    handle = _open_regular(path, rel, root, limit, problems)
    if handle is None:
        return []
    try:
        with handle:
            if is_feed:
                return _read_feed_file(handle, rel, problems)
            data = handle.read(limit + 1)
    except OSError as error:
        problems.append(Problem(rel, "unreadable", f"cannot be read: {error.strerror or error}"))
        return []
    if len(data) > limit:  # it grew after it was measured
        problems.append(Problem(rel, "file_too_large", f"over the limit of {limit} bytes"))
        return []
    if not data.strip():
        problems.append(Problem(rel, "empty_file", "the file is empty"))
        return []
    if suffix in EXTRACTED_SUFFIXES:
        return _READERS[EXTRACTED_SUFFIXES[suffix]](data, rel, problems, fetched_urls(root).get(rel))
    document = read_article(data, rel, problems)
    return [document] if document else []


def ingest(sources: Path) -> Ingested:
    """Every document of a sources folder, deduplicated by text, with the problems met."""
    root = sources.resolve()
    problems: list[Problem] = []
    by_id: dict[str, Document] = {}
    for path, rel in source_files(root):
        for document in read_source(path, rel, root, problems):
            first = by_id.get(document.doc_id)
            if first is not None:
                problems.append(Problem(document.source_path, "duplicate",
                                        f"same text as {first.source_path}: one document, recorded there"))
                continue
            by_id[document.doc_id] = document
    documents = tuple(sorted(by_id.values(), key=lambda d: d.source_path))
    return Ingested(documents, tuple(problems))
