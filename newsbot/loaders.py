"""The item loader: how raw page values become the fields of an ArticleItem.

Pages add candidate values in order of trust (structured data before HTML before meta tags);
the processors here normalise them and pick: TakeFirst for scalars (the first candidate that
survives normalisation wins), order-keeping deduplication for lists, a blank-line join for the body.
Dates read `language` and `relative_base` from the loader context.
"""

from __future__ import annotations

from itemloaders.processors import Join, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from newsbot.items import ArticleItem
from newsbot.processors import (
    Dedupe,
    normalize_date,
    normalize_text,
    split_authors,
    strip_title_suffix,
)

LIST_FIELDS = frozenset({"authors", "topics", "agencies"})


class ArticleLoader(ItemLoader):
    """Loader for ArticleItem; `load_item` returns every field, lists empty and scalars None."""

    default_item_class = ArticleItem
    default_input_processor = MapCompose(normalize_text)
    default_output_processor = TakeFirst()

    content_id_in = MapCompose(int)
    title_in = MapCompose(normalize_text, strip_title_suffix)
    authors_in = MapCompose(normalize_text, split_authors)
    authors_out = Dedupe()
    published_in = MapCompose(normalize_date)
    modified_in = MapCompose(normalize_date)
    scraped_at_in = MapCompose(normalize_date)
    topics_out = Dedupe()
    agencies_out = Dedupe()
    body_out = Join("\n\n")

    def load_item(self) -> ArticleItem:
        """Fill fields without any value, so consumers never meet a missing key."""
        item = super().load_item()
        for name in ArticleItem.fields:
            if name not in item:
                item[name] = [] if name in LIST_FIELDS else None
        return item
