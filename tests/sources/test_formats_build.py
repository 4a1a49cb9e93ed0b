"""The issue's test: one sources folder holding dev articles as analysts have them builds, and the saved page
and the PDF of an article give the events and forecasts its .txt gives (the scorer's F1 within 0.05).

The articles are read from ../shared/eval/dev at test time; the page chrome, feeds and PDFs around them are
made here (tests/sources/formats.py). Each copy is scored against the article's gold annotations, re-pointed
at the copy's source_path.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import run_build
from tests.release.test_scores import SCORER
from tests.sources.formats import DEV, atom, dev_article, pdf_bytes, rss, saved_page

PAGE_AND_PDF = ("dev-01", "dev-03")
IN_RSS = ("dev-04", "dev-06")
IN_ATOM = ("dev-05", "dev-07")
TOLERANCE = 0.05
KIND_OF = {"txt": ("txt",), "html": ("html",), "pdf": ("pdf",), "feeds": ("rss", "atom")}


def _item(name: str) -> dict:
    meta, body = dev_article(name)
    return {"title": meta["title"], "url": f"https://chipwire.example/{name}", "body": body,
            "published": dt.date.fromisoformat(str(meta["published"]))}


def write_copies(sources: Path) -> dict[str, dict[str, str]]:
    """Each kind of copy in its own folder of ``sources``: per folder, source_path -> dev article."""
    copies: dict[str, dict[str, str]] = {"txt": {}, "html": {}, "pdf": {}, "feeds": {}}
    for folder in copies:
        (sources / folder).mkdir(parents=True)
    for name in (*PAGE_AND_PDF, *IN_RSS, *IN_ATOM):
        shutil.copy(DEV / f"{name}.txt", sources / "txt" / f"{name}.txt")
        copies["txt"][f"{name}.txt"] = name
    for name in PAGE_AND_PDF:
        meta, body = dev_article(name)
        published = dt.date.fromisoformat(str(meta["published"]))
        (sources / "html" / f"{name}.html").write_text(
            saved_page(meta["title"], body, published, f"https://chipwire.example/news/{name}"), encoding="utf-8")
        (sources / "pdf" / f"{name}.pdf").write_bytes(pdf_bytes(meta["title"], body, published))
        copies["html"][f"{name}.html"] = copies["pdf"][f"{name}.pdf"] = name
    (sources / "feeds" / "wire.rss").write_text(rss([_item(name) for name in IN_RSS]), encoding="utf-8")
    (sources / "feeds" / "wire.atom").write_text(atom([_item(name) for name in IN_ATOM]), encoding="utf-8")
    for feed, names in (("wire.rss", IN_RSS), ("wire.atom", IN_ATOM)):
        copies["feeds"].update({f"{feed}#https://chipwire.example/{name}": name for name in names})
    return copies


def write_gold(gold: Path, copies: dict[str, str]) -> None:
    """The dev gold annotations of each copy, pointed at the copy's source_path."""
    gold.mkdir(parents=True)
    for number, (path, name) in enumerate(sorted(copies.items())):
        annotations = json.loads((DEV / f"{name}.gold.json").read_text(encoding="utf-8"))
        (gold / f"copy-{number:02d}.gold.json").write_text(json.dumps({**annotations, "doc": path}),
                                                             encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(per copy's source_path: its scores, the documents and quarantine tables of the whole folder).

    The whole folder is built once, every kind beside the others; the kinds are scored in builds of their own,
    as copies whose text is the same (the saved page's and the PDF's, both the article's paragraphs) are one
    document in a folder holding both, recorded under the first path (`duplicate`).
    """
    root = tmp_path_factory.mktemp("formats")
    copies = write_copies(root / "sources")
    release = root / "release"
    assert run_build(root / "sources", release).success
    scores = {}
    for kind, of_kind in copies.items():
        write_gold(root / "gold" / kind, of_kind)
        assert run_build(root / "sources" / kind, root / "release-of" / kind).success
        scores.update(score_details(root / "release-of" / kind, root / "gold" / kind))
    return scores, pd.read_parquet(release / "documents.parquet"), pd.read_parquet(release / "quarantine.parquet")


def score_details(release: Path, gold: Path) -> dict:
    """The scorer's per-document details (--verbose): per gold "doc", per part tp, fp, fn and f1."""
    result = subprocess.run([sys.executable, str(SCORER), "--release", str(release), "--gold", str(gold), "--json",
                             "--verbose"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["details"]


def test_the_folder_of_every_format_builds_with_formats_and_published_dates(built) -> None:
    scores, documents, quarantine = built
    # Every copy is a document, unless its text is another's: then it is that document (the PDF's text is the
    # saved page's, the article's paragraphs; the .txt's ends with a newline, so it stays a document).
    duplicates = quarantine[quarantine["reason"] == "duplicate"]
    assert set(quarantine["reason"]) <= {"duplicate"}, quarantine.to_dict("records")
    assert sorted([*documents["source_path"], *duplicates["source_path"]]) == sorted(
        f"{kind}/{path}" for kind in ("txt", "html", "pdf", "feeds") for path in
        {path for path in scores if path.split("#")[0].rsplit(".", 1)[-1] in KIND_OF[kind]})
    formats = dict(zip(documents["source_path"], documents["format"], strict=True))
    assert {path.split("#")[0].rsplit(".", 1)[-1]: fmt for path, fmt in formats.items()} == {
        "txt": "text", "html": "html", "rss": "rss", "atom": "atom", **({"pdf": "pdf"} if any(
            p.endswith(".pdf") for p in formats) else {})}
    assert documents["published_date"].notna().all()
    sources = dict(zip(documents["source_path"], documents["published_source"], strict=True))
    assert {sources[p] for p in sources if p.endswith(".txt")} == {"front_matter"}
    assert {sources[p] for p in sources if not p.endswith(".txt")} == {"format_metadata"}
    assert documents["original_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()


def test_a_copy_gives_the_same_dates_as_its_txt(built) -> None:
    _, documents, _ = built
    dates = dict(zip(documents["source_path"], documents["published_date"], strict=True))
    for name in (*PAGE_AND_PDF, *IN_RSS, *IN_ATOM):
        same = {date for path, date in dates.items() if name in path}
        assert len(same) == 1, (name, same)


@pytest.mark.parametrize("copy", [f"{name}.{ext}" for name in PAGE_AND_PDF for ext in ("html", "pdf")] +
                         [f"wire.rss#https://chipwire.example/{name}" for name in IN_RSS] +
                         [f"wire.atom#https://chipwire.example/{name}" for name in IN_ATOM])
@pytest.mark.parametrize("part", ["events", "forecasts", "actors"])
def test_a_copy_scores_as_its_txt(built, copy: str, part: str) -> None:
    scores, _, _ = built
    name = copy.rsplit("/", 1)[-1].split(".")[0]
    txt, other = scores[f"{name}.txt"][part], scores[copy][part]
    assert other["f1"] is not None and txt["f1"] is not None
    assert abs(other["f1"] - txt["f1"]) <= TOLERANCE, (copy, part, txt, other)
