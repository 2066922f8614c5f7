"""Write each article as one line of the daily JSONL file, then mark it stored."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.items import ARTICLE_FIELDS
from newsbot.stats import STORED
from newsbot.storage import StorageError
from pipelines.archive_pipeline import ArchivePipeline


class JsonlStorePipeline(ArchivePipeline):
    """The archive writer: one JSON object per line, UTF-8, one file per UTC day."""

    def process_item(self, item: object) -> object:
        assert self.archive is not None
        adapter = ItemAdapter(item)
        # Every line carries every field of the schema, in schema order (null when unknown).
        try:
            self.archive.store({name: adapter.get(name) for name in ARTICLE_FIELDS})
        except StorageError as exc:
            # Disk full or unwritable: the crawl stops rather than fail every item.
            raise self.storage_failed(exc, "not stored: the archive cannot be written") from exc
        self.stats.inc_value(STORED)
        return item
