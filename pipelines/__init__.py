"""Item pipelines of newsbot, in the order settings.ITEM_PIPELINES runs them:
validation, deduplication, then the JSONL store."""
