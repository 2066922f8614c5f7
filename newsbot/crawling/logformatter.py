"""Log lines for dropped items that name the article instead of dumping it.

Scrapy's default "Dropped:" line prints the whole item: for a 5 MB article that is 5 MB of log,
for every duplicate a page of text. The drop reason (see pipelines/) already names the URL or
permalink, so that is all the line carries.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class ArticleLogFormatter(LogFormatter):
    """Scrapy's log formatter, with one-line drop messages."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        level = result["level"]
        return {
            "level": level if isinstance(level, int) else logging.WARNING,
            "msg": "Dropped: %(exception)s",
            "args": {"exception": exception},
        }
