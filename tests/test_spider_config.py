"""How the `dw` spider turns its arguments and settings into start pages and link rules."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from newsbot import settings as project_settings
from spiders.dw import DwSpider


def make_spider(**kwargs: str) -> DwSpider:
    names = [name for name in dir(project_settings) if name.isupper()]
    crawler = get_crawler(DwSpider, {name: getattr(project_settings, name) for name in names})
    return DwSpider.from_crawler(crawler, **kwargs)


def test_defaults_are_the_english_listing_pages() -> None:
    spider = make_spider()
    assert spider.languages == ["en"]
    assert spider.start_urls == project_settings.NEWSBOT_START_URLS["en"]
    assert spider.allowed_domains == ["www.dw.com"]
    assert not spider.refetch


def test_lang_selects_the_default_pages_of_each_edition() -> None:
    spider = make_spider(lang="en, DE")
    assert spider.languages == ["en", "de"]
    assert spider.start_urls == (
        project_settings.NEWSBOT_START_URLS["en"] + project_settings.NEWSBOT_START_URLS["de"]
    )


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
