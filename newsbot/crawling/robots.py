"""robots.txt beyond Scrapy's RobotsTxtMiddleware: refusals that stop a run, Crawl-delay, and
the requests Chromium makes while it renders a page.

Scrapy's middleware fetches each host's robots.txt and drops the requests it disallows, but it
neither honours `Crawl-delay` nor sees what a browser fetches by itself (scripts, XHR/fetch).
`CrawlDelay` applies a host's Crawl-delay to its download slot; `BrowserRobotsGuard` is the
predicate scrapy-playwright asks before each browser request and aborts disallowed ones with
the same parsed robots.txt. `refused_by_robots` tells the spider that a discovery request was
refused, which stops the run (newsbot.errors.ROBOTS_REFUSED).

Scrapy also treats a robots.txt that answers 5xx, or cannot be fetched at all, as "allow
everything". RFC 9309 (2.3.1.3, 2.3.1.4) says the opposite: assume complete disallow.
`RobotsFailurePolicy` does that for the run, names the host in one log line, and records it
(`robots_unavailable`), so that the spider and the run's verdict can tell "unavailable" from
"refused"; the next run asks again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from inspect import isawaitable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from twisted.python.failure import Failure

from newsbot.errors import NewsbotError, describe_failure, is_network_error
from newsbot.stats import (
    RENDER_ROBOTS_BLOCKED,
    ROBOTS_CRAWL_DELAY,
    ROBOTS_UNAVAILABLE,
    ROBOTS_UNREACHABLE,
)

logger = logging.getLogger(__name__)

# The message Scrapy's RobotsTxtMiddleware gives the IgnoreRequest of a disallowed request.
_FORBIDDEN = "Forbidden by robots.txt"
# Stats keys: {host: why} of the hosts whose robots.txt answered 5xx (the run stops discovery
# there: exit 9) and of those whose robots.txt could not be reached (the host is unreachable).
# What a failed robots.txt is replaced with (RFC 9309: assume complete disallow).
_DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class RobotsRefused(NewsbotError):
    """robots.txt refuses the run's discovery requests: the message names host and agent."""


def robots_user_agent(crawler: Crawler) -> str:
    """The User-Agent robots.txt rules are matched against, as the middleware matches them."""
    return crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")


def refused_by_robots(failure: Failure) -> bool:
    """True when a request failed because robots.txt disallows it."""
    return bool(failure.check(IgnoreRequest)) and str(failure.value).startswith(_FORBIDDEN)


def refusal_reason(crawler: Crawler, url: str) -> str:
    """Which robots.txt refuses which User-Agent for `url`, in words."""
    parts = urlsplit(url)
    return (
        f"robots.txt of {parts.scheme}://{parts.netloc} refuses User-Agent "
        f"{robots_user_agent(crawler)!r} for {url}"
    )


def refusal(crawler: Crawler, url: str) -> RobotsRefused:
    """The one-line error for a discovery URL that robots.txt refuses."""
    return RobotsRefused(
        f"{refusal_reason(crawler, url)}: nothing else is requested (DW's terms require "
        "written permission for automated collection; see README, 'Before you crawl dw.com')"
    )


def robots_unavailable(crawler: Crawler, url: str) -> str | None:
    """Why the robots.txt of `url`'s host could not be read in this run, or None if it was."""
    netloc = urlsplit(url).netloc
    for key in (ROBOTS_UNAVAILABLE, ROBOTS_UNREACHABLE):
        if why := crawler.stats.get_value(key, {}).get(netloc):
            return str(why)
    return None


def robots_unreachable(crawler: Crawler, url: str) -> bool:
    """True when `url`'s host did not answer its robots.txt request at all (network error)."""
    return urlsplit(url).netloc in crawler.stats.get_value(ROBOTS_UNREACHABLE, {})


