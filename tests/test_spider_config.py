"""How the `dw` spider turns its arguments and settings into start pages and link rules."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from newsbot import settings as project_settings
from newsbot.crawling.arguments import SpiderArgumentError
from spiders.dw import DwSpider


def make_spider(**kwargs: str) -> DwSpider:
    names = [name for name in dir(project_settings) if name.isupper()]
    crawler = get_crawler(DwSpider, {name: getattr(project_settings, name) for name in names})
    return DwSpider.from_crawler(crawler, **kwargs)


def test_defaults_start_from_robots_txt_with_every_root_host_allowed() -> None:
    spider = make_spider()
    assert spider.languages == ["en"]
    # robots.txt names the sitemap index, which names the editions' news sitemaps
    assert spider.start_urls == ["https://www.dw.com/robots.txt"]
    # the feed host too: a fallback feed is a request the run derives on its own
    assert spider.allowed_domains == ["rss.dw.com", "www.dw.com"]
    assert not spider.refetch


def test_unknown_argument_names_are_refused_with_the_known_ones() -> None:
    with pytest.raises(SpiderArgumentError) as caught:
        make_spider(langs="de")
    assert str(caught.value) == (
        "unknown argument(s) langs; known: channels, lang, refetch, render, since, start_urls, "
        "until"
    )
    assert make_spider(_job="scrapyd-job-1").languages == ["en"]  # Scrapyd's own argument


def test_lang_selects_the_editions_the_index_walk_looks_for() -> None:
    spider = make_spider(lang="en, DE, zh")
    assert spider.languages == ["en", "de", "zh"]
    assert spider.start_urls == ["https://www.dw.com/robots.txt"]
    assert spider.index_walk is not None and spider.index_walk.chosen == ["en", "de", "zh"]


def test_channels_combine_feeds_and_the_default_listing_pages() -> None:
    spider = make_spider(lang="en,uk", channels="news,feed,listings")
    assert spider.start_urls == project_settings.NEWSBOT_START_URLS["en"] + [
        "https://www.dw.com/robots.txt",
        "https://rss.dw.com/xml/rss-en-all", "https://rss.dw.com/xml/rss-ukr-all",
    ]
    assert spider.allowed_domains == ["rss.dw.com", "www.dw.com"]


def test_a_feed_only_run_reads_no_sitemap_index() -> None:
    spider = make_spider(lang="es", channels="feed")
    assert spider.start_urls == ["https://rss.dw.com/xml/rss-spa-all"]
    assert spider.index_walk is None


def test_a_backfill_starts_from_robots_txt_too() -> None:
    spider = make_spider(lang="tr", since="2026-06-01", until="2026-06-30")
    assert spider.start_urls == ["https://www.dw.com/robots.txt"]
    assert spider.window is not None and str(spider.window) == "2026-06-01 to 2026-06-30"


def test_start_urls_set_the_allowed_domains_and_languages() -> None:
    spider = make_spider(
        start_urls="http://127.0.0.1:8080/de/thema/t-1, http://localhost:9/fr/sujet/s-2"
    )
    assert spider.start_urls == ["http://127.0.0.1:8080/de/thema/t-1", "http://localhost:9/fr/sujet/s-2"]
    # the configured roots' hosts are allowed in every run, whatever the channels
    assert spider.allowed_domains == ["127.0.0.1", "localhost", "rss.dw.com", "www.dw.com"]
    assert spider.languages == ["de", "fr"]


def test_links_are_followed_only_on_allowed_hosts_and_languages() -> None:
    spider = make_spider(start_urls="https://www.dw.com/en/germany/s-1432")
    assert spider._follows("https://www.dw.com/en/x/a-1", "en")
    assert not spider._follows("https://www.dw.com/de/x/a-1", "de")
    assert not spider._follows("https://evil.example/en/x/a-1", "en")
    assert not spider._follows("https://www.dw.com.evil.example/en/x/a-1", "en")
