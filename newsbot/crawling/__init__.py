"""Crawling: which requests a run makes and how (arguments, discovery from DW's
sitemaps, feeds and listing pages, robots.txt, redirects, retries, rendering, User-Agent)."""
