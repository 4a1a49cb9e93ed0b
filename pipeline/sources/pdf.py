"""A PDF's article text (pypdf): pages in order, running headers and footers dropped, lines rejoined.

pypdf gives each page's lines in reading order. A line that opens or closes most pages (digits aside, so
"Page 3" and "Page 4" are one line) is a running header or footer and is dropped, as is a bare page number.
The title, when the PDF's metadata has one and the text opens with it, is metadata, not text.
A word hyphenated across a line break is rejoined: without the hyphen, unless the document spells the word
with one elsewhere. Wrapped lines become paragraphs: a paragraph ends at a line that stops clearly short of
the longest line and ends a sentence; such a short line opening a paragraph is a heading, a paragraph of its
own.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

# A line is a running header or footer when it opens or closes at least this share of the pages (and two).
RUNNING_SHARE = 0.5
# A line ending a sentence ends its paragraph when it is shorter than this share of the longest line.
SHORT_LINE_SHARE = 0.8
_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?", re.IGNORECASE)
_HYPHENATED = re.compile(r"(\w+)-\n(\w+)")
_SENTENCE_END = re.compile(r"[.!?:\"'\u201d\u2019)]$")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")


class BrokenPdf(ValueError):
    """The bytes are not a PDF pypdf can read."""


@dataclass(frozen=True)
class PdfText:
    body: str
    title: str | None
    date: dt.date | None


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their running headers and footers and bare page numbers."""
    edges = Counter(shape for lines in pages if lines
                    for shape in {_shape(lines[0]), _shape(lines[-1])})
    running = {shape for shape, count in edges.items()
               if len(pages) >= 2 and count >= max(2, RUNNING_SHARE * len(pages))}
    kept = []
    for lines in pages:
        lines = list(lines)
        while lines and (_shape(lines[0]) in running or _PAGE_NUMBER.fullmatch(lines[0].strip())):
            lines.pop(0)
        while lines and (_shape(lines[-1]) in running or _PAGE_NUMBER.fullmatch(lines[-1].strip())):
            lines.pop()
        kept.append(lines)
    return kept


def dehyphenate(text: str) -> str:
    """``semi-\\nconductor`` -> ``semiconductor``; ``export-\\ncontrol`` stays hyphenated (joined on one line)
    when the text writes ``export-control`` elsewhere."""
    def join(match: re.Match) -> str:
        first, second = match.group(1), match.group(2)
        hyphenated = f"{first}-{second}"
        if re.search(rf"\b{re.escape(hyphenated)}\b", text.replace(match.group(0), "")) or not second[0].islower():
            return hyphenated
        return first + second
    return _HYPHENATED.sub(join, text)


def unwrap(lines: list[str]) -> str:
    """Wrapped lines as paragraphs separated by blank lines."""
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        short = len(line) < SHORT_LINE_SHARE * longest
        current.append(line)
        # A short line that ends a sentence ends its paragraph; one that opens a paragraph is a heading.
        if short and (_SENTENCE_END.search(line) or len(current) == 1):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return "\n\n".join(out)


def without_title(lines: list[str], title: str | None) -> list[str]:
    """The lines without the title they open with (wrapped over one or more lines): it is the document's
    title, not its text, as a page's headline is."""
    seen = ""
    for number, line in enumerate(lines):
        seen = f"{seen} {line.strip()}".strip()
        if not title or not title.startswith(seen):
            return lines
        if seen == title:
            return lines[number + 1:]
    return lines


def _info_date(value: object) -> dt.date | None:
    match = _PDF_DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_pdf(data: bytes) -> PdfText:
    """The text and metadata of a PDF; raises BrokenPdf when pypdf cannot read it."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise BrokenPdf("the PDF is encrypted")
        pages = [(page.extract_text() or "").translate(_LIGATURES).split("\n") for page in reader.pages]
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        # pypdf meets a damaged file with more than its own errors; any of them means it cannot be read.
        raise BrokenPdf(f"{type(error).__name__}: {str(error)[:120]}") from None
    title = " ".join(str(info.get("/Title") or "").split()) or None
    lines = without_title([line for page in drop_running_lines(pages) for line in page], title)
    body = unwrap(dehyphenate("\n".join(lines)).split("\n"))
    return PdfText(body=body, title=title, date=_info_date(info.get("/CreationDate")))
