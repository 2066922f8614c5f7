"""The item loader: how raw page values become the fields of an ArticleItem.

Pages add candidate values in order of trust (structured data before HTML before meta tags);
the processors here normalise them and pick: TakeFirst for scalars (the first candidate that
survives normalisation wins), order-keeping deduplication for lists, a blank-line join for the body.
Dates read `language` and `relative_base` from the loader context.

Every value is normalised exactly once. Pages hand body and agencies over as the `CleanedText` of
`newsbot.extraction.cleaning`, which had to normalise each line before it could tell text from
noise: its lines are taken as they are, while raw strings for these fields are normalised like any
other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from itemloaders.processors import Join, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from newsbot.extraction.cleaning import CleanedText
from newsbot.extraction.credits import person_name
from newsbot.extraction.processors import (
    Dedupe,
    normalize_date,
    normalize_text,
    split_authors,
    strip_title_suffix,
)
from newsbot.items import LIST_FIELDS, ArticleItem


class CleanedLines:
    """Input processor for body and agencies: one attribute of a `CleanedText` as it is (its lines
    are normalised already), any other value normalised with `normalize_text`."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __call__(self, values: Iterable[Any]) -> list[str]:
        lines: list[str] = []
        for value in values:
            if isinstance(value, CleanedText):
                lines.extend(getattr(value, self.attribute))
            elif (line := normalize_text(value)) is not None:
                lines.append(line)
        return lines


class ArticleLoader(ItemLoader):
    """Loader for ArticleItem; `load_item` returns every field, lists empty and scalars None."""

    default_item_class = ArticleItem
    default_input_processor = MapCompose(normalize_text)
    default_output_processor = TakeFirst()

    content_id_in = MapCompose(int)
    title_in = MapCompose(normalize_text, strip_title_suffix)
    authors_in = MapCompose(normalize_text, split_authors, person_name)
    authors_out = Dedupe()
    editors_in = MapCompose(normalize_text, split_authors, person_name)
    editors_out = Dedupe()
    published_in = MapCompose(normalize_date)
    modified_in = MapCompose(normalize_date)
    scraped_at_in = MapCompose(normalize_date)
    topics_out = Dedupe()
    body_in = CleanedLines("paragraphs")
    body_out = Join("\n\n")
    agencies_in = CleanedLines("agencies")
    agencies_out = Dedupe()

    def load_item(self) -> ArticleItem:
        """The item with every field set, lists empty and scalars None, so that consumers never
        meet a missing key."""
        item = super().load_item()
        for name in ArticleItem.fields:
            if name not in item:
                item[name] = [] if name in LIST_FIELDS else None
        return item
