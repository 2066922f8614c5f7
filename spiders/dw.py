"""The `dw` spider: DW's channels (news sitemaps, feeds, article sitemaps, topic and section
pages) -> article pages -> one item per article.

Crawling only: which pages to fetch and which links to follow. The spider is a table of
contents; each channel is a mixin of its own in `newsbot.crawling.discovery`:
  news_crawl.NewsSitemapsAndFeeds      a daily run: news sitemaps, feeds as their fallback
  index_crawl.SitemapIndexDiscovery    robots.txt -> sitemap index -> each edition's sitemaps
  backfill_crawl.ArticleSitemapBackfill  `-a since=`: article sitemaps, dated in the window
and this module keeps the arguments, the topic and section pages, and the article pages. Its
`-a` arguments are parsed once (newsbot.crawling.arguments.DwArguments); what a DW page means is
`newsbot.extraction.pages` (one module per page design); the run's report, health, gap warning
and stop are extensions (newsbot.crawling); what is kept, the pipelines.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsbot.crawling.arguments import DwArguments, SpiderArgumentError
from newsbot.crawling.discovery.backfill_crawl import ArticleSitemapBackfill
from newsbot.crawling.discovery.channels import Channels
from newsbot.crawling.discovery.dates import DateWindow
from newsbot.crawling.discovery.index_crawl import SitemapIndexDiscovery
from newsbot.crawling.discovery.metadata import ENTRY_META_KEY
from newsbot.crawling.discovery.news_crawl import NewsSitemapsAndFeeds, content_type
from newsbot.crawling.failures import FailedRequest
from newsbot.crawling.health import record_url
from newsbot.crawling.known_articles import ARTICLE_META_KEY, REFETCH_META_KEY
from newsbot.crawling.rendering import Renderer
from newsbot.errors import BAD_ARGUMENTS, ROBOTS_REFUSED, stop_crawl
from newsbot.extraction.article import extract_article
from newsbot.items import ArticleItem
from newsbot.links import ArticleLink, article_link, is_listing_url
from newsbot.stats import (
    ARTICLES_CHARSET_REPAIRED,
    ARTICLES_FAILED,
    ARTICLES_FILLED_FROM_ENTRY,
    ARTICLES_REJECTED,
    ARTICLES_ROBOTS_UNAVAILABLE,
    DISCOVERY_ARTICLE_LINKS,
    DISCOVERY_PAGES,
    DISCOVERY_PAGES_WITHOUT_LINKS,
    EMPTY_DISCOVERY_URLS,
)


class DwSpider(
    NewsSitemapsAndFeeds, SitemapIndexDiscovery, ArticleSitemapBackfill, scrapy.Spider
):
    """Reads DW's discovery channels of the chosen editions and requests their new articles.

    Without arguments: each edition's news sitemap, its RSS feed when that fails. With
    `since`: the article sitemaps, for the articles they date in the window. Both find the
    editions' sitemaps through robots.txt's sitemap index (`SitemapIndexDiscovery`). With
    `start_urls` (or channels=listings): topic and section pages, as before sitemaps existed.

    Arguments (`-a name=value`; parsed and checked once into DwArguments, unknown names refused):
      lang        comma-separated language editions (default: those of start_urls, else
                  NEWSBOT_LANGUAGES); each reads its news sitemap, its feed when that fails
      channels    comma-separated discovery channels: news, feed, listings (default: listings
                  with start_urls, else NEWSBOT_CHANNELS)
      start_urls  comma-separated topic/section URLs (the listings channel; default:
                  NEWSBOT_START_URLS for the chosen languages)
      since       backfill from this UTC day (YYYY-MM-DD) from the editions' article sitemaps
      until       last UTC day of the backfill, included (default: today)
      refetch     1 to request articles even when already stored; a version whose `modified`
                  is later than the stored one is stored as a new line (pipelines.dedupe)
      render      1 to render listing pages in Chromium and click "Show more" (default:
                  NEWSBOT_RENDER_LISTINGS); pages matching NEWSBOT_RENDER_URLS always render
    """

    name = "dw"

    def __init__(self, **kwargs: Any) -> None:
        # The raw `-a` arguments: parsed and checked in `from_crawler` (DwArguments), where the
        # settings they fall back on are known; Spider's own __init__ would make them attributes.
        super().__init__()
        self._raw_args = kwargs
        self.arguments: DwArguments | None = None
        self.channels: list[str] = []
        self.window: DateWindow | None = None  # set for a backfill (-a since=)
        self.roots: Channels | None = None
        self.listing_urls: list[str] = []
        self._sitemaps_seen: set[str] = set()
        self._fallback_langs: set[str] = set()  # editions whose feed stands in for the sitemap
        self._discovery: list[scrapy.Request] = []  # the first sitemap and feed requests
        self._article_hosts: list[str] = []  # hosts of article URLs in sitemaps and feeds
        # Child sitemaps waiting their turn, per edition (a backfill reads one at a time).
        self._sitemap_queues: dict[str, deque[scrapy.Request]] = {}
        self.refetch = False
        self.renderer: Renderer | None = None  # set by _configure; None renders nothing
        self.languages: list[str] = []
        self.start_urls: list[str] = []
        self.allowed_domains: list[str] = []
        # Set when rendering is impossible here (no Chromium): `start` then stops the run.
        self.argument_error: SpiderArgumentError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DwSpider:
        """Parse the arguments (raising SpiderArgumentError: nothing has been created yet).

        `scrapy crawl` and `newsbot run` check the same arguments before they start the crawl
        (newsbot.crawling.preflight), so that a typo costs one log line and no trace on disk.
        """
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.arguments = DwArguments.parse(
            spider._raw_args, crawler.settings, datetime.now(UTC).date()
        )
        try:
            spider._configure(crawler.settings, spider.arguments)
        except SpiderArgumentError as exc:
            # No Chromium for a run that renders: stopping in `start` gives one clear log line
            # and the BAD_ARGUMENTS finish reason rather than an asyncio traceback.
            spider.argument_error = exc
        return spider

    def _configure(self, settings: scrapy.settings.BaseSettings, arguments: DwArguments) -> None:
        self.refetch = arguments.refetch
        self.languages = list(arguments.languages)
        self.window = arguments.window
        self.channels = list(arguments.channels)
        self.roots = arguments.roots
        self.listing_urls = list(arguments.listing_urls)
        for url in self.listing_urls:
            if not is_listing_url(url):
                self.logger.warning("Start URL %s is not a DW topic (t-) or section (s-) page", url)
        self._discovery = self._discovery_requests(settings.getlist("NEWSBOT_KNOWN_LANGUAGES"))
        self.start_urls = self.listing_urls + [request.url for request in self._discovery]
        self._article_hosts = [urlsplit(self.roots.site_url).hostname or ""]
        # Every configured root's host, whatever the channels: a feed that stands in for a
        # failed news sitemap is a request the run derives on its own, and must not be off-site.
        roots = (self.roots.site_url, self.roots.feeds_url)
        self.allowed_domains = sorted(
            {urlsplit(url).hostname or "" for url in (*self.start_urls, *roots)}
        )
        self.renderer = Renderer.from_settings(settings, arguments.render, self.crawler)
        if self.renderer.enabled:
            self.renderer.enable(settings, self.start_urls)  # not frozen yet here

    def _discovery_requests(self, known: list[str]) -> list[scrapy.Request]:
        """What the run starts from: robots.txt (for the sitemap index), then the feeds."""
        requests = []
        if self.window is not None or "news" in self.channels:
            requests.append(self._robots_request(known))
        if self.window is None and "feed" in self.channels:
            requests += [self._feed_request(lang) for lang in self.languages]
        return requests

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.argument_error is not None:
            raise stop_crawl(self.crawler, self.argument_error, BAD_ARGUMENTS)
        if self.window is not None:
            self.logger.info(
                "Backfill %s for %s from the article sitemaps", self.window,
                ", ".join(self.languages),
            )
        for url in self.listing_urls:
            yield scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.listing_failed,
                meta=self._render_meta(url, listing=True),
            )
        for request in self._discovery:
            yield request

    def _article_request(self, link: ArticleLink, meta: dict[str, Any]) -> scrapy.Request:
        return scrapy.Request(
            link.url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={
                ARTICLE_META_KEY: link.content_id,
                REFETCH_META_KEY: self.refetch,
                **meta,
                **self._render_meta(link.url, listing=False),
            },
        )

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Request every article linked from a topic or section page, once per content id."""
        self.crawler.stats.inc_value(DISCOVERY_PAGES)
        if self.renderer is not None:
            self.renderer.record(response)
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value(DISCOVERY_PAGES_WITHOUT_LINKS)
            record_url(self.crawler.stats, EMPTY_DISCOVERY_URLS, response.url)
            self.logger.warning(
                "Listing page %s is not text (%s)", response.url, content_type(response)
            )
            return
        found: set[int] = set()
        for href in response.css("a::attr(href)").getall():
            link = article_link(href, response.url)
            if link is None or link.content_id in found:
                continue
            if not self._follows(link.url, link.language):
                continue
            found.add(link.content_id)
            yield self._article_request(link, {})
        self.crawler.stats.inc_value(DISCOVERY_ARTICLE_LINKS, len(found))
        if not found:
            self.crawler.stats.inc_value(DISCOVERY_PAGES_WITHOUT_LINKS)
            record_url(self.crawler.stats, EMPTY_DISCOVERY_URLS, response.url)
            self.logger.warning("Listing page %s has no article links", response.url)

    def parse_article(self, response: Response) -> list[ArticleItem]:
        """Extract the article here, in the crawl process (newsbot.extraction.article).

        A plain list, not a generator: Scrapy hands it to the spider middlewares as it is, the
        cheaper path per article. Worker processes were measured and removed: at any request
        rate a user may point at dw.com they bought nothing (benchmarks/DECISIONS.md).
        """
        if not isinstance(response, TextResponse):
            reason = f"not an HTML page ({content_type(response)})"
            self._article_rejected(response, reason, "not_html")
            return []
        extraction = extract_article(response, response.meta.get(ENTRY_META_KEY))
        if extraction.charset_note:
            self.crawler.stats.inc_value(ARTICLES_CHARSET_REPAIRED)
            self.logger.info(
                "Article page %s %s: decoded accordingly", response.url, extraction.charset_note
            )
        if extraction.rejected is not None:
            self._article_rejected(response, *extraction.rejected)
            return []
        if extraction.item is None:
            return []
        for name in extraction.filled:
            self.crawler.stats.inc_value(f"{ARTICLES_FILLED_FROM_ENTRY}{name}")
        return [extraction.item]

    def listing_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A listing page could not be fetched (after retries): log it and count it.

        A page that failed to render in the browser is fetched again on plain HTTP instead.
        """
        fallback = self.renderer.fallback(failure) if self.renderer is not None else None
        if fallback is not None:
            yield fallback
            return
        failed = FailedRequest.of(self.crawler, failure)
        if failed.dropped:
            return
        if failed.refused is not None:
            raise stop_crawl(self.crawler, failed.refused, ROBOTS_REFUSED)
        self._page_failed(failed, "Listing")

    def article_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """An article could not be fetched (after retries): log it and count it.

        An article that failed to render (NEWSBOT_RENDER_URLS) is fetched again on plain HTTP.
        """
        fallback = self.renderer.fallback(failure) if self.renderer is not None else None
        if fallback is not None:
            yield fallback
            return
        failed = FailedRequest.of(self.crawler, failure)
        if failed.dropped:  # by a stop: the next run finds it again
            return
        if failed.robots_failed:  # its host's robots.txt failed: logged once, for the host
            self.crawler.stats.inc_value(ARTICLES_ROBOTS_UNAVAILABLE)
            return
        self.crawler.stats.inc_value(ARTICLES_FAILED)
        # The URL the listing linked, not the last redirect hop: that is the article's name.
        url = (failure.request.meta.get("redirect_urls") or [failed.url])[0]
        self.logger.error("Article %s failed: %s", url, failed.reason)

    def _article_rejected(self, response: Response, reason: str, key: str) -> None:
        self.crawler.stats.inc_value(f"{ARTICLES_REJECTED}{key}")
        self.logger.warning("Article page %s yields no item: %s", response.url, reason)

    def _render_meta(self, url: str, *, listing: bool) -> dict[str, Any]:
        return self.renderer.meta(url, listing=listing) if self.renderer is not None else {}

    def _follows(self, url: str, language: str) -> bool:
        host = urlsplit(url).hostname or ""
        on_site = any(host == d or host.endswith("." + d) for d in self.allowed_domains)
        return on_site and language in self.languages


