"""Two builds of the same sources give the same release: byte-identical Parquet files, the same database
contents and a release.json that differs in created_at only; rows come in a defined order.

The two builds run as separate CLI processes with different hash seeds, on two
copies of the mixed corpus (good and bad inputs), at the same time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.release.writer import DATABASE, MANIFEST
from tests.robustness.corpus import PROJECT_ROOT, write_mixed_corpus

CHECKER = PROJECT_ROOT.parent / "shared" / "contract" / "check_release.py"
# The order every table's rows are written in.
ROW_ORDER = {
    "documents": ["doc_id"],
    "actors": ["actor_id"],
    "actor_mentions": ["doc_id", "char_start"],
    "events": ["event_id"],
    "event_actors": ["event_id", "actor_id"],
    "event_reports": ["event_id", "doc_id", "char_start"],
    "forecasts": ["doc_id", "char_start", "forecast_id"],
}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("determinism")
    builds = []
    for name, seed in (("a", "1"), ("b", "2")):
        write_mixed_corpus(folder / name / "sources")
        builds.append(subprocess.Popen(
            [sys.executable, "-m", "pipeline", "build", "--sources", str(folder / name / "sources"),
             "--output", str(folder / name / "release")],
            cwd=PROJECT_ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for build in builds:
        output, _ = build.communicate(timeout=300)
        assert build.returncode == 0, output
    return folder / "a" / "release", folder / "b" / "release"


def test_parquet_files_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    names = sorted(p.name for p in a.glob("*.parquet"))
    assert names == sorted(p.name for p in b.glob("*.parquet")) and len(names) >= 8
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_every_other_file_is_identical_but_the_database_and_manifest(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    others = sorted(p.name for p in a.iterdir() if p.suffix != ".parquet" and p.name not in (DATABASE, MANIFEST))
    for name in others:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_manifests_differ_in_created_at_and_the_database_checksum_only(two_builds: tuple[Path, Path]) -> None:
    a, b = (json.loads((release / MANIFEST).read_text()) for release in two_builds)
    for manifest in (a, b):
        del manifest["created_at"]
        del manifest["files"][DATABASE]
    assert a == b


def database_contents(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        return {name: con.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}


def test_the_databases_hold_the_same_rows_in_the_same_order(two_builds: tuple[Path, Path]) -> None:
    a, b = (database_contents(release / DATABASE) for release in two_builds)
    assert set(a) >= set(ROW_ORDER) | {"quarantine"}
    assert a == b


def test_the_contract_checker_finds_the_releases_equal(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    checked = subprocess.run([sys.executable, str(CHECKER), str(a), "--compare", str(b)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout
    assert "PASS compare" in checked.stdout


@pytest.mark.parametrize("table", list(ROW_ORDER))
def test_rows_are_sorted_by_key(two_builds: tuple[Path, Path], table: str) -> None:
    df = pd.read_parquet(two_builds[0] / f"{table}.parquet")
    keys = list(df[ROW_ORDER[table]].itertuples(index=False, name=None))
    assert keys == sorted(keys)


def test_quarantine_rows_of_the_sources_are_sorted_by_path_and_line(two_builds: tuple[Path, Path]) -> None:
    df = pd.read_parquet(two_builds[0] / "quarantine.parquet")
    inputs = df[~df.source_path.str.startswith("table:")]
    keys = [(row.source_path, 0 if pd.isna(row.line) else int(row.line)) for row in inputs.itertuples()]
    assert keys == sorted(keys)
