"""Write each article as one line of the daily JSONL file, then mark it stored."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newsbot.items import ARTICLE_FIELDS
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
        self.archive.store({name: adapter.get(name) for name in ARTICLE_FIELDS})
        self.stats.inc_value("newsbot/stored")
        return item
