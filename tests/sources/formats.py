"""An article as analysts have it: a saved page with site chrome, RSS and Atom items, a PDF.

The article text comes from the caller (a dev article read from ../shared at test time, never copied into
the repository); the chrome around it (navigation, ads, related links, reader comments) is written here.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from fpdf import FPDF

from pipeline.sources.ingest import load_front_matter, split_front_matter

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "dev"

NAV = ["Home", "Markets", "Semiconductors", "Policy", "Opinion", "Podcasts", "Events", "Subscribe", "Sign in"]
RELATED = ["Five things to watch in memory pricing this winter",
           "Opinion: why fab subsidies rarely pay for themselves",
           "Podcast: a former customs officer on tracing chip shipments",
           "Interactive map of every wafer plant announced since 2020"]
COMMENTS = ["I bet Intel will buy AMD before 2030, mark my words.",
            "Samsung said last week it would double its HBM output by 2027, so this changes nothing.",
            "Great piece. Subscribed!"]


def dev_article(name: str) -> tuple[dict, str]:
    """(front matter, body) of a dev article, read at test time."""
    block, body = split_front_matter((DEV / f"{name}.txt").read_text(encoding="utf-8"))
    return load_front_matter(block or "", name, []), body


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def saved_page(title: str, body: str, published: dt.date, url: str, site: str = "Chip Wire Daily") -> str:
    """A news page as a browser saves it: the article inside navigation, ads, related links and comments."""
    nav = "".join(f'<li><a href="/{item.lower()}">{item}</a></li>' for item in NAV)
    related = "".join(f'<li><a href="/story/{i}">{escape(text)}</a></li>' for i, text in enumerate(RELATED))
    comments = "".join(f'<div class="comment"><span class="author">reader{i}</span><p>{escape(text)}</p></div>'
                       for i, text in enumerate(COMMENTS))
    article = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(body))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {site}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published.isoformat()}T08:30:00+00:00">
<script>window.dataLayer = window.dataLayer || []; function track(e) {{ dataLayer.push(e); }}</script>
<style>body {{ font-family: sans-serif; }} .ad {{ background: #eee; }}</style>
</head><body>
<header><div class="logo">{site}</div><nav><ul>{nav}</ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<div class="ad" id="top-banner">Advertisement. Upgrade your cleanroom with our filters: 20% off this month only.</div>
<main><article>
<h1>{escape(title)}</h1>
<div class="byline">By Staff Reporter <time datetime="{published.isoformat()}">{published:%B %d, %Y}</time></div>
<div class="article-body">{article}</div>
<div class="share"><a href="#">Share on X</a> <a href="#">Share by email</a></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section class="comments" id="comments"><h2>{len(COMMENTS)} comments</h2>{comments}</section>
</main>
<div class="ad">Sponsored: the lithography conference of the year, register now.</div>
<footer><p>&copy; {site}. All rights reserved.</p><ul><li><a href="/about">About us</a></li>
<li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul></footer>
</body></html>
"""


def _content(body: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs(body))


def rss(items: list[dict], site: str = "Chip Wire Daily") -> str:
    """An RSS 2.0 feed; an item's ``body`` goes into content:encoded, its ``summary`` into description."""
    entries = []
    for item in items:
        content = f"<content:encoded><![CDATA[{_content(item['body'])}]]></content:encoded>" if "body" in item else ""
        entries.append(f"""<item><title>{escape(item['title'])}</title><link>{item['url']}</link>
<guid>{item['url']}</guid><pubDate>{item['published']:%a, %d %b %Y} 07:00:00 GMT</pubDate>
<description>{escape(item.get('summary', ''))}</description>{content}</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>{site}</title><link>https://chipwire.example/</link><description>Chip news</description>
{''.join(entries)}
</channel></rss>
"""


def atom(items: list[dict], site: str = "Chip Wire Daily") -> str:
    entries = []
    for item in items:
        content = f'<content type="html">{escape(_content(item["body"]))}</content>' if "body" in item else ""
        entries.append(f"""<entry><title>{escape(item['title'])}</title><link href="{item['url']}"/>
<id>{item['url']}</id><published>{item['published'].isoformat()}T07:00:00Z</published>
<updated>{item['published'].isoformat()}T07:00:00Z</updated>
<summary>{escape(item.get('summary', ''))}</summary>{content}</entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{site}</title><id>https://chipwire.example/</id>
<updated>2025-01-01T00:00:00Z</updated>
{''.join(entries)}
</feed>
"""


# The core PDF fonts are Latin-1: typographic characters become their plain forms.
_LATIN1 = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                         "\u2014": "-", "\u2026": "...", "\u00a0": " "})


def pdf_bytes(title: str, body: str, published: dt.date, header: str = "Chip Research Notes") -> bytes:
    """A multi-page research note: running header and page-number footer on every page, wrapped text."""
    class Note(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, f"Page {self.page_no()}", align="C")

    note = Note(format=(148, 210))  # A5, small pages: a note of several pages
    note.set_title(title.translate(_LATIN1))
    note.set_creation_date(dt.datetime(published.year, published.month, published.day, 9, tzinfo=dt.UTC))
    note.add_page()
    note.set_font("Helvetica", size=14)
    note.multi_cell(0, 7, title.translate(_LATIN1))
    note.ln(4)
    note.set_font("Helvetica", size=10)
    for paragraph in paragraphs(body):
        note.multi_cell(0, 5, paragraph.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1"))
        note.ln(3)
    return bytes(note.output())
