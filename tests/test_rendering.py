"""Rendering listing pages in Debian's Chromium (newsbot.crawling.rendering), against the fake DW site.

The crawls are real `scrapy crawl dw` processes driving the real browser; the topic pages insert
their teasers by JavaScript (tests/fakedw/jspages.py), so only a browser finds them all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot import settings as project_settings
from newsbot.crawling.arguments import SpiderArgumentError
from newsbot.crawling.rendering import PLAYWRIGHT_HANDLER, Renderer, RenderingUnavailable
from spiders.dw import DwSpider
from tests.conftest import CrawlRunner, archive_lines
from tests.fakedw.jspages import add_js_listing
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply, in_turn

needs_chromium = pytest.mark.skipif(
    shutil.which(project_settings.NEWSBOT_CHROMIUM_PATH) is None,
    reason="Debian's chromium is not installed (scripts/test.sh installs it)",
)

# Bounded waits: a rendered page settles in well under a second on loopback.
BROWSER_SETTINGS = {"NEWSBOT_RENDER_WAIT_TIMEOUT": "3", "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": "10000"}


def add_articles(site: FakeDwSite, first_id: int, count: int, lang: str = "en") -> list[str]:
    """`count` articles served as normal pages; returns their paths."""
    paths = []
    for i in range(count):
        article = site.add_article(
            FakeArticle(
                content_id=first_id + i,
                slug=f"story-{first_id + i}",
                title=f"Story {first_id + i}",
                summary="A teaser.",
                paragraphs=["First paragraph.", "Second paragraph."],
                lang=lang,
            )
        )
        paths.append(article.path)
    return paths


def stored_ids(data_dir: Path) -> list[int]:
    return sorted(record["content_id"] for record in archive_lines(data_dir))


def ids_of(paths: list[str]) -> list[int]:
    return sorted(int(path.rsplit("/a-", 1)[1]) for path in paths)


def project_values(**overrides: object) -> dict[str, object]:
    """The project's settings as a plain dict, with `overrides`."""
    names = [name for name in dir(project_settings) if name.isupper()]
    return {**{name: getattr(project_settings, name) for name in names}, **overrides}


def project_crawler_settings(**overrides: object) -> Settings:
    return Settings(project_values(**overrides))


