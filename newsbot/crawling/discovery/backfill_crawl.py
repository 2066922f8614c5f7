"""A backfill's reading of the article sitemaps: an index's children queued, a urlset's articles
in the window requested.

A mixin of the `dw` spider (its callbacks stay spider methods, as Scrapy's request
serialization wants them); `SitemapIndexDiscovery` queues each edition's article sitemaps, and
this reads them one after the other per edition.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response

from newsbot.crawling.discovery.entries import on_host
from newsbot.crawling.discovery.metadata import entry_meta
from newsbot.crawling.discovery.news_crawl import DEPTH_META_KEY, LANG_META_KEY
from newsbot.crawling.discovery.sitemaps import SitemapEntry
from newsbot.stats import ARTICLE_SITEMAPS

if TYPE_CHECKING:
    from spiders.dw import DwSpider

# Sitemap indexes nest at most this deep (index -> index -> urlset); deeper ones are skipped.
MAX_SITEMAP_DEPTH = 3
# Sitemap entries read between two pauses for the event loop (downloads go on meanwhile).
READ_SLICE = 2000


class ArticleSitemapBackfill:
    """Spider mixin: the article sitemaps of a backfill (`-a since=`)."""

    async def parse_article_sitemap(
        self: DwSpider, response: Response
    ) -> AsyncIterator[scrapy.Request]:
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
        self.crawler.stats.inc_value(ARTICLE_SITEMAPS)
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

    def _next_sitemap(self: DwSpider, lang: str) -> Iterator[scrapy.Request]:
        """The edition's next queued child sitemap, if any (one in flight per edition)."""
        queue = self._sitemap_queues.get(lang)
        if queue:
            yield queue.popleft()

    def _queue_child_sitemap(
        self: DwSpider, entry: SitemapEntry, parent: str, lang: str, depth: int,
        skipped: Counter[str],
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
