"""The run report: written by the extension for `scrapy crawl dw`, and true to what happened."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import CrawlRunner, archive_lines
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite, Reply

TOPIC = "/en/reported-topic/t-7"


def build_site(site: FakeDwSite) -> tuple[list[FakeArticle], str, str]:
    """Three good articles, one that is gone (404), one that errors (500), with repeats."""
    good = [
        site.add_article(
            FakeArticle(
                content_id=68300000 + i,
                slug=f"reported-story-{i}",
                title=f"Reported story {i}",
                summary=f"Teaser {i}.",
                paragraphs=[f"Body of story {i}.", "More text.", "The end."],
            )
        )
        for i in range(3)
    ]
    missing = "/en/deleted-story/a-68309998"
    broken = "/en/broken-story/a-68309999"
    site.add_route(broken, Reply(status=500, body=b"<html>server error</html>"))
    site.add_listing(TOPIC, [a.path for a in good] + [missing, broken, good[0].path + "?maca=x"])
    return good, missing, broken


def reports(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((data_dir / "runs").glob("*.json"))]


def test_report_counts_match_the_archive_and_the_server_log(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    good, missing, broken = build_site(site)
    data_dir = tmp_path / "data"
    before = datetime.now(UTC).replace(microsecond=0)

    result = crawl(
        "-a", f"start_urls={site.url(TOPIC)}",
        settings={"NEWSBOT_DATA_DIR": str(data_dir), "RETRY_TIMES": "1"},
    )

    assert result.returncode == 0, result.stderr[-3000:]
    (report_path,) = (data_dir / "runs").glob("*.json")
    report = json.loads(report_path.read_text())
    served = site.requested_paths()
    article_paths = {urlsplit(p).path for p in site.article_requests()}
    stored = archive_lines(data_dir)

    assert report["status"] == "ok" and report["exit_code"] == 0
    # listing: the one topic page, five distinct article links on it
    assert report["listing"]["pages_fetched"] == served.count(TOPIC) == 1
    assert report["listing"]["article_links"] == 5
    # articles: every distinct article requested once, each either stored or failed
    assert report["articles"]["requested"] == len(article_paths) == 5
    assert report["articles"]["stored"] == len(stored) == 3
    assert sorted(r["content_id"] for r in stored) == [a.content_id for a in good]
    assert report["articles"]["failed"] == 2
    assert report["articles"]["dropped"] == {}
    # HTTP: every request the server saw (robots.txt and the retry included), errors by status
    assert report["http"]["requests"] == len(served)
    assert report["http"]["errors_by_status"] == {
        "404": served.count(missing), "500": served.count(broken)
    } == {"404": 1, "500": 2}
    assert report["http"]["retries"] == 1
    assert report["warnings"] == ["2 of 5 article page(s) failed to fetch or parse"]
    started = datetime.fromisoformat(report["started_at"])
    finished = datetime.fromisoformat(report["finished_at"])
    assert before <= started <= finished <= datetime.now(UTC)
    assert report["duration_seconds"] >= 0
    assert report_path.name == started.strftime("%Y-%m-%dT%H-%M-%S.%fZ") + ".json"
    # written whole (no temporary left behind), with the archive's file mode
    assert [p.name for p in report_path.parent.iterdir()] == [report_path.name]
    umask = os.umask(0)
    os.umask(umask)
    assert report_path.stat().st_mode & 0o777 == 0o640 & ~umask
    assert "Run summary: status=ok exit=0 listing_pages=1" in result.stderr
    assert "requested=5" in result.stderr and "stored=3" in result.stderr
    assert "http_errors=404x1,500x2" in result.stderr

    # The next run: stored articles are skipped, the two failed ones are tried again.
    requests_before = len(served)
    again = crawl(
        "-a", f"start_urls={site.url(TOPIC)}",
        settings={"NEWSBOT_DATA_DIR": str(data_dir), "RETRY_TIMES": "1"},
    )
    assert again.returncode == 0, again.stderr[-3000:]
    second = reports(data_dir)[-1]
    new_requests = site.requested_paths()[requests_before:]
    assert second["articles"]["skipped_stored"] == 3
    assert second["articles"]["requested"] == 2
    assert second["articles"]["stored"] == 0
    assert second["http"]["requests"] == len(new_requests)
    assert len(archive_lines(data_dir)) == 3


def test_refetch_stores_an_updated_article_once_more_and_nothing_else(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    good, _, _ = build_site(site)
    data_dir = tmp_path / "data"
    args = ("-a", f"start_urls={site.url(TOPIC)}")
    settings = {"NEWSBOT_DATA_DIR": str(data_dir), "RETRY_TIMES": "0"}
    assert crawl(*args, settings=settings).returncode == 0

    # DW corrects one article: a later dateModified.
    updated = good[1]
    updated.modified = updated.published + timedelta(hours=5)
    updated.paragraphs = ["Corrected body.", *updated.paragraphs[1:]]
    result = crawl(*args, "-a", "refetch=1", settings=settings)

    assert result.returncode == 0, result.stderr[-3000:]
    report = reports(data_dir)[-1]
    assert report["articles"]["requested"] == 5  # stored ones too, under refetch
    assert report["articles"]["stored"] == 1
    assert report["articles"]["updated"] == 1
    assert report["articles"]["dropped"] == {"duplicate": 2}
    lines = archive_lines(data_dir)
    assert len(lines) == 4
    versions = [r for r in lines if r["content_id"] == updated.content_id]
    assert [v["body"].split("\n\n")[0] for v in versions] == [
        "Body of story 1.", "Corrected body."
    ]
    assert versions[0]["modified"] < versions[1]["modified"]
    assert versions[0]["scraped_at"] < versions[1]["scraped_at"]

    # Refetching again finds nothing newer: the archive does not grow.
    third = crawl(*args, "-a", "refetch=1", settings=settings)
    assert third.returncode == 0, third.stderr[-3000:]
    assert reports(data_dir)[-1]["articles"]["dropped"] == {"duplicate": 3}
    assert len(archive_lines(data_dir)) == 4
