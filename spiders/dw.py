"""The `dw` spider: DW topic and section pages -> article pages -> one item per article.

Crawling only: which pages to fetch and which links to follow. What a DW page means lives in
`newsbot.pages` (one module per page design); what is kept lives in the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsbot.arguments import (
    SpiderArgumentError,
    check_languages,
    check_start_urls,
    parse_flag,
    split_list,
)
from newsbot.errors import BAD_ARGUMENTS, stop_crawl
from newsbot.health import EMPTY_LISTING_URLS, FAILED_LISTING_URLS, record_url
from newsbot.items import ArticleItem
from newsbot.links import article_link, is_listing_url, listing_language
from newsbot.middlewares import ARTICLE_META_KEY, REFETCH_META_KEY
from newsbot.rendering import Renderer
from newsbot.workers.pool import ExtractionWorkers, worker_count


class DwSpider(scrapy.Spider):
    """Crawls DW listing pages and the articles they link to.

    Arguments (`-a name=value`):
      start_urls  comma-separated topic/section URLs; their hosts become the allowed domains
                  (default: NEWSBOT_START_URLS for the chosen languages)
      lang        comma-separated language editions to follow (default: those of start_urls,
                  else NEWSBOT_LANGUAGES)
      refetch     1 to request articles even when already stored; a version whose `modified`
                  is later than the stored one is stored as a new line (pipelines.dedupe)
      render      1 to render listing pages in Chromium and click "Show more" (default:
                  NEWSBOT_RENDER_LISTINGS); pages matching NEWSBOT_RENDER_URLS always render
    """

    name = "dw"

    def __init__(
        self,
        start_urls: str | list[str] | None = None,
        lang: str | None = None,
        refetch: str | bool | None = None,
        render: str | bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._start_urls_arg = split_list(start_urls)
        self._lang_arg = split_list(lang)
        self._refetch_arg = refetch
        self._render_arg = render
        self.refetch = False
        self.renderer: Renderer | None = None  # set by _configure; None renders nothing
        self.extraction: ExtractionWorkers | None = None  # set by _configure
        self.languages: list[str] = []
        self.start_urls: list[str] = []
        self.allowed_domains: list[str] = []
        # Set when an argument is unusable: `start` then stops the run before any request.
        self.argument_error: SpiderArgumentError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DwSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        try:
            spider._configure(crawler.settings)
        except SpiderArgumentError as exc:
            # Raised from here it would end the process with an asyncio traceback; stopping
            # in `start` gives one clear log line and the BAD_ARGUMENTS finish reason instead.
            spider.argument_error = exc
        return spider

    def _configure(self, settings: scrapy.settings.BaseSettings) -> None:
        self.refetch = parse_flag("refetch", self._refetch_arg)
        check_start_urls(self._start_urls_arg)
        known = settings.getlist("NEWSBOT_KNOWN_LANGUAGES")
        if self._lang_arg:
            self.languages = check_languages(self._lang_arg, known)
        elif self._start_urls_arg:
            found = [listing_language(url) for url in self._start_urls_arg]
            self.languages = sorted({code for code in found if code}) or ["en"]
        else:
            self.languages = check_languages(settings.getlist("NEWSBOT_LANGUAGES"), known)
        if self._start_urls_arg:
            self.start_urls = self._start_urls_arg
        else:
            defaults = settings.getdict("NEWSBOT_START_URLS")
            self.start_urls = check_start_urls(
                [url for code in self.languages for url in defaults.get(code, [])]
            )
        for url in self.start_urls:
            if not is_listing_url(url):
                self.logger.warning("Start URL %s is not a DW topic (t-) or section (s-) page", url)
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in self.start_urls})
        self.extraction = ExtractionWorkers.from_crawler(self.crawler, worker_count(settings))
        self.crawler.signals.connect(
            self._first_article_scheduled, signal=signals.request_scheduled
        )
        self.renderer = Renderer.from_settings(settings, self._render_arg, self.crawler)
        if self.renderer.enabled:
            self.renderer.enable(settings, self.start_urls)  # not frozen yet here

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.argument_error is not None:
            raise stop_crawl(self.crawler, self.argument_error, BAD_ARGUMENTS)
        for url in self.start_urls:
            yield scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.listing_failed,
                meta=self._render_meta(url, listing=True),
            )

    def _first_article_scheduled(self, request: scrapy.Request) -> None:
        """Start the extraction workers with the first article request, not its response.

        Their imports then overlap its download instead of leaving the first hundred pages or so
        to the crawl process; a run with nothing new schedules no article and starts none.
        """
        if ARTICLE_META_KEY in request.meta and self.extraction is not None:
            signal = signals.request_scheduled
            self.crawler.signals.disconnect(self._first_article_scheduled, signal=signal)
            self.extraction.start()

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Request every article linked from a topic or section page, once per content id."""
        self.crawler.stats.inc_value("newsbot/listing/pages")
        if self.renderer is not None:
            self.renderer.record(response)
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsbot/listing/pages_without_links")
            record_url(self.crawler.stats, EMPTY_LISTING_URLS, response.url)
            self.logger.warning("Listing page %s is not text (%s)", response.url, _ctype(response))
            return
        found: set[int] = set()
        for href in response.css("a::attr(href)").getall():
            link = article_link(href, response.url)
            if link is None or link.content_id in found:
                continue
            if not self._follows(link.url, link.language):
                continue
            found.add(link.content_id)
            yield scrapy.Request(
                link.url,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={
                    ARTICLE_META_KEY: link.content_id,
                    REFETCH_META_KEY: self.refetch,
                    **self._render_meta(link.url, listing=False),
                },
            )
        self.crawler.stats.inc_value("newsbot/listing/article_links", len(found))
        if not found:
            self.crawler.stats.inc_value("newsbot/listing/pages_without_links")
            record_url(self.crawler.stats, EMPTY_LISTING_URLS, response.url)
            self.logger.warning("Listing page %s has no article links", response.url)

    async def parse_article(self, response: Response) -> list[ArticleItem]:
        """Extract the article (newsbot.extraction, in a worker process when one is ready).

        A coroutine returning its one item, not an async generator: Scrapy then hands the
        result to the spider middlewares as a plain list, the cheaper path per article.
        """
        if not isinstance(response, TextResponse):
            self._article_rejected(response, f"not an HTML page ({_ctype(response)})", "not_html")
            return []
        assert self.extraction is not None, "set in from_crawler"
        extraction = await self.extraction.extract(response)
        if extraction.charset_note:
            self.crawler.stats.inc_value("newsbot/articles/charset_repaired")
            self.logger.info(
                "Article page %s %s: decoded accordingly", response.url, extraction.charset_note
            )
        if extraction.rejected is not None:
            self._article_rejected(response, *extraction.rejected)
            return []
        return [extraction.item] if extraction.item is not None else []

    def listing_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A listing page could not be fetched (after retries): log it and count it.

        A page that failed to render in the browser is fetched again on plain HTTP instead.
        """
        fallback = self.renderer.fallback(failure) if self.renderer is not None else None
        if fallback is not None:
            yield fallback
            return
        self.crawler.stats.inc_value("newsbot/listing/failed")
        record_url(self.crawler.stats, FAILED_LISTING_URLS, failure.request.url)
        self.logger.error(
            "Listing page %s failed: %s", failure.request.url, failure.getErrorMessage()
        )

    def article_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """An article could not be fetched (after retries): log it and count it.

        An article that failed to render (NEWSBOT_RENDER_URLS) is fetched again on plain HTTP.
        """
        fallback = self.renderer.fallback(failure) if self.renderer is not None else None
        if fallback is not None:
            yield fallback
            return
        self.crawler.stats.inc_value("newsbot/articles/failed")
        # The URL the listing linked, not the last redirect hop: that is the article's name.
        url = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]
        self.logger.error("Article %s failed: %s", url, failure.getErrorMessage())

    def _article_rejected(self, response: Response, reason: str, key: str) -> None:
        self.crawler.stats.inc_value(f"newsbot/articles/rejected/{key}")
        self.logger.warning("Article page %s yields no item: %s", response.url, reason)

    def _render_meta(self, url: str, *, listing: bool) -> dict[str, Any]:
        return self.renderer.meta(url, listing=listing) if self.renderer is not None else {}

    def _follows(self, url: str, language: str) -> bool:
        host = urlsplit(url).hostname or ""
        on_site = any(host == d or host.endswith("." + d) for d in self.allowed_domains)
        return on_site and language in self.languages


def _ctype(response: Response) -> str:
    return response.headers.get("Content-Type", b"no Content-Type").decode("latin-1")
