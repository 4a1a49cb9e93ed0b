"""The per-file partitions put back together are exactly what reading the whole folder gives."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.defs import sources
from pipeline.defs.packing import PackedExtractions, unpack
from pipeline.defs.sources import (
    _Overtime,
    _time_limit,
    extract_all,
    files_by_key,
    fingerprints,
    partition_key,
    process_files,
)
from pipeline.extraction import extract_document
from pipeline.release.rows import extraction_rows, rows_of
from pipeline.release.tables import corpus as assemble
from pipeline.sources.ingest import Problem, ingest
from tests.robustness.corpus import DEV_ARTICLES, write_mixed_corpus


def comparable(problem: Problem) -> Problem:
    """A problem without the part of a RecursionError's message that depends on the depth of the caller's stack
    (deeply nested front matter: "maximum recursion depth exceeded[ while calling a Python object]")."""
    return replace(problem, detail=problem.detail.replace(" while calling a Python object", ""))


def corpus_of(root: Path, files=None) -> dict:
    """The partitions of a folder, read, extracted and put back together (in the order of ``files``)."""
    files = files if files is not None else process_files(root, files_by_key(root), workers=1).values()
    return assemble(rows_of(files))


def documents(corpus: dict) -> list[tuple]:
    return list(corpus["documents"][["doc_id", "source_path", "n_chars", "title", "publisher", "url"]]
                .itertuples(index=False, name=None))


def in_order(problems) -> list[Problem]:
    return sorted((comparable(p) for p in problems), key=repr)


def problems(corpus: dict) -> list[Problem]:
    return in_order(Problem(p.source_path, p.reason, p.detail, None if p.line is pd.NA else int(p.line))
                    for p in corpus["problems"].itertuples())


def without_partition(rows: pd.DataFrame) -> list[tuple]:
    rows = rows.drop(columns="partition").astype(object)
    return list(rows.where(rows.notna(), None).itertuples(index=False, name=None))  # NaN != NaN


@pytest.mark.parametrize(("rel", "key"), [
    ("dev-01.txt", "dev-01.txt"),
    ("feeds/2025/wire.jsonl", "feeds/2025/wire.jsonl"),
    ("Überblick – März.md", "Überblick – März.md"),
    ("wait...what.txt", "wait\u2026what.txt"),
    ("tab\there.txt", "tab\ufffdhere.txt"),
    ("bad-\udcff-name.txt", "bad-\ufffd-name.txt"),
], ids=["plain", "subfolder", "unicode", "three-dots", "control-character", "not-utf8"])
def test_partition_key_is_the_relative_path_made_acceptable(rel: str, key: str) -> None:
    assert partition_key(rel) == key


def test_assembled_partitions_equal_ingest_of_the_folder(tmp_path: Path) -> None:
    """Every kind of bad input, duplicates across files and folders: same documents, same problems, same
    order, and each document's extraction is the one extract_document gives."""
    write_mixed_corpus(tmp_path)
    (tmp_path / "zz").mkdir(exist_ok=True)
    shutil.copy(DEV_ARTICLES[0], tmp_path / "zz" / "copy-of-dev-01.txt")
    shutil.copy(DEV_ARTICLES[0], tmp_path / "a-copy-first.txt")  # sorts first: this path is kept

    corpus = corpus_of(tmp_path)

    expected = ingest(tmp_path)
    assert documents(corpus) == [(d.doc_id, d.source_path, len(d.body), d.title, d.publisher, d.url)
                                 for d in expected.documents]
    assert problems(corpus) == in_order(expected.problems)
    extracted = extraction_rows([extract_document(d) for d in expected.documents])
    for table in ("mentions", "actors", "reports", "roles", "forecasts"):
        assert sorted(without_partition(corpus[table]), key=repr) == sorted(without_partition(extracted[table]),
                                                                            key=repr)


