"""The `dw` spider: DW's channels (news sitemaps, feeds, article sitemaps, topic and section
pages) -> article pages -> one item per article.

Crawling only: which pages to fetch and which links to follow. How a sitemap or feed is read
lives in `newsbot.crawling.discovery`; what a DW page means in `newsbot.extraction.pages`
(one module per page design); what is kept in the pipelines.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsbot.crawling.arguments import DwArguments, SpiderArgumentError
from newsbot.crawling.discovery.backfill_crawl import (
    DEPTH_META_KEY,
    LANG_META_KEY,
    ArticleSitemapBackfill,
)
from newsbot.crawling.discovery.channels import Channels
from newsbot.crawling.discovery.dates import DateWindow
from newsbot.crawling.discovery.entries import on_host, wanted_article
from newsbot.crawling.discovery.feeds import read_feed
from newsbot.crawling.discovery.index_crawl import SitemapIndexDiscovery
from newsbot.crawling.discovery.metadata import ENTRY_META_KEY, entry_meta
from newsbot.crawling.discovery.sitemaps import (
    SITEMAP_SIZE_META,
    SitemapFault,
    SitemapReader,
    sitemap_body,
)
from newsbot.crawling.failures import FailedRequest
from newsbot.crawling.health import (
    EMPTY_LISTING_URLS,
    FAILED_LISTING_URLS,
    add_run_warning,
    record_url,
)
from newsbot.crawling.known_articles import ARTICLE_META_KEY, REFETCH_META_KEY
from newsbot.crawling.rendering import Renderer
from newsbot.crawling.robots import refusal_reason
from newsbot.crawling.run_report import NEWS_OLDEST_PREFIX
from newsbot.errors import BAD_ARGUMENTS, ROBOTS_REFUSED, stop_crawl
from newsbot.extraction.article import extract_article
from newsbot.items import ArticleItem
from newsbot.links import ArticleLink, article_link, is_listing_url

# Request.meta key of a fallback feed: the news sitemap it stands in for.
REPLACES_META_KEY = "newsbot_replaces"


class DwSpider(SitemapIndexDiscovery, ArticleSitemapBackfill, scrapy.Spider):
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

    def _sitemap_request(
        self, url: str, lang: str, callback: Any, depth: int = 0
    ) -> scrapy.Request:
        self._sitemaps_seen.add(url)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            meta={LANG_META_KEY: lang, DEPTH_META_KEY: depth, **SITEMAP_SIZE_META},
        )

    def _feed_request(self, lang: str, replaces: str | None = None) -> scrapy.Request:
        assert self.roots is not None
        meta: dict[str, Any] = {LANG_META_KEY: lang}
        if replaces:
            meta[REPLACES_META_KEY] = replaces
        return scrapy.Request(
            self.roots.feed(lang), callback=self.parse_feed, errback=self.discovery_failed,
            meta=meta,
        )

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

    def _entry(
        self, loc: str, base_url: str, skipped: Counter[str], found: set[int] | None = None
    ) -> ArticleLink | None:
        """The entry's article when this run wants it; else count why not.

        With `found` (the content ids this document listed so far), a second entry of the same
        article, e.g. under another tracking query, is skipped as a duplicate.
        """
        link = wanted_article(loc, base_url, self._article_hosts, self.languages)
        if isinstance(link, str):
            skipped[link] += 1
            return None
        if found is not None:
            if link.content_id in found:
                skipped["duplicate"] += 1
                return None
            found.add(link.content_id)
        return link

    def _open_sitemap(self, response: Response) -> SitemapReader:
        """A stream of the sitemap's entries; a body that cannot be unpacked is its fault."""
        ctype = _ctype(response).lower()
        declared = urlsplit(response.url).path.endswith(".gz") or "gzip" in ctype
        try:
            return SitemapReader(sitemap_body(response.body, declared))
        except SitemapFault as fault:
            return SitemapReader.unreadable(fault)

    def parse_news_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Request the articles of an edition's news sitemap; its feed when it fails or is empty."""
        lang = response.meta[LANG_META_KEY]
        skipped: Counter[str] = Counter()
        found: set[int] = set()
        self.crawler.stats.inc_value("newsbot/discovery/news_sitemaps")
        reader = self._open_sitemap(response)
        oldest: datetime | None = None  # how far back it reaches: a coverage gap's evidence
        for entry in reader:
            if entry.published and (oldest is None or entry.published < oldest):
                oldest = entry.published
            if (link := self._entry(entry.loc, response.url, skipped, found)) is not None:
                meta = entry_meta(entry.title, entry.published, entry.keywords)
                yield self._article_request(link, meta)
        faults = [reader.fault] if reader.fault else []
        if oldest is not None and not faults:  # a cut-off sitemap tells nothing of its reach
            self.crawler.stats.set_value(f"{NEWS_OLDEST_PREFIX}{lang}", oldest.isoformat())
        self._report_document(response.url, "News sitemap", len(found), skipped, faults)
        if found and not faults:
            self._count_page(response.url, True)
            return
        # Fetched, but the edition's feed decides whether the edition had article links.
        self.crawler.stats.inc_value("newsbot/listing/pages")
        why = faults[0] if faults else "no article entries"
        if "feed" in self.channels:
            self.logger.warning(
                "News sitemap %s unusable (%s); the %s feed is read as well", response.url, why,
                lang,
            )
            return
        yield from self._fallback_feed(lang, response.url, f"unusable ({why})")

    def _fallback_feed(self, lang: str, sitemap: str, why: str) -> Iterator[scrapy.Request]:
        """The edition's feed, read instead of its news sitemap (once per edition and run)."""
        if lang in self._fallback_langs:
            return
        self._fallback_langs.add(lang)
        self.crawler.stats.inc_value("newsbot/discovery/feed_fallbacks")
        feed = self._feed_request(lang, replaces=sitemap)
        self.logger.warning(
            "News sitemap %s %s; reading the %s feed %s instead", sitemap, why, lang, feed.url
        )
        yield feed

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Request the articles of an edition's RSS/RDF/Atom feed."""
        self.crawler.stats.inc_value("newsbot/discovery/feeds")
        skipped: Counter[str] = Counter()
        found: set[int] = set()
        faults: list[SitemapFault] = []
        try:
            entries = read_feed(response.body)
        except SitemapFault as fault:
            faults.append(fault)
            entries = []
        for entry in entries:
            if (link := self._entry(entry.link, response.url, skipped, found)) is not None:
                yield self._article_request(link, entry_meta(entry.title, entry.published))
        self._report_document(response.url, "Feed", len(found), skipped, faults)
        self._count_page(response.url, bool(found), response.meta.get(REPLACES_META_KEY))

    def _report_document(
        self, url: str, kind: str, requested: int, skipped: Counter[str],
        faults: list[SitemapFault], children: int = 0,
    ) -> None:
        """One log line per sitemap or feed, and its counts in the stats (run report)."""
        stats = self.crawler.stats
        for reason, count in skipped.items():
            stats.inc_value(f"newsbot/discovery/skipped/{reason}", count)
        stats.inc_value("newsbot/listing/article_links", requested)
        for fault in faults:
            stats.inc_value(f"newsbot/discovery/faults/{fault.key}")
            self.logger.warning("%s %s is unreadable: %s", kind, url, fault)
        details = ", ".join(f"{reason} {n}" for reason, n in sorted(skipped.items())) or "none"
        sitemaps = f"{children} child sitemap(s), " if children else ""
        self.logger.info(
            "%s %s: %s%d article link(s); skipped: %s", kind, url, sitemaps, requested, details
        )

    def _count_page(self, url: str, has_links: bool, replaces: str | None = None) -> None:
        """Count a fetched discovery page for the run's health (newsbot.crawling.health)."""
        self.crawler.stats.inc_value("newsbot/listing/pages")
        if not has_links:
            self.crawler.stats.inc_value("newsbot/listing/pages_without_links")
            for page in filter(None, (replaces, url)):
                record_url(self.crawler.stats, EMPTY_LISTING_URLS, page)

    def discovery_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A sitemap or feed could not be fetched (after retries).

        The site's robots.txt refusing it stops the run (another host's, e.g. the feed host's,
        is a reason in the run summary); a failed news sitemap falls back to its edition's
        feed; anything else is logged and counted for the run's health (a host that could not
        be reached counts as such).
        """
        failed = FailedRequest.of(self.crawler, failure)
        if failed.dropped:
            return
        request = failure.request
        reason = failed.reason
        if failed.refused is not None:
            if on_host(request.url, self._article_hosts):  # the site itself refuses us
                raise stop_crawl(self.crawler, failed.refused, ROBOTS_REFUSED)
            self.crawler.stats.inc_value("newsbot/discovery/robots_refused")
            reason = refusal_reason(self.crawler, request.url)
        lang = request.meta.get(LANG_META_KEY)
        is_news = request.callback == self.parse_news_sitemap
        if is_news and lang and "feed" not in self.channels:
            yield from self._fallback_feed(lang, request.url, f"failed ({reason})")
            return
        self._page_failed(failed, "Discovery", request.meta.get(REPLACES_META_KEY), reason)
        if request.callback == self.parse_feed and lang:
            self._feed_failed(request, lang, reason, failure)
        if request.callback == self.parse_article_sitemap and lang:
            yield from self._next_sitemap(lang)

    def _page_failed(
        self, failed: FailedRequest, kind: str, replaces: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Log and count a discovery page that failed, for the run's health."""
        pages = [page for page in (replaces, failed.url) if page]
        self.crawler.stats.inc_value("newsbot/listing/failed")
        for page in pages:
            record_url(self.crawler.stats, FAILED_LISTING_URLS, page)
        failed.record_unreachable(self.crawler.stats, pages)
        # A failed robots.txt was logged once for its host (RobotsFailurePolicy).
        log = self.logger.warning if failed.robots_failed else self.logger.error
        log("%s page %s failed: %s", kind, failed.url, reason or failed.reason)

    def _feed_failed(self, request: scrapy.Request, lang: str, why: str, failure: Failure) -> None:
        """Say in the run summary why an edition's feed gave nothing: a 404 names the setting
        that overrides the edition's feed code; a fallback names the sitemap it stood in for."""
        assert self.roots is not None
        stats = self.crawler.stats
        if failure.check(HttpError) and failure.value.response.status == 404:
            code = self.roots.feed_codes.get(lang, lang)
            message = (
                f"The {lang} feed {request.url} answers 404: its feed code {code!r} may be wrong "
                f"or retired; override it with NEWSBOT_FEED_CODES (e.g. -s "
                f"'NEWSBOT_FEED_CODES={{\"{lang}\": \"<code>\"}}')"
            )
            self.logger.warning(message)
            add_run_warning(stats, message)
        if replaces := request.meta.get(REPLACES_META_KEY):
            add_run_warning(
                stats, f"the {lang} feed {request.url}, fallback for the news sitemap {replaces}, "
                f"could not be read: {why}",
            )

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
            yield self._article_request(link, {})
        self.crawler.stats.inc_value("newsbot/listing/article_links", len(found))
        if not found:
            self.crawler.stats.inc_value("newsbot/listing/pages_without_links")
            record_url(self.crawler.stats, EMPTY_LISTING_URLS, response.url)
            self.logger.warning("Listing page %s has no article links", response.url)

    def parse_article(self, response: Response) -> list[ArticleItem]:
        """Extract the article here, in the crawl process (newsbot.extraction.article).

        A plain list, not a generator: Scrapy hands it to the spider middlewares as it is, the
        cheaper path per article. Worker processes were measured and removed: at any request
        rate a user may point at dw.com they bought nothing (benchmarks/DECISIONS.md).
        """
        if not isinstance(response, TextResponse):
            self._article_rejected(response, f"not an HTML page ({_ctype(response)})", "not_html")
            return []
        extraction = extract_article(response, response.meta.get(ENTRY_META_KEY))
        if extraction.charset_note:
            self.crawler.stats.inc_value("newsbot/articles/charset_repaired")
            self.logger.info(
                "Article page %s %s: decoded accordingly", response.url, extraction.charset_note
            )
        if extraction.rejected is not None:
            self._article_rejected(response, *extraction.rejected)
            return []
        if extraction.item is None:
            return []
        for name in extraction.filled:
            self.crawler.stats.inc_value(f"newsbot/articles/filled_from_entry/{name}")
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
            self.crawler.stats.inc_value("newsbot/articles/robots_unavailable")
            return
        self.crawler.stats.inc_value("newsbot/articles/failed")
        # The URL the listing linked, not the last redirect hop: that is the article's name.
        url = (failure.request.meta.get("redirect_urls") or [failed.url])[0]
        self.logger.error("Article %s failed: %s", url, failed.reason)

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
