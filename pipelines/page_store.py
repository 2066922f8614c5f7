"""Keep each stored article's page as WARC (newsbot.storage.pages), before the item is stored.

An item pipeline sees the item, not the response it came from, and the item must not carry the
page (feed exports and the JSONL store write every field it has). So the page travels beside
the item: `ResponseOfItem`, a spider middleware, notes which response each article item came
from in a weak mapping (item -> response, an entry lives as long as the item does, so dropped
items leave nothing behind), and `PageStorePipeline`, placed between the dedupe and the JSONL
store in ITEM_PIPELINES, takes the response from it and writes the page. Only pages of items that
will be stored are kept (a refetched, unchanged article keeps no second copy), and a page is in
its file before the JSONL store marks its article stored: after a kill, a page may be kept whose
article is not stored (the rerun fetches it again and re-extraction keeps the later copy), never
an article stored without its page.

NEWSBOT_KEEP_PAGES = False turns both off (they raise NotConfigured).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, Self

from itemadapter import ItemAdapter, is_item
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newsbot.crawling.discovery.metadata import ENTRY_META_KEY
from newsbot.errors import STORAGE_FAILED, stop_crawl
from newsbot.stats import PAGES_BYTES, PAGES_KEPT, PAGES_NOT_KEPT
from newsbot.storage import StorageError, dir_mode_for, ensure_dir, file_mode
from newsbot.storage.pages import PageWriter, pages_dir
from pipelines.archive_pipeline import ArchivePipeline

logger = logging.getLogger(__name__)

_KEEPERS: weakref.WeakKeyDictionary[Crawler, PageKeeper] = weakref.WeakKeyDictionary()


class PageKeeper:
    """The crawl's page writer (from `open`) and the responses of the article items in flight."""

    def __init__(self, crawler: Crawler) -> None:
        self.settings = crawler.settings
        self.writer: PageWriter | None = None
        self.responses: weakref.WeakKeyDictionary[Any, Response] = weakref.WeakKeyDictionary()
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def open(self) -> PageWriter:
        """The writer, its directory created; StorageError when it cannot be (bad mode, path)."""
        if self.writer is None:
            mode = file_mode(self.settings.get("NEWSBOT_FILE_MODE"))
            directory = ensure_dir(pages_dir(self.settings.get("NEWSBOT_DATA_DIR")),
                                   dir_mode_for(mode))
            self.writer = PageWriter(directory, mode)
        return self.writer

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> PageKeeper:
        """The one keeper of this crawl, shared by the middleware and the pipeline."""
        if not crawler.settings.getbool("NEWSBOT_KEEP_PAGES", True):
            raise NotConfigured("NEWSBOT_KEEP_PAGES is off: article pages are not kept")
        keeper = _KEEPERS.get(crawler)
        if keeper is None:
            keeper = _KEEPERS[crawler] = cls(crawler)
        return keeper

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class ResponseOfItem:
    """Spider middleware: remembers the response each item came from, for PageStorePipeline."""

    def __init__(self, keeper: PageKeeper) -> None:
        self.keeper = keeper

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(PageKeeper.for_crawler(crawler))

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if is_item(output):
                self.keeper.responses[output] = response
            yield output


class PageStorePipeline(ArchivePipeline):
    """Writes the page of each article about to be stored; a failed write stops the crawl."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.keeper = PageKeeper.for_crawler(crawler)
        self.writer: PageWriter | None = None

    def open_spider(self) -> None:
        super().open_spider()  # the archive first: its errors are the ones to report
        try:
            self.writer = self.keeper.open()
        except StorageError as exc:
            raise stop_crawl(self.crawler, exc, STORAGE_FAILED) from exc

    def process_item(self, item: object) -> object:
        response = self.keeper.responses.pop(item, None)
        adapter = ItemAdapter(item)
        if response is None:
            # Not from a spider callback (nothing to keep); stored all the same.
            self.stats.inc_value(PAGES_NOT_KEPT)
            logger.warning("No page to keep for %s: the item has no response", adapter.get("url"))
            return item
        captured = _captured(adapter.get("scraped_at"))
        try:
            assert self.writer is not None
            self.writer.write(response, captured, response.meta.get(ENTRY_META_KEY))
        except StorageError as exc:
            raise self.storage_failed(exc, "not stored: its page cannot be kept") from exc
        except Exception:
            # A page that cannot be made into a WARC record must not cost the article: it is
            # stored without its page (re-extraction writes it as stored), and said so.
            self.stats.inc_value(PAGES_NOT_KEPT)
            logger.exception("Cannot keep the page of %s; the article is stored without it",
                             adapter.get("url"))
            return item
        self.stats.inc_value(PAGES_KEPT)
        self.stats.set_value(PAGES_BYTES, self.writer.bytes_written)
        return item


def _captured(scraped_at: str | None) -> datetime:
    """The capture instant: the item's `scraped_at`, else now."""
    if scraped_at:
        try:
            moment = datetime.fromisoformat(scraped_at)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)
