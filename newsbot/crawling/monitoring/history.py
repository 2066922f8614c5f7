"""Spidermon's stats history, kept in the data directory beside the run reports.

Spidermon's LocalStorageStatsHistoryCollector pickles the stats of the last
SPIDERMON_MAX_STORED_STATS runs under the project's `.scrapy/` directory; newsbot keeps them
with the archive they describe (DATA_DIR/stats_history/<spider>.pickle), so two data
directories never share a history and the file gets the archive's permissions.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from spidermon.contrib.stats.statscollectors.local_storage import (
    LocalStorageStatsHistoryCollector,
)

from newsbot.storage import dir_mode_for, ensure_dir, file_mode

HISTORY_SUBDIR = "stats_history"


class DataDirStatsHistory(LocalStorageStatsHistoryCollector):
    """The stats history of each spider in NEWSBOT_DATA_DIR/stats_history/."""

    def _stats_location(self, spider: Spider) -> Path:
        settings = spider.crawler.settings
        mode = file_mode(settings.get("NEWSBOT_FILE_MODE"))
        directory = ensure_dir(
            Path(settings.get("NEWSBOT_DATA_DIR")) / HISTORY_SUBDIR, dir_mode_for(mode)
        )
        return directory / f"{spider.name}.pickle"
