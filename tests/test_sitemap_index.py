"""The sitemap-index walk's decisions (newsbot.crawling.discovery.index), without a crawl: what
robots.txt's Sitemap: lines name, which children are an edition's channels, which are followed,
and which are skipped with which reason."""

from __future__ import annotations

from newsbot.crawling.discovery.index import (
    MAX_INDEX_DEPTH,
    NEWS,
    IndexWalk,
    robots_sitemaps,
)
from newsbot.settings import NEWSBOT_KNOWN_LANGUAGES

ROOT = "https://www.dw.com/sitemap.xml"


def test_robots_sitemap_lines_any_case_comments_and_bad_lines() -> None:
    text = (
        "User-agent: *\nDisallow: /graph-api/\n"
        "Sitemap: https://www.dw.com/sitemap.xml\n"
        "sitemap:https://www.dw.com/sitemap.xml  # the same, again\n"
        "SITEMAP: https://www.dw.com/de/sitemap.xml\n"
        "Sitemap: /relative.xml\nSitemap: ftp://www.dw.com/x.xml\nSitemap:\n"
    )
    urls, bad = robots_sitemaps(text)
    assert urls == ["https://www.dw.com/sitemap.xml", "https://www.dw.com/de/sitemap.xml"]
    assert bad == ["Sitemap: /relative.xml", "Sitemap: ftp://www.dw.com/x.xml", "Sitemap:"]
    assert robots_sitemaps("User-agent: *\nDisallow:\n") == ([], [])


class Stats:
    """The few StatsCollector calls the walk makes, kept in a dict."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = int(self.values.get(key, 0)) + count  # type: ignore[call-overload]

    def get_value(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)

    def set_value(self, key: str, value: object) -> None:
        self.values[key] = value


class Crawler:
    """What the walk uses of a crawler: its stats."""

    def __init__(self) -> None:
        self.stats = Stats()


def new_walk(chosen: list[str]) -> tuple[IndexWalk, Stats]:
    crawler = Crawler()
    walk = IndexWalk(["www.dw.com"], NEWSBOT_KNOWN_LANGUAGES, chosen, crawler)  # type: ignore[arg-type]
    return walk, crawler.stats


def test_children_become_channels_nested_indexes_or_skips() -> None:
    index, stats = new_walk(["en", "pt-br"])
    decisions = {loc: index.child(loc, ROOT, 0) for loc in (
        "/en/news-sitemap.xml", "https://www.dw.com/en/article-sitemap.xml",
        "/pt-br/sitemaps/noticias-news.xml", "/en/video-sitemap.xml", "/en/person-sitemap.xml",
        "/de/news-sitemap.xml", "/en/sitemap.xml", "/sitemap-index-2.xml",
        "/sitemap-something.xml", "https://rss.dw.com/sitemap-index.xml",
    )}
    assert decisions["/en/sitemap.xml"] == "https://www.dw.com/en/sitemap.xml"
    assert decisions["/sitemap-index-2.xml"] == "https://www.dw.com/sitemap-index-2.xml"
    followed = {loc for loc, url in decisions.items() if url}
    assert followed == {"/en/sitemap.xml", "/sitemap-index-2.xml"}
    assert index.found == {
        ("en", NEWS): ["https://www.dw.com/en/news-sitemap.xml"],
        ("en", "article"): ["https://www.dw.com/en/article-sitemap.xml"],
        ("pt-br", NEWS): ["https://www.dw.com/pt-br/sitemaps/noticias-news.xml"],
    }
    assert stats.values == {
        "newsbot/discovery/index/ignored": 2, "newsbot/discovery/index/other_edition": 1,
        "newsbot/discovery/index/unknown": 1, "newsbot/discovery/index/off_site": 1,
    }
    assert index.pending == 2


def test_depth_and_repeats_are_bounded() -> None:
    index, stats = new_walk(["en"])
    assert index.child("/sitemap-index-a.xml", ROOT, MAX_INDEX_DEPTH - 1) is not None
    assert index.child("/sitemap-index-a.xml", ROOT, 0) is None  # already read
    assert index.child("/sitemap-index-b.xml", ROOT, MAX_INDEX_DEPTH) is None  # too deep
    assert index.child(ROOT, ROOT, 0) is None  # itself
    assert stats.values == {
        "newsbot/discovery/index/repeated": 1, "newsbot/discovery/index/too_deep": 1,
        "newsbot/discovery/index/self_reference": 1,
    }


def test_channels_come_from_the_index_else_the_pattern_and_are_recorded() -> None:
    index, stats = new_walk(["en", "hr"])
    index.child("/en/news-sitemap.xml", ROOT, 0)
    index.read = 1
    chosen = index.channels(NEWS, ["en", "hr"], lambda lang: f"https://www.dw.com/{lang}/n.xml")
    assert [(c.lang, c.url, c.source) for c in chosen] == [
        ("en", "https://www.dw.com/en/news-sitemap.xml", "index"),
        ("hr", "https://www.dw.com/hr/n.xml", "pattern"),
    ]
    assert stats.values["newsbot/discovery/index/pattern_fallbacks"] == 1
    assert stats.values["newsbot/discovery_sitemaps"] == [c.as_dict() for c in chosen]


def test_a_site_root_with_a_path_prefix_finds_the_editions_after_it() -> None:
    crawler = Crawler()
    index = IndexWalk(["mirror.example"], NEWSBOT_KNOWN_LANGUAGES, ["en"], crawler,  # type: ignore[arg-type]
                      prefix="/dw")
    assert index.child("https://mirror.example/dw/en/news-sitemap.xml", ROOT, 0) is None
    assert index.found == {("en", NEWS): ["https://mirror.example/dw/en/news-sitemap.xml"]}
