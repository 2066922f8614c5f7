"""Article extraction: detect the page design from its structure, then read it with its page class.

The spider calls `parse_article_page` only; which design a page has is decided by its markup (a
`div.rich-text` body, or `.col3` with `div.longText`), never by its date: the publication date
says nothing about the template a page is served or archived in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.http import TextResponse

from newsbot.extraction.pages.base import ArticlePage, UnknownPageDesign, first_with_classes
from newsbot.extraction.pages.current import CurrentArticlePage
from newsbot.extraction.pages.legacy import LegacyArticlePage
from newsbot.extraction.pages.markup import parse_markup
from newsbot.items import ArticleItem

__all__ = ["UnknownPageDesign", "detect_page", "parse_article_page"]

# Order matters only for pages carrying both structures; the current design is the live one.
DESIGNS: tuple[type[ArticlePage], ...] = (CurrentArticlePage, LegacyArticlePage)


# The body containers' class words, looked for in one walk over the page's divs.
BODY_CLASSES = tuple(design.body_class for design in DESIGNS)


def detect_page(response: TextResponse) -> ArticlePage:
    """The page object for the response's design; UnknownPageDesign when none matches."""
    root, markup = parse_markup(response)
    marked = first_with_classes(root, "div", BODY_CLASSES)
    for design in DESIGNS:
        body = design.detect(root, markup, marked.get(design.body_class))
        if body is not None:
            return design(response, root, markup, body)
    raise UnknownPageDesign(
        "neither a current-design div.rich-text nor a legacy .col3 div.longText body", response.url
    )


def parse_article_page(
    response: TextResponse, scraped_at: datetime | None = None
) -> ArticleItem:
    """Detect the design, extract through ArticleLoader, return the item.

    `scraped_at` defaults to now (UTC); relative page dates are read against the response's
    Date header, or against `scraped_at` when the response has none.
    """
    scraped_at = scraped_at or datetime.now(UTC)
    return detect_page(response).to_item(scraped_at, _response_date(response) or scraped_at)


def _response_date(response: TextResponse) -> datetime | None:
    """The response's Date header, the base for relative dates such as "vor 3 Stunden"."""
    header = response.headers.get(b"Date")
    if not header:
        return None
    try:
        return parsedate_to_datetime(header.decode("latin-1"))
    except (TypeError, ValueError):
        return None
