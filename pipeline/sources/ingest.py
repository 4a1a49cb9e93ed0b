"""Read a sources folder into documents, setting aside what cannot be read.

Accepted: ``.txt`` / ``.md`` files with optional YAML front matter, and
``.jsonl`` feeds (one article per line). Everything else, and every broken
input, becomes a :class:`Problem` naming the file (and line) and the reason;
the rest of the folder is still read. Nothing here raises on bad input.

Limits (documented in the README): an article file may be at most
``MAX_ARTICLE_BYTES``, a JSONL feed at most ``MAX_FEED_BYTES``; links are
followed only when they stay inside the sources folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.documents.model import Document

ARTICLE_SUFFIXES = (".txt", ".md")
FEED_SUFFIX = ".jsonl"
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_FEED_BYTES = 512 * 1024 * 1024
# Share of undecodable bytes up to which a non-UTF-8 file is still read (with a problem noted).
MAX_REPLACED_SHARE = 0.01


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


def parse_date(value: object) -> dt.date | None:
    """A published date from YAML/JSON: a date, a datetime or an ISO string; raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise ValueError(f"published {value!r} is not an ISO date (YYYY-MM-DD)")


def _text_field(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _document(source_path: str, body: str, meta: dict, problems: list[Problem]) -> Document:
    try:
        published = parse_date(meta.get("published"))
    except ValueError as error:
        problems.append(Problem(source_path, "invalid_published_date", f"{error}; kept without a date"))
        published = None
    digest = sha256_hex(body)
    return Document(
        doc_id=digest[:16],
        source_path=source_path,
        body=body,
        text_sha256=digest,
        title=_text_field(meta, "title"),
        publisher=_text_field(meta, "publisher"),
        url=_text_field(meta, "url"),
        published_date=published,
    )


def decode(data: bytes, source_path: str, problems: list[Problem]) -> str | None:
    """UTF-8 text with universal newlines; a little damage is replaced and noted, more is refused."""
    if b"\x00" in data:
        problems.append(Problem(source_path, "binary_file", "contains NUL bytes: not a text file"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd")
        if replaced > max(1, len(text) * MAX_REPLACED_SHARE):
            problems.append(Problem(source_path, "not_utf8", f"not UTF-8 text ({error.reason} at byte {error.start})"))
            return None
        problems.append(Problem(source_path, "not_utf8_repaired",
                                f"{replaced} undecodable byte(s) replaced by U+FFFD; document kept"))
    return normalise_newlines(text)


def read_article(data: bytes, source_path: str, problems: list[Problem]) -> Document | None:
    text = decode(data, source_path, problems)
    if text is None:
        return None
    block, body = split_front_matter(text)
    meta: dict = {}
    if block is not None:
        try:
            loaded = yaml.safe_load(block)
        except yaml.YAMLError as error:
            problems.append(Problem(source_path, "bad_front_matter",
                                    f"front matter is not valid YAML ({str(error).splitlines()[0]}); "
                                    "document kept without metadata"))
            loaded = None
        if loaded is not None and not isinstance(loaded, dict):
            problems.append(Problem(source_path, "bad_front_matter",
                                    f"front matter is a {type(loaded).__name__}, not a mapping; "
                                    "document kept without metadata"))
        elif isinstance(loaded, dict):
            meta = loaded
    if not body.strip():
        problems.append(Problem(source_path, "empty_file", "no article text"))
        return None
    return _document(source_path, body, meta, problems)


def read_feed(data: bytes, source_path: str, problems: list[Problem]) -> Iterator[Document]:
    """Articles of a JSONL feed; a broken line is a problem, the other lines still count."""
    text = decode(data, source_path, problems)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(source_path, "bad_jsonl_line", f"not JSON: {error.msg}", number))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(source_path, "bad_jsonl_line", "not a JSON object", number))
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            problems.append(Problem(source_path, "empty_article", "no `text` field with article text", number))
            continue
        article_id = record.get("id")
        key = str(number) if article_id is None else str(article_id)
        yield _document(f"{source_path}#{key}", body, record, problems)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def source_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, path relative to root) for every non-hidden file below root, in sorted order."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            yield path, path.relative_to(root).as_posix()


def read_source(path: Path, rel: str, root: Path, problems: list[Problem]) -> list[Document]:
    """The documents of one source file (none when it is set aside)."""
    if path.is_symlink() and not _inside(path, root):
        problems.append(Problem(rel, "link_outside_sources", "a link to a file outside the sources folder: not followed"))
        return []
    suffix = path.suffix.lower()
    if suffix not in (*ARTICLE_SUFFIXES, FEED_SUFFIX):
        problems.append(Problem(rel, "unsupported_extension", f"'{suffix or '(none)'}' files are not read; "
                                "use .txt, .md or .jsonl"))
        return []
    try:
        size = path.stat().st_size
        limit = MAX_FEED_BYTES if suffix == FEED_SUFFIX else MAX_ARTICLE_BYTES
        if size > limit:
            problems.append(Problem(rel, "file_too_large", f"{size} bytes, over the limit of {limit}"))
            return []
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(rel, "unreadable", f"cannot be read: {error.strerror or error}"))
        return []
    if not data.strip():
        problems.append(Problem(rel, "empty_file", "the file is empty"))
        return []
    if suffix == FEED_SUFFIX:
        return list(read_feed(data, rel, problems))
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