@needs_chromium
def test_rendering_clicks_show_more_and_stores_every_article(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    paths = add_articles(site, 70100001, 8)
    listing = add_js_listing(
        site, "/en/some-topic/t-1", server_hrefs=paths[:2],
        feed_pages=[paths[2:4], paths[4:6], paths[6:8]],  # on load, 1st click, 2nd click
    )
    start = f"start_urls={site.url(listing.path)}"

    plain = crawl("-a", start, settings={"NEWSBOT_DATA_DIR": str(tmp_path / "plain")})
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert stored_ids(tmp_path / "plain") == ids_of(paths[:2])  # the server-rendered teasers
    assert not any(p.startswith(listing.feed_path) for p in site.requested_paths())
    assert "scrapy-playwright" not in plain.stderr and "playwright/" not in plain.stderr
    before = len(site.requested_paths())

    rendered = crawl(
        "-a", start, "-a", "render=1",
        settings={"NEWSBOT_DATA_DIR": str(tmp_path / "rendered"), **BROWSER_SETTINGS},
    )
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    assert stored_ids(tmp_path / "rendered") == ids_of(listing.all_hrefs())
    requests = site.requested_paths()[before:]
    feed = [p for p in requests if p.startswith(listing.feed_path)]
    assert feed == [f"{listing.feed_path}?page={n}" for n in range(3)]  # load + two clicks
    assert requests.count(listing.path) == 1
    assert sorted(site.article_requests()[2:]) == sorted(paths)  # each article once
    assert "'newsbot/render/clicks': 2" in rendered.stderr
    # Only the listing was rendered: the articles came over plain HTTP.
    assert "'playwright/request_count/navigation': 1," in rendered.stderr
    assert "'playwright/page_count/closed': 1," in rendered.stderr


@needs_chromium
def test_url_rules_click_limit_scrolling_and_fallback_to_http(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    german = add_articles(site, 70200001, 4, lang="de")
    clicked = add_js_listing(
        site, "/de/mehr-themen/t-2", server_hrefs=german[:1],
        feed_pages=[german[1:2], german[2:3], german[3:4]], button_label="Mehr  anzeigen",
    )
    scrolled_paths = add_articles(site, 70300001, 3)
    scrolled = add_js_listing(
        site, "/en/endless/t-3", server_hrefs=scrolled_paths[:1],
        feed_pages=[scrolled_paths[1:2], scrolled_paths[2:3]], trigger="scroll",
    )
    slow_paths = add_articles(site, 70400001, 2)
    slow = add_js_listing(site, "/en/slow/t-4", server_hrefs=slow_paths[:1], feed_pages=[slow_paths[1:]])
    slow_page = site.routes[slow.path]
    assert isinstance(slow_page, Reply)
    # The browser's request outlasts the navigation timeout; the plain-HTTP retry is answered.
    site.add_route(slow.path, in_turn(Reply(body=slow_page.body, delay=4), slow_page))
    plain_paths = add_articles(site, 70500001, 2)
    plain = add_js_listing(site, "/en/plain/t-5", server_hrefs=plain_paths[:1], feed_pages=[plain_paths[1:]])
    # An article a rule renders, whose first (browser) request is too slow as well.
    slow_article = render_article(site.articles[70500001], site.base_url).encode("utf-8")
    site.add_route(plain_paths[0], in_turn(Reply(body=slow_article, delay=4), Reply(body=slow_article)))

    starts = ",".join(site.url(x.path) for x in (clicked, scrolled, slow, plain))
    result = crawl(
        "-a", f"start_urls={starts}",
        settings={
            "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
            **BROWSER_SETTINGS,
            "NEWSBOT_RENDER_URLS": r"/mehr-themen/,/endless/t-\d+$,/slow/,/a-70500001$",
            "NEWSBOT_RENDER_MAX_CLICKS": "1",
            "NEWSBOT_RENDER_SCROLL": "1",
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": "1500",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    requests = site.requested_paths()
    # German button text matched; one click allowed, so the last feed page was never asked for.
    assert [p for p in requests if p.startswith(clicked.feed_path)] == [
        f"{clicked.feed_path}?page=0", f"{clicked.feed_path}?page=1",
    ]
    # The infinite-scroll page loaded its second page on the one scroll.
    assert [p for p in requests if p.startswith(scrolled.feed_path)] == [
        f"{scrolled.feed_path}?page=0", f"{scrolled.feed_path}?page=1",
    ]
    # The slow page failed in the browser and was fetched again on plain HTTP.
    assert requests.count(slow.path) == 2
    assert f"Rendering {site.url(slow.path)} failed" in result.stderr
    assert "fetching it on plain HTTP instead" in result.stderr
    assert requests.count(plain_paths[0]) == 2  # the article too, and it is stored
    assert "'newsbot/render/fallback': 2," in result.stderr
    assert "Traceback" not in result.stderr  # one line per failed page, not a stack dump
    # A page no rule names is not rendered: its script never ran.
    assert not any(p.startswith(plain.feed_path) for p in requests)
    expected = german[:3] + scrolled_paths + slow_paths[:1] + plain_paths[:1]
    assert stored_ids(tmp_path / "data") == ids_of(expected)


def test_missing_chromium_stops_the_run_before_any_request(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    paths = add_articles(site, 70600001, 1)
    listing = add_js_listing(site, "/en/some-topic/t-6", server_hrefs=paths, feed_pages=[])
    missing = str(tmp_path / "no-such-dir" / "chromium")
    result = crawl(
        "-a", f"start_urls={site.url(listing.path)}", "-a", "render=1",
        settings={"NEWSBOT_DATA_DIR": str(tmp_path / "data"), "NEWSBOT_CHROMIUM_PATH": missing},
        timeout=60,
    )
    assert result.returncode == 1, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    errors = [line for line in lines if "ERROR: Chromium not found" in line]
    assert len(errors) == 1, result.stderr[-3000:]
    assert errors[0] == lines[-1]  # refused before the crawl starts: the error is the last line
    assert not (tmp_path / "data").exists()  # and nothing was created
    assert missing in errors[0] and "apt-get install chromium" in errors[0]
    assert "-a render=1" in errors[0]
    assert "Traceback" not in result.stderr
    assert site.requested_paths() == []


def test_chromium_that_does_not_start_falls_back_to_http_for_the_run(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    paths = add_articles(site, 70700001, 3)
    first = add_js_listing(site, "/en/first/t-7", server_hrefs=paths[:1], feed_pages=[paths[1:2]])
    second = add_js_listing(site, "/en/second/t-8", server_hrefs=paths[2:], feed_pages=[])
    not_a_browser = shutil.which("false")
    assert not_a_browser is not None
    starts = f"{site.url(first.path)},{site.url(second.path)}"
    result = crawl(
        "-a", f"start_urls={starts}", "-a", "render=1",
        settings={
            "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
            "NEWSBOT_CHROMIUM_PATH": not_a_browser,
        },
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    did_not_start = [line for line in result.stderr.splitlines() if "did not start" in line]
    assert len(did_not_start) == 1, result.stderr[-3000:]
    assert not_a_browser in did_not_start[0] and "apt-get install chromium" in did_not_start[0]
    assert "'newsbot/render/browser_failed': 1," in result.stderr
    assert stored_ids(tmp_path / "data") == ids_of([paths[0], paths[2]])  # server-rendered links
    # the run is ok (the articles came over plain HTTP) but its report says what went wrong
    [report_path] = (tmp_path / "data" / "runs").glob("*.json")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["status"] == "ok"
    assert report["rendering"]["browser_failed"] == 1
    assert any("Chromium failed to launch" in warning for warning in report["warnings"])
    assert not any(p.startswith(first.feed_path) for p in site.requested_paths())


@needs_chromium
def test_rendering_rules_from_settings_and_arguments() -> None:
    crawler = get_crawler()
    topic, article = "https://www.dw.com/en/germany/s-1432", "https://www.dw.com/en/x/a-1"

    def renderer(render_arg: str | None, **overrides: object) -> Renderer:
        settings = project_crawler_settings(**overrides)
        made = Renderer.from_settings(settings, render_arg, crawler)
        if made.enabled:
            made.enable(settings, [topic])
        return made

    off = renderer(None)
    assert not off.enabled
    assert off.meta(topic, listing=True) == {}

    by_rule = renderer("0", NEWSBOT_RENDER_URLS=[r"/live-\d+"])
    assert by_rule.enabled and not by_rule.listings
    assert by_rule.meta(topic, listing=True) == {}
    assert by_rule.meta("https://www.dw.com/en/x/live-123", listing=False) == {"playwright": True}
    assert by_rule.meta("http://www.dw.com/en/x/live-123", listing=False) == {}  # no http handler

    listings = renderer("yes")
    meta = listings.meta(topic, listing=True)
    assert meta["playwright"] is True and len(meta["playwright_page_methods"]) == 1
    assert listings.meta(article, listing=False) == {}  # articles stay on plain HTTP

    for bad in ({"NEWSBOT_RENDER_URLS": ["(unclosed"]}, {"NEWSBOT_RENDER_MAX_CLICKS": "-1"},
                {"NEWSBOT_RENDER_WAIT_TIMEOUT": "0"}):
        with pytest.raises(SpiderArgumentError, match=next(iter(bad))):
            renderer("1", **bad)
    with pytest.raises(SpiderArgumentError, match="render: expected 1/0"):
        renderer("maybe")


@needs_chromium
def test_spider_installs_the_browser_handler_only_for_a_run_that_renders() -> None:
    def spider_settings(**kwargs: str) -> Settings:
        # As `scrapy crawl` does: the spider is made before the settings are frozen.
        crawler = Crawler(DwSpider, project_crawler_settings())
        DwSpider.from_crawler(crawler, **kwargs)
        return crawler.settings

    plain = spider_settings()
    assert PLAYWRIGHT_HANDLER not in plain.getdict("DOWNLOAD_HANDLERS").values()
    rendering = spider_settings(render="1")
    handlers = rendering.getdict("DOWNLOAD_HANDLERS")
    assert handlers["https"] == PLAYWRIGHT_HANDLER  # DW's scheme; one Playwright driver
    assert "http" not in handlers
    assert handlers["file"] is None  # the project's closed schemes stay closed
    options = rendering.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == shutil.which(project_settings.NEWSBOT_CHROMIUM_PATH)
    assert options["headless"] is True and "--no-sandbox" in options["args"]

    crawler = Crawler(
        DwSpider, project_crawler_settings(NEWSBOT_CHROMIUM_PATH="/nonexistent/chromium")
    )
    spider = DwSpider.from_crawler(crawler, render="1")
    assert isinstance(spider.argument_error, RenderingUnavailable)
    assert PLAYWRIGHT_HANDLER not in crawler.settings.getdict("DOWNLOAD_HANDLERS").values()
