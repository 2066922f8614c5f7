"""Item pipelines of newsbot, in the order settings.ITEM_PIPELINES runs them:
validation, deduplication, the page store (WARC), then the JSONL store."""
