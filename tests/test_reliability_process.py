"""Killed, stopped or out of disk: no half line, no lost item, and a rerun fills exactly the gap."""

from __future__ import annotations

import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FAST_SETTINGS, PROJECT_DIR, archive_lines, run_scrapy_crawl
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply

TOPIC = "/en/many/t-9200"


def build_site(site: FakeDwSite, count: int, delay: float = 0.0, words: int = 3) -> list[FakeArticle]:
    """`count` articles on one topic page, each answered after `delay` seconds."""
    articles = []
    for i in range(count):
        article = FakeArticle(
            content_id=400000 + i, slug=f"story-{i}", title=f"Story {i}", summary="Teaser.",
            paragraphs=[f"Paragraph {i}: " + "word " * words, "Two.", "Three."],
        )
        site.add_article(article)
        if delay:
            site.add_route(article.path, Reply(body=render_article(article, site.base_url).encode(), delay=delay))
        articles.append(article)
    site.add_listing(TOPIC, [a.path for a in articles])
    return articles


def start_crawl(
    site: FakeDwSite, data_dir: Path, log: Path, preexec_fn: Callable[[], None] | None = None
) -> subprocess.Popen[bytes]:
    """`scrapy crawl dw` in the background, its log to a file (a pipe could fill and block it)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "dw", "-a", f"start_urls={site.url(TOPIC)}"]
    for name, value in {**FAST_SETTINGS, "NEWSBOT_DATA_DIR": str(data_dir)}.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    with log.open("wb") as handle:
        return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=handle, preexec_fn=preexec_fn)


def wait_for_lines(data_dir: Path, at_least: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        files = list((data_dir / "dw").glob("*.jsonl")) if (data_dir / "dw").is_dir() else []
        if sum(path.read_bytes().count(b"\n") for path in files) >= at_least:
            return
        time.sleep(0.02)
    raise AssertionError("the crawl stored nothing in time")


def assert_whole_lines(data_dir: Path) -> list[dict]:
    """Every JSONL file ends with a newline and every line parses (archive_lines fails if not)."""
    for path in (data_dir / "dw").glob("*.jsonl"):
        assert path.read_bytes().endswith(b"\n"), f"{path} ends in a partial line"
    records = archive_lines(data_dir)
    ids = [r["content_id"] for r in records]
    assert len(ids) == len(set(ids)), "an article was stored twice"
    return records


def assert_rerun_fills_the_gap(site: FakeDwSite, data_dir: Path, articles: list[FakeArticle]) -> None:
    before = {r["content_id"] for r in assert_whole_lines(data_dir)}
    requests_before = len(site.requested_paths())
    result = run_scrapy_crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr[-3000:]
    after = assert_whole_lines(data_dir)
    assert sorted(r["content_id"] for r in after) == [a.content_id for a in articles]
    fetched = {p for p in site.requested_paths()[requests_before:] if "/a-" in p}
    assert fetched == {a.path for a in articles if a.content_id not in before}


def test_sigkill_mid_run_loses_nothing_and_rerun_fetches_only_the_rest(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    pause = random.Random(seed).uniform(0, 0.4)
    data_dir = tmp_path / "data"
    with FakeDwSite() as site:
        articles = build_site(site, 60, delay=0.1)
        process = start_crawl(site, data_dir, tmp_path / "crawl.log")
        wait_for_lines(data_dir, 3, process)
        time.sleep(pause)
        process.kill()
        process.wait(timeout=30)
        stored = assert_whole_lines(data_dir)
        assert 3 <= len(stored) < len(articles), f"seed {seed}: not killed mid-run"
        assert_rerun_fills_the_gap(site, data_dir, articles)


def test_sigterm_stops_gracefully_with_files_closed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "crawl.log"
    with FakeDwSite() as site:
        articles = build_site(site, 60, delay=0.1)
        process = start_crawl(site, data_dir, log)
        wait_for_lines(data_dir, 3, process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        text = log.read_text()
        assert "Received SIGTERM, shutting down gracefully" in text
        assert "'finish_reason': 'shutdown'" in text
        assert "Traceback" not in text
        stored = assert_whole_lines(data_dir)
        assert len(stored) < len(articles)
        # The index was closed cleanly (WAL checkpointed and removed) and matches the files.
        assert not (data_dir / "seen.sqlite3-wal").exists()
        with sqlite3.connect(data_dir / "seen.sqlite3") as db:
            assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(stored)
        assert_rerun_fills_the_gap(site, data_dir, articles)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_ends_the_run_within_seconds_whatever_the_download_delay(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """With DOWNLOAD_DELAY=5 the downloader holds up to 8 queued requests, 40 s of waiting:
    a stop drops them instead, and the next run finds them again."""
    data_dir = tmp_path / "data"
    log = tmp_path / "run.log"
    with FakeDwSite() as site:
        articles = build_site(site, 30)
        command = [sys.executable, "-m", "newsbot", "run", "--data-dir", str(data_dir),
                   "-a", f"start_urls={site.url(TOPIC)}"]
        for name, value in {**FAST_SETTINGS, "DOWNLOAD_DELAY": "5"}.items():
            command += ["-s", f"{name}={value}"]
        env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
        with log.open("wb") as handle:
            process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stderr=handle)
        deadline = time.monotonic() + 60
        while not site.article_requests() and process.poll() is None:
            assert time.monotonic() < deadline, "no article was ever requested"
            time.sleep(0.05)
        process.send_signal(stop)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError(f"the run did not stop within 20 s of {stop.name}") from None
        text = log.read_text()
        assert code == 7, text[-3000:]  # interrupted
        assert "Traceback" not in text
        assert re.search(r"Stopping: \d+ queued request\(s\) dropped", text), text[-3000:]
        assert "'newsbot/articles/failed'" not in text  # dropped is not failed
        assert len(site.article_requests()) <= 2  # the queued ones were never downloaded
        stored = assert_whole_lines(data_dir)
        assert len(stored) < len(articles)
        assert_rerun_fills_the_gap(site, data_dir, articles)


def test_a_stop_does_not_wait_out_a_retry_after(tmp_path: Path) -> None:
    """A retry waiting 60 s for its Retry-After gives up when the run is stopped."""
    data_dir = tmp_path / "data"
    log = tmp_path / "run.log"
    with FakeDwSite() as site:
        articles = build_site(site, 2)
        busy = Reply(status=503, body=b"busy", headers={"Retry-After": "60"})
        site.add_route(articles[1].path, busy)
        command = [sys.executable, "-m", "newsbot", "run", "--data-dir", str(data_dir),
                   "-a", f"start_urls={site.url(TOPIC)}"]
        for name, value in FAST_SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
        with log.open("wb") as handle:
            process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stderr=handle)
        deadline = time.monotonic() + 60
        while "waiting 60.0 s (Retry-After)" not in log.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, "the retry never started waiting"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("the run waited out the Retry-After after SIGTERM") from None
        text = log.read_text()
        assert code == 7, text[-3000:]
        assert "Traceback" not in text
        [summary] = [line for line in text.splitlines() if "Run summary: " in line]
        assert " failed=0 " in summary, summary  # given up for the stop, not failed
        assert [r["content_id"] for r in assert_whole_lines(data_dir)] == [articles[0].content_id]
        assert site.article_requests().count(articles[1].path) == 1  # the retry was never made


def test_full_disk_while_the_run_closes_is_one_error_line(tmp_path: Path) -> None:
    """The index commits its last marks when the run closes: with the disk full then, the log
    has one ERROR line (no traceback), and the next run indexes the stored lines again."""
    data_dir = tmp_path / "data"
    log = tmp_path / "crawl.log"
    limit = 33_500  # above the JSONL file (~32 KB) and SQLite's -shm (32 KiB), below the -wal

    def limit_at_close() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with FakeDwSite() as site:
        articles = build_site(site, 60)
        command = [sys.executable, "-m", "scrapy", "crawl", "dw",
                   "-a", f"start_urls={site.url(TOPIC)}"]
        # No kept pages: the limit is set for the JSONL file and the index alone.
        for name, value in {**FAST_SETTINGS, "LOG_LEVEL": "WARNING", "NEWSBOT_KEEP_PAGES": "0",
                            "NEWSBOT_DATA_DIR": str(data_dir)}.items():
            command += ["-s", f"{name}={value}"]
        env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
        with log.open("wb") as handle:
            process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=handle,
                                       stderr=handle, preexec_fn=limit_at_close)
        assert process.wait(timeout=120) == 0
        text = log.read_text()
        assert "Traceback" not in text and "Error caught on signal handler" not in text, text
        errors = [line for line in text.splitlines() if "] ERROR: " in line]
        assert len(errors) == 1, errors
        assert "Closing the archive: dedupe database" in errors[0]
        assert "the index catches up with it on the next run" in errors[0]
        stored = assert_whole_lines(data_dir)
        assert len(stored) == len(articles)  # every article was stored before the close
        assert_rerun_fills_the_gap(site, data_dir, articles)  # and none is fetched again


FILE_LIMIT = 150_000


def limit_file_size() -> None:
    """In the child: files may not grow past FILE_LIMIT bytes, as on a full disk.

    SIGXFSZ is ignored so that the write fails with EFBIG instead of killing the process.
    """
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def test_full_disk_stops_with_a_clear_error_and_no_half_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "crawl.log"
    with FakeDwSite() as site:
        articles = build_site(site, 20, words=6000)  # ~30 KB per line: the file limit is hit
        process = start_crawl(site, data_dir, log, preexec_fn=limit_file_size)
        assert process.wait(timeout=60) == 1
        text = log.read_text()
        errors = [line for line in text.splitlines() if "] ERROR:" in line and "run_report" not in line]
        assert errors[-1] == text.splitlines()[-1] and "Run failed: cannot write to" in errors[-1]
        errors = errors[:-1]  # the last line repeats the error
        assert len(errors) == 1, errors
        assert "cannot write to" in errors[0] and "File too large" in errors[0]
        assert "newsbot_storage_failed" in errors[0]
        assert "Traceback" not in text
        stored = assert_whole_lines(data_dir)
        assert 0 < len(stored) < len(articles)
        assert sum(p.stat().st_size for p in (data_dir / "dw").glob("*.jsonl")) <= FILE_LIMIT
        assert_rerun_fills_the_gap(site, data_dir, articles)
