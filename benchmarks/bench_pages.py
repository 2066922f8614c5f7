"""Kept pages: bytes kept per article, and `newsbot reextract` in pages/s on 1 core and --jobs 2.

    .venv/bin/python -m benchmarks pages [--kept N]

N realistic DW pages (benchmarks.corpus, 60-160 KB each) are kept as the crawl keeps them
(PageWriter: gzipped WARC, request + response, one file per run of 50 articles) and stored in
the JSONL archive; then
`newsbot reextract --out` runs as a child process, once with one job and once with --jobs 2,
each timed (the command's own figure, from its first read to its last item, and the wall time
with interpreter start) with its peak memory (wait4's ru_maxrss: the largest of the command's
process and the workers it reaped).
"""

from __future__ import annotations

import io
import os
import re
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.http import HtmlResponse, Request

from benchmarks.corpus import bench_articles, render_bench_page
from benchmarks.measure import PROJECT_DIR, run_child
from benchmarks.report import Check, Section
from newsbot.operations.reextract import reextract
from newsbot.storage.pages import PageWriter, kept_pages_size, pages_dir

DEFAULT_KEPT = 2000
# Articles a scheduled run keeps (one page file per run and UTC day), as in a year of cron runs.
PAGES_PER_RUN = 50
BASE = "https://www.dw.com"
YEAR_OF_DW = 110_000  # article pages DW publishes in a year, all editions (issue 26)
TARGET_MINUTES = 10.0
_RATE = re.compile(r"in ([\d.]+) s \(([\d.]+) pages/s")


def keep_pages(data_dir: Path, count: int) -> tuple[int, int]:
    """Keep `count` realistic pages and store their items; return (page bytes, JSONL bytes)."""
    captured = datetime(2026, 11, 1, tzinfo=UTC)
    html_bytes = 0
    writer = PageWriter(pages_dir(data_dir))
    for index, article in enumerate(bench_articles(count)):
        if index and index % PAGES_PER_RUN == 0:  # the next scheduled run, its own file
            writer.close()
            writer = PageWriter(pages_dir(data_dir))
            writer.run_name = f"run{index // PAGES_PER_RUN}"
        url = BASE + article.path
        body = render_bench_page(article, BASE).encode("utf-8")
        html_bytes += len(body)
        response = HtmlResponse(
            url, body=body, request=Request(url),
            headers={"Content-Type": "text/html; charset=utf-8",
                     "Date": "Sun, 01 Nov 2026 00:00:00 GMT"},
        )
        writer.write(response, captured + timedelta(minutes=10 * index))
    writer.close()
    reextract(data_dir, ["dw.com"], update=True, progress=io.StringIO())  # what a crawl stores
    jsonl = sum(p.stat().st_size for p in (data_dir / "dw").glob("*.jsonl"))
    return html_bytes, jsonl


def timed_reextract(data_dir: Path, jobs: int) -> tuple[float, float, float, float, float]:
    """(command's seconds, its pages/s, wall seconds, CPU seconds, peak RSS MiB) of one
    `reextract --out`; CPU counts the command and its workers (the machine may be shared)."""
    out = data_dir / f"out-{jobs}.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_child(
        [sys.executable, "-m", "newsbot", "reextract", "--data-dir", str(data_dir),
         "--out", str(out), "--jobs", str(jobs)],
        cwd=PROJECT_DIR,
    )
    if run.returncode != 0:
        raise RuntimeError(f"reextract failed: {run.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    match = _RATE.search(run.stdout)
    assert match is not None, run.stdout
    return float(match[1]), float(match[2]), run.seconds, cpu, run.peak_rss_mb


def run(count: int = DEFAULT_KEPT) -> Section:
    section = Section(
        f"Kept pages and re-extraction ({count} realistic pages)",
        header=("figure", "value"),
    )
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-pages-") as tmp:
        data_dir = Path(tmp) / "data"
        started = time.perf_counter()
        html_bytes, jsonl_bytes = keep_pages(data_dir, count)
        setup = time.perf_counter() - started
        kept = kept_pages_size(data_dir)["bytes"]
        section.rows += [
            ("HTML per page (as served, uncompressed)", f"{html_bytes / count / 1024:.1f} KiB"),
            ("kept per article (gzipped WARC, request + response)",
             f"{kept / count / 1024:.1f} KiB ({kept / html_bytes:.1%} of the HTML)"),
            ("JSONL per article (the item)", f"{jsonl_bytes / count / 1024:.1f} KiB"),
            ("a year of DW kept (110,000 pages)", f"{kept / count * YEAR_OF_DW / 1e9:.2f} GB"),
        ]
        rates = {}
        for jobs in (1, 2):
            seconds, rate, wall, cpu, peak = timed_reextract(data_dir, jobs)
            rates[jobs] = rate
            section.rows += [
                (f"reextract --jobs {jobs}: pages/s (command's figure)", f"{rate:.0f}"),
                (f"reextract --jobs {jobs}: seconds (command / wall with start-up)",
                 f"{seconds:.1f} / {wall:.1f}"),
                (f"reextract --jobs {jobs}: CPU seconds (all processes) / ms per page",
                 f"{cpu:.1f} / {1000 * cpu / count:.2f}"),
                (f"reextract --jobs {jobs}: peak RSS (largest process)",
                 f"{peak:.0f} MiB"),
            ]
        best = max(rates.values())
        minutes = YEAR_OF_DW / best / 60
        section.checks.append(Check(
            "a year of DW (110,000 pages) re-extracted, at the better rate",
            f"{minutes:.1f} min", f"< {TARGET_MINUTES:g} min", minutes < TARGET_MINUTES,
        ))
        section.notes.append(
            f"Load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
            "(the machine is shared: wall-clock rates fall when other work runs). "
            f"Setup (rendering, keeping and storing {count} pages) took {setup:.0f} s and is "
            "not counted. The --jobs 2 workers are forked processes holding one page at a time; "
            "the main process holds one small tuple per stored article (the change report)."
        )
    return section
