"""Crawl throughput and the cost of a run with nothing new, against a loopback fake DW site.

1. the full newsbot crawl (`scrapy crawl dw`, middlewares and pipelines included, a fresh data
   directory) and a bare Scrapy spider that only downloads the same URLs, both against the same
   server process, politeness delays off: articles per second and each child's peak RSS;
2. a second newsbot run over the same site and data directory: requests and wall time (every
   article is stored, so no article may be requested).
Rates use Scrapy's own `elapsed_time_seconds` (engine start to finish), so interpreter start-up
is not counted; wall times are printed beside them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import PROJECT_DIR, ChildRun, fmt_ratio, run_child
from benchmarks.report import Check, Section
from newsbot import settings as newsbot_settings

FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "COOKIES_ENABLED": "0",
    "LOG_LEVEL": "INFO",
}
MIN_BARE_SHARE = 0.60
# Page weights of the crawl site (see benchmarks/corpus.py), as the report names them.
WEIGHTS = {"light": "light (~10 KB)", "realistic": "realistic (60-160 KB)"}
MAX_PEAK_RSS_MB = 300.0
_STAT = re.compile(r"'([^']+)': (\d+(?:\.\d+)?)")


@dataclass
class Crawl:
    """One crawl child: its measurements and the Scrapy stats it dumped."""

    label: str
    run: ChildRun
    stats: dict[str, float]
    article_requests: int
    server_cpu: float

    @property
    def elapsed(self) -> float:
        return self.stats.get("elapsed_time_seconds", self.run.seconds)

    def rate(self, articles: int) -> float:
        return articles / self.elapsed

    @property
    def peak_rss_mb(self) -> float:
        """The crawl's peak RSS: newsbot is one process, so wait4's figure is all of it."""
        return self.run.peak_rss_mb


def scrapy_stats(stderr: str) -> dict[str, float]:
    """The numeric entries of the 'Dumping Scrapy stats' block at the end of a crawl log."""
    _, _, dump = stderr.rpartition("Dumping Scrapy stats:")
    return {name: float(value) for name, value in _STAT.findall(dump.split("}", 1)[0])}


class SiteProcess:
    """The fake site in its own process (benchmarks.site_server), with its request counts."""

    def __init__(self, articles: int, topics: int, weight: str = "real") -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.site_server",
                "--articles",
                str(articles),
                "--topics",
                str(topics),
                "--weight",
                weight,
            ],
            cwd=PROJECT_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        info = json.loads(self.process.stdout.readline())
        self.topics: list[str] = info["topics"]
        self.articles: list[str] = info["articles"]

    def counts(self) -> dict[str, int]:
        """Requests served so far, all and article pages."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system, from /proc)."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _settings_args(extra: dict[str, str] | None = None) -> list[str]:
    args: list[str] = []
    for name, value in {**FAST_SETTINGS, **(extra or {})}.items():
        args += ["-s", f"{name}={value}"]
    return args


def _crawl(
    label: str, site: SiteProcess, command: list[str], cwd: Path, env: dict[str, str]
) -> Crawl:
    before, cpu_before = site.counts(), site.cpu_seconds()
    run = run_child(command, cwd=cwd, env=env)
    after, cpu_after = site.counts(), site.cpu_seconds()
    if run.returncode != 0:
        raise RuntimeError(f"{label} crawl failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return Crawl(
        label,
        run,
        scrapy_stats(run.stderr),
        after["article_requests"] - before["article_requests"],
        cpu_after - cpu_before,
    )


def newsbot_crawl(label: str, site: SiteProcess, data_dir: Path) -> Crawl:
    """`scrapy crawl dw` over the site's topic pages, as a user runs it (project settings)."""
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "dw",
        "-a",
        "start_urls=" + ",".join(site.topics),
        *_settings_args({"NEWSBOT_DATA_DIR": str(data_dir)}),
    ]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    return _crawl(label, site, command, PROJECT_DIR, env)


