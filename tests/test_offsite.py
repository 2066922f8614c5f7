"""A request the run derived that Scrapy's off-site filter drops is logged, counted and reported."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.statscollectors import MemoryStatsCollector

from newsbot import settings as project_settings
from newsbot.crawling.offsite import OffsiteDrops
from newsbot.stats import RUN_WARNINGS


def extension() -> tuple[OffsiteDrops, SimpleNamespace]:
    settings = Settings({n: getattr(project_settings, n) for n in dir(project_settings)
                         if n.isupper()})
    crawler = SimpleNamespace(settings=settings, signals=SignalManager())
    crawler.stats = MemoryStatsCollector(crawler)  # type: ignore[arg-type]
    return OffsiteDrops(crawler), crawler  # type: ignore[arg-type]


def spider() -> Spider:
    dw = Spider(name="dw")
    dw.allowed_domains = ["www.dw.com", "rss.dw.com"]
    return dw


def test_an_off_site_request_is_a_warning_a_count_and_a_run_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    drops, crawler = extension()
    with caplog.at_level(logging.WARNING):
        drops.request_scheduled(Request("https://rss.example.org/xml/rss-en-all"), spider())
    assert crawler.stats.get_value("newsbot/offsite_dropped") == 1
    (warning,) = crawler.stats.get_value(RUN_WARNINGS)
    assert warning.startswith("https://rss.example.org/xml/rss-en-all was dropped as off-site")
    assert "https://rss.example.org/xml/rss-en-all was dropped as off-site" in caplog.text


def test_requests_to_allowed_hosts_or_marked_allowed_pass_silently() -> None:
    drops, crawler = extension()
    for request in (
        Request("https://rss.dw.com/xml/rss-spa-all"),
        Request("https://www.dw.com/en/x/a-1"),
        Request("https://other.example/", meta={"allow_offsite": True}),
        Request("https://other.example/", dont_filter=True),
    ):
        drops.request_scheduled(request, spider())
    assert crawler.stats.get_value("newsbot/offsite_dropped") is None


def test_without_scrapy_s_offsite_filter_the_extension_is_off() -> None:
    settings = Settings({"DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None}})
    crawler = SimpleNamespace(settings=settings, signals=SignalManager())
    with pytest.raises(NotConfigured):
        OffsiteDrops(crawler)  # type: ignore[arg-type]
