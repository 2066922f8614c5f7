"""What every DW article page has, whatever its design: identity, head metadata, item building.

A page object (fundus / web-poet style) knows how to read one design and nothing about crawling:
it is built from a response and a body container found by `detect`, and `to_item` runs its
candidate values through ArticleLoader. Subclasses return candidates per field in order of trust.
"""

from __future__ import annotations

import json
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit, urlunsplit

import orjson
from lxml import etree
from lxml.html import HtmlElement
from scrapy.http import TextResponse

from newsbot.extraction.cleaning import CleanedText
from newsbot.extraction.loaders import ArticleLoader
from newsbot.extraction.processors import format_instant, normalize_text
from newsbot.items import ArticleItem
from newsbot.links import content_id_from_url, language_from_url
from newsbot.permalink import base62_encode, permalink_for

logger = logging.getLogger(__name__)

_PERMALINK_PATH = "dw.com/p/"
_PERMALINK_CODE = re.compile(r"[0-9A-Za-z]+")
_ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
     "OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting"}
)
# `<head>` parts every page needs, in one evaluation: the canonical links' hrefs (strings) and
# the JSON-LD scripts (elements); the predicates run on the few `link` and `script` elements only.
_CANONICAL_AND_JSON_LD = etree.XPath(
    "link[@rel='canonical']/@href | script[@type='application/ld+json']", smart_strings=False
)
# Meta tags, read only when a field falls back to one. DW heads carry dozens of
# `fb:pages`/`fb:admins` metas; skipping them in XPath keeps them from becoming Python objects.
_METAS = etree.XPath("meta[@content][not(starts-with(@property, 'fb:'))]")


class UnknownPageDesign(Exception):
    """The page is not an article of a design we can read; carries the reason."""

    def __init__(self, reason: str, url: str = "") -> None:
        super().__init__(f"{reason}: {url}" if url else reason)
        self.reason = reason
        self.url = url


