"""Provenance an analyst can cite: independent sources per event, time of knowledge, the coverage ledger
and tombstones, on a small corpus of articles written for this test, built through the CLI's code path."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.cli import run_build
from pipeline.release.diff import diff_releases, to_markdown
from pipeline.release.near_duplicates import THRESHOLD, shingles, signature, stories
from pipeline.release.provenance import with_provenance
from pipeline.release.tombstones import release_keys, removed_table
from tests.conftest import PROJECT_ROOT

LEAD = ("The U.S. Commerce Department on March 3, 2026 added twelve Chinese chip companies to the Entity List, "
        "officials said")
ORIGINAL = (f"{LEAD}. The decision bars American suppliers from shipping tools to those firms without a licence. "
            "Analysts expect the companies to look for equipment from Japanese vendors instead. The department "
            "said the listed firms had supported military programmes, and it gave them no time to wind down "
            "existing orders.\n")
# The same story a day later under another publisher, a few words rewritten.
REWRITE = (f"{LEAD} on Tuesday. The decision bars American suppliers from shipping tools to those firms without a "
           "licence. Analysts predict the companies will look for equipment from Japanese vendors instead. The "
           "department said the listed firms had supported military programmes, and it gave them no time to "
           "wind down existing orders.\n")
# The same event two days after the first, told by another reporter in other words.
INDEPENDENT = ("Executives at two of the Chinese chipmakers hit this week said they would contest the listing. The "
               "U.S. Commerce Department added a dozen Chinese semiconductor companies to the Entity List on March "
               "3, 2026. One of the firms, which makes memory controllers, told staff that its current stock of "
               "lithography parts would last until the summer. Industry groups in Beijing called the step an "
               "attempt to slow the country's progress.\n")
NOTHING_TO_CODE = ("Visitors to the regional electronics fair spent most of the week looking at display panels and "
                   "robot arms. The organisers said attendance was similar to the year before, and the cafe ran "
                   "out of sandwiches on the second afternoon.\n")


def article(folder: Path, name: str, publisher: str, published: str, body: str) -> None:
    (folder / name).write_text(f"---\ntitle: {name}\npublisher: {publisher}\npublished: {published}\n---\n{body}",
                               encoding="utf-8")


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    article(folder, "a_wire.md", "Wire One", "2026-03-04", ORIGINAL)
    article(folder, "b_daily.md", "Daily Chip", "2026-03-05", REWRITE)
    article(folder, "c_fab.md", "Fab Journal", "2026-03-06", INDEPENDENT)
    article(folder, "d_fair.md", "Fab Journal", "2026-03-06", NOTHING_TO_CODE)
    (folder / "e_empty.md").write_text("", encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps({"id": "copy", "text": ORIGINAL}) + "\nnot json\n",
                                       encoding="utf-8")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("provenance")
    write_corpus(root / "sources")
    assert run_build(root / "sources", root / "release").success
    return root / "release"


def query(release: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(release / "dataset.duckdb"), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def test_a_rewrite_counts_once_and_an_independent_report_twice(release: Path) -> None:
    (event,) = query(release, "SELECT * FROM events")
    assert (event["event_type"], str(event["event_date"])) == ("sanction_imposed", "2026-03-03")
    assert (event["n_documents"], event["n_sources"]) == (3, 2)
    assert (str(event["first_reported_date"]), str(event["last_reported_date"])) == ("2026-03-04", "2026-03-06")
    reports = query(release, "SELECT r.publisher, r.story_doc_id, d.source_path, d.doc_id FROM event_reports r "
                             "JOIN documents d USING (doc_id) ORDER BY d.source_path")
    assert [r["publisher"] for r in reports] == ["Wire One", "Daily Chip", "Fab Journal"]
    original, rewrite, independent = reports
    assert rewrite["story_doc_id"] == original["story_doc_id"] == original["doc_id"]
    assert independent["story_doc_id"] == independent["doc_id"]


def test_the_shipped_query_ranks_the_event_by_its_independent_sources(release: Path) -> None:
    sql = (PROJECT_ROOT / "queries" / "events_by_independent_sources.sql").read_text(encoding="utf-8")
    (row,) = query(release, sql)
    assert (row["n_sources"], row["n_documents"]) == (2, 3)
    assert row["publishers"] == "Daily Chip, Fab Journal, Wire One"


def test_events_as_of_a_day_shows_what_was_known_then(release: Path) -> None:
    assert query(release, "SELECT * FROM events_as_of('2026-03-03')") == []
    (first,) = query(release, "SELECT * FROM events_as_of(DATE '2026-03-04')")
    assert (first["n_documents"], first["n_sources"]) == (1, 1)
    (second,) = query(release, "SELECT * FROM events_as_of('2026-03-05')")
    assert (second["n_documents"], second["n_sources"], str(second["last_reported_date"])) == (2, 1, "2026-03-05")
    (later,) = query(release, "SELECT * FROM events_as_of('2030-01-01')")
    assert later == query(release, "SELECT * FROM events")[0]


def test_forecasts_as_of_hides_later_forecasts(release: Path) -> None:
    assert query(release, "SELECT count(*) AS n FROM forecasts_as_of('2026-03-01')") == [{"n": 0}]
    dated = query(release, "SELECT count(*) AS n FROM forecasts WHERE issued_date IS NOT NULL")
    assert query(release, "SELECT count(*) AS n FROM forecasts_as_of('2030-01-01')") == dated


def test_coverage_has_every_input_and_its_outcome(release: Path) -> None:
    rows = query(release, "SELECT source_path, line, outcome, reason, doc_id FROM coverage")
    outcomes = {(r["source_path"], r["line"]): (r["outcome"], r["reason"]) for r in rows}
    assert outcomes == {
        ("a_wire.md", None): ("coded", None), ("b_daily.md", None): ("coded", None),
        ("c_fab.md", None): ("coded", None), ("d_fair.md", None): ("no_event", None),
        ("e_empty.md", None): ("quarantined", "empty_file"),
        ("feed.jsonl#copy", None): ("duplicate", "duplicate"),
        ("feed.jsonl", 2): ("quarantined", "bad_jsonl_line")}
    by_path = {r["source_path"]: r["doc_id"] for r in rows}
    assert by_path["feed.jsonl#copy"] == by_path["a_wire.md"]  # the copy names the document it became
    assert by_path["e_empty.md"] is None


def test_the_first_release_has_no_tombstones_and_a_rebuild_is_identical(release: Path, tmp_path: Path) -> None:
    assert pq.read_table(release / "removed.parquet").num_rows == 0
    again = tmp_path / "again"
    shutil.copytree(release, again)
    assert run_build(release.parent / "sources", again).success
    for path in release.glob("*.parquet"):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_rows_gone_since_the_previous_release_are_tombstoned_with_the_reason(release: Path, tmp_path: Path) -> None:
    sources, output = tmp_path / "sources", tmp_path / "release"
    shutil.copytree(release.parent / "sources", sources)
    shutil.copytree(release, output)
    old_docs = {r["source_path"]: r["doc_id"] for r in query(output, "SELECT * FROM documents")}
    (sources / "c_fab.md").unlink()  # the independent report removed
    article(sources, "d_fair.md", "Fab Journal", "2026-03-06", NOTHING_TO_CODE + "A correction.\n")
    assert run_build(sources, output).success

    removed = query(output, "SELECT * FROM removed")
    reasons = {(r["table_name"], r["row_key"]): r["reason"] for r in removed}
    assert reasons[("documents", json.dumps({"doc_id": old_docs["c_fab.md"]}))] == "document_removed"
    assert reasons[("documents", json.dumps({"doc_id": old_docs["d_fair.md"]}))] == "document_changed"
    # The event is still reported by the other two documents: only the gone document's report is removed.
    assert not [r for r in removed if r["table_name"] == "events"]
    assert [r["reason"] for r in removed if r["table_name"] == "event_reports"] == ["document_removed"]
    assert query(output, "SELECT n_documents, n_sources FROM events") == [{"n_documents": 2, "n_sources": 1}]

    # The diff says the same, and the same sources over the same previous release give the same bytes.
    diff = {t.table: t for t in diff_releases(release, output).tables}
    gone = dict(zip((r["source_path"] for r in diff["documents"].removed), diff["documents"].removed_reasons,
                    strict=True))
    assert gone == {"c_fab.md": "document_removed", "d_fair.md": "document_changed"}
    assert "(document_removed)" in to_markdown(diff_releases(release, output))
    again = tmp_path / "again"
    shutil.copytree(release, again)
    assert run_build(sources, again).success
    assert (again / "removed.parquet").read_bytes() == (output / "removed.parquet").read_bytes()

    # Built once more, nothing is gone since, and the version (of the data, not of the delta) stays.
    version = json.loads((output / "release.json").read_text())["release_version"]
    assert run_build(sources, output).success
    assert pq.read_table(output / "removed.parquet").num_rows == 0
    assert json.loads((output / "release.json").read_text())["release_version"] == version


def test_near_duplicates_are_one_story_and_independent_reports_are_not() -> None:
    original, rewrite, independent = (signature(text) for text in (ORIGINAL, REWRITE, INDEPENDENT))
    assert stories([original, rewrite, independent]) == [0, 0, 2]
    assert stories([independent, rewrite, original]) == [0, 1, 1]
    exact = len(shingles(ORIGINAL) & shingles(REWRITE)) / len(shingles(ORIGINAL) | shingles(REWRITE))
    assert exact >= THRESHOLD
    assert (signature(ORIGINAL) == original).all()  # the same body, the same signature


def test_a_report_citing_the_outlet_that_published_another_retells_its_story() -> None:
    documents = pd.DataFrame({
        "doc_id": ["a" * 16, "b" * 16, "c" * 16],
        "publisher": ["Reuters", "Daily Chip", "Fab Journal"],
        "published_date": pd.to_datetime(["2026-03-04", "2026-03-05", "2026-03-06"]),
        "body": [ORIGINAL, "According to Reuters, " + INDEPENDENT, NOTHING_TO_CODE]})
    actors = pd.DataFrame({"actor_id": ["reuters"], "name": ["Reuters"], "actor_type": ["media_outlet"],
                           "aliases": [["Reuters news agency"]]})
    events = pd.DataFrame({"event_id": ["e" * 16]})
    reports = pd.DataFrame({"event_id": ["e" * 16] * 3, "doc_id": ["a" * 16, "b" * 16, "c" * 16],
                            "attributed_to_actor_id": [None, "reuters", None]})
    events, reports = with_provenance(events, reports, documents, actors)
    assert reports["story_doc_id"].tolist() == ["a" * 16, "a" * 16, "c" * 16]
    assert reports["publisher"].tolist() == ["Reuters", "Daily Chip", "Fab Journal"]
    assert events[["n_documents", "n_sources"]].values.tolist() == [[3, 2]]


def test_a_row_gone_while_its_documents_stay_went_with_an_extraction_change(release: Path) -> None:
    keys = release_keys(release)
    (event_id,) = keys["events"]["event_id"]
    # As if the extractor no longer found the event: every table as it is, less the event and its links.
    keys = {name: df[df["event_id"] != event_id] if "event_id" in df else df for name, df in keys.items()}
    removed = removed_table(release, keys)
    assert set(removed["table_name"]) == {"events", "event_actors", "event_reports"}
    assert set(removed["reason"]) == {"extraction_changed"}
    assert removed_table(release, release_keys(release)).empty


def test_the_signatures_estimate_the_jaccard_similarity_closely() -> None:
    # 128 independent permutations: the estimate's spread is about 0.04; correlated ones strayed by 0.5 and more.
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    errors = []
    for _ in range(60):
        base = [rng.choice(vocabulary) for _ in range(300)]
        other = list(base)
        for position in rng.sample(range(300), rng.randint(0, 150)):
            other[position] = rng.choice(vocabulary)
        a, b = " ".join(base), " ".join(other)
        exact = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
        errors.append(float((signature(a) == signature(b)).mean()) - exact)
    assert max(map(abs, errors)) < 0.15
    assert abs(sum(errors) / len(errors)) < 0.02
