"""Build a document and its extraction from inline text, as the pipeline does."""

from __future__ import annotations

import datetime as dt

from pipeline.documents.model import Document
from pipeline.extraction import DocumentExtraction, extract_document
from pipeline.sources.ingest import doc_id_for, sha256_hex


def document(body: str, published: dt.date | None = dt.date(2025, 6, 18), path: str = "inline.txt",
             title: str | None = None) -> Document:
    return Document(doc_id=doc_id_for(body), source_path=path, body=body, text_sha256=sha256_hex(body),
                    publisher="Test Wire", published_date=published, title=title)


def extract(body: str, published: dt.date | None = dt.date(2025, 6, 18), title: str | None = None
            ) -> DocumentExtraction:
    return extract_document(document(body, published, title=title))
