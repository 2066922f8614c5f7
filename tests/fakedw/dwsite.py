"""dw.com as it serves its channels in 2026, on loopback: the stand-in the end-to-end tests, the
demo and `newsbot check`'s tests run against.

- two hosts on one port: `127.0.0.1` is www.dw.com (pages, robots.txt, sitemaps), `localhost`
  is rss.dw.com (feeds, with a robots.txt of its own);
- DW's 2026 robots.txt with its `Sitemap:` line, naming the root index `/sitemap.xml`, which
  lists half the editions' children itself and the rest through a nested index
  (`/sitemap-index-2.xml`), with video sitemaps beside them (never to be requested);
- for each of the 31 editions: a Google News sitemap, an article sitemap index with monthly
  children (the older one gzipped), a feed in RSS 2.0, RDF or Atom (in turn), and two articles,
  one per page design (the editions of tests/editions.py with their own scripts, right-to-left
  ones included);
- faults of the real site: editions whose news sitemap fails (`failing_news`, HTTP 500), and
  editions whose sitemaps the index lists at paths the patterns do not give (`moved`).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.editions import FEED_CODES
from newsbot.settings import NEWSBOT_KNOWN_LANGUAGES
from tests.editions import EDITIONS, current_page, legacy_page
from tests.fakedw.channels import (
    GZIP,
    RSS,
    Entry,
    atom_feed,
    news_sitemap,
    rdf_feed,
    robots_2026,
    rss_feed,
    serve_xml,
    sitemap_index,
    url_set,
)
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite, Reply

EDITION_CODES: tuple[str, ...] = tuple(NEWSBOT_KNOWN_LANGUAGES)
FAILING_NEWS = ("pl",)  # news sitemap answers 500: the feed must stand in
MOVED = ("hr",)  # sitemaps at /hr/sitemaps/...: only the index knows where
LEGACY_OFFSET = 1_000_000  # the legacy page of an edition article is an article of its own
_FEED_FORMATS = (rss_feed, rdf_feed, atom_feed)


@dataclass
class Edition:
    """What the stand-in serves for one edition."""

    lang: str
    paths: list[str]  # article paths, newest first: [current design, legacy design]
    content_ids: list[int]
    news_sitemap: str  # path of its news sitemap
    article_sitemap: str  # path of its article sitemap index
    feed: str  # path of its feed on the feed host


@dataclass
class StandIn:
    """The served stand-in: its site and, per edition, what it serves."""

    site: FakeDwSite
    editions: dict[str, Edition] = field(default_factory=dict)

    def settings(self, data_dir: Path | str) -> dict[str, str]:
        """The settings that point a run at the stand-in, with a data directory of its own."""
        return {
            "NEWSBOT_SITE_URL": self.site.base_url,
            "NEWSBOT_FEEDS_URL": self.site.feeds_base_url,
            "NEWSBOT_DATA_DIR": str(data_dir),
        }


def _articles(site: FakeDwSite, lang: str, number: int, now: datetime) -> tuple[list[str], list[int]]:
    """Serve one article per design for `lang`; return their paths and content ids."""
    known = {article.lang: article for article in EDITIONS}
    if lang in known:
        article = known[lang]
        legacy = replace(article, content_id=article.content_id + LEGACY_OFFSET)
        site.add_route(article.path, Reply(body=current_page(article).encode("utf-8")))
        site.add_route(legacy.path, Reply(body=legacy_page(legacy).encode("utf-8")))
        return [article.path, legacy.path], [article.content_id, legacy.content_id]
    pages = []
    for design, age in (("current", 1), ("legacy", 40 * 24)):
        pages.append(site.add_article(FakeArticle(
            content_id=72000000 + number * 10 + len(pages), slug=f"dw-{lang}-{design}-story",
            title=f"DW {lang} {design} story", summary="A short teaser of the story.",
            paragraphs=["The first paragraph.", "The second paragraph.", "The third one."],
            lang=lang, design=design, published=now - timedelta(hours=age),
        )))
    return [page.path for page in pages], [page.content_id for page in pages]


def build_dw_site(
    site: FakeDwSite,
    failing_news: tuple[str, ...] = FAILING_NEWS,
    moved: tuple[str, ...] = MOVED,
    now: datetime | None = None,
) -> StandIn:
    """Fill a started `site` with the 2026 stand-in (see the module docstring)."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    stand_in = StandIn(site)
    site.add_route("/robots.txt", Reply(body=robots_2026(site.base_url).encode(),
                                        headers={"Content-Type": "text/plain"}))
    children: list[list[tuple[str, datetime | None]]] = [[], []]  # root index, nested index
    month_ago = now - timedelta(days=35)
    for number, lang in enumerate(EDITION_CODES):
        paths, ids = _articles(site, lang, number, now)
        urls = [site.url(path) for path in paths]
        base = f"/{lang}/sitemaps" if lang in moved else f"/{lang}"
        news = f"{base}/news.xml" if lang in moved else f"{base}/news-sitemap.xml"
        index = f"{base}/articles/index.xml" if lang in moved else f"{base}/article-sitemap.xml"
        if lang in failing_news:
            site.add_route(news, Reply(status=500, body=b"<html>Internal error</html>"))
        else:
            serve_xml(site, news, news_sitemap([
                Entry(url, published=now - timedelta(hours=1 + 2 * n), title=f"Story {n}",
                      keywords=["Germany"]) for n, url in enumerate(urls)
            ], lang=lang))
        stem = f"{base}/articles/" if lang in moved else f"{base}/article-sitemap-"
        older = f"{stem}{month_ago:%Y-%m}.xml.gz"
        newer = f"{stem}{now:%Y-%m}.xml"
        site.add_route(older, Reply(body=gzip.compress(url_set(
            [Entry(urls[1], lastmod=month_ago)])), headers=GZIP))
        serve_xml(site, newer, url_set([Entry(urls[0], lastmod=now - timedelta(hours=1))]))
        serve_xml(site, index, sitemap_index(
            [(site.url(older), month_ago), (site.url(newer), now)]
        ))
        code = FEED_CODES[lang]
        feed = f"/xml/rss-{code}-all"
        items = [(f"{url}?maca={code}-rss-{code}-all-1491-rdf", f"Story {n}",
                  now - timedelta(hours=1 + 2 * n)) for n, url in enumerate(urls)]
        writer = _FEED_FORMATS[number % len(_FEED_FORMATS)]
        site.add_feed_route(feed, Reply(body=writer(items, code), headers=RSS))
        listed = children[0 if number < len(EDITION_CODES) // 2 else 1]
        listed += [(site.url(news), now), (site.url(index), now),
                   (site.url(f"/{lang}/video-sitemap.xml"), now)]
        stand_in.editions[lang] = Edition(lang, paths, ids, news, index, feed)
    serve_xml(site, "/sitemap-index-2.xml", sitemap_index(children[1]))
    serve_xml(site, "/sitemap.xml", sitemap_index([*children[0], (site.url("/sitemap-index-2.xml"),
                                                                   now)]))
    return stand_in
