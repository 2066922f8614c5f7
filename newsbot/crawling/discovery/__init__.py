"""Finding DW's articles from DW's own channels: news sitemaps, article sitemaps and RSS feeds.

`editions` knows where each edition's channels live (URLs from NEWSBOT_SITE_URL and
NEWSBOT_FEEDS_URL, and the feed code of each edition); `sitemaps` and `feeds` read the documents
as a stream of entries; `dates` says when an entry was published and whether that falls in a
backfill window; `metadata` lets an entry's title, date and keywords fill what a page lacks.
The spider decides which channel to read when; none of these modules makes a request.
"""
