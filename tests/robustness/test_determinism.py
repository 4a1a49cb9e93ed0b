"""Two builds of the same sources give the same release, every file byte for byte once SOURCE_DATE_EPOCH
fixes the build time (release.json's created_at and the overview page's date); rows come in a defined order.

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

EPOCH = "1748779200"  # 2025-06-01T12:00:00Z
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
            cwd=PROJECT_ROOT, env={**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": EPOCH},
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


def test_every_other_file_is_identical_the_database_and_manifest_too(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    others = sorted(p.name for p in a.iterdir() if p.suffix != ".parquet")
    assert {DATABASE, MANIFEST} <= set(others)
    for name in others:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_build_time_is_source_date_epoch(two_builds: tuple[Path, Path]) -> None:
    manifest = json.loads((two_builds[0] / MANIFEST).read_text())
    assert manifest["created_at"] == "2025-06-01T12:00:00+00:00"


def test_a_bad_source_date_epoch_is_refused_before_any_work(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_mixed_corpus(sources)
    built = subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", str(sources),
                            "--output", str(tmp_path / "release")], cwd=PROJECT_ROOT, capture_output=True,
                           text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "yesterday"}, timeout=120)
    assert built.returncode == 2
    assert "SOURCE_DATE_EPOCH 'yesterday' is not a time in seconds since 1970" in built.stderr
    assert not (tmp_path / "release").exists()


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
