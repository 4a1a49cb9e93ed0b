"""The release built from seeds/: real Parquet files, a real DuckDB file, a manifest that adds up."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from schemas import TABLE_MODELS
from schemas.derive import arrow_schema, validate
from tests.conftest import PROJECT_ROOT, SEEDS, SHARED


def test_every_table_is_a_parquet_file_that_passes_its_schema(seed_release: Path) -> None:
    for table in TABLE_MODELS:
        arrow = pq.read_table(seed_release / f"{table}.parquet")
        assert arrow.schema.equals(arrow_schema(table), check_metadata=False), table
        validate(table, arrow.to_pandas())


def test_manifest_checksums_and_counts_match_the_files(seed_release: Path) -> None:
    manifest = json.loads((seed_release / "release.json").read_text())
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((seed_release / name).read_bytes()).hexdigest() == entry["sha256"], name
    for table, count in manifest["row_counts"].items():
        assert pq.read_metadata(seed_release / f"{table}.parquet").num_rows == count
    assert manifest["row_counts"]["documents"] == 1
    assert manifest["sources"][0]["source_path"] == "000_8a2f78537060e951.txt"


def test_duckdb_answers_from_another_folder_after_a_move(seed_release: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "moved-release"
    shutil.copytree(seed_release, moved)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        con = duckdb.connect(str(moved / "dataset.duckdb"), read_only=True)
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        actors = dict(con.execute("SELECT actor_id, actor_type FROM actors").fetchall())
        con.close()
    finally:
        os.chdir(previous)
    assert events == pq.read_metadata(seed_release / "events.parquet").num_rows
    assert actors["nvidia"] == "company"
    assert actors["us-government"] == "country_government"


def test_release_passes_the_contract_checker(seed_release: Path) -> None:
    checker = SHARED / "contract" / "check_release.py"
    result = subprocess.run([sys.executable, str(checker), str(seed_release), "--sources", str(SEEDS)],
                            capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("20 passed, 0 failed")
