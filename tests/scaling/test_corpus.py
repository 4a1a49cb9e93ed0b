"""The benchmark's synthetic corpus: deterministic, 2-6 KB articles that ingestion reads without a problem."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import ArticleWriter, write_corpus, write_feed
from pipeline.actors.registry import load_registry
from pipeline.extraction import extract_document
from pipeline.sources.ingest import ingest

SIZE = 30


def test_same_seed_same_articles_other_seed_other_articles(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", SIZE, seed=3)
    again = write_corpus(tmp_path / "b", SIZE, seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert ArticleWriter(seed=4).text(0) != first[0].read_text(encoding="utf-8")


def test_articles_are_2_to_6_kb_with_dated_front_matter_and_extractable(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, SIZE, seed=7)
    assert all(2000 <= p.stat().st_size <= 6144 for p in paths)
    ingested = ingest(tmp_path)
    assert not ingested.problems
    assert len(ingested.documents) == SIZE
    assert all(d.published_date and d.title and d.publisher for d in ingested.documents)
    registry = load_registry()
    extractions = [extract_document(d, registry) for d in ingested.documents[:5]]
    assert all(e.mentions and e.events for e in extractions)
    assert sum(len(e.forecasts) for e in extractions) > 0


def test_a_feed_holds_the_same_articles_as_the_files(tmp_path: Path) -> None:
    write_corpus(tmp_path / "files", SIZE, seed=7)
    write_feed(tmp_path / "feed", SIZE, seed=7)
    from_files, from_feed = ingest(tmp_path / "files"), ingest(tmp_path / "feed")
    assert not from_feed.problems and len(from_feed.documents) == SIZE

    def articles(documents) -> list[tuple]:
        return sorted((d.doc_id, d.title, d.publisher, d.published_date, d.url) for d in documents)

    assert articles(from_feed.documents) == articles(from_files.documents)
