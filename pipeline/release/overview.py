"""``index.html``: a static overview page of a release that opens offline, from the folder itself.

All of it from the release's own tables: row counts; a chart of the dated events per type and month;
the events, each with its actors and the sentence that reports it; the forecasts, each with its
sentence, in four lists (open with a horizon ahead of the release date, nearest first; past due and
unresolved; open without a horizon; resolved, each with the evidence of its outcome: the sentence of the
observation that settled it, or the citation resolutions.yaml gives); the ``forecaster_scores`` view's rows
for the forecasters with a resolved forecast; a search box over those lists; a link to every file.

The chart is drawn when the release is built, as SVG, by vl-convert (the Vega engine inside the
pinned ``vl-convert-python`` package): the page carries no JavaScript library, fetches nothing and
nothing is cached outside the release. Without vl-convert the page says where the chart would be.
A list longer than ``MAX_LISTED_ROWS`` is cut, and says how many of how many it shows; the whole
tables are the Parquet files. The page depends on the tables and the release date alone, so a build
on the same day writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.release.views import FORECASTER_SCORES, view_frame
from schemas.vocabularies import EVENT_TYPES

if TYPE_CHECKING:
    import altair as alt

CHART_DIV = "events-chart"
# Rows of each list on the page: enough to browse, few enough that the page stays light.
MAX_LISTED_ROWS = 500
STYLE = (Path(__file__).with_name("overview.css")).read_text(encoding="utf-8")
INTRO = ("Actors, events and forecasts of semiconductor and AI-chip geopolitics. Each event and forecast below "
         "is shown with the sentence it was extracted from and the article it is in; in the tables, "
         "<code>doc_id</code>, <code>char_start</code> and <code>char_end</code> locate that sentence in the "
         "article. Open <code>dataset.duckdb</code> with DuckDB or read the Parquet files; "
         "<code>datapackage.json</code> describes every column.")
SEARCH_SCRIPT = (Path(__file__).with_name("overview.js")).read_text(encoding="utf-8")


def chart_available() -> bool:
    """Whether the chart can be drawn (vl-convert renders the Vega-Lite spec to SVG)."""
    return importlib.util.find_spec("vl_convert") is not None


def events_chart(events: pd.DataFrame) -> alt.Chart:
    """Dated events per type and month: one circle per type and month, its area growing with their number.

    Counting per month keeps the chart's data to a few hundred rows whatever the corpus (Altair
    refuses more than 5,000 rows, and the page must stay small).
    """
    import altair as alt  # here: importing Altair costs half a second, which only a page with a chart pays

    dated = events[events["event_date"].notna()]
    data = (pd.DataFrame({"month": pd.to_datetime(dated["event_date"]).dt.strftime("%Y-%m"),
                          "event_type": dated["event_type"]})
            .groupby(["month", "event_type"], as_index=False).size().rename(columns={"size": "events"})
            .sort_values(["month", "event_type"]).reset_index(drop=True))
    types = [t for t in EVENT_TYPES if t in set(data["event_type"])]
    return alt.Chart(data, title="Dated events per type and month").mark_circle(opacity=0.8).encode(
        x=alt.X("month:T", title="month", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y-%m")),
        y=alt.Y("event_type:N", title="event type", sort=types),
        color=alt.Color("event_type:N", sort=types, legend=None),
        size=alt.Size("events:Q", scale=alt.Scale(range=[80, 600], zero=False),
                    legend=alt.Legend(title="events", format=",d", tickMinStep=1)),
    ).properties(width=720, height=alt.Step(36))


def chart_svg(chart: alt.Chart) -> str:
    """The chart as SVG, drawn now by vl-convert with the Vega-Lite version Altair writes specs for."""
    import altair as alt
    import vl_convert as vlc

    vl_version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # v6.4.1 -> v6_4, as Altair asks vl-convert
    return vlc.vegalite_to_svg(chart.to_dict(), vl_version=vl_version)


# ---------------------------------------------------------------- cells


def _table(headers: list[str], rows: Iterable[list[str]], table_id: str,
           numeric: frozenset[int] = frozenset(), searchable: bool = False) -> str:
    """An HTML table; cells are HTML already (escaped by the caller)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)

    def row_html(row: list[str]) -> str:
        return "<tr>" + "".join(f'<td class="number">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
                                for i, cell in enumerate(row)) + "</tr>"

    body = "\n".join(row_html(row) for row in rows)
    kind = ' class="searchable"' if searchable else ""
    return f'<table id="{table_id}"{kind}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def forecast_value(row) -> str:
    """``> 60 percent``, ``~ 2,000,000-9,000,000 units``: the figure as the forecast states it."""
    low, high = row.value_low, row.value_high
    if pd.isna(low) and pd.isna(high):
        figure = "?"
    elif pd.isna(low) or pd.isna(high) or low == high:
        figure = _number(high if pd.isna(low) else low)
    else:
        figure = f"{_number(low)}–{_number(high)}"
    return f"{row.comparator} {figure} {row.unit}"