def has_class(word: str) -> str:
    """XPath predicate for one class word, e.g. `//div[{has_class('rich-text')}]`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {word} ')"


def text_of(element: HtmlElement) -> str:
    """All the text of an element."""
    return element.text_content()


def class_words(element: HtmlElement) -> list[str]:
    """The class words of an element."""
    return element.get("class", "").split()


def first_with_class(scope: HtmlElement, tag: str, word: str) -> HtmlElement | None:
    """The first `tag` element under `scope` (in document order) with the class word `word`.

    lxml hands over only the `tag` elements and the search stops at the first match; an XPath
    over the whole tree evaluates its predicate on every element of a 100-300 KB page first."""
    for element in scope.iterdescendants(tag):
        if word in class_words(element):
            return element
    return None


_SEQUENCES = (list, tuple)


def first_found(*sources: Callable[[], Any]) -> list[Any]:
    """The values of the first source that yields any non-blank value.

    Sources are called lazily, so an expensive fallback (decoding the page state) only runs
    when the cheaper, more exact sources before it came up empty.
    """
    for source in sources:
        value = source()
        values = list(value) if isinstance(value, _SEQUENCES) else [value]
        values = [v for v in values if v is not None and (not isinstance(v, str) or v.strip())]
        if values:
            return values
    return []


def permalink_codes(texts: Iterable[str]) -> list[str]:
    """Permalink codes in URLs or text (`...p.dw.com/p/4boRv%3Fmaca...` -> `4boRv`,
    `...u=https%3A%2F%2Fp.dw.com%2Fp%2F4boRv` -> `4boRv`).

    A text is percent-decoded only when its path after `dw.com` is encoded: a share bar's links
    carry the permalink as it is and encode the rest (the article's title, tracking), and
    decoding ten of them cost as much as reading every other field of the page.
    """
    return [
        code
        for text in texts if "dw.com" in text
        for code in _codes_in(unquote(text) if _has_encoded_path(text) else text)
    ]


def _has_encoded_path(text: str) -> bool:
    """Whether `dw.com` is followed by an encoded `/` (`dw.com%2Fp%2F...`)."""
    return "dw.com%2F" in text or "dw.com%2f" in text


def _codes_in(text: str) -> list[str]:
    """The codes after each `dw.com/p/` that starts the text or follows `/` or `.`.

    A C-speed `find` for the literal path, not a regex scan of every character of the share
    links (a share bar has about ten, each a hundred characters or more): the regex starts
    with an alternation, so it cannot skip ahead to the literal.
    """
    codes = []
    start = text.find(_PERMALINK_PATH)
    while start != -1:
        resume = start + 1
        if start == 0 or text[start - 1] in "/.":
            code = _PERMALINK_CODE.match(text, start + len(_PERMALINK_PATH))
            if code:
                codes.append(code[0])
                resume = code.end()  # matches do not overlap: `dw.com/p/dw.com/p/x` gives `dw`
        start = text.find(_PERMALINK_PATH, resume)
    return codes


class HeadMetadata:
    """The canonical link, JSON-LD blocks and meta tags of `<head>`.

    The canonical link and JSON-LD are read at once: every page needs them. The meta tags are
    read on first use: a current-design page with JSON-LD seldom falls back to one, and with
    their predicates over a hundred metas they cost a real DW page more than both others.
    """

    def __init__(self, root: HtmlElement) -> None:
        self._head = next(root.iterchildren("head"), None)
        self.canonical: str | None = None
        self.json_ld: list[str] = []
        for found in _CANONICAL_AND_JSON_LD(self._head) if self._head is not None else ():
            if isinstance(found, str):
                self.canonical = self.canonical or found
            elif text := found.text:
                self.json_ld.append(text)

    @cached_property
    def meta(self) -> dict[str, str]:
        """The first content per meta name or property (casefolded)."""
        found: dict[str, str] = {}
        for element in _METAS(self._head) if self._head is not None else ():
            key = (element.get("property") or element.get("name") or "").casefold()
            found.setdefault(key, element.get("content") or "")
        return found


def article_json_ld(texts: Iterable[str]) -> dict[str, Any]:
    """The first schema.org article object in JSON-LD blocks; broken JSON is skipped."""
    for text in texts:
        try:
            data = _json_value(text)
        except ValueError:
            logger.debug("Skipping unparsable JSON-LD block")
            continue
        for candidate in _json_ld_objects(data):
            kinds = candidate.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(kind in _ARTICLE_TYPES for kind in kinds if isinstance(kind, str)):
                return candidate
    return {}


def _json_value(text: str) -> Any:
    """`json.loads(text)` by orjson (a third of the time on a JSON-LD block, and orjson is a
    dependency already), by `json` where orjson refuses what `json` accepts (NaN, lone
    surrogates, integers beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _json_ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _json_ld_objects(entry)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_objects(data.get("@graph"))


def names(value: Any) -> list[str]:
    """Names in a JSON-LD person/organisation value: a string, an object, or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return names(value.get("name"))
    if isinstance(value, list):
        return [name for entry in value for name in names(entry)]
    return []


class ArticlePage(ABC):
    """One article page of a known design; subclasses provide the per-field candidates."""

    design: ClassVar[str]
    # The class word of the `div` that holds the article text in this design.
    body_class: ClassVar[str]

    def __init__(
        self, response: TextResponse, root: HtmlElement, markup: str, body: HtmlElement
    ) -> None:
        self.response = response
        self.root = root
        self.markup = markup  # the page's text, for the page state a script may carry
        self.body_element = body
        self.head = HeadMetadata(self.root)
        self.filled_from_fallback: list[str] = []  # set by to_item

    @classmethod
    @abstractmethod
    def detect(
        cls, root: HtmlElement, markup: str, marked: HtmlElement | None
    ) -> HtmlElement | None:
        """The body container when the page (tree and text) has this design's structure;
        `marked` is the page's first `div` with the class word `body_class`, if any."""

    # --- identity, common to both designs ------------------------------------------------

    def urljoin(self, url: str) -> str:
        """`url` made absolute against the page's base (a `<base href>`, else the page URL)."""
        return self.response.urljoin(url)

    @cached_property
    def url(self) -> str:
        """Canonical link, else og:url, else the response URL without query and fragment."""
        for candidate in self._stated_urls():
            if candidate and candidate.strip():
                return self.urljoin(candidate.strip())
        parts = urlsplit(self.response.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def _stated_urls(self) -> Iterator[str | None]:
        """The canonical link, then og:url (the metas are read only when it is needed)."""
        yield self.head.canonical
        yield self.head.meta.get("og:url")

    @cached_property
    def content_id(self) -> int:
        found = content_id_from_url(self.url) or content_id_from_url(self.response.url)
        if found is None:
            raise UnknownPageDesign("no /a-<id> content id in the URL", self.url)
        return found

    @cached_property
    def language(self) -> str | None:
        found = language_from_url(self.url) or language_from_url(self.response.url)
        return found or (self.root.get("lang") or "").casefold() or None

    def stated_permalink_codes(self) -> list[str]:
        """Permalink codes the page prints for itself (never those of embedded media)."""
        return []

    def check_permalink(self) -> None:
        """Warn when the page's own permalink disagrees with the one computed from the URL."""
        expected = base62_encode(self.content_id)
        for code in dict.fromkeys(self.stated_permalink_codes()):
            if code != expected:
                logger.warning(
                    "Page %s states permalink %s, but content id %s gives %s",
                    self.url, code, self.content_id, expected,
                )

    # --- per-design candidates -----------------------------------------------------------

    @abstractmethod
    def title(self) -> list[Any]: ...

    @abstractmethod
    def summary(self) -> list[Any]: ...

    @abstractmethod
    def authors(self) -> list[Any]: ...

    @abstractmethod
    def published(self) -> list[Any]: ...

    @abstractmethod
    def modified(self) -> list[Any]: ...

    @abstractmethod
    def topics(self) -> list[Any]: ...

    @abstractmethod
    def image(self) -> list[Any]: ...

    @abstractmethod
    def body(self) -> CleanedText: ...

    def meta(self, *keys: str) -> Callable[[], str | None]:
        """A lazy source: the content of the first of these meta tags that is not blank."""
        def source() -> str | None:
            metas = self.head.meta
            return next((metas[key] for key in keys if normalize_text(metas.get(key))), None)

        return source

    # --- item ----------------------------------------------------------------------------

    def to_item(
        self,
        scraped_at: datetime,
        relative_base: datetime,
        fallback: Mapping[str, Any] | None = None,
    ) -> ArticleItem:
        """Run the candidates through ArticleLoader; refuse to return an article without text.

        A page led by audio or video has no text but its teaser and a credit line: it is an
        article all the same, stored with the credited names and an empty `body`.

        `fallback` holds what a sitemap or feed entry said of the article (`title`,
        `published`, `topics`): each fills its field only where the page has none, before the
        page is judged, so that a page without a headline of its own is kept with the entry's.
        The names of the fields filled so are left in `filled_from_fallback`.
        """
        cleaned = self.body()
        if not (cleaned.paragraphs or cleaned.authors or cleaned.editors):
            raise UnknownPageDesign(f"{self.design} page without article text", self.url)
        context = {"language": self.language, "relative_base": relative_base}
        # The identity fields are computed, not read from the page: nothing for an input
        # processor to normalise, so they start the item as they are.
        identity = ArticleItem(
            url=self.url,
            content_id=self.content_id,
            permalink=permalink_for(self.content_id),
            language=self.language,
            scraped_at=format_instant(scraped_at),
        )
        loader = ArticleLoader(item=identity, **context)
        # One call for the fields read from the page: each goes through its input processor.
        loader.add_value(None, {
            "title": self.title(),
            "summary": self.summary(),
            "authors": self.authors(),
            "editors": cleaned.editors,
            "published": self.published(),
            "modified": self.modified(),
            "topics": self.topics(),
            "body": cleaned,
            "image": [self.urljoin(src.strip()) for src in self.image()],
            "agencies": cleaned,
        })
        item = loader.load_item()
        self.filled_from_fallback = _fill(item, fallback or {}, context)
        if not item["title"]:
            raise UnknownPageDesign(f"{self.design} page without a headline", self.url)
        if not item["authors"] and cleaned.authors:  # named only by a credit line of the text
            credited = ArticleLoader()
            credited.add_value("authors", cleaned.authors)
            item["authors"] = credited.get_output_value("authors")
        if item["body"] is None:
            item["body"] = ""  # media-led: the article is its audio or video
        self.check_permalink()
        return item


# The fields a sitemap or feed entry may fill where the page has none.
FALLBACK_FIELDS = ("title", "published", "topics")


def _fill(item: ArticleItem, fallback: Mapping[str, Any], context: dict[str, Any]) -> list[str]:
    """Fill the item's empty FALLBACK_FIELDS from `fallback`, through the loader's processors
    (so an entry's title or date is normalised as the page's would be); the names filled."""
    filled = []
    for name in FALLBACK_FIELDS:
        if item.get(name) or not fallback.get(name):
            continue
        loader = ArticleLoader(**context)
        loader.add_value(name, fallback[name])
        value = loader.get_output_value(name)
        if value:
            item[name] = value
            filled.append(name)
    return filled
