"""Discovery as dw.com serves it, end to end: real crawls of the 2026 stand-in (tests/fakedw/dwsite)
with its feeds on a host of their own, its robots.txt `Sitemap:` line and its sitemap index."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import archive_lines, run_scrapy_crawl
from tests.fakedw.channels import Entry, news_sitemap, serve_xml, sitemap_index
from tests.fakedw.dwsite import EDITION_CODES, build_dw_site
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FEEDS_HOST, FakeDwSite, Reply

WWW = "127.0.0.1"


def report(data_dir: Path) -> dict:
    (path,) = sorted((data_dir / "runs").glob("*.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def stored_ids(data_dir: Path) -> set[int]:
    return {record["content_id"] for record in archive_lines(data_dir)}


def test_every_edition_is_crawled_from_the_index_the_failing_one_from_its_feed(
    tmp_path: Path,
) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site)
        data_dir = tmp_path / "data"

        result = run_scrapy_crawl("-a", f"lang={','.join(EDITION_CODES)}",
                                  settings=stand_in.settings(data_dir))

        assert result.returncode == 0, result.stderr[-3000:]
        expected = {cid for edition in stand_in.editions.values() for cid in edition.content_ids}
        assert stored_ids(data_dir) == expected
        www, rss = site.requested_paths(WWW), site.requested_paths(FEEDS_HOST)
        # pl's news sitemap fails: its feed, on the feed host, stands in (and no other feed)
        assert rss == ["/robots.txt", "/xml/rss-pol-all"]
        # hr's sitemaps sit where only the index says: no request to the pattern URLs
        assert "/hr/sitemaps/news.xml" in www
        assert not {"/hr/news-sitemap.xml", "/hr/article-sitemap.xml"} & set(www)
        assert not [path for path in www if "video" in path]
        assert "/sitemap-index-2.xml" in www  # the nested index
        summary = report(data_dir)
        assert summary["status"] == "ok"
        assert summary["discovery"]["feed_fallbacks"] == 1
        assert summary["discovery"]["sitemaps_from_index"] == 31
        assert "sitemaps_from_pattern" not in summary["discovery"]
        assert summary["discovery"]["index/ignored"] == 31  # the video sitemaps
        used = {(s["lang"], s["url"], s["source"]) for s in summary["sitemaps"]}
        assert ("hr", site.url("/hr/sitemaps/news.xml"), "index") in used
        assert len(used) == 31
        assert "'offsite/filtered'" not in result.stderr  # Scrapy's off-site filter dropped nothing
        assert "dropped as off-site" not in result.stderr


def test_the_spanish_fallback_reads_rss_spa_all_on_the_feed_host(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site, failing_news=("es",))
        data_dir = tmp_path / "data"

        result = run_scrapy_crawl("-a", "lang=es", settings=stand_in.settings(data_dir))

        assert result.returncode == 0, result.stderr[-3000:]
        assert site.requested_paths(FEEDS_HOST) == ["/robots.txt", "/xml/rss-spa-all"]
        assert stored_ids(data_dir) == set(stand_in.editions["es"].content_ids)
        assert f"reading the es feed {site.feed_url('/xml/rss-spa-all')} instead" in result.stderr


def test_a_backfill_reads_the_article_sitemaps_the_index_names(tmp_path: Path) -> None:
    """hr's article index and its monthly children (one gzipped) are where the index says."""
    with FakeDwSite() as site:
        stand_in = build_dw_site(site)
        data_dir = tmp_path / "data"
        since = (datetime.now(UTC) - timedelta(days=60)).date().isoformat()

        result = run_scrapy_crawl("-a", "lang=hr,de", "-a", f"since={since}",
                                  settings=stand_in.settings(data_dir))

        assert result.returncode == 0, result.stderr[-3000:]
        hr, de = stand_in.editions["hr"], stand_in.editions["de"]
        assert stored_ids(data_dir) == {*hr.content_ids, *de.content_ids}
        www = site.requested_paths(WWW)
        assert "/hr/sitemaps/articles/index.xml" in www
        assert [p for p in www if p.startswith("/hr/sitemaps/articles/") and p.endswith(".gz")]
        assert "/hr/article-sitemap.xml" not in www and "/hr/news.xml" not in www
        assert site.requested_paths(FEEDS_HOST) == []
        kinds = {(s["lang"], s["kind"], s["source"]) for s in report(data_dir)["sitemaps"]}
        assert kinds == {("hr", "article", "index"), ("de", "article", "index")}


