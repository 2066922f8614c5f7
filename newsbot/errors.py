"""Errors that stop a newsbot run, and how a run reports that it stopped for one.

A run stops for four kinds of reasons the user must act on: an unusable argument or setting
(`SpiderArgumentError`), an archive that cannot be written or read (`StorageError`), a
robots.txt that refuses the run's User-Agent (`newsbot.crawling.robots.RobotsRefused`), and
another crawl holding the data directory's lock (`newsbot.storage.lock.AlreadyRunning`). All
carry a one-line message that says what is wrong and what to do. Bad arguments and settings are
refused before the crawl starts (newsbot.crawling.preflight); the others happen inside it,
and the crawl does not let them escape as tracebacks: it logs the message once, keeps it for
the verdict (the last line of a failed run repeats it), and closes the spider with a finish
reason from `FAILURE_REASONS`, which `scrapy crawl` (newsbot.crawling.commands.crawl) and the
scheduled entry point turn into a non-zero exit status.
"""

from __future__ import annotations

import logging
import weakref

from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from newsbot.stats import ERROR_MESSAGE, ERRORS

logger = logging.getLogger(__name__)

# Finish reasons (stats `finish_reason`) of a run that stopped on a newsbot error.
BAD_ARGUMENTS = "newsbot_bad_arguments"
STORAGE_FAILED = "newsbot_storage_failed"
# robots.txt refuses the run's discovery requests for its User-Agent (newsbot.crawling.robots).
ROBOTS_REFUSED = "newsbot_robots_refused"
# Another crawl holds the data directory's run lock (newsbot.storage.lock): nothing was done.
ALREADY_RUNNING = "newsbot_already_running"
FAILURE_REASONS = frozenset({BAD_ARGUMENTS, STORAGE_FAILED, ROBOTS_REFUSED, ALREADY_RUNNING})
# Runs that did not start at all: they write no run report, so `newsbot status` never sees them.
NOT_STARTED_REASONS = frozenset({ALREADY_RUNNING})
# Stats key of the message of the error that stopped the run (the verdict and last line repeat it).

# Failures that mean "the host could not be reached": no DNS answer, connection refused or
# reset before an answer, timeout. Offline, every request of a run fails with one of these.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    twisted_errors.DNSLookupError,
    twisted_errors.ConnectError,
    twisted_errors.TimeoutError,
)

# Reasons already logged per crawl: a full disk fails every item in flight, the log says it once.
_LOGGED: weakref.WeakKeyDictionary[Crawler, set[str]] = weakref.WeakKeyDictionary()


class NewsbotError(Exception):
    """An error the user has to fix; `str(error)` is one line saying what and how."""


def run_failed(crawler: Crawler) -> bool:
    """True when the crawl closed because of a newsbot error (see FAILURE_REASONS)."""
    stats = getattr(crawler, "stats", None)
    return stats is not None and stats.get_value("finish_reason") in FAILURE_REASONS


def error_message(crawler: Crawler) -> str | None:
    """The message of the newsbot error that stopped the crawl, if one did."""
    stats = getattr(crawler, "stats", None)
    return None if stats is None else stats.get_value(ERROR_MESSAGE)


def is_network_error(failure: Failure) -> bool:
    """True when a request failed because the host could not be reached (DNS, refused, timeout)."""
    return bool(failure.check(*NETWORK_ERRORS))


def describe_failure(failure: Failure) -> str:
    """A failed request's reason in words: its message, else its class name.

    Some errors carry no message at all (Scrapy's ResponseDataLossError for a page cut short):
    a log line must still say what went wrong.
    """
    return failure.getErrorMessage() or failure.type.__name__


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
        crawler.stats.inc_value(f"{ERRORS}{reason}")
        if crawler.stats.get_value(ERROR_MESSAGE) is None:
            crawler.stats.set_value(ERROR_MESSAGE, str(error))
        engine = getattr(crawler, "engine", None)
        if engine is not None and engine.running and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=reason))
    return CloseSpider(reason)