def bare_crawl(site: SiteProcess, workdir: Path) -> Crawl:
    """The bare spider over the same topic and article URLs, outside the project.

    It gets the benchmark's settings and newsbot's CONCURRENT_ITEMS, nothing else of newsbot.
    """
    urls_file = workdir / "urls.txt"
    urls_file.write_text("\n".join(site.topics + site.articles) + "\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(PROJECT_DIR / "benchmarks" / "bare_spider.py"),
        "-a",
        f"urls_file={urls_file}",
        *_settings_args({"CONCURRENT_ITEMS": str(newsbot_settings.CONCURRENT_ITEMS)}),
    ]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    return _crawl("bare", site, command, workdir, env)


def _stored_lines(data_dir: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in (data_dir / "dw").glob("*.jsonl"))


def run(
    articles: int = 2000, topics: int = 20, rounds: int = 1, weight: str = "light"
) -> list[Section]:
    """Crawl the site `rounds` times each way (best rate kept), then once more incrementally."""
    site = SiteProcess(articles, topics, "light" if weight == "light" else "real")
    pages = WEIGHTS[weight]
    try:
        with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
            workdir = Path(tmp)
            bare_runs, full_runs = [], []
            for index in range(rounds):
                bare_runs.append(bare_crawl(site, workdir))
                data_dir = workdir / f"data-{index}"
                full_runs.append(newsbot_crawl("newsbot", site, data_dir))
                stored = _stored_lines(data_dir)
                if stored != articles:
                    raise RuntimeError(f"newsbot stored {stored} of {articles} articles")
            again = newsbot_crawl("newsbot, second run", site, data_dir)
            stored_after = _stored_lines(data_dir)
    finally:
        site.close()
    bare = max(bare_runs, key=lambda c: c.rate(articles))
    full = max(full_runs, key=lambda c: c.rate(articles))
    share = full.rate(articles) / bare.rate(articles)
    peak = max(c.peak_rss_mb for c in full_runs)

    throughput = Section(
        f"Crawl throughput ({articles} {pages} articles behind {topics} topic pages, loopback)",
        ("crawl", "articles/s", "crawl time", "wall time", "requests", "peak RSS", "server CPU"),
    )
    for crawl in (full, bare):
        throughput.rows.append(
            (
                crawl.label,
                f"{crawl.rate(articles):.0f}",
                f"{crawl.elapsed:.2f} s",
                f"{crawl.run.seconds:.2f} s",
                f"{crawl.stats.get('downloader/request_count', 0):.0f}",
                f"{crawl.peak_rss_mb:.0f} MB",
                f"{crawl.server_cpu:.2f} s",
            )
        )
    throughput.checks += [
        Check(
            "newsbot/bare rate",
            fmt_ratio(share),
            f">= {MIN_BARE_SHARE:g}x",
            share >= MIN_BARE_SHARE,
        ),
        Check(
            "newsbot peak RSS (largest round)",
            f"{peak:.0f} MB",
            f"< {MAX_PEAK_RSS_MB:g} MB",
            peak < MAX_PEAK_RSS_MB,
        ),
    ]
    throughput.notes.append(
        f"Best of {rounds} round(s) each; settings "
        + ", ".join(f"{k}={v}" for k, v in FAST_SETTINGS.items())
        + f"; the site serves {pages} pages (benchmarks/corpus.py), pre-rendered and served"
        " by a minimal keep-alive HTTP/1.1 responder in its own process on the same cores"
        " (benchmarks/site_server.py; its CPU is the server CPU column). newsbot extracts in"
        " its crawl process (benchmarks/DECISIONS.md says why)."
    )

    incremental = Section(
        f"Incremental run ({pages} pages, same site, same data directory)",
        (
            "run",
            "requests",
            "article requests",
            "items stored",
            "crawl time",
            "wall time",
            "peak RSS",
        ),
    )
    for crawl in (full, again):
        incremental.rows.append(
            (
                crawl.label,
                f"{crawl.stats.get('downloader/request_count', 0):.0f}",
                str(crawl.article_requests),
                f"{crawl.stats.get('newsbot/stored', 0):.0f}",
                f"{crawl.elapsed:.2f} s",
                f"{crawl.run.seconds:.2f} s",
                f"{crawl.peak_rss_mb:.0f} MB",
            )
        )
    incremental.checks.append(
        Check(
            "article requests on a run with nothing new",
            str(again.article_requests),
            "0",
            again.article_requests == 0 and stored_after == articles,
        )
    )
    return [throughput, incremental]


if __name__ == "__main__":
    for section in run():
        print(section.text())
