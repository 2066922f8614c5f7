"""Article extraction in worker processes, beside the crawl process.

Downloading and extraction each keep a CPU core busy; in one process they share one. The crawl
process (Scrapy's reactor) sends each article response to a worker (`python -m
newsbot.workers.child`) over a pipe and awaits its Extraction (newsbot.extraction), while it goes
on downloading. See `pool.ExtractionWorkers` for when workers are used and what happens when one
goes away.
"""
