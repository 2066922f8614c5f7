"""Scrapy settings for newsbot.

Defaults are chosen for unattended runs against a public broadcaster: polite (robots.txt,
AutoThrottle, one identifiable User-Agent), bounded (timeouts, maximum response size) and closed
(no Telnet console, no remote-control server). Every NEWSBOT_* knob is documented in README.md.
"""

from newsbot.editions import CODES as EDITION_CODES
from newsbot.items import ARTICLE_FIELDS

BOT_NAME = "newsbot"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- newsbot's own knobs -------------------------------------------------------------------
# Where the archive lives: <dir>/dw/YYYY-MM-DD.jsonl and <dir>/seen.sqlite3.
NEWSBOT_DATA_DIR = "data"
# Permissions of the files newsbot creates (archive, index): owner rw, group r, others nothing.
# An int or an octal string (`-s NEWSBOT_FILE_MODE=600`); directories get the matching x bits.
# The process umask can narrow it further; a world-writable mode is refused.
NEWSBOT_FILE_MODE = 0o640
# Keep every stored article's page as gzipped WARC in <data dir>/pages/ (README "Kept pages"):
# what `newsbot reextract` re-reads after an upgrade, without asking dw.com again. About 1/5 of
# the page size per article on disk; False keeps no pages.
NEWSBOT_KEEP_PAGES = True
# Who to contact about the crawler: fills `{contact}` in USER_AGENT (newsbot.crawling.useragent).
# Set it to a real address.
NEWSBOT_CONTACT = "newsbot-operator@example.org"
# The roots every URL a run derives is built from (newsbot.crawling.discovery.channels): news
# and article sitemaps `{SITE}/<lang>/news-sitemap.xml`, `{SITE}/<lang>/article-sitemap.xml`, feeds
# `{FEEDS}/xml/rss-<code>-all`. Their hosts are the run's allowed domains; a path prefix works.
NEWSBOT_SITE_URL = "https://www.dw.com"
NEWSBOT_FEEDS_URL = "https://rss.dw.com"
# Feed code per edition where it is not the built-in one (e.g. {"zh-hant": "chi-hant"}).
NEWSBOT_FEED_CODES: dict[str, str] = {}
# Discovery channels of a run without -a channels= or start_urls: "news" (each edition's news
# sitemap, its RSS feed when that fails), "feed" (the RSS feed too), "listings" (topic and
# section pages of NEWSBOT_START_URLS).
NEWSBOT_CHANNELS = ["news"]
# Listing pages per language edition (topic `t-` and section `s-` pages) for the "listings"
# channel (-a channels=listings, or news,listings).
NEWSBOT_START_URLS = {
    "en": [
        "https://www.dw.com/en/top-stories/s-9097",
        "https://www.dw.com/en/germany/s-1432",
        "https://www.dw.com/en/world/s-1429",
        "https://www.dw.com/en/business/s-1431",
        "https://www.dw.com/en/science/s-12526",
        "https://www.dw.com/en/environment/s-11798",
        "https://www.dw.com/en/culture/s-1441",
        "https://www.dw.com/en/sports/s-8162",
    ],
    "de": [
        "https://www.dw.com/de/themen/s-9077",
        "https://www.dw.com/de/deutschland/s-12321",
        "https://www.dw.com/de/welt/s-100029",
        "https://www.dw.com/de/wirtschaft/s-1503",
        "https://www.dw.com/de/wissen-umwelt/s-12296",
        "https://www.dw.com/de/kultur/s-1534",
        "https://www.dw.com/de/sport/s-12284",
    ],
}
# Health of a scheduled run (see newsbot.crawling.health; `python -m newsbot run` exits
# non-zero when bad):
# the run fails when more than this share of requested article pages failed to fetch or parse...
NEWSBOT_MAX_ARTICLE_FAILURE_RATIO = 0.2
# ...and at least this many did (one transient failure among three requests is no alarm).
NEWSBOT_MIN_ARTICLE_FAILURES = 3
# Listing pages without any article link tolerated per run (0: any such page fails the run).
NEWSBOT_MAX_EMPTY_LISTING_PAGES = 0
# Seconds between newsbot's progress log lines (0: off); a bar is drawn when stderr is a terminal.
NEWSBOT_PROGRESS_INTERVAL = 60.0
NEWSBOT_PROGRESS_BAR = True
# Language editions crawled when `-a lang=` is not given.
NEWSBOT_LANGUAGES = ["en"]
# Language editions `-a lang=` accepts: DW's editions (newsbot.editions, the one registry).
NEWSBOT_KNOWN_LANGUAGES = sorted(EDITION_CODES)
# DW's news sitemaps reach back about this many hours: a longer stretch without a successful
# run is a coverage gap that only a backfill (`-a since= -a until=`) closes
# (newsbot.crawling.gaps).
NEWSBOT_NEWS_WINDOW_HOURS = 48

