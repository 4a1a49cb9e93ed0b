"""index.html: the overview page opens offline in headless Chromium and shows what it says it shows: the chart
of events per type and month, every event and forecast with its sentence, forecasts split by the release date,
counts wherever a list is cut, and a search box that filters the lists."""

from __future__ import annotations

import datetime as dt
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
from schemas.derive import empty_frame

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def dump_dom(page: Path, fragment: str = "") -> str:
    """The page's DOM after its scripts ran, as headless Chromium sees it (file:// only, no network)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--virtual-time-budget=10000", "--dump-dom", page.as_uri() + fragment],
            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Page(HTMLParser):
    """Every <table id=...> of a page (its rows' cells, and which rows are hidden), the links, and the text of
    the elements with an id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.hidden: dict[str, list[bool]] = {}
        self.links: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.open_ids: list[tuple[str, int]] = []  # (id, depth) of the elements with an id around here
        self.depth = 0
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag not in ("br", "input", "meta", "img", "hr"):
            self.depth += 1
            if "id" in attrs:
                self.open_ids.append((attrs["id"], self.depth))
                self.texts.setdefault(attrs["id"], [])
        if tag == "table":
            self.current = attrs.get("id")
            self.tables[self.current], self.hidden[self.current] = [], []
        elif tag == "tr" and self.current is not None:
            self.tables[self.current].append([])
            self.hidden[self.current].append("hidden" in attrs)
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.tables[self.current][-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.current = None
        while self.open_ids and self.open_ids[-1][1] >= self.depth:
            self.open_ids.pop()
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        for element, _ in self.open_ids:
            self.texts[element].append(data)

    def text(self, element: str) -> str:
        return " ".join("".join(self.texts.get(element, [])).split())

    def rows(self, table: str, shown_only: bool = False) -> list[list[str]]:
        """The body rows of a table (no header), optionally only those not hidden."""
        return [row for row, hidden in zip(self.tables[table][1:], self.hidden[table][1:], strict=True)
                if not (shown_only and hidden)]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


RELEASED = dt.date(2026, 6, 30)


def small_release() -> dict[str, pd.DataFrame]:
    """Tables of a small invented release: one article, two events, forecasts on either side of RELEASED."""
    body = ("Norland's trade ministry banned exports of lithography tools to Vesper on 3 March 2026. "
            "Acme Foundry will open a fab in Ostrava in 2027. "
            "Analysts at Quill Research expect Acme Foundry's revenue to grow 12% in 2025. "
            "Quill Research projects foundry capacity to reach 900,000 wafers per month in 2027. "
            "Quill Research estimates Acme Foundry's market share at about 20% in 2026. "
            "Quill Research says prices could rise.")
    sentences = {s: body.index(s) for s in body.split(". ")}
    documents = pd.DataFrame({"doc_id": ["d0c0000000000001"], "source_path": ["wire/acme.txt"],
                              "title": ["Acme plans a fab"], "publisher": ["Example Wire"],
                              "url": ["https://example.org/acme"], "published_date": [pd.Timestamp("2026-03-04")],
                              "text_sha256": ["0" * 64], "n_chars": [len(body)]})
    actors = pd.DataFrame({"actor_id": ["norland-trade-ministry", "vesper-government", "acme-foundry",
                                        "quill-research"],
                           "name": ["Norland Trade Ministry", "Vesper government", "Acme Foundry", "Quill Research"]})
    events = pd.DataFrame({"event_id": ["e000000000000001", "e000000000000002"],
                           "event_type": ["export_control_tightened", "production_capacity"],
                           "summary": ["Norland bans lithography tool exports to Vesper", "Acme Foundry opens a fab"],
                           "event_date": [pd.Timestamp("2026-03-03"), pd.Timestamp("2027-01-01")],
                           "date_precision": ["day", "year"], "status": ["reported", "planned"]})
    event_actors = pd.DataFrame({"event_id": ["e000000000000001", "e000000000000001", "e000000000000002"],
                                 "actor_id": ["norland-trade-ministry", "vesper-government", "acme-foundry"],
                                 "role": ["initiator", "target", "initiator"]})
    ban, fab = (next(s for s in sentences if s.startswith(w)) for w in ("Norland", "Acme Foundry will"))
    event_reports = pd.DataFrame({"event_id": ["e000000000000001", "e000000000000002"], "doc_id": "d0c0000000000001",
                                  "char_start": [sentences[ban], sentences[fab]],
                                  "char_end": [sentences[ban] + len(ban), sentences[fab] + len(fab)],
                                  "evidence_text": [ban, fab], "attributed_to_actor_id": None})

    def forecast(fid: str, starts: str, subject, metric, low, unit, comparator, year, status="open",
                 observed=None) -> dict:
        sentence = next(s for s in sentences if starts in s)
        return {"forecast_id": fid, "doc_id": "d0c0000000000001", "forecaster_actor_id": "quill-research",
                "subject_actor_id": subject, "target": sentence.split(" ")[-1], "metric": metric,
                "value_low": low, "value_high": low, "unit": unit, "comparator": comparator,
                "horizon_start": pd.Timestamp(f"{year}-01-01") if year else pd.NaT,
                "horizon_end": pd.Timestamp(f"{year}-12-31") if year else pd.NaT, "issued_date": pd.NaT,
                "hedge": "expect", "evidence_text": sentence, "char_start": sentences[sentence],
                "char_end": sentences[sentence] + len(sentence), "resolution_status": status,
                "observed_value": observed, "observed_date": pd.Timestamp("2026-02-01") if observed else pd.NaT,
                "resolution_source": "https://example.org/results" if observed else None,
                "resolution_method": "manual" if observed else None, "resolution_observation_id": None,
                "matching_observations": 0, "resolution_conflict": False}

    forecasts = pd.DataFrame([
        forecast("f000000000000001", "revenue to grow", "acme-foundry", "market_growth", 12.0, "percent", "=", 2025),
        forecast("f000000000000002", "capacity", None, "capacity", 900000.0, "wafers_per_month", "=", 2027),
        forecast("f000000000000003", "market share", "acme-foundry", "market_share", 20.0, "percent", "~", 2026),
        forecast("f000000000000004", "could rise", None, "price", None, "percent", "=", None),
        forecast("f000000000000005", "revenue to grow", "acme-foundry", "revenue", 5.0, "percent", ">", 2025,
                 status="resolved_true", observed=9.0),
    ])
    return {"documents": documents, "actors": actors, "events": events, "event_actors": event_actors,
            "event_reports": event_reports, "forecasts": forecasts, "observations": empty_frame("observations")}


def page_of(tables: dict[str, pd.DataFrame], folder: Path, fragment: str = "", **options) -> Page:
    page = folder / "index.html"
    page.write_text(overview.overview_html(tables, "1.2.3", ["release.json"], RELEASED, **options), encoding="utf-8")
    return parse(dump_dom(page, fragment))


def test_page_needs_no_network(seed_release: Path) -> None:
    html = (seed_release / "index.html").read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link " not in html and 'src="http' not in html
    assert "cdn.jsdelivr" not in html
    assert len(html.encode()) < 200_000  # the chart is an SVG drawn at build time, not a Vega bundle


def test_page_shows_counts_and_links_to_every_file(seed_release: Path) -> None:
    page = parse(dump_dom(seed_release / "index.html"))
    manifest = json.loads((seed_release / "release.json").read_text(encoding="utf-8"))
    counts = {row[0]: int(row[1].replace(",", "")) for row in page.tables["row-counts"][1:]}
    assert counts == manifest["row_counts"]
    files = {p.name for p in seed_release.iterdir()} - {"index.html"}
    assert files <= set(page.links)
    assert f"Built {manifest['created_at'][:10]}." in page.text("intro")


def test_every_event_and_forecast_is_shown_with_its_sentence(seed_release: Path) -> None:
    page = parse(dump_dom(seed_release / "index.html"))
    events = pd.read_parquet(seed_release / "events.parquet")
    reports = pd.read_parquet(seed_release / "event_reports.parquet")
    rows = page.rows("events")
    assert {row[-1] for row in rows} == set(events["event_id"])
    for row in rows:
        sentences = reports.loc[reports["event_id"] == row[-1], "evidence_text"]
        assert any(" ".join(s.split()) in row[5] for s in sentences), row
    forecasts = pd.read_parquet(seed_release / "forecasts.parquet")
    listed = [row for table in page.tables if table.startswith("forecasts-") for row in page.rows(table)]
    assert sorted(row[-1] for row in listed) == sorted(forecasts["forecast_id"])
    evidence = dict(zip(forecasts["forecast_id"], forecasts["evidence_text"], strict=True))
    assert all(" ".join(evidence[row[-1]].split()) in row[-2] for row in listed)
    assert any(row[1] == "TrendForce" and row[2] == "market growth" and row[3] == "> 60 percent" for row in listed)


def test_forecasts_are_split_by_the_release_date(tmp_path: Path) -> None:
    page = page_of(small_release(), tmp_path)
    ids = {table: [row[-1] for row in page.rows(table)] for table in page.tables if table.startswith("forecasts-")}
    assert ids == {"forecasts-ahead": ["f000000000000003", "f000000000000002"],  # nearest horizon first
                   "forecasts-past-due": ["f000000000000001"],
                   "forecasts-no-horizon": ["f000000000000004"],
                   "forecasts-resolved": ["f000000000000005"]}
    assert page.text("forecasts-ahead-heading") == "Open, with a horizon ahead of 2026-06-30 (2)"
    assert page.text("forecasts-past-due-heading").startswith("Past due, unresolved")
    header = page.tables["forecasts-ahead"][0]
    assert "target" not in header  # the raw target text is no column; the forecast reads from the fields
    first = dict(zip(header, page.rows("forecasts-ahead")[0], strict=True))
    assert first["forecast"] == "market share of Acme Foundry" and first["value"] == "~ 20 percent"
    assert first["horizon"] == "2026" and first["forecaster"] == "Quill Research"
    assert first["stated in"].startswith("Quill Research estimates Acme Foundry's market share at about 20%")
    assert "Example Wire · Acme plans a fab · 2026-03-04 · wire/acme.txt" in first["stated in"]
    assert page.rows("forecasts-resolved")[0][5] == "true: 9 (manual) https://example.org/results"
    events = {row[-1]: row for row in page.rows("events")}
    assert events["e000000000000002"][0] == "2027"  # a date at the precision it is known
    assert events["e000000000000001"][4] == "Norland Trade Ministry (initiator), Vesper government (target)"


def test_a_cut_list_says_how_many_it_shows(tmp_path: Path) -> None:
    tables = small_release()
    page = page_of(tables, tmp_path, limit=1)
    assert len(page.rows("events")) == 1 and len(page.rows("forecasts-ahead")) == 1
    assert "The first 1 of 2 are listed (newest first)" in page.text("events-list")
    assert "The first 1 of 2 are listed (nearest horizon first)" in page.text("forecasts")
    assert page.text("forecasts-ahead-heading").endswith("(2)")
    assert "events.parquet" in page.links and "forecasts.parquet" in page.links


def test_the_search_box_keeps_the_rows_with_every_word(tmp_path: Path) -> None:
    page = page_of(small_release(), tmp_path, fragment="#search=acme%20share")
    shown = [row[-1] for table in page.tables if table != "row-counts" for row in page.rows(table, shown_only=True)]
    assert shown == ["f000000000000003"]
    assert page.text("search-status") == "1 of 8 listed rows match"
    everything = page_of(small_release(), tmp_path)
    assert all(not hidden for table in everything.hidden.values() for hidden in table)


def test_chart_draws_the_dated_events_per_type_and_month(seed_release: Path) -> None:
    pytest.importorskip("vl_convert", reason="drawing the chart needs vl-convert-python")
    html = (seed_release / "index.html").read_text(encoding="utf-8")
    page = parse(html)
    chart = html[html.index(f'id="{overview.CHART_DIV}"'):html.index("</figure>")]
    assert "<svg" in chart and 'class="marks"' in chart
    events = pd.read_parquet(seed_release / "events.parquet")
    dated = events[events["event_date"].notna()]
    assert len(dated) >= 1
    months = {(t, d.strftime("%Y-%m")) for t, d in zip(dated["event_type"], pd.to_datetime(dated["event_date"]),
                                                       strict=True)}
    assert chart.count('aria-roledescription="circle"') == len(months)  # one mark per type and month
    assert "export_control_eased" in chart  # the y axis names the type
    assert "Each circle is the events of one type in one month" in page.text("timeline")
    assert "sized by the number of reports" not in html


def test_without_vl_convert_the_page_says_the_chart_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overview, "chart_available", lambda: False)
    html = overview.overview_html(small_release(), "1.2.3", ["release.json"], RELEASED)
    assert 'id="chart-unavailable"' in html and "<svg" not in html
    assert 'id="forecasts-ahead"' in html and '<a href="release.json">' in html


def test_chart_of_a_large_release_stays_small() -> None:
    """Altair refuses data over 5,000 rows: the chart counts per type and month instead."""
    days = pd.date_range("2019-01-01", periods=6000, freq="D")
    events = pd.DataFrame({"event_id": [f"{i:016x}" for i in range(6000)], "event_type": "investment",
                           "event_date": days, "summary": "x", "date_precision": "day", "status": "reported"})
    spec = overview.events_chart(events).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert len(values) == len({d.strftime("%Y-%m") for d in days})
    assert sum(v["events"] for v in values) == 6000
