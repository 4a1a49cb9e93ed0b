"""Every kind of bad input, read by the ingestion alone: set aside or kept with a caveat, never raised.

Each case is written into a real folder beside a good dev article; the good
article must come through, the case must give exactly its quarantine rows,
and the tables built from the result must validate and convert to Arrow.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.sources import ingest as ingest_module
from pipeline.sources.ingest import (
    KEPT_WITH_CAVEAT,
    REASONS,
    SET_ASIDE,
    Ingested,
    feed_lines,
    ingest,
    parse_date,
)
from tests.robustness.corpus import CASES, PROJECT_ROOT, Case, assert_tables_build, fresh, write_dev


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_quarantined_and_the_good_article_kept(tmp_path: Path, case: Case) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    good = write_dev(sources, ["dev-01.txt"])
    case.write(sources)
    result = ingest(sources)
    got = {(p.source_path, p.line, p.reason) for p in result.problems}
    assert got == case.problems
    documents = {d.source_path: d for d in result.documents}
    assert set(documents) == set(good) | case.documents
    assert documents["dev-01.txt"].doc_id == good["dev-01.txt"]
    for problem in result.problems:
        assert problem.reason in REASONS and problem.detail
        # A caveat belongs to a document that is there; a set-aside input is not a document.
        if problem.reason in SET_ASIDE and problem.reason != "duplicate":
            assert problem.source_path not in documents
    assert_tables_build(result)


def test_reason_codes_are_either_set_aside_or_kept() -> None:
    assert not set(SET_ASIDE) & set(KEPT_WITH_CAVEAT)
    assert all(meaning for meaning in REASONS.values())


def test_kept_with_caveat_documents_lose_only_the_bad_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("---\ntitle: Kept\npublisher: P\npublished: 2025-02-30\n---\nBody.\n")
    (tmp_path / "b.txt").write_text("---\ntitle: [1, 2]\npublisher: Q\npublished: 2025-02-28\n---\nOther.\n")
    a, b = ingest(tmp_path).documents
    assert (a.title, a.publisher, a.published_date) == ("Kept", "P", None)
    assert (b.title, b.publisher, str(b.published_date)) == (None, "Q", "2025-02-28")


def test_yaml_is_read_safely(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "a.txt").write_text(f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nBody.\n")
    (problem,) = ingest(tmp_path).problems
    assert problem.reason == "bad_front_matter"
    assert not marker.exists()


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-12-10", "2025-12-10"),
    ("2025-12-10T08:30:00Z", "2025-12-10"),
    ("2025-12-10 08:30", "2025-12-10"),
    (" 2025-12-10 ", "2025-12-10"),
    ("", None),
    (None, None),
], ids=["date", "datetime-z", "date-time-space", "padded", "empty", "missing"])
def test_published_dates_that_parse(value: object, expected: str | None) -> None:
    date = parse_date(value)
    assert (date.isoformat() if date else None) == expected


@pytest.mark.parametrize("value", [
    "2025-13-01", "2025-02-30", "10 Dec 2025", "2025", "2025-12", "2025-12-10garbage", 2025, 2025.5, True,
    ["2025-12-10"], {"y": 2025}, "0001-01-01", "9999-12-31", "1899-12-31",
], ids=["month-13", "feb-30", "words", "year", "year-month", "trailing", "int", "float", "bool", "list",
        "mapping", "year-1", "year-9999", "before-1900"])
def test_published_dates_that_do_not(value: object) -> None:
    with pytest.raises(ValueError, match="published"):
        parse_date(value)


@pytest.mark.parametrize(("data", "lines"), [
    (b"a\nb\n", [b"a", b"b"]),
    (b"a\r\nb", [b"a", b"b"]),
    (b"a\rb\r\n\nc", [b"a", b"b", b"", b"c"]),
    (b"", []),
], ids=["lf", "crlf", "cr-and-blank", "empty"])
def test_feed_lines_are_universal_newlines(data: bytes, lines: list[bytes]) -> None:
    assert list(feed_lines(io.BytesIO(data))) == lines


def test_feed_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "MAX_FEED_LINE_BYTES", 300)
    monkeypatch.setattr(ingest_module, "MAX_ARTICLE_BYTES", 200)
    lines = [json.dumps({"id": "ok", "text": fresh("ok")[:150]}), json.dumps({"text": "x" * 400}),
             json.dumps({"text": "y" * 250})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["feed.jsonl#ok"]
    assert [(p.line, p.reason) for p in result.problems] == [(2, "line_too_large"), (3, "line_too_large")]
    monkeypatch.setattr(ingest_module, "MAX_FEED_BYTES", 100)
    (problem,) = ingest(tmp_path).problems
    assert problem.reason == "file_too_large"


def test_a_badly_broken_feed_lists_its_first_problems_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "MAX_PROBLEMS_PER_FEED", 5)
    (tmp_path / "feed.jsonl").write_text("{broken\n" * 20 + json.dumps({"text": "Good."}) + "\n")
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["feed.jsonl#21"]
    assert [p.reason for p in result.problems] == ["bad_jsonl_line"] * 5 + ["too_many_problems"]
    assert "15 more" in result.problems[-1].detail


def test_duplicates_keep_the_first_path_and_record_the_others(tmp_path: Path) -> None:
    text = fresh("dup")
    for name in ("b.txt", "a/x.md", "c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "7", "text": text}) + "\n")
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["a/x.md"]
    assert [(p.source_path, p.reason) for p in result.problems] == [
        ("b.txt", "duplicate"), ("c.txt", "duplicate"), ("feed.jsonl#7", "duplicate")]
    assert all("a/x.md" in p.detail for p in result.problems)


def test_links_inside_the_folder_are_followed_and_folder_links_not_walked(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(fresh("linked"))
    (tmp_path / "link_to_sub").symlink_to(tmp_path / "sub")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["sub/a.txt"]
    assert [(p.source_path, p.reason) for p in result.problems] == [("loop.txt", "link_outside_sources")]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden")
    (tmp_path / ".draft.txt").write_text("hidden")
    assert ingest(tmp_path) == Ingested((), ())


def test_the_readme_documents_every_reason_code() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Input"):readme.index("### Output")]
    assert [code for code in [*REASONS, "schema_failure"] if f"`{code}`" not in section] == []
