"""The current DW design (2023 on): React rendered on the server.

Stable hooks only: JSON-LD `NewsArticle`, the page-state JSON (`window.__APOLLO_STATE__`, renamed
over time, so any `window.__…STATE__ =` assignment), `article > header` with `h1`, the class words
`rich-text`, `author`, `teaser-text`, and `data-tracking-name` attributes. The `sc-xxxx` class
hashes change with every release and are never used.

Structured data wins where it is exact (headline, authors, timestamps); the page state is decoded
only when JSON-LD and HTML lack a field, since it is the largest block on the page.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cached_property
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from newsbot.cleaning import CleanedText, extract_body
from newsbot.pages.base import (
    ArticlePage,
    article_json_ld,
    class_words,
    first_found,
    has_class,
    names,
    permalink_codes,
)

logger = logging.getLogger(__name__)

_STATE_ASSIGNMENT = re.compile(rb"window\.__(?P<name>[A-Z][A-Z0-9_]*)__\s*=\s*")
_DECODER = json.JSONDecoder()
# The cheap substring test first, the exact class-word test only on the few divs that pass it.
_RICH_TEXT = etree.XPath(f"(//div[contains(@class, 'rich-text')][{has_class('rich-text')}])[1]")
_BODY_JSON_LD = etree.XPath('//body//script[@type="application/ld+json"]')
_TEASER = etree.XPath(f".//p[{has_class('teaser-text')}]")
_FIRST_PARAGRAPH = etree.XPath("(.//p)[1]")
_AUTHOR = etree.XPath(f".//*[{has_class('author')}]")
_AUTHOR_DETAILS = etree.XPath(f".//*[{has_class('author-details')}]")


def find_page_state(markup: bytes) -> dict[str, Any] | None:
    """Decode the first `window.__…STATE__ = {...}` assignment; None when absent or broken.

    Scans the UTF-8 markup for the literal `window.__` (a C-speed find, no regex over the whole
    page), decodes only the rest of the page from there and reads the object in place with
    `raw_decode`, so the trailing `;</script>` does not matter.
    """
    position = markup.find(b"window.__")
    while position != -1:
        match = _STATE_ASSIGNMENT.match(markup, position)
        if match and b"STATE" in match["name"]:
            name = match["name"].decode("ascii")
            try:
                state, _ = _DECODER.raw_decode(markup[match.end():].decode("utf-8", "replace"))
            except ValueError:
                logger.debug("Unparsable page state window.__%s__", name)
            else:
                if isinstance(state, dict):
                    return state
        position = markup.find(b"window.__", position + 1)
    return None


class CurrentArticlePage(ArticlePage):
    """An article page of the current (2023+) design."""

    design = "current"

    @classmethod
    def detect(cls, root: HtmlElement, markup: bytes) -> HtmlElement | None:
        if b"rich-text" not in markup:  # C-speed shortcut; the XPath below decides
            return None
        found = _RICH_TEXT(root)
        return found[0] if found else None

    # --- parts of the page ---------------------------------------------------------------

    @cached_property
    def article(self) -> HtmlElement:
        """The `<article>` around the body (the whole page when the body stands alone)."""
        return next(self.body_element.iterancestors("article"), self.root)

    @cached_property
    def header(self) -> HtmlElement | None:
        for header in self.article.iter("header"):
            if header.find(".//h1") is not None:
                return header
        return None

    def _in_header(self, xpath: etree.XPath) -> list[HtmlElement]:
        return xpath(self.header) if self.header is not None else []

    @cached_property
    def json_ld(self) -> dict[str, Any]:
        blocks = self.head.json_ld or [script.text or "" for script in _BODY_JSON_LD(self.root)]
        return article_json_ld(blocks)

    @cached_property
    def state_article(self) -> dict[str, Any]:
        """The page state's entry for this article, refs left unresolved; {} when unavailable."""
        state = self.state
        entry = state.get(f"Article:{self.content_id}")
        if not isinstance(entry, dict):
            entry = next(
                (value for value in state.values()
                 if isinstance(value, dict) and value.get("__typename") == "Article"
                 and str(value.get("id")) == str(self.content_id)),
                {},
            )
        return entry

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
        return [element.text_content() for element in elements]

    def _tracked_sections(self, name: str, scope: HtmlElement) -> list[HtmlElement]:
        """`<section data-tracking-name=name>` elements (lxml's C-level tag filter, no XPath)."""
        return [s for s in scope.iter("section") if s.get("data-tracking-name") == name]

    # --- fields --------------------------------------------------------------------------

    def title(self) -> list[Any]:
        h1 = self.header.find(".//h1") if self.header is not None else None
        return first_found(
            lambda: self._ld("headline"),
            lambda: h1.text_content() if h1 is not None else None,
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
            lambda: names(self.json_ld.get("author")),
            lambda: self._text(self._in_header(_AUTHOR)),
            lambda: self._text(self._in_header(_AUTHOR_DETAILS)),
            self._state_authors,
        )

    def _state_authors(self) -> list[str]:
        found: list[str] = []
        for key, value in self.state_article.items():
            if key == "persons" or key.startswith("persons("):
                people = value if isinstance(value, list) else []
                found.extend(self._resolve(person).get("fullName") or "" for person in people)
        return found

    def published(self) -> list[Any]:
        return first_found(
            lambda: self._ld("datePublished"),
            lambda: self._state_field("firstPublicationDate"),
            self._header_time,
        )

    def modified(self) -> list[Any]:
        return first_found(
            lambda: self._ld("dateModified"),
            lambda: self._state_field("lastModifiedDate"),
        )

    def _header_time(self) -> list[str]:
        times = self.header.iter("time") if self.header is not None else ()
        return [t.get("datetime") or t.text_content() for t in times][:1]

    def topics(self) -> list[Any]:
        return first_found(
            lambda: [
                link.text_content()
                for section in self._tracked_sections("section-related-topics", self.root)
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
        )

    def body(self) -> CleanedText:
        return extract_body(self.body_element)

    def stated_permalink_codes(self) -> list[str]:
        """Codes in the article's own share bar; share bars of embedded media in the body and
        the state's `permaLinkUrl` (read only when the state was decoded anyway) are others'."""
        shares = [
            section for section in self._tracked_sections("sharing-icons-inline", self.article)
            if self.body_element not in section.iterancestors()
        ][:1]
        texts = [link.get("href", "") for share in shares for link in share.iter("a")]
        texts += [
            element.text_content()
            for share in shares for element in share.iter("span", "div")
            if "copy-button-wrapper" in class_words(element)
        ]
        if "state" in self.__dict__:
            texts.append(self._state_field("permaLinkUrl") or "")
        return permalink_codes(texts)
