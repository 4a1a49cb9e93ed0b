"""The plain records every extraction stage passes on: documents, sentences, mentions.

Extraction code knows nothing of Dagster or pandas: it takes these frozen
dataclasses and returns frozen dataclasses with character offsets into the
document body (Python string indices, so ``body[start:end] == text``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One article: its metadata and the body text that every offset points into."""

    doc_id: str
    source_path: str
    body: str
    text_sha256: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_date: dt.date | None = None
    format: str = "text"  # schemas.vocabularies.SOURCE_FORMATS
    original_sha256: str | None = None  # of the bytes read: the file, or a JSONL article's line
    published_source: str | None = None  # schemas.vocabularies.PUBLISHED_SOURCES


@dataclass(frozen=True)
class Sentence:
    """A sentence of a body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A surface form in a body that names an actor: ``body[start:end] == text``."""

    actor_id: str
    text: str
    start: int
    end: int
