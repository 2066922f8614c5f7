"""A run that dies is not invisible: its start record stays, and `newsbot status` says the last
run did not finish (exit 10) until a later run finishes. Real crawl processes, killed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_newsbot
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply
from tests.test_reliability_process import (
    TOPIC,
    assert_rerun_fills_the_gap,
    build_site,
    start_crawl,
    wait_for_lines,
)


def status(data_dir: Path, *args: str) -> tuple[int, str]:
    result = run_newsbot("status", "--data-dir", str(data_dir), *args)
    return result.returncode, result.stdout


def test_a_run_killed_by_sigkill_makes_status_fail_until_a_run_finishes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with FakeDwSite() as site:
        articles = build_site(site, 6)
        # one article answers only after the run is killed: the run cannot finish before
        slow = FakeArticle(content_id=400099, slug="slow", title="Slow", summary="T.",
                           paragraphs=["One.", "Two."])
        site.add_article(slow)
        site.add_route(slow.path, Reply(body=render_article(slow, site.base_url).encode(),
                                        delay=60))
        site.add_listing(TOPIC, [a.path for a in [*articles, slow]])
        process = start_crawl(site, data_dir, tmp_path / "crawl.log")
        wait_for_lines(data_dir, 6, process)

        (record,) = [json.loads(p.read_text()) for p in (data_dir / "runs").glob("*.json")]
        assert record["status"] == "running" and record["pid"] == process.pid
        assert record["finished_at"] is None
        going_on, text = status(data_dir)
        assert going_on == 0 and "did not finish" not in text  # the run is alive: not judged

        process.kill()
        process.wait(timeout=30)

        code, text = status(data_dir, "--max-age", "26")
        assert code == 10, text
        assert "UNHEALTHY (exit 10)" in text and "did not finish" in text
        assert f"pid {process.pid}" in text
        report = json.loads(run_newsbot("status", "--data-dir", str(data_dir), "--json").stdout)
        assert report["healthy"] is False and report["exit_code"] == 10
        assert report["runs"][-1]["status"] == "running"

        site.add_route(slow.path, Reply(body=render_article(slow, site.base_url).encode()))
        assert_rerun_fills_the_gap(site, data_dir, [*articles, slow])
        code, text = status(data_dir, "--max-age", "26")
        assert code == 0, text
        statuses = sorted(json.loads(p.read_text())["status"]
                          for p in (data_dir / "runs").glob("*.json"))
        assert statuses == ["ok", "running"]
