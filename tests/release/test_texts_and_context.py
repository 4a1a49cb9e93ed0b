"""What a release says beside the extraction: the bodies the offsets count in (``document_texts``, left out
``--without-text``), each report's document URL and the country of the government that acted."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.release.tables import with_acting_countries

# Articles written for this test; curly quotes and a yen sign make bytes and code points differ.
ENTITY_LIST = """---
title: Commerce adds chip firms to the Entity List
publisher: Example Wire
published: 2026-03-04
url: https://news.example.org/2026/03/entity-list
---
The U.S. Commerce Department on March 3 added twelve Chinese chipmakers to the Entity List, citing national security.
Analysts at Acme Research expect China’s AI chip market to grow 30% in 2027.
"""
SUBSIDY = """---
title: Japan's subsidy for Rapidus
publisher: Example Daily
published: 2026-02-10
url: https://daily.example.net/rapidus-subsidy
---
Japan’s government approved a ¥100 billion subsidy for Rapidus on February 9, the ministry said. Rapidus launched \
a new 2nm test chip in Hokkaido last week.
"""
SPANS = {  # table -> (start, end, text) columns whose text must be the body's slice
    "actor_mentions": ("char_start", "char_end", "text"),
    "event_reports": ("char_start", "char_end", "evidence_text"),
    "forecasts": ("char_start", "char_end", "evidence_text"),
    "refused_figures": ("char_start", "char_end", "evidence_text"),
}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a release of the two articles, the same built --without-text), through the CLI."""
    root = tmp_path_factory.mktemp("context")
    (root / "sources").mkdir()
    (root / "sources" / "entity_list.txt").write_text(ENTITY_LIST, encoding="utf-8")
    (root / "sources" / "subsidy.txt").write_text(SUBSIDY, encoding="utf-8")
    assert main(["build", "--sources", str(root / "sources"), "--output", str(root / "full")]) == 0
    assert main(["build", "--sources", str(root / "sources"), "--output", str(root / "no-text"),
                 "--without-text"]) == 0
    return root / "full", root / "no-text"


def test_offsets_are_checked_from_the_release_alone(releases: tuple[Path, Path]) -> None:
    full, _ = releases
    with duckdb.connect(str(full / "dataset.duckdb"), read_only=True) as con:
        bodies = dict(con.execute("SELECT d.title, t.body FROM documents d JOIN document_texts t USING (doc_id)")
                      .fetchall())
        for table, (start, end, text) in SPANS.items():
            rows, wrong = con.execute(  # DuckDB's substring counts code points, as the offsets do
                f"SELECT count(*), count(*) FILTER (WHERE substring(t.body, x.{start} + 1, x.{end} - x.{start}) "
                f"<> x.{text}) FROM {table} x JOIN document_texts t USING (doc_id)").fetchone()
            assert wrong == 0, table
            assert rows == pq.read_metadata(full / f"{table}.parquet").num_rows, table
    assert bodies["Japan's subsidy for Rapidus"] == SUBSIDY.split("---\n", 2)[2]
    assert pq.read_metadata(full / "event_reports.parquet").num_rows >= 2


def test_without_text_leaves_only_the_bodies_out(releases: tuple[Path, Path]) -> None:
    full, no_text = releases
    assert not list(no_text.glob("document_texts.*"))
    with duckdb.connect(str(no_text / "dataset.duckdb"), read_only=True) as con:
        names = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "document_texts" not in names and "events" in names
    for name in ("datapackage.json", "release.json"):
        assert "document_texts" not in (no_text / name).read_text(encoding="utf-8")
    for table in ("documents", "events", "event_reports", "forecasts"):
        assert (no_text / f"{table}.parquet").read_bytes() == (full / f"{table}.parquet").read_bytes(), table


def test_reports_carry_their_documents_url(releases: tuple[Path, Path]) -> None:
    full, _ = releases
    reports = pd.read_parquet(full / "event_reports.parquet")
    urls = pd.read_parquet(full / "documents.parquet").set_index("doc_id")["url"]
    assert list(reports["url"]) == list(reports["doc_id"].map(urls))
    assert set(reports["url"]) == {"https://news.example.org/2026/03/entity-list",
                                   "https://daily.example.net/rapidus-subsidy"}


def test_an_events_country_is_its_acting_governments(releases: tuple[Path, Path]) -> None:
    full, _ = releases
    events = pd.read_parquet(full / "events.parquet").set_index("event_type")
    assert events.at["sanction_imposed", "country"] == "US"  # the Commerce Department, an agency
    assert events.at["industrial_policy", "country"] == "JP"
    assert events.at["product_launch", "country"] is None  # a company acted


ACTORS = pd.DataFrame({
    "actor_id": ["us-government", "us-department-of-commerce", "nl-government", "asml", "eu-government"],
    "actor_type": ["country_government", "government_agency", "country_government", "company",
                   "country_government"],
    "country": ["US", "US", "NL", None, None],
})


@pytest.mark.parametrize(("roles", "country"), [
    ([("us-government", "initiator"), ("us-department-of-commerce", "initiator")], "US"),
    ([("us-department-of-commerce", "initiator"), ("asml", "target")], "US"),
    ([("us-government", "initiator"), ("nl-government", "initiator")], None),
    ([("asml", "initiator"), ("nl-government", "target")], None),
    ([("eu-government", "initiator"), ("nl-government", "initiator")], "NL"),
], ids=["government-and-agency", "agency", "two-countries", "government-only-a-target", "one-country-known"])
def test_acting_country_rule(roles: list[tuple[str, str]], country: str | None) -> None:
    events = pd.DataFrame({"event_id": ["e1"]})
    event_actors = pd.DataFrame([("e1", actor, role) for actor, role in roles],
                                columns=["event_id", "actor_id", "role"])
    got = with_acting_countries(events, event_actors, ACTORS)["country"].iloc[0]
    assert got == country if country else pd.isna(got)
