"""Where each DW edition publishes its channels, built from the run's two roots.

Every URL a run derives comes from NEWSBOT_SITE_URL (news and article sitemaps, articles) or
NEWSBOT_FEEDS_URL (RSS feeds), so pointing both at a mirror or a loopback stand-in moves the
whole run; a root may carry a path prefix (`http://127.0.0.1:8080/feeds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsbot.crawling.arguments import SpiderArgumentError
from newsbot.editions import FEED_CODES
from newsbot.links import ALLOWED_SCHEMES


@dataclass(frozen=True)
class Channels:
    """The roots of a run and the channel URLs of each edition derived from them."""

    site_url: str  # NEWSBOT_SITE_URL without a trailing slash
    feeds_url: str  # NEWSBOT_FEEDS_URL without a trailing slash
    feed_codes: Mapping[str, str]

    @classmethod
    def from_settings(cls, site_url: str, feeds_url: str, overrides: Mapping[str, str]) -> Channels:
        return cls(
            _root("NEWSBOT_SITE_URL", site_url),
            _root("NEWSBOT_FEEDS_URL", feeds_url),
            {**FEED_CODES, **overrides},
        )

    def news_sitemap(self, lang: str) -> str:
        return f"{self.site_url}/{lang}/news-sitemap.xml"

    def article_sitemap(self, lang: str) -> str:
        return f"{self.site_url}/{lang}/article-sitemap.xml"

    def feed(self, lang: str) -> str:
        """The edition's feed: its code from newsbot.editions unless NEWSBOT_FEED_CODES says."""
        return f"{self.feeds_url}/xml/rss-{self.feed_codes.get(lang, lang)}-all"


def _root(name: str, value: str) -> str:
    parts = urlsplit(str(value or "").strip())
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname or parts.query or parts.fragment:
        raise SpiderArgumentError(
            f"{name}: {value!r} is not an http(s) root URL (e.g. https://www.dw.com)"
        )
    return parts.geturl().rstrip("/")
