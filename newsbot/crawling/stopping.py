"""Prompt stops: a SIGTERM or Ctrl-C ends the run within seconds, whatever DOWNLOAD_DELAY is.

Scrapy's graceful stop closes the spider only once every request the downloader holds has been
downloaded, and with a download delay the downloader holds a queue per host: at DOWNLOAD_DELAY=3
a queue of eight articles alone is 24 s of waiting before the run stops. `PromptStop` watches for
the stop (the engine no longer running while its spider is still open) and drops the requests
still waiting in the download queues: they fail with an IgnoreRequest that `stopped_request`
recognises; they are counted (`newsbot/stop/dropped_requests`), the spider does not call them
failures, and since nothing of them was stored, the next run discovers them again. A retry
waiting for its Retry-After (newsbot.crawling.retry_after) gives up the same way. Downloads
already under way finish, and what was stored stays stored.
"""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import LoopingCall, deferLater
from twisted.python.failure import Failure

from newsbot.stats import STOP_DROPPED_REQUESTS

logger = logging.getLogger(__name__)

# The message of the IgnoreRequest a dropped request fails with.
_DROPPED = "Dropped: the run is stopping"
# Seconds between two looks at the engine: well within the 10 s a stop may take.
CHECK_INTERVAL = 0.2


def stopped_request(failure: Failure) -> bool:
    """True when a request failed because the run was stopping (see PromptStop)."""
    return bool(failure.check(IgnoreRequest)) and str(failure.value).startswith(_DROPPED)


def stopping(crawler: Crawler) -> bool:
    """True once the run has been asked to stop while its spider is still open."""
    engine = crawler.engine
    return engine is not None and not engine.running and engine.spider is not None


def dropped(request: Request) -> IgnoreRequest:
    """The error a request dropped because the run is stopping fails with."""
    return IgnoreRequest(f"{_DROPPED}: {request.url}")


async def wait_unless_stopping(crawler: Crawler, seconds: float) -> bool:
    """Wait `seconds` (without blocking the crawl); False as soon as the run is stopping."""
    from twisted.internet import reactor  # the one the crawl installed; never at import time

    remaining = seconds
    while remaining > 0:
        if stopping(crawler):
            return False
        step = min(CHECK_INTERVAL, remaining)
        await maybe_deferred_to_future(deferLater(reactor, step, lambda: None))
        remaining -= step
    return not stopping(crawler)


class PromptStop:
    """Extension: when the run is asked to stop, drop the requests waiting for a download slot."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.dropped = 0
        self._watch = LoopingCall(self._check)
        crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PromptStop:
        return cls(crawler)

    def _spider_opened(self, spider: Spider) -> None:
        self._watch.start(CHECK_INTERVAL, now=False)

    def _spider_closed(self, spider: Spider) -> None:
        if self._watch.running:
            self._watch.stop()

    def _check(self) -> None:
        # The engine stops `running` when a stop is asked for (signal, crawler.stop()), while
        # the spider stays open until the requests in flight are done.
        if not stopping(self.crawler):
            return
        assert self.crawler.engine is not None
        count = 0
        for slot in self.crawler.engine.downloader.slots.values():
            while slot.queue:
                request, waiting = slot.queue.popleft()
                count += 1
                waiting.errback(Failure(dropped(request)))
        if count:
            self.dropped += count
            self.crawler.stats.inc_value(STOP_DROPPED_REQUESTS, count)
            logger.info(
                "Stopping: %d queued request(s) dropped (the next run finds them again)", count
            )
