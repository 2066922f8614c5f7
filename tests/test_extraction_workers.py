"""Extraction in worker processes: the same items and log lines as in the crawl process, nothing
lost when a worker dies, no worker left behind when the crawl dies.

Every test runs real `scrapy crawl dw` processes against the fake site. The worker starts when
the first article request is scheduled and takes about a second to import; pages delayed past
that reach it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from newsbot.workers.protocol import FrameBuffer, frame, response_from, task_for
from tests.conftest import FAST_SETTINGS, PROJECT_DIR, archive_lines, run_scrapy_crawl
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply
from tests.test_reliability_pages import MAX_SIZE, build_cases

TOPIC = "/en/worker-topic/t-9300"
# Pages answered this late reach a worker that is ready.
LATE = 4.0
WIDE_OPEN = {"CONCURRENT_REQUESTS": "64", "CONCURRENT_REQUESTS_PER_DOMAIN": "64"}
# Log lines of the extraction code itself (not the crawl's): these come from the worker, if any.
_EXTRACTION_LOG = re.compile(r"\[(newsbot\.(?:pages|extraction|loaders|cleaning)[\w.]*)\] (\w+): (.*)")


def run_report(data_dir: Path) -> dict:
    (path,) = (data_dir / "runs").glob("*.json")
    return json.loads(path.read_text())


def without_crawl_time(records: list[dict]) -> list[dict]:
    """The records minus what differs between two runs: `scraped_at` and the loopback port."""
    same = [{k: v for k, v in r.items() if k != "scraped_at"} for r in records]
    return sorted(json.loads(re.sub(r"127\.0\.0\.1:\d+", "HOST", json.dumps(same))), key=lambda r: r["content_id"])


def wrong_permalink_page(article: FakeArticle, base_url: str) -> Reply:
    """A legacy page stating a permalink that is not its own: extraction logs a warning.

    It comes last, after the other late pages: its turn is not one of the crawl process's."""
    html = render_article(article, base_url).replace(f"p.dw.com/p/{article.code}", "p.dw.com/p/ZZZZZ")
    return Reply(body=html.encode(), delay=LATE + 1.5)


def mixed_site(site: FakeDwSite) -> list[str]:
    """One early page, then every good and bad page of the reliability suite and a page whose
    extraction logs a warning, all answered LATE. Returns the names of the late pages."""
    early = FakeArticle(content_id=93000, slug="early-bird", title="Early", summary="First.", paragraphs=["One.", "Two."])
    site.add_article(early)
    paths = [early.path]
    names = []
    for case in build_cases(site.base_url):
        site.add_article(case.article)
        reply = case.reply or Reply(body=render_article(case.article, site.base_url).encode())
        site.add_route(case.article.path, Reply(reply.status, reply.body, reply.headers, delay=LATE))
        paths.append(case.article.path)
        names.append(case.name)
    odd = FakeArticle(content_id=93001, slug="odd-permalink", title="Odd", summary="S.", paragraphs=["A.", "B."], design="legacy")
    site.add_article(odd)
    site.add_route(odd.path, wrong_permalink_page(odd, site.base_url))
    paths.append(odd.path)
    site.add_listing(TOPIC, paths)
    return names


def crawl_mixed(data_dir: Path, workers: str) -> tuple[subprocess.CompletedProcess[str], list[dict], dict]:
    with FakeDwSite() as site:
        mixed_site(site)
        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url(TOPIC)}",
            settings={**WIDE_OPEN, "NEWSBOT_DATA_DIR": str(data_dir), "DOWNLOAD_MAXSIZE": str(MAX_SIZE),
                      "NEWSBOT_EXTRACTION_WORKERS": workers},
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-5000:]
    return result, archive_lines(data_dir), run_report(data_dir)


def extraction_log(log: str, base_url_free: bool = True) -> list[tuple[str, str, str]]:
    """The extraction code's log lines, with the (per-run) loopback port removed."""
    lines = [match.groups() for match in _EXTRACTION_LOG.finditer(log)]
    if base_url_free:
        lines = [(name, level, re.sub(r"127\.0\.0\.1:\d+", "HOST", message)) for name, level, message in lines]
    return sorted(lines)


