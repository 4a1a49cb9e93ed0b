"""``index.html``: a static overview page of a release that opens offline, from the folder itself.

Row counts, a timeline of the dated events by type (an Altair / Vega-Lite
chart whose JavaScript is inlined into the page, so no server or network is
needed), the open forecasts and a link to every file of the release.

Inlining Vega's JavaScript needs the ``vl-convert-python`` package (Altair
takes the bundle from it); without it the page says so where the chart would
be, and everything else is still there.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from schemas.vocabularies import EVENT_TYPES

if TYPE_CHECKING:
    import altair as alt

CHART_DIV = "events-chart"
STYLE = """
<title>{title}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
         color: #1b1b1b; line-height: 1.4; }
  table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
  th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
  td.number { text-align: right; font-variant-numeric: tabular-nums; }
  code { font-size: 0.85rem; }
  .note { color: #555; font-size: 0.9rem; }
</style>
"""


# Rows of the open-forecasts table on the page; a large release lists the nearest horizons only.
MAX_FORECAST_ROWS = 500


def chart_available() -> bool:
    """Whether Vega's JavaScript can be inlined (Altair needs vl-convert-python for it)."""
    return importlib.util.find_spec("vl_convert") is not None


def vega_bundle() -> str:
    """vega-embed with Vega and Vega-Lite as one script, from vl-convert: what Altair inlines.

    Making it takes vl-convert most of a second, every process; it is the same for one vl-convert and
    Vega-Lite version, so it is kept in the user's cache folder (``$XDG_CACHE_HOME/chipgeo``) and read
    from there by the next build.
    """
    import altair as alt
    import vl_convert as vlc

    vl_version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # v6.1.0 -> v6_1, as Altair asks vl-convert
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chipgeo" / \
        f"vega-embed-{vlc.__version__}-{vl_version}.js"
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle(vl_version=vl_version)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_text(bundle, encoding="utf-8")
        os.replace(temporary, cache)
    except OSError:  # a read-only home: the next build makes it again
        pass
    return bundle


def events_chart(events: pd.DataFrame, event_reports: pd.DataFrame) -> alt.Chart:
    """Dated events on a timeline: one mark per event type and month, sized by its number of events.

    Counting per month keeps the chart's data to a few hundred rows whatever the corpus (Altair
    refuses more than 5,000 rows, and the page must stay small enough to open offline).
    """
    import altair as alt  # here: importing Altair costs half a second, which only a page with a chart pays

    reports = event_reports.groupby("event_id").size().rename("reports")
    dated = events[events["event_date"].notna()].join(reports, on="event_id")
    months = pd.to_datetime(dated["event_date"]).dt.strftime("%Y-%m")
    data = (pd.DataFrame({"month": months, "event_type": dated["event_type"],
                          "reports": dated["reports"].fillna(0).astype(int)})
            .groupby(["month", "event_type"], as_index=False)
            .agg(events=("reports", "size"), reports=("reports", "sum"))
            .sort_values(["month", "event_type"]).reset_index(drop=True))
    types = [t for t in EVENT_TYPES if t in set(data["event_type"])]
    return alt.Chart(data, title="Events by type over time").mark_circle(opacity=0.8).encode(
        x=alt.X("month:T", title="month", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y-%m")),
        y=alt.Y("event_type:N", title="event type", sort=types),
        color=alt.Color("event_type:N", sort=types, legend=None),
        size=alt.Size("events:Q", scale=alt.Scale(range=[80, 600]), legend=None),
        tooltip=["month:N", "event_type:N", "events:Q", "reports:Q"],
    ).properties(width=720, height=alt.Step(36))


def _table(headers: list[str], rows: Iterable[list[str]], table_id: str,
           numeric: frozenset[int] = frozenset()) -> str:
    """An HTML table; cells are HTML already (escaped by the caller)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    def row_html(row: list[str]) -> str:
        return "<tr>" + "".join(f'<td class="number">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
                                for i, cell in enumerate(row)) + "</tr>"

    body = "\n".join(row_html(row) for row in rows)
    return f'<table id="{table_id}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


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


def _date(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def open_forecasts_table(forecasts: pd.DataFrame, actors: pd.DataFrame) -> str:
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    chosen = forecasts[forecasts["resolution_status"] == "open"].copy()
    chosen["forecaster_name"] = chosen["forecaster_actor_id"].map(names).fillna("")
    chosen = chosen.sort_values(["horizon_end", "forecaster_name", "target"], na_position="last")
    chosen = chosen.head(MAX_FORECAST_ROWS)  # the nearest horizons; the whole table is forecasts.parquet
    rows = [[escape(_date(f.horizon_start)), escape(_date(f.horizon_end)), escape(f.forecaster_name),
             escape(names.get(f.subject_actor_id, "") if isinstance(f.subject_actor_id, str) else ""),
             escape(f.metric), escape(f.target), escape(forecast_value(f)),
             escape(f.hedge if isinstance(f.hedge, str) else ""), f"<code>{escape(f.forecast_id)}</code>"]
            for f in chosen.itertuples()]
    headers = ["horizon from", "horizon to", "forecaster", "subject", "metric", "target", "value", "hedge",
               "forecast_id"]
    return _table(headers, rows, "open-forecasts")


def overview_html(tables: Mapping[str, pd.DataFrame], version: str, files: Iterable[str]) -> str:
    """The whole page; ``files`` are the release's file names, linked relatively."""
    events, forecasts = tables["events"], tables["forecasts"]
    title = f"chipgeo release {version}"
    counts = _table(["table", "rows", "file"], (
        [escape(name), f"{len(df):,}", f'<a href="{escape(name)}.parquet">{escape(name)}.parquet</a>']
        for name, df in tables.items()), "row-counts", numeric=frozenset({1}))
    file_links = "\n".join(f'<li><a href="{escape(name)}">{escape(name)}</a></li>' for name in sorted(files))
    dated = int(events["event_date"].notna().sum())
    top = (f"<h1>{escape(title)}</h1>\n"
           '<p class="note">Actors, events and forecasts of semiconductor and AI-chip geopolitics. '
           "Every row links to the sentence it came from. Open <code>dataset.duckdb</code> with DuckDB or "
           "read the Parquet files; <code>datapackage.json</code> describes every column.</p>\n"
           f'<section id="contents"><h2>Contents</h2>\n{counts}\n</section>\n'
           f'<section id="timeline"><h2>Events</h2>\n<p class="note">{dated} of {len(events)} events have a '
           "date and are shown; each point is an event, sized by the number of reports.</p>\n")
    bottom = ("</section>\n"
              f'<section id="forecasts"><h2>Open forecasts</h2>\n'
              f"{open_forecasts_table(forecasts, tables['actors'])}\n</section>\n"
              f'<section id="files"><h2>Files</h2>\n<ul>\n{file_links}\n</ul>\n</section>\n')
    head = STYLE.replace("{title}", escape(title))
    if chart_available():
        # As Altair's inline page does it: the bundle in the head, then the chart's div and the call to embed
        # it ("</" escaped: the spec's text must not close the script).
        spec = json.dumps(events_chart(events, tables["event_reports"]).to_dict(), ensure_ascii=False)
        spec = spec.replace("</", "<\\/")
        options = json.dumps({"actions": False, "renderer": "svg", "mode": "vega-lite"})
        head += f'<script type="text/javascript">\n{vega_bundle()}\n</script>\n'
        chart = (f'<div class="vega-visualization" id="{CHART_DIV}"></div>\n<script type="text/javascript">\n'
                 f"vegaEmbed('#{CHART_DIV}', {spec}, {options})"
                 ".catch(console.error);\n</script>\n")
    else:
        chart = ('<p class="note" id="chart-unavailable">The chart was left out: the build had no '
                 "vl-convert-python to inline Vega's JavaScript with.</p>\n")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">{head}</head>\n<body>\n'
            f"{top}{chart}{bottom}</body>\n</html>\n")
