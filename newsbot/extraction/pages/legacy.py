"""The legacy DW design (until mid-2023): server templates with `div.col3`, `div.longText`.

The headline is `.col3 h1`, the lead `p.intro`, the body `div.longText`; metadata sits in
`ul.smallList` as `<li><strong>Label</strong> value</li>` with labels in the page language, hence
the label tables of newsbot.editions. Editor keywords are preferred over the "related subjects",
which are auto-assigned topic pages (a Ukraine article gets "Finnland") and only serve as a
fallback.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from lxml.html import HtmlElement

from newsbot.editions import (
    LEGACY_DATE_LABELS,
    LEGACY_KEYWORD_LABELS,
    LEGACY_RELATED_LABELS,
    all_labels,
)
from newsbot.extraction.cleaning import CleanedText, extract_body
from newsbot.extraction.credits import fold_accents
from newsbot.extraction.pages.base import (
    ArticlePage,
    class_words,
    first_found,
    first_with_class,
    permalink_codes,
    text_of,
)

_LABEL_NOISE = re.compile(r"[\s\u200c:：]+")


def _label_key(label: str) -> str:
    """Compare labels case-, accent-, space-, colon- and ZWNJ-insensitively."""
    return _LABEL_NOISE.sub("", fold_accents(label)[0].casefold())


def _table(*labels: str) -> frozenset[str]:
    return frozenset(_label_key(label) for label in labels)


# The labels of the smallList (newsbot.editions), compared as `_label_key` compares them; the
# author labels are the editions' credit labels (they also credit authors at the end of a text).
DATE_LABELS = _table(*LEGACY_DATE_LABELS)
AUTHOR_LABEL_KEYS = _table(*all_labels("authors"))
KEYWORD_LABELS = _table(*LEGACY_KEYWORD_LABELS)
RELATED_LABELS = _table(*LEGACY_RELATED_LABELS)
PERMALINK_LABELS = _table(*all_labels("permalinks"))


class LegacyArticlePage(ArticlePage):
    """An article page of the legacy (until mid-2023) design."""

    design = "legacy"
    body_class = "longText"

    @classmethod
    def detect(
        cls, root: HtmlElement, markup: str, marked: HtmlElement | None
    ) -> HtmlElement | None:
        if marked is None or not any("col3" in class_words(a) for a in marked.iterancestors("div")):
            return None
        return marked

    @cached_property
    def column(self) -> HtmlElement:
        """The `div.col3` holding headline, lead and body."""
        return next(a for a in self.body_element.iterancestors("div") if "col3" in class_words(a))

    @cached_property
    def facts(self) -> dict[str, HtmlElement]:
        """The article's smallList entries by label kind (date, author, keywords, ...): the
        column's first smallList, else the page's (the column's is the article's own, and
        found without walking the navigation's lists)."""
        kinds = {
            "date": DATE_LABELS, "author": AUTHOR_LABEL_KEYS, "keywords": KEYWORD_LABELS,
            "related": RELATED_LABELS, "permalink": PERMALINK_LABELS,
        }
        found: dict[str, HtmlElement] = {}
        small_list = first_with_class(self.column, "ul", "smallList")
        if small_list is None:
            small_list = first_with_class(self.root, "ul", "smallList")
        entries = small_list.iterchildren("li") if small_list is not None else ()
        for entry in entries:
            label = entry.find("strong")
            if label is None:
                continue
            key = _label_key(text_of(label))
            parts = {key, *key.split("/")}  # "Autorin/Autor"
            for kind, labels in kinds.items():
                if kind not in found and parts & labels:
                    found[kind] = entry
        return found

    def _fact_text(self, kind: str) -> str | None:
        entry = self.facts.get(kind)
        if entry is None:
            return None
        label = text_of(entry.find("strong"))
        return text_of(entry).replace(label, "", 1)

    def _fact_list(self, kind: str) -> list[str]:
        entry = self.facts.get(kind)
        if entry is None:
            return []
        links = [text_of(a) for a in entry.iter("a")]
        return links or (self._fact_text(kind) or "").split(",")

    # --- fields --------------------------------------------------------------------------

    def title(self) -> list[Any]:
        return first_found(
            lambda: [text_of(h1) for h1 in self.column.iter("h1")][:1],
            self.meta("og:title"),
        )

    def summary(self) -> list[Any]:
        return first_found(
            lambda: [text_of(p) for p in self.column.iter("p") if "intro" in class_words(p)],
            self.meta("description", "og:description"),
        )

    def authors(self) -> list[Any]:
        return first_found(lambda: self._fact_text("author"))

    def published(self) -> list[Any]:
        return first_found(lambda: self._fact_text("date"))

    def modified(self) -> list[Any]:
        return []  # the legacy design shows one date only

    def topics(self) -> list[Any]:
        return first_found(
            lambda: self._fact_list("keywords"),
            lambda: (self.head.meta.get("news_keywords") or self.head.meta.get("keywords") or "")
            .split(","),
            lambda: self._fact_list("related"),
        )

    def image(self) -> list[Any]:
        return first_found(
            self.meta("og:image"),
            lambda: [img.get("src") for img in self.column.iter("img")][:1],
        )

    def body(self) -> CleanedText:
        return extract_body(self.body_element)

    def stated_permalink_codes(self) -> list[str]:
        text = self._fact_text("permalink")
        return permalink_codes([text]) if text else []
