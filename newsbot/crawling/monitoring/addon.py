"""The add-on behind NEWSBOT_SPIDERMON: one setting turns on Spidermon and newsbot's suite.

Spidermon needs an extension, an item pipeline, a stats collector that keeps history, the
schema and the suite, each in its own setting; users who want monitoring should not have to
get five settings right. Everything is set at add-on priority, so a value in settings.py or on
the command line (`-s SPIDERMON_UNWANTED_HTTP_CODES=...`) still wins.
"""

from __future__ import annotations

import importlib.util
import logging
import warnings

from scrapy.settings import BaseSettings

from newsbot.schema import SCHEMA_PATH

logger = logging.getLogger(__name__)

SUITE = "newsbot.crawling.monitoring.suite.NewsbotMonitorSuite"
STATS_HISTORY = "newsbot.crawling.monitoring.history.DataDirStatsHistory"
# Any 403 means DW (or its CDN) refused us; a few 429s are retried away, more mean slow down.
UNWANTED_HTTP_CODES = {403: 0, 429: 5}


class SpidermonAddon:
    """Scrapy add-on: with NEWSBOT_SPIDERMON on, enable Spidermon with newsbot's suite."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("NEWSBOT_SPIDERMON"):
            return
        if importlib.util.find_spec("spidermon") is None:
            logger.error(
                "NEWSBOT_SPIDERMON is on but Spidermon is not installed "
                "(pip install -e '.[monitoring]'); this run has no Spidermon monitors"
            )
            return
        from spidermon.contrib.scrapy.extensions import Spidermon
        from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline

        # Spidermon's runner still calls Spider.log(); without this, every run would log (and
        # count in its report) a deprecation WARNING that is not the user's to fix.
        warnings.filterwarnings(
            "ignore", message=r"Spider\.log\(\) is deprecated", module=r"spidermon\."
        )

        for name, value in {
            "SPIDERMON_ENABLED": True,
            "SPIDERMON_SPIDER_CLOSE_MONITORS": [SUITE],
            "SPIDERMON_VALIDATION_SCHEMAS": [str(SCHEMA_PATH)],
            "SPIDERMON_MAX_ITEM_VALIDATION_ERRORS": 0,
            "SPIDERMON_EXPECTED_FINISH_REASONS": ["finished"],
            "SPIDERMON_UNWANTED_HTTP_CODES": UNWANTED_HTTP_CODES,
            "STATS_CLASS": STATS_HISTORY,
        }.items():
            settings.set(name, value, priority="addon")
        settings.setdefault_in_component_priority_dict("EXTENSIONS", Spidermon, 600)
        # After the store (300): only items that went into the archive are validated.
        settings.setdefault_in_component_priority_dict(
            "ITEM_PIPELINES", ItemValidationPipeline, 800
        )