def _bad_index_site(site: FakeDwSite) -> int:
    """robots.txt and indexes with every fault the issue lists; returns the en article's id."""
    now = datetime.now(UTC)
    en = site.add_article(_article(71400001, "en"))
    de = site.add_article(_article(71400002, "de"))
    site.add_route("/robots.txt", _robots(
        "User-agent: *\nDisallow: /graph-api/\n"
        "Sitemap: not a url\nSitemap: /relative.xml\n"
        f"Sitemap: {site.url('/sitemap.xml')}\nSitemap: https://www.example.com/sitemap.xml\n"
    ))
    serve_xml(site, "/sitemap.xml", sitemap_index([
        (site.url("/sitemap.xml"), None),  # itself
        ("https://www.example.com/other-index.xml", None),  # another host
        (site.url("/en/news-sitemap-a.xml"), None),
        (site.url("/en/news-sitemap-a.xml"), None),  # a child listed twice
        (site.url("/en/breaking-news.xml"), None),  # one edition under two names
        (site.url("/deep-index-0.xml"), None),  # ten levels of nesting
        (site.url("/sitemap-of-something.xml"), None),  # of no edition, no index: not read
    ]))
    for level in range(10):
        serve_xml(site, f"/deep-index-{level}.xml", sitemap_index([
            (site.url(f"/deep-index-{level + 1}.xml"), None),
            *([(site.url("/de/deep-0-news.xml"), None)] if level == 0 else []),
        ]))
    serve_xml(site, "/en/news-sitemap-a.xml", news_sitemap(
        [Entry(site.url(en.path), published=now)]))
    serve_xml(site, "/en/breaking-news.xml", news_sitemap([Entry(site.url(en.path),
                                                                 published=now)]))
    serve_xml(site, "/de/deep-0-news.xml", news_sitemap([Entry(site.url(de.path),
                                                               published=now)], lang="de"))
    return en.content_id


def _robots(text: str) -> Reply:
    return Reply(body=text.encode(), headers={"Content-Type": "text/plain"})


def _article(content_id: int, lang: str) -> FakeArticle:
    return FakeArticle(content_id=content_id, slug=f"story-{content_id}", title="A story",
                       summary="A teaser.", paragraphs=["One.", "Two.", "Three."], lang=lang)


