"""Test corpora: real dev articles beside every kind of bad input, with what ingestion must make of each.

Each :class:`Case` writes one input (or a few) into a sources folder and says
which documents it must give and which quarantine rows (path, line, reason).
The same cases serve the fast ingestion tests and the one full build of the
mixed corpus.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.defs.sources import SourceFile
from pipeline.extraction import DocumentExtraction
from pipeline.release.rows import rows_of
from pipeline.release.tables import corpus, documents_table, quarantine_table
from pipeline.release.validation import split_valid
from pipeline.sources.ingest import MAX_ARTICLE_BYTES, Ingested, doc_id_for, split_front_matter
from schemas.derive import to_arrow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV = PROJECT_ROOT.parent / "shared" / "eval" / "dev"
DEV_ARTICLES = sorted(DEV.glob("*.txt"))

# Short articles of their own (so that no two cases share a body), with actors, an event and a forecast.
NEW_ARTICLES = {
    "tsmc": "TSMC said on Tuesday it would open a second fab in Arizona in 2026. TrendForce expects "
            "global foundry revenue to grow 20% in 2026.",
    "smic": "SMIC reported revenue of US$2.2 billion for the third quarter, up 30% from a year earlier, "
            "as Chinese customers stocked up on chips.",
    "asml": "ASML said the Dutch government had revoked licences for some of its DUV lithography systems "
            "to China. Analysts expect China's share of ASML sales to fall below 20% next year.",
    "huawei": "Huawei plans to ship about 200,000 Ascend AI chips this year, according to people familiar "
              "with the matter, as Beijing urges companies to buy domestic accelerators.",
    "samsung": "Samsung Electronics said it would invest 10 trillion won in a new HBM packaging line. "
               "The company expects HBM demand to double in 2026.",
    "intel": "Intel received US$7.86 billion in CHIPS Act funding from the US Commerce Department, "
             "lower than the amount announced in March.",
    "micron": "Micron expects its fiscal fourth-quarter revenue to be about US$11.2 billion, "
              "driven by demand for memory used in AI servers.",
    "nvidia": "Nvidia said the US government had told it that H20 exports to China would need a licence. "
              "Morgan Stanley estimates the rule could cut Nvidia's data-center revenue by 5% in 2025.",
}


def fresh(tag: str) -> str:
    """A body of its own for each tag: one of the new articles and a sentence naming the tag."""
    base = list(NEW_ARTICLES.values())[sum(map(ord, tag)) % len(NEW_ARTICLES)]
    return f"{base} The case is filed as {tag}.\n"


def article(tag: str, **front: str) -> str:
    """A fresh article's text, with front matter when any field is given."""
    if not front:
        return fresh(tag)
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n" + fresh(tag)


def body_of(text: str) -> str:
    """The body ingestion reads from a good UTF-8 article text."""
    return split_front_matter(text.replace("\r\n", "\n"))[1]


