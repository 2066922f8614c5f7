"""`scrapy crawl dw` end to end against the fake DW site on loopback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import CrawlRunner, archive_lines, read_jsonl
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite

TOPIC = "/en/some-topic/t-1"


def build_site(site: FakeDwSite) -> list[FakeArticle]:
    """Three articles linked from one topic page with duplicates, variants and noise links."""
    articles = [
        site.add_article(
            FakeArticle(
                content_id=68117411 + i,
                slug=f"story-number-{i}",
                title=f"Story number {i}",
                summary=f"The teaser of story {i}.",
                paragraphs=[f"First paragraph of story {i}.", "Second paragraph.", "Third one."],
                design="legacy" if i == 2 else "current",
            )
        )
        for i in range(3)
    ]
    first = articles[0]
    site.add_listing(
        TOPIC,
        [
            first.path,
            first.path,  # the same link twice
            first.path + "?maca=en-rss-en-all-1573-rdf",  # a tracking variant
            f"/en/an-older-slug/a-{first.content_id}",  # the same article under another slug
            site.url(articles[1].path),  # absolute
            articles[2].path + "#comments",
        ],
    )
    return articles


def test_crawl_stores_each_article_once_and_second_run_requests_nothing(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    articles = build_site(site)
    data_dir = tmp_path / "data"
    feed = tmp_path / "out.jsonl"
    start = f"start_urls={site.url(TOPIC)}"

    first = crawl("-a", start, "-O", str(feed), settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert first.returncode == 0, first.stderr[-3000:]

    stored = archive_lines(data_dir)
    assert sorted(r["content_id"] for r in stored) == [a.content_id for a in articles]
    exported = read_jsonl(feed)
    assert sorted(r["permalink"] for r in exported) == sorted(r["permalink"] for r in stored)
    by_id = {r["content_id"]: r for r in stored}
    one = by_id[articles[0].content_id]
    assert one["url"] == site.url(articles[0].path)
    assert one["permalink"] == "https://p.dw.com/p/4boRv"
    assert one["language"] == "en"
    assert one["title"] == "Story number 0"
    assert one["authors"] == ["Jane Doe"]
    assert one["body"].split("\n\n")[0] == "First paragraph of story 0."
    assert "Reuters" in one["agencies"]
    assert "ls/kms" not in one["body"] and "Image:" not in one["body"]
    assert set(one) >= {
        "url", "content_id", "permalink", "language", "title", "summary", "authors", "published",
        "modified", "topics", "body", "image", "agencies", "scraped_at",
    }
    # one request per distinct article, none for media, navigation or off-site links
    assert len(site.article_requests()) == 3
    assert not any("/av-" in p or "/g-" in p or "/live-" in p for p in site.requested_paths())
    # every archive line is whole JSON, non-ASCII kept as is
    for path in (data_dir / "dw").glob("*.jsonl"):
        assert path.read_bytes().endswith(b"\n")

    requests_before = len(site.requested_paths())
    second = crawl("-a", start, "-O", str(feed), settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(archive_lines(data_dir)) == 3
    assert read_jsonl(feed) == []
    new_requests = site.requested_paths()[requests_before:]
    assert not [p for p in new_requests if "/a-" in p], new_requests
    assert site.url(TOPIC).endswith(TOPIC) and any(p == TOPIC for p in new_requests)
    assert "newsbot/articles/skipped_stored" in second.stderr


def test_feed_exports_receive_exactly_the_stored_items(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    articles = build_site(site)
    csv_feed = tmp_path / "out.csv"
    json_feed = tmp_path / "out.json"
    result = crawl(
        "-a", f"start_urls={site.url(TOPIC)}", "-O", str(csv_feed), "-O", str(json_feed),
        settings={"NEWSBOT_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with csv_feed.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames is not None
    assert reader.fieldnames[:7] == [
        "url", "content_id", "permalink", "language", "title", "summary", "authors",
    ]
    assert sorted(int(row["content_id"]) for row in rows) == [a.content_id for a in articles]
    exported = json.loads(json_feed.read_text(encoding="utf-8"))
    assert sorted(item["content_id"] for item in exported) == [a.content_id for a in articles]


def test_refetch_of_unchanged_articles_drops_them_in_one_line_each(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    build_site(site)
    settings = {"NEWSBOT_DATA_DIR": str(tmp_path / "data")}
    start = f"start_urls={site.url(TOPIC)}"
    assert crawl("-a", start, settings=settings).returncode == 0
    again = crawl("-a", start, "-a", "refetch=1", settings=settings)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(site.article_requests()) == 6  # refetch requests the three stored articles again
    assert len(archive_lines(tmp_path / "data")) == 3  # unchanged: no second line
    dropped = [line for line in again.stderr.splitlines() if "Dropped:" in line]
    assert len(dropped) == 3
    assert all("is already stored" in line for line in dropped)
    # the drop names the article; it does not dump it into the log
    assert "First paragraph of story" not in again.stderr


def test_skip_counts_are_per_distinct_article(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    """An article linked from two listing pages is one skip as stored, one as seen this run."""
    articles = build_site(site)
    site.add_listing("/en/other-topic/t-2", [articles[0].path, articles[1].path])
    start = f"start_urls={site.url(TOPIC)},{site.url('/en/other-topic/t-2')}"
    settings = {"NEWSBOT_DATA_DIR": str(tmp_path)}
    assert crawl("-a", start, settings=settings).returncode == 0
    again = crawl("-a", start, settings=settings)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "'newsbot/articles/skipped_stored': 3" in again.stderr
    assert "'newsbot/articles/skipped_seen_this_run': 2" in again.stderr
    assert "newsbot/articles/requested" not in again.stderr
