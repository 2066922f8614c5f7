"""News sitemaps and feeds: the requests of a daily run, their entries, and their failures.

A mixin of the `dw` spider (its callbacks stay spider methods, as Scrapy's request
serialization wants them). Each edition's news sitemap lists what DW published in the last two
days; its RSS feed stands in when the sitemap fails or lists nothing. Every discovery document
(these, and a backfill's article sitemaps) is reported the same way: one INFO line with what it
listed and why entries were skipped, and its counts in the stats for the run report and the
health verdict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsbot.crawling.discovery.entries import on_host, wanted_article
from newsbot.crawling.discovery.feeds import read_feed
from newsbot.crawling.discovery.metadata import entry_meta
from newsbot.crawling.discovery.sitemaps import (
    SITEMAP_SIZE_META,
    SitemapFault,
    SitemapReader,
    sitemap_body,
)
from newsbot.crawling.failures import FailedRequest
from newsbot.crawling.health import add_run_warning, record_url
from newsbot.crawling.robots import refusal_reason
from newsbot.errors import ROBOTS_REFUSED, stop_crawl
from newsbot.links import ArticleLink
from newsbot.stats import (
    DISCOVERY_ARTICLE_LINKS,
    DISCOVERY_FAILED,
    DISCOVERY_FAULTS,
    DISCOVERY_PAGES,
    DISCOVERY_PAGES_WITHOUT_LINKS,
    DISCOVERY_ROBOTS_REFUSED,
    DISCOVERY_SKIPPED,
    EMPTY_DISCOVERY_URLS,
    FAILED_DISCOVERY_URLS,
    FEED_FALLBACKS,
    FEEDS,
    NEWS_OLDEST,
    NEWS_SITEMAPS,
)

if TYPE_CHECKING:
    from spiders.dw import DwSpider

# Request.meta keys of discovery requests: the edition, how deep a sitemap is nested in its
# index, and the news sitemap a fallback feed stands in for.
LANG_META_KEY = "newsbot_lang"
DEPTH_META_KEY = "newsbot_sitemap_depth"
REPLACES_META_KEY = "newsbot_replaces"


def content_type(response: Response) -> str:
    """The response's Content-Type, for log lines."""
    return response.headers.get("Content-Type", b"no Content-Type").decode("latin-1")


