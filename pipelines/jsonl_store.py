"""Write each article as one line of the daily JSONL file, then mark it stored."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsbot.errors import STORAGE_FAILED, stop_crawl
from newsbot.items import ARTICLE_FIELDS
from newsbot.storage import StorageError
from newsbot.storage.archive import Archive


class JsonlStorePipeline:
    """The archive writer: one JSON object per line, UTF-8, one file per UTC day."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonlStorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive.for_crawler(self.crawler)

    def process_item(self, item: object) -> object:
        assert self.archive is not None
        adapter = ItemAdapter(item)
        # Every line carries every field of the schema, in schema order (null when unknown).
        try:
            self.archive.store({name: adapter.get(name) for name in ARTICLE_FIELDS})
        except StorageError as exc:
            # Disk full or unwritable: stop the crawl (logged once) rather than fail every item;
            # the article is not marked stored, so the next run fetches it again.
            stop_crawl(self.crawler, exc, STORAGE_FAILED)
            self.stats.inc_value("newsbot/dropped/not_stored")
            raise DropItem("not stored: the archive cannot be written", log_level="DEBUG") from exc
        self.stats.inc_value("newsbot/stored")
        return item
