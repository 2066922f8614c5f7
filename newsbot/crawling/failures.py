"""Why a request failed, read once for every errback of the spider: `FailedRequest.of`.

A failure is one of: dropped because the run is stopping (nothing to say), refused by
robots.txt for our User-Agent (the run stops), refused because its host's robots.txt failed
(logged once per host by RobotsFailurePolicy), or a real failure, which may be a network error
(the host could not be reached: the offline verdict counts those). Its `reason` is what the log
line says, never empty: an error without a message is named by its class (Scrapy's
ResponseDataLossError for a page cut short has none).
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from newsbot.crawling.robots import (
    RobotsRefused,
    refusal,
    refused_by_robots,
    robots_unavailable,
    robots_unreachable,
)
from newsbot.crawling.stopping import stopped_request
from newsbot.errors import describe_failure, is_network_error
from newsbot.stats import UNREACHABLE_ERROR, UNREACHABLE_URLS

# Stats keys: the failed discovery pages whose host could not be reached (a list of URLs), and
# the first such error, for the verdict's message (newsbot.crawling.health).


@dataclass(frozen=True)
class FailedRequest:
    """A failed request, classified."""

    url: str
    reason: str  # for the log line; never empty
    dropped: bool  # dropped by a stop (newsbot.crawling.stopping): neither failed nor logged
    refused: RobotsRefused | None  # robots.txt refuses our User-Agent: the run stops
    robots_failed: bool  # its host's robots.txt failed: already logged, for the host
    unreachable: bool  # its host could not be reached (network error, robots.txt unreachable)

    @classmethod
    def of(cls, crawler: Crawler, failure: Failure) -> FailedRequest:
        url = failure.request.url
        unavailable = robots_unavailable(crawler, url)
        by_robots = refused_by_robots(failure)
        return cls(
            url=url,
            reason=f"robots.txt {unavailable}" if unavailable else describe_failure(failure),
            dropped=stopped_request(failure),
            refused=refusal(crawler, url) if by_robots and unavailable is None else None,
            robots_failed=by_robots and unavailable is not None,
            unreachable=is_network_error(failure) or robots_unreachable(crawler, url),
        )

    def record_unreachable(self, stats: StatsCollector, pages: list[str]) -> None:
        """Count failed discovery pages whose host could not be reached (the offline verdict)."""
        if not self.unreachable:
            return
        stats.set_value(UNREACHABLE_URLS, [*stats.get_value(UNREACHABLE_URLS, []), *pages])
        if stats.get_value(UNREACHABLE_ERROR) is None:
            stats.set_value(UNREACHABLE_ERROR, self.reason)
