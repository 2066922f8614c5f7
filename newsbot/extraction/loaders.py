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
        if not self._any_contextual:  # nearly every field: the functions as they are
            for function in self.functions:
                values = self._map(function, values, value)
            return values
        context: MutableMapping[str, Any] = self.default_loader_context
        if loader_context:  # the loader's context, over this processor's defaults if any
            context = (
                ChainMap(loader_context, self.default_loader_context)
                if self.default_loader_context else loader_context
            )
        for function, contextual in zip(self.functions, self._contextual, strict=True):
            func = partial(function, loader_context=context) if contextual else function
            values = self._map(func, values, value)
        return values

    @staticmethod
    def _map(func: Callable[[Any], Any], values: Iterable[Any], value: Any) -> list[Any]:
        """`func` over the values, results flattened as itemloaders' MapCompose flattens them."""
        mapped: list[Any] = []
        for v in values:
            try:
                result = func(v)
            except Exception as e:
                raise ValueError(
                    f"Error in MapCompose with "
                    f"{func!s} value={value!r} error='{type(e).__name__}: {e!s}'"
                ) from e
            if type(result) is str:
                mapped.append(result)
            elif result is not None:
                mapped += arg_to_iter(result)
        return mapped


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
        return _processors(type(self), "in")[field_name][0]

    def get_output_processor(self, field_name: str) -> Callable[..., Any]:
        return _processors(type(self), "out")[field_name][0]

    # itemloaders asks for every value which processor a field has and whether it takes
    # `loader_context`, wraps it in a new partial, and reaches the collected values and the
    # item through properties and an ItemAdapter: a few hundred calls an article. These
    # overrides do the same work (same processors, same order, same results and errors) with
    # the answers looked up once per loader class.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inputs = _processors(type(self), "in")
        self._outputs = _processors(type(self), "out")

    def _add_value(self, field_name: str, value: Any) -> None:
        processed = self._apply(field_name, self._inputs, arg_to_iter(value))
        if processed:
            collected = self._values.setdefault(field_name, [])
            collected += processed if type(processed) is list else arg_to_iter(processed)

    def _process_input_value(self, field_name: str, value: Any) -> Any:
        return self._apply(field_name, self._inputs, value)

    def get_output_value(self, field_name: str) -> Any:
        return self._apply(field_name, self._outputs, self._values.get(field_name, []))

    def _apply(self, field_name: str, table: _ProcessorTable, value: Any) -> Any:
        """Run the field's processor from `table` (inputs or outputs), raising itemloaders'
        errors."""
        processor, contextual = table[field_name]
        try:
            if contextual:
                return processor(value, loader_context=self.context)
            return processor(value)
        except Exception as e:
            which = (
                f"input processor {processor.__class__.__name__}:" if table is self._inputs
                else "output processor:"
            )
            raise ValueError(
                f"Error with {which} field={field_name!r} value={value!r}"
                f" error='{type(e).__name__}: {e!s}'"
            ) from e

    def load_item(self) -> ArticleItem:
        """Fill fields without any value, so consumers never meet a missing key."""
        item = self.item
        loaded = set()
        for name, collected in tuple(self._values.items()):
            value = self._apply(name, self._outputs, collected)
            if value is not None:
                item[name] = value
                loaded.add(name)
        # `name in item` is a Python-level lookup that raises KeyError for every missing
        # field (Item inherits Mapping.__contains__): asked only of fields not loaded here.
        for name in ArticleItem.fields:
            if name not in loaded and name not in item:
                item[name] = [] if name in LIST_FIELDS else None
        return item


class _ProcessorTable(dict[str, tuple[Callable[..., Any], bool]]):
    """A loader class's processors in one direction by field name, with whether each takes
    `loader_context`; a field is looked up on the class the first time it is asked for."""

    def __init__(self, loader: type[ItemLoader], direction: str) -> None:
        super().__init__()
        self.loader = loader
        self.direction = direction

    def __missing__(self, field_name: str) -> tuple[Callable[..., Any], bool]:
        default = "default_input_processor" if self.direction == "in" else (
            "default_output_processor"
        )
        found = getattr(self.loader, f"{field_name}_{self.direction}", None)
        processor = unbound_method(found or getattr(self.loader, default))
        self[field_name] = (processor, wrap_loader_context(processor, {}) is not processor)
        return self[field_name]


@cache
def _processors(loader: type[ItemLoader], direction: str) -> _ProcessorTable:
    """The processor table of a loader class for `in` or `out`."""
    return _ProcessorTable(loader, direction)
