"""Extraction cost per page: newsbot's parse_article_page beside the lxml floor and trafilatura.

The same bytes go through three things, interleaved so that drift hits them alike (and each
of newsbot and the floor timed from the same state, see time_page):
  newsbot      parse_article_page(HtmlResponse) -> ArticleItem (a fresh response per call, so
               the parsed tree is never reused from a previous call). The response carries the
               header DW sends with every article, `Content-Type: text/html; charset=UTF-8`, as a
               crawled response does: without it Scrapy would search the body for a meta charset,
               a cost no response of the crawl pays.
  floor        lxml.html.fromstring(bytes): parsing alone, what any extractor pays at least
  trafilatura  trafilatura.extract(bytes, url=..., with_metadata=True)
Per page the median of the repetitions is taken; a group's figure is the median over its pages.

Pages: generated ones in two weights (benchmarks/corpus.py): "light" as tests/fakedw renders them
(~10 KB, the article and the extraction's hooks only) and "realistic", padded to the size and
shape of real DW pages (60-160 KB: inline CSS, navigation, teasers, footer, page-state JSON), plus
the saved real pages of ../shared/dw-pages. The targets (issue 25: newsbot within 3x the lxml
floor, trafilatura at least 5x slower than newsbot, with a plain ItemLoader and Scrapy's
selector) are stated for 70-320 KB DW pages, so they
are checked on the realistic and real groups; light pages are reported beside them, their ratios
dominated by the fixed per-item cost that a 0.1 ms parse cannot hide.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from scrapy.http import HtmlResponse

from benchmarks.corpus import bench_articles, render_bench_page
from benchmarks.measure import PROJECT_DIR, fmt_ms, fmt_ratio
from benchmarks.report import Check, Section
from newsbot.extraction.pages import parse_article_page

SHARED_PAGES = PROJECT_DIR.parent / "shared" / "dw-pages"
DW_BASE_URL = "https://www.dw.com"
MAX_FLOOR_RATIO = 3.0
MIN_TRAFILATURA_RATIO = 5.0
# What dw.com sends with every article page (see the docstring).
DW_HEADERS = {"Content-Type": "text/html; charset=UTF-8"}


@dataclass
class Page:
    """One page to extract: its group in the report, its URL and its bytes."""

    group: str
    url: str
    body: bytes


def generated_pages(count: int, weight: str) -> list[Page]:
    """`count` pages of both designs, "light" or "realistic" (see benchmarks/corpus.py)."""
    pages = []
    for article in bench_articles(count):
        body = render_bench_page(article, DW_BASE_URL, "light" if weight == "light" else "real")
        pages.append(Page(f"{weight} {article.design}", DW_BASE_URL + article.path, body.encode()))
    return pages


def shared_pages(folder: Path = SHARED_PAGES) -> list[Page]:
    """The saved real DW pages of ../shared/dw-pages/, read in place, when the folder exists."""
    pages = []
    for path in sorted(folder.glob("*.html")) if folder.is_dir() else []:
        expected = path.with_name(path.stem + ".expected.json")
        url = json.loads(expected.read_text(encoding="utf-8"))["url"] if expected.exists() else ""
        pages.append(
            Page(f"real {path.name}", url or f"{DW_BASE_URL}/en/page/a-1", path.read_bytes())
        )
    return pages


def _newsbot(page: Page) -> Callable[[], object]:
    response = HtmlResponse(page.url, body=page.body, headers=DW_HEADERS)
    return lambda: parse_article_page(response)


def _floor(page: Page) -> Callable[[], object]:
    return lambda: lxml.html.fromstring(page.body)


def _trafilatura(page: Page) -> Callable[[], object]:
    from trafilatura import extract  # benchmark-only dependency: pip install -e '.[bench]'

    return lambda: extract(page.body, url=page.url, with_metadata=True)


# The floor timed right after newsbot, as this benchmark timed it until 2026-12-03 (see time_page).
FLOOR_AFTER_NEWSBOT = "floor after newsbot"


def time_page(page: Page, repeat: int) -> dict[str, float]:
    """Median seconds per contender for one page; each call is prepared outside the timing.

    Every timed call of newsbot and the floor starts from the same state: right after a
    trafilatura extraction of the page, which works through 20-60 ms of Python and a tree of its
    own and leaves the CPU caches full of them. newsbot follows the timed trafilatura call that
    ends each round, the floor an untimed one. Until 2026-12-03 the floor was timed right after
    newsbot, with lxml's parser and the page's bytes still in the caches, while newsbot always
    started after trafilatura: a cold start on one side of the ratio only, worth about a tenth
    of it. That measurement is kept as FLOOR_AFTER_NEWSBOT and reported beside the fair one.
    """
    samples: dict[str, list[float]] = {
        name: [] for name in ("newsbot", "floor", "trafilatura", FLOOR_AFTER_NEWSBOT)
    }

    def timed(name: str, prepare: Callable[[Page], Callable[[], object]]) -> None:
        call = prepare(page)
        start = time.perf_counter()
        call()
        samples[name].append(time.perf_counter() - start)

    for _ in range(repeat):
        timed("newsbot", _newsbot)
        timed(FLOOR_AFTER_NEWSBOT, _floor)
        _trafilatura(page)()  # untimed: the floor starts where newsbot started
        timed("floor", _floor)
        timed("trafilatura", _trafilatura)
    return {name: statistics.median(values) for name, values in samples.items()}


def profile(pages: list[Page], top: int = 25) -> str:
    """cProfile of parse_article_page over the pages: the top entries by own and total time."""
    profiler = cProfile.Profile()
    responses = [HtmlResponse(p.url, body=p.body, headers=DW_HEADERS) for p in pages]
    profiler.enable()
    for response in responses:
        parse_article_page(response)
    profiler.disable()
    lines = []
    for order in ("tottime", "cumulative"):
        stats = pstats.Stats(profiler)
        rows = sorted(
            stats.stats.items(), key=lambda kv: kv[1][2 if order == "tottime" else 3], reverse=True
        )
        lines.append(f"-- top {top} by {order} (ms over {len(pages)} pages) --")
        for (filename, line, func), (_, calls, own, total, _) in rows[:top]:
            short = filename.replace(str(PROJECT_DIR) + "/", "")
            if "site-packages/" in short:
                short = short.split("site-packages/", 1)[1]
            lines.append(
                f"{own * 1000:9.1f} own {total * 1000:9.1f} total {calls:7d} calls  "
                f"{short}:{line}({func})"
            )
    return "\n".join(lines)


def run(count: int = 200, repeat: int = 7, with_profile: bool = False) -> Section:
    """Time every page, group the medians, compare them with the targets."""
    pages = generated_pages(count, "light") + generated_pages(count, "realistic") + shared_pages()
    for page in pages[:5]:  # warm imports and caches of all three before timing
        time_page(page, 1)
    timings = [(page, time_page(page, repeat)) for page in pages]
    groups: dict[str, list[dict[str, float]]] = {}
    for page, figures in timings:
        groups.setdefault(page.group, []).append(figures)
    for prefix in ("light", "realistic", "real"):
        found = [f for p, f in timings if p.group.startswith(prefix + " ")]
        if found:
            groups[f"all {prefix}"] = found
    real = "all real" in groups

    section = Section(
        "Extraction cost per page",
        (
            "pages",
            "n",
            "newsbot",
            "lxml floor",
            "trafilatura",
            "newsbot/floor",
            "trafilatura/newsbot",
        ),
    )
    medians: dict[str, dict[str, float]] = {}
    for group, figures in groups.items():
        median = {name: statistics.median(f[name] for f in figures) for name in figures[0]}
        medians[group] = median
        section.rows.append(
            (
                group,
                str(len(figures)),
                fmt_ms(median["newsbot"]),
                fmt_ms(median["floor"]),
                fmt_ms(median["trafilatura"]),
                fmt_ratio(median["newsbot"] / median["floor"]),
                fmt_ratio(median["trafilatura"] / median["newsbot"]),
            )
        )
    for group in ("all realistic", "all real"):
        if group not in medians:
            continue
        m = medians[group]
        section.checks.append(
            Check(
                f"newsbot/floor, {group}",
                fmt_ratio(m["newsbot"] / m["floor"]),
                f"<= {MAX_FLOOR_RATIO:g}x",
                m["newsbot"] / m["floor"] <= MAX_FLOOR_RATIO,
            )
        )
        section.checks.append(
            Check(
                f"trafilatura/newsbot, {group}",
                fmt_ratio(m["trafilatura"] / m["newsbot"]),
                f">= {MIN_TRAFILATURA_RATIO:g}x",
                m["trafilatura"] / m["newsbot"] >= MIN_TRAFILATURA_RATIO,
            )
        )
    section.notes.append(
        f"Median of {repeat} interleaved runs per page, then the median over the pages of a group; "
        f"real pages from {SHARED_PAGES if real else '(../shared/dw-pages/ not found)'}. "
        "newsbot and the floor are each timed right after a trafilatura extraction of the page "
        "(time_page in benchmarks/bench_extraction.py says why)."
    )
    before = [
        f"{group} {fmt_ratio(m['newsbot'] / m[FLOOR_AFTER_NEWSBOT])}"
        for group, m in medians.items() if group.startswith("all ")
    ]
    section.notes.append(
        "newsbot/floor with the floor timed right after newsbot, as this benchmark did until "
        f"2026-12-03 (same run): {', '.join(before)}."
    )
    if with_profile:
        section.notes.append("```\n" + profile([p for p, _ in timings]) + "\n```")
    return section


if __name__ == "__main__":
    print(run(with_profile=True).text())
