"""The sources folder as Dagster sees it: one dynamic partition per source file.

The per-document work (reading one file, extracting each of its documents) is
partitioned by file, keyed by the file's path relative to the sources folder,
so that a new or changed article is read and extracted on its own. What needs
the whole corpus (one document per text, actors and events merged across
documents, the tables, the release) is unpartitioned and downstream.

Plain functions, no Dagster beyond the partitions definition: the assets, the
sensor and the CLI call them. Reading is :func:`pipeline.sources.ingest.read_source`
and extraction :func:`pipeline.extraction.extract_documents`, unchanged; this
module only splits the corpus into files (:func:`pipeline.release.tables.corpus`
puts their rows back together the way :func:`pipeline.sources.ingest.ingest`
reads the folder whole).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import multiprocessing
import os
import signal
import socket
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from pipeline.actors.registry import load_registry
from pipeline.defs.cluster import cluster_pool
from pipeline.defs.packing import Packed, PackedExtractions, pack
from pipeline.documents.model import Document
from pipeline.documents.parse import load_parser
from pipeline.progress import Progress
from pipeline.release.lock import forget_inherited
from pipeline.sources.ingest import Problem, printable, read_source, source_files

if TYPE_CHECKING:  # the extraction code loads when a run extracts (below), not with the definitions
    from pipeline.extraction import DocumentExtraction

SOURCE_FILES = dg.DynamicPartitionsDefinition(name="source_files")

# Extraction of many documents in one run goes to worker processes (both cores of a small machine);
# below this many documents starting them costs more than it saves.
PARALLEL_MIN_DOCUMENTS = 50
# Documents extracted together: their sentences to parse go to the parser in one batch.
BATCH_DOCUMENTS = 32
PR_SET_PDEATHSIG = 1  # prctl(2)
WORKERS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))

# Dagster refuses these in a partition key; a file name may hold them.
_INVALID_IN_KEYS = ("\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")


def partition_key(rel: str) -> str:
    """The partition key of a source file: its relative path, made acceptable to Dagster.

    Nearly always the path itself. A name that is not UTF-8 shows its bad bytes as U+FFFD, a control
    character becomes U+FFFD and ``...`` becomes ``…``; two names that only differ there share a key (and
    a partition, which then holds both files).
    """
    key = printable(rel)
    for bad in _INVALID_IN_KEYS:
        key = key.replace(bad, "\ufffd")
    return key.replace("...", "\u2026")


def files_by_key(root: Path) -> dict[str, list[tuple[Path, str]]]:
    """Every source file below root, as ``ingest`` lists them, grouped by partition key (sorted)."""
    grouped: dict[str, list[tuple[Path, str]]] = {}
    for path, rel in source_files(root.resolve()):  # resolved, as ingest does: links are judged against it
        grouped.setdefault(partition_key(rel), []).append((path, rel))
    return dict(sorted(grouped.items()))


@dataclass(frozen=True)
class SourceFile:
    """What one partition holds: the documents of its file(s), the problems met, the extractions."""

    key: str
    rels: tuple[str, ...]  # the relative path(s) read; ingest's order among files is by these
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    extractions: Sequence[DocumentExtraction]  # one per document, in the same order (packed by process_files)


# ---------------------------------------------------------------- reading and extraction


def read_files(root: Path, files: Sequence[tuple[Path, str]]) -> tuple[list[Document], list[Problem]]:
    documents: list[Document] = []
    problems: list[Problem] = []
    for path, rel in files:
        documents += read_source(path, rel, root, problems)
    return documents, problems


def _die_with(parent: int) -> None:
    """Linux: have the kernel end this worker when the build that started it dies (workers of a killed
    build went on running, adopted by init, ~157 MB each)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _start_worker(parent: int) -> None:
    _die_with(parent)
    forget_inherited()  # a worker never holds the output folder's lock
    load_registry()  # cached: once per worker, not once per document
    load_parser()  # in the worker, not the parent: the parent keeps building tables after the pool is gone


class _Overtime(BaseException):
    """A document's extraction ran over its time (a BaseException: extraction code that catches Exception
    must not swallow it)."""


