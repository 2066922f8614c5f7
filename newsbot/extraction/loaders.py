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

from collections import ChainMap
from collections.abc import Callable, Iterable, MutableMapping
from functools import cache, partial
from typing import Any

from itemadapter import ItemAdapter
from itemloaders import unbound_method
from itemloaders.common import wrap_loader_context
from itemloaders.processors import Join, TakeFirst
from itemloaders.processors import MapCompose as LibraryMapCompose
from itemloaders.utils import arg_to_iter
from scrapy.loader import ItemLoader

from newsbot.extraction.cleaning import CleanedText, person_name
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


class MapCompose(LibraryMapCompose):
    """itemloaders' MapCompose, same results and errors, with its per-call bookkeeping done once.

    The library asks for every call which of its functions take `loader_context` and wraps them
    all, then turns each result into a list: 13 fields a page, a few values each, made this
    bookkeeping a third of the loader's cost. Here the question is answered at construction,
    and a string result (what nearly every function returns) is appended as it is.
    """

    def __init__(self, *functions: Callable[..., Any], **default_loader_context: Any) -> None:
        super().__init__(*functions, **default_loader_context)
        self._contextual = tuple(
            wrap_loader_context(function, {}) is not function for function in functions
        )
        self._any_contextual = any(self._contextual)

    def __call__(
        self, value: Any, loader_context: MutableMapping[str, Any] | None = None
    ) -> Iterable[Any]:
        values = arg_to_iter(value)
        context: MutableMapping[str, Any] = self.default_loader_context
        if loader_context and self._any_contextual:  # nobody reads it otherwise
            context = ChainMap(loader_context, self.default_loader_context)
        for function, contextual in zip(self.functions, self._contextual, strict=True):
            func = partial(function, loader_context=context) if contextual else function
            next_values: list[Any] = []
            for v in values:
                try:
                    result = func(v)
                except Exception as e:
                    raise ValueError(
                        f"Error in MapCompose with "
                        f"{func!s} value={value!r} error='{type(e).__name__}: {e!s}'"
                    ) from e
                if type(result) is str:
                    next_values.append(result)
                else:
                    next_values += arg_to_iter(result)
            values = next_values
        return values


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

    # ArticleItem's fields declare no processors in their metadata, so the class attributes above
    # are the only source: looked up once per field and class, not per value through an
    # ItemAdapter as itemloaders does.
    def get_input_processor(self, field_name: str) -> Callable[..., Any]:
        return _class_processor(type(self), f"{field_name}_in", "default_input_processor")[0]

    def get_output_processor(self, field_name: str) -> Callable[..., Any]:
        return _class_processor(type(self), f"{field_name}_out", "default_output_processor")[0]

    # itemloaders asks for every value which processor a field has and whether it takes
    # `loader_context`, wraps it in a new partial, and reaches the collected values and the
    # item through properties: a few hundred calls an article. These overrides do the same work
    # (same processors, same order, same results and errors) with the answers looked up once.
    def _add_value(self, field_name: str, value: Any) -> None:
        processed = self._process_input_value(field_name, arg_to_iter(value))
        if processed:
            collected = self._values.setdefault(field_name, [])
            collected += processed if type(processed) is list else arg_to_iter(processed)

    def _process_input_value(self, field_name: str, value: Any) -> Any:
        return self._apply(field_name, "in", value)

    def get_output_value(self, field_name: str) -> Any:
        return self._apply(field_name, "out", self._values.get(field_name, []))

    def _apply(self, field_name: str, direction: str, value: Any) -> Any:
        """Run the field's input (`in`) or output (`out`) processor, raising itemloaders' errors."""
        default = "default_input_processor" if direction == "in" else "default_output_processor"
        processor, contextual = _class_processor(type(self), f"{field_name}_{direction}", default)
        try:
            if contextual:
                return processor(value, loader_context=self.context)
            return processor(value)
        except Exception as e:
            which = (
                f"input processor {processor.__class__.__name__}:" if direction == "in"
                else "output processor:"
            )
            raise ValueError(
                f"Error with {which} field={field_name!r} value={value!r}"
                f" error='{type(e).__name__}: {e!s}'"
            ) from e

    def load_item(self) -> ArticleItem:
        """Fill fields without any value, so consumers never meet a missing key."""
        adapter = ItemAdapter(self.item)
        for name, collected in tuple(self._values.items()):
            value = self._apply(name, "out", collected)
            if value is not None:
                adapter[name] = value
        item = adapter.item
        for name in ArticleItem.fields:
            if name not in item:
                item[name] = [] if name in LIST_FIELDS else None
        return item


@cache
def _class_processor(
    loader: type[ItemLoader], name: str, default: str
) -> tuple[Callable[..., Any], bool]:
    """A loader class's processor attribute `name`, else its `default` one, and whether it
    takes `loader_context`."""
    processor = unbound_method(getattr(loader, name, None) or getattr(loader, default))
    return processor, wrap_loader_context(processor, {}) is not processor