def test_workers_store_and_log_exactly_what_the_crawl_process_does(tmp_path: Path) -> None:
    alone, stored_alone, report_alone = crawl_mixed(tmp_path / "alone", workers="0")
    helped, stored_helped, report_helped = crawl_mixed(tmp_path / "helped", workers="1")

    assert report_alone["extraction"]["in_workers"] == 0
    # All late pages but the crawl process's share (one in ten) went to the worker.
    assert report_helped["extraction"]["in_workers"] >= 15, report_helped["extraction"]
    assert report_helped["extraction"]["workers_lost"] == 0
    assert without_crawl_time(stored_helped) == without_crawl_time(stored_alone)
    assert len(stored_helped) == 10  # early, 8 good pages of the suite, the odd permalink
    assert report_helped["articles"]["rejected"] == report_alone["articles"]["rejected"]
    assert report_helped["articles"]["rejected"], "the bad pages were rejected"

    logged = extraction_log(helped.stderr)
    assert logged == extraction_log(alone.stderr)
    assert ("newsbot.pages.base", "WARNING",
            "Page http://HOST/en/odd-permalink/a-93001 states permalink ZZZZZ, but content id 93001 gives OC1") in logged


def test_bad_setting_is_refused_with_one_line(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url(TOPIC)}",
            settings={"NEWSBOT_DATA_DIR": str(tmp_path), "NEWSBOT_EXTRACTION_WORKERS": "many"},
        )
        assert site.requested_paths() == []
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "ERROR:" in line and "run_report" not in line]
    assert len(errors) == 1, errors
    assert "NEWSBOT_EXTRACTION_WORKERS: expected \"auto\" or a whole number >= 0, got 'many'" in errors[0]


# --- processes ---------------------------------------------------------------------------


