"""A stand-in for dw.com, served on loopback: DW-shaped pages and channels for offline crawls.

`pages` renders topic pages and articles of both DW page designs from plain data; `channels`
writes sitemaps, indexes and feeds (RSS 2.0, RDF, Atom); `server` serves them over real HTTP
under two host names on one port (`127.0.0.1` as www.dw.com, `localhost` as rss.dw.com) and
logs every request; `dwsite` builds the whole 2026 site (robots.txt with its `Sitemap:` line,
the sitemap index, 31 editions). Used by the tests, the offline demo (`python -m tests.fakedw`)
and the benchmarks.
"""
