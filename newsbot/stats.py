"""The names of newsbot's crawl stats, in one place: who counts what, and who reads it.

The crawl counts into Scrapy's stats collector; the run report (newsbot.crawling.run_report),
the health verdict (newsbot.crawling.health), the progress line and the Spidermon monitors read
the same keys back. A key is written here once and imported wherever it is used. The values
are the stats' public names (run reports, monitors and users' dashboards read them), so they
keep their historic spelling: every discovery page, sitemaps and feeds included, counts under
`newsbot/listing/`.
"""

from __future__ import annotations

# --- discovery: topic/section pages, sitemaps and feeds ------------------------------------
DISCOVERY_PAGES = "newsbot/listing/pages"  # fetched
DISCOVERY_PAGES_WITHOUT_LINKS = "newsbot/listing/pages_without_links"
DISCOVERY_FAILED = "newsbot/listing/failed"
DISCOVERY_ARTICLE_LINKS = "newsbot/listing/article_links"  # articles they listed, wanted ones
FAILED_DISCOVERY_URLS = "newsbot/listing/failed_urls"  # a list, named in the verdict
EMPTY_DISCOVERY_URLS = "newsbot/listing/empty_urls"  # a list: pages without article links
UNREACHABLE_URLS = "newsbot/discovery/unreachable_urls"  # a list: host could not be reached
UNREACHABLE_ERROR = "newsbot/discovery/unreachable_error"  # the first such error
DISCOVERY = "newsbot/discovery/"  # prefix of the report's `discovery` section
NEWS_SITEMAPS = "newsbot/discovery/news_sitemaps"
FEEDS = "newsbot/discovery/feeds"
ARTICLE_SITEMAPS = "newsbot/discovery/article_sitemaps"
FEED_FALLBACKS = "newsbot/discovery/feed_fallbacks"
DISCOVERY_ROBOTS_REFUSED = "newsbot/discovery/robots_refused"  # another host's robots.txt
DISCOVERY_SKIPPED = "newsbot/discovery/skipped/"  # + why an entry was not requested
DISCOVERY_FAULTS = "newsbot/discovery/faults/"  # + what was wrong with a document
SITEMAP_INDEX = "newsbot/discovery/index/"  # + what the sitemap index walk decided
SITEMAPS_FROM = "newsbot/discovery/sitemaps_from_"  # + index or pattern
SITEMAPS_USED = "newsbot/discovery_sitemaps"  # a list of the sitemaps a run read
NEWS_OLDEST = "newsbot/coverage/news_oldest/"  # + edition: oldest entry its news sitemap listed

# --- articles -------------------------------------------------------------------------------
ARTICLES_REQUESTED = "newsbot/articles/requested"
ARTICLES_SKIPPED_STORED = "newsbot/articles/skipped_stored"
ARTICLES_SKIPPED_SEEN_THIS_RUN = "newsbot/articles/skipped_seen_this_run"
ARTICLES_FAILED = "newsbot/articles/failed"
ARTICLES_REJECTED = "newsbot/articles/rejected/"  # + why a page yielded no item
ARTICLES_FILLED_FROM_ENTRY = "newsbot/articles/filled_from_entry/"  # + field
ARTICLES_CHARSET_REPAIRED = "newsbot/articles/charset_repaired"
ARTICLES_MEDIA_ONLY = "newsbot/articles/media_only"
ARTICLES_ROBOTS_UNAVAILABLE = "newsbot/articles/robots_unavailable"

# --- storage --------------------------------------------------------------------------------
STORED = "newsbot/stored"
UPDATED = "newsbot/updated"
DROPPED = "newsbot/dropped/"  # + why an item was not stored
DROPPED_MISSING = "newsbot/dropped/missing_"  # + field
DROPPED_DUPLICATE = "newsbot/dropped/duplicate"
DROPPED_NOT_STORED = "newsbot/dropped/not_stored"
PAGES_KEPT = "newsbot/pages/kept"
PAGES_BYTES = "newsbot/pages/bytes"
PAGES_NOT_KEPT = "newsbot/pages/not_kept"

# --- rendering ------------------------------------------------------------------------------
RENDER_LISTING_PAGES = "newsbot/render/listing_pages"
RENDER_CLICKS = "newsbot/render/clicks"
RENDER_SCROLLS = "newsbot/render/scrolls"
RENDER_FALLBACK = "newsbot/render/fallback"
RENDER_BROWSER_FAILED = "newsbot/render/browser_failed"
RENDER_ROBOTS_BLOCKED = "newsbot/render/robots_blocked"

# --- politeness and the run ------------------------------------------------------------------
ROBOTS_UNAVAILABLE = "newsbot/robots/unavailable"  # host -> why its robots.txt failed
ROBOTS_UNREACHABLE = "newsbot/robots/unreachable"
ROBOTS_CRAWL_DELAY = "newsbot/robots/crawl_delay/"  # + host
RETRY_AFTER_WAITS = "newsbot/retry_after/waits"
RETRY_AFTER_GAVE_UP = "newsbot/retry_after/gave_up"
REDIRECTS_REFUSED = "newsbot/redirects/refused"
OFFSITE_DROPPED = "newsbot/offsite_dropped"
STOP_DROPPED_REQUESTS = "newsbot/stop/dropped_requests"
RUN_WARNINGS = "newsbot/run/warnings"  # a list of lines for the report and the summary
RUN_STATUS = "newsbot/run/status"
ERROR_MESSAGE = "newsbot/errors/message"  # the error that stopped the run
ERRORS = "newsbot/errors/"  # + finish reason
