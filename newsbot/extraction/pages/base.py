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
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import orjson
from lxml import etree
from lxml.html import HtmlElement
from scrapy.http import TextResponse
from w3lib.html import get_base_url
from w3lib.url import safe_url_string

from newsbot.extraction.cleaning import CleanedText
from newsbot.extraction.loaders import ArticleLoader
from newsbot.extraction.processors import normalize_text
from newsbot.items import ArticleItem
from newsbot.links import content_id_from_url, is_plain_url, language_from_url
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
    """All the text of an element, as `text_content()` gives it.

    An element without children (most links, headlines, labels) holds one text node: its
    `.text`, read without the XPath evaluation `text_content()` sets up for each call."""
    return element.text_content() if len(element) else element.text or ""


def class_words(element: HtmlElement) -> list[str]:
    """The class words of an element."""
    return element.get("class", "").split()


# XPath's normalize-space() separates words by XML whitespace only (space, tab, CR, LF), not by
# the wider set str.split() knows (NBSP, form feed...): `first_with_class` must agree with it.
_XML_SPACE = str.maketrans("\t\n\r", "   ")


def first_with_class(scope: HtmlElement, tag: str, word: str) -> HtmlElement | None:
    """The first `tag` element under `scope` (in document order) with the class word `word`.

    What `(//tag[has_class(word)])[1]` finds, but lxml's C-level tag filter hands over only
    the `tag` elements and the walk stops at the first match: a whole-tree XPath evaluates the
    predicate on every element of a 100-300 KB page before it can take the first.
    """
    return first_with_classes(scope, tag, (word,)).get(word)


def first_with_classes(
    scope: HtmlElement, tag: str, words: tuple[str, ...]
) -> dict[str, HtmlElement]:
    """`first_with_class` for several class words in one walk, which ends once the first word
    is found: the others matter only on a page without it (the designs' body containers, the
    live design's first)."""
    found: dict[str, HtmlElement] = {}
    for element in scope.iter(tag):
        classes = element.get("class")
        if not classes:
            continue
        for word in words:
            if (word not in found and word in classes
                    and word in classes.translate(_XML_SPACE).split(" ")):
                found[word] = element
        if words[0] in found:
            break
    return found


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
    """`json.loads(text)`, decoded by orjson (about three times as fast on a JSON-LD block)
    unless orjson refuses what `json` accepts (NaN, integers beyond 64 bits, lone surrogates)."""
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
        self, response: TextResponse, root: HtmlElement, markup: bytes, body: HtmlElement
    ) -> None:
        self.response = response
        self.root = root
        self.markup = markup  # the page as UTF-8, see newsbot.extraction.pages.markup
        self.body_element = body
        self.head = HeadMetadata(self.root)

    @classmethod
    @abstractmethod
    def detect(
        cls, root: HtmlElement, markup: bytes, marked: HtmlElement | None
    ) -> HtmlElement | None:
        """The body container when the page (tree and UTF-8 markup) has this design's structure;
        `marked` is the page's first `div` with the class word `body_class`, if any."""

    # --- identity, common to both designs ------------------------------------------------

    @cached_property
    def has_base_tag(self) -> bool:
        """Whether the first 4 KB hold a `<base`, where `get_base_url` looks for one (an ASCII
        `<base` reads the same in the bytes as in their decoded text). `bytes.lower()` and a
        substring test, not a case-insensitive regex, which steps through 4 KB character by
        character."""
        return b"<base" in self.markup[:4096].lower()

    @cached_property
    def base_url(self) -> str:
        """The base of relative links, found as `response.urljoin` finds it (a `<base href>` in
        the first 4 KB) but without `response.text`, which would decode the whole page; without
        a `<base>`, the response URL as `get_base_url` would return it."""
        if not self.has_base_tag:
            return safe_url_string(self.response.url)
        head = self.markup[:4096].decode("utf-8", "replace")
        return get_base_url(head, self.response.url, "utf-8")

    def urljoin(self, url: str) -> str:
        """`url` made absolute against the page's base.

        A plain absolute http(s) URL (nearly every canonical link and image) is its own join,
        whatever the base: `urljoin` would only split it and put it back together. Another
        absolute http(s) URL takes nothing from the base but the comparison of schemes, and the
        response URL has the scheme of the base made from it: joined to it, the URL comes out
        the same without making the base, whose escaping is the larger part of reading it."""
        if is_plain_url(url):
            return url
        if not self.has_base_tag and url.startswith(("https://", "http://")):
            return urljoin(self.response.url, url)
        return urljoin(self.base_url, url)

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

    def to_item(self, scraped_at: datetime, relative_base: datetime) -> ArticleItem:
        """Run the candidates through ArticleLoader; refuse to return an article without text.

        A page led by audio or video has no text but its teaser and a credit line: it is an
        article all the same, stored with the credited names and an empty `body`.
        """
        cleaned = self.body()
        if not (cleaned.paragraphs or cleaned.authors or cleaned.editors):
            raise UnknownPageDesign(f"{self.design} page without article text", self.url)
        loader = ArticleLoader(language=self.language, relative_base=relative_base)
        # One call for all fields: each still goes through its input processor.
        loader.add_value(None, {
            "url": self.url,
            "content_id": self.content_id,
            "permalink": permalink_for(self.content_id),
            "language": self.language,
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
            "scraped_at": scraped_at,
        })
        item = loader.load_item()
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
