"""Spider middleware that keeps a scheduled run from spending requests on known articles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newsbot.errors import STORAGE_FAILED, stop_crawl
from newsbot.permalink import permalink_for
from newsbot.stats import (
    ARTICLES_REQUESTED,
    ARTICLES_SKIPPED_SEEN_THIS_RUN,
    ARTICLES_SKIPPED_STORED,
)
from newsbot.storage import StorageError
from newsbot.storage.archive import Archive

# Request.meta key under which the spider marks article requests with their content id.
ARTICLE_META_KEY = "newsbot_content_id"
# Request.meta key that lets a request through even when the article is stored (refetch).
REFETCH_META_KEY = "newsbot_refetch"


class KnownArticleFilter:
    """Drops article requests whose permalink is stored or already requested in this run.

    The permalink follows from the content id in the URL, so the archive is checked before the
    request is made: one article reached under two slugs, or with `?maca=` tracking variants,
    is requested once, and an article stored by an earlier run is not requested at all.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self._seen: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleFilter:
        return cls(crawler)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if not isinstance(output, Request) or self._is_wanted(output):
                yield output

    def _is_wanted(self, request: Request) -> bool:
        content_id = request.meta.get(ARTICLE_META_KEY)
        if content_id is None:
            return True
        if content_id in self._seen:
            self.stats.inc_value(ARTICLES_SKIPPED_SEEN_THIS_RUN)
            return False
        archive = Archive.for_crawler(self.crawler)
        try:
            stored = archive.is_stored(permalink_for(content_id))
        except StorageError as exc:
            raise stop_crawl(self.crawler, exc, STORAGE_FAILED) from exc
        self._seen.add(content_id)  # later links to it count as seen in this run
        if not request.meta.get(REFETCH_META_KEY) and stored:
            self.stats.inc_value(ARTICLES_SKIPPED_STORED)
            return False
        self.stats.inc_value(ARTICLES_REQUESTED)
        return True
