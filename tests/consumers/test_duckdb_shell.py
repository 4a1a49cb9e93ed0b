"""dataset.duckdb opens in the DuckDB 1.x shell users install (``duckdb-cli``, pinned in the dev group).

The release is written by the DuckDB 2.0 Python package; a 1.x shell refuses a file in 2.0's storage
format. Here the real 1.x shell opens the built release and reads every table and view in full.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.release.views import VIEWS
from schemas.tables import TABLE_MODELS
from tests.conftest import PROJECT_ROOT

SHELL = Path(sys.executable).parent / "duckdb"  # the duckdb-cli package's command in this environment


def shell(database: Path, sql: str) -> list[dict]:
    """Rows of ``sql`` as the 1.x shell answers it, read-only, in its JSON mode."""
    result = subprocess.run([str(SHELL), "-readonly", "-json", str(database)], input=sql,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else []


def test_the_shell_is_duckdb_1x() -> None:
    version = subprocess.run([str(SHELL), "-version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version


def test_a_1x_shell_reads_every_table_and_view(seed_release: Path) -> None:
    database = seed_release / "dataset.duckdb"
    objects = {row["table_name"]: row["table_type"] for row in shell(
        database, "SELECT table_name, table_type FROM information_schema.tables")}
    assert objects == {**dict.fromkeys(TABLE_MODELS, "BASE TABLE"), **{v.name: "VIEW" for v in VIEWS}}
    for table in TABLE_MODELS:
        rows = shell(database, f'SELECT * FROM "{table}"')  # every column decoded, not only counted
        assert len(rows) == pq.read_metadata(seed_release / f"{table}.parquet").num_rows, table
    aliases = shell(database, "SELECT aliases FROM actors WHERE actor_id = 'us-government'")[0]["aliases"]
    assert "Washington" in aliases
    with duckdb.connect(str(database), read_only=True) as con:
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'dataset'").fetchone()[0]
        assert tags["storage_version"] == "v1.0.0+"  # what README promises: any DuckDB from 1.0 on reads it
        for view in VIEWS:
            expected = con.execute(f'SELECT count(*) FROM "{view.name}"').fetchone()[0]
            rows = shell(database, f'SELECT * FROM "{view.name}"')
            assert len(rows) == expected > 0, view.name
            assert set(rows[0]) == set(view.columns), view.name


def test_the_shipped_queries_run_in_a_1x_shell(seed_release: Path) -> None:
    for query in sorted((PROJECT_ROOT / "queries").glob("*.sql")):  # as README runs them: duckdb FILE < query
        assert shell(seed_release / "dataset.duckdb", query.read_text(encoding="utf-8")), query.name
