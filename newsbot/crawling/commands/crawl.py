"""`scrapy crawl`, with a non-zero exit status when the run stopped on a newsbot error.

Scrapy's own `crawl` exits 1 only when the crawler failed to bootstrap, which happens when an
exception escapes the spider's construction and costs an asyncio traceback. newsbot instead
logs the error in one line and closes the spider with a reason from
`newsbot.errors.FAILURE_REASONS`; this command maps those reasons to exit status 1, so cron
and CI see the failure. Everything else is Scrapy's command, unchanged.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from newsbot.errors import run_failed


class Command(ScrapyCrawlCommand):
    """Scrapy's `crawl` command; exit status 1 when newsbot stopped the run on an error."""

    def __init__(self) -> None:
        super().__init__()
        self._crawlers: list[Crawler] = []

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self._crawlers.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if any(run_failed(crawler) for crawler in self._crawlers):
            self.exitcode = 1