def _day(value) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def event_date(value, precision: str) -> str:
    """The date at the precision it is known: ``2025-12-08``, ``2025-12``, ``2025-Q4``, ``2025``."""
    day = _day(value)
    if day is None:
        return "undated"
    if precision == "month":
        return f"{day:%Y-%m}"
    if precision == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if precision == "year":
        return str(day.year)
    return day.isoformat()


def horizon(start, end) -> str:
    """``2026`` for a calendar year, else ``2026-01-01 – 2026-06-30`` (or the one end known)."""
    first, last = _day(start), _day(end)
    if first and last and first.year == last.year and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    if first and last and first != last:
        return f"{first.isoformat()} – {last.isoformat()}"
    return (last or first).isoformat() if (last or first) else ""


def _text(value) -> str:
    return value if isinstance(value, str) else ""


class Sources:
    """Where a sentence comes from, as a line under it: publisher, title, date and file (linked to its url)."""

    def __init__(self, documents: pd.DataFrame):
        self.documents = documents.set_index("doc_id")

    def cite(self, doc_id: str) -> str:
        doc = self.documents.loc[doc_id]
        published = _day(doc["published_date"])
        parts = [escape(p) for p in (_text(doc["publisher"]), _text(doc["title"])) if p]
        parts += [published.isoformat()] if published else []
        parts.append(f"<code>{escape(doc['source_path'])}</code>")
        line = " · ".join(parts)
        url = _text(doc["url"])
        if url.startswith(("https://", "http://")):
            line = f'<a href="{escape(url)}">{line}</a>'
        return f'<div class="source">{line}</div>'

    def evidence(self, sentence: str, doc_id: str, more: int = 0) -> str:
        also = f'<div class="source">and {more:,} more report{"s" if more > 1 else ""}</div>' if more else ""
        return f'<q>{escape(sentence)}</q>{self.cite(doc_id)}{also}'


def _cut(rows: pd.DataFrame, limit: int, order: str, file: str) -> tuple[pd.DataFrame, str]:
    """The first ``limit`` rows and a note saying how many of how many are listed."""
    if len(rows) <= limit:
        return rows, f"{len(rows):,} listed."
    return rows.head(limit), (f"The first {limit:,} of {len(rows):,} are listed ({order}); all of them are "
                              f'in <a href="{file}">{file}</a>.')


# ---------------------------------------------------------------- sections


def events_section(tables: Mapping[str, pd.DataFrame], sources: Sources, limit: int) -> str:
    events, reports = tables["events"], tables["event_reports"]
    names = dict(zip(tables["actors"]["actor_id"], tables["actors"]["name"], strict=True))
    taking_part = tables["event_actors"]
    taking_part = taking_part.assign(label=[f"{names.get(actor, actor)} ({role})" for actor, role in
                                            zip(taking_part["actor_id"], taking_part["role"], strict=True)])
    actors = taking_part.sort_values(["event_id", "role", "label"]).groupby("event_id")["label"].agg(", ".join)
    ordered_reports = reports.merge(tables["documents"][["doc_id", "source_path"]], on="doc_id") \
        .sort_values(["event_id", "source_path", "char_start"])
    first_report = ordered_reports.groupby("event_id").head(1).set_index("event_id")
    report_counts = reports.groupby("event_id").size()
    ordered = events.sort_values(["event_date", "event_type", "event_id"], ascending=[False, True, True],
                                 na_position="last")
    listed, note = _cut(ordered, limit, "newest first", "events.parquet")
    rows = []
    for event in listed.itertuples():
        report = first_report.loc[event.event_id] if event.event_id in first_report.index else None
        evidence = "" if report is None else sources.evidence(report["evidence_text"], report["doc_id"],
                                                              int(report_counts[event.event_id]) - 1)
        rows.append([escape(event_date(event.event_date, event.date_precision)), escape(event.event_type),
                     escape(event.status), escape(event.summary), escape(actors.get(event.event_id, "")),
                     evidence, f"<code>{escape(event.event_id)}</code>"])
    table = _table(["date", "type", "status", "summary", "actors (role)", "reported in", "event_id"], rows,
                   "events", searchable=True)
    return f'<p class="note">Each with the sentence that reports it (the first by file). {note}</p>\n{table}\n'


