"""dataset.duckdb is written with DuckDB's memory bounded (writer.DATABASE_MEMORY_LIMIT, 64 MB): a table
several times larger than the limit is stored whole, and nothing is left beside the database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.release.writer import DATABASE, write_release
from tests.consumers.test_release_diff import read_tables

ARTICLES = 20_000


def test_a_table_larger_than_duckdbs_memory_limit_is_stored_whole(seed_release: Path, tmp_path: Path) -> None:
    tables = read_tables(seed_release)
    body = "Export controls on chipmaking equipment were widened on Monday, the ministry said. " * 100
    texts = pd.DataFrame({"doc_id": [f"{i:016x}" for i in range(ARTICLES)],
                          "body": [f"{i}. {body}" for i in range(ARTICLES)]})  # 160 MiB of text
    tables["document_texts"] = pd.concat([tables["document_texts"], texts], ignore_index=True)
    release = write_release(tables, tmp_path / "release", sources=[]).path

    con = duckdb.connect(str(release / DATABASE), read_only=True)
    try:
        stored = con.execute("SELECT count(*), sum(length(body)) FROM document_texts").fetchone()
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    finally:
        con.close()
    assert stored == (len(tables["document_texts"]), int(tables["document_texts"]["body"].str.len().sum()))
    assert counts == {name: len(df) for name, df in tables.items()}
    assert not [p.name for p in release.iterdir() if p.name.startswith(DATABASE) and p.name != DATABASE]  # no spill