def test_a_sources_folder_reached_through_a_link_reads_as_ingest_reads_it(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    shutil.copy(DEV_ARTICLES[0], real / "a.txt")
    (real / "b.txt").symlink_to(real / "a.txt")  # a link inside the folder: read, a duplicate of a.txt
    (tmp_path / "via-link").symlink_to(real)
    root = tmp_path / "via-link"

    corpus = corpus_of(root)
    expected = ingest(root)
    assert documents(corpus) == [(d.doc_id, d.source_path, len(d.body), d.title, d.publisher, d.url)
                                 for d in expected.documents]
    assert problems(corpus) == in_order(expected.problems) and [p.reason for p in expected.problems] == ["duplicate"]
    assert set(fingerprints(root)) == {"a.txt", "b.txt"}


def test_partitions_in_any_order_assemble_the_same(tmp_path: Path) -> None:
    for article in DEV_ARTICLES[:4]:
        shutil.copy(article, tmp_path / article.name)
    shutil.copy(DEV_ARTICLES[0], tmp_path / "again.txt")
    files = process_files(tmp_path, files_by_key(tmp_path), workers=1)
    forward, backward = corpus_of(tmp_path, files.values()), corpus_of(tmp_path, reversed(list(files.values())))
    assert documents(backward) == documents(forward) and problems(backward) == problems(forward)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_many_documents_are_extracted_in_workers_in_a_fixed_order(tmp_path: Path, method: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(60):
        source = DEV_ARTICLES[i % len(DEV_ARTICLES)]
        (tmp_path / f"{i:03d}-{source.name}").write_text(source.read_text(encoding="utf-8") + f"\nRef {i}.\n",
                                                         encoding="utf-8")
    documents = ingest(tmp_path).documents
    assert len(documents) == 60
    monkeypatch.setattr(sources, "start_method", lambda: method)
    in_workers, here = extract_all(documents, workers=2), extract_all(documents, workers=1)
    assert [unpack(p) for p in in_workers] == [unpack(p) for p in here]


def test_fingerprints_change_with_the_contents_not_with_a_touch(tmp_path: Path) -> None:
    shutil.copy(DEV_ARTICLES[0], tmp_path / "a.txt")
    (tmp_path / "sub").mkdir()
    shutil.copy(DEV_ARTICLES[1], tmp_path / "sub" / "b.txt")
    first = fingerprints(tmp_path)
    assert set(first) == {"a.txt", "sub/b.txt"}

    later = time.time() + 5
    os.utime(tmp_path / "a.txt", (later, later))
    touched = fingerprints(tmp_path, first)
    assert touched["a.txt"][1] == first["a.txt"][1] and touched["a.txt"][0] != first["a.txt"][0]

    (tmp_path / "a.txt").write_text("Something else entirely.\n", encoding="utf-8")
    assert fingerprints(tmp_path, touched)["a.txt"][1] != first["a.txt"][1]


def test_fingerprints_never_open_what_is_not_a_file(tmp_path: Path) -> None:
    """The mixed corpus holds a named pipe (where the platform has them): listing must not block on it."""
    write_mixed_corpus(tmp_path)
    if hasattr(os, "mkfifo") and not (tmp_path / "pipe.txt").exists():
        os.mkfifo(tmp_path / "pipe.txt")
    started = time.monotonic()
    found = fingerprints(tmp_path)
    assert time.monotonic() - started < 30
    assert set(found) == set(files_by_key(tmp_path))


def test_a_document_over_its_time_is_set_aside_and_the_rest_extracted(tmp_path: Path) -> None:
    """A document is given `timeout` seconds; one that takes longer is left out with an extraction_timeout
    problem, and the others of its file and of its batch are extracted all the same."""
    sentence = "Acme said on Monday that Zenith would raise chip prices by 5% in 2027. "
    (tmp_path / "huge.txt").write_text(sentence * 9000, encoding="utf-8")  # ~650 KB on one line: seconds
    (tmp_path / "news.txt").write_text("Intel said on 3 March 2025 it will build a fab in Ohio.\n", encoding="utf-8")
    files = process_files(tmp_path, ["huge.txt", "news.txt"], workers=1, timeout=0.5)
    assert files["huge.txt"].documents == () and len(files["huge.txt"].extractions) == 0
    (problem,) = files["huge.txt"].problems
    assert (problem.source_path, problem.reason) == ("huge.txt", "extraction_timeout")
    assert len(files["news.txt"].extractions) == 1 and files["news.txt"].extractions[0].events


def test_the_time_limit_is_cpu_time_and_escapes_except_exception() -> None:
    """Extraction code that catches Exception cannot swallow the limit, and time spent waiting (another
    program holding the cores) is no document's time."""
    with _time_limit(0.2):
        time.sleep(0.4)
    with pytest.raises(_Overtime):
        with _time_limit(0.2):
            try:
                while True:
                    pass
            except Exception:
                pass
    assert signal.getsignal(signal.SIGVTALRM) is signal.SIG_DFL


def test_extractions_are_held_packed_and_unpack_to_what_extraction_gives(tmp_path: Path) -> None:
    shutil.copy(DEV_ARTICLES[0], tmp_path / "a.txt")
    (source,) = process_files(tmp_path, ["a.txt"], workers=1).values()
    direct = extract_document(source.documents[0])
    assert isinstance(source.extractions, PackedExtractions)
    assert list(source.extractions) == [direct] and source.extractions[0:1] == [direct]
    assert [source.extractions.total(name) for name in ("mentions", "events", "forecasts", "refused_figures")] \
        == [len(direct.mentions), len(direct.events), len(direct.forecasts), len(direct.refused_figures)]
    assert len(source.extractions.items[0].data) * 2 < len(pickle.dumps(direct))
