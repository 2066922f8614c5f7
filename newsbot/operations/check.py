"""`newsbot check`: does discovery work on the live site, edition by edition? The first command a
user runs against dw.com, and a weekly canary from cron.

No test here can reach dw.com, so the product finds out on the user's machine what the live site
serves: for each chosen edition, the robots.txt verdict for the configured User-Agent, the news
sitemap (the URL used, status, entries, age of the newest `news:publication_date`), the feed
(status, items), the article sitemap (status, children or entries, newest lastmod) and the newest
article (design, fields extracted, body length, any noise string left in the body).

It is a small Scrapy crawl of its own (`CheckSpider`), so robots.txt, delays, AutoThrottle and
the User-Agent are those of a run; at most 4 requests an edition (news sitemap, feed, article
sitemap, one article; no retries) plus robots.txt and the sitemap indexes once per run. It
writes nothing: no archive, no run report. Exit 0 when every edition has a working discovery
channel and its sample article gives a title and a date (a body, or none for a media-only
article); else 12 (`ExitCode.CHECK_FAILED`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from protego import Protego
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsbot.crawling.arguments import check_languages, split_list
from newsbot.crawling.discovery.channels import Channels
from newsbot.crawling.discovery.entries import wanted_article
from newsbot.crawling.discovery.feeds import read_feed
from newsbot.crawling.discovery.index import ARTICLE, NEWS, IndexWalk, robots_sitemaps
from newsbot.crawling.discovery.sitemaps import (
    SITEMAP_SIZE_META,
    SitemapFault,
    SitemapReader,
    sitemap_body,
)
from newsbot.crawling.robots import refused_by_robots, robots_user_agent
from newsbot.extraction.article import extract_article
from newsbot.extraction.pages import UnknownPageDesign, detect_page

# Strings that must never be left in an article's body (frame, promos, credits): a sample
# article whose body has one is reported (not failed): the cleaning rules need a look.
NOISE = ("Advertisement", "Read more", "Edited by", "Download the DW app", "Skip next section",
         "Image:", "Photo:", "(Reuters", "AFP)", "dpa)")
_LANG = "newsbot_check_lang"


@dataclass
class EditionCheck:
    """What the check found for one edition (also its `--json` form)."""

    robots: str = "unknown"
    news: dict[str, Any] = field(default_factory=dict)
    feed: dict[str, Any] = field(default_factory=dict)
    article_sitemap: dict[str, Any] = field(default_factory=dict)
    article: dict[str, Any] = field(default_factory=dict)
    # sample candidates: (published, url) of the newest article entry of news sitemap and feed
    candidates: list[tuple[datetime, str]] = field(default_factory=list)
    waiting: int = 2  # news sitemap and feed, before the sample article is chosen

    @property
    def channel_ok(self) -> bool:
        return any(part.get("ok") for part in (self.news, self.feed, self.article_sitemap))

    @property
    def article_ok(self) -> bool:
        return bool(self.article.get("title") and self.article.get("published"))

    @property
    def ok(self) -> bool:
        return self.robots != "refused" and self.channel_ok and self.article_ok

    def problems(self) -> list[str]:
        found = []
        if self.robots == "refused":
            found.append("robots.txt refuses the User-Agent")
        if not self.channel_ok:
            found.append("no working discovery channel (news sitemap, feed, article sitemap)")
        if not self.article_ok:
            found.append(self.article.get("error") or "the sample article lacks a title or date")
        return found

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "robots": self.robots, "news_sitemap": self.news,
                "feed": self.feed, "article_sitemap": self.article_sitemap,
                "article": self.article, "problems": self.problems()}


class CheckSpider(scrapy.Spider):
    """robots.txt -> sitemap index -> per edition: news sitemap, feed, article sitemap, one
    article. Results in `self.results`; nothing is yielded as an item."""

    name = "dw-check"

    def __init__(self, languages: list[str], roots: Channels, known: list[str],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.languages = languages
        self.roots = roots
        self.known = known
        self.results = {lang: EditionCheck() for lang in languages}
        self.allowed_domains = sorted(
            {urlsplit(url).hostname or "" for url in (roots.site_url, roots.feeds_url)}
        )
        self.walk: IndexWalk | None = None

    async def start(self) -> Any:
        site = urlsplit(self.roots.site_url)
        self.walk = IndexWalk(site_hosts=[site.hostname or ""], known=self.known,
                              chosen=self.languages, crawler=self.crawler,
                              prefix=site.path.rstrip("/"))
        yield scrapy.Request(f"{site.scheme}://{site.netloc}/robots.txt",
                             callback=self.parse_robots, errback=self.robots_failed)

    # --- robots.txt and the index ------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        assert self.walk is not None
        text = response.text if isinstance(response, TextResponse) else ""
        parser = Protego.parse(text)
        agent = robots_user_agent(self.crawler)
        for lang, result in self.results.items():
            allowed = parser.can_fetch(f"{self.roots.site_url}/{lang}/", agent)
            result.robots = "allowed" if allowed else "refused"
        urls, _ = robots_sitemaps(text)
        self.walk.unread = "" if urls else f"{response.url} has no Sitemap: line"
        self.walk.pending += 1
        for url in urls:
            nested = self.walk.child(url, response.url, -1)
            if nested is not None:
                yield self._index_request(nested, 0)
        yield from self._index_done()

    def robots_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        assert self.walk is not None
        for result in self.results.values():
            result.robots = f"unreadable ({failure.getErrorMessage()}): all allowed"
        self.walk.unread = "robots.txt failed"
        self.walk.pending += 1
        yield from self._index_done()

    def _index_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_index, errback=self.index_failed,
                              meta={"depth_index": depth, **SITEMAP_SIZE_META})

    def parse_index(self, response: Response) -> Iterator[scrapy.Request]:
        assert self.walk is not None
        depth = response.meta["depth_index"]
        reader = _reader(response)
        for entry in reader:
            if reader.kind != "sitemapindex":
                break
            nested = self.walk.child(entry.loc, response.url, depth)
            if nested is not None:
                yield self._index_request(nested, depth + 1)
        if reader.kind == "sitemapindex" and reader.fault is None:
            self.walk.read += 1
        yield from self._index_done()

    def index_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        assert self.walk is not None
        self.walk.unread = f"{failure.request.url} failed"
        yield from self._index_done()

    def _index_done(self) -> Iterator[scrapy.Request]:
        assert self.walk is not None
        if not self.walk.finished():
            return
        sources = {(c.lang, c.kind): c for kind, pattern in (
            (NEWS, self.roots.news_sitemap), (ARTICLE, self.roots.article_sitemap))
            for c in self.walk.channels(kind, self.languages, pattern)}
        for lang in self.languages:
            news, article = sources[(lang, NEWS)], sources[(lang, ARTICLE)]
            self.results[lang].news = {"url": news.url, "source": news.source}
            self.results[lang].article_sitemap = {"url": article.url, "source": article.source}
            self.results[lang].feed = {"url": self.roots.feed(lang)}
            yield self._request(news.url, lang, self.parse_news, SITEMAP_SIZE_META)
            yield self._request(self.roots.feed(lang), lang, self.parse_feed)
            yield self._request(article.url, lang, self.parse_article_sitemap, SITEMAP_SIZE_META)

    # --- the edition's channels ------------------------------------------------------------
    def _request(self, url: str, lang: str, callback: Any,
                 meta: dict[str, Any] | None = None) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.channel_failed,
                              meta={_LANG: lang, **(meta or {})})

    def parse_news(self, response: Response) -> Iterator[scrapy.Request]:
        lang = response.meta[_LANG]
        result = self.results[lang]
        reader = _reader(response)
        entries = articles = 0
        newest: datetime | None = None
        for entry in reader:
            entries += 1
            link = wanted_article(entry.loc, response.url, self._hosts(), [lang])
            if isinstance(link, str):
                continue
            articles += 1
            if entry.published is not None:  # news:publication_date
                newest = max(newest or entry.published, entry.published)
            if entry.date is not None:
                result.candidates.append((entry.date, link.url))
        result.news.update(status=response.status, entries=entries, articles=articles,
                           newest_age_hours=_age(newest), ok=articles > 0 and not reader.fault)
        if reader.fault:
            result.news["error"] = str(reader.fault)
        yield from self._sample(lang)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        lang = response.meta[_LANG]
        result = self.results[lang]
        try:
            entries = read_feed(response.body)
        except SitemapFault as fault:
            entries = []
            result.feed["error"] = str(fault)
        articles = 0
        for entry in entries:
            link = wanted_article(entry.link, response.url, self._hosts(), [lang])
            if isinstance(link, str):
                continue
            articles += 1
            if entry.published is not None:
                result.candidates.append((entry.published, link.url))
        result.feed.update(status=response.status, items=len(entries), ok=articles > 0)
        yield from self._sample(lang)

    def parse_article_sitemap(self, response: Response) -> None:
        result = self.results[response.meta[_LANG]]
        reader = _reader(response)
        count = 0
        newest: datetime | None = None
        for entry in reader:
            count += 1
            if entry.lastmod is not None:
                newest = max(newest or entry.lastmod, entry.lastmod)
        kind = "children" if reader.kind == "sitemapindex" else "entries"
        result.article_sitemap.update({"status": response.status, kind: count,
                                       "newest_lastmod": newest.isoformat() if newest else None,
                                       "ok": count > 0 and not reader.fault})
        if reader.fault:
            result.article_sitemap["error"] = str(reader.fault)

    def channel_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request
        lang = request.meta[_LANG]
        result = self.results[lang]
        if failure.check(HttpError):
            status: int | str = failure.value.response.status
        elif refused_by_robots(failure):
            status = "refused by robots.txt"
        else:
            status = failure.getErrorMessage()
        part = {self.parse_news: result.news, self.parse_feed: result.feed,
                self.parse_article_sitemap: result.article_sitemap}.get(request.callback)
        if part is not None:
            part.update(status=status, ok=False)
            if request.callback != self.parse_article_sitemap:
                yield from self._sample(lang)
        else:
            result.article.update(url=request.url, error=f"the sample article failed: {status}")

    # --- the sample article ----------------------------------------------------------------
    def _sample(self, lang: str) -> Iterator[scrapy.Request]:
        """Once news sitemap and feed are read, request the newest article either lists."""
        result = self.results[lang]
        result.waiting -= 1
        if result.waiting:
            return
        if not result.candidates:
            result.article["error"] = "no article found in the news sitemap or the feed"
            return
        _, url = max(result.candidates)
        result.article["url"] = url
        yield self._request(url, lang, self.parse_article)

    def parse_article(self, response: Response) -> None:
        result = self.results[response.meta[_LANG]].article
        if not isinstance(response, TextResponse):
            result["error"] = "the sample article is not HTML"
            return
        try:
            result["design"] = detect_page(response).design
        except UnknownPageDesign as exc:
            result["design"] = f"unknown ({exc})"
        extraction = extract_article(response)
        if extraction.item is None:
            reason = extraction.rejected[0] if extraction.rejected else "no item"
            result["error"] = f"the sample article yields no item: {reason}"
            return
        item = extraction.item
        body = item.get("body") or ""
        result.update(
            title=bool(item.get("title")), authors=len(item.get("authors") or []),
            editors=len(item.get("editors") or []), published=item.get("published"),
            body_chars=len(body), media_only=not body,
            noise=[word for word in NOISE if word in body],
        )

    def _hosts(self) -> list[str]:
        return [urlsplit(self.roots.site_url).hostname or ""]


def _reader(response: Response) -> SitemapReader:
    declared = response.url.endswith(".gz") or b"gzip" in response.headers.get(
        "Content-Type", b"").lower()
    try:
        return SitemapReader(sitemap_body(response.body, declared))
    except SitemapFault as fault:
        return SitemapReader.unreadable(fault)


def _age(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    return round((datetime.now(UTC) - moment).total_seconds() / 3600, 1)


def check_settings(settings: Settings) -> Settings:
    """The run's settings, minus everything that writes: no pipelines, no run report."""
    settings = settings.copy()
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    for name in ("newsbot.crawling.run_report.RunReport", "newsbot.crawling.progress.Progress"):
        extensions[name] = None
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("RETRY_ENABLED", False, priority="cmdline")  # at most 4 requests an edition
    settings.set("SPIDER_MIDDLEWARES", {
        **settings.getdict("SPIDER_MIDDLEWARES"),
        "newsbot.crawling.known_articles.KnownArticleFilter": None,  # reads the archive index
    }, priority="cmdline")
    if (settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]:
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # the table is the output
    return settings


