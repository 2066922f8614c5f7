"""The Spidermon suite (NEWSBOT_SPIDERMON) in real crawls on loopback."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from tests.conftest import archive_lines, run_scrapy_crawl
from tests.fakedw.server import FakeDwSite, Reply
from tests.test_status import EN_TOPIC, add_articles

SCHEMA = "Item validation monitor/Should store only items that match article.schema.json"
FINISH = "Finish Reason Monitor/Should have the expected finished reason(s)"
COUNT = (
    "Item count monitor/Should store at least NEWSBOT_SPIDERMON_ITEM_RATIO of the earlier median"
)
HTTP = "Unwanted HTTP codes monitor/Should not hit the limit of unwanted http status"


def monitor_results(log: str) -> dict[str, str]:
    """{monitor/test name: OK, FAIL, SKIPPED (...)} from Spidermon's report in the log."""
    return dict(re.findall(r"\[Spidermon\] (.+?)\.\.\. (OK|FAIL|ERROR|SKIPPED.*)$", log, re.M))


def test_the_suite_passes_healthy_runs_and_fails_a_run_with_a_403_and_few_items(
    site: FakeDwSite, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    failed_file = tmp_path / "failed-monitors.txt"
    articles = add_articles(site, "en", 69300001, 7)
    settings = {
        "NEWSBOT_SPIDERMON": "1",
        "NEWSBOT_SPIDERMON_HISTORY_RUNS": "2",
        "NEWSBOT_SPIDERMON_FAILED_ACTIONS": "tests.spidermon_actions.RecordFailedMonitors",
        "NEWSBOT_TEST_FAILED_MONITORS_FILE": str(failed_file),
        "NEWSBOT_DATA_DIR": str(data_dir),
    }

    def crawl(paths: list[str]) -> dict[str, str]:
        site.add_listing(EN_TOPIC, paths)
        result = run_scrapy_crawl("-a", f"start_urls={site.url(EN_TOPIC)}", settings=settings)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "[py.warnings]" not in result.stderr  # Spidermon adds no warning of its own
        return monitor_results(result.stderr)

    first = crawl([a.path for a in articles[:3]])
    assert first == {
        FINISH: "OK", SCHEMA: "OK", HTTP: "OK",
        COUNT: "SKIPPED (0 earlier finished run(s), 2 needed)",
    }
    second = crawl([a.path for a in articles[:6]])
    assert second[COUNT].startswith("SKIPPED (1 earlier")
    assert set(second.values()) - {second[COUNT]} == {"OK"}
    assert not failed_file.exists()  # no failure, no notification

    site.add_route(articles[6].path, Reply(status=403, body=b"Forbidden"))
    third = crawl([a.path for a in articles])  # one new article, refused with a 403

    assert third == {
        FINISH: "OK", SCHEMA: "OK", COUNT: "FAIL", HTTP: "FAIL",
        "RecordFailedMonitors": "OK",  # the notification action ran
    }
    assert failed_file.read_text().splitlines() == [COUNT, HTTP]
    # every stored item went through Spidermon's validation against the published schema
    assert len(archive_lines(data_dir)) == 6
    with (data_dir / "stats_history" / "dw.pickle").open("rb") as handle:
        history = pickle.load(handle)
    assert [stats["item_scraped_count"] for stats in history if "item_scraped_count" in stats] == [3, 3]
    assert [stats.get("spidermon/validation/items", 0) for stats in history] == [0, 3, 3]
