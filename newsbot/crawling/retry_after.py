"""Retries that honour `Retry-After`, as a polite client of a public broadcaster should.

Scrapy's RetryMiddleware retries a 429 or 503 at once. DW (or a CDN in front of it) that says
"Retry-After: 30" means it: this middleware waits that long before the retry, without blocking
other requests, and gives up on the page for this run when the wait is longer than
NEWSBOT_RETRY_AFTER_MAX (the next scheduled run tries it again), or when the run is asked to
stop while it waits.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from newsbot.crawling.stopping import dropped, wait_unless_stopping
from newsbot.stats import RETRY_AFTER_GAVE_UP, RETRY_AFTER_WAITS

logger = logging.getLogger(__name__)

# Statuses whose Retry-After header asks the client to come back later (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a Retry-After value (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that first waits as long as a 429/503 response's Retry-After asks."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWSBOT_RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if (
            response.status in RETRY_AFTER_STATUSES
            and response.status in self.retry_http_codes
            and not request.meta.get("dont_retry", False)
        ):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None and wait > self.max_wait:
                self.crawler.stats.inc_value(RETRY_AFTER_GAVE_UP)
                logger.warning(
                    "%s answered %d with Retry-After %.0f s, more than NEWSBOT_RETRY_AFTER_MAX"
                    " (%.0f s): not retried in this run",
                    request.url, response.status, wait, self.max_wait,
                )
                return response
            if wait:
                self.crawler.stats.inc_value(RETRY_AFTER_WAITS)
                logger.info("%s: waiting %.1f s (Retry-After) before retrying", request.url, wait)
                if not await wait_unless_stopping(self.crawler, wait):
                    raise dropped(request)  # the run is stopping: the next run tries again
        return super().process_response(request, response)
