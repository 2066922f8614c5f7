"""Drop items that would be worthless in the archive, saying why; count media-led articles."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsbot.stats import ARTICLES_MEDIA_ONLY, DROPPED

# What identifies an article and names it. `body` is not required: an article led by its audio
# or video has no text but its teaser and credits, and is stored with an empty body.
REQUIRED_FIELDS: tuple[str, ...] = ("url", "content_id", "title")


class ValidationPipeline:
    """An item without url, content_id or title is dropped and counted per reason; an item
    without body text passes and is counted as media-only."""

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
            self.stats.inc_value(f"{DROPPED}{reason}")
            raise DropItem(f"{adapter.get('url') or 'article'} has no {', '.join(missing)}")
        if not adapter.get("body"):
            adapter["body"] = ""
            self.stats.inc_value(ARTICLES_MEDIA_ONLY)
        return item
