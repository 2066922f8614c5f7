"""The requests of the sitemap-index walk: robots.txt -> `Sitemap:` indexes -> edition sitemaps.

A mixin of the `dw` spider (its callbacks stay spider methods, as Scrapy's request
serialization wants them). It starts a news run or a backfill with the site's robots.txt,
follows the indexes its `Sitemap:` lines name (`newsbot.crawling.discovery.index` decides what
to follow and what each edition gets) and, once the last index is read or failed, requests
each edition's news sitemaps (or queues its article sitemaps for a backfill).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsbot.crawling.discovery.index import ARTICLE, NEWS, IndexWalk, robots_sitemaps
from newsbot.crawling.discovery.sitemaps import SITEMAP_SIZE_META
from newsbot.crawling.failures import FailedRequest
from newsbot.errors import ROBOTS_REFUSED, stop_crawl
from newsbot.stats import SITEMAP_INDEX

if TYPE_CHECKING:
    from spiders.dw import DwSpider

# Request.meta key of an index request: how deep it is nested (robots.txt's indexes: 0).
INDEX_DEPTH_META_KEY = "newsbot_index_depth"


class SitemapIndexDiscovery:
    """Spider mixin: find each edition's sitemaps through robots.txt and the sitemap index."""

    index_walk: IndexWalk | None = None

    def _robots_request(self: DwSpider, known_languages: list[str]) -> scrapy.Request:
        """The request that starts the walk: the site's robots.txt, read for `Sitemap:` lines."""
        assert self.roots is not None
        parts = urlsplit(self.roots.site_url)
        self.index_walk = IndexWalk(
            site_hosts=[parts.hostname or ""], known=known_languages, chosen=self.languages,
            crawler=self.crawler, seen=self._sitemaps_seen, prefix=parts.path.rstrip("/"),
        )
        return scrapy.Request(
            f"{parts.scheme}://{parts.netloc}/robots.txt", callback=self.parse_robots,
            errback=self.robots_failed,
        )

    def parse_robots(self: DwSpider, response: Response) -> Iterator[scrapy.Request]:
        walk = self.index_walk
        assert walk is not None
        text = response.text if isinstance(response, TextResponse) else response.body.decode(
            "utf-8", "replace"
        )
        urls, bad = robots_sitemaps(text)
        for line in bad:
            self.crawler.stats.inc_value(f"{SITEMAP_INDEX}bad_sitemap_line")
            self.logger.warning("robots.txt %s: %r names no http(s) URL: ignored", response.url,
                                line)
        if not urls:
            self.crawler.stats.inc_value(f"{SITEMAP_INDEX}no_sitemap_line")
            walk.unread = f"{response.url} has no Sitemap: line"
        walk.pending += 1  # robots.txt itself, so that the walk ends after its indexes
        for url in urls:
            nested = walk.child(url, response.url, -1)
            if nested is not None:
                yield self._index_request(nested, 0)
        yield from self._index_done()

    def robots_failed(self: DwSpider, failure: Failure) -> Iterator[scrapy.Request]:
        """robots.txt could not be read for its `Sitemap:` lines: the patterns stand in (a
        robots.txt that refuses us stops the run; one that failed refuses the whole host)."""
        failed = self._walk_failure(failure)
        if failed is None:
            return
        assert self.index_walk is not None
        self.crawler.stats.inc_value(f"{SITEMAP_INDEX}robots_failed")
        self.index_walk.unread = f"{failed.url} failed: {failed.reason}"
        self.index_walk.pending += 1
        yield from self._index_done()

    def _walk_failure(self: DwSpider, failure: Failure) -> FailedRequest | None:
        """A failed request of the walk, classified; None when a stop dropped it. robots.txt
        refusing our User-Agent stops the run."""
        failed = FailedRequest.of(self.crawler, failure)
        if failed.dropped:
            return None
        if failed.refused is not None:
            raise stop_crawl(self.crawler, failed.refused, ROBOTS_REFUSED)
        return failed

    def _index_request(self: DwSpider, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_sitemap_index, errback=self.index_failed,
            meta={INDEX_DEPTH_META_KEY: depth, **SITEMAP_SIZE_META},
        )

    def parse_sitemap_index(self: DwSpider, response: Response) -> Iterator[scrapy.Request]:
        """Take an index's children: edition sitemaps are recorded, nested indexes followed."""
        walk = self.index_walk
        assert walk is not None
        depth = response.meta.get(INDEX_DEPTH_META_KEY, 0)
        reader = self._open_sitemap(response)
        children = 0
        for entry in reader:
            if reader.kind != "sitemapindex":
                break
            children += 1
            nested = walk.child(entry.loc, response.url, depth)
            if nested is not None:
                yield self._index_request(nested, depth + 1)
        if reader.fault is not None:
            self.crawler.stats.inc_value(f"{SITEMAP_INDEX}unreadable")
            self.logger.warning("Sitemap index %s is unreadable: %s", response.url, reader.fault)
            walk.unread = f"{response.url} is unreadable"
        elif reader.kind != "sitemapindex":
            self.crawler.stats.inc_value(f"{SITEMAP_INDEX}not_index")
            self.logger.warning("Sitemap %s is no index (<%s>): not an edition's channel, "
                                "ignored", response.url, reader.kind)
        else:
            walk.read += 1
            self.logger.info("Sitemap index %s: %d child(ren)", response.url, children)
        yield from self._index_done()

    def index_failed(self: DwSpider, failure: Failure) -> Iterator[scrapy.Request]:
        """A sitemap index could not be read: where it named nothing else, the patterns do."""
        failed = self._walk_failure(failure)
        if failed is None:
            return
        assert self.index_walk is not None
        self.crawler.stats.inc_value(f"{SITEMAP_INDEX}failed")
        # The message names the error (its class when it has no message: a page cut short).
        self.logger.warning("Sitemap index %s failed: %s", failed.url, failed.reason)
        self.index_walk.unread = f"{failed.url} failed"
        yield from self._index_done()

    def _index_done(self: DwSpider) -> Iterator[scrapy.Request]:
        """After each index document: when it was the last, request the editions' sitemaps."""
        walk = self.index_walk
        assert walk is not None and self.roots is not None
        if not walk.finished():
            return
        if self.window is None:
            for channel in walk.channels(NEWS, self.languages, self.roots.news_sitemap):
                yield self._sitemap_request(channel.url, channel.lang, self.parse_news_sitemap)
            return
        for channel in walk.channels(ARTICLE, self.languages, self.roots.article_sitemap):
            request = self._sitemap_request(channel.url, channel.lang, self.parse_article_sitemap)
            self._sitemap_queues.setdefault(channel.lang, deque()).append(request)
        for lang in self.languages:
            yield from self._next_sitemap(lang)

