"""Drop articles already in the archive, whether stored in an earlier run or earlier in this one."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsbot.storage.archive import Archive


class DedupePipeline:
    """Deduplicates by DW permalink against the persistent index (see newsbot.storage.seen)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive.for_crawler(self.crawler)

    def process_item(self, item: object) -> object:
        assert self.archive is not None
        adapter = ItemAdapter(item)
        if self.archive.is_stored(adapter["permalink"]):
            self.stats.inc_value("newsbot/dropped/duplicate")
            raise DropItem(f"{adapter['permalink']} ({adapter['url']}) is already stored")
        return item