def run_check(settings: Settings, lang_arg: str | None) -> dict[str, EditionCheck]:
    """Run the check crawl for the editions of `-a lang=` (default NEWSBOT_LANGUAGES)."""
    known = settings.getlist("NEWSBOT_KNOWN_LANGUAGES")
    languages = check_languages(split_list(lang_arg) or settings.getlist("NEWSBOT_LANGUAGES"),
                                known)
    roots = Channels.from_settings(settings.get("NEWSBOT_SITE_URL"),
                                   settings.get("NEWSBOT_FEEDS_URL"),
                                   settings.getdict("NEWSBOT_FEED_CODES"))
    process = CrawlerProcess(check_settings(settings))
    crawler = process.create_crawler(CheckSpider)
    process.crawl(crawler, languages=languages, roots=roots, known=known)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, CheckSpider)
    return spider.results


def _cell(part: dict[str, Any], *keys: str) -> str:
    status = part.get("status", "-")
    details = " ".join(f"{key}={part[key]}" for key in keys if part.get(key) is not None)
    return f"{status} {details}".strip()


def check_table(results: dict[str, EditionCheck]) -> str:
    """One row per edition, then the verdict line."""
    rows = [("edition", "robots", "news sitemap", "feed", "article sitemap", "newest article",
             "ok")]
    for lang, result in results.items():
        article = result.article
        sample = article.get("error") or (
            f"{article.get('design')} title={'yes' if article.get('title') else 'no'} "
            f"authors={article.get('authors')} editors={article.get('editors')} "
            f"published={'yes' if article.get('published') else 'no'} "
            f"body={article.get('body_chars')}"
            + (" media-only" if article.get("media_only") else "")
            + (f" noise={','.join(article['noise'])}" if article.get("noise") else "")
        )
        news = _cell(result.news, "entries", "newest_age_hours")
        news += f" ({result.news.get('source', '?')} {result.news.get('url', '')})"
        rows.append((
            lang, result.robots, news, _cell(result.feed, "items"),
            _cell(result.article_sitemap, "children", "entries", "newest_lastmod"),
            sample, "ok" if result.ok else "FAIL",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    return "\n".join([*lines, verdict_line(results)]) + "\n"


def verdict_line(results: dict[str, EditionCheck]) -> str:
    failed = {lang: r.problems() for lang, r in results.items() if not r.ok}
    if not failed:
        return f"check: ok, {len(results)} edition(s) with a working channel and article"
    reasons = "; ".join(f"{lang}: {', '.join(problems)}" for lang, problems in failed.items())
    return f"check: FAILED for {', '.join(failed)} ({reasons})"


def check_json(results: dict[str, EditionCheck]) -> str:
    payload = {"ok": all(r.ok for r in results.values()),
               "editions": {lang: r.as_json() for lang, r in results.items()}}
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)

