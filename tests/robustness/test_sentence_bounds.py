"""Sentences stay bounded on any text, so that extraction costs time in proportion to a document's length:
every rule works within a sentence, and a rule that looks back over its sentence or compares its mentions
pairwise is cheap only when no sentence is huge (one 64 KB "sentence" took a minute before the cap)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.documents.sentences import MAX_SENTENCE_CHARS, split_sentences

# Runs of initials, abbreviations and punctuation: the shapes that made the splitter's backward search slow.
PIECES = ["a.", "X. ", "U.S. ", "Inc. ", "word ", "Word, ", "; ", "3.5% ", ". ", "\n", "  ", "etc. ", "(A.) "]
texts = st.lists(st.sampled_from(PIECES), max_size=3000).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_sentences_are_exact_ordered_and_bounded(body: str) -> None:
    sentences = split_sentences(body)
    previous_end = 0
    for sentence in sentences:
        assert body[sentence.start:sentence.end] == sentence.text == sentence.text.strip()
        assert 0 < len(sentence.text) <= MAX_SENTENCE_CHARS
        assert sentence.start >= previous_end
        previous_end = sentence.end
    # Every character but white space is in a sentence.
    assert "".join(body.split()) == "".join("".join(s.text.split()) for s in sentences)


def test_an_overlong_sentence_is_cut_after_a_clause_mark() -> None:
    clause = "Acme said its new fab in Ohio would make chips for cars and phones from 2027, "
    body = clause * 40 + "and Zenith agreed."
    sentences = split_sentences(body)
    assert len(sentences) > len(body) // MAX_SENTENCE_CHARS
    assert all(s.text.endswith(",") for s in sentences[:-1])
    assert "".join(body[s.start:s.end + 1] for s in sentences).rstrip() == body
