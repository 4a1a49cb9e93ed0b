"""One full build of the dev articles mixed with every kind of bad input.

Done when: every good article is in the release, every bad input is in
quarantine.parquet with its reason and line and in the CLI summary, and the
release is sound (DuckDB opens, the contract's checker passes).
"""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from pipeline.cli import run_build, summary
from tests.robustness.corpus import CASES, PROJECT_ROOT, write_mixed_corpus

CHECKER = PROJECT_ROOT.parent / "shared" / "contract" / "check_release.py"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("mixed")
    good, cases = write_mixed_corpus(folder / "sources")
    result = run_build(folder / "sources", folder / "release")
    assert result.success
    text, ok = summary(result, folder / "release", 1.0)
    assert ok
    return folder / "release", good, cases, text


def expected_documents() -> set[str]:
    return set().union(*(case.documents for case in CASES))


def expected_problems() -> set[tuple[str, int | None, str]]:
    return set().union(*(case.problems for case in CASES))


def test_every_good_article_is_in_the_release(mixed) -> None:
    release, good, _, _ = mixed
    documents = pd.read_parquet(release / "documents.parquet")
    by_id = dict(zip(documents.doc_id, documents.source_path, strict=True))
    for path, doc_id in good.items():
        assert by_id.get(doc_id) == path
    assert expected_documents() <= set(documents.source_path)
    assert len(documents) == len(good) + len(expected_documents())


def test_every_bad_input_is_in_quarantine_with_its_reason(mixed) -> None:
    release, _, _, _ = mixed
    quarantine = pd.read_parquet(release / "quarantine.parquet")
    rows = {(r.source_path, None if pd.isna(r.line) else int(r.line), r.reason) for r in quarantine.itertuples()}
    assert rows == expected_problems()
    assert quarantine.detail.str.len().min() > 10


def test_every_problem_has_a_line_in_the_summary(mixed) -> None:
    _, _, _, text = mixed
    for path, line, reason in expected_problems():
        where = path + (f":{line}" if line is not None else "")
        assert f"- {where}: {reason}: " in text
    assert f"problems        {len(expected_problems()):>7}" in text


def test_the_release_is_sound(mixed) -> None:
    release, _, _, _ = mixed
    checked = subprocess.run([sys.executable, str(CHECKER), str(release)], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 0, checked.stdout
    with duckdb.connect(str(release / "dataset.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == len(expected_problems())
