"""Progress of a long crawl: a periodic log line with article counts, and a bar on a terminal.

Scrapy's LogStats says pages and items per minute; this adds what a newsbot operator asks
("how many articles are done of how many requested, how many failed") every
NEWSBOT_PROGRESS_INTERVAL seconds. When stderr is a terminal (and NEWSBOT_PROGRESS_BAR is on)
a one-line bar is redrawn in place as well; it is erased before any log line is printed, so the
two never garble each other. Under cron stderr is a file, so only the log lines appear.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from newsbot.crawling.health import article_failures
from newsbot.stats import (
    ARTICLES_REQUESTED,
    ARTICLES_SKIPPED_STORED,
    DISCOVERY_FAILED,
    DISCOVERY_PAGES,
    DROPPED,
    DROPPED_MISSING,
    STORED,
)

logger = logging.getLogger(__name__)

BAR_REFRESH_SECONDS = 0.5
BAR_WIDTH = 24


def progress_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """The numbers both the log line and the bar show."""
    failed = article_failures(stats)
    stored = stats.get(STORED, 0)
    dropped = sum(
        v for k, v in stats.items()
        if k.startswith(DROPPED) and not k.startswith(DROPPED_MISSING)
    )
    return {
        "listing": stats.get(DISCOVERY_PAGES, 0) + stats.get(DISCOVERY_FAILED, 0),
        "requested": stats.get(ARTICLES_REQUESTED, 0),
        "skipped": stats.get(ARTICLES_SKIPPED_STORED, 0),
        "stored": stored,
        "failed": failed,
        "done": stored + dropped + failed,
    }


def render_bar(counts: Mapping[str, int], rate: float) -> str:
    """`[#######.......] 12/40 articles | stored 11 | failed 1 | discovery 3 | 5.2/min`."""
    total = counts["requested"]
    filled = BAR_WIDTH * counts["done"] // total if total else 0
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts['done']}/{total} articles"
        f" | stored {counts['stored']} | failed {counts['failed']}"
        f" | skipped {counts['skipped']} | discovery {counts['listing']}"
        f" | {rate:.1f}/min"
    )


class _TerminalBar(logging.Filter):
    """The bar on a terminal; as a filter on the log handlers it erases itself before a record."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self.visible = False

    def draw(self, text: str) -> None:
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self.visible = True

    def erase(self) -> None:
        if self.visible:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.visible = False

    def filter(self, record: logging.LogRecord) -> bool:
        self.erase()
        return True


class Progress:
    """Logs progress every NEWSBOT_PROGRESS_INTERVAL seconds and draws the terminal bar."""

    def __init__(self, crawler: Crawler, interval: float, bar_stream: TextIO | None) -> None:
        self.crawler = crawler
        self.interval = interval
        self.bar = _TerminalBar(bar_stream) if bar_stream is not None else None
        self.started = time.monotonic()
        self._tasks: list[Any] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("NEWSBOT_PROGRESS_INTERVAL", 60.0)
        stream = sys.stderr
        wants_bar = crawler.settings.getbool("NEWSBOT_PROGRESS_BAR", True)
        bar_stream = stream if wants_bar and stream.isatty() else None
        if interval <= 0 and bar_stream is None:
            raise NotConfigured("NEWSBOT_PROGRESS_INTERVAL is 0 and stderr is no terminal")
        extension = cls(crawler, interval, bar_stream)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        if self.interval > 0:
            self._start(self.log_progress, self.interval)
        if self.bar is not None:
            for handler in logging.getLogger().handlers:
                handler.addFilter(self.bar)
            self._start(self.draw_bar, BAR_REFRESH_SECONDS)

    def _start(self, function: Any, interval: float) -> None:
        task = create_looping_call(function)
        task.start(interval, now=False)
        self._tasks.append(task)

    def rate(self, done: int) -> float:
        """Articles finished per minute since the spider opened."""
        minutes = (time.monotonic() - self.started) / 60
        return done / minutes if minutes > 0 else 0.0

    def log_progress(self) -> None:
        counts = progress_counts(self.crawler.stats.get_stats())
        logger.info(
            "Progress: discovery pages %d, articles %d/%d done (stored %d, failed %d), "
            "%d skipped as stored, %.1f articles/min",
            counts["listing"], counts["done"], counts["requested"],
            counts["stored"], counts["failed"], counts["skipped"], self.rate(counts["done"]),
        )

    def draw_bar(self) -> None:
        assert self.bar is not None
        counts = progress_counts(self.crawler.stats.get_stats())
        self.bar.draw(render_bar(counts, self.rate(counts["done"])))

    def spider_closed(self, spider: Spider) -> None:
        for task in self._tasks:
            if task.running:
                task.stop()
        if self.bar is not None:
            self.draw_bar()  # the final state stays on screen, above the run summary
            self.bar.stream.write("\n")
            self.bar.visible = False
            for handler in logging.getLogger().handlers:
                handler.removeFilter(self.bar)
