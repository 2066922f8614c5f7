"""The base of the pipelines that work on the crawl's archive (dedupe and store)."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsbot.errors import STORAGE_FAILED, stop_crawl
from newsbot.stats import DROPPED_NOT_STORED
from newsbot.storage import StorageError
from newsbot.storage.archive import Archive


class ArchivePipeline:
    """Opens the crawl's one Archive and turns storage failures into a clean stop."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive.for_crawler(self.crawler)

    def storage_failed(self, error: StorageError, what: str) -> DropItem:
        """Stop the crawl (logged once, not per item) and return the DropItem for this item.

        A full disk or a broken index fails every item in flight; the article is not marked
        stored, so the next run fetches it again.
        """
        stop_crawl(self.crawler, error, STORAGE_FAILED)
        self.stats.inc_value(DROPPED_NOT_STORED)
        return DropItem(what, log_level="DEBUG")
