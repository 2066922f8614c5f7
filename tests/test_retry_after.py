"""429/503 with Retry-After: the retry waits as asked, and an unreasonable wait is not taken."""

from __future__ import annotations

from pathlib import Path

from newsbot.crawling.retry_after import retry_after_seconds
from tests.conftest import CrawlRunner, archive_lines
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply, in_turn

TOPIC = "/en/busy/t-9200"


def make(content_id: int, slug: str) -> FakeArticle:
    return FakeArticle(
        content_id=content_id, slug=slug, title=f"Article {content_id}", summary="Teaser.",
        paragraphs=[f"Body of {content_id}.", "Two.", "Three."],
    )


def test_retry_waits_for_retry_after_and_gives_up_on_long_waits(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    polite, overloaded, later = make(401, "polite"), make(402, "overloaded"), make(403, "later")
    for article in (polite, overloaded, later):
        site.add_article(article)
    site.add_route(polite.path, in_turn(
        Reply(status=429, headers={"Retry-After": "2"}),
        Reply(body=render_article(polite, site.base_url).encode()),
    ))
    site.add_route(overloaded.path, in_turn(
        Reply(status=503, headers={"Retry-After": "3600"}),
        Reply(body=render_article(overloaded, site.base_url).encode()),
    ))
    site.add_listing(TOPIC, [polite.path, overloaded.path, later.path])

    result = crawl(
        "-a", f"start_urls={site.url(TOPIC)}",
        settings={"NEWSBOT_DATA_DIR": str(tmp_path), "RETRY_TIMES": "2"},
    )
    assert result.returncode == 0, result.stderr[-3000:]

    paths, times = site.requested_paths(), site.request_times
    first, retry = [times[i] for i, path in enumerate(paths) if path == polite.path]
    assert retry - first >= 2.0  # the retry came no sooner than Retry-After asked
    assert paths.count(overloaded.path) == 1  # a one-hour wait is left to the next run
    assert "Retry-After 3600 s, more than NEWSBOT_RETRY_AFTER_MAX" in result.stderr
    assert sorted(r["content_id"] for r in archive_lines(tmp_path)) == [401, 403]


def test_retry_after_values() -> None:
    assert retry_after_seconds(b"30") == 30.0
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
