"""DW's sitemap index as the authority on where each edition's news and article sitemaps are.

dw.com's robots.txt names one index (`Sitemap: https://www.dw.com/sitemap.xml`); its children
are per-edition sitemaps (`/de/news-sitemap.xml`, `/de/article-sitemap.xml`, and video, person,
topic, navigation and gallery maps) or further indexes. A run reads the `Sitemap:` lines, walks
the indexes (nested, gzipped or not) and takes, for each chosen edition, the children whose path
starts with `/<lang>/` and whose name says news or article. Only an edition the index names
nothing for, or an index that cannot be read, falls back to the patterns
(`/<lang>/news-sitemap.xml`, `/<lang>/article-sitemap.xml`). Nothing is kept between runs.

`IndexWalk` makes the decisions (follow, use, skip and why) and counts them; the spider makes
the requests. Skip reasons are stats `newsbot/discovery/index/<reason>`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newsbot.crawling.discovery.entries import on_host
from newsbot.stats import SITEMAP_INDEX, SITEMAPS_FROM, SITEMAPS_USED

logger = logging.getLogger(__name__)

NEWS = "news"
ARTICLE = "article"
# Children whose name says one of these are not article channels: never requested.
IGNORED_WORDS = ("video", "person", "topic", "navigation", "gallery")
# robots.txt index = depth 0; an index nested deeper than this is not read.
MAX_INDEX_DEPTH = 4
# Index documents read per run at most (robots.txt's indexes and the nested ones): a few
# requests a run, whatever an index lists.
MAX_INDEX_DOCUMENTS = 20
# Stats: counts of skipped children/lines, and the list of sitemaps a run used.


def robots_sitemaps(text: str) -> tuple[list[str], list[str]]:
    """The absolute http(s) URLs of robots.txt's `Sitemap:` lines, and the lines that are not."""
    urls: list[str] = []
    bad: list[str] = []
    for line in text.splitlines():
        name, sep, value = line.split("#", 1)[0].partition(":")
        if not sep or name.strip().lower() != "sitemap":
            continue
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme in {"http", "https"} and parts.hostname and " " not in value:
            if value not in urls:
                urls.append(value)
        else:
            bad.append(line.strip())
    return urls, bad


@dataclass(frozen=True)
class Channel:
    """One sitemap a run reads for an edition, and where its URL came from."""

    lang: str
    kind: str  # NEWS or ARTICLE
    url: str
    source: str  # "index" or "pattern"

    def as_dict(self) -> dict[str, str]:
        return {"lang": self.lang, "kind": self.kind, "url": self.url, "source": self.source}