class NewsSitemapsAndFeeds:
    """Spider mixin: request and read the editions' news sitemaps and feeds."""

    def _sitemap_request(
        self: DwSpider, url: str, lang: str, callback: Any, depth: int = 0
    ) -> scrapy.Request:
        self._sitemaps_seen.add(url)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            meta={LANG_META_KEY: lang, DEPTH_META_KEY: depth, **SITEMAP_SIZE_META},
        )

    def _feed_request(self: DwSpider, lang: str, replaces: str | None = None) -> scrapy.Request:
        assert self.roots is not None
        meta: dict[str, Any] = {LANG_META_KEY: lang}
        if replaces:
            meta[REPLACES_META_KEY] = replaces
        return scrapy.Request(
            self.roots.feed(lang), callback=self.parse_feed, errback=self.discovery_failed,
            meta=meta,
        )

    def _entry(
        self: DwSpider, loc: str, base_url: str, skipped: Counter[str],
        found: set[int] | None = None,
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

    def _open_sitemap(self: DwSpider, response: Response) -> SitemapReader:
        """A stream of the sitemap's entries; a body that cannot be unpacked is its fault."""
        ctype = content_type(response).lower()
        declared = urlsplit(response.url).path.endswith(".gz") or "gzip" in ctype
        try:
            return SitemapReader(sitemap_body(response.body, declared))
        except SitemapFault as fault:
            return SitemapReader.unreadable(fault)

    def parse_news_sitemap(self: DwSpider, response: Response) -> Iterator[scrapy.Request]:
        """Request the articles of an edition's news sitemap; its feed when it fails or is empty."""
        lang = response.meta[LANG_META_KEY]
        skipped: Counter[str] = Counter()
        found: set[int] = set()
        self.crawler.stats.inc_value(NEWS_SITEMAPS)
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
            self.crawler.stats.set_value(f"{NEWS_OLDEST}{lang}", oldest.isoformat())
        self._report_document(response.url, "News sitemap", len(found), skipped, faults)
        if found and not faults:
            self._count_page(response.url, True)
            return
        # Fetched, but the edition's feed decides whether the edition had article links.
        self.crawler.stats.inc_value(DISCOVERY_PAGES)
        why = faults[0] if faults else "no article entries"
        if "feed" in self.channels:
            self.logger.warning(
                "News sitemap %s unusable (%s); the %s feed is read as well", response.url, why,
                lang,
            )
            return
        yield from self._fallback_feed(lang, response.url, f"unusable ({why})")

    def _fallback_feed(
        self: DwSpider, lang: str, sitemap: str, why: str
    ) -> Iterator[scrapy.Request]:
        """The edition's feed, read instead of its news sitemap (once per edition and run)."""
        if lang in self._fallback_langs:
            return
        self._fallback_langs.add(lang)
        self.crawler.stats.inc_value(FEED_FALLBACKS)
        feed = self._feed_request(lang, replaces=sitemap)
        self.logger.warning(
            "News sitemap %s %s; reading the %s feed %s instead", sitemap, why, lang, feed.url
        )
        yield feed

    def parse_feed(self: DwSpider, response: Response) -> Iterator[scrapy.Request]:
        """Request the articles of an edition's RSS/RDF/Atom feed."""
        self.crawler.stats.inc_value(FEEDS)
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
        self: DwSpider, url: str, kind: str, requested: int, skipped: Counter[str],
        faults: list[SitemapFault], children: int = 0,
    ) -> None:
        """One log line per sitemap or feed, and its counts in the stats (run report)."""
        stats = self.crawler.stats
        for reason, count in skipped.items():
            stats.inc_value(f"{DISCOVERY_SKIPPED}{reason}", count)
        stats.inc_value(DISCOVERY_ARTICLE_LINKS, requested)
        for fault in faults:
            stats.inc_value(f"{DISCOVERY_FAULTS}{fault.key}")
            self.logger.warning("%s %s is unreadable: %s", kind, url, fault)
        details = ", ".join(f"{reason} {n}" for reason, n in sorted(skipped.items())) or "none"
        sitemaps = f"{children} child sitemap(s), " if children else ""
        self.logger.info(
            "%s %s: %s%d article link(s); skipped: %s", kind, url, sitemaps, requested, details
        )

    def _count_page(self: DwSpider, url: str, has_links: bool, replaces: str | None = None) -> None:
        """Count a fetched discovery page for the run's health (newsbot.crawling.health)."""
        self.crawler.stats.inc_value(DISCOVERY_PAGES)
        if not has_links:
            self.crawler.stats.inc_value(DISCOVERY_PAGES_WITHOUT_LINKS)
            for page in filter(None, (replaces, url)):
                record_url(self.crawler.stats, EMPTY_DISCOVERY_URLS, page)

    def discovery_failed(self: DwSpider, failure: Failure) -> Iterator[scrapy.Request]:
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
            self.crawler.stats.inc_value(DISCOVERY_ROBOTS_REFUSED)
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
        self: DwSpider, failed: FailedRequest, kind: str, replaces: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Log and count a discovery page that failed, for the run's health."""
        pages = [page for page in (replaces, failed.url) if page]
        self.crawler.stats.inc_value(DISCOVERY_FAILED)
        for page in pages:
            record_url(self.crawler.stats, FAILED_DISCOVERY_URLS, page)
        failed.record_unreachable(self.crawler.stats, pages)
        # A failed robots.txt was logged once for its host (RobotsFailurePolicy).
        log = self.logger.warning if failed.robots_failed else self.logger.error
        log("%s page %s failed: %s", kind, failed.url, reason or failed.reason)

    def _feed_failed(
        self: DwSpider, request: scrapy.Request, lang: str, why: str, failure: Failure
    ) -> None:
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
