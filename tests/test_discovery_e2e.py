"""Discovery from DW's channels, end to end: real `scrapy crawl dw` / `newsbot run` processes
against fixture news sitemaps, feeds and article sitemaps on loopback."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import CrawlRunner, archive_lines, read_jsonl, run_newsbot, run_scrapy_crawl
from tests.fakedw.channels import (
    DW_ROBOTS_2026,
    Entry,
    news_sitemap,
    rss_feed,
    serve_xml,
    sitemap_index,
    url_set,
)
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite, Reply


def article(site: FakeDwSite, content_id: int, lang: str = "en") -> FakeArticle:
    return site.add_article(
        FakeArticle(
            content_id=content_id,
            slug=f"story-{content_id}",
            title=f"Story {content_id}",
            summary="A teaser.",
            paragraphs=["First paragraph.", "Second paragraph.", "Third paragraph."],
            lang=lang,
        )
    )


def requested_ids(site: FakeDwSite, since: int = 0) -> list[int]:
    paths = site.article_requests()[since:]
    return sorted(int(re.search(r"/a-(\d+)", p)[1]) for p in paths)  # type: ignore[index]


def stored_ids(data_dir: Path) -> list[int]:
    return sorted(r["content_id"] for r in archive_lines(data_dir))


def roots(site: FakeDwSite, data_dir: Path) -> dict[str, str]:
    return {
        "NEWSBOT_SITE_URL": site.base_url,
        "NEWSBOT_FEEDS_URL": site.url("/feeds"),  # a path prefix, as the issue asks
        "NEWSBOT_DATA_DIR": str(data_dir),
    }


def reports(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((data_dir / "runs").glob("*.json"))]


def test_news_sitemap_and_feed_fallback_then_nothing_new(tmp_path: Path) -> None:
    """en from its news sitemap; de's news sitemap fails (500) so de comes from its feed."""
    now = datetime.now(UTC).replace(microsecond=0)
    with FakeDwSite(robots_txt=DW_ROBOTS_2026) as site:
        english = [article(site, 70500001 + i) for i in range(3)]
        german = [article(site, 70600001 + i, "de") for i in range(2)]
        article(site, 70600009, "fr")  # on the site, but not an edition of this run
        serve_xml(site, "/en/news-sitemap.xml", news_sitemap(
            [Entry(site.url(a.path), published=now, title=a.title, keywords=["Germany"])
             for a in english]
            + [
                Entry(site.url("/en/news-video/av-70500100"), published=now),  # a video
                Entry(site.url("/fr/story/a-70600009"), published=now),  # another edition
                Entry("https://www.example.com/en/elsewhere/a-70500200", published=now),
                Entry(site.url(english[0].path) + "?maca=en-news", published=now),  # twice
            ]
        ))
        site.add_route("/de/news-sitemap.xml", Reply(status=500, body=b"oops"))
        serve_xml(site, "/feeds/xml/rss-de-all", rss_feed(
            [(site.url(a.path) + "?maca=de-rss-de-all-1119-xml-mrss", a.title, now)
             for a in german]
            + [(site.url(german[0].path) + "?maca=de-rss-de-all-1119-rdf", german[0].title, now)],
            code="de",
        ))
        data_dir = tmp_path / "data"
        out = tmp_path / "out.jsonl"

        first = run_scrapy_crawl("-a", "lang=en,de", "-O", str(out),
                                 settings=roots(site, data_dir))
        assert first.returncode == 0, first.stderr[-3000:]
        expected = sorted(a.content_id for a in english + german)
        assert stored_ids(data_dir) == expected
        assert sorted(r["content_id"] for r in read_jsonl(out)) == expected
        assert requested_ids(site) == expected  # each once, nothing outside the channels
        paths = site.requested_paths()
        assert paths.count("/de/news-sitemap.xml") == 2  # RETRY_TIMES=1: tried twice
        assert "/feeds/xml/rss-de-all" in paths and "/feeds/xml/rss-en-all" not in paths
        assert "reading the de feed" in first.stderr
        (report,) = reports(data_dir)
        assert report["status"] == "ok"
        assert report["discovery"]["feed_fallbacks"] == 1
        assert report["discovery"]["skipped/not_article"] == 1
        assert report["discovery"]["skipped/other_edition"] == 1
        assert report["discovery"]["skipped/other_host"] == 1
        assert report["discovery"]["skipped/duplicate"] == 2  # en sitemap and de feed
        assert any("news sitemap(s) failed" in w for w in report["warnings"])

        before = len(site.article_requests())
        second = run_scrapy_crawl("-a", "lang=en,de", settings=roots(site, data_dir))
        assert second.returncode == 0, second.stderr[-3000:]
        assert site.article_requests()[before:] == []
        assert len(archive_lines(data_dir)) == 5


