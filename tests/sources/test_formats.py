"""Pages, feed files and PDFs read one by one: what they give, and what is set aside and why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.sources.ingest import REASONS, ingest, read_feed_items, read_html, read_pdf_file
from pipeline.sources.pdf import dehyphenate, drop_running_lines, unwrap
from pipeline.sources.published import dateline_date, published, url_date
from tests.sources.formats import atom, pdf_bytes, rss, saved_page

STORY = ("Acme Semiconductor said on Thursday it would build a second fab in Ohio.\n\n"
         "The plant is to make 30,000 wafers a month from 2027, the company said.")


def test_a_saved_page_gives_its_article_without_the_chrome(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(saved_page("Acme plans a second fab", STORY, dt.date(2025, 3, 6),
                                                   "https://chipwire.example/acme"), encoding="utf-8")
    (document,) = ingest(tmp_path).documents
    assert document.body == STORY
    assert (document.title, document.publisher, document.url) == (
        "Acme plans a second fab", "Chip Wire Daily", "https://chipwire.example/acme")
    assert (document.published_date, document.published_source) == (dt.date(2025, 3, 6), "format_metadata")
    assert document.format == "html" and len(document.original_sha256) == 64


def test_feed_items_are_documents_and_a_summary_is_marked(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_text(rss([
        {"title": "Full", "url": "https://chipwire.example/full", "published": dt.date(2025, 3, 6), "body": STORY},
        {"title": "Short", "url": "https://chipwire.example/short", "published": dt.date(2025, 3, 7),
         "summary": "Acme said it would hire 500 engineers."}]), encoding="utf-8")
    (tmp_path / "b.atom").write_text(atom([{"title": "Atom", "url": "https://chipwire.example/atom",
                                            "published": dt.date(2025, 3, 8), "body": STORY + " Again."}]),
                                     encoding="utf-8")
    result = ingest(tmp_path)
    by_path = {d.source_path: d for d in result.documents}
    assert sorted(by_path) == ["a.rss#https://chipwire.example/full", "a.rss#https://chipwire.example/short",
                               "b.atom#https://chipwire.example/atom"]
    assert by_path["a.rss#https://chipwire.example/full"].body == STORY
    assert by_path["a.rss#https://chipwire.example/short"].body == "Acme said it would hire 500 engineers."
    assert [d.format for d in by_path.values()] == ["rss", "rss", "atom"]
    assert [d.published_date.day for d in by_path.values()] == [6, 7, 8]
    assert [(p.source_path, p.reason) for p in result.problems] == [
        ("a.rss#https://chipwire.example/short", "summary_only")]


def test_a_pdf_gives_its_text_without_title_headers_footers_or_hyphens(tmp_path: Path) -> None:
    # A paragraph ends at a short line ending a sentence: here each paragraph's last line is short.
    paragraphs = [f"Paragraph {i} says that the semiconductor industry keeps building fabs in many places "
                  "this year, and more." for i in range(40)]
    (tmp_path / "note.pdf").write_bytes(pdf_bytes("Fab note", "\n\n".join(paragraphs), dt.date(2025, 3, 9)))
    (document,) = ingest(tmp_path).documents
    assert document.body.split("\n\n") == paragraphs
    assert (document.title, document.published_date, document.format) == ("Fab note", dt.date(2025, 3, 9), "pdf")


def test_what_cannot_be_read_is_set_aside_and_the_rest_builds(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntruncated")
    (tmp_path / "chrome.html").write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
        "<footer>All rights reserved.</footer></body></html>", encoding="utf-8")
    (tmp_path / "not-a-feed.xml").write_text("this is not XML at all, just words", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Acme opened a fab in Ohio on 3 March 2025.\n", encoding="utf-8")
    result = ingest(tmp_path)
    assert [d.source_path for d in result.documents] == ["good.txt"]
    assert [(p.source_path, p.reason) for p in result.problems] == [
        ("broken.pdf", "broken_pdf"), ("chrome.html", "no_text"), ("not-a-feed.xml", "not_a_feed")]
    assert all(p.detail for p in result.problems)


def test_the_published_date_cascade(tmp_path: Path) -> None:
    (tmp_path / "dateline.txt").write_text("TAIPEI, March 3, 2025 (Reuters) - Acme opened a fab.\n", encoding="utf-8")
    (tmp_path / "url.txt").write_text("---\nurl: https://chipwire.example/2025/06/05/acme-fab\n---\nAcme opened.\n",
                                      encoding="utf-8")
    (tmp_path / "both.txt").write_text("---\npublished: 2025-01-02\nurl: https://x.example/2024/01/01/a\n---\n"
                                       "SEOUL, May 4, 2023 (Reuters) - Acme.\n", encoding="utf-8")
    (tmp_path / "none.txt").write_text("Acme opened a fab.\n", encoding="utf-8")
    found = {d.source_path: (d.published_date, d.published_source) for d in ingest(tmp_path).documents}
    assert found == {"dateline.txt": (dt.date(2025, 3, 3), "dateline"),
                     "url.txt": (dt.date(2025, 6, 5), "url_path"),
                     "both.txt": (dt.date(2025, 1, 2), "front_matter"),
                     "none.txt": (None, None)}


def test_a_dateline_without_a_year_takes_it_from_the_url_or_gives_no_date() -> None:
    body = "TAIPEI, March 3 (Reuters) - Acme said it would build a fab."
    assert dateline_date(body, "https://x.example/news/2025/acme") == dt.date(2025, 3, 3)
    assert dateline_date(body, None) is None
    assert dateline_date("WASHINGTON, Dec. 2, 2024 \u2014 The department added entities.") == dt.date(2024, 12, 2)
    assert dateline_date("Acme, March 3 2025, said nothing of the sort.") is None
    assert published(None, None, body, "https://x.example/news/2025/acme") == (dt.date(2025, 3, 3), "dateline")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["/", "-"]))
def test_a_date_in_a_url_path_is_read_back(date: dt.date, separator: str) -> None:
    url = f"https://x.example/a/{date.year}{separator}{date.month:02d}{separator}{date.day:02d}/story"
    assert url_date(url) == date


@given(st.text(max_size=200))
def test_url_dates_and_datelines_never_raise(text: str) -> None:
    url_date("https://x.example/" + text)
    dateline_date(text, "https://x.example/" + text)


def test_pdf_lines_are_repaired() -> None:
    assert dehyphenate("the semi-\nconductor makers") == "the semiconductor makers"
    assert dehyphenate("an export-\ncontrol rule and another export-control rule") == (
        "an export-control rule and another export-control rule")
    pages = [["Chip Notes", "Body one.", "Page 1"], ["Chip Notes", "Body two.", "Page 2"],
             ["Chip Notes", "Body three.", "3"]]
    assert drop_running_lines(pages) == [["Body one."], ["Body two."], ["Body three."]]
    assert unwrap(["A long line of text that wraps onto the", "next line and ends here.", "Heading",
                   "Another long line of text that wraps onto the", "next."]) == (
        "A long line of text that wraps onto the next line and ends here.\n\nHeading\n\n"
        "Another long line of text that wraps onto the next.")


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(str.encode),
                 st.sampled_from([b"%PDF-1.4\n%%EOF", b"<?xml version='1.0'?><rss><channel><item>",
                                  b"<html><body><article><p>", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>"])
                 .flatmap(lambda start: st.binary(max_size=500).map(lambda rest: start + rest))))
def test_no_bytes_make_a_reader_raise(data: bytes) -> None:
    """Whatever the bytes, each reader gives documents or problems naming the file, never an exception."""
    for rel, reader in (("x.html", read_html), ("x.xml", read_feed_items), ("x.pdf", read_pdf_file)):
        problems: list = []
        documents = reader(data, rel, problems)
        assert documents or problems, rel
        assert all(p.source_path.startswith(rel) and p.reason in REASONS for p in problems)
