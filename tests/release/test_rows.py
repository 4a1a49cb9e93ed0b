"""The corpus's rows kept between runs: a run converts only the partitions new or changed since the last,
and the tables come out exactly as if every partition had been converted again."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.defs.sources import files_by_key, process_files
from pipeline.release import rows as rows_module
from pipeline.release import tables
from pipeline.release.rows import corpus_rows, offsets_mismatched, rows_of
from tests.robustness.corpus import DEV_ARTICLES


class Stored(Mapping):
    """Partitions as the partition store hands them over: loaded one by one, counted."""

    def __init__(self, values: dict, signatures: dict[str, str]):
        self.values, self.signatures, self.loaded = values, signatures, []

    def __getitem__(self, key: str):
        self.loaded.append(key)
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def all_tables(rows: dict) -> dict[str, pd.DataFrame]:
    return tables.release_tables(tables.corpus(rows))


def assert_same_tables(rows: dict, expected_files) -> None:
    got, expected = all_tables(rows), all_tables(rows_of(expected_files))
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("sources")
    for article in DEV_ARTICLES[:4]:
        (root / article.name).write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "copy.txt").write_text(DEV_ARTICLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    return process_files(root, files_by_key(root), workers=1)


def test_a_second_run_converts_only_new_and_changed_partitions(files: dict, tmp_path: Path) -> None:
    keys = sorted(files)
    first = Stored({k: files[k] for k in keys[:3]}, {k: "1" for k in keys[:3]})
    rows = corpus_rows(first, first.signatures, tmp_path)
    assert sorted(first.loaded) == keys[:3]
    assert_same_tables(rows, [files[k] for k in keys[:3]])

    # keys[0] stored again, keys[1] gone, keys[3] and keys[4] new
    current = [keys[0], keys[2], keys[3], keys[4]]
    second = Stored({k: files[k] for k in current}, {keys[0]: "2", keys[2]: "1", keys[3]: "1", keys[4]: "1"})
    reported = []
    rows = corpus_rows(second, second.signatures, tmp_path, on_load=lambda changed, total: reported.append(
        (changed, total)))
    assert sorted(second.loaded) == [keys[0], keys[3], keys[4]] and reported == [(3, 4)]
    assert_same_tables(rows, [files[k] for k in current])

    third = Stored({k: files[k] for k in current}, second.signatures)
    assert_same_tables(corpus_rows(third, third.signatures, tmp_path), [files[k] for k in current])
    assert third.loaded == []


def test_an_unreadable_cache_is_rebuilt_from_the_partitions(files: dict, tmp_path: Path) -> None:
    stored = Stored(dict(files), {k: "1" for k in files})
    corpus_rows(stored, stored.signatures, tmp_path)
    for path in tmp_path.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    again = Stored(dict(files), stored.signatures)
    assert_same_tables(corpus_rows(again, again.signatures, tmp_path), list(files.values()))
    assert sorted(again.loaded) == sorted(files)


def test_deltas_are_folded_into_a_new_base(files: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows_module, "MAX_DELTAS", 2)
    key = sorted(files)[0]
    for version in range(5):
        stored = Stored(dict(files), {k: str(version) if k == key else "1" for k in files})
        rows = corpus_rows(stored, stored.signatures, tmp_path)
    # runs 0-4: base, delta, delta, then a base in place of all three, and a delta after it
    assert [path.name for path in sorted(tmp_path.glob("*.pickle"))] == ["00000003.base.pickle",
                                                                         "00000004.delta.pickle"]
    assert_same_tables(rows, list(files.values()))


def test_without_signatures_every_partition_is_converted_and_nothing_kept(files: dict, tmp_path: Path) -> None:
    stored = Stored(dict(files), {})
    assert_same_tables(corpus_rows(stored), list(files.values()))
    assert sorted(stored.loaded) == sorted(files) and not list(tmp_path.iterdir())


def test_offsets_that_do_not_slice_the_body_are_counted(files: dict) -> None:
    source = next(iter(files.values()))
    document, extraction = source.documents[0], source.extractions[0]
    assert offsets_mismatched(document.body, extraction) == 0
    first = extraction.mentions[0]
    moved = replace(extraction, mentions=(replace(first, start=first.start + 1), *extraction.mentions[1:]))
    assert offsets_mismatched(document.body, moved) == 1


def test_values_that_repeat_across_documents_are_one_object(files: dict) -> None:
    """Each extraction is unpickled apart, with its own copies of the actor ids; the rows hold one of each."""
    rows = rows_of(files.values())
    mentions = rows["mentions"]
    assert mentions["doc_id"].nunique() > 1
    assert all(len({id(v) for v in group}) == 1 for _, group in mentions.groupby("actor_id")["actor_id"])
    assert list(mentions[["doc_id", "actor_id", "text", "char_start", "char_end"]].itertuples(index=False, name=None)) \
        == [(e.doc_id, m.actor_id, m.text, m.start, m.end) for f in files.values() for e in f.extractions
            for m in e.mentions]
