"""Acceptance: daily runs, an outage longer than the news window, the backfill command the run
prints; then `newsbot status` shows the gap closed, is healthy, and counts per day what the
archive holds. Real `newsbot run` and `newsbot status` processes against the loopback stand-in.

The days go by between runs without waiting: after each of the daily runs, its run report is
moved back to the day it stands for (its times and its name, which sort by start), as if it had
run then. The articles carry the publication dates of those days.
"""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.operations.archive_lines import published_day
from tests.conftest import archive_lines, run_newsbot
from tests.fakedw.channels import Entry, news_sitemap, serve_xml
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite


def article(site: FakeDwSite, content_id: int, published: datetime) -> FakeArticle:
    return site.add_article(FakeArticle(
        content_id=content_id, slug=f"story-{content_id}", title=f"Story {content_id}",
        summary="A teaser.", paragraphs=["First paragraph.", "Second paragraph."],
        published=published,
    ))


def settings(site: FakeDwSite, data_dir: Path) -> dict[str, str]:
    return {
        "NEWSBOT_SITE_URL": site.base_url,
        "NEWSBOT_FEEDS_URL": site.url("/feeds"),
        "NEWSBOT_DATA_DIR": str(data_dir),
    }


def serve_news_sitemap(site: FakeDwSite, articles: list[FakeArticle]) -> None:
    """The news sitemap as DW serves it: the articles of about the last two days."""
    serve_xml(site, "/en/news-sitemap.xml", news_sitemap(
        [Entry(site.url(a.path), published=a.published, title=a.title) for a in articles]
    ))


def backdate_last_report(data_dir: Path, started: datetime) -> None:
    """Move the newest run report to `started`, as if the run had been then."""
    runs = data_dir / "runs"
    path = max(runs.glob("*.json"))
    report = json.loads(path.read_text())
    duration = timedelta(seconds=report["duration_seconds"])
    report["started_at"] = started.isoformat()
    report["finished_at"] = (started + duration).isoformat()
    path.unlink()
    (runs / started.strftime("%Y-%m-%dT%H-%M-%S.%fZ.json")).write_text(json.dumps(report))


def test_a_backfill_closes_the_gap_an_outage_left(site: FakeDwSite, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def day(back: int, hour: int) -> datetime:
        return today - timedelta(days=back) + timedelta(hours=hour)

    # two articles a day; the machine is off from day 4 to day 1 back
    published = {back: [article(site, 71000000 + back * 10 + n, day(back, 6 + n))
                        for n in range(2)] for back in range(6, 0, -1)}
    published[0] = [article(site, 71000000, today)]
    serve_xml(site, "/en/article-sitemap.xml", news_sitemap(
        [Entry(site.url(a.path), published=a.published) for group in published.values()
         for a in group]
    ))
    data_dir = tmp_path / "data"
    roots = settings(site, data_dir)

    for back in (6, 5):  # the daily runs, at 10:00 of their day
        serve_news_sitemap(site, published.get(back + 1, []) + published[back])
        daily = run_newsbot("run", "-a", "lang=en", settings=roots)
        assert daily.returncode == 0, daily.stderr[-3000:]
        assert "Coverage gap" not in daily.stderr
        backdate_last_report(data_dir, day(back, 10))

    # back after the outage: the news sitemap starts on day 1, after the last run's start
    serve_news_sitemap(site, published[1] + published[0])
    after = run_newsbot("run", "-a", "lang=en", settings=roots)

    assert after.returncode == 0, after.stderr[-3000:]
    (warning,) = [line for line in after.stderr.splitlines() if "WARNING: Coverage gap" in line]
    command = re.search(r"Close the gap with: (newsbot run .*)$", warning)[1]  # type: ignore[index]
    assert command == (f"newsbot run -a lang=en -a since={day(5, 0).date()} "
                       f"-a until={today.date()}")
    before = json.loads(run_newsbot("status", "--data-dir", str(data_dir), "--json").stdout)
    assert before["healthy"] is False and before["exit_code"] == 13
    (open_gap,) = before["gaps"]
    assert open_gap["closed"] is False and open_gap["backfill"] == command
    missing = {a.content_id for back in (4, 3, 2) for a in published[back]}
    assert not missing & {r["content_id"] for r in archive_lines(data_dir)}

    backfill = run_newsbot(*shlex.split(command)[1:], settings=roots)

    assert backfill.returncode == 0, backfill.stderr[-3000:]
    backfill_report = max((data_dir / "runs").glob("*.json"))
    recorded = json.loads(backfill_report.read_text())
    assert recorded["editions"] == ["en"]
    assert recorded["window"] == {"since": str(day(5, 0).date()), "until": str(today.date())}
    result = run_newsbot("status", "--data-dir", str(data_dir), "--json", "--max-age", "26")
    assert result.returncode == 0, result.stdout + result.stderr
    status = json.loads(result.stdout)
    assert status["healthy"] is True and status["problems"] == []
    (gap,) = status["gaps"]
    assert gap["closed"] is True and gap["backfill"] is None
    assert gap["closed_by"] == [backfill_report.name] and gap["editions"] == ["en"]
    # every article is in the archive once, and counted on the day it was published
    lines = archive_lines(data_dir)
    stored = {r["content_id"] for r in lines}
    assert stored == {a.content_id for group in published.values() for a in group}
    assert len(lines) == len(stored)
    by_published = Counter(str(published_day(r["published"])) for r in lines)
    by_stored = Counter(r["scraped_at"][:10] for r in lines)
    en = status["editions"]["en"]
    assert en["total"] == len(stored) == 13
    assert en["published_days"] == {d: by_published.get(d, 0) for d in en["days"]}
    assert [en["published_days"][str(day(back, 0).date())] for back in range(6, -1, -1)] == [
        2, 2, 2, 2, 2, 2, 1
    ]
    assert en["days"] == {d: by_stored.get(d, 0) for d in en["days"]}  # stored-per-day stays
    text = run_newsbot("status", "--data-dir", str(data_dir), "--max-age", "26")
    assert text.returncode == 0 and f"closed by backfill {backfill_report.name}" in text.stdout
    assert "Articles per UTC day published" in text.stdout
