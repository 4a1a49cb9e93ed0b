"""Ingestion of each input format, on real files written to a temporary folder."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from pipeline.sources.ingest import doc_id_for, ingest, read_source, source_files, split_front_matter


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_txt_with_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "---\ntitle: Curbs eased\npublisher: TrendForce News\npublished: 2025-12-10\n"
                             "url: https://example.org/a\n---\nWashington approved exports.\n")
    (doc,) = ingest(tmp_path).documents
    assert doc.source_path == "a.txt"
    assert doc.title == "Curbs eased"
    assert doc.publisher == "TrendForce News"
    assert doc.url == "https://example.org/a"
    assert doc.published_date == dt.date(2025, 12, 10)
    assert doc.body == "Washington approved exports.\n"
    assert doc.doc_id == doc_id_for(doc.body)


def test_md_without_front_matter_has_null_metadata(tmp_path: Path) -> None:
    write(tmp_path, "sub/b.md", "# Heading\r\nBody line.\r\n")
    (doc,) = ingest(tmp_path).documents
    assert doc.source_path == "sub/b.md"
    assert doc.published_date is None and doc.title is None
    assert doc.body == "# Heading\nBody line.\n"  # universal newlines


def test_jsonl_feed_keeps_good_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "x1", "title": "T", "published": "2024-12-03", "text": "BIS added 140 entities."}),
             "{not json",
             json.dumps({"text": "A line without an id."})]
    write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    result = ingest(tmp_path)
    assert sorted(d.source_path for d in result.documents) == ["feed.jsonl#3", "feed.jsonl#x1"]
    (problem,) = result.problems
    assert (problem.source_path, problem.line, problem.reason) == ("feed.jsonl", 2, "bad_jsonl_line")


def test_same_text_twice_is_one_document(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Same text.")
    write(tmp_path, "b.txt", "---\ntitle: other\n---\nSame text.")
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["a.txt"]
    assert [(p.source_path, p.reason) for p in result.problems] == [("b.txt", "duplicate")]


def test_front_matter_split_matches_the_contract() -> None:
    assert split_front_matter("---\na: 1\n---\nbody") == ("a: 1", "body")
    assert split_front_matter("---  \n---\nbody") == ("", "body")
    assert split_front_matter("no front matter\n---\n") == (None, "no front matter\n---\n")


def test_front_matter_yaml_refuses_is_read_as_plain_lines(tmp_path) -> None:
    """A title with a colon in it is invalid YAML but plain `key: value` lines: the metadata is kept."""
    (tmp_path / "a.txt").write_text("---\ntitle: Memory crunch deepens: prices up 55%\npublisher: EE Times\n"
                                    "published: 2026-01-08\n---\nBody text of the article.\n", encoding="utf-8")
    result = ingest(tmp_path)
    (document,) = result.documents
    assert (document.title, document.publisher, str(document.published_date)) == (
        "Memory crunch deepens: prices up 55%", "EE Times", "2026-01-08")
    (problem,) = result.problems
    assert problem.reason == "bad_front_matter" and "plain `key: value` lines" in problem.detail


def test_front_matter_aliases_are_refused_before_they_expand(tmp_path) -> None:
    """Nine nested aliases of nine items stand for 9**9 (387 million) dates in a few hundred bytes: the block is
    refused as front matter, the article is kept, and the message stays one short line."""
    levels = ["a0: &a0 [2025-01-01, 2025-01-01, 2025-01-01, 2025-01-01, 2025-01-01, 2025-01-01, 2025-01-01,"
              " 2025-01-01, 2025-01-01]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    block = "\n".join(levels) + "\npublished: [" + ", ".join(["*a8"] * 9) + "]\ntitle: Fabs and aliases"
    (tmp_path / "bomb.txt").write_text(f"---\n{block}\n---\nTSMC said on Monday it will build a fab.\n",
                                       encoding="utf-8")
    (tmp_path / "good.txt").write_text("---\npublished: 2025-03-04\n---\nIntel said it will build a fab.\n",
                                       encoding="utf-8")
    result = ingest(tmp_path)
    assert sorted(d.source_path for d in result.documents) == ["bomb.txt", "good.txt"]
    bomb = next(d for d in result.documents if d.source_path == "bomb.txt")
    assert bomb.published_date is None
    assert all(len(p.detail) < 300 for p in result.problems)
    assert any(p.reason == "bad_front_matter" and "alias" in p.detail for p in result.problems)


def test_a_message_shows_a_bounded_part_of_a_value(tmp_path) -> None:
    (tmp_path / "long.txt").write_text("---\npublished: 2025-" + "x" * 5_000 + "\n---\nBody.\n", encoding="utf-8")
    (problem,) = ingest(tmp_path).problems
    assert problem.reason == "invalid_published_date" and len(problem.detail) < 200


def test_gold_annotations_beside_articles_are_skipped_not_quarantined(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Acme Semiconductor opened a new fab in Ohio on 3 March 2025.\n", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text('{"events": []}\n', encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}\n", encoding="utf-8")  # any other .json is still a problem
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["a.txt"]
    assert [(p.source_path, p.reason) for p in result.problems] == [("notes.json", "unsupported_extension")]


def test_a_folder_swapped_for_a_link_after_the_listing_is_not_read(tmp_path: Path) -> None:
    """Between listing and opening, a folder of the sources is replaced by a link to a folder outside: the
    file then opened is outside the sources, and its text must not reach the release."""
    root, outside = tmp_path / "sources", tmp_path / "private"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Acme opened a fab in Ohio on 3 March 2025.\n", encoding="utf-8")
    outside.mkdir()
    (outside / "a.txt").write_text("A private note that must stay private.\n", encoding="utf-8")
    listed = source_files(root.resolve())
    shutil.rmtree(root / "sub")
    (root / "sub").symlink_to(outside, target_is_directory=True)
    problems: list = []
    documents = [d for path, rel in listed for d in read_source(path, rel, root.resolve(), problems)]
    assert documents == []
    assert [(p.source_path, p.reason) for p in problems] == [("sub/a.txt", "link_outside_sources")]