def test_backfill_of_one_month_requests_only_that_months_articles(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    june = [article(site, 70700001 + i) for i in range(4)]
    may, july, undated = article(site, 70700101), article(site, 70700102), article(site, 70700103)
    day = datetime(2026, 6, 1, 8, tzinfo=UTC)
    # June's child: gzipped, dated by lastmod; an entry of 1 July (UTC) and one without a date.
    june_body = url_set(
        [Entry(site.url(a.path), lastmod=day + timedelta(days=9 * i)) for i, a in
         enumerate(june[:2])]
        + [Entry(site.url(june[2].path), lastmod=datetime(2026, 6, 30, 23, 59, tzinfo=UTC))]
        + [Entry(site.url(july.path), lastmod=datetime(2026, 7, 1, 0, 30, tzinfo=UTC))]
        + [Entry(site.url(undated.path))]
        + [Entry(site.url("/en/a-gallery/g-70700900"), lastmod=day)]
    )
    children = {
        "/en/sitemaps/2026-05.xml": url_set(
            [Entry(site.url(may.path), lastmod=datetime(2026, 5, 20, tzinfo=UTC))]
        ),
        "/en/sitemaps/2026-06.xml.gz": june_body,
        # July's child, with a June article by its news:publication_date (which wins)
        "/en/sitemaps/2026-07.xml": news_sitemap([
            Entry(site.url(june[3].path), published=datetime(2026, 6, 15, tzinfo=UTC),
                  title=june[3].title),
            Entry(site.url(july.path), published=datetime(2026, 7, 2, tzinfo=UTC)),
        ] + [  # older articles (not on the site): the sitemap outgrows DOWNLOAD_MAXSIZE below
            Entry(site.url(f"/en/older-story-{n}/a-6000{n:04d}"), published=datetime(
                2025, 7, 1, tzinfo=UTC)) for n in range(300)
        ]),
    }
    serve_xml(site, "/en/sitemaps/2026-05.xml", children["/en/sitemaps/2026-05.xml"])
    serve_xml(site, "/en/sitemaps/2026-06.xml.gz", june_body, gzipped=True)
    serve_xml(site, "/en/sitemaps/2026-07.xml", children["/en/sitemaps/2026-07.xml"])
    site.add_route("/en/sitemaps/2026-04.xml.gz", Reply(body=b"this is no gzip", headers={
        "Content-Type": "application/x-gzip"}))
    serve_xml(site, "/en/article-sitemap.xml", sitemap_index([
        (site.url("/en/sitemaps/2026-04.xml.gz"), None),
        (site.url("/en/sitemaps/2026-05.xml"), datetime(2026, 5, 31, tzinfo=UTC)),
        (site.url("/en/sitemaps/2026-06.xml.gz"), datetime(2026, 6, 30, tzinfo=UTC)),
        (site.url("/en/sitemaps/2026-07.xml"), None),
        ("https://www.example.com/en/sitemaps/2026-06.xml", None),  # off-site
        (site.url("/en/article-sitemap.xml"), None),  # itself
    ]))
    data_dir = tmp_path / "data"
    window = ("-a", "lang=en", "-a", "since=2026-06-01", "-a", "until=2026-06-30")

    assert len(children["/en/sitemaps/2026-07.xml"]) > 40_000
    # Sitemaps may be 50 MB whatever DOWNLOAD_MAXSIZE allows articles (~5 KB each here).
    small = {**roots(site, data_dir), "DOWNLOAD_MAXSIZE": "40000"}
    first = crawl(*window, settings=small)

    assert first.returncode == 0, first.stderr[-3000:]
    expected = sorted(a.content_id for a in june)
    assert requested_ids(site) == expected
    assert stored_ids(data_dir) == expected
    paths = site.requested_paths()
    assert "/en/sitemaps/2026-05.xml" not in paths  # its lastmod is before the window
    assert "https://www.example.com" not in " ".join(paths)
    assert paths.count("/en/article-sitemap.xml") == 1
    (report,) = reports(data_dir)
    discovery = report["discovery"]
    assert discovery["skipped/undated"] == 1
    assert discovery["skipped/out_of_window"] == 302
    assert discovery["skipped/not_article"] == 1
    assert discovery["skipped/sitemap_off_site"] == 1
    assert discovery["skipped/sitemap_repeated"] == 1
    assert discovery["skipped/sitemap_before_window"] == 1
    assert discovery["faults/not_gzip"] == 1
    assert "is unreadable: declared gzip" in first.stderr

    before = len(site.article_requests())
    again = crawl(*window, settings=roots(site, data_dir))  # resumed or repeated: nothing new
    assert again.returncode == 0, again.stderr[-3000:]
    assert site.article_requests()[before:] == []


def test_a_gap_longer_than_the_news_window_warns_with_the_backfill_command(
    site: FakeDwSite, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    one = article(site, 70800001)
    serve_xml(site, "/en/news-sitemap.xml", news_sitemap([Entry(site.url(one.path),
                                                                published=now)]))
    data_dir = tmp_path / "data"
    (data_dir / "runs").mkdir(parents=True)
    last = now - timedelta(days=5)
    (data_dir / "runs" / "0000-earlier-run.json").write_text(json.dumps({
        "started_at": (last - timedelta(minutes=3)).isoformat(),
        "finished_at": last.isoformat(), "status": "ok",
    }))

    result = run_newsbot("run", "-a", "lang=en", settings=roots(site, data_dir))

    assert result.returncode == 0, result.stderr[-3000:]
    command = (f"newsbot run -a lang=en -a since={last.date().isoformat()} "
               f"-a until={now.date().isoformat()}")
    warning = [line for line in result.stderr.splitlines() if " WARNING: Coverage gap" in line]
    assert len(warning) == 1 and command in warning[0], warning
    latest = reports(data_dir)[-1]
    assert any(command in w for w in latest["warnings"]), latest["warnings"]
    # the next run follows a fresh success: no warning
    again = run_newsbot("run", "-a", "lang=en", settings=roots(site, data_dir))
    assert again.returncode == 0 and "Coverage gap" not in again.stderr


def test_robots_txt_refusing_the_user_agent_stops_the_run(tmp_path: Path) -> None:
    with FakeDwSite(robots_txt=DW_ROBOTS_2026) as site:
        serve_xml(site, "/en/news-sitemap.xml", news_sitemap(
            [Entry(site.url(article(site, 70900001).path), published=datetime.now(UTC))]
        ))
        agent = "Scrapy/2.19 (+https://scrapy.org)"
        settings = {**roots(site, tmp_path / "data"), "USER_AGENT": agent}

        result = run_newsbot("run", "-a", "lang=en,de", settings=settings)

        assert result.returncode == 8, result.stderr[-3000:]
        # robots.txt only: the middleware's copy, and the spider's own read of its Sitemap: lines
        assert set(site.requested_paths()) == {"/robots.txt"}
        errors = [line for line in result.stderr.splitlines() if "ERROR: robots.txt of" in line]
        assert len(errors) == 1, result.stderr[-3000:]
        assert f"robots.txt of {site.base_url} refuses User-Agent {agent!r}" in errors[0]
        assert "run failed with exit code 8 (robots_refused)" in result.stderr
        (report,) = reports(tmp_path / "data")
        assert report["status"] == "robots_refused" and report["exit_code"] == 8


def test_bad_channels_are_logged_counted_and_survived(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    """Not XML, truncated, no sitemap: each a reason and a count; the feeds fill in."""
    now = datetime.now(UTC)
    en, de = article(site, 71000001), article(site, 71000002, "de")
    site.add_route("/en/news-sitemap.xml", Reply(body=b"<html><body>Maintenance</body></html>"))
    whole = news_sitemap([Entry(site.url(de.path), published=now),
                          Entry(site.url("/de/x/a-71000099"), published=now)], lang="de")
    serve_xml(site, "/de/news-sitemap.xml", whole[: whole.index(b"/a-71000099")])  # cut short
    site.add_route("/fr/news-sitemap.xml", Reply(body=b"\x00\x01 not xml at all"))
    for lang, one in (("en", en), ("de", de)):
        serve_xml(site, f"/feeds/xml/rss-{lang}-all", rss_feed([(site.url(one.path), "t", now)]))
    site.add_route("/feeds/xml/rss-fr-all", Reply(body=b"<rss><channel></channel></rss>"))
    data_dir = tmp_path / "data"

    result = crawl("-a", "lang=en,de,fr", settings=roots(site, data_dir))

    assert stored_ids(data_dir) == [en.content_id, de.content_id]
    (report,) = reports(data_dir)
    assert report["discovery"]["faults/not_sitemap"] == 1
    assert report["discovery"]["faults/truncated"] == 1
    assert report["discovery"]["faults/not_xml"] == 1
    assert report["discovery"]["feed_fallbacks"] == 3
    # fr: neither channel had an article: the run fails naming both
    assert report["status"] == "no_article_links" and result.returncode == 0
    assert site.url("/fr/news-sitemap.xml") in report["listing"]["empty_urls"]
    assert site.url("/feeds/xml/rss-fr-all") in report["listing"]["empty_urls"]
    cut = site.url("/de/news-sitemap.xml")
    assert f"News sitemap {cut} is unreadable: breaks off after 1 entries" in result.stderr


def test_editions_with_regions_scripts_and_their_own_feed_codes(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    """`-a lang=` alone is enough for every edition, whatever its path or feed code."""
    now = datetime.now(UTC)
    articles = {lang: article(site, 71300001 + i, lang)
                for i, lang in enumerate(("pt-002", "zh-hant", "uk", "bs"))}
    for lang in ("pt-002", "zh-hant"):
        serve_xml(site, f"/{lang}/news-sitemap.xml", news_sitemap(
            [Entry(site.url(articles[lang].path), published=now)], lang=lang))
    for lang, code in (("uk", "ukr"), ("bs", "bos")):  # no news sitemap (404): the feed
        serve_xml(site, f"/feeds/xml/rss-{code}-all",
                  rss_feed([(site.url(articles[lang].path), "t", now)], code=code))
    data_dir = tmp_path / "data"

    result = crawl("-a", "lang=pt-002,zh-hant,uk,bs", settings=roots(site, data_dir))

    assert result.returncode == 0, result.stderr[-3000:]
    assert stored_ids(data_dir) == sorted(a.content_id for a in articles.values())
    (report,) = reports(data_dir)
    assert report["status"] == "ok" and report["discovery"]["feed_fallbacks"] == 2