def worker_pids(parent: int) -> list[int]:
    """The extraction workers among `parent`'s children (Linux /proc)."""
    pids = []
    for children in Path(f"/proc/{parent}/task").glob("*/children"):
        try:
            pids += [int(pid) for pid in children.read_text().split()]
        except OSError:
            continue
    return [pid for pid in pids if b"newsbot.workers.child" in _cmdline(pid)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def is_running(pid: int) -> bool:
    """Alive and not a zombie (a dead worker reparented to a non-reaping init stays a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def start_crawl(site: FakeDwSite, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scrapy", "crawl", "dw", "-a", f"start_urls={site.url(TOPIC)}"]
    settings = {**FAST_SETTINGS, "NEWSBOT_DATA_DIR": str(data_dir), "NEWSBOT_EXTRACTION_WORKERS": "1"}
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    with log.open("wb") as handle:
        return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=handle)


def slow_site(site: FakeDwSite, count: int, delay: float) -> list[FakeArticle]:
    articles = []
    for i in range(count):
        article = FakeArticle(content_id=94000 + i, slug=f"slow-{i}", title=f"Slow {i}", summary="S.", paragraphs=[f"Text {i}.", "Two."])
        site.add_article(article)
        site.add_route(article.path, Reply(body=render_article(article, site.base_url).encode(), delay=delay))
        articles.append(article)
    site.add_listing(TOPIC, [a.path for a in articles])
    return articles


def wait_for_worker(process: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if pids := worker_pids(process.pid):
            return pids[0]
        time.sleep(0.02)
    raise AssertionError("no extraction worker started:\n" + log.read_text()[-3000:])


def stored_count(data_dir: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in (data_dir / "dw").glob("*.jsonl")) if (data_dir / "dw").is_dir() else 0


def test_a_killed_worker_loses_no_article(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "crawl.log"
    with FakeDwSite() as site:
        articles = slow_site(site, 80, delay=0.2)
        process = start_crawl(site, data_dir, log)
        worker = wait_for_worker(process, log)
        deadline = time.monotonic() + 30
        while stored_count(data_dir) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(worker, signal.SIGKILL)
        assert process.poll() is None, "the crawl had already finished"
        assert process.wait(timeout=60) == 0, log.read_text()[-3000:]
    text = log.read_text()
    assert "An extraction worker went away (exit code -9)" in text
    assert "Traceback" not in text
    stored = archive_lines(data_dir)
    assert sorted(r["content_id"] for r in stored) == [a.content_id for a in articles]
    report = run_report(data_dir)
    assert report["extraction"]["workers_lost"] == 1
    assert report["extraction"]["in_workers"] + report["extraction"]["in_crawl_process"] == len(articles)
    assert any("extraction worker(s) went away" in warning for warning in report["warnings"])


def test_workers_start_with_the_first_article_request_and_not_on_a_run_with_nothing_new(
    tmp_path: Path,
) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "crawl.log"
    with FakeDwSite() as site:
        slow_site(site, 3, delay=LATE)
        process = start_crawl(site, data_dir, log)
        wait_for_worker(process, log)
        # Started while the articles were still downloading: none has been answered yet.
        assert stored_count(data_dir) == 0
        assert process.wait(timeout=60) == 0, log.read_text()[-3000:]
        first = run_report(data_dir)["extraction"]
        # So the worker was ready for every page (three pages: none is the crawl process's turn).
        assert (first["workers_started"], first["in_workers"], first["in_crawl_process"]) == (1, 3, 0)

        for report in (data_dir / "runs").glob("*.json"):
            report.unlink()
        again = start_crawl(site, data_dir, tmp_path / "again.log")
        assert again.wait(timeout=60) == 0, (tmp_path / "again.log").read_text()[-3000:]
    second = run_report(data_dir)
    assert second["articles"]["requested"] == 0
    assert second["extraction"] == {"workers_started": 0, "in_workers": 0, "in_crawl_process": 0, "workers_lost": 0}


def test_no_worker_outlives_a_killed_crawl(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "crawl.log"
    with FakeDwSite() as site:
        slow_site(site, 80, delay=0.2)
        process = start_crawl(site, data_dir, log)
        worker = wait_for_worker(process, log)
        process.kill()
        process.wait(timeout=30)
        deadline = time.monotonic() + 15
        while is_running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not is_running(worker), "the extraction worker outlived its crawl"


def test_workers_stop_with_the_crawl(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "crawl.log"
    with FakeDwSite() as site:
        slow_site(site, 20, delay=0.2)
        process = start_crawl(site, data_dir, log)
        worker = wait_for_worker(process, log)
        assert process.wait(timeout=60) == 0, log.read_text()[-3000:]
    assert not is_running(worker)
    assert "Extraction worker" not in log.read_text()  # neither killed nor a bad exit code
    assert stored_count(data_dir) == 20


# --- the protocol ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [HtmlResponse, XmlResponse, TextResponse])
def test_a_task_rebuilds_the_response_the_spider_received(kind: type[TextResponse]) -> None:
    body = "<p>Grüße – café</p>".encode("cp1252")
    response = kind(
        "https://www.dw.com/en/x/a-1", body=body, encoding="cp1252",
        headers={"Content-Type": "text/html; charset=cp1252", "Date": "Sat, 28 Nov 2026 10:00:00 GMT", "Set-Cookie": "a=b"},
    )
    [message] = FrameBuffer().feed(b"".join(frame(task_for(7, response))))
    rebuilt = response_from(message)
    assert message[0] == 7
    assert type(rebuilt) is kind
    assert (rebuilt.url, rebuilt.body, rebuilt.text) == (response.url, body, "<p>Grüße – café</p>")
    assert rebuilt.headers.get("Date") == b"Sat, 28 Nov 2026 10:00:00 GMT"
    assert rebuilt.headers.get("Content-Type") == b"text/html; charset=cp1252"
    assert "Set-Cookie" not in rebuilt.headers  # extraction never reads it: not sent


def test_frames_split_anywhere_are_reassembled_in_order() -> None:
    messages = [("ready",), (1, "x" * 100_000, [(30, "a", "b")]), (2, None, [])]
    data = b"".join(part for message in messages for part in frame(message))
    buffer = FrameBuffer()
    received = []
    for start in range(0, len(data), 997):  # chunks that cut headers and payloads
        received += buffer.feed(data[start : start + 997])
    assert received == messages
    assert buffer.feed(b"") == []
