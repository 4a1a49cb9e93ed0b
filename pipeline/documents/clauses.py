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


# The contract's evidence is the sentence; past this length (run-on sentences of real news, lists
# flattened into one line) the clause is the more useful, and still verbatim, evidence.
MAX_EVIDENCE_CHARS = 600
EVIDENCE_LIMIT = 1000  # the schema's bound on evidence_text


def evidence_for(sentence: Sentence, clause: Sentence) -> Sentence:
    """The span to cite as evidence: the sentence, or for an overlong one its clause (cut at a word)."""
    if len(sentence.text) <= MAX_EVIDENCE_CHARS:
        return sentence
    if len(clause.text) <= EVIDENCE_LIMIT:
        return clause
    cut = clause.text.rfind(" ", 0, EVIDENCE_LIMIT)
    text = clause.text[: cut if cut > 0 else EVIDENCE_LIMIT]
    return Sentence(clause.start, clause.start + len(text), text)