@dataclass
class IndexWalk:
    """The walk through the sitemap indexes of one run: what to follow, what each edition gets.

    `pending` counts index documents requested and not yet read or failed: when it is back at
    zero (`done`), `channels()` tells each edition's sitemaps.
    """

    site_hosts: Collection[str]
    known: Collection[str]
    chosen: Collection[str]
    crawler: Crawler  # its stats exist only once the crawl started
    seen: set[str] = field(default_factory=set)
    pending: int = 0
    documents: int = 0
    read: int = 0  # index documents read as indexes
    found: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    unread: str = ""  # why no index was read (robots.txt names none, it failed, ...)
    prefix: str = ""  # NEWSBOT_SITE_URL's path (a mirror's `/dw`): editions' paths follow it

    @property
    def stats(self) -> StatsCollector:
        return self.crawler.stats

    def admit(self, url: str, parent: str, depth: int) -> bool:
        """True when the index at `url` is to be requested (then counted as pending)."""
        where = self._where(parent)
        if url in self.seen:
            return self._skip("repeated", f"{where} {url}, which this run already read: skipped")
        if depth > MAX_INDEX_DEPTH:
            return self._skip(
                "too_deep", f"{where} {url}, nested deeper than {MAX_INDEX_DEPTH}: skipped"
            )
        if self.documents >= MAX_INDEX_DOCUMENTS:
            return self._skip(
                "too_many", f"{where} {url}: {MAX_INDEX_DOCUMENTS} indexes read already, skipped"
            )
        self.seen.add(url)
        self.documents += 1
        self.pending += 1
        return True

    def child(self, loc: str, parent: str, depth: int) -> str | None:
        """Take one child of an index (depth -1: a `Sitemap:` line of robots.txt at `parent`):
        record it as an edition's channel, or return it to follow as an index (None: recorded
        or skipped).

        Followed as indexes: what robots.txt names, a chosen edition's child that names no
        channel (`/en/sitemap.xml`), and a child of no edition whose name says `index`. Other
        children of no edition are not requested (`unknown`): a urlset read as an index would
        cost up to 50 MB a run for nothing.
        """
        url = urljoin(parent, loc)
        where = self._where(parent)
        if url == parent:
            self._skip("self_reference", f"{where} itself: skipped")
            return None
        if urlsplit(url).scheme not in {"http", "https"} or not on_host(url, self.site_hosts):
            self._skip("off_site", f"{where} {url}: not on the site, skipped")
            return None
        path = urlsplit(url).path
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix):]
        path = path.strip("/").lower()
        first, _, rest = path.partition("/")
        lang = first if first in self.known else None
        name = rest if lang else path
        if any(word in name for word in IGNORED_WORDS):
            self.stats.inc_value(f"{SITEMAP_INDEX}ignored")  # video, person, ...: expected
            return None
        if lang is not None and lang not in self.chosen:
            self.stats.inc_value(f"{SITEMAP_INDEX}other_edition")
            return None
        kind = NEWS if NEWS in name else ARTICLE if ARTICLE in name else None
        if lang is None or kind is None:
            if lang is not None or depth < 0 or "index" in name:
                return url if self.admit(url, parent, depth + 1) else None
            self.stats.inc_value(f"{SITEMAP_INDEX}unknown")
            logger.debug("%s %s: of no edition, not an index: not requested", where, url)
            return None
        urls = self.found.setdefault((lang, kind), [])
        if url in urls:
            self._skip("repeated", f"{where} {url} twice: read once")
        elif urls and kind == NEWS:
            urls.append(url)
            self._skip(
                "edition_twice",
                f"{where} a second news sitemap for {lang}, {url} (besides {urls[0]}): both "
                "are read",
            )
        else:
            urls.append(url)
        return None

    @staticmethod
    def _where(parent: str) -> str:
        return f"{parent} names" if parent.endswith("/robots.txt") else (
            f"Sitemap index {parent} lists"
        )

    def finished(self) -> bool:
        """Count one index document as done; True when it was the last one pending."""
        self.pending -= 1
        return self.pending == 0

    def channels(
        self, kind: str, languages: Iterable[str], pattern: Callable[[str], str]
    ) -> list[Channel]:
        """Each edition's sitemaps of `kind`: from the index, else from `pattern(lang)` (logged
        once for the run)."""
        chosen: list[Channel] = []
        fallback: list[str] = []
        for lang in languages:
            urls = self.found.get((lang, kind))
            if urls:
                chosen += [Channel(lang, kind, url, "index") for url in urls]
            else:
                fallback.append(lang)
                chosen.append(Channel(lang, kind, pattern(lang), "pattern"))
        if fallback:
            editions, where = ", ".join(fallback), pattern("<lang>")
            if self.read or self.found:
                logger.warning("The sitemap index names no %s sitemap for %s: using the "
                               "pattern %s", kind, editions, where)
            else:
                logger.warning("No sitemap index could be read (%s): the %s sitemaps of %s "
                               "come from the pattern %s", self.unread or "none read", kind,
                               editions, where)
            self.stats.inc_value(f"{SITEMAP_INDEX}pattern_fallbacks", len(fallback))
        for channel in chosen:
            self.stats.inc_value(f"{SITEMAPS_FROM}{channel.source}")
        logger.info("Sitemaps of this run: %s", "; ".join(
            f"{c.lang} {c.kind} {c.url} ({c.source})" for c in chosen
        ))
        used = self.stats.get_value(SITEMAPS_USED, [])
        self.stats.set_value(SITEMAPS_USED, [*used, *(c.as_dict() for c in chosen)])
        return chosen

    def _skip(self, reason: str, message: str) -> bool:
        self.stats.inc_value(f"{SITEMAP_INDEX}{reason}")
        logger.warning(message)
        return False