def test_bad_robots_lines_and_indexes_are_logged_counted_and_survived(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        en_id = _bad_index_site(site)
        data_dir = tmp_path / "data"
        settings = {"NEWSBOT_SITE_URL": site.base_url, "NEWSBOT_FEEDS_URL": site.feeds_base_url,
                    "NEWSBOT_DATA_DIR": str(data_dir)}

        result = run_scrapy_crawl("-a", "lang=en,de", settings=settings)

        assert result.returncode == 0, result.stderr[-3000:]
        assert 71400002 in stored_ids(data_dir) and en_id in stored_ids(data_dir)
        paths = site.requested_paths(WWW)
        assert paths.count("/sitemap.xml") == 1 and paths.count("/en/news-sitemap-a.xml") == 1
        assert "/deep-index-5.xml" not in paths  # nested deeper than the limit: not read
        assert "www.example.com" not in " ".join(paths)
        assert "/sitemap-of-something.xml" not in paths
        discovery = report(data_dir)["discovery"]
        assert discovery["index/bad_sitemap_line"] == 2  # "not a url", "/relative.xml"
        assert discovery["index/off_site"] == 2  # robots.txt's and the index's
        assert discovery["index/self_reference"] == 1
        assert discovery["index/repeated"] == 1
        assert discovery["index/edition_twice"] == 1
        assert discovery["index/too_deep"] == 1
        assert discovery["index/unknown"] == 1
        # de's news sitemap, found in a nested index, is used; the deepest ones are not read
        used = {(s["lang"], s["url"]) for s in report(data_dir)["sitemaps"]}
        assert ("de", site.url("/de/deep-0-news.xml")) in used
        for line in ("'Sitemap: not a url' names no http(s) URL", "lists itself",
                     "not on the site", "twice: read once", "a second news sitemap for en",
                     "nested deeper than"):
            assert line in result.stderr, line


def test_robots_without_sitemap_lines_falls_back_to_the_patterns_once(
    site: FakeDwSite, tmp_path: Path
) -> None:
    one = site.add_article(_article(71400101, "en"))
    serve_xml(site, "/en/news-sitemap.xml", news_sitemap([Entry(site.url(one.path),
                                                                published=datetime.now(UTC))]))
    data_dir = tmp_path / "data"
    settings = {"NEWSBOT_SITE_URL": site.base_url, "NEWSBOT_FEEDS_URL": site.feeds_base_url,
                "NEWSBOT_DATA_DIR": str(data_dir)}

    result = run_scrapy_crawl("-a", "lang=en,de", settings=settings)

    assert stored_ids(data_dir) == {one.content_id}
    lines = [line for line in result.stderr.splitlines() if "No sitemap index" in line]
    assert len(lines) == 1 and "has no Sitemap: line" in lines[0] and "en, de" in lines[0]
    summary = report(data_dir)
    assert summary["discovery"]["index/no_sitemap_line"] == 1
    assert {(s["lang"], s["source"]) for s in summary["sitemaps"]} == {
        ("en", "pattern"), ("de", "pattern")
    }


def test_a_feed_host_whose_robots_refuses_us_is_a_reason_not_a_stop(tmp_path: Path) -> None:
    with FakeDwSite(feeds_robots_txt="User-agent: *\nDisallow: /\n") as site:
        stand_in = build_dw_site(site, failing_news=("pl",))
        data_dir = tmp_path / "data"

        result = run_scrapy_crawl("-a", "lang=pl,en", settings=stand_in.settings(data_dir))

        assert result.returncode == 0, result.stderr[-3000:]
        assert stored_ids(data_dir) == set(stand_in.editions["en"].content_ids)
        assert site.requested_paths(FEEDS_HOST) == ["/robots.txt"]
        summary = report(data_dir)
        assert summary["status"] == "ok"
        assert summary["discovery"]["robots_refused"] == 1
        why = [w for w in summary["warnings"] if "fallback for the news sitemap" in w]
        assert len(why) == 1 and f"robots.txt of {site.feeds_base_url} refuses" in why[0]
        assert re.search(r"Run warning: the pl feed .* could not be read: robots\.txt",
                         result.stderr)


def test_a_feed_answering_404_names_the_edition_and_the_override(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site, failing_news=("sw",))
        data_dir = tmp_path / "data"
        settings = {**stand_in.settings(data_dir), "NEWSBOT_FEED_CODES": '{"sw": "swa"}'}

        result = run_scrapy_crawl("-a", "lang=sw", settings=settings)

        assert site.requested_paths(FEEDS_HOST)[-1] == "/xml/rss-swa-all"
        summary = report(data_dir)
        assert summary["status"] == "no_listing"  # sw's only channels failed
        warnings = summary["warnings"]
        (line,) = [w for w in warnings if "answers 404" in w]
        assert "The sw feed" in line and "'swa'" in line and "NEWSBOT_FEED_CODES" in line
        assert "answers 404" in result.stderr
        assert "fallback for the news sitemap" in " ".join(warnings)  # why, in the summary
