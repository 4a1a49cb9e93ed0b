"""The coverage ledger: every input the build saw (a file, or a feed line) and what became of it.

An input is a document read (``coded`` when the extractor found events or forecasts in it, ``no_event``
when it found none, ``duplicate`` when it is a later copy of a text kept under another path, with that
document's ``doc_id``), or an input set aside (``quarantined``, with the ingest reason). Problems of
documents that were kept with a caveat (:data:`pipeline.sources.ingest.KEPT_WITH_CAVEAT`) are no input
of their own: they stay in ``quarantine`` only.
"""

from __future__ import annotations

import pandas as pd

from pipeline.sources.ingest import SET_ASIDE


def coverage_table(documents: pd.DataFrame, problems: pd.DataFrame, coded: pd.Series) -> pd.DataFrame:
    """The ledger from the kept documents, the problems met reading the sources (a later copy of a text is a
    ``duplicate`` problem with the kept document's ``doc_id``) and the doc_ids that yielded events or
    forecasts, sorted by input."""
    read = pd.DataFrame({"source_path": documents["source_path"], "doc_id": documents["doc_id"], "outcome": "no_event"})
    aside = problems[problems["reason"].isin(SET_ASIDE)]
    aside = aside.assign(outcome=aside["reason"].where(aside["reason"] == "duplicate", "quarantined"))
    ledger = pd.concat([read, aside.reindex(columns=["source_path", "line", "doc_id", "outcome", "reason", "detail"])],
                       ignore_index=True)
    ledger["line"] = ledger["line"].astype("Int64")
    return with_outcomes(ledger.sort_values(["source_path", "line"], kind="stable", na_position="first"), coded)


def with_outcomes(ledger: pd.DataFrame, coded: pd.Series) -> pd.DataFrame:
    """The ledger with each document read ``coded`` or ``no_event`` by the doc_ids that yielded events or
    forecasts: again after curation, whose decisions add and drop them."""
    read = ledger["outcome"].isin(("coded", "no_event"))
    outcome = ledger["doc_id"].isin(coded).map({True: "coded", False: "no_event"})
    return ledger.assign(outcome=ledger["outcome"].where(~read, outcome))
