"""Unusable input ends `scrapy crawl dw` with one clear error line, exit status 1, no request.

Each case is a real `scrapy crawl dw` process against the fake site, so the test sees what a
user sees: the exit status, the log, and the site's request log.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CrawlRunner
from tests.fakedw.server import FakeDwSite

TOPIC = "/en/some-topic/t-1"


def error_lines(log: str) -> list[str]:
    """ERROR lines, except the run report's own (its summary, or that it has nowhere to go) and
    the last line that repeats the error."""
    return [
        line for line in log.splitlines()
        if re.search(r"\] (ERROR|CRITICAL):", line) and "[newsbot.crawling.run_report]" not in line
        and "] ERROR: Run failed: " not in line
    ]


def assert_refused(result: object, site: FakeDwSite, message: str) -> None:
    assert result.returncode == 1, result.stderr[-3000:]  # type: ignore[attr-defined]
    log: str = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in log, log[-3000:]
    [line] = error_lines(log)
    assert message in line, line
    assert message in log.splitlines()[-1], "the last line does not repeat the error"
    assert site.requested_paths() == [], "a request was made despite the error"


@pytest.mark.parametrize(
    ("start_urls", "message"),
    [
        ("not-a-url", "start_urls: 'not-a-url' is not an http(s) URL"),
        ("ftp://www.dw.com/en/x/t-1", "start_urls: 'ftp://www.dw.com/en/x/t-1' is not an http(s) URL"),
        ("file:///etc/passwd", "start_urls: 'file:///etc/passwd' is not an http(s) URL"),
        ("https:///en/x/t-1", "has no host name"),
    ],
)
def test_bad_start_url_is_refused_before_any_request(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path, start_urls: str, message: str
) -> None:
    result = crawl("-a", f"start_urls={site.url(TOPIC)},{start_urls}", settings={"NEWSBOT_DATA_DIR": str(tmp_path)})
    assert_refused(result, site, message)


def test_unknown_language_is_refused(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", "-a", "lang=en,xx", settings={"NEWSBOT_DATA_DIR": str(tmp_path)})
    assert_refused(result, site, "lang: unknown language edition(s) xx")


def test_bad_flag_is_refused(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", "-a", "refetch=maybe", settings={"NEWSBOT_DATA_DIR": str(tmp_path)})
    assert_refused(result, site, "refetch: expected 1/0")


def test_unwritable_data_dir_is_refused(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(blocker / "data")})
    assert_refused(result, site, f"cannot create data directory {blocker}/data")
    assert blocker.read_text() == "not a directory"


def test_corrupt_dedupe_database_is_refused_and_archive_untouched(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    (tmp_path / "dw").mkdir()
    archive = tmp_path / "dw" / "2026-01-01.jsonl"
    archive.write_bytes(b'{"permalink": "https://p.dw.com/p/1", "content_id": 1}\n')
    (tmp_path / "seen.sqlite3").write_bytes(b"this is not a database" * 100)
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(tmp_path)})
    assert_refused(result, site, "move it aside and rerun")
    assert archive.read_bytes() == b'{"permalink": "https://p.dw.com/p/1", "content_id": 1}\n'


def test_world_writable_file_mode_is_refused(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(tmp_path / "d"), "NEWSBOT_FILE_MODE": "666"})
    assert_refused(result, site, "NEWSBOT_FILE_MODE: 666 lets every local user write")
    assert not (tmp_path / "d").exists()
