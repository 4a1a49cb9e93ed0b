"""Raw throughput of the extraction alone: ``extract_documents`` over batches, in 1 process or a pool.

    python -m benchmarks.extraction --sources DIR --processes 2 [--profile FILE]

The documents are read once (not timed); the registry and the grammars are loaded and every rule
compiled before the clock starts (one warm-up document per process), so this is the ceiling a build
could reach with that many processes. With a pool, the results travel back to the parent (pickled), as
they would in a build. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from pathlib import Path

from pipeline.actors.registry import load_registry
from pipeline.defs.sources import BATCH_DOCUMENTS
from pipeline.documents.model import Document
from pipeline.extraction import DocumentExtraction, extract_documents
from pipeline.sources.ingest import ingest


def _warm(document: Document) -> None:
    extract_documents([document], load_registry())


def _extract(documents: list[Document]) -> list[DocumentExtraction]:
    return extract_documents(documents, load_registry())


def _counts(extractions: list[DocumentExtraction]) -> dict[str, int]:
    return {"mentions": sum(len(e.mentions) for e in extractions), "events": sum(len(e.events) for e in extractions),
            "forecasts": sum(len(e.forecasts) for e in extractions)}


def run(documents: list[Document], processes: int) -> tuple[float, list[DocumentExtraction]]:
    """Seconds to extract every document with that many processes (warm), and the extractions."""
    batches = [documents[start:start + BATCH_DOCUMENTS] for start in range(0, len(documents), BATCH_DOCUMENTS)]
    if processes == 1:
        _warm(documents[0])
        started = time.perf_counter()
        extractions = [e for batch in batches for e in _extract(batch)]
        return time.perf_counter() - started, extractions
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_warm, initargs=(documents[0],)) as pool:
        pool.map(_warm, documents[:processes], chunksize=1)  # every worker up before the clock starts
        started = time.perf_counter()
        extractions = [e for batch in pool.map(_extract, batches, chunksize=1) for e in batch]
        return time.perf_counter() - started, extractions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--profile", help="profile the loop (1 process) with pyinstrument into this file")
    args = parser.parse_args(argv)
    documents = ingest(Path(args.sources)).documents
    chars = sum(len(d.body) for d in documents)
    profile = None
    if args.profile:
        from pyinstrument import Profiler

        from benchmarks.profiles import save_profile

        _warm(documents[0])
        profiler = Profiler(interval=0.001)
        profiler.start()
        seconds, extractions = run(documents, 1)
        profiler.stop()
        profile = save_profile(profiler.last_session, Path(args.profile))
    else:
        seconds, extractions = run(documents, args.processes)
    print(json.dumps({
        "processes": args.processes, "documents": len(documents), "chars": chars, "seconds": seconds,
        "docs_per_second": len(documents) / seconds, "counts": _counts(extractions),
        "profile": profile,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
