"""Bad input to discovery: arguments, sitemaps and feeds that are not what they claim to be."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsbot.crawling.arguments import SpiderArgumentError, parse_window
from newsbot.crawling.discovery.feeds import read_feed
from newsbot.crawling.discovery.metadata import ENTRY_META_KEY, entry_meta
from newsbot.crawling.discovery.sitemaps import SitemapFault, SitemapReader, sitemap_body
from tests.conftest import CrawlRunner
from tests.fakedw.channels import Entry, news_sitemap, rss_feed, sitemap_index
from tests.fakedw.server import FakeDwSite

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2026-06-30", "2026-06-01", "since: 2026-06-30 is after until 2026-06-01"),
        ("2026-13-01", None, "since: '2026-13-01' is not a date (YYYY-MM-DD)"),
        ("2026-06-01", "June 30", "until: 'June 30' is not a date (YYYY-MM-DD)"),
        (None, "2026-06-30", "until: needs since"),
        ("2027-01-01", None, "since: 2027-01-01 is in the future"),
    ],
)
def test_bad_windows_are_refused_with_a_reason(
    since: str | None, until: str | None, message: str
) -> None:
    with pytest.raises(SpiderArgumentError) as caught:
        parse_window(since, until, TODAY)
    assert message in str(caught.value)


def test_until_defaults_to_today_and_both_ends_count() -> None:
    window = parse_window("2026-06-01", None, TODAY)
    assert window is not None and window.until == TODAY
    assert window.contains(datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    assert window.contains(datetime(2026, 12, 3, 23, 59, tzinfo=UTC))
    assert not window.contains(datetime(2026, 5, 31, 23, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-a", "since=2026-06-30", "-a", "until=2026-06-01"), "is after until 2026-06-01"),
        (("-a", "since=yesterday"), "since: 'yesterday' is not a date"),
        (("-a", "channels=news,twitter"), "channels: unknown channel(s) twitter"),
        (("-a", "since=2026-06-01", "-a", "channels=feed"), "it takes neither start_urls nor"),
        (("-a", "lang=xx"), "lang: unknown language edition(s) xx; known: am, ar, bg"),
    ],
)
def test_bad_arguments_stop_the_crawl_before_any_request(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = crawl(*args, settings={"NEWSBOT_DATA_DIR": str(tmp_path),
                                    "NEWSBOT_SITE_URL": site.base_url})
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if " ERROR: " in line and
               "Run summary" not in line]
    assert message in line
    assert site.requested_paths() == []


def test_sitemap_faults_keep_what_was_read() -> None:
    whole = news_sitemap([Entry("https://www.dw.com/en/a/a-1"), Entry("https://www.dw.com/en/b/a-2")])
    reader = SitemapReader(whole[: whole.rindex(b"<url>") + 8])
    assert [e.loc for e in reader] == ["https://www.dw.com/en/a/a-1"]
    assert reader.fault is not None and reader.fault.key == "truncated"
    for body, key in ((b"not xml", "not_xml"), (b"<rss><channel/></rss>", "not_sitemap")):
        reader = SitemapReader(body)
        assert list(reader) == [] and reader.fault is not None and reader.fault.key == key


def test_gzip_is_unpacked_and_fake_gzip_refused() -> None:
    xml = sitemap_index([("https://www.dw.com/en/s-1.xml", None)])
    assert sitemap_body(gzip.compress(xml), declared_gzip=True) == xml
    assert sitemap_body(gzip.compress(xml), declared_gzip=False) == xml  # sniffed
    assert sitemap_body(xml, declared_gzip=True) == xml  # already decompressed on the way
    with pytest.raises(SitemapFault) as caught:
        sitemap_body(b"PK\x03\x04 a zip", declared_gzip=True)
    assert caught.value.key == "not_gzip"
    with pytest.raises(SitemapFault) as caught:
        sitemap_body(gzip.compress(xml)[:30], declared_gzip=True)
    assert caught.value.key == "bad_gzip"


def test_news_fields_are_read_and_fill_only_what_the_page_lacks() -> None:
    published = datetime(2026, 7, 2, 8, 30, tzinfo=UTC)
    (entry,) = SitemapReader(news_sitemap([Entry(
        "https://www.dw.com/en/a/a-1", published=published, title="Sitemap title",
        keywords=["Germany", "Energy"],
    )]))
    assert (entry.published, entry.title, entry.keywords) == (
        published, "Sitemap title", ("Germany", "Energy"))
    assert entry_meta(entry.title, entry.published, entry.keywords) == {ENTRY_META_KEY: {
        "title": "Sitemap title", "published": published, "topics": ["Germany", "Energy"]}}


def test_feed_items_keep_their_links_and_dates() -> None:
    when = datetime(2026, 9, 22, 16, 41, tzinfo=UTC)
    entries = read_feed(rss_feed([("https://www.dw.com/tr/x/a-79379215?maca=tur-rss", "T", when)]))
    assert [(e.link, e.title, e.published) for e in entries] == [
        ("https://www.dw.com/tr/x/a-79379215?maca=tur-rss", "T", when)]
    with pytest.raises(SitemapFault):
        read_feed(b"<html><body>502 Bad Gateway</body></html>")


SHARED_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "dw-feeds"


@pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="../shared/dw-feeds/ is not beside the checkout")
def test_real_dw_feeds_of_every_format_are_read() -> None:
    for path in sorted(SHARED_FEEDS.glob("DW_*")):
        entries = read_feed(path.read_bytes())
        assert entries, path.name
        assert all("/a-" in e.link and e.title and e.published for e in entries), path.name


def test_every_known_edition_has_its_channels_under_the_roots() -> None:
    from newsbot import settings as project_settings
    from newsbot.crawling.discovery.channels import Channels
    from newsbot.editions import FEED_CODES

    assert sorted(FEED_CODES) == sorted(project_settings.NEWSBOT_KNOWN_LANGUAGES)
    roots = Channels.from_settings("http://127.0.0.1:8080/", "http://127.0.0.1:8080/feeds/",
                                   {"zh-hant": "big5"})
    assert roots.news_sitemap("pt-br") == "http://127.0.0.1:8080/pt-br/news-sitemap.xml"
    assert roots.article_sitemap("uk") == "http://127.0.0.1:8080/uk/article-sitemap.xml"
    assert roots.feed("uk") == "http://127.0.0.1:8080/feeds/xml/rss-ukr-all"
    assert roots.feed("zh") == "http://127.0.0.1:8080/feeds/xml/rss-chi-all"
    assert roots.feed("zh-hant") == "http://127.0.0.1:8080/feeds/xml/rss-big5-all"
    with pytest.raises(SpiderArgumentError, match=r"NEWSBOT_FEEDS_URL: 'ftp://rss\.dw\.com'"):
        Channels.from_settings("https://www.dw.com", "ftp://rss.dw.com", {})


def test_image_and_video_extensions_do_not_pass_for_the_article() -> None:
    xml = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><image:image><image:loc>https://static.dw.com/image/1_6.jpg</image:loc>
<image:title>A photo caption</image:title></image:image>
<loc>https://www.dw.com/en/story/a-1</loc><lastmod>2026-06-02</lastmod>
<news:news><news:publication><news:name>DW</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2026-06-01T09:00:00Z</news:publication_date>
<news:title>The article's title</news:title></news:news></url></urlset>"""
    (entry,) = SitemapReader(xml)
    assert entry.loc == "https://www.dw.com/en/story/a-1"
    assert entry.title == "The article's title"
    assert entry.date == datetime(2026, 6, 1, 9, tzinfo=UTC)  # publication_date wins
