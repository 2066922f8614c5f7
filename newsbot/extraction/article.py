"""One article response in, one outcome out: the item, or the reason there is none.

The checks (newsbot.extraction.response_checks), the charset repair and the page-design extraction
(newsbot.extraction.pages) run here as one step, so that the spider's callback gets one kind of
answer and keeps to crawling. Nothing here raises for a bad page: an odd page costs one item and one
logged reason, never the crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scrapy.http import TextResponse

from newsbot.extraction.pages import UnknownPageDesign, read_article_page
from newsbot.extraction.response_checks import decoded_as_sent, rejection
from newsbot.items import ArticleItem

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Extraction:
    """What became of one article response; exactly one of `item` and `rejected` is set."""

    item: ArticleItem | None = None
    rejected: tuple[str, str] | None = None  # (reason for the log, newsbot/articles/rejected/<key>)
    charset_note: str | None = None  # e.g. "declared UTF-8 but is cp1252" when re-decoded
    filled: tuple[str, ...] = ()  # fields taken from the sitemap or feed entry (`fallback`)


def extract_article(
    response: TextResponse,
    fallback: Mapping[str, Any] | None = None,
    scraped_at: datetime | None = None,
) -> Extraction:
    """Check, re-decode if its charset lied, and extract the article of `response`.

    `fallback` is what the sitemap or feed entry said of it (see `read_article_page`).
    `scraped_at` is when the page was fetched (default now); re-extraction from kept pages
    (newsbot.operations.reextract) gives the capture instant.
    """
    rejected = rejection(response)
    if rejected is not None:
        return Extraction(rejected=rejected)
    response, charset_note = decoded_as_sent(response)
    try:
        item, filled = read_article_page(response, scraped_at, fallback)
    except UnknownPageDesign as exc:
        return Extraction(rejected=(str(exc), "unknown_design"), charset_note=charset_note)
    except Exception as exc:  # one odd page must cost one item, never the crawl's log
        logger.debug("Extraction traceback for %s", response.url, exc_info=True)
        reason = f"extraction failed ({type(exc).__name__}: {exc})"
        return Extraction(rejected=(reason, "extraction_error"), charset_note=charset_note)
    return Extraction(item=item, charset_note=charset_note, filled=tuple(filled))
