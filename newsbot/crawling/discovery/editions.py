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
from newsbot.links import ALLOWED_SCHEMES

# The code of each edition's feed, `rss.dw.com/xml/rss-<code>-all`: DW's own abbreviations, not
# always the path's language code. Beside each code: where it comes from and how sure that is
# (../shared/dw-feeds/README.md has the evidence, checked 2026-12). "DW tracking" means a
# `?maca=<x>-rss-<code>-all-<n>-<format>` query that DW's servers wrote on a feed's links: the
# strongest evidence; "lists" means third-party feed lists only. NEWSBOT_FEED_CODES overrides any
# of them; a wrong one costs only the fallback (the news sitemap is the first channel), and a feed
# that answers 404 says so in the run summary, naming the edition and that setting.
FEED_CODES: dict[str, str] = {
    "am": "amh",  # lists: rss-amh-news in several, rss-amh-all in one (unsure which)
    "ar": "ar",  # DW tracking ara-rss-ar-all-1125-xml-atom (2016): certain
    "bg": "bul",  # no evidence found (lists show rss-bg-all): a guess
    "bn": "ben",  # lists only
    "bs": "bos",  # a 2020 feed's channel URL rss-bos-all.1475.rdf, DW tracking on 2020 pages
    "de": "de",  # DW tracking de-rss-de-all-1119-xml-mrss (2023-2026): certain
    "el": "gre",  # one list: unsure
    "en": "en",  # DW tracking en-rss-en-all-1573-rdf (up to 2026): certain
    "es": "spa",  # DW tracking spa-rss-spa-all-1491-rdf (2026): certain (old code: sp)
    "fa-af": "dar",  # no evidence found: a guess
    "fa-ir": "per",  # lists only
    "fr": "fr",  # lists only
    "ha": "hau",  # no evidence found: a guess
    "hi": "hin",  # lists only
    "hr": "cro",  # a 2010 list: unsure
    "id": "ind",  # no evidence found (lists show rss-id-all): a guess
    "mk": "mak",  # no evidence found (one repository: rss-mac-all on another host): a guess
    "pl": "pol",  # lists only
    "ps": "pas",  # no evidence found (lists show rss-ps-all): a guess
    "pt-002": "pt",  # lists disagree: rss-pt-all and rss-por-all both appear
    "pt-br": "br",  # lists; rss-br-all answered in 2026-09 but empty or stale
    "ro": "rom",  # lists only
    "ru": "ru",  # DW tracking rus-rss-ru-all-1126-rdf: certain
    "sq": "alb",  # no evidence found (lists show rss-sq-all): a guess
    "sr": "ser",  # DW tracking ser-rss-ser-all-1494-rdf: certain
    "sw": "kis",  # lists: rss-kis-all in 7 near-identical lists, rss-sw-all in 3
    "tr": "tur",  # the 2026-09 feeds in ../shared/dw-feeds/: certain
    "uk": "ukr",  # lists only
    "ur": "urd",  # DW tracking urd-rss-urd-all-1497-xml-mrss: certain
    "zh": "chi",  # DW tracking chi-rss-chi-all-1127-rdf (2017, 2026), a 2015 feed: certain
    "zh-hant": "chi-hant",  # no evidence found: a guess
}


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
        return f"{self.feeds_url}/xml/rss-{self.feed_codes.get(lang, lang)}-all"


def _root(name: str, value: str) -> str:
    parts = urlsplit(str(value or "").strip())
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname or parts.query or parts.fragment:
        raise SpiderArgumentError(
            f"{name}: {value!r} is not an http(s) root URL (e.g. https://www.dw.com)"
        )
    return parts.geturl().rstrip("/")