def outcome(f, observations: pd.DataFrame, sources: Sources) -> str:
    """A resolved forecast's outcome with its evidence: the observation's sentence and article, or the
    citation resolutions.yaml gives."""
    verdict = escape(f"{f.resolution_status.removeprefix('resolved_')}: {_number(f.observed_value)}")
    observation_id = getattr(f, "resolution_observation_id", None)
    if isinstance(observation_id, str) and observation_id in observations.index:
        seen = observations.loc[observation_id]
        return f"{verdict} (observed)<br>{sources.evidence(seen['evidence_text'], seen['doc_id'])}"
    return f'{verdict} (manual)<div class="source">{escape(_text(f.resolution_source))}</div>'


def _forecast_list(chosen: pd.DataFrame, order: str, heading: str, table_id: str, names: Mapping[str, str],
                   sources: Sources, limit: int, observations: pd.DataFrame | None = None) -> str:
    """A list of forecasts; with ``observations`` (by id), resolved ones with the evidence of their outcome."""
    listed, note = _cut(chosen, limit, order, "forecasts.parquet")
    rows = []
    for f in listed.itertuples():
        what = escape(f.metric.replace("_", " "))
        if isinstance(f.subject_actor_id, str):
            what += f" of {escape(names.get(f.subject_actor_id, f.subject_actor_id))}"
        row = [escape(horizon(f.horizon_start, f.horizon_end)), escape(names.get(f.forecaster_actor_id, "")),
               what, escape(forecast_value(f)), escape(_text(f.hedge))]
        if observations is not None:
            row += [outcome(f, observations, sources)]
        rows.append(row + [sources.evidence(f.evidence_text, f.doc_id), f"<code>{escape(f.forecast_id)}</code>"])
    headers = ["horizon", "forecaster", "forecast", "value", "hedge", *(["outcome"] if observations is not None
                                                                        else []), "stated in", "forecast_id"]
    return (f'<h3 id="{table_id}-heading">{escape(heading)} ({len(chosen):,})</h3>\n<p class="note">{note}</p>\n'
            f"{_table(headers, rows, table_id, searchable=True)}\n")


def forecasts_section(forecasts: pd.DataFrame, actors: pd.DataFrame, sources: Sources, released: dt.date,
                      limit: int, observations: pd.DataFrame) -> str:
    observations = observations.set_index("observation_id")
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    forecasts = forecasts.assign(forecaster_name=forecasts["forecaster_actor_id"].map(names).fillna(""))
    ends = pd.to_datetime(forecasts["horizon_end"])
    is_open = forecasts["resolution_status"] == "open"
    ahead = is_open & (ends >= pd.Timestamp(released))
    past_due = is_open & (ends < pd.Timestamp(released))
    keys = ["horizon_end", "forecaster_name", "forecast_id"]
    lists = [
        (forecasts[ahead].sort_values(keys), "nearest horizon first",
         f"Open, with a horizon ahead of {released.isoformat()}", "forecasts-ahead", None),
        (forecasts[past_due].sort_values(keys, ascending=[False, True, True]), "latest horizon first",
         f"Past due, unresolved: the horizon ended before {released.isoformat()} and no outcome is recorded",
         "forecasts-past-due", None),
        (forecasts[is_open & ends.isna()].sort_values(["forecaster_name", "forecast_id"]), "by forecaster",
         "Open, the text names no period", "forecasts-no-horizon", None),
        (forecasts[~is_open].sort_values(["observed_date", "forecast_id"], ascending=[False, True]),
         "latest outcome first", "Resolved", "forecasts-resolved", observations),
    ]
    return "".join(_forecast_list(chosen, order, heading, table_id, names, sources, limit, seen)
                   for chosen, order, heading, table_id, seen in lists)


