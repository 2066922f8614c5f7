"""`scrapy crawl`, with newsbot's checks before the crawl and a non-zero exit on its errors.

Scrapy's own `crawl` exits 1 only when the crawler failed to bootstrap, which happens when an
exception escapes the spider's construction and costs an asyncio traceback. newsbot instead:

- checks the `dw` spider's arguments and settings before anything starts
  (newsbot.crawling.preflight): a refused run is one ERROR line, exit status 1, and no file
  or directory created;
- maps the finish reasons of `newsbot.errors.FAILURE_REASONS` (a run stopped on an error:
  storage, robots.txt, another run holding the lock) to exit status 1, and repeats the error
  as the last line of the log.

Everything else is Scrapy's command, unchanged: a crawl that ran exits 0 whatever it found
(the run report and `newsbot run` judge its health).
"""

from __future__ import annotations

import argparse
import logging

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from newsbot.crawling.preflight import check_run
from newsbot.errors import NewsbotError, error_message, run_failed

logger = logging.getLogger(__name__)

# The spider newsbot's checks apply to (other spiders of a project run unchecked).
SPIDER_NAME = "dw"


class Command(ScrapyCrawlCommand):
    """Scrapy's `crawl` command; exit status 1 when newsbot refused or stopped the run."""

    def __init__(self) -> None:
        super().__init__()
        self._crawlers: list[Crawler] = []

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self._crawlers.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args == [SPIDER_NAME]:
            assert self.settings is not None
            try:
                check_run(self.settings, opts.spargs)
            except NewsbotError as exc:
                logger.error("%s; the crawl does not start", exc)
                self.exitcode = 1
                return
        super().run(args, opts)
        failed = [crawler for crawler in self._crawlers if run_failed(crawler)]
        if failed:
            self.exitcode = 1
            for crawler in failed:
                logger.error("Run failed: %s", error_message(crawler) or "see the log above")