# --- identity and politeness --------------------------------------------------------------
USER_AGENT = "newsbot/0.1 (research archive of DW news; contact: {contact})"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items (and requests) of one response processed in parallel. Scrapy starts this many asyncio
# workers per response (default 100); an article page yields one item and the pipelines are
# synchronous, so 8 keeps every ordering and cuts crawl CPU by ~30% (benchmarks/RESULTS.md).
CONCURRENT_ITEMS = 8
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Responses being processed before Scrapy stops starting downloads (default 5 MB): above one
# 50 MB sitemap, so that the articles a backfill finds in it are fetched while it is read.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 56 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Longest Retry-After (seconds) a retry waits for; a longer one leaves the page to the next run.
NEWSBOT_RETRY_AFTER_MAX = 120.0
COOKIES_ENABLED = False

# --- security: no code-execution doors on a shared machine --------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Only http(s) is ever downloaded: file:, data:, ftp: and s3: requests fail as unsupported.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# `scrapy crawl` exits 1 when a run stops on a newsbot error (newsbot/crawling/commands/crawl.py).
COMMANDS_MODULE = "newsbot.crawling.commands"
ADDONS = {
    "newsbot.crawling.useragent.ContactUserAgent": 0,  # USER_AGENT {contact} <- NEWSBOT_CONTACT
    "newsbot.crawling.redact.RedactSecrets": 0,  # no credentials in logged settings or feed URIs
    # Spidermon when NEWSBOT_SPIDERMON is on
    "newsbot.crawling.monitoring.addon.SpidermonAddon": 0,
}
# Spidermon monitors (pip install -e '.[monitoring]'; README "Monitoring"). Off: the run reports
# and `newsbot status` are the built-in, dependency-free monitoring.
NEWSBOT_SPIDERMON = False

