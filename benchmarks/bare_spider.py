"""The floor of the crawl benchmark: a spider that downloads the same pages and does nothing else.

Run with `scrapy runspider benchmarks/bare_spider.py -a urls_file=FILE` from a directory without
scrapy.cfg, so none of newsbot's settings, middlewares or pipelines load: no parsing, no items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    """Requests every URL of `urls_file` (one a line) and discards the responses."""

    name = "bare"
    # Outside a project these are Scrapy's defaults; the Telnet console stays closed anyway.
    custom_settings: ClassVar[dict[str, Any]] = {"TELNETCONSOLE_ENABLED": False}

    def __init__(self, urls_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls_file).read_text(encoding="utf-8").split()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.discard)

    def discard(self, response: Response) -> None:
        """Count nothing, parse nothing: the response is downloaded and dropped."""
        return None
