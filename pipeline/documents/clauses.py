"""Split a sentence into clauses, so that one sentence can report several events.

"Washington added 140 entities ..., and Beijing responded by banning exports"
is two clauses with two initiators. Boundaries: semicolons, ", while",
", whereas", ", but", ", and", a contrast (", compared with", ", up from"),
and the comma closing a leading "While ..." clause. Offsets stay those of the body.
"""

from __future__ import annotations

import re

from pipeline.documents.model import Sentence

_BOUNDARY = re.compile(r";\s+|,\s+(?=(?:while|whereas|but|and|although|though|compared (?:with|to)|versus|"
                       r"up from|down from)\b)|\s+(?=while\b)")
_LEADING_SUBORDINATE = re.compile(r"^(?:While|Although|Though|Whereas|As)\b[^,]{3,200},\s+")


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """Clauses of a sentence with body offsets; a sentence without boundaries is one clause."""
    text, cuts = sentence.text, [0]
    lead = _LEADING_SUBORDINATE.match(text)
    if lead:
        cuts.append(lead.end())
    for match in _BOUNDARY.finditer(text):
        if match.end() > cuts[-1]:
            cuts.append(match.end())
    cuts.append(len(text))
    clauses = []
    for begin, end in zip(cuts, cuts[1:], strict=False):
        piece = text[begin:end]
        stripped = piece.rstrip(" ,;")
        lead_space = len(stripped) - len(stripped.lstrip())
        stripped = stripped.strip()
        if stripped:
            start = sentence.start + begin + lead_space
            clauses.append(Sentence(start, start + len(stripped), stripped))
    return clauses
