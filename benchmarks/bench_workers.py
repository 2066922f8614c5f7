"""What the extraction workers and the garbage-collector tuning buy a crawl (issue 18).

    .venv/bin/python -m benchmarks.bench_workers [polite|fast ...]

Runs `scrapy crawl dw` against the loopback fake site (benchmarks.site_server, realistic
60-160 KB pages) in four configurations, NEWSBOT_EXTRACTION_WORKERS 0 or auto crossed with the
GcTuning extension on or off, under two sets of settings:

- polite: the project's own settings (robots.txt, AutoThrottle, 0.5 s delay), what a scheduled
  run against dw.com does; 60 articles behind 2 topic pages, one round;
- fast: a backfill of a site that would allow it (no AutoThrottle, no delay, 32 concurrent
  requests, benchmarks.bench_crawl.FAST_SETTINGS); 2,000 articles behind 20 topic pages, two
  rounds.

It prints articles per second (Scrapy's elapsed_time_seconds), crawl time and peak RSS (the crawl
process's from wait4 plus its workers' VmHWM, recorded in the stats). Kept only until the workers
and the tuning are gone: benchmarks/DECISIONS.md holds its figures and the commit that had it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_crawl import FAST_SETTINGS, SiteProcess, newsbot_crawl, stored_lines

NO_GC_TUNING = {"EXTENSIONS": json.dumps({"newsbot.extensions.gc_tuning.GcTuning": None})}
CONFIGS: tuple[tuple[str, dict[str, str]], ...] = (
    ("workers 0, GC default", {"NEWSBOT_EXTRACTION_WORKERS": "0", **NO_GC_TUNING}),
    ("workers 0, GC tuned", {"NEWSBOT_EXTRACTION_WORKERS": "0"}),
    ("workers auto, GC default", {"NEWSBOT_EXTRACTION_WORKERS": "auto", **NO_GC_TUNING}),
    ("workers auto, GC tuned", {"NEWSBOT_EXTRACTION_WORKERS": "auto"}),
)
# mode: (articles, topic pages, settings over the project's, rounds)
MODES: dict[str, tuple[int, int, dict[str, str], int]] = {
    "polite": (60, 2, {"LOG_LEVEL": "INFO"}, 1),
    "fast": (2000, 20, FAST_SETTINGS, 2),
}


def measure(mode: str) -> None:
    """Crawl the site in every configuration, `rounds` times each, and print one line a crawl."""
    articles, topics, base, rounds = MODES[mode]
    site = SiteProcess(articles, topics, "real")
    try:
        with tempfile.TemporaryDirectory(prefix="newsbot-workers-") as tmp:
            for round_ in range(1, rounds + 1):
                for label, settings in CONFIGS:
                    data_dir = Path(tmp) / f"{label}-{round_}".replace(" ", "").replace(",", "-")
                    crawl = newsbot_crawl(label, site, data_dir, settings, base)
                    print(
                        f"{mode} round {round_} | {label} | stored {stored_lines(data_dir)}"
                        f" | {crawl.rate(articles):.1f} articles/s | {crawl.elapsed:.1f} s"
                        f" | peak RSS {crawl.rss_text()} | {crawl.workers_text()}",
                        flush=True,
                    )
    finally:
        site.close()


if __name__ == "__main__":
    for name in sys.argv[1:] or list(MODES):
        measure(name)
