"""The current DW design (2023 on): React rendered on the server.

Stable hooks only: JSON-LD `NewsArticle`, the page-state JSON (any `window.__…STATE__ =`
assignment: `__APOLLO_STATE__` with `Article:<id>` entries until 2025, `__APP_STATE__` keyed by
API paths, `"/graph-api/<lang>/content/article/<id>": {"data": {"content": {...}}}`, in 2026),
`article > header` with `h1`, person links (`/person-<id>`), the class words `rich-text`,
`author`, `author-details`, `extra-info`, `teaser-text`, meta tags (`date`, `last-modified`) and
`data-tracking-name` attributes. The generated class hashes change with every release and are
never used.

Structured data wins where it is exact (headline, authors, timestamps); the page state is decoded
only when JSON-LD and HTML lack a field, since it is the largest block on the page. The 2026
byline puts a location beside the name (`span.extra-info`): names are read from the person links,
never from the byline's whole text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from newsbot.extraction.cleaning import CleanedText, extract_body
from newsbot.extraction.pages.base import (
    ArticlePage,
    article_json_ld,
    class_words,
    first_found,
    has_class,
    names,
    permalink_codes,
    text_of,
)
from newsbot.extraction.processors import split_authors
from newsbot.links import content_id_from_url

logger = logging.getLogger(__name__)

_STATE_ASSIGNMENT = re.compile(r"window\.__(?P<name>[A-Z][A-Z0-9_]*)__\s*=\s*")
_DECODER = json.JSONDecoder()
_TEASER = etree.XPath(f".//p[{has_class('teaser-text')}]")
_FIRST_PARAGRAPH = etree.XPath("(.//p)[1]")
_AUTHOR = etree.XPath(f".//*[{has_class('author')}]")
_AUTHOR_DETAILS = etree.XPath(f".//*[{has_class('author-details')}]")
# A byline's text without its `extra-info` parts (the 2026 location beside the name).
_BYLINE_TEXT = etree.XPath(f".//text()[not(ancestor::*[{has_class('extra-info')}])]")
# Person links of the byline (never those a teaser or kicker may hold).
_PERSON_LINKS = etree.XPath(
    f".//a[{has_class('author-link')} or (contains(@href, '/person-') and"
    f" ancestor::*[{has_class('author-details')} or {has_class('author')}])]"
)
# The 2026 article footer repeats the byline: person links beside the author's role.
_FOOTER_PERSON_LINKS = etree.XPath(
    f".//footer//*[{has_class('author')} or {has_class('author-name')}]"
    f"//a[contains(@href, '/person-') or {has_class('author-link')}]"
)
_TIME_WITH_DATETIME = etree.XPath(".//time[@datetime]")
# The 2026 state's image URLs leave the rendition open; `6` is the one og:image names.
_IMAGE_FORMAT = "${formatId}"
_DEFAULT_IMAGE_FORMAT = "6"


def find_page_state(markup: str) -> dict[str, Any] | None:
    """Decode the first `window.__…STATE__ = {...}` assignment; None when absent or broken.

    Looks for the literal `window.__` (no regex over the whole page), then reads the object in
    place with `raw_decode`, so the trailing `;</script>` does not matter. The variable's name
    is any `__…STATE__`: DW renamed it once already (`__APOLLO_STATE__`, then `__APP_STATE__`).
    """
    position = markup.find("window.__")
    while position != -1:
        match = _STATE_ASSIGNMENT.match(markup, position)
        if match and "STATE" in match["name"]:
            name = match["name"]
            try:
                state, _ = _DECODER.raw_decode(markup, match.end())
            except ValueError:
                logger.debug("Unparsable page state window.__%s__", name)
            else:
                if isinstance(state, dict):
                    return state
        position = markup.find("window.__", position + 1)
    return None


def state_contents(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The `data.content` objects of a 2026 `__APP_STATE__` (keyed by API paths), articles'
    (`/graph-api/<lang>/content/article/<id>`) first."""
    found: list[tuple[bool, dict[str, Any]]] = []
    for key, value in state.items():
        if isinstance(key, str) and key.startswith("/graph-api/") and isinstance(value, dict):
            data = value.get("data")
            content = data.get("content") if isinstance(data, dict) else None
            if isinstance(content, dict):
                found.append(("/content/article/" not in key, content))
    return [content for _, content in sorted(found, key=lambda entry: entry[0])]


def state_body(markup: str) -> HtmlElement | None:
    """The article text of the page state's content, parsed, when the HTML has no body."""
    for content in state_contents(find_page_state(markup) or {}):
        text = content.get("text")
        if isinstance(text, str) and text.strip():
            return fragment_fromstring(text, create_parent="div")
    return None


