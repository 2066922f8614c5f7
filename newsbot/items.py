"""The article item. Its field names are a contract with downstream users (see README)."""

from __future__ import annotations

import scrapy


class ArticleItem(scrapy.Item):
    """One DW article, as stored in the JSONL archive and sent to feed exports."""

    url = scrapy.Field()  # canonical article URL
    content_id = scrapy.Field()  # int, the number in /a-<id>
    permalink = scrapy.Field()  # https://p.dw.com/p/<base62(content_id)>
    language = scrapy.Field()  # ISO 639-1, or BCP 47 where DW uses a region (pt-br)
    title = scrapy.Field()
    summary = scrapy.Field()
    authors = scrapy.Field()  # list of person names
    editors = scrapy.Field()  # list of names the closing "Edited by:" line credits
    published = scrapy.Field()  # ISO 8601 (UTC) or YYYY-MM-DD when only a date is given
    modified = scrapy.Field()
    topics = scrapy.Field()  # list, deduplicated, order kept
    body = scrapy.Field()  # paragraphs and subheadings joined by a blank line
    image = scrapy.Field()  # lead image URL or None
    agencies = scrapy.Field()  # list, may be empty
    scraped_at = scrapy.Field()  # ISO 8601 UTC


# Column order for feed exports (FEED_EXPORT_FIELDS) and the README schema.
ARTICLE_FIELDS: tuple[str, ...] = tuple(ArticleItem.fields)
# Fields holding a list of strings (empty, never null); every other field is a scalar or null.
LIST_FIELDS = frozenset({"authors", "editors", "topics", "agencies"})