class RobotsFailurePolicy:
    """Downloader middleware: a robots.txt that answers 5xx or cannot be fetched disallows all.

    It sits between the retry middleware and RobotsTxtMiddleware, so it sees the robots.txt
    response (or error) after the retries, and hands Scrapy's middleware a disallow-all file in
    its place; a robots.txt that could not be fetched at all leaves Scrapy allowing everything,
    so this middleware's process_request (after RobotsTxtMiddleware's) refuses that host's
    requests itself. Either way everything on the host is refused for this run, and the
    refusals are told apart from a real robots.txt refusal by `robots_unavailable`.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsFailurePolicy:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Refuse what goes to a host whose robots.txt could not be fetched at all.

        Called after RobotsTxtMiddleware has waited for the host's robots.txt, which Scrapy
        then treats as allowing everything.
        """
        netloc = urlsplit(request.url).netloc
        if request.meta.get("dont_obey_robotstxt") or not netloc:
            return
        if netloc in self.crawler.stats.get_value(ROBOTS_UNREACHABLE, {}):
            raise IgnoreRequest(f"{_FORBIDDEN}: it could not be fetched (RFC 9309)")

    def process_response(self, request: Request, response: Response) -> Response:
        if _is_robots_request(request) and response.status >= 500:
            self._disallow(request, ROBOTS_UNAVAILABLE, f"answered HTTP {response.status}")
            return response.replace(body=_DISALLOW_ALL)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not _is_robots_request(request) or isinstance(exception, IgnoreRequest):
            return
        failure = Failure(exception)
        key = ROBOTS_UNREACHABLE if is_network_error(failure) else ROBOTS_UNAVAILABLE
        self._disallow(request, key, f"could not be fetched ({describe_failure(failure)})")

    def _disallow(self, request: Request, key: str, why: str) -> None:
        parts = urlsplit(request.url)
        hosts = self.crawler.stats.get_value(key, {})
        self.crawler.stats.set_value(key, {**hosts, parts.netloc: why})
        logger.error(
            "robots.txt of %s://%s %s: as RFC 9309 asks, nothing is requested from %s in this "
            "run (the next run asks again)", parts.scheme, parts.netloc, why, parts.netloc,
        )


def _is_robots_request(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and (
        urlsplit(request.url).path == "/robots.txt"
    )


def robots_middleware(crawler: Crawler) -> RobotsTxtMiddleware | None:
    """The run's RobotsTxtMiddleware instance (None when ROBOTSTXT_OBEY is off)."""
    engine = crawler.engine
    if engine is None:
        return None
    middlewares = engine.downloader.middleware.middlewares
    return next((m for m in middlewares if isinstance(m, RobotsTxtMiddleware)), None)


class CrawlDelay:
    """Extension: a robots.txt `Crawl-delay` for our agent becomes its host's minimum delay.

    The delay is set on the host's download slot (created if need be) and kept from being
    lowered by AutoThrottle, which otherwise adapts a slot's delay to latency alone.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.delays: dict[str, float] = {}
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self._request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self._response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelay:
        return cls(crawler)

    def _robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        delay = robotparser.crawl_delay(robots_user_agent(self.crawler))
        host = urlsplit(request.url).hostname or ""
        if not delay or delay <= 0:
            return
        self.delays[host] = float(delay)
        self.crawler.stats.set_value(f"{ROBOTS_CRAWL_DELAY}{host}", float(delay))
        logger.info("robots.txt of %s asks for a Crawl-delay of %ss: honoured", host, delay)
        self._apply(request)

    def _request_scheduled(self, request: Request, spider: Spider) -> None:
        self._apply(request)

    def _response_received(self, response: Any, request: Request, spider: Spider) -> None:
        self._apply(request)  # after AutoThrottle's adjustment of the same signal

    def _apply(self, request: Request) -> None:
        delay = self.delays.get(urlsplit(request.url).hostname or "")
        if delay is None or self.crawler.engine is None:
            return
        request.meta["autothrottle_dont_adjust_delay"] = True
        _, slot = self.crawler.engine.downloader._get_slot(request)
        if slot.delay < delay:
            slot.delay = delay
        slot.randomize_delay = False


AbortPredicate = Callable[[Any], "bool | Awaitable[bool]"]


class BrowserRobotsGuard:
    """PLAYWRIGHT_ABORT_REQUEST: abort what the page's scripts request against robots.txt.

    Called by scrapy-playwright for every request the browser makes. It first asks the
    predicate it replaces (images, media, fonts are skipped anyway), then the robots.txt of the
    request's host, fetched and cached by the run's RobotsTxtMiddleware. Each abort is counted
    (`newsbot/render/robots_blocked`) and logged.
    """

    def __init__(self, crawler: Crawler, previous: AbortPredicate | None) -> None:
        self.crawler = crawler
        self.previous = previous

    async def __call__(self, request: Any) -> bool:
        if self.previous is not None:
            verdict = self.previous(request)
            if await verdict if isawaitable(verdict) else verdict:
                return True
        url: str = request.url
        if urlsplit(url).scheme not in {"http", "https"}:
            return False
        middleware = robots_middleware(self.crawler)
        if middleware is None:
            return False
        parser = await middleware.robot_parser(Request(url))
        if parser is None or parser.allowed(url, robots_user_agent(self.crawler)):
            return False
        self.crawler.stats.inc_value(RENDER_ROBOTS_BLOCKED)
        logger.info("Browser request %s %s aborted: robots.txt disallows it", request.method, url)
        return True
