"""The archive of one crawl: the JSONL writer and the dedupe index, used as one.

`store` is the only way an article enters the archive, and it writes the line before it marks
the permalink as stored, so a crash between the two is repaired by `SeenStore.catch_up` on the
next start rather than leaving an article marked but missing.
"""

from __future__ import annotations

import logging
import weakref
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newsbot.errors import ALREADY_RUNNING, STORAGE_FAILED, stop_crawl
from newsbot.storage import (
    DEFAULT_FILE_MODE,
    StorageError,
    archive_dir,
    dir_mode_for,
    ensure_dir,
    file_mode,
    seen_db_path,
)
from newsbot.storage.jsonl import DailyJsonlWriter
from newsbot.storage.lock import AlreadyRunning, RunLock
from newsbot.storage.seen import SeenStore

logger = logging.getLogger(__name__)

_BY_CRAWLER: weakref.WeakKeyDictionary[Crawler, Archive] = weakref.WeakKeyDictionary()


class Archive:
    """Daily JSONL files plus the SQLite index of stored permalinks under one data directory."""

    def __init__(self, data_dir: str | Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
        """Take the data directory's run lock, then open the index and the writer.

        The lock comes first: a second crawl on the same directory stops (AlreadyRunning)
        before it reads or writes anything of the archive.
        """
        dir_mode = dir_mode_for(file_mode)
        self.data_dir = ensure_dir(Path(data_dir), dir_mode)
        self.lock = RunLock(self.data_dir, file_mode)
        self.lock.acquire()
        try:
            self.directory = ensure_dir(archive_dir(self.data_dir), dir_mode)
            self.seen = SeenStore(seen_db_path(self.data_dir), file_mode)
            self.seen.catch_up(self.directory)
            self.writer = DailyJsonlWriter(self.directory, file_mode)
        except BaseException:
            self.lock.release()
            raise

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> Archive:
        """The one archive of this crawl, shared by the request filter and the pipelines.

        An archive that cannot be opened stops the crawl: the error is logged once and
        CloseSpider(STORAGE_FAILED) is raised, before any article is requested.
        """
        archive = _BY_CRAWLER.get(crawler)
        if archive is None:
            settings = crawler.settings
            try:
                archive = cls(
                    settings.get("NEWSBOT_DATA_DIR"), file_mode(settings.get("NEWSBOT_FILE_MODE"))
                )
            except AlreadyRunning as exc:
                raise stop_crawl(crawler, exc, ALREADY_RUNNING) from exc
            except StorageError as exc:
                raise stop_crawl(crawler, exc, STORAGE_FAILED) from exc
            _BY_CRAWLER[crawler] = archive
            crawler.signals.connect(archive.close_at_end, signal=signals.spider_closed)
        return archive

    def is_stored(self, permalink: str) -> bool:
        """True when this permalink is already in the archive."""
        return self.seen.contains(permalink)

    def store(self, record: dict[str, Any]) -> Path:
        """Append the record to the file of its scrape day (UTC), then mark it stored."""
        day = _scrape_day(record.get("scraped_at"))
        path, indexed_to = self.writer.write(record, day)
        self.seen.mark_stored(
            record["permalink"], int(record["content_id"]), record.get("modified"), path, indexed_to
        )
        return path

    def close_at_end(self) -> None:
        """Close when the crawl ends (spider_closed); a failure is one ERROR line.

        A full disk can strike at the very end, when the index commits its last batch: raised
        from a signal handler, that would be a traceback. Nothing is lost either way: every
        stored line is whole in the JSONL files, and the index catches up with them at the next
        start.
        """
        try:
            self.close()
        except (StorageError, OSError) as exc:
            logger.error("Closing the archive: %s", exc)

    def close(self) -> None:
        """fsync and close the JSONL files, close the index, then give up the run lock."""
        try:
            try:
                self.writer.close()
            finally:
                self.seen.close()
        finally:
            self.lock.release()


def _scrape_day(scraped_at: str | None) -> date:
    """The UTC day a record belongs to: its `scraped_at` date (ISO 8601, UTC)."""
    if scraped_at:
        return datetime.fromisoformat(scraped_at).date()
    raise ValueError("record has no scraped_at: cannot choose its daily file")
