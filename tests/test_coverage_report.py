"""`newsbot report` after real crawls, opened in Debian's Chromium with the network blocked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Route, sync_playwright

from newsbot import settings as project_settings
from tests.conftest import archive_lines, run_newsbot
from tests.fakedw.server import FakeDwSite, Reply
from tests.test_status import DE_TOPIC, EN_TOPIC, crawl, two_crawls

needs_chromium = pytest.mark.skipif(
    shutil.which(project_settings.NEWSBOT_CHROMIUM_PATH) is None,
    reason="Debian's chromium is not installed (scripts/test.sh installs it)",
)


@needs_chromium
def test_the_report_draws_its_charts_and_tables_in_chromium_without_network(
    site: FakeDwSite, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    two_crawls(site, data_dir)
    site.add_route(EN_TOPIC, Reply(status=404, body=b"gone"))
    site.add_route(DE_TOPIC, Reply(status=404, body=b"gone"))
    assert crawl(site, data_dir).returncode == 4  # a failed run, for the outcomes chart
    out = tmp_path / "coverage.html"

    result = run_newsbot("report", "--data-dir", str(data_dir), "--out", str(out), "--days", "7")

    assert result.returncode == 0, result.stderr[-3000:]
    latest: dict[str, dict] = {}
    for record in archive_lines(data_dir):
        latest.pop(record["permalink"], None)
        latest[record["permalink"]] = record
    expected = list(reversed(latest.values()))
    requests_before = len(site.requested_paths())

    attempted: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=project_settings.NEWSBOT_CHROMIUM_PATH,
            args=project_settings.NEWSBOT_CHROMIUM_ARGS,
            headless=True,
        )
        try:
            page = browser.new_page()
            page.route("**/*", offline)
            page.goto(out.as_uri(), wait_until="load")
            charts = page.locator("section > svg")
            boxes = [chart.bounding_box() for chart in charts.all()]
            # stacked bars: one patch per edition and day, one per outcome and day, one per reason
            patches = [
                chart.locator("g[id^='patch_']").count() for chart in charts.all()
            ]
            rows = page.locator("table.latest tr").count()
            links = page.locator("table.latest a")
            link_texts = links.all_inner_texts()
            hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
            editions = page.locator("table.latest td:nth-child(2)").all_inner_texts()
            heading = page.locator("h1").inner_text()
        finally:
            browser.close()

    assert attempted == []
    assert len(site.requested_paths()) == requests_before  # nothing went to the site either
    assert len(boxes) == 3
    assert all(box and box["width"] > 200 and box["height"] > 100 for box in boxes), boxes
    assert patches[0] >= 2 * 7 and patches[1] >= 2 * 7 and patches[2] >= 2, patches
    assert rows == 1 + len(expected) == 8
    assert link_texts == [record["title"] for record in expected]  # "<" and "&" shown as text
    assert link_texts[0].startswith("Story <")
    assert hrefs == [record["url"] for record in expected]
    assert editions == [record["language"] for record in expected]
    assert heading.startswith("newsbot coverage")
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "@font-face" not in html and "<link" not in html
    assert "Story &lt;69100001&gt; &amp; more" in html


def test_an_unwritable_out_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for out in (tmp_path / "no-such-dir" / "r.html", tmp_path):
        result = run_newsbot("report", "--data-dir", str(tmp_path / "data"), "--out", str(out))
        assert result.returncode == 73, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert f"cannot write the report to {out}: " in result.stderr
    bad_days = run_newsbot("report", "--days", "0", "--out", str(tmp_path / "r.html"))
    assert bad_days.returncode == 2 and "--days 0" in bad_days.stderr
    assert not (tmp_path / "r.html").exists()


def test_page_text_from_the_archive_is_escaped_and_javascript_urls_are_not_links(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "data" / "dw"
    archive.mkdir(parents=True)
    hostile = {
        "url": "javascript:alert(1)", "content_id": 1, "permalink": "https://p.dw.com/p/1",
        "language": "<script>alert(2)</script>", "title": "<img src=x onerror=alert(3)>",
        "published": "<b>", "scraped_at": "2026-12-03T10:00:00Z",
    }
    (archive / "2026-12-03.jsonl").write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"

    result = run_newsbot("report", "--data-dir", str(tmp_path / "data"), "--out", str(out))

    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert 'href="javascript' not in html
    assert "1 not matching the item schema" in html  # the status text names the bad line


def test_closed_gaps_are_shown_closed_and_the_chart_counts_by_publication_day(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime, timedelta

    from matplotlib import pyplot

    from newsbot.operations.coverage_report import _articles_chart
    from newsbot.operations.status import collect_status
    from tests.test_status import write_report

    data_dir = tmp_path / "data"
    runs, archive = data_dir / "runs", data_dir / "dw"
    runs.mkdir(parents=True)
    archive.mkdir()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    today = now.date()
    back = [now - timedelta(days=days) for days in range(8)]
    # en and fr: a gap from 6 to 2 days back; fr's is backfilled, en's is not
    write_report(runs, back[6], editions=["en", "fr"])
    write_report(runs, back[2], editions=["en", "fr"])
    window = {"since": str(back[6].date()), "until": str(today)}
    write_report(runs, back[2] + timedelta(hours=1), editions=["fr"], window=window)
    # three fr articles stored today, published on three earlier days (one of them twice)
    lines = [
        {"url": f"https://www.dw.com/fr/x/a-{n}", "content_id": n, "permalink": f"https://p.dw.com/p/{n}",
         "language": "fr", "published": back[days].isoformat(), "scraped_at": now.isoformat()}
        for n, days in ((1, 5), (2, 4), (3, 4))
    ]
    (archive / f"{today}.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = tmp_path / "r.html"

    result = run_newsbot("report", "--data-dir", str(data_dir), "--out", str(out), "--days", "8")

    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    table = html[html.index('<table class="gaps">'):]
    table = table[:table.index("</table>")]
    closed_row = next(row for row in table.split("<tr") if "<td>fr</td>" in row)
    open_row = next(row for row in table.split("<tr") if "<td>en</td>" in row)
    backfill = (back[2] + timedelta(hours=1)).strftime("%Y-%m-%dT%H-%M-%S.%fZ.json")
    assert 'class="closed"' in closed_row and "newsbot run" not in closed_row
    assert f"closed by backfill {backfill}" in closed_row
    assert 'class="open"' in open_row
    assert f"newsbot run -a lang=en -a since={back[6].date()} -a until={back[2].date()}" in open_row
    assert "Articles per day of publication and edition" in html

    status = collect_status(data_dir, days=8, news_window=timedelta(hours=48))
    figure = _articles_chart(pyplot, status)
    heights = [bar.get_height() for bars in figure.axes[0].containers for bar in bars]
    pyplot.close(figure)
    # one bar per day, oldest first: counted on the days they were published, none today
    assert heights == [0, 0, 1, 2, 0, 0, 0, 0]
