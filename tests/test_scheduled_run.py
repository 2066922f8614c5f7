"""`python -m newsbot run` as cron runs it: the lock, the exit codes, the progress output."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import (
    FAST_SETTINGS,
    PROJECT_DIR,
    archive_lines,
    run_newsbot,
    run_scrapy_crawl,
)
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply

TOPIC = "/en/some-topic/t-1"
EMPTY_TOPIC = "/en/changed-layout/s-2"


def add_articles(site: FakeDwSite, count: int = 3, first_id: int = 68200000) -> list[FakeArticle]:
    return [
        site.add_article(
            FakeArticle(
                content_id=first_id + i,
                slug=f"scheduled-story-{i}",
                title=f"Scheduled story {i}",
                summary=f"Teaser {i}.",
                paragraphs=[f"Paragraph one of {i}.", "Paragraph two.", "Paragraph three."],
            )
        )
        for i in range(count)
    ]


def run_args(site: FakeDwSite, data_dir: Path, *paths: str) -> list[str]:
    start_urls = ",".join(site.url(path) for path in paths or (TOPIC,))
    return ["run", "--data-dir", str(data_dir), "-a", f"start_urls={start_urls}"]


def reports(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((data_dir / "runs").glob("*.json"))]


def crontab_command() -> str:
    """The command of the every-30-minutes entry of crontab.example."""
    text = (PROJECT_DIR / "crontab.example").read_text(encoding="utf-8")
    match = re.search(r"^\*/30 \* \* \* \* (?P<command>.+)$", text, re.MULTILINE)
    assert match, "crontab.example has no */30 entry"
    return match["command"]


def hold_listing(site: FakeDwSite, articles: list) -> tuple[threading.Event, threading.Event]:
    """Serve TOPIC only once `release` is set; `requested` is set when a crawl asks for it."""
    listing = site.add_listing(TOPIC, [a.path for a in articles])
    listing_reply = site.routes[listing]
    assert isinstance(listing_reply, Reply)
    requested, release = threading.Event(), threading.Event()

    def held_listing(_: str) -> Reply:
        requested.set()
        release.wait(60)
        return listing_reply

    site.add_route(TOPIC, held_listing)
    return requested, release


def test_crontab_entry_never_runs_twice_at_once(site: FakeDwSite, tmp_path: Path) -> None:
    articles = add_articles(site)
    listing_requested, release = hold_listing(site, articles)
    # A project directory like the one the entry expects: its venv and a data/ directory.
    project = tmp_path / "project"
    project.mkdir()
    (project / ".venv").symlink_to(Path(sys.executable).parent.parent)
    command = crontab_command().replace("/srv/newsbot", str(project))
    test_args = " ".join(
        [f"-a start_urls={site.url(TOPIC)}"]
        + [f"-s {name}={value}" for name, value in {**FAST_SETTINGS, "DOWNLOAD_TIMEOUT": "60"}.items()]
    )
    assert "newsbot run " in command
    command = command.replace("newsbot run ", f"newsbot run {test_args} ", 1)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}

    first = subprocess.Popen(
        ["/bin/sh", "-c", command], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert listing_requested.wait(60), "the first run never requested its listing page"
        second = subprocess.run(
            ["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=60,
            check=False,
        )
    finally:
        release.set()
    first_output, _ = first.communicate(timeout=120)

    log = (project / "data" / "newsbot.log").read_text(encoding="utf-8")
    assert "another newsbot run holds" in log and "newsbot.lock (pid " in log
    assert "newsbot run failed (exit 75)" in second.stdout  # the alarm line cron would mail
    assert first.returncode == 0, log[-3000:]
    assert first_output == ""  # a healthy run prints nothing, so cron mails nothing
    assert "Run summary: status=ok" in log
    stored = archive_lines(project / "data")
    assert sorted(r["content_id"] for r in stored) == [a.content_id for a in articles]
    assert len(site.article_requests()) == 3  # the second run requested nothing
    assert [r["status"] for r in reports(project / "data")] == ["ok"]


@pytest.mark.parametrize("first_by", ["scrapy crawl", "newsbot run"])
def test_scrapy_crawl_and_newsbot_run_exclude_each_other(
    site: FakeDwSite, tmp_path: Path, first_by: str
) -> None:
    articles = add_articles(site)
    listing_requested, release = hold_listing(site, articles)
    data_dir = tmp_path / "data"
    args = ["-a", f"start_urls={site.url(TOPIC)}"]
    for name, value in {**FAST_SETTINGS, "DOWNLOAD_TIMEOUT": "60"}.items():
        args += ["-s", f"{name}={value}"]
    if first_by == "scrapy crawl":
        command = [sys.executable, "-m", "scrapy", "crawl", "dw", *args,
                   "-s", f"NEWSBOT_DATA_DIR={data_dir}"]
    else:
        command = [sys.executable, "-m", "newsbot", "run", "--data-dir", str(data_dir), *args]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    log = tmp_path / "first.log"
    with log.open("w") as handle:
        first = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stderr=handle)
    try:
        assert listing_requested.wait(60), "the first run never requested its listing page"
        by_cron = run_newsbot(*run_args(site, data_dir))
        by_hand = run_scrapy_crawl(*args, settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    finally:
        release.set()
    assert first.wait(120) == 0, log.read_text()[-3000:]

    holder = f"another newsbot run holds {data_dir / 'newsbot.lock'} (pid {first.pid} since "
    assert by_cron.returncode == 75, by_cron.stderr[-3000:]
    last = by_cron.stderr.splitlines()[-1]
    assert "run failed with exit code 75 (already_running): " + holder in last, last
    assert by_hand.returncode == 1, by_hand.stderr[-3000:]
    errors = [line for line in by_hand.stderr.splitlines() if "] ERROR: " in line]
    assert len(errors) == 2 and holder in errors[0] and "newsbot_already_running" in errors[0]
    assert "Run failed: " + holder in by_hand.stderr.splitlines()[-1]
    for refused in (by_cron, by_hand):
        assert "Run summary" not in refused.stderr  # it never ran: no summary, no report
    assert [r["status"] for r in reports(data_dir)] == ["ok"]
    assert sorted(r["content_id"] for r in archive_lines(data_dir)) == [a.content_id for a in articles]
    assert len(site.article_requests()) == 3  # each article once: the refused runs fetched nothing
    assert site.requested_paths().count(TOPIC) == 1


def test_listing_without_article_links_fails_naming_the_page(
    site: FakeDwSite, tmp_path: Path
) -> None:
    articles = add_articles(site)
    site.add_listing(TOPIC, [a.path for a in articles])
    site.add_listing(EMPTY_TOPIC, [])  # the teasers are gone: a layout change
    data_dir = tmp_path / "data"

    result = run_newsbot(*run_args(site, data_dir, TOPIC, EMPTY_TOPIC))

    assert result.returncode == 5, result.stderr[-3000:]
    empty_url = site.url(EMPTY_TOPIC)
    assert "run failed with exit code 5 (no_article_links)" in result.stderr
    assert re.search(r"had no article links .*" + re.escape(empty_url), result.stderr)
    (report,) = reports(data_dir)
    assert report["status"] == "no_article_links" and report["exit_code"] == 5
    assert report["listing"]["empty_urls"] == [empty_url]
    # the articles of the healthy page are still stored
    assert len(archive_lines(data_dir)) == 3


def test_healthy_run_with_nothing_new_exits_zero(site: FakeDwSite, tmp_path: Path) -> None:
    articles = add_articles(site)
    site.add_listing(TOPIC, [a.path for a in articles])
    data_dir = tmp_path / "data"

    first = run_newsbot(*run_args(site, data_dir))
    assert first.returncode == 0, first.stderr[-3000:]
    requests_before = len(site.requested_paths())
    second = run_newsbot(*run_args(site, data_dir))

    assert second.returncode == 0, second.stderr[-3000:]
    latest = reports(data_dir)[-1]
    assert latest["status"] == "ok"
    assert latest["articles"]["requested"] == 0
    assert latest["articles"]["skipped_stored"] == 3
    assert latest["articles"]["stored"] == 0
    assert not [p for p in site.requested_paths()[requests_before:] if "/a-" in p]
    assert "Run summary: status=ok" in second.stderr and "requested=0" in second.stderr


def test_unreachable_listing_pages_exit_4(site: FakeDwSite, tmp_path: Path) -> None:
    # No route: the topic page answers 404.
    result = run_newsbot(*run_args(site, tmp_path / "data"))
    assert result.returncode == 4, result.stderr[-3000:]
    assert "no discovery page (topic/section page, sitemap or feed) could be fetched" in result.stderr
    assert site.url(TOPIC) in result.stderr


def tree(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file and directory under `directory`: its size and modification time (ns)."""
    return {
        str(path.relative_to(directory)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
    }


def status_json(data_dir: Path) -> tuple[int, dict]:
    result = run_newsbot("status", "--data-dir", str(data_dir), "--json")
    return result.returncode, json.loads(result.stdout)


def test_a_refused_run_leaves_no_trace(site: FakeDwSite, tmp_path: Path) -> None:
    articles = add_articles(site)
    site.add_listing(TOPIC, [a.path for a in articles])
    data_dir = tmp_path / "data"
    assert run_newsbot(*run_args(site, data_dir)).returncode == 0
    status_before = status_json(data_dir)  # (it writes its summary cache: before the tree)
    before = tree(data_dir)
    requests_before = len(site.requested_paths())

    refusals = [
        (["-a", "langs=de"], "unknown argument(s) langs; known: channels, lang, refetch, "
                             "render, since, start_urls, until"),
        (["-a", "lang=xx"], "lang: unknown language edition(s) xx"),
        (["-a", "since=tomorrow"], "since: 'tomorrow' is not a date"),
    ]
    for extra, message in refusals:
        for where in (data_dir, tmp_path / "new-data"):
            result = run_newsbot(*run_args(site, where), *extra)
            assert result.returncode == 3, result.stderr[-3000:]
            last = result.stderr.splitlines()[-1]
            assert "run refused, nothing started (exit code 3): " + message in last, last
            assert "Traceback" not in result.stderr
    bad_mode = run_newsbot(*run_args(site, tmp_path / "new-data"),
                           settings={"NEWSBOT_FILE_MODE": "666"})
    assert bad_mode.returncode == 3
    assert "NEWSBOT_FILE_MODE: 666 lets every local user write" in bad_mode.stderr.splitlines()[-1]
    # `scrapy crawl dw` refuses the same way: exit status 1, the error as the last line.
    crawl = run_scrapy_crawl("-a", "langs=de", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert crawl.returncode == 1, crawl.stderr[-3000:]
    assert "unknown argument(s) langs; known: channels" in crawl.stderr.splitlines()[-1]

    assert not (tmp_path / "new-data").exists()
    assert tree(data_dir) == before  # no report, no lock taken, nothing touched
    assert status_json(data_dir) == status_before
    assert status_before[0] == 0 and [r["status"] for r in status_before[1]["runs"]] == ["ok"]
    assert len(site.requested_paths()) == requests_before


def test_too_many_failed_articles_exit_6(site: FakeDwSite, tmp_path: Path) -> None:
    articles = add_articles(site, count=4)
    for article in articles[1:]:
        site.add_route(article.path, Reply(status=500, body=b"<html>oops</html>"))
    site.add_listing(TOPIC, [a.path for a in articles])
    data_dir = tmp_path / "data"

    result = run_newsbot(*run_args(site, data_dir))

    assert result.returncode == 6, result.stderr[-3000:]
    assert "3 of 4 article page(s) failed to fetch or parse" in result.stderr
    (report,) = reports(data_dir)
    assert report["articles"]["stored"] == 1 and report["articles"]["failed"] == 3
    # the same failures under a laxer threshold are only a warning
    laxer = run_newsbot(
        *run_args(site, data_dir), settings={"NEWSBOT_MAX_ARTICLE_FAILURE_RATIO": "1.0"}
    )
    assert laxer.returncode == 0, laxer.stderr[-3000:]
    assert "Run warning: 3 of 3 article page(s) failed" in laxer.stderr


def test_progress_is_logged_during_a_long_run(site: FakeDwSite, tmp_path: Path) -> None:
    articles = add_articles(site)
    site.add_listing(TOPIC, [a.path for a in articles])
    log_path = tmp_path / "run.log"
    release = threading.Event()

    def slow_article(_: str) -> Reply:
        release.wait(60)  # until the test has seen a progress line
        return Reply(body=render_article(articles[1], site.base_url).encode("utf-8"))

    site.add_route(articles[1].path, slow_article)
    command = [sys.executable, "-m", "newsbot", *run_args(site, tmp_path / "data")]
    for name, value in {**FAST_SETTINGS, "NEWSBOT_PROGRESS_INTERVAL": "0.2",
                        "DOWNLOAD_TIMEOUT": "60"}.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stderr=log)
        try:
            progress = wait_for_line(log_path, "Progress: discovery pages 1, articles ", process)
        finally:
            release.set()
        assert process.wait(120) == 0, log_path.read_text()[-3000:]
    assert re.search(r"articles \d/3 done \(stored \d, failed 0\)", progress), progress


def wait_for_line(path: Path, needle: str, process: subprocess.Popen[bytes]) -> str:
    """The first log line containing `needle`, waiting while the process runs."""
    while process.poll() is None:
        for line in path.read_text(encoding="utf-8").splitlines():
            if needle in line:
                return line
        threading.Event().wait(0.05)
    raise AssertionError(f"{needle!r} never logged:\n{path.read_text()[-3000:]}")


def test_progress_bar_is_drawn_on_a_terminal(site: FakeDwSite, tmp_path: Path) -> None:
    articles = add_articles(site)
    site.add_listing(TOPIC, [a.path for a in articles])
    command = [sys.executable, "-m", "newsbot", *run_args(site, tmp_path / "data")]
    for name, value in FAST_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    controller, terminal = pty.openpty()
    output = bytearray()
    reader = threading.Thread(target=read_all, args=(controller, output))
    reader.start()
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
        stdout=subprocess.DEVNULL, stderr=terminal,
    )
    os.close(terminal)
    assert process.wait(120) == 0
    reader.join(30)
    os.close(controller)
    text = output.decode("utf-8", "replace")
    assert "\r\x1b[2K[" + "#" * 24 + "] 3/3 articles | stored 3 | failed 0" in text, text[-2000:]
    assert "Run summary: status=ok" in text


def read_all(fd: int, into: bytearray) -> None:
    """Read a pty until the other side closes (EIO on Linux)."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into.extend(chunk)
