"""One `dw` crawl in this process, for `python -m newsbot run`, judged by newsbot.crawling.health.

In-process (AsyncCrawlerProcess, as `scrapy crawl` uses) so that the verdict is read from the
crawl's own stats rather than parsed from a log. A crawl that never got going (the spider or
a component raised while starting) still gets a run report saying so.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings

from newsbot.crawling.health import ExitCode, Verdict, assess
from newsbot.crawling.run_report import RunReport, build_report, write_report
from newsbot.storage import file_mode

SPIDER_NAME = "dw"


def run_crawl(settings: Settings, spider_args: dict[str, Any]) -> Verdict:
    """Run the crawl to its end and return its verdict (the run report is written by then)."""
    started = datetime.now(UTC)
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(SPIDER_NAME)
    task = process.crawl(crawler, **spider_args)
    process.start()
    error = _crawl_error(task)
    if error is None and crawler.stats.get_value("finish_reason") is not None:
        return assess(crawler.stats.get_stats(), crawler.settings)
    verdict = Verdict(ExitCode.NOT_STARTED, f"the spider could not start: {error or 'unknown'}")
    extension = _run_report(crawler)
    if extension is not None:
        extension.write(verdict)
    else:
        report = build_report({}, started, datetime.now(UTC), verdict)
        write_report(
            settings.get("NEWSBOT_DATA_DIR"), report,
            mode=file_mode(settings.get("NEWSBOT_FILE_MODE")),
        )
    return verdict


def _crawl_error(task: asyncio.Task[None]) -> str | None:
    """The exception that ended the crawl task, as one line (None when it ended normally)."""
    if not task.done():
        return "the crawl did not finish"
    if task.cancelled():
        return "the crawl was cancelled"
    exc = task.exception()
    return None if exc is None else f"{type(exc).__name__}: {exc}"


def _run_report(crawler: Crawler) -> RunReport | None:
    """The crawl's RunReport extension, when it got as far as loading extensions."""
    try:
        extensions = crawler.extensions.middlewares
    except (AttributeError, RuntimeError):
        return None
    return next((ext for ext in extensions if isinstance(ext, RunReport)), None)