# --- JavaScript rendering (newsbot.crawling.rendering; scrapy-playwright, Debian's Chromium) ---
# Off by default: every page is fetched with plain HTTP and no browser is started. A run that
# renders (-a render=1, NEWSBOT_RENDER_LISTINGS or NEWSBOT_RENDER_URLS) routes http(s) through
# scrapy-playwright's handler (set by the spider, so other runs never load Playwright); only
# requests marked for rendering go to Chromium, which starts at the first of them.
# Render every listing (topic/section) page, clicking "Show more" (`-a render=1/0` wins).
NEWSBOT_RENDER_LISTINGS = False
# Regexes (re.search on the URL): any page that matches is rendered, listing or article.
NEWSBOT_RENDER_URLS: list[str] = []
# "Show more" is clicked (or the page scrolled) at most this many times per listing page.
NEWSBOT_RENDER_MAX_CLICKS = 5
# A button (or role=button) whose whole visible text is one of these is a "Show more" button.
NEWSBOT_RENDER_MORE_TEXTS = [
    "Show more", "Load more", "Show more posts", "More articles",
    "Mehr anzeigen", "Mehr laden", "Mehr Beiträge anzeigen", "Weitere Beiträge anzeigen",
    "Afficher plus", "Voir plus", "Mostrar más", "Ver más", "Mostrar mais", "Ver mais",
    "Показать больше", "Показать ещё", "Показати більше", "Daha fazla göster", "Pokaż więcej",
    "Prikaži više", "عرض المزيد", "نمایش بیشتر", "显示更多",
]
# CSS selectors of "Show more" controls, whatever their text (stable attributes).
NEWSBOT_RENDER_MORE_SELECTORS = ["button.show-more", "button.load-more"]
# Scroll to the bottom when a page has no "Show more" button (infinite-scroll listings).
NEWSBOT_RENDER_SCROLL = False
# Seconds to wait for teasers to load after navigation and after each click or scroll.
NEWSBOT_RENDER_WAIT_TIMEOUT = 5.0
# The browser: Debian's chromium (`apt-get install chromium`; never `playwright install`).
NEWSBOT_CHROMIUM_PATH = "/usr/bin/chromium"
# --no-sandbox: Chromium's sandbox cannot run as root or in most containers.
NEWSBOT_CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# PLAYWRIGHT_LAUNCH_OPTIONS is built from the two above unless set explicitly.
# scrapy-playwright needs TWISTED_REACTOR to be the asyncio reactor: Scrapy's default, kept.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
# One browser context with at most two pages open: Chromium's memory stays bounded.
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
# Milliseconds a rendered page may take to load before it falls back to plain HTTP.
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# Images, media and fonts are not downloaded by the browser: links are all it needs.
PLAYWRIGHT_ABORT_REQUEST = "newsbot.crawling.rendering.skip_heavy_resources"

# --- the pipeline ---------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Retries wait as long as a 429/503 Retry-After asks (up to NEWSBOT_RETRY_AFTER_MAX).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsbot.crawling.retry_after.RetryAfterMiddleware": 550,
    # Off-site, non-http(s) and looping redirects fail with a logged reason (before 600).
    "newsbot.crawling.redirects.RedirectPolicy": 650,
    # Meta refresh as Scrapy follows it, without decoding every article page to look for one.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsbot.crawling.redirects.HeadMetaRefreshMiddleware": 580,
    # A robots.txt answering 5xx or unreachable disallows its host for the run (RFC 9309); it
    # sees robots.txt after the retries (550) and before RobotsTxtMiddleware (100).
    "newsbot.crawling.robots.RobotsFailurePolicy": 540,
}
SPIDER_MIDDLEWARES = {
    "newsbot.crawling.known_articles.KnownArticleFilter": 650,
    # Notes each article item's response for PageStorePipeline (off with NEWSBOT_KEEP_PAGES).
    "pipelines.page_store.ResponseOfItem": 700,
}
ITEM_PIPELINES = {
    "pipelines.validation.ValidationPipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    # The page (WARC, data/pages/) is written before the JSONL store marks the article stored.
    "pipelines.page_store.PageStorePipeline": 250,
    "pipelines.jsonl_store.JsonlStorePipeline": 300,
}

# --- run report, progress ------------------------------------------------------------------
EXTENSIONS = {
    "newsbot.crawling.progress.Progress": 500,
    "newsbot.crawling.run_report.RunReport": 510,
    # SIGTERM / Ctrl-C: the requests waiting for a download slot are dropped, not downloaded.
    "newsbot.crawling.stopping.PromptStop": 520,
    # A robots.txt Crawl-delay for our User-Agent becomes its host's minimum delay.
    "newsbot.crawling.robots.CrawlDelay": 530,
    # A request the run derived that the off-site filter drops: WARNING, count, run warning.
    "newsbot.crawling.offsite.OffsiteDrops": 540,
}

# --- feed exports (-O items.jsonl / .csv / .json / .xml) ------------------------------------
# One export file per run, e.g. -s 'FEEDS={"exports/dw-%(time)s.jsonl": {"format": "jsonlines"}}'
# (%(time)s is the UTC start time; in a crontab every % must be written \%).
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(ARTICLE_FIELDS)

# --- logging ---------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
# "Dropped:" lines name the article and the reason, without dumping the whole item.
LOG_FORMATTER = "newsbot.crawling.logformatter.ArticleLogFormatter"
