"""What a DW URL is: an article, a topic/section listing, or something to ignore.

DW paths carry their kind in the last segment: `a-<id>` articles, `t-<id>` topics, `s-<id>`
sections, `av-<id>` video/audio, `g-<id>` galleries, `live-<id>` live blogs. Only the first three
matter to the crawl; everything else is ignored by construction (an allow-list, not a deny-list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

# /en/, /de/, /pt-br/, /zh-hant/, /pt-002/, ... : DW language editions are 2-letter codes with an
# optional region or script, letters or UN M.49 digits (pt-002: Portuguese for Africa).
LANG_SEGMENT = r"(?P<lang>[a-z]{2}(?:-[a-z0-9]{2,4})?)"
_ARTICLE_PATH = re.compile(rf"^/{LANG_SEGMENT}/(?P<slug>[^/]+)/a-(?P<id>[0-9]+)/?$")
_LISTING_PATH = re.compile(rf"^/{LANG_SEGMENT}/(?P<slug>[^/]+)/(?P<kind>[ts])-(?P<id>[0-9]+)/?$")
_LANGUAGE_PATH = re.compile(rf"^/{LANG_SEGMENT}/")

ALLOWED_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """An article link found on a page, reduced to what identifies the article."""

    url: str  # absolute, without query string or fragment
    language: str
    content_id: int


def article_link(href: str, base_url: str = "") -> ArticleLink | None:
    """Return the article a link points to, or None when it is not an http(s) article link.

    Query strings (`?maca=...` tracking) and fragments are dropped, so variants of one article
    reduce to one URL; the content id, not the slug, identifies the article.
    """
    href = (href or "").strip()
    if not href:
        return None
    absolute = urljoin(base_url, href) if base_url else href
    parts = urlsplit(absolute)
    if parts.scheme not in ALLOWED_SCHEMES or not parts.netloc:
        return None
    match = _ARTICLE_PATH.match(parts.path)
    if not match:
        return None
    clean = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return ArticleLink(url=clean, language=match["lang"], content_id=int(match["id"]))


def is_listing_url(url: str) -> bool:
    """True for a DW topic (`t-<id>`) or section (`s-<id>`) page URL."""
    parts = urlsplit(url)
    return parts.scheme in ALLOWED_SCHEMES and bool(_LISTING_PATH.match(parts.path))


def listing_language(url: str) -> str | None:
    """The language edition of a listing page URL, or None when it is not one."""
    match = _LISTING_PATH.match(urlsplit(url).path)
    return match["lang"] if match else None


def language_from_url(url: str) -> str | None:
    """The language edition in a DW URL path (`/pt-br/...` -> `pt-br`), or None."""
    match = _LANGUAGE_PATH.match(urlsplit(url).path)
    return match["lang"] if match else None


def content_id_from_url(url: str) -> int | None:
    """The content id of an article URL (`.../a-68117411` -> 68117411), or None."""
    match = _ARTICLE_PATH.match(urlsplit(url).path)
    return int(match["id"]) if match else None
