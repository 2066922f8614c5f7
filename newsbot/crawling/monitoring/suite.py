"""newsbot's Spidermon suite, run when the spider closes (NEWSBOT_SPIDERMON = True).

- items match the published schema (article.schema.json, through Spidermon's validation
  pipeline);
- the run finished normally (finish reason `finished`);
- it stored at least NEWSBOT_SPIDERMON_ITEM_RATIO of the median of earlier runs (Spidermon's
  stats history), once there are NEWSBOT_SPIDERMON_HISTORY_RUNS of them;
- no more 403 and 429 responses than SPIDERMON_UNWANTED_HTTP_CODES allows.

When a monitor fails, the actions named in NEWSBOT_SPIDERMON_FAILED_ACTIONS (Spidermon's
e-mail, Slack, Telegram, ... actions, configured by their own SPIDERMON_* settings) run.
"""

from __future__ import annotations

import statistics
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import FinishReasonMonitor, UnwantedHTTPCodesMonitor
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor

VALIDATION_ERRORS_STAT = "spidermon/validation/fields/errors"


@monitors.name("Item validation monitor")
class ItemSchemaMonitor(BaseScrapyMonitor):
    """Stored items match the published item schema."""

    @monitors.name("Should store only items that match article.schema.json")
    def test_items_match_the_schema(self) -> None:
        # Spidermon sets the stat only once an error occurs: absent means none.
        errors = self.stats.get(VALIDATION_ERRORS_STAT, 0)
        allowed = self.crawler.settings.getint("SPIDERMON_MAX_ITEM_VALIDATION_ERRORS", 0)
        self.assertLessEqual(
            errors, allowed,
            msg=f"{errors} schema error(s) in stored items (allowed {allowed}); "
            f"see the {VALIDATION_ERRORS_STAT}/* stats",
        )


@monitors.name("Item count monitor")
class ItemCountHistoryMonitor(BaseScrapyMonitor):
    """This run stored about as many items as earlier runs usually do."""

    @monitors.name("Should store at least NEWSBOT_SPIDERMON_ITEM_RATIO of the earlier median")
    def test_item_count_against_earlier_runs(self) -> None:
        settings = self.crawler.settings
        earlier = [
            stats.get("item_scraped_count", 0)
            for stats in self.data.stats_history
            if stats.get("finish_reason") == "finished"
        ]
        needed = settings.getint("NEWSBOT_SPIDERMON_HISTORY_RUNS", 5)
        if len(earlier) < needed:
            self.skipTest(f"{len(earlier)} earlier finished run(s), {needed} needed")
        median = statistics.median(earlier)
        ratio = settings.getfloat("NEWSBOT_SPIDERMON_ITEM_RATIO", 0.5)
        count = self.stats.get("item_scraped_count", 0)
        self.assertGreaterEqual(
            count, ratio * median,
            msg=f"stored {count} item(s), less than {ratio:g} x the median {median:g} of the "
            f"last {len(earlier)} finished run(s)",
        )


class NewsbotMonitorSuite(MonitorSuite):
    """The monitors above, with Spidermon's finish-reason and unwanted-HTTP-codes monitors."""

    monitors = [  # noqa: RUF012 (Spidermon's declarative API)
        FinishReasonMonitor,
        ItemSchemaMonitor,
        ItemCountHistoryMonitor,
        UnwantedHTTPCodesMonitor,
    ]

    def __init__(self, crawler: Crawler | None = None, **kwargs: Any) -> None:
        if crawler is not None and "monitors_failed_actions" not in kwargs:
            kwargs["monitors_failed_actions"] = [
                load_object(path)
                for path in crawler.settings.getlist("NEWSBOT_SPIDERMON_FAILED_ACTIONS")
            ]
        super().__init__(crawler=crawler, **kwargs)
