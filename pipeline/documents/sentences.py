"""Split a body into sentences with exact offsets.

A rule splitter, not a model: line breaks always end a sentence (headlines,
paragraphs, "Read more" boilerplate), and '.', '!' or '?' end one when the
next word starts a new sentence and the word before is no abbreviation or
initial ("U.S.", "Inc.", "C.C. Wei", "Jan."). A piece longer than
``MAX_SENTENCE_CHARS`` is cut at its last clause mark before the limit.
"""

from __future__ import annotations

import re

from pipeline.documents.model import Sentence

# Words that end with a period without ending a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st no nos vs etc inc corp co ltd plc llc bhd ag nv bv sa gov sen rep gen
    jan feb mar apr jun jul aug sep sept oct nov dec approx est fig dept univ u.s u.k u.n e.u p.m a.m
    e.g i.e u.s.a""".split()
)

# End punctuation, closing quotes/brackets, then space and a sentence start.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
WORD_WINDOW = 24
# Longer than any sentence of the news read here (the longest of 1,583 is 549 characters).
MAX_SENTENCE_CHARS = 1000


def _is_abbreviation(block: str, dot: int) -> bool:
    """Whether the '.' at block[dot] closes an abbreviation or an initial rather than a sentence."""
    if block[dot] != ".":
        return False
    # Only the last few characters can hold the word: searching from the line's start made a long line
    # cost its length at every period.
    match = _WORD_BEFORE.search(block, max(0, dot - WORD_WINDOW), dot)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "C.C. Wei", "Jensen H. Huang"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # "U.S", "e.g"
        return True
    return word.lower() in ABBREVIATIONS


def split_sentences(body: str) -> list[Sentence]:
    """Sentences of a body, in order, trimmed of surrounding white space."""
    sentences: list[Sentence] = []
    offset = 0
    for line in body.split("\n"):
        start = 0
        for match in _BOUNDARY.finditer(line):
            if _is_abbreviation(line, match.start()):
                continue
            _append(sentences, line, start, match.end(), offset)
            start = match.end()
        _append(sentences, line, start, len(line), offset)
        offset += len(line) + 1
    return sentences


def _append(sentences: list[Sentence], line: str, start: int, end: int, offset: int) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        # An overlong "sentence" (a list, a feed with its punctuation stripped, junk) is cut into pieces at
        # a clause mark, else a space: every rule's work on a sentence stays bounded, so a document costs
        # time in proportion to its length.
        limit = start + MAX_SENTENCE_CHARS
        cut = max(line.rfind("; ", start + 1, limit), line.rfind(", ", start + 1, limit))
        cut = cut + 1 if cut > 0 else line.rfind(" ", start + 1, limit)
        cut = cut if cut > start else limit
        _append(sentences, line, start, cut, offset)
        start = cut
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = offset + start + lead
    sentences.append(Sentence(begin, begin + len(stripped), stripped))