@dataclass(frozen=True)
class Case:
    """One kind of input, written by ``write``; what must come of it."""

    id: str
    write: Callable[[Path], None]
    problems: frozenset[tuple[str, int | None, str]]  # (source_path, line, reason)
    documents: frozenset[str] = frozenset()  # source paths that must be documents
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def _bytes(name: str, data: bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return write


def _text(name: str, text: str) -> Callable[[Path], None]:
    return _bytes(name, text.encode("utf-8"))


def _all(*writers: Callable[[Path], None]) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        for writer in writers:
            writer(folder)
    return write


def _copy_dev(name: str, as_name: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / as_name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEV / name, folder / as_name)
    return write


def _link(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        os.symlink(target(folder), folder / name)
    return write


def _outside_file(folder: Path) -> Path:
    path = folder.parent / f"{folder.name}-outside" / "secret.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fresh("outside"), encoding="utf-8")
    return path


def _fifo(name: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        os.mkfifo(folder / name)
    return write


def _jsonl(*lines: object) -> bytes:
    return b"\n".join(line if isinstance(line, bytes) else json.dumps(line).encode() for line in lines) + b"\n"


LATIN1 = ("Le gouvernement français a annoncé une aide à l'industrie des puces électroniques. " * 3).encode("latin-1")
# One cp1252 right quote (byte 0x92) in otherwise UTF-8 text: repaired, not refused.
CP1252_QUOTE = fresh("cp1252").encode("utf-8").replace(b" The case", b" The\x92 case", 1)

CASES: tuple[Case, ...] = (
    Case("empty_file", _bytes("empty.txt", b""), frozenset({("empty.txt", None, "empty_file")})),
    Case("whitespace_only", _bytes("blank.md", b"  \n\t\n"), frozenset({("blank.md", None, "empty_file")})),
    Case("front_matter_only", _text("no_body.txt", "---\ntitle: Nothing\n---\n"),
         frozenset({("no_body.txt", None, "empty_file")})),
    Case("binary_file", _bytes("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
         frozenset({("image.txt", None, "binary_file")})),
    Case("latin1_text", _bytes("latin1.txt", LATIN1), frozenset({("latin1.txt", 1, "not_utf8")})),
    Case("one_cp1252_byte", _bytes("cp1252.txt", CP1252_QUOTE),
         frozenset({("cp1252.txt", 1, "not_utf8_repaired")}), frozenset({"cp1252.txt"})),
    Case("invalid_yaml", _text("bad_yaml.txt", "---\ntitle: [unclosed\npublisher: X\n---\n" + fresh("t1")),
         frozenset({("bad_yaml.txt", 3, "bad_front_matter")}), frozenset({"bad_yaml.txt"})),
    Case("yaml_list", _text("list_fm.md", "---\n- a\n- b\n---\n" + fresh("t2")),
         frozenset({("list_fm.md", 2, "bad_front_matter")}), frozenset({"list_fm.md"})),
    Case("yaml_scalar", _text("scalar_fm.md", "---\njust a line\n---\n" + fresh("t3")),
         frozenset({("scalar_fm.md", 2, "bad_front_matter")}), frozenset({"scalar_fm.md"})),
    Case("yaml_deeply_nested", _text("deep_fm.txt", "---\ntitle: " + "[" * 5000 + "\n---\n" + fresh("t4")),
         frozenset({("deep_fm.txt", None, "bad_front_matter")}), frozenset({"deep_fm.txt"})),
    Case("yaml_python_tag", _text("tag_fm.txt", "---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n"
                                  + fresh("t5")),
         frozenset({("tag_fm.txt", 2, "bad_front_matter")}), frozenset({"tag_fm.txt"})),
    Case("title_not_text", _text("title_map.txt", article("a11", title="{a: 1}", published="2025-01-02")),
         frozenset({("title_map.txt", None, "bad_metadata")}), frozenset({"title_map.txt"})),
    Case("impossible_date", _text("bad_date.txt", article("a12", title="T", published="2025-13-45")),
         frozenset({("bad_date.txt", 3, "invalid_published_date")}), frozenset({"bad_date.txt"})),
    Case("words_for_date", _text("word_date.txt", article("a13", published="next Tuesday")),
         frozenset({("word_date.txt", 2, "invalid_published_date")}), frozenset({"word_date.txt"})),
    Case("ancient_date", _text("old_date.txt", article("a14", published="0001-01-01", title="Old")),
         frozenset({("old_date.txt", 2, "invalid_published_date")}), frozenset({"old_date.txt"})),
    Case("byte_order_mark", _bytes("bom.txt", b"\xef\xbb\xbf" + article("a15", title="BOM").encode()),
         frozenset({("bom.txt", 1, "bad_front_matter")}), frozenset({"bom.txt"})),
    Case("broken_jsonl_lines",
         _bytes("feed.jsonl", _jsonl({"id": "good-1", "title": "Feed one", "published": "2025-03-01",
                                      "text": fresh("t6")},
                                     b"{not json", [1, 2], {"id": "no-text", "title": "nothing"},
                                     {"text": 42}, b"[" * 5000,
                                     {"id": "good-2", "text": fresh("t7"), "published": "2025-99-01"},
                                     {"id": "good-1", "text": fresh("t8")},
                                     b"\xff\xfe garbage \x00 line",
                                     {"text": fresh("t9") + " \ud800"})),
         frozenset({("feed.jsonl", 2, "bad_jsonl_line"), ("feed.jsonl", 3, "bad_jsonl_line"),
                    ("feed.jsonl", 4, "empty_article"), ("feed.jsonl", 5, "empty_article"),
                    ("feed.jsonl", 6, "bad_jsonl_line"), ("feed.jsonl", 7, "invalid_published_date"),
                    ("feed.jsonl", 8, "duplicate_id"), ("feed.jsonl", 9, "binary_file"),
                    ("feed.jsonl", 10, "not_utf8_repaired")}),
         frozenset({"feed.jsonl#good-1", "feed.jsonl#good-2", "feed.jsonl#10"})),
    Case("binary_jsonl", _bytes("blob.jsonl", bytes(range(256)) * 64),
         frozenset({("blob.jsonl", None, "binary_file")})),
    Case("empty_jsonl", _bytes("nothing.jsonl", b"\n\n"), frozenset({("nothing.jsonl", None, "empty_file")})),
    Case("duplicate_article", _all(_copy_dev("dev-03.txt", "dev-03.txt"), _copy_dev("dev-03.txt", "copies/again.txt")),
         frozenset({("dev-03.txt", None, "duplicate")}), frozenset({"copies/again.txt"}),
         extra={"kept_as": "copies/again.txt"}),
    Case("too_large", _text("huge.txt", "chips " * (MAX_ARTICLE_BYTES // 6 + 10)),
         frozenset({("huge.txt", None, "file_too_large")})),
    Case("unsupported_extension", _all(_bytes("photo.png", b"\x89PNG\r\n"), _text("notes", "no extension")),
         frozenset({("photo.png", None, "unsupported_extension"), ("notes", None, "unsupported_extension")})),
    Case("link_outside", _all(_link("outside.txt", _outside_file),
                              _link("outside_dir", lambda folder: _outside_file(folder).parent)),
         frozenset({("outside.txt", None, "link_outside_sources"), ("outside_dir", None, "link_outside_sources")})),
    Case("link_inside", _all(_text("real.txt", fresh("t10")), _link("alias.txt", lambda f: f / "real.txt")),
         frozenset({("real.txt", None, "duplicate")}), frozenset({"alias.txt"})),
    Case("named_pipe", _fifo("pipe.txt"), frozenset({("pipe.txt", None, "not_a_file")})),
    Case("non_utf8_file_name", lambda folder: (folder / os.fsdecode(b"caf\xe9.txt")).write_text("x\n"),
         frozenset({("caf\ufffd.txt", None, "bad_file_name")})),
)


def write_dev(folder: Path, names: list[str] | None = None, rename: Callable[[str], str] = str) -> dict[str, str]:
    """Copies of the dev articles (all, or those named); returns source path -> doc_id."""
    written = {}
    for path in DEV_ARTICLES:
        if names is not None and path.name not in names:
            continue
        target = folder / rename(path.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written[target.relative_to(folder).as_posix()] = doc_id_for(body_of(path.read_text(encoding="utf-8")))
    return written


def write_mixed_corpus(folder: Path) -> tuple[dict[str, str], list[Case]]:
    """All dev articles and every case, in one folder; (good dev articles: path -> doc_id, the cases)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = write_dev(folder, [p.name for p in DEV_ARTICLES if p.name != "dev-03.txt"])
    for case in CASES:
        case.write(folder)
    return good, list(CASES)


def assert_tables_build(ingested: Ingested) -> None:
    """documents and quarantine validate and write as Parquet (surrogates or bad dates would not)."""
    empty = tuple(DocumentExtraction(d.doc_id, (), (), (), ()) for d in ingested.documents)
    rows = corpus(rows_of([SourceFile("all", (), ingested.documents, ingested.problems, empty)]))
    for name, df in (("documents", documents_table(rows)), ("quarantine", quarantine_table(rows))):
        valid, rejected = split_valid(name, df, strict=True)
        assert not rejected
        pq.write_table(to_arrow(name, valid), io.BytesIO())
