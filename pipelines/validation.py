"""Drop items that would be worthless in the archive, saying why."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

REQUIRED_FIELDS: tuple[str, ...] = ("url", "content_id", "title", "body")


class ValidationPipeline:
    """An item without url, content_id, title or body is dropped and counted per reason."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler.stats)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        missing = [name for name in REQUIRED_FIELDS if not adapter.get(name)]
        if missing:
            reason = "missing_" + "_".join(missing)
            self.stats.inc_value(f"newsbot/dropped/{reason}")
            raise DropItem(f"{adapter.get('url') or 'article'} has no {', '.join(missing)}")
        return item
