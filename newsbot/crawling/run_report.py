"""At the end of every crawl: one summary line in the log and a JSON run report on disk.

The report (`<NEWSBOT_DATA_DIR>/runs/<start UTC>.json`) is what a monitoring script or a human
reads the morning after: what was fetched, stored, skipped and why, HTTP errors by status, and
the health verdict with the exit code `python -m newsbot run` returns. It is an extension, so a
plain `scrapy crawl dw` writes it too.

The same file is first written when the crawl opens, with status `running`: a run killed by
SIGKILL, the OOM killer or a power cut, or one that cannot write its final report (a full
disk), leaves that start record, and `newsbot status` says the last run did not finish.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newsbot.crawling.health import Verdict, assess
from newsbot.errors import NOT_STARTED_REASONS
from newsbot.stats import (
    ARTICLES_FAILED,
    ARTICLES_MEDIA_ONLY,
    ARTICLES_REJECTED,
    ARTICLES_REQUESTED,
    ARTICLES_SKIPPED_SEEN_THIS_RUN,
    ARTICLES_SKIPPED_STORED,
    DISCOVERY,
    DISCOVERY_ARTICLE_LINKS,
    DISCOVERY_FAILED,
    DISCOVERY_PAGES,
    DISCOVERY_PAGES_WITHOUT_LINKS,
    DROPPED,
    EMPTY_DISCOVERY_URLS,
    FAILED_DISCOVERY_URLS,
    NEWS_OLDEST,
    RENDER_BROWSER_FAILED,
    RENDER_CLICKS,
    RENDER_FALLBACK,
    RENDER_LISTING_PAGES,
    RENDER_ROBOTS_BLOCKED,
    RENDER_SCROLLS,
    RUN_STATUS,
    RUN_WARNINGS,
    SITEMAPS_USED,
    STORED,
    UPDATED,
)
from newsbot.storage import DEFAULT_FILE_MODE, StorageError, dir_mode_for, ensure_dir, file_mode
from newsbot.storage.atomic import atomic_file

logger = logging.getLogger(__name__)

RUNS_SUBDIR = "runs"
REPORT_VERSION = 1
# The status of a start record: the run began and has not written its final report.
RUNNING_STATUS = "running"
# Stats keys (one per edition, an ISO time) of the oldest publication time that edition's news
# sitemap listed in this run: the evidence newsbot.crawling.gaps judges a gap by.


class RunReport:
    """Writes the run report and logs the one-line summary when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = datetime.now(UTC)
        self.path: Path | None = None
        self.report: dict[str, Any] | None = None
        self.editions: list[str] | None = None  # what the spider crawls, once it is open
        self.window: dict[str, str] | None = None  # a backfill's since and until

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunReport:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = datetime.now(UTC)
        languages = getattr(spider, "languages", None)
        self.editions = list(languages) if languages else None
        window = getattr(spider, "window", None)
        if window is not None:
            self.window = {"since": window.since.isoformat(), "until": window.until.isoformat()}
        if getattr(spider, "argument_error", None) is None:  # a refused run leaves no record
            self._record_start()

    def _record_start(self) -> None:
        """Write the start record (fsynced, atomic) before anything is crawled."""
        record = {
            "report_version": REPORT_VERSION,
            "status": RUNNING_STATUS,
            "exit_code": None,
            "message": "the run started and has not finished",
            "warnings": [],
            "started_at": self.started.isoformat(timespec="microseconds"),
            "finished_at": None,
            "pid": os.getpid(),
            "editions": self.editions,
            "window": self.window,
        }
        try:
            mode = file_mode(self.crawler.settings.get("NEWSBOT_FILE_MODE"))
            self.path = write_report(self._data_dir(), record, None, mode)
        except (OSError, StorageError) as exc:  # the storage pipeline stops the run on it
            logger.error(
                "Cannot record the start of this run under %s: %s (if the run dies, "
                "`newsbot status` will not know)", self._data_dir(), exc,
            )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason in NOT_STARTED_REASONS:
            # It never ran (another run holds the lock): no report, status unchanged.
            if self.path is not None:
                self.path.unlink(missing_ok=True)
            return
        if self.window is None and self.editions:
            self._warn_coverage_gaps()
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
        verdict = assess(stats, self.crawler.settings)
        self.crawler.stats.set_value(RUN_STATUS, verdict.status)
        try:
            self.write(verdict, stats)
        except (OSError, StorageError) as exc:  # the summary line still gets logged
            logger.error("Cannot write the run report under %s: %s", self._data_dir(), exc)
        log_summary(self.report or {}, self.path)

    def write(self, verdict: Verdict, stats: Mapping[str, Any] | None = None) -> Path:
        """(Re)write this run's report with `verdict`; the entry point uses it to override."""
        stats = stats if stats is not None else self.crawler.stats.get_stats()
        self.report = build_report(
            stats, self.started, datetime.now(UTC), verdict, self.editions, self.window
        )
        mode = file_mode(self.crawler.settings.get("NEWSBOT_FILE_MODE"))
        self.path = write_report(self._data_dir(), self.report, self.path, mode)
        return self.path

    def _data_dir(self) -> str:
        return str(self.crawler.settings.get("NEWSBOT_DATA_DIR"))

    def _warn_coverage_gaps(self) -> None:
        """Warn (log and run report) of the gaps behind this regular run, by the evidence of its
        news sitemaps, else by the clock (newsbot.crawling.gaps)."""
        from newsbot.crawling.gaps import gaps_before_run, read_history

        assert self.editions is not None
        settings, stats = self.crawler.settings, self.crawler.stats
        window = timedelta(hours=settings.getfloat("NEWSBOT_NEWS_WINDOW_HOURS", 48))
        oldest = {
            key[len(NEWS_OLDEST) :]: datetime.fromisoformat(value)
            for key, value in stats.get_stats().items()
            if key.startswith(NEWS_OLDEST) and isinstance(value, str)
        }
        # Newest reports first, back to the last success only: a year of cron runs is 17,520.
        history = read_history(self._data_dir(), since=self.started)
        for gap in gaps_before_run(history, window, self.started, self.editions, oldest):
            if all(edition in oldest for edition in gap.editions):
                why = "the news sitemap's oldest entry is newer than that run's start"
            else:
                why = f"more than NEWSBOT_NEWS_WINDOW_HOURS={window / timedelta(hours=1):g} h"
            message = (
                f"Coverage gap: no successful run of {','.join(gap.editions)} since "
                f"{gap.start.isoformat(timespec='minutes')} ({gap.hours:.0f} h), and {why}: "
                "the news sitemaps no longer list what was published in between. "
                f"Close the gap with: {gap.backfill_command()}"
            )
            logger.warning(message)
            stats.set_value(RUN_WARNINGS, [*stats.get_value(RUN_WARNINGS, []), message])


