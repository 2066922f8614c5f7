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


def test_defaults_are_the_english_news_sitemap() -> None:
    spider = make_spider()
    assert spider.languages == ["en"]
    assert spider.start_urls == ["https://www.dw.com/en/news-sitemap.xml"]
    # The news sitemap's fallback feed is on rss.dw.com: offsite, it would be dropped unseen.
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


def test_lang_selects_the_news_sitemap_of_each_edition() -> None:
    spider = make_spider(lang="en, DE, zh")
    assert spider.languages == ["en", "de", "zh"]
    assert spider.start_urls == [
        f"https://www.dw.com/{code}/news-sitemap.xml" for code in ("en", "de", "zh")
    ]


def test_channels_combine_feeds_and_the_default_listing_pages() -> None:
    spider = make_spider(lang="en,uk", channels="news,feed,listings")
    assert spider.start_urls == project_settings.NEWSBOT_START_URLS["en"] + [
        "https://www.dw.com/en/news-sitemap.xml", "https://rss.dw.com/xml/rss-en-all",
        "https://www.dw.com/uk/news-sitemap.xml", "https://rss.dw.com/xml/rss-ukr-all",
    ]
    assert spider.allowed_domains == ["rss.dw.com", "www.dw.com"]


def test_a_backfill_reads_the_article_sitemaps() -> None:
    spider = make_spider(lang="tr", since="2026-06-01", until="2026-06-30")
    assert spider.start_urls == ["https://www.dw.com/tr/article-sitemap.xml"]
    assert spider.window is not None and str(spider.window) == "2026-06-01 to 2026-06-30"
    assert spider.allowed_domains == ["www.dw.com"]  # a backfill reads no feed


def test_start_urls_set_the_allowed_domains_and_languages() -> None:
    spider = make_spider(
        start_urls="http://127.0.0.1:8080/de/thema/t-1, http://localhost:9/fr/sujet/s-2"
    )
    assert spider.start_urls == ["http://127.0.0.1:8080/de/thema/t-1", "http://localhost:9/fr/sujet/s-2"]
    assert spider.allowed_domains == ["127.0.0.1", "localhost"]
    assert spider.languages == ["de", "fr"]


def test_links_are_followed_only_on_allowed_hosts_and_languages() -> None:
    spider = make_spider(start_urls="https://www.dw.com/en/germany/s-1432")
    assert spider._follows("https://www.dw.com/en/x/a-1", "en")
    assert not spider._follows("https://www.dw.com/de/x/a-1", "de")
    assert not spider._follows("https://evil.example/en/x/a-1", "en")
    assert not spider._follows("https://www.dw.com.evil.example/en/x/a-1", "en")
