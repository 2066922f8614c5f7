"""Rendering pages in a real browser (Debian's Chromium through scrapy-playwright), where asked.

DW serves its pages server-rendered, so newsbot fetches them with plain HTTP. Some listing
pages show part of their teasers only after JavaScript runs ("Show more" buttons, infinite
scroll); for those, and only those, a request carries scrapy-playwright's meta and Chromium
renders it. Which pages: every listing page with `-a render=1` (or NEWSBOT_RENDER_LISTINGS),
and any page whose URL matches one of NEWSBOT_RENDER_URLS. Articles stay on plain HTTP unless
a rule names them. Every request the browser makes obeys robots.txt (newsbot.crawling.robots
.BrowserRobotsGuard): a script fetching a disallowed path (`/graph-api/` on dw.com) is aborted
in the browser and counted (`newsbot/render/robots_blocked`).

Lifecycle: `enable_rendering` installs the Playwright download handler only for a run that
renders, so a run without rendering never loads Playwright, let alone starts a browser; and
scrapy-playwright starts Chromium at the first rendered request. Pages are closed by
scrapy-playwright after each response or failure; contexts, pages per context and navigation
time are bounded by the PLAYWRIGHT_* settings.

Failures: a Chromium that is not there stops the run before its first request, with a message
naming the path and how to install it (`RenderingUnavailable`). A page that fails to render
(timeout, crashed or unstartable browser) is fetched again on plain HTTP, logged and counted
(`Renderer.fallback`); after a browser that does not start, the rest of the run stays on HTTP.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

from newsbot.crawling.arguments import SpiderArgumentError, parse_flag
from newsbot.crawling.robots import BrowserRobotsGuard
from newsbot.stats import (
    RENDER_BROWSER_FAILED,
    RENDER_CLICKS,
    RENDER_FALLBACK,
    RENDER_LISTING_PAGES,
    RENDER_SCROLLS,
)

logger = logging.getLogger(__name__)

PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
INSTALL_HINT = (
    "install it with `apt-get install chromium` (Debian/Ubuntu) or set NEWSBOT_CHROMIUM_PATH "
    "to a Chromium binary"
)
# How long Chromium may take to start before the launch counts as failed (ms).
LAUNCH_TIMEOUT_MS = 30_000
# Resource types a rendered page does not need for its links: not downloaded at all.
SKIPPED_RESOURCE_TYPES = frozenset({"image", "media", "font"})


class RenderingUnavailable(SpiderArgumentError):
    """Rendering was asked for but the browser it needs is not there; says what to install."""


@dataclass(frozen=True)
class ExpandPlan:
    """How a rendered listing page is expanded before its links are read."""

    more_pattern: str  # regex matching the whole visible text of a "Show more" button
    more_selector: str  # CSS selector of "Show more" elements, whatever their text ("" = none)
    max_clicks: int  # clicks (or scrolls) per page, at most
    scroll: bool  # scroll to the bottom when there is no button (infinite-scroll pages)
    wait_ms: float  # how long to wait for teasers to appear or grow, each time
    link_selector: str = 'a[href*="/a-"]'  # an article teaser's link (DW articles are /a-<id>)


@dataclass
class Expansion:
    """What `expand_listing` did to one page (the PageMethod's result, read by the spider)."""

    clicks: int = 0
    scrolls: int = 0
    links: int = 0


async def expand_listing(page: Page, plan: ExpandPlan) -> Expansion:
    """Click "Show more" (or scroll) until no new teasers come or `plan.max_clicks` is reached.

    Runs in the browser page after navigation, as a scrapy-playwright PageMethod. Each wait is
    bounded by `plan.wait_ms`; a button that cannot be clicked or a click that brings nothing
    ends the expansion with the teasers loaded so far, since those are still worth reading.
    Browser errors other than timeouts (a crash) propagate: the page then falls back to HTTP.
    """
    done = Expansion()
    links = page.locator(plan.link_selector)
    more = _more_button(page, plan)
    start_url = page.url
    await _settle(page, plan.wait_ms)
    while done.clicks + done.scrolls < plan.max_clicks:
        before = await links.count()
        if await more.count():
            try:
                await more.click(timeout=plan.wait_ms)
            except PlaywrightTimeoutError:
                logger.info("Cannot click 'Show more' on %s; reading what is loaded", start_url)
                break
            done.clicks += 1
        elif plan.scroll:
            await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            done.scrolls += 1
        else:
            break
        if page.url != start_url:
            logger.warning("'Show more' on %s navigated to %s; stopped there", start_url, page.url)
            break
        if not await _links_grew(page, plan, before):
            break
        await _settle(page, plan.wait_ms)
    done.links = await links.count()
    return done


def _more_button(page: Page, plan: ExpandPlan) -> Locator:
    """The first visible "Show more" control: a button by its text, or a configured selector."""
    by_text = page.locator("button, [role='button']").filter(
        has_text=re.compile(plan.more_pattern, re.IGNORECASE)
    )
    candidates = by_text.or_(page.locator(plan.more_selector)) if plan.more_selector else by_text
    return candidates.filter(visible=True).first


async def _settle(page: Page, wait_ms: float) -> None:
    """Let the page's scripts finish loading (no network for 500 ms), for at most `wait_ms`."""
    # Pages with endless beacons never idle: what has loaded by then is used.
    with suppress(PlaywrightTimeoutError):
        await page.wait_for_load_state("networkidle", timeout=wait_ms)


async def _links_grew(page: Page, plan: ExpandPlan, before: int) -> bool:
    try:
        await page.wait_for_function(
            "([selector, count]) => document.querySelectorAll(selector).length > count",
            arg=[plan.link_selector, before],
            timeout=plan.wait_ms,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def skip_heavy_resources(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, media and fonts are never needed to find links."""
    return request.resource_type in SKIPPED_RESOURCE_TYPES


def more_pattern(texts: Iterable[str]) -> str:
    """A regex matching a button whose whole text is one of `texts` (any case and spacing)."""
    alternatives = [r"\s+".join(map(re.escape, text.split())) for text in texts if text.strip()]
    return r"^\s*(?:" + "|".join(alternatives) + r")\s*$" if alternatives else r"(?!)"


def launch_options(settings: BaseSettings) -> dict[str, Any]:
    """PLAYWRIGHT_LAUNCH_OPTIONS for NEWSBOT_CHROMIUM_PATH: headless, with this host's flags."""
    return {
        "executable_path": settings.get("NEWSBOT_CHROMIUM_PATH"),
        "headless": True,
        "args": settings.getlist("NEWSBOT_CHROMIUM_ARGS"),
        "timeout": LAUNCH_TIMEOUT_MS,
    }


def find_chromium(path: str, setting: str, why: str) -> str:
    """The absolute path of the Chromium binary `path` (a path or a name on PATH), or an error.

    `setting` names where the path came from and `why` what asked for rendering, so that the
    message says what to change.
    """
    found = shutil.which(path)
    if found is None:
        raise RenderingUnavailable(
            f"Chromium not found at {path!r} ({setting}), needed to render pages ({why}): "
            f"{INSTALL_HINT}"
        )
    return found


def enable_rendering(settings: BaseSettings, why: str, schemes: Iterable[str]) -> str | None:
    """Route `schemes` through scrapy-playwright and point it at Chromium; check Chromium first.

    Called from the spider's `from_crawler`, before Scrapy freezes the settings, and only for
    a run that renders. Scrapy makes one handler per scheme and each starts its own Playwright
    driver, so only the schemes the run renders get one (dw.com: https alone).
    PLAYWRIGHT_LAUNCH_OPTIONS set by the user are kept, with NEWSBOT_CHROMIUM_PATH as their
    executable_path when they name none (Playwright's own browser downloads are not used);
    else they are built from NEWSBOT_CHROMIUM_PATH / NEWSBOT_CHROMIUM_ARGS. Returns the browser
    binary (None for a remote browser, PLAYWRIGHT_CDP_URL / PLAYWRIGHT_CONNECT_URL).
    """
    browser: str | None = None
    if not (settings.get("PLAYWRIGHT_CDP_URL") or settings.get("PLAYWRIGHT_CONNECT_URL")):
        options = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") or launch_options(settings)
        setting = "NEWSBOT_CHROMIUM_PATH"
        if options.get("executable_path"):
            setting = "executable_path in PLAYWRIGHT_LAUNCH_OPTIONS"
        else:
            options["executable_path"] = settings.get("NEWSBOT_CHROMIUM_PATH")
        browser = find_chromium(str(options["executable_path"]), setting, why)
        options["executable_path"] = browser
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="spider")
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    handlers.update(dict.fromkeys(schemes, PLAYWRIGHT_HANDLER))
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
    return browser


class Renderer:
    """Which requests are rendered, with what meta, and the plain-HTTP fallback when one fails."""

    def __init__(
        self,
        *,
        listings: bool,
        url_rules: list[re.Pattern[str]],
        plan: ExpandPlan,
        crawler: Crawler,
        why: str = "",
    ) -> None:
        self.listings = listings
        self.url_rules = url_rules
        self.plan = plan
        self.crawler = crawler  # for its stats, which exist only once the crawl starts
        self.why = why  # which argument or setting asked for rendering, for messages
        self.browser: str | None = None
        self.schemes: frozenset[str] = frozenset()  # URL schemes the browser handler serves
        self.browser_failed = False

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, render_arg: str | bool | None, crawler: Crawler
    ) -> Renderer:
        """The rendering rules of a run: `-a render` wins over NEWSBOT_RENDER_LISTINGS."""
        if render_arg is None:
            listings = settings.getbool("NEWSBOT_RENDER_LISTINGS")
            listings_why = "NEWSBOT_RENDER_LISTINGS"
        else:
            listings = parse_flag("render", render_arg)
            listings_why = "-a render=1"  # named only when it asks for rendering
        rules = [_compile_rule(rule) for rule in settings.getlist("NEWSBOT_RENDER_URLS")]
        reasons = [listings_why] if listings else []
        reasons += ["NEWSBOT_RENDER_URLS"] if rules else []
        plan = ExpandPlan(
            more_pattern=more_pattern(settings.getlist("NEWSBOT_RENDER_MORE_TEXTS")),
            more_selector=", ".join(settings.getlist("NEWSBOT_RENDER_MORE_SELECTORS")),
            max_clicks=_non_negative_int(settings, "NEWSBOT_RENDER_MAX_CLICKS"),
            scroll=settings.getbool("NEWSBOT_RENDER_SCROLL"),
            wait_ms=_positive_seconds(settings, "NEWSBOT_RENDER_WAIT_TIMEOUT") * 1000,
        )
        return cls(
            listings=listings, url_rules=rules, plan=plan, crawler=crawler, why=", ".join(reasons)
        )

    @property
    def enabled(self) -> bool:
        """Whether this run renders any page at all (and so needs the browser)."""
        return self.listings or bool(self.url_rules)

    def enable(self, settings: BaseSettings, start_urls: Iterable[str]) -> None:
        """Install the browser handler for the schemes of `start_urls` (`enable_rendering`)."""
        self.schemes = frozenset(urlsplit(url).scheme for url in start_urls)
        self.browser = enable_rendering(settings, self.why, sorted(self.schemes))
        if settings.getbool("ROBOTSTXT_OBEY"):
            # What the page's scripts fetch obeys robots.txt too (aborted in the browser).
            previous = settings.get("PLAYWRIGHT_ABORT_REQUEST")
            guard = BrowserRobotsGuard(self.crawler, load_object(previous) if previous else None)
            settings.set("PLAYWRIGHT_ABORT_REQUEST", guard, priority="spider")
        _quiet_page_failures()
        logger.info("Rendering on (%s), browser %s", self.why, self.browser or "remote")

    def meta(self, url: str, *, listing: bool) -> dict[str, Any]:
        """Request.meta that has `url` rendered, or {} for plain HTTP."""
        if self.browser_failed or urlsplit(url).scheme not in self.schemes:
            return {}
        by_rule = any(rule.search(url) for rule in self.url_rules)
        if not (by_rule or (listing and self.listings)):
            return {}
        meta: dict[str, Any] = {"playwright": True}
        if listing:
            # The script-built teasers are waited for in expand_listing, not every last image.
            meta["playwright_page_goto_kwargs"] = {"wait_until": "domcontentloaded"}
            meta["playwright_page_methods"] = [PageMethod(expand_listing, self.plan)]
        return meta

    def record(self, response: Response) -> None:
        """Count a rendered listing page and what its expansion did."""
        methods = response.meta.get("playwright_page_methods") or []
        expansion = next((m.result for m in methods if isinstance(m.result, Expansion)), None)
        if expansion is None:
            return
        self.crawler.stats.inc_value(RENDER_LISTING_PAGES)
        self.crawler.stats.inc_value(RENDER_CLICKS, expansion.clicks)
        self.crawler.stats.inc_value(RENDER_SCROLLS, expansion.scrolls)
        logger.info(
            "Rendered %s: %d click(s) on 'Show more', %d scroll(s), %d teaser links",
            response.url, expansion.clicks, expansion.scrolls, expansion.links,
        )

    def fallback(self, failure: Failure) -> Request | None:
        """The plain-HTTP request for a page whose rendering failed in the browser, else None.

        HTTP errors and filtered requests are not rendering failures: they get None and are
        handled as on plain HTTP.
        """
        request: Request | None = getattr(failure, "request", None)
        if request is None or not request.meta.get("playwright"):
            return None
        if not failure.check(PlaywrightError):
            return None
        reason = (str(failure.value).strip().splitlines() or [type(failure.value).__name__])[0]
        if _is_launch_failure(failure.value) and not self.browser_failed:
            self.browser_failed = True
            self.crawler.stats.inc_value(RENDER_BROWSER_FAILED)
            logger.error(
                "Chromium at %s did not start (%s): check that `%s --headless --no-sandbox "
                "--dump-dom about:blank` works, or %s. The rest of this run is fetched on plain "
                "HTTP, without rendering",
                self.browser, reason, self.browser, INSTALL_HINT,
            )
        self.crawler.stats.inc_value(RENDER_FALLBACK)
        logger.warning(
            "Rendering %s failed (%s); fetching it on plain HTTP instead", request.url, reason
        )
        meta = {k: v for k, v in request.meta.items() if not k.startswith("playwright")}
        return request.replace(meta=meta, dont_filter=True)  # the same URL, so no dupe filter


class _DropPageFailureTracebacks(logging.Filter):
    """scrapy-playwright logs a failed page with its traceback; `fallback` says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Closing page due to failed request")


def _quiet_page_failures() -> None:
    playwright_logger = logging.getLogger("scrapy-playwright")
    if not any(isinstance(f, _DropPageFailureTracebacks) for f in playwright_logger.filters):
        playwright_logger.addFilter(_DropPageFailureTracebacks())


def _is_launch_failure(error: BaseException) -> bool:
    """Playwright prefixes its errors with the failing call: here the browser's launch."""
    return str(error).startswith("BrowserType.launch")


def _compile_rule(rule: str) -> re.Pattern[str]:
    try:
        return re.compile(rule)
    except re.error as exc:
        raise SpiderArgumentError(
            f"NEWSBOT_RENDER_URLS: {rule!r} is not a regular expression ({exc})"
        ) from exc


def _non_negative_int(settings: BaseSettings, name: str) -> int:
    try:
        value = settings.getint(name)
    except ValueError:
        value = -1
    if value < 0:
        raise SpiderArgumentError(
            f"{name}: expected a whole number >= 0, got {settings.get(name)!r}"
        )
    return value


def _positive_seconds(settings: BaseSettings, name: str) -> float:
    try:
        value = settings.getfloat(name)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise SpiderArgumentError(f"{name}: expected seconds > 0, got {settings.get(name)!r}")
    return value