def build_report(
    stats: Mapping[str, Any],
    started: datetime,
    finished: datetime,
    verdict: Verdict,
    editions: list[str] | None = None,
    window: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The run report as a JSON-ready dict (its layout is documented in README)."""

    def count(key: str) -> int:
        return int(stats.get(key, 0))

    statuses = _suffixed(stats, "downloader/response_status_count/")
    return {
        "report_version": REPORT_VERSION,
        "status": verdict.status,
        "exit_code": int(verdict.code),
        "message": verdict.message,
        "warnings": verdict.warnings,
        "started_at": started.isoformat(timespec="microseconds"),
        "finished_at": finished.isoformat(timespec="microseconds"),
        "duration_seconds": round((finished - started).total_seconds(), 3),
        "finish_reason": stats.get("finish_reason"),
        "editions": editions,
        "window": window,
        "news_sitemap_oldest": {
            key[len(NEWS_OLDEST) :]: value
            for key, value in sorted(stats.items())
            if key.startswith(NEWS_OLDEST)
        },
        "listing": {
            "pages_fetched": count(DISCOVERY_PAGES),
            "pages_failed": count(DISCOVERY_FAILED),
            "pages_without_links": count(DISCOVERY_PAGES_WITHOUT_LINKS),
            "article_links": count(DISCOVERY_ARTICLE_LINKS),
            "failed_urls": list(stats.get(FAILED_DISCOVERY_URLS, [])),
            "empty_urls": list(stats.get(EMPTY_DISCOVERY_URLS, [])),
        },
        "articles": {
            "requested": count(ARTICLES_REQUESTED),
            "skipped_stored": count(ARTICLES_SKIPPED_STORED),
            "skipped_seen_this_run": count(ARTICLES_SKIPPED_SEEN_THIS_RUN),
            "failed": count(ARTICLES_FAILED),
            "media_only": count(ARTICLES_MEDIA_ONLY),
            "rejected": _suffixed(stats, ARTICLES_REJECTED),
            "stored": count(STORED),
            "updated": count(UPDATED),
            "dropped": _suffixed(stats, DROPPED),
        },
        "http": {
            "requests": count("downloader/request_count"),
            "responses": count("downloader/response_count"),
            "retries": count("retry/count"),
            "responses_by_status": statuses,
            "errors_by_status": {code: n for code, n in statuses.items() if int(code) >= 400},
            "network_errors": {
                short: n
                for name, n in _suffixed(stats, "downloader/exception_type_count/").items()
                # A request refused (robots.txt, a stop) never reached the network.
                if (short := name.rsplit(".", 1)[-1]) != "IgnoreRequest"
            },
        },
        "rendering": {
            "listing_pages": count(RENDER_LISTING_PAGES),
            "clicks": count(RENDER_CLICKS),
            "scrolls": count(RENDER_SCROLLS),
            "fallbacks": count(RENDER_FALLBACK),
            "browser_failed": count(RENDER_BROWSER_FAILED),
            "robots_blocked": count(RENDER_ROBOTS_BLOCKED),
        },
        "discovery": _suffixed(stats, DISCOVERY),
        # The sitemaps read, each with its edition, kind and source ("index" or "pattern").
        "sitemaps": list(stats.get(SITEMAPS_USED, [])),
        "log": {"errors": count("log_count/ERROR"), "warnings": count("log_count/WARNING")},
    }


def write_report(
    data_dir: str | Path,
    report: Mapping[str, Any],
    path: Path | None = None,
    mode: int = DEFAULT_FILE_MODE,
) -> Path:
    """Write `report` atomically to `path`, or to a new runs/<started_at>.json; return the path."""
    if path is None:
        directory = ensure_dir(Path(data_dir) / RUNS_SUBDIR, dir_mode_for(mode))
        # Microseconds: runs started within one second still get names that sort by start.
        stem = datetime.fromisoformat(report["started_at"]).strftime("%Y-%m-%dT%H-%M-%S.%fZ")
        path = directory / f"{stem}.json"
        suffix = 1
        while path.exists():  # two runs in one microsecond: keep both reports
            path = directory / f"{stem}-{suffix}.json"
            suffix += 1
    data = (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    with atomic_file(path, mode) as handle:
        handle.write(data)
    return path


def log_summary(report: Mapping[str, Any], path: Path | None) -> None:
    """One line a person can grep for (`Run summary:`); ERROR level when the run is unhealthy."""
    listing, articles, http = report["listing"], report["articles"], report["http"]
    errors = ",".join(f"{code}x{n}" for code, n in http["errors_by_status"].items()) or "none"
    dropped = ",".join(f"{reason}x{n}" for reason, n in articles["dropped"].items()) or "none"
    network = ",".join(f"{name}x{n}" for name, n in http["network_errors"].items()) or "none"
    line = (
        f"Run summary: status={report['status']} exit={report['exit_code']} "
        f"listing_pages={listing['pages_fetched']} (failed {listing['pages_failed']}, "
        f"without links {listing['pages_without_links']}) "
        f"article_links={listing['article_links']} requested={articles['requested']} "
        f"skipped_stored={articles['skipped_stored']} stored={articles['stored']} "
        f"updated={articles['updated']} failed={articles['failed']} dropped={dropped} "
        f"http_errors={errors} network_errors={network} "
        f"duration={report['duration_seconds']:.1f}s report={path}"
    )
    if report["exit_code"]:
        logger.error("%s -- %s", line, report["message"])
    else:
        logger.info(line)
    for warning in report["warnings"]:
        logger.warning("Run warning: %s", warning)


def _suffixed(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """{suffix: count} for every stat key starting with `prefix`, sorted by suffix."""
    return {
        key[len(prefix) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int)
    }
