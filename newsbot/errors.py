"""Errors that stop a newsbot run, and how a run reports that it stopped for one.

A run stops for three kinds of reasons the user must act on: an unusable argument or setting
(`SpiderArgumentError`), an archive that cannot be written or read (`StorageError`), and a
robots.txt that refuses the run's User-Agent (`newsbot.crawling.robots.RobotsRefused`). All three
carry a one-line message that says what is wrong and what to do. The crawl does not let them
escape as tracebacks: it logs the message once and closes the spider with a finish reason
from `FAILURE_REASONS`, which `scrapy crawl` (newsbot.crawling.commands.crawl) and the
scheduled entry point turn into a non-zero exit status.
"""

from __future__ import annotations

import logging
import weakref

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

# Finish reasons (stats `finish_reason`) of a run that stopped on a newsbot error.
BAD_ARGUMENTS = "newsbot_bad_arguments"
STORAGE_FAILED = "newsbot_storage_failed"
# robots.txt refuses the run's discovery requests for its User-Agent (newsbot.crawling.robots).
ROBOTS_REFUSED = "newsbot_robots_refused"
FAILURE_REASONS = frozenset({BAD_ARGUMENTS, STORAGE_FAILED, ROBOTS_REFUSED})

# Reasons already logged per crawl: a full disk fails every item in flight, the log says it once.
_LOGGED: weakref.WeakKeyDictionary[Crawler, set[str]] = weakref.WeakKeyDictionary()


class NewsbotError(Exception):
    """An error the user has to fix; `str(error)` is one line saying what and how."""


def run_failed(crawler: Crawler) -> bool:
    """True when the crawl closed because of a newsbot error (see FAILURE_REASONS)."""
    stats = getattr(crawler, "stats", None)
    return stats is not None and stats.get_value("finish_reason") in FAILURE_REASONS


def stop_crawl(crawler: Crawler, error: NewsbotError, reason: str) -> CloseSpider:
    """Log `error` (once per crawl and reason) and return the CloseSpider to raise.

    Raising the returned exception closes the spider where Scrapy honours CloseSpider (component
    `open_spider`, spider callbacks and middlewares, `start`). Where it does not (item
    pipelines' `process_item`), the close is also scheduled here, so the crawl stops either way.
    """
    logged = _LOGGED.setdefault(crawler, set())
    if reason not in logged:
        logged.add(reason)
        logger.error("%s; the crawl stops (finish reason %s)", error, reason)
        crawler.stats.inc_value(f"newsbot/errors/{reason}")
        engine = getattr(crawler, "engine", None)
        if engine is not None and engine.running and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=reason))
    return CloseSpider(reason)
