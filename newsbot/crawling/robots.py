"""robots.txt beyond Scrapy's RobotsTxtMiddleware: refusals that stop a run, Crawl-delay, and
the requests Chromium makes while it renders a page.

Scrapy's middleware fetches each host's robots.txt and drops the requests it disallows, but it
neither honours `Crawl-delay` nor sees what a browser fetches by itself (scripts, XHR/fetch).
`CrawlDelay` applies a host's Crawl-delay to its download slot; `BrowserRobotsGuard` is the
predicate scrapy-playwright asks before each browser request and aborts disallowed ones with
the same parsed robots.txt. `refused_by_robots` tells the spider that a discovery request was
refused, which stops the run (newsbot.errors.ROBOTS_REFUSED).
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
from scrapy.robotstxt import RobotParser
from twisted.python.failure import Failure

from newsbot.errors import NewsbotError

logger = logging.getLogger(__name__)

# The message Scrapy's RobotsTxtMiddleware gives the IgnoreRequest of a disallowed request.
_FORBIDDEN = "Forbidden by robots.txt"


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
        self.crawler.stats.set_value(f"newsbot/robots/crawl_delay/{host}", float(delay))
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
        self.crawler.stats.inc_value("newsbot/render/robots_blocked")
        logger.info("Browser request %s %s aborted: robots.txt disallows it", request.method, url)
        return True
