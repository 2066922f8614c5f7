"""The `dw` spider: DW's channels (news sitemaps, feeds, article sitemaps, topic and section
pages) -> article pages -> one item per article.

Crawling only: which pages to fetch and which links to follow. How a sitemap or feed is read
lives in `newsbot.crawling.discovery`; what a DW page means in `newsbot.extraction.pages`
(one module per page design); what is kept in the pipelines.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsbot.crawling.arguments import DwArguments, SpiderArgumentError
from newsbot.crawling.discovery.dates import DateWindow
from newsbot.crawling.discovery.editions import Channels
from newsbot.crawling.discovery.entries import on_host, wanted_article
from newsbot.crawling.discovery.feeds import read_feed
from newsbot.crawling.discovery.metadata import entry_meta, fill_missing
from newsbot.crawling.discovery.sitemaps import (
    MAX_SITEMAP_BYTES,
    SitemapEntry,
    SitemapFault,
    SitemapReader,
    sitemap_body,
)
from newsbot.crawling.failures import FailedRequest
from newsbot.crawling.known_articles import ARTICLE_META_KEY, REFETCH_META_KEY
from newsbot.crawling.rendering import Renderer
from newsbot.errors import BAD_ARGUMENTS, ROBOTS_REFUSED, stop_crawl
from newsbot.extraction.article import extract_article
from newsbot.items import ArticleItem
from newsbot.links import ArticleLink, article_link, is_listing_url
from newsbot.operations.gaps import coverage_gap, read_history
from newsbot.operations.health import (
    EMPTY_LISTING_URLS,
    FAILED_LISTING_URLS,
    RUN_WARNINGS,
    record_url,
)

# Request.meta keys of discovery requests: the edition, what the request reads, and the news
# sitemap a fallback feed stands in for.
LANG_META_KEY = "newsbot_lang"
DEPTH_META_KEY = "newsbot_sitemap_depth"
REPLACES_META_KEY = "newsbot_replaces"
# Sitemap indexes nest at most this deep (index -> index -> urlset); deeper ones are skipped.
MAX_SITEMAP_DEPTH = 3
# Sitemap entries read between two pauses for the event loop (downloads go on meanwhile).
READ_SLICE = 2000


class DwSpider(scrapy.Spider):
    """Reads DW's discovery channels of the chosen editions and requests their new articles.

    Without arguments: each edition's news sitemap, its RSS feed when that fails. With
    `since`: the article sitemaps, for the articles they date in the window. With
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
        (newsbot.operations.preflight), so that a typo costs one log line and no trace on disk.
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
        self._discovery = self._discovery_requests()
        self.start_urls = self.listing_urls + [request.url for request in self._discovery]
        self._article_hosts = [urlsplit(self.roots.site_url).hostname or ""]
        # A news sitemap falls back on its edition's feed: the feeds' host is the run's too
        # (outside allowed_domains, Scrapy would drop the fallback request without a word).
        hosts = {urlsplit(url).hostname or "" for url in self.start_urls}
        if self._discovery:
            hosts.update(self._article_hosts)
            if self.window is None:
                hosts.add(urlsplit(self.roots.feeds_url).hostname or "")
        self.allowed_domains = sorted(hosts)
        self.renderer = Renderer.from_settings(settings, arguments.render, self.crawler)
        if self.renderer.enabled:
            self.renderer.enable(settings, self.start_urls)  # not frozen yet here

    def _discovery_requests(self) -> list[scrapy.Request]:
        """The sitemaps and feeds the run starts from, in the order they are requested."""
        assert self.roots is not None
        requests = []
        for lang in self.languages:
            if self.window is not None:
                url = self.roots.article_sitemap(lang)
                requests.append(self._sitemap_request(url, lang, self.parse_article_sitemap))
                continue
            if "news" in self.channels:
                url = self.roots.news_sitemap(lang)
                requests.append(self._sitemap_request(url, lang, self.parse_news_sitemap))
            if "feed" in self.channels:
                requests.append(self._feed_request(lang))
        return requests

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.argument_error is not None:
            raise stop_crawl(self.crawler, self.argument_error, BAD_ARGUMENTS)
        if self.window is None:
            self._warn_coverage_gap()
        else:
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

    def _warn_coverage_gap(self) -> None:
        """Warn (log and run report) when the last success is older than the news sitemaps reach."""
        settings = self.crawler.settings
        window = timedelta(hours=settings.getfloat("NEWSBOT_NEWS_WINDOW_HOURS", 48))
        now = datetime.now(UTC)
        # Newest reports first, back to the last success only: a year of cron runs is 17,520.
        history = read_history(settings.get("NEWSBOT_DATA_DIR"), since=now)
        gap = coverage_gap(history, window, now)
        if gap is None:
            return
        hours = window / timedelta(hours=1)
        message = (
            f"Coverage gap: no successful run since {gap.start.isoformat(timespec='minutes')} "
            f"({gap.hours:.0f} h, more than NEWSBOT_NEWS_WINDOW_HOURS={hours:g}); "
            "the news sitemaps no longer list what was published in between. "
            f"Close the gap with: {gap.backfill_command(self.languages)}"
        )
        self.logger.warning(message)
        stats = self.crawler.stats
        stats.set_value(RUN_WARNINGS, [*stats.get_value(RUN_WARNINGS, []), message])

    def _sitemap_request(
        self, url: str, lang: str, callback: Any, depth: int = 0
    ) -> scrapy.Request:
        self._sitemaps_seen.add(url)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            meta={
                LANG_META_KEY: lang,
                DEPTH_META_KEY: depth,
                # Sitemaps may reach the protocol's 50 MB, whatever DOWNLOAD_MAXSIZE allows
                # an article page.
                "download_maxsize": MAX_SITEMAP_BYTES,
                "download_warnsize": MAX_SITEMAP_BYTES,
            },
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
        for entry in reader:
            if (link := self._entry(entry.loc, response.url, skipped, found)) is not None:
                meta = entry_meta(entry.title, entry.published, entry.keywords)
                yield self._article_request(link, meta)
        faults = [reader.fault] if reader.fault else []
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
        self.crawler.stats.inc_value("newsbot/discovery/feed_fallbacks")
        feed = self._feed_request(lang, replaces=response.url)
        self.logger.warning(
            "News sitemap %s unusable (%s); reading the %s feed %s instead",
            response.url, why, lang, feed.url,
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

    async def parse_article_sitemap(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Backfill: queue an index's child sitemaps; request a urlset's articles in the window.

        Entries are dated by news:publication_date, else lastmod; entries without either are
        not requested (counted as `undated`), since nothing places them inside the window. An
        entry dated outside the window is skipped before its URL is even parsed: most of a
        backfill's entries are. Every READ_SLICE entries the reading pauses for the event loop,
        so that the articles already found are downloaded while the rest is read. The edition's
        next queued sitemap is requested when this one is done: one sitemap body at a time.
        """
        assert self.window is not None
        lang = response.meta[LANG_META_KEY]
        depth = response.meta.get(DEPTH_META_KEY, 0)
        skipped: Counter[str] = Counter()
        found: set[int] = set()
        listed = children = 0
        self.crawler.stats.inc_value("newsbot/discovery/article_sitemaps")
        reader = self._open_sitemap(response)
        for entry in reader:
            if reader.entries % READ_SLICE == 0:
                await asyncio.sleep(0)
            if reader.kind == "sitemapindex":
                children += self._queue_child_sitemap(entry, response.url, lang, depth, skipped)
                continue
            moment = entry.date
            if moment is not None and not self.window.contains(moment):
                listed += 1
                skipped["out_of_window"] += 1
                continue
            link = self._entry(entry.loc, response.url, skipped)
            if link is None:
                continue
            listed += 1
            if moment is None:
                skipped["undated"] += 1
            elif link.content_id in found:
                skipped["duplicate"] += 1
            else:
                found.add(link.content_id)
                yield self._article_request(
                    link, entry_meta(entry.title, entry.published, entry.keywords)
                )
        faults = [reader.fault] if reader.fault else []
        kind = "Sitemap index" if reader.kind == "sitemapindex" else "Article sitemap"
        self._report_document(response.url, kind, len(found), skipped, faults, children)
        # An index whose children all end before the window is no layout change: no alarm.
        valid_children = children + skipped["sitemap_before_window"]
        self._count_page(response.url, bool(listed or valid_children))
        for request in self._next_sitemap(lang):
            yield request

    def _next_sitemap(self, lang: str) -> Iterator[scrapy.Request]:
        """The edition's next queued child sitemap, if any (one in flight per edition)."""
        queue = self._sitemap_queues.get(lang)
        if queue:
            yield queue.popleft()

    def _queue_child_sitemap(
        self, entry: SitemapEntry, parent: str, lang: str, depth: int, skipped: Counter[str]
    ) -> int:
        """Queue a child sitemap of an index (1), or skip it with the reason (0).

        Children are requested one after the other (`_next_sitemap`), never all at once: twenty
        50 MB sitemaps in flight would hold a gigabyte, and would keep the articles found in
        the first waiting behind the downloads of the others.
        """
        assert self.window is not None and self.roots is not None
        url = urljoin(parent, entry.loc)
        if urlsplit(url).scheme not in {"http", "https"} or not on_host(
            url, [urlsplit(self.roots.site_url).hostname or ""]
        ):
            skipped["sitemap_off_site"] += 1
            self.logger.warning("Sitemap index %s lists %s: not on the site, skipped", parent, url)
            return 0
        if url in self._sitemaps_seen:
            skipped["sitemap_repeated"] += 1
            self.logger.warning(
                "Sitemap index %s lists %s, which this run already read: skipped", parent, url
            )
            return 0
        if depth + 1 > MAX_SITEMAP_DEPTH:
            skipped["sitemap_too_deep"] += 1
            self.logger.warning("Sitemap index %s nests deeper than %d: %s skipped", parent,
                                MAX_SITEMAP_DEPTH, url)
            return 0
        if entry.lastmod is not None and self.window.ended_before(entry.lastmod):
            skipped["sitemap_before_window"] += 1
            return 0
        request = self._sitemap_request(url, lang, self.parse_article_sitemap, depth + 1)
        self._sitemap_queues.setdefault(lang, deque()).append(request)
        return 1

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
        """Count a fetched discovery page for the run's health (newsbot.operations.health)."""
        self.crawler.stats.inc_value("newsbot/listing/pages")
        if not has_links:
            self.crawler.stats.inc_value("newsbot/listing/pages_without_links")
            for page in filter(None, (replaces, url)):
                record_url(self.crawler.stats, EMPTY_LISTING_URLS, page)

    def discovery_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A sitemap or feed could not be fetched (after retries).

        robots.txt refusing it stops the run; a failed news sitemap falls back to its
        edition's feed; anything else is logged and counted for the run's health (a host that
        could not be reached counts as such).
        """
        failed = FailedRequest.of(self.crawler, failure)
        if failed.dropped:
            return
        if failed.refused is not None:
            raise stop_crawl(self.crawler, failed.refused, ROBOTS_REFUSED)
        request = failure.request
        lang = request.meta.get(LANG_META_KEY)
        is_news = request.callback == self.parse_news_sitemap
        if is_news and lang and "feed" not in self.channels:
            self.crawler.stats.inc_value("newsbot/discovery/feed_fallbacks")
            feed = self._feed_request(lang, replaces=request.url)
            self.logger.warning(
                "News sitemap %s failed (%s); reading the %s feed %s instead",
                request.url, failed.reason, lang, feed.url,
            )
            yield feed
            return
        self._page_failed(failed, "Discovery", request.meta.get(REPLACES_META_KEY))
        if request.callback == self.parse_article_sitemap and lang:
            yield from self._next_sitemap(lang)

    def _page_failed(self, failed: FailedRequest, kind: str, replaces: str | None = None) -> None:
        """Log and count a discovery page that failed, for the run's health."""
        pages = [page for page in (replaces, failed.url) if page]
        self.crawler.stats.inc_value("newsbot/listing/failed")
        for page in pages:
            record_url(self.crawler.stats, FAILED_LISTING_URLS, page)
        failed.record_unreachable(self.crawler.stats, pages)
        # A failed robots.txt was logged once for its host (RobotsFailurePolicy).
        log = self.logger.warning if failed.robots_failed else self.logger.error
        log("%s page %s failed: %s", kind, failed.url, failed.reason)

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
        extraction = extract_article(response)
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
        for name in fill_missing(extraction.item, response.meta):
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