def _overtime(signum, frame) -> None:
    raise _Overtime


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _Overtime in the block after ``seconds`` of the process's CPU time (SIGVTALRM, which interrupts
    a long regular expression too; CPU time, so that other programs' load on the machine does not set a
    document aside). Signals reach a process's main thread only: elsewhere, or without seconds, there is no
    limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _overtime)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        # None when the handler was not set from Python: restoring None would raise
        signal.signal(signal.SIGVTALRM, signal.SIG_DFL if previous is None else previous)


def _extract_one(document: Document, registry, timeout: float | None) -> DocumentExtraction | None:
    from pipeline.extraction import extract_documents

    try:
        with _time_limit(timeout):
            return extract_documents([document], registry)[0]
    except _Overtime:
        return None


def _extract(documents: list[Document], timeout: float | None = None) -> list[DocumentExtraction | None]:
    """extract_documents, each document given ``timeout`` seconds of CPU: a batch that runs over one
    document's time is extracted again one document at a time (a batch normally takes a few seconds, and a
    budget of n documents' time would let one stalled document run for all of them), and a document over
    its own time gives None (it is set aside as ``extraction_timeout``, and the build goes on)."""
    from pipeline.extraction import extract_documents  # loaded by extract_all before the workers fork

    registry = load_registry()
    if timeout:
        load_parser()  # cached; loading it is no document's time
    try:
        with _time_limit(timeout):
            return extract_documents(documents, registry)
    except _Overtime:
        return [_extract_one(document, registry, timeout) for document in documents]


def worker_id() -> str:
    """The process doing the work, as a run's metadata records it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _extract_packed(documents: list[Document], timeout: float | None = None) -> tuple[str, list[Packed | None]]:
    """_extract, each extraction packed where it was made (the build holds bytes, not objects), with the
    process that made them."""
    return worker_id(), [None if e is None else pack(e) for e in _extract(documents, timeout)]


def start_method() -> str:
    """How worker processes start: forked where that is safe, spawned otherwise.

    A forked worker starts at once, with the registry already loaded, and never runs the caller's
    ``__main__`` again (a spawned one imports it: a script without an ``if __name__ == "__main__"`` guard
    would run twice). Forking is safe while this process has one thread (the CLI's and a Dagster run's
    case); with other threads alive, one of them may hold a lock the child would inherit held, so then
    workers are spawned.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


@contextlib.contextmanager
def _pool(workers: int, scheduler: str) -> Iterator[tuple[Executor, int]]:
    """This machine's worker processes, or the Dask cluster at ``scheduler``; and how many tasks run at once."""
    if scheduler:
        with cluster_pool(scheduler) as pool:
            yield pool
        return
    load_registry()  # a forked worker inherits it loaded
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method()),
                             initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        yield pool, workers


