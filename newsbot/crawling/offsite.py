"""Requests the run derived that Scrapy's OffsiteMiddleware drops: a WARNING, never silence.

Every request newsbot makes is one the run derived from its roots (NEWSBOT_SITE_URL,
NEWSBOT_FEEDS_URL), its start URLs or the channels they list, and the spider allows all their
hosts. Scrapy drops a request to any other host when it is scheduled, logging it at DEBUG only
("Filtered offsite request"), so a fallback feed dropped that way would vanish without a word.
This extension sees the same requests (`request_scheduled`) with the same rule and logs each
one dropped at WARNING with its URL, counts it (`newsbot/offsite_dropped`) and adds it to the
run's warnings, where the run summary shows it.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot.crawling.discovery.entries import on_host
from newsbot.crawling.health import add_run_warning
from newsbot.stats import OFFSITE_DROPPED

logger = logging.getLogger(__name__)

_OFFSITE = "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"


class OffsiteDrops:
    """Extension: a scheduled request off the spider's allowed_domains is logged and counted."""

    def __init__(self, crawler: Crawler) -> None:
        if crawler.settings.getwithbase("DOWNLOADER_MIDDLEWARES").get(_OFFSITE) is None:
            raise NotConfigured  # nothing drops off-site requests
        self.crawler = crawler
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteDrops:
        return cls(crawler)

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        domains = [d for d in getattr(spider, "allowed_domains", None) or [] if d]
        if not domains or request.dont_filter or request.meta.get("allow_offsite"):
            return
        if on_host(request.url, domains):
            return
        stats = self.crawler.stats
        stats.inc_value(OFFSITE_DROPPED)
        message = (
            f"{request.url} was dropped as off-site: its host is none of the run's allowed "
            f"hosts ({', '.join(domains)}); set NEWSBOT_SITE_URL / NEWSBOT_FEEDS_URL to roots "
            "on the hosts this run must reach"
        )
        logger.warning("Request %s", message)
        add_run_warning(stats, message)
