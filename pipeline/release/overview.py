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
from collections.abc import Iterable, Mapping
from html import escape

import altair as alt
import pandas as pd

from schemas.vocabularies import EVENT_TYPES

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


def events_chart(events: pd.DataFrame, event_reports: pd.DataFrame) -> alt.Chart:
    """Dated events on a timeline: one mark per event type and month, sized by its number of events.

    Counting per month keeps the chart's data to a few hundred rows whatever the corpus (Altair
    refuses more than 5,000 rows, and the page must stay small enough to open offline).
    """
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
    if not chart_available():
        chart = ('<p class="note" id="chart-unavailable">The chart was left out: the build had no '
                 "vl-convert-python to inline Vega's JavaScript with.</p>\n")
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">{head}</head>\n<body>\n'
                f"{top}{chart}{bottom}</body>\n</html>\n")
    page = events_chart(events, tables["event_reports"]).to_html(
        inline=True, output_div=CHART_DIV, embed_options={"actions": False, "renderer": "svg"})
    # Altair's page is head (with the inlined bundle), the chart's div, its script: put ours around them.
    div = f'<div class="vega-visualization" id="{CHART_DIV}"></div>'
    before, found, after = page.rpartition(div)
    head_part, found_head, body_start = before.rpartition("</head>")
    script, found_end, _ = after.rpartition("</body>")
    if not (found and found_head and found_end):
        raise RuntimeError("Altair's inline HTML template has changed: no chart div, </head> or </body>")
    head_part = head_part.replace("<html>", '<html lang="en">', 1)
    return f"{head_part}{head}</head>{body_start}{top}{div}{script}{bottom}</body>\n</html>\n"
