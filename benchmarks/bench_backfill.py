"""A backfill over a loopback sitemap index of a million entries, 1% of them in the window.

`scrapy crawl dw -a lang=en -a since=2026-06-01 -a until=2026-06-30` against
benchmarks.backfill_site (20 child sitemaps of 50,000 URLs, served from their own process):
the crawl's peak RSS (newsbot is one process, extraction included),
the time from the crawl's start, and from the index request, to the first article request,
and the requests made, which must be the sitemaps and the window's articles and nothing else.
A second run over the same data directory reads every sitemap again and requests no article.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_crawl import FAST_SETTINGS, scrapy_stats
from benchmarks.measure import PROJECT_DIR, ChildRun, run_child
from benchmarks.report import Check, Section

MAX_PEAK_RSS_MB = 300.0
WINDOW = ("since=2026-06-01", "until=2026-06-30")


class BackfillSite:
    """benchmarks.backfill_site in its own process, with its request counts and times."""

    def __init__(self, children: int, entries: int, every: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.backfill_site", "--children", str(children),
             "--entries", str(entries), "--every", str(every)],
            cwd=PROJECT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        info = json.loads(self.process.stdout.readline())
        self.base_url: str = info["base_url"]
        self.articles: int = info["articles"]

    def counts(self) -> dict[str, float]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


def crawl(site: BackfillSite, data_dir: Path) -> tuple[ChildRun, float]:
    """One backfill crawl; returns its measurements and its wall-clock start."""
    settings = {
        **FAST_SETTINGS,
        "NEWSBOT_SITE_URL": site.base_url,
        "NEWSBOT_FEEDS_URL": site.base_url + "/feeds",
        "NEWSBOT_DATA_DIR": str(data_dir),
        "NEWSBOT_PROGRESS_INTERVAL": "0",
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "dw", "-a", "lang=en"]
    for argument in WINDOW:
        command += ["-a", argument]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    started = time.time()
    return run_child(command, PROJECT_DIR, timeout=1800), started


def run(children: int = 20, entries: int = 50_000, every: int = 100) -> Section:
    """Run the backfill twice over one data directory and report both."""
    site = BackfillSite(children, entries, every)
    rows = []
    checks = []
    before = {"requests": 0.0, "sitemap_requests": 0.0, "article_requests": 0.0}
    try:
        with tempfile.TemporaryDirectory(prefix="newsbot-bench-backfill-") as tmp:
            for label in ("backfill", "rerun"):
                result, started = crawl(site, Path(tmp))
                if result.returncode != 0:
                    raise RuntimeError(f"{label} failed:\n{result.stderr[-3000:]}")
                total = site.counts()
                counts = {**total, **{key: total[key] - before[key] for key in before}}
                before = {key: total[key] for key in before}
                stats = scrapy_stats(result.stderr)
                first = counts["first_article"]
                rows.append((
                    label,
                    f"{counts['requests']:.0f}",
                    f"{counts['sitemap_requests']:.0f}",
                    f"{counts['article_requests']:.0f}",
                    f"{stats.get('newsbot/stored', 0):.0f}",
                    f"{first - started:.2f} s" if first else "none",
                    f"{first - counts['first_index']:.2f} s" if first else "none",
                    f"{stats.get('elapsed_time_seconds', result.seconds):.1f} s",
                    f"{result.peak_rss_mb:.0f} MB",
                ))
                wanted = site.articles if label == "backfill" else 0
                made = counts["article_requests"]
                checks.append(Check(f"{label}: article requests", f"{made:.0f}",
                                    f"= {wanted} (the window's, once)", made == wanted))
                checks.append(Check(f"{label}: peak RSS", f"{result.peak_rss_mb:.0f} MB",
                                    f"< {MAX_PEAK_RSS_MB:.0f} MB",
                                    result.peak_rss_mb < MAX_PEAK_RSS_MB))
    finally:
        site.close()
    return Section(
        title=(f"Backfill from a sitemap index ({children} x {entries:,} entries, "
               f"{site.articles:,} in the window, loopback)"),
        header=("run", "requests", "sitemaps", "article requests", "stored",
                "first article request (from start)", "(from index request)", "crawl time",
                "peak RSS"),
        rows=rows,
        checks=checks,
        notes=[
            "`scrapy crawl dw -a lang=en -a since=2026-06-01 -a until=2026-06-30`; every "
            f"{every}th entry is dated in June 2026, the others in 2025. Requests include "
            "robots.txt. Peak RSS is the crawl process's (wait4), extraction included; "
            "settings "
            + ", ".join(f"{k}={v}" for k, v in FAST_SETTINGS.items()) + ".",
            "The rerun uses the same data directory: it reads every sitemap again and "
            "requests no stored article (what a killed and restarted backfill does).",
        ],
    )
