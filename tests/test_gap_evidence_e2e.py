"""Gaps by evidence, not by clock: a regular run warns of a coverage gap when its edition's news
sitemap no longer reaches back to the previous successful run's start, and goes by the clock
only where the sitemap cannot tell. Real `newsbot run` processes against the loopback stand-in.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import run_newsbot
from tests.fakedw.channels import Entry, news_sitemap, serve_xml
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite


def settings(site: FakeDwSite, data_dir: Path) -> dict[str, str]:
    return {
        "NEWSBOT_SITE_URL": site.base_url,
        "NEWSBOT_FEEDS_URL": site.url("/feeds"),
        "NEWSBOT_DATA_DIR": str(data_dir),
    }


def earlier_success(data_dir: Path, started: datetime, **extra: object) -> None:
    runs = data_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    (runs / started.strftime("%Y-%m-%dT%H-%M-%S.%fZ.json")).write_text(json.dumps({
        "status": "ok", "started_at": started.isoformat(),
        "finished_at": (started + timedelta(minutes=1)).isoformat(), **extra,
    }))


def serve(site: FakeDwSite, published: list[datetime], dated: bool = True) -> None:
    entries = []
    for n, moment in enumerate(published):
        article = site.add_article(FakeArticle(
            content_id=71500000 + n, slug=f"story-{n}", title=f"Story {n}", summary="T.",
            paragraphs=["One.", "Two."], published=moment,
        ))
        entries.append(Entry(site.url(article.path), published=moment if dated else None,
                             title=article.title))
    serve_xml(site, "/en/news-sitemap.xml", news_sitemap(entries))


def gap_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "WARNING: Coverage gap" in line]


def last_report(data_dir: Path) -> dict:
    return json.loads(max((data_dir / "runs").glob("*.json")).read_text())


def test_more_than_48_h_is_no_gap_while_the_news_sitemap_reaches_back(
    site: FakeDwSite, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    data_dir = tmp_path / "data"
    previous = now - timedelta(hours=48, minutes=5)  # the clock alone would call it a gap
    earlier_success(data_dir, previous, editions=["en"])
    oldest = previous - timedelta(hours=1)
    serve(site, [oldest, now - timedelta(hours=2)])

    result = run_newsbot("run", "-a", "lang=en", settings=settings(site, data_dir))

    assert result.returncode == 0, result.stderr[-3000:]
    assert gap_warnings(result.stderr) == []
    report = last_report(data_dir)
    assert report["warnings"] == []
    assert report["editions"] == ["en"] and report["window"] is None
    assert datetime.fromisoformat(report["news_sitemap_oldest"]["en"]) == oldest


def test_a_news_sitemap_that_starts_after_the_last_runs_start_is_a_gap(
    site: FakeDwSite, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    data_dir = tmp_path / "data"
    previous = now - timedelta(hours=20)  # well inside 48 h: the clock would say nothing
    earlier_success(data_dir, previous, editions=["en"])
    serve(site, [previous + timedelta(hours=2), now - timedelta(hours=1)])

    result = run_newsbot("run", "-a", "lang=en", settings=settings(site, data_dir))

    assert result.returncode == 0, result.stderr[-3000:]
    (warning,) = gap_warnings(result.stderr)
    assert "oldest entry is newer than that run's start" in warning
    assert (f"Close the gap with: newsbot run -a lang=en -a since={previous.date()} "
            f"-a until={now.date()}") in warning
    assert any("Coverage gap" in w for w in last_report(data_dir)["warnings"])


def test_where_the_sitemap_cannot_tell_the_clock_decides(site: FakeDwSite, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    data_dir = tmp_path / "data"
    earlier_success(data_dir, now - timedelta(hours=50), editions=["en"])
    serve(site, [now - timedelta(hours=60), now - timedelta(hours=1)], dated=False)

    result = run_newsbot("run", "-a", "lang=en", settings=settings(site, data_dir))

    assert result.returncode == 0, result.stderr[-3000:]
    (warning,) = gap_warnings(result.stderr)
    assert "more than NEWSBOT_NEWS_WINDOW_HOURS=48 h" in warning
    assert last_report(data_dir)["news_sitemap_oldest"] == {}
