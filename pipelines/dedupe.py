"""Drop articles already in the archive, whether stored in an earlier run or earlier in this one.

A stored article comes back only when re-requested (`-a refetch=1`). If DW has updated it since
(its `modified` is later than the stored version's), the new version is let through and stored
as a new line: the archive keeps every version, and readers keep the latest `scraped_at` per
permalink (`python -m newsbot merge` does exactly that). An unchanged article is dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newsbot.stats import DROPPED_DUPLICATE, UPDATED
from newsbot.storage import StorageError
from pipelines.archive_pipeline import ArchivePipeline


class DedupePipeline(ArchivePipeline):
    """Deduplicates by DW permalink against the persistent index (see newsbot.storage.seen)."""

    def process_item(self, item: object) -> object:
        assert self.archive is not None
        adapter = ItemAdapter(item)
        permalink = adapter["permalink"]
        try:
            known = self.archive.is_stored(permalink)
            stored = self.archive.seen.modified_of(permalink) if known else None
        except StorageError as exc:
            # The index became unreadable mid-run: store nothing unchecked.
            raise self.storage_failed(exc, "not checked: the dedupe index cannot be read") from exc
        if known:
            if is_newer(adapter.get("modified"), stored):
                self.stats.inc_value(UPDATED)
                return item
            self.stats.inc_value(DROPPED_DUPLICATE)
            raise DropItem(
                f"{permalink} ({adapter['url']}) is already stored, not modified since {stored}"
            )
        return item


def is_newer(modified: str | None, stored: str | None) -> bool:
    """True when `modified` is a later ISO 8601 time than `stored` (None is never newer).

    Both are compared as instants (a date alone is its midnight UTC), so `2024-01-30T15:00:00+01:00`
    and `2024-01-30T14:00:00Z` are the same version whatever the spelling.
    """
    if not modified:
        return False
    if not stored:
        return True
    try:
        return _instant(modified) > _instant(stored)
    except ValueError:
        return False  # an unreadable date is no evidence of an update


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