def extract_all(documents: Sequence[Document], workers: int = WORKERS, timeout: float | None = None,
                scheduler: str = "", ran_in: set[str] | None = None) -> list[Packed | None]:
    """extract_documents for every document, in their order, in batches, each extraction packed
    (:mod:`pipeline.defs.packing`); in worker processes when there are many, or on the Dask cluster at
    ``scheduler`` (:mod:`pipeline.defs.cluster`) whenever one is given. A document whose extraction runs
    over ``timeout`` seconds gives None (see `_extract`). ``ran_in`` receives the processes that extracted
    (`worker_id`).

    ``Executor.map`` returns results in the order of its input, so the outcome does not depend on
    which worker finished first.
    """
    import pipeline.extraction  # noqa: F401 - loaded before the workers fork; a third of a second the code location's load need not pay

    progress = Progress("extracting documents", len(documents))
    extractions: list[Packed | None] = []
    ran_in = set() if ran_in is None else ran_in

    def collect(batches: Iterable[tuple[str, list[Packed | None]]]) -> None:
        for where, batch in batches:
            ran_in.add(where)
            extractions.extend(batch)
            progress.advance(len(batch))

    if not documents or not scheduler and (workers < 2 or len(documents) < PARALLEL_MIN_DOCUMENTS):
        collect(_extract_packed(list(documents[start:start + BATCH_DOCUMENTS]), timeout)
                for start in range(0, len(documents), BATCH_DOCUMENTS))
    else:
        with _pool(workers, scheduler) as (pool, slots):
            size = max(1, min(BATCH_DOCUMENTS, len(documents) // (slots * 8)))
            batches = [list(documents[start:start + size]) for start in range(0, len(documents), size)]
            collect(pool.map(functools.partial(_extract_packed, timeout=timeout), batches))
    progress.finish()
    return extractions


def process_files(root: Path, keys: Iterable[str], workers: int = WORKERS, timeout: float | None = None,
                  scheduler: str = "", ran_in: set[str] | None = None) -> dict[str, SourceFile]:
    """Read and extract the files of the given partition keys: one :class:`SourceFile` per key.

    A key whose file is gone gives an empty SourceFile (the sensor removes its partition at its next tick).
    A document whose extraction runs over ``timeout`` seconds is left out, with an ``extraction_timeout``
    problem. ``scheduler`` and ``ran_in``: as for :func:`extract_all`.
    """
    root = root.resolve()
    listing = files_by_key(root)
    read: dict[str, tuple[list[tuple[Path, str]], list[Document], list[Problem]]] = {}
    for key in keys:
        files = listing.get(key, [])
        documents, problems = read_files(root, files)
        read[key] = (files, documents, problems)
    extractions = iter(extract_all([d for _, documents, _ in read.values() for d in documents], workers, timeout,
                                   scheduler, ran_in))
    processed = {}
    for key, (files, documents, problems) in read.items():
        pairs = [(document, next(extractions)) for document in documents]
        problems += [Problem(document.source_path, "extraction_timeout",
                             f"extraction took over {timeout:g} s; set aside, the build goes on")
                     for document, extraction in pairs if extraction is None]
        kept = [(document, extraction) for document, extraction in pairs if extraction is not None]
        processed[key] = SourceFile(key, tuple(rel for _, rel in files), tuple(d for d, _ in kept),
                                    tuple(problems), PackedExtractions(e for _, e in kept))
    return processed


# ---------------------------------------------------------------- what changed in the folder


def _content_digest(path: Path, root: Path, info: os.stat_result) -> str:
    """sha256 of a regular file inside the folder; for anything else, what it is (never opened:
    a named pipe would block)."""
    if not stat.S_ISREG(info.st_mode):
        return f"mode:{stat.S_IFMT(info.st_mode):o}"
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            return "link-outside"
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()[:32]  # 128 bits: the cursor holds one per file
    except (OSError, RuntimeError) as error:
        return f"unreadable:{type(error).__name__}"


def fingerprints(root: Path, previous: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[str]]:
    """Per partition key: ``[size:mtime of each file, sha256 of the contents]``.

    The contents are hashed again only for files whose size or modification time changed since
    ``previous``, so a tick over a large folder reads only what was touched; a file touched but not
    changed keeps its digest and is not processed again.
    """
    previous = previous or {}
    root = root.resolve()
    found: dict[str, list[str]] = {}
    for key, files in files_by_key(root).items():
        stats: list[str] = []
        infos = []
        for path, _ in files:
            try:
                info = path.stat()
            except (OSError, RuntimeError):
                info = None
            infos.append(info)
            stats.append("missing" if info is None else f"{info.st_size}:{info.st_mtime_ns}")
        signature = ";".join(stats)
        before = previous.get(key)
        if before is not None and len(before) == 2 and before[0] == signature:
            found[key] = [signature, before[1]]
            continue
        digests = [("missing" if info is None else _content_digest(path, root, info))
                   for (path, _), info in zip(files, infos, strict=True)]
        found[key] = [signature, digests[0] if len(digests) == 1 else
                      hashlib.sha256(";".join(digests).encode()).hexdigest()[:32]]
    return found


def sync_partitions(instance: dg.DagsterInstance, root: Path) -> list[str]:
    """Make the partitions of ``file_extractions`` the files of root: add the new, delete the gone.

    Returns every partition key in the partitions' order (the order a run's key range follows).
    """
    wanted = set(files_by_key(root))
    registered = instance.get_dynamic_partitions(SOURCE_FILES.name)
    for key in registered:
        if key not in wanted:
            instance.delete_dynamic_partition(SOURCE_FILES.name, key)
    present = set(registered)
    new = sorted(wanted - present)
    if new:
        instance.add_dynamic_partitions(SOURCE_FILES.name, new)
    return list(instance.get_dynamic_partitions(SOURCE_FILES.name))
