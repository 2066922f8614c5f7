"""Article extraction: detect the page design from its structure, then read it with its page class.

The spider calls `parse_article_page` only; which design a page has is decided by its markup (a
`div.rich-text` body, or `.col3` with `div.longText`), never by its date: the publication date
says nothing about the template a page is served or archived in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.http import TextResponse

from newsbot.extraction.pages.base import ArticlePage, UnknownPageDesign, first_with_class
from newsbot.extraction.pages.current import CurrentArticlePage
from newsbot.extraction.pages.legacy import LegacyArticlePage
from newsbot.items import ArticleItem

__all__ = ["UnknownPageDesign", "detect_page", "parse_article_page", "read_article_page"]

# Order matters only for pages carrying both structures; the current design is the live one.
DESIGNS: tuple[type[ArticlePage], ...] = (CurrentArticlePage, LegacyArticlePage)


def detect_page(response: TextResponse) -> ArticlePage:
    """The page object for the response's design; UnknownPageDesign when none matches."""
    root, markup = response.selector.root, response.text
    for design in DESIGNS:
        body = design.detect(root, markup, first_with_class(root, "div", design.body_class))
        if body is not None:
            return design(response, root, markup, body)
    raise UnknownPageDesign(
        "neither a current-design div.rich-text nor a legacy .col3 div.longText body", response.url
    )


def parse_article_page(
    response: TextResponse,
    scraped_at: datetime | None = None,
    fallback: Mapping[str, Any] | None = None,
) -> ArticleItem:
    """The article item of the page (see `read_article_page`)."""
    return read_article_page(response, scraped_at, fallback)[0]


def read_article_page(
    response: TextResponse,
    scraped_at: datetime | None = None,
    fallback: Mapping[str, Any] | None = None,
) -> tuple[ArticleItem, list[str]]:
    """Detect the design, extract through ArticleLoader: the item, and the fields `fallback`
    (what a sitemap or feed entry said: title, published, topics) filled for want of the page's.

    `scraped_at` defaults to now (UTC); relative page dates are read against the response's
    Date header, or against `scraped_at` when the response has none.
    """
    scraped_at = scraped_at or datetime.now(UTC)
    page = detect_page(response)
    item = page.to_item(scraped_at, _response_date(response) or scraped_at, fallback)
    return item, page.filled_from_fallback


def _response_date(response: TextResponse) -> datetime | None:
    """The response's Date header, the base for relative dates such as "vor 3 Stunden"."""
    header = response.headers.get(b"Date")
    if not header:
        return None
    try:
        return parsedate_to_datetime(header.decode("latin-1"))
    except (TypeError, ValueError):
        return None
