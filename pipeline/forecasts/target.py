"""What a forecast is about, as the noun phrase of its sentence's parse.

A figure names what it measures through the sentence's structure, not the words
just before it:

- the noun it is "of": "capital spending of about $20 billion" -> "capital spending";
- the subject of the verb it completes, up through "expected to", "set to" and
  the like: "prices for the wafers in the region could climb 10%" -> "prices for
  the wafers in the region"; "Global shipments of wafers are projected to rise
  5%" -> "Global shipments of wafers";
- the object the figure is a part of: "to take 30% of the HBM market" -> "the HBM
  market".

The phrase is the head noun with its modifiers and one "of/for/in" phrase
after it, never a pronoun, the figure itself or a clause; when the parse gives
none, the caller keeps the words before the figure.
"""

from __future__ import annotations

from pipeline.documents.parse import coarse_pos, tokens_in

NOUNS = ("NOUN", "PROPN")
# Modifiers that stay with a head noun: "GlobalFoundries' 2026 capital spending", "global wafer shipments".
LEFT = {"compound", "amod", "poss", "nmod", "nummod", "npadvmod", "case"}
# One prepositional modifier after the noun: "prices for the wafers in the region", "shipments of wafers".
RIGHT_PREPOSITIONS = {"of", "for", "in", "from", "at"}
# Clauses and asides inside a noun phrase, left out: "the market, which rivals are chasing,".
ASIDES = {"relcl", "acl", "appos", "punct"}
SUBJECTS = {"nsubj", "nsubjpass"}
# Links from a verb to the verb it depends on: "expected [to grow]", "set [to rise]", "said [it would rise]".
UP = {"xcomp", "ccomp", "conj", "advcl", "relcl", "acl"}
MAX_WORDS = 10
MAX_STEPS = 8


def noun_phrase_target(doc, figure_start: int, figure_end: int) -> str | None:
    """The noun phrase a figure at doc.text[figure_start:figure_end] measures, or None."""
    tokens = tokens_in(doc, figure_start, figure_end)
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    token = next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[0])
    part_of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if part_of is not None:  # "30% of the HBM market"
        whole = next((c for c in part_of.children if c.dep_ == "pobj"), None)
        return _phrase(whole, inside) if whole is not None else None
    for _ in range(MAX_STEPS):
        head = token.head
        if token.dep_ == "pobj" and head.lower_ == "of" and head.head.i < head.i:
            return _phrase(head.head, inside)  # "revenue of $33 billion"
        if coarse_pos(token) in ("VERB", "AUX"):
            subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
            if subject is not None:
                return _phrase(subject, inside)
            if token.dep_ not in UP:
                return None
        if head == token:
            return None
        token = head
    return None


def _phrase(head, excluded: set[int]) -> str | None:
    """The head noun with its left modifiers and one prepositional phrase after it, up to any clause or
    aside inside that phrase."""
    if coarse_pos(head) not in NOUNS:
        return None
    keep = {head.i}
    for child in head.lefts:
        if child.dep_ in LEFT:
            keep |= {t.i for t in child.subtree}
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in RIGHT_PREPOSITIONS:
            asides = {t.i for c in child.subtree if c.dep_ in ASIDES for t in c.subtree}
            phrase = {t.i for t in child.subtree} - asides
            if not phrase & excluded:
                keep |= phrase
            break
    if keep & excluded:
        return None
    doc = head.doc
    first = min(keep)
    last = next((i - 1 for i in range(first, max(keep) + 2) if i not in keep), max(keep))
    if last < head.i:
        return None
    words = [doc[i] for i in range(first, last + 1)]  # up to a clause inside the phrase ("market, which ...")
    while words and coarse_pos(words[0]) in ("DET", "PUNCT", "ADP"):
        words = words[1:]
    while words and coarse_pos(words[-1]) in ("PUNCT", "ADP", "CCONJ"):
        words = words[:-1]
    if not words or len(words) > MAX_WORDS or any(w.text in ",;()" for w in words):
        return None
    return doc[words[0].i:words[-1].i + 1].text
