"""Corpora with one kind of row only still build: a table another table's rows would fill is just empty."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.cli import run_build

OUTLOOK = """---
title: Memory outlook
publisher: Example Wire
published: 2024-11-05
---
Gartner expects DRAM revenue to grow 20% in 2025 as data centre demand stays strong.
"""


def test_a_corpus_with_forecasts_and_no_event_builds(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "outlook.md").write_text(OUTLOOK, encoding="utf-8")
    assert run_build(sources, tmp_path / "release").success
    events = pd.read_parquet(tmp_path / "release" / "events.parquet")
    forecasts = pd.read_parquet(tmp_path / "release" / "forecasts.parquet")
    assert events.empty and forecasts["forecaster_actor_id"].tolist() == ["gartner"]


def test_a_corpus_without_any_document_builds(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n not an article")
    assert run_build(sources, tmp_path / "release").success
    assert pd.read_parquet(tmp_path / "release" / "documents.parquet").empty
