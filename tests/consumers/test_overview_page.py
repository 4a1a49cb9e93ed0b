"""index.html: the overview page opens offline in headless Chromium, chart and forecasts table included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.release import overview

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def dump_dom(page: Path) -> str:
    """The page's DOM after its scripts ran, as headless Chromium sees it (file:// only, no network)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Tables(HTMLParser):
    """The rows of every <table id=...> in a page, and the text inside the element with id ``watch``."""

    def __init__(self, watch: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.watch, self.watch_depth, self.watched_text = watch, 0, []
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if self.watch_depth:
            self.watch_depth += 1
        elif attrs.get("id") == self.watch:
            self.watch_depth = 1
        if tag == "table":
            self.current = attrs.get("id")
            self.tables[self.current] = []
        elif tag == "tr" and self.current is not None:
            self.tables[self.current].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag: str) -> None:
        if self.watch_depth:
            self.watch_depth -= 1
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.watch_depth:
            self.watched_text.append(data)


def parse(html: str) -> Tables:
    parser = Tables(watch=overview.CHART_DIV)
    parser.feed(html)
    return parser


def test_page_needs_no_network(seed_release: Path) -> None:
    html = (seed_release / "index.html").read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link " not in html
    assert "cdn.jsdelivr" not in html


def test_page_shows_counts_open_forecasts_and_links_to_every_file(seed_release: Path) -> None:
    page = parse(dump_dom(seed_release / "index.html"))
    manifest = json.loads((seed_release / "release.json").read_text(encoding="utf-8"))
    counts = {row[0]: int(row[1].replace(",", "")) for row in page.tables["row-counts"][1:]}
    assert counts == manifest["row_counts"]
    header, *rows = page.tables["open-forecasts"]
    assert header[:3] == ["horizon from", "horizon to", "forecaster"]
    forecasts = pd.read_parquet(seed_release / "forecasts.parquet")
    open_ids = set(forecasts.loc[forecasts["resolution_status"] == "open", "forecast_id"])
    assert {row[-1] for row in rows} == open_ids
    trendforce_2026 = [row for row in rows if row[2] == "TrendForce" and row[1] == "2026-12-31"]
    assert len(trendforce_2026) >= 3
    assert any(row[4] == "market_growth" and row[6] == "> 60 percent" for row in trendforce_2026)
    files = {p.name for p in seed_release.iterdir()} - {"index.html"}
    assert files <= set(page.links)


def test_chart_renders_the_dated_events(seed_release: Path) -> None:
    pytest.importorskip("vl_convert", reason="inlining Vega's JavaScript needs vl-convert-python")
    html = dump_dom(seed_release / "index.html")
    page = parse(html)
    chart = html[html.index(f'id="{overview.CHART_DIV}"'):]
    assert '<svg' in chart and 'class="marks"' in chart
    events = pd.read_parquet(seed_release / "events.parquet")
    dated = events[events["event_date"].notna()]
    assert len(dated) >= 1
    months = {(t, d.strftime("%Y-%m")) for t, d in zip(dated["event_type"], pd.to_datetime(dated["event_date"]),
                                                       strict=True)}
    assert chart.count('aria-roledescription="circle"') == len(months)  # one mark per type and month
    assert "export_control_eased" in chart  # the y axis names the type
    text = " ".join(page.watched_text)
    assert "Error" not in text and "error" not in text


def test_without_vl_convert_the_page_says_the_chart_is_left_out(seed_release: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overview, "chart_available", lambda: False)
    tables = {name: pd.read_parquet(seed_release / f"{name}.parquet") for name in
              ("documents", "actors", "events", "event_reports", "forecasts")}
    html = overview.overview_html(tables, "1.2.3", ["release.json"])
    assert 'id="chart-unavailable"' in html and "<script" not in html
    assert 'id="open-forecasts"' in html and '<a href="release.json">' in html


def test_chart_of_a_large_release_stays_small() -> None:
    """Altair refuses data over 5,000 rows: the chart counts per type and month instead."""
    days = pd.date_range("2019-01-01", periods=6000, freq="D")
    events = pd.DataFrame({"event_id": [f"{i:016x}" for i in range(6000)], "event_type": "investment",
                           "event_date": days, "summary": "x", "date_precision": "day", "status": "reported"})
    reports = pd.DataFrame({"event_id": events["event_id"], "doc_id": "d"})
    spec = overview.events_chart(events, reports).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert len(values) == len({d.strftime("%Y-%m") for d in days})
    assert sum(v["events"] for v in values) == 6000
