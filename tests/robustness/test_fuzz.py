"""Properties over random input: ingestion never raises, every input is accounted for (a document or a
quarantine row), every good article generated beside the bad ones comes through, and the tables built
from the result validate and write as Parquet.

Most examples run the ingestion and the table functions directly (fast);
two examples run a full build of a random corpus.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.cli import run_build
from pipeline.sources.ingest import KEPT_WITH_CAVEAT, REASONS, Ingested, doc_id_for, ingest
from tests.robustness.corpus import assert_tables_build, fresh, write_dev

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A full build takes seconds: two examples, and no shrinking (a failure is reported as found).
FULL = settings(max_examples=2, deadline=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow])

SUFFIXES = [".txt", ".md", ".jsonl", ".TXT", ".json", ".png", ""]
random_files = st.lists(st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=400)), max_size=6)
good_tags = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=6), min_size=1, max_size=3, unique=True)


def write_random(folder: Path, files: list[tuple[str, bytes]]) -> list[str]:
    names = []
    for number, (suffix, data) in enumerate(files):
        name = f"random-{number}{suffix}"
        (folder / name).write_bytes(data)
        names.append(name)
    return names


def write_good(folder: Path, tags: list[str]) -> dict[str, str]:
    """Good articles with front matter; source path -> doc_id."""
    good = {}
    for tag in tags:
        body = fresh(f"good {tag}")
        (folder / f"good-{tag}.txt").write_text(f"---\ntitle: Good {tag}\npublished: 2025-01-02\n---\n{body}")
        good[f"good-{tag}.txt"] = doc_id_for(body)
    return good


def accounted(result: Ingested, name: str) -> bool:
    """Whether an input became a document or a quarantine row."""
    paths = {d.source_path.split("#")[0] for d in result.documents} | {p.source_path.split("#")[0]
                                                                        for p in result.problems}
    return name in paths


def assert_sound(result: Ingested, good: dict[str, str]) -> None:
    by_id = {d.doc_id: d.source_path for d in result.documents}
    for path, doc_id in good.items():
        assert by_id.get(doc_id) == path
    assert all(p.reason in REASONS and p.detail for p in result.problems)
    assert_tables_build(result)


@FAST
@given(files=random_files, tags=good_tags)
def test_random_files_beside_good_articles(files: list[tuple[str, bytes]], tags: list[str]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        random_names = write_random(folder, files)
        good = write_good(folder, tags)
        result = ingest(folder)
        assert_sound(result, good)
        assert all(accounted(result, name) for name in random_names)


front_matter = st.text(alphabet=st.characters(blacklist_characters="\x00\r", blacklist_categories=("Cs",)),
                       max_size=200).filter(lambda block: "---" not in block)
yaml_values = st.one_of(st.none(), st.text(max_size=20), st.integers(), st.floats(), st.booleans(),
                        st.lists(st.integers(), max_size=3), st.dates().map(str),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@FAST
@given(block=front_matter, tag=st.text(alphabet="xyz", min_size=1, max_size=5))
def test_random_front_matter_keeps_the_article(block: str, tag: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        body = fresh(f"front {tag}")
        (folder / "a.txt").write_text(f"---\n{block}\n---\n{body}", encoding="utf-8")
        result = ingest(folder)
        (document,) = result.documents
        assert document.body == body
        assert {p.reason for p in result.problems} <= set(KEPT_WITH_CAVEAT)
        assert_tables_build(result)


@FAST
@given(title=yaml_values, published=yaml_values, url=yaml_values)
def test_random_metadata_values_keep_the_article(title: object, published: object, url: object) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        body = fresh("metadata")
        meta = json.dumps({"title": title, "published": published, "url": url})  # JSON is YAML
        (folder / "a.md").write_text(f"---\n{meta}\n---\n{body}", encoding="utf-8")
        (folder / "b.jsonl").write_text(json.dumps({"id": "1", "title": title, "published": published,
                                                    "url": url, "text": body + "feed"}) + "\n")
        result = ingest(folder)
        assert [d.source_path for d in result.documents] == ["a.md", "b.jsonl#1"]
        assert {p.reason for p in result.problems} <= set(KEPT_WITH_CAVEAT)
        assert_tables_build(result)


junk_line = st.binary(max_size=120).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" "))
good_line = st.text(max_size=80)  # hypothesis leaves out surrogates; the article number makes it unique
feed_lines = st.lists(st.one_of(st.tuples(st.just("good"), good_line), st.tuples(st.just("junk"), junk_line)),
                      min_size=1, max_size=25)


@FAST
@given(lines=feed_lines)
def test_random_feeds_keep_every_good_line(lines: list[tuple[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        data, good = [], {}
        for number, (kind, value) in enumerate(lines, start=1):
            if kind == "good":
                text = f"Article {number}: {value}"
                data.append(json.dumps({"id": f"g{number}", "text": text}).encode())
                good[f"feed.jsonl#g{number}"] = text
            else:
                data.append(value)
        (folder / "feed.jsonl").write_bytes(b"\n".join(data) + b"\n")
        result = ingest(folder)
        bodies = {d.source_path: d.body for d in result.documents}
        for path, text in good.items():
            assert bodies[path] == text
        assert all(p.line is None or 1 <= p.line <= len(lines) for p in result.problems)
        assert_tables_build(result)


@FULL
@given(files=st.lists(st.tuples(st.sampled_from(SUFFIXES[:3]), st.binary(min_size=1, max_size=300)),
                      min_size=3, max_size=6))
def test_full_builds_of_random_corpora(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        sources = folder / "sources"
        sources.mkdir()
        good = write_dev(sources, ["dev-04.txt", "dev-07.txt"])
        random_names = write_random(sources, files)
        assert run_build(sources, folder / "release").success
        documents = pd.read_parquet(folder / "release" / "documents.parquet")
        quarantine = pd.read_parquet(folder / "release" / "quarantine.parquet")
        assert set(good.values()) <= set(documents.doc_id)
        seen = set(documents.source_path.str.split("#").str[0]) | set(quarantine.source_path.str.split("#").str[0])
        assert set(random_names) <= seen
