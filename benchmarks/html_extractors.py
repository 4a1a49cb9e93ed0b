"""Main-text extraction from saved pages: trafilatura (what ingest uses) against readability-lxml and resiliparse.

There is no web access here, so the pages are built: each dev article (read from ../shared/eval/dev at run
time) inside two kinds of site chrome written for this benchmark (tests/sources/formats.py's news page with
navigation, ads, related links and reader comments; and a blog-like page with the article in plain divs, an
inline ad and a "most read" box between its paragraphs, and a long comment thread). Scores per page: word
precision and recall of the extracted text against the article's words (bags of words), and whether the
text is exactly the article's paragraphs.

    uv run --with readability-lxml --with resiliparse python -m benchmarks.html_extractors
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import sys
import time
from collections import Counter
from html import escape

from pipeline.sources.html import fragment_text, read_page
from tests.sources.formats import DEV, dev_article, paragraphs, saved_page

COMMENT_THREAD = [
    "This is the third time this year they promised a fab; I will believe it when I see the first wafer.",
    "Anyone know if the subsidy is tied to hiring local engineers? The article does not say.",
    "The real story is power supply. No grid operator can deliver that much capacity by 2027.",
    "Reply: the utility already signed a deal, it was in the local paper last month.",
]


def blog_page(title: str, body: str, published: dt.date) -> str:
    """The article in plain divs, with an ad and a "most read" box between its paragraphs."""
    parts = [f'<div class="para">{escape(p)}</div>' for p in paragraphs(body)]
    middle = len(parts) // 2
    parts.insert(middle, '<div class="inline-ad">Advertisement: cloud GPUs by the hour, first month free.</div>')
    parts.insert(middle + 1, '<div class="most-read"><h3>Most read</h3><ol><li><a href="/1">Memory prices '
                 'keep climbing into spring</a></li><li><a href="/2">Ten startups building AI chips you '
                 'have not heard of</a></li></ol></div>')
    thread = "".join(f'<div class="c"><b>user{i}</b> <span>{escape(c)}</span></div>'
                     for i, c in enumerate(COMMENT_THREAD))
    return f"""<html><head><title>{escape(title)}</title>
<meta name="date" content="{published.isoformat()}"></head><body>
<div id="top"><a href="/">Silicon Notes</a> | <a href="/tags">Tags</a> | <a href="/newsletter">Newsletter</a></div>
<div id="wrap"><div id="content"><div class="post-title">{escape(title)}</div>
<div class="meta">Posted {published:%d %B %Y} in Industry</div>
{''.join(parts)}
<div class="tags">Tags: <a href="/t/fabs">fabs</a>, <a href="/t/policy">policy</a></div></div>
<div id="sidebar"><h3>Archives</h3><ul><li>2025</li><li>2024</li></ul></div>
<div id="comments"><h3>Discussion</h3>{thread}</div></div>
<div id="foot">Silicon Notes is a reader-supported publication.</div></body></html>"""


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def scores(extracted: str, truth: str) -> tuple[float, float, bool]:
    got, want = words(extracted), words(truth)
    common = sum((got & want).values())
    precision = common / max(1, sum(got.values()))
    recall = common / max(1, sum(want.values()))
    return precision, recall, extracted.split("\n\n") == paragraphs(truth)


def with_trafilatura(html: str) -> str:
    page = read_page(html.encode("utf-8"))
    return page.body if page else ""


def with_trafilatura_defaults(html: str) -> str:
    """trafilatura without the precision settings ingest gives it (comments still left out)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, include_comments=False)
    return "\n\n".join(line for line in (extracted.text if extracted else "").split("\n") if line.strip())


def with_readability(html: str) -> str:
    from readability import Document

    return fragment_text(Document(html).summary(html_partial=True))


def with_resiliparse(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return fragment_text(extract_plain_text(html, main_content=True, alt_texts=False, links=False))


EXTRACTORS = {"trafilatura": with_trafilatura, "trafilatura (defaults)": with_trafilatura_defaults,
              "readability-lxml": with_readability, "resiliparse": with_resiliparse}


def main() -> int:
    pages = []
    for path in sorted(DEV.glob("*.txt")):
        meta, body = dev_article(path.stem)
        published = dt.date.fromisoformat(str(meta["published"]))
        pages.append(("news", saved_page(meta["title"], body, published, f"https://x.example/{path.stem}"), body))
        pages.append(("blog", blog_page(meta["title"], body, published), body))
    print(f"{len(pages)} pages ({len(pages) // 2} dev articles x 2 layouts)\n")
    print("| extractor | layout | word precision | word recall | exact paragraphs | ms per page |")
    print("|---|---|---|---|---|---|")
    for name, extract in EXTRACTORS.items():
        for layout in ("news", "blog"):
            of_layout = [(html, body) for kind, html, body in pages if kind == layout]
            try:
                started = time.perf_counter()
                results = [scores(extract(html), body) for html, body in of_layout]
                elapsed = (time.perf_counter() - started) * 1000 / len(of_layout)
            except ImportError as error:
                print(f"| {name} | {layout} | not installed ({error.name}) | | | |")
                continue
            precision = statistics.mean(r[0] for r in results)
            recall = statistics.mean(r[1] for r in results)
            exact = sum(r[2] for r in results)
            print(f"| {name} | {layout} | {precision:.3f} | {recall:.3f} | {exact}/{len(results)} | {elapsed:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
