"""Extension: tune the crawl process's garbage collector once the crawl has started.

At engine start the imports, settings, middlewares and pipelines all exist and live until the
end of the run: see newsbot.gc_tuning for why they are frozen. The extraction workers tune
their own collector the same way once their imports are done (newsbot.workers.child).
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from newsbot.gc_tuning import tune_for_throughput


class GcTuning:
    """Calls `tune_for_throughput` at engine start."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        tune_for_throughput()
