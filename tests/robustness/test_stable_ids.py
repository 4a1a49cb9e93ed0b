"""Ids come from content, never from position: adding, removing, renaming or reordering articles leaves
the ids of the actors, events and forecasts of the articles that remain as they were.

Build A has every dev article; build B drops three, moves the rest under new
names (so they come in another order) and adds a new article.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.cli import run_build
from tests.robustness.corpus import DEV_ARTICLES, fresh, write_dev

KEPT = [path.name for path in DEV_ARTICLES][1:-2]


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, set[str]]:
    folder = tmp_path_factory.mktemp("stable")
    write_dev(folder / "all")
    # Reversed names under a folder: the kept articles are read in the opposite order.
    write_dev(folder / "some", KEPT, rename=lambda name: f"moved/{99 - int(name[4:6]):02d}-{name}")
    (folder / "some" / "aaa-new.txt").write_text(fresh("a new article"))
    releases = []
    for name in ("all", "some"):
        assert run_build(folder / name, folder / f"{name}-release").success
        releases.append({table: pd.read_parquet(folder / f"{name}-release" / f"{table}.parquet")
                         for table in ("documents", "actors", "actor_mentions", "events", "event_reports",
                                       "forecasts")})
    a, b = releases
    common = set(a["documents"].doc_id) & set(b["documents"].doc_id)
    assert len(common) == len(KEPT)
    return a, b, common


def rows(df: pd.DataFrame, columns: list[str], docs: set[str]) -> set[tuple]:
    picked = df[df.doc_id.isin(docs)][columns].astype(object)
    picked = picked.where(picked.notna(), None)  # NaN is not equal to NaN; None is to None
    return set(picked.itertuples(index=False, name=None))


def test_actor_mentions_keep_their_actor_ids(two_releases) -> None:
    a, b, common = two_releases
    columns = ["doc_id", "char_start", "char_end", "actor_id"]
    assert rows(a["actor_mentions"], columns, common) == rows(b["actor_mentions"], columns, common)


def test_actors_of_the_remaining_articles_keep_id_name_and_type(two_releases) -> None:
    a, b, common = two_releases
    ids = set(a["actor_mentions"][a["actor_mentions"].doc_id.isin(common)].actor_id)
    columns = ["actor_id", "name", "actor_type", "country", "wikidata_id"]
    pick = [(df[df.actor_id.isin(ids)][columns].fillna("").itertuples(index=False, name=None))
            for df in (a["actors"], b["actors"])]
    assert set(pick[0]) == set(pick[1])


def test_event_reports_keep_their_event_ids(two_releases) -> None:
    a, b, common = two_releases
    columns = ["doc_id", "char_start", "event_id"]
    assert rows(a["event_reports"], columns, common) == rows(b["event_reports"], columns, common)
    reported = {event_id for _, _, event_id in rows(a["event_reports"], columns, common)}
    types = [set(df[df.event_id.isin(reported)][["event_id", "event_type"]].itertuples(index=False, name=None))
             for df in (a["events"], b["events"])]
    assert types[0] == types[1]


def test_forecasts_keep_their_ids(two_releases) -> None:
    a, b, common = two_releases
    columns = ["forecast_id", "doc_id", "char_start", "metric", "value_low", "value_high"]
    assert rows(a["forecasts"], columns, common) == rows(b["forecasts"], columns, common)
    assert rows(a["forecasts"], columns, common)


def test_documents_keep_their_ids_under_new_names(two_releases) -> None:
    a, b, common = two_releases
    assert set(a["documents"][a["documents"].doc_id.isin(common)].text_sha256) == \
        set(b["documents"][b["documents"].doc_id.isin(common)].text_sha256)