def scores_section(tables: Mapping[str, pd.DataFrame]) -> str:
    """The ``forecaster_scores`` view's rows for the forecasters with a resolved forecast; the evidence of
    each resolution is in the list of resolved forecasts."""
    scores = view_frame(FORECASTER_SCORES, dict(tables))
    scores = scores[scores["resolved"] > 0]

    def share(value) -> str:
        return "" if pd.isna(value) else f"{value:.0%}"

    def percent(value) -> str:
        return "" if pd.isna(value) else f"{value:+.1f}%" if value else "0%"

    rows = [[escape(_text(s.forecaster) or s.forecaster_actor_id), f"{s.forecasts_made:,}", f"{s.resolved:,}",
             f"{s.resolved_by_observation:,}", f"{s.resolved_true:,}", share(s.hit_rate),
             "" if pd.isna(s.median_abs_pct_error) else f"{s.median_abs_pct_error:.1f}%",
             percent(s.mean_signed_pct_error), f"{s.conflicting:,}"] for s in scores.itertuples()]
    table = _table(["forecaster", "made", "resolved", "by observation", "true", "hit rate", "median |error|",
                    "mean signed error", "conflicting"], rows, "forecaster-scores",
                   numeric=frozenset(range(1, 9)), searchable=True)
    return (f'<p class="note">{len(scores):,} forecasters with a resolved forecast (the view '
            "<code>forecaster_scores</code> in dataset.duckdb has them all). A forecast is resolved by a later "
            "article reporting the actual figure for its subject, metric and period, or by resolutions.yaml; "
            "errors are in percent of the observed value, a positive signed error a forecast too high. Each "
            'resolution\'s evidence is under <a href="#forecasts-resolved-heading">Resolved</a>.</p>\n'
            f"{table}\n")


def overview_html(tables: Mapping[str, pd.DataFrame], version: str, files: Iterable[str], released: dt.date,
                  limit: int = MAX_LISTED_ROWS) -> str:
    """The whole page; ``files`` are the release's file names, linked relatively; ``released`` is the day the
    release was built, which splits the open forecasts into those ahead and those past due."""
    events = tables["events"]
    sources = Sources(tables["documents"])
    title = f"chipgeo release {version}"
    counts = _table(["table", "rows", "file"], (
        [escape(name), f"{len(df):,}", f'<a href="{escape(name)}.parquet">{escape(name)}.parquet</a>']
        for name, df in tables.items()), "row-counts", numeric=frozenset({1}))
    file_links = "\n".join(f'<li><a href="{escape(name)}">{escape(name)}</a></li>' for name in sorted(files))
    dated = int(events["event_date"].notna().sum())
    forecasts = forecasts_section(tables["forecasts"], tables["actors"], sources, released, limit,
                                  tables["observations"])
    if chart_available():
        chart = f'<figure class="chart" id="{CHART_DIV}">\n{chart_svg(events_chart(events))}\n</figure>\n'
    else:
        chart = ('<p class="note" id="chart-unavailable">The chart was left out: the build had no '
                 "vl-convert-python to draw it with.</p>\n")
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">\n<title>{escape(title)}</title>\n'
        f"<style>\n{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="note" id="intro">Built {released.isoformat()}. {INTRO}</p>\n'
        f'<section id="contents"><h2>Contents</h2>\n{counts}\n</section>\n'
        f'<section id="timeline"><h2>Events over time</h2>\n<p class="note">{dated:,} of {len(events):,} events '
        "have a date. Each circle is the events of one type in one month; its size grows with their number.</p>\n"
        f"{chart}</section>\n"
        '<section id="search-box"><h2>Search</h2>\n<p><input type="search" id="search" '
        'placeholder="words that every row shown must contain: an actor, a type, a year…" size="60" '
        'aria-label="search the events and forecasts"> <span class="note" id="search-status"></span></p>\n'
        '<p class="note">Filters the lists below (the rows listed, not the rows cut from them).</p>\n</section>\n'
        f'<section id="events-list"><h2>Events</h2>\n{events_section(tables, sources, limit)}</section>\n'
        f'<section id="forecasts"><h2>Forecasts</h2>\n'
        f"{forecasts}</section>\n"
        f'<section id="scores"><h2>Forecaster scores</h2>\n{scores_section(tables)}</section>\n'
        f'<section id="files"><h2>Files</h2>\n<ul>\n{file_links}\n</ul>\n</section>\n'
        f"<script>\n{SEARCH_SCRIPT}</script>\n</body>\n</html>\n")