class CurrentArticlePage(ArticlePage):
    """An article page of the current (2023+) design."""

    design = "current"
    body_class = "rich-text"

    @classmethod
    def detect(
        cls, root: HtmlElement, markup: str, marked: HtmlElement | None
    ) -> HtmlElement | None:
        if marked is not None:
            return marked
        if "__APP_STATE__" in markup:  # a page whose body the server left to the script
            return state_body(markup)
        return None

    # --- parts of the page ---------------------------------------------------------------

    @cached_property
    def article(self) -> HtmlElement:
        """The `<article>` around the body (the whole page when the body stands alone)."""
        return next(self.body_element.iterancestors("article"), self.root)

    @cached_property
    def header(self) -> HtmlElement | None:
        """The first `<header>` of the article with a headline in it."""
        for header in self.article.iter("header"):
            if self.headline_in(header) is not None:
                return header
        return None

    @staticmethod
    def headline_in(header: HtmlElement) -> HtmlElement | None:
        """The header's first `h1` (lxml's C-level tag filter; `find(".//h1")` compiles and
        runs an ElementPath in Python)."""
        return next(header.iter("h1"), None)

    def _in_header(self, xpath: etree.XPath) -> list[HtmlElement]:
        return xpath(self.header) if self.header is not None else []

    @cached_property
    def json_ld(self) -> dict[str, Any]:
        return article_json_ld(self.head.json_ld or self._body_json_ld())

    def _body_json_ld(self) -> list[str]:
        """JSON-LD blocks of `<body>` (the 2026 pages have them there), as `//body//script`
        finds them, through lxml's C-level tag filter instead of a whole-tree XPath."""
        body = next(self.root.iter("body"), None)
        scripts = body.iter("script") if body is not None else ()
        return [s.text or "" for s in scripts if s.get("type") == "application/ld+json"]

    @cached_property
    def state_article(self) -> dict[str, Any]:
        """The page state's entry for this article, refs left unresolved; {} when unavailable.

        Apollo (`Article:<id>`, or an entry of `__typename` Article) and the 2026 app state
        (the `data.content` under `/graph-api/<lang>/content/article/<id>`) both qualify.
        """
        state = self.state
        entry = state.get(f"Article:{self.content_id}")
        if isinstance(entry, dict):
            return entry
        wanted = str(self.content_id)
        for value in state.values():
            if (isinstance(value, dict) and value.get("__typename") == "Article"
                    and str(value.get("id")) == wanted):
                return value
        for key, value in state.items():
            if isinstance(key, str) and key.rstrip("/").endswith(f"/article/{wanted}"):
                content = (value.get("data") or {}).get("content") if isinstance(value, dict) \
                    else None
                if isinstance(content, dict):
                    return content
        return next(
            (content for content in state_contents(state) if str(content.get("id")) == wanted),
            {},
        )

    @cached_property
    def state(self) -> dict[str, Any]:
        return find_page_state(self.markup) or {}

    def _resolve(self, value: Any) -> dict[str, Any]:
        """Follow an Apollo `{"__ref": "Person:1"}` to its entry; inline objects stay as is."""
        if isinstance(value, dict) and isinstance(value.get("__ref"), str):
            value = self.state.get(value["__ref"])
        return value if isinstance(value, dict) else {}

    def _state_field(self, key: str) -> str | None:
        value = self.state_article.get(key)
        return value if isinstance(value, str) else None

    def _ld(self, key: str) -> str | None:
        """A JSON-LD string property; anything else (objects, lists, numbers) counts as absent."""
        value = self.json_ld.get(key)
        return value if isinstance(value, str) else None

    def _text(self, elements: list[HtmlElement]) -> list[str]:
        return [text_of(element) for element in elements]

    @cached_property
    def _tracked(self) -> dict[str, list[HtmlElement]]:
        """`<section data-tracking-name=...>` elements of the page by name, in document order.

        One walk of the tree (lxml's C-level tag filter, no XPath) serves every field that
        looks for one: the related topics and the share bar each took a walk of their own."""
        found: dict[str, list[HtmlElement]] = {}
        for section in self.root.iter("section"):
            name = section.get("data-tracking-name")
            if name is not None:
                found.setdefault(name, []).append(section)
        return found

    # --- fields --------------------------------------------------------------------------

    def _stated_urls(self) -> Iterator[str | None]:
        """The canonical link, then og:url, then the page state's `canonicalUrl` (decoded only
        when both others are missing)."""
        yield from super()._stated_urls()
        if "canonicalUrl" in self.markup:
            yield self._state_canonical()

    def _state_canonical(self) -> str | None:
        """The 2026 state's `canonicalUrl` of the requested article (the content id comes from
        the response URL here: the page's own URL is what is being worked out)."""
        wanted = content_id_from_url(self.response.url)
        for content in state_contents(self.state):
            stated = content.get("canonicalUrl")
            if isinstance(stated, str) and str(content.get("id")) == str(wanted):
                return stated
        return None

    def title(self) -> list[Any]:
        h1 = self.headline_in(self.header) if self.header is not None else None
        return first_found(
            lambda: self._ld("headline"),
            lambda: text_of(h1) if h1 is not None else None,
            lambda: self._state_field("title"),
            self.meta("og:title", "twitter:title"),
        )

    def summary(self) -> list[Any]:
        return first_found(
            lambda: self._ld("description"),
            lambda: self._text(self._in_header(_TEASER)),
            lambda: self._text(self._in_header(_FIRST_PARAGRAPH)),
            lambda: self._state_field("teaser"),
            self.meta("description", "og:description"),
        )

    def authors(self) -> list[Any]:
        return first_found(
            lambda: [n for n in names(self.json_ld.get("author")) if split_authors(n)],
            lambda: self._text(self._in_header(_PERSON_LINKS)),
            lambda: self._text(self._in_header(_AUTHOR)),
            lambda: [" ".join(_BYLINE_TEXT(e)) for e in self._in_header(_AUTHOR_DETAILS)],
            lambda: self._text(_FOOTER_PERSON_LINKS(self.article)),
            self._state_authors,
        )

    def _state_authors(self) -> list[str]:
        """Apollo's `persons` refs, or the 2026 state's inline `firstPersonArray`."""
        found: list[str] = []
        for key, value in self.state_article.items():
            if key in ("persons", "firstPersonArray") or key.startswith("persons("):
                people = value if isinstance(value, list) else []
                found.extend(self._resolve(person).get("fullName") or "" for person in people)
        return found

    def published(self) -> list[Any]:
        """Exact timestamps first (JSON-LD, a `time[datetime]`, the page state, the `date` meta
        tag), the header's displayed day last: a day alone claims less than the page knows."""
        return first_found(
            lambda: self._ld("datePublished"),
            lambda: [t.get("datetime") for t in self._in_header(_TIME_WITH_DATETIME)][:1],
            lambda: self._state_field("firstPublicationDate") or self._state_field("contentDate"),
            self.meta("date", "article:published_time"),
            self._header_time,
            lambda: self._state_field("localizedContentDate"),
        )

    def modified(self) -> list[Any]:
        return first_found(
            lambda: self._ld("dateModified"),
            lambda: self._state_field("lastModifiedDate"),
            self.meta("last-modified", "article:modified_time"),
        )

    def _header_time(self) -> list[str]:
        times = self.header.iter("time") if self.header is not None else ()
        return [t.get("datetime") or text_of(t) for t in times][:1]

    def topics(self) -> list[Any]:
        return first_found(
            lambda: [
                text_of(link)
                for section in self._tracked.get("section-related-topics", [])
                for link in section.iter("a") if not link.get("href", "").startswith("#")
            ],
            lambda: [self._resolve(ref).get("name") for ref in
                     self.state_article.get("relatedAutoTopics") or []],
            lambda: (self.head.meta.get("news_keywords") or self.head.meta.get("keywords") or "")
            .split(","),
        )

    def image(self) -> list[Any]:
        images = self.json_ld.get("image")
        images = images if isinstance(images, list) else [images]
        return first_found(
            lambda: [
                url for img in images
                if isinstance(url := img.get("url") if isinstance(img, dict) else img, str)
            ],
            self.meta("og:image", "twitter:image"),
            self._state_image,
        )

    def _state_image(self) -> str | None:
        """`mainContentImageLink.target.staticUrl` of the 2026 state, its rendition filled in."""
        link = self.state_article.get("mainContentImageLink")
        target = link.get("target") if isinstance(link, dict) else None
        url = target.get("staticUrl") if isinstance(target, dict) else None
        return url.replace(_IMAGE_FORMAT, _DEFAULT_IMAGE_FORMAT) if isinstance(url, str) else None

    def body(self) -> CleanedText:
        return extract_body(self.body_element)

    def _own_share_bar(self) -> HtmlElement | None:
        """The first `sharing-icons-inline` section in the article but not in its body (those
        are embedded players'), found in one walk up from each section."""
        for section in self._tracked.get("sharing-icons-inline", []):
            for ancestor in section.iterancestors():
                if ancestor is self.body_element:
                    break
                if ancestor is self.article:
                    return section
        return None

    def stated_permalink_codes(self) -> list[str]:
        """Codes in the article's own share bar; share bars of embedded media in the body and
        the state's `permaLinkUrl` (read only when the state was decoded anyway) are others'."""
        shares = [share] if (share := self._own_share_bar()) is not None else []
        texts = [link.get("href", "") for share in shares for link in share.iter("a")]
        texts += [
            text_of(element)
            for share in shares for element in share.iter("span", "div")
            if "copy-button-wrapper" in class_words(element)
        ]
        if "state" in self.__dict__:
            texts.append(self._state_field("permaLinkUrl") or "")
        return permalink_codes(texts)

