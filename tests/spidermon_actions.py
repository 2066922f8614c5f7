"""A Spidermon action for the tests: what a mail or Slack action would send, written to a file."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler
from spidermon.core.actions import Action


class RecordFailedMonitors(Action):
    """Writes the names of the failed monitors to NEWSBOT_TEST_FAILED_MONITORS_FILE."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = Path(path)

    @classmethod
    def from_crawler_kwargs(cls, crawler: Crawler) -> dict[str, str]:
        return {"path": crawler.settings.get("NEWSBOT_TEST_FAILED_MONITORS_FILE")}

    def run_action(self) -> None:
        failed = [result.monitor.name for result in self.result.monitors_failed_results]
        self.path.write_text("\n".join(failed) + "\n", encoding="utf-8")
