"""Benchmarks of newsbot's cost: extraction, crawl throughput, incremental runs, dedupe at scale.

Not part of the test suite (pytest collects tests/ only, and these files are named bench_*.py).
Run them all with `.venv/bin/python -m benchmarks`; see benchmarks/RESULTS.md for the figures.
"""
