"""`newsbot status` on data directories left by real crawls on loopback, and on bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.operations.archive_lines import published_day
from tests.conftest import PROJECT_DIR, archive_lines, run_newsbot
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite, Reply

EN_TOPIC = "/en/some-topic/t-1"
DE_TOPIC = "/de/ein-thema/t-2"


def add_articles(site: FakeDwSite, lang: str, first_id: int, count: int) -> list[FakeArticle]:
    return [
        site.add_article(
            FakeArticle(
                content_id=first_id + i,
                slug=f"story-{first_id + i}",
                title=f"Story <{first_id + i}> & more",
                summary="A teaser.",
                paragraphs=["First paragraph.", "Second paragraph."],
                lang=lang,
            )
        )
        for i in range(count)
    ]


def crawl(site: FakeDwSite, data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    start_urls = f"start_urls={site.url(EN_TOPIC)},{site.url(DE_TOPIC)}"
    return run_newsbot("run", "--data-dir", str(data_dir), "-a", start_urls, *extra)


def two_crawls(site: FakeDwSite, data_dir: Path) -> None:
    """Two healthy runs: the second finds three new articles and a new version of an old one."""
    english = add_articles(site, "en", 69100001, 5)
    german = add_articles(site, "de", 69200001, 2)
    site.add_listing(EN_TOPIC, [a.path for a in english[:2]])
    site.add_listing(DE_TOPIC, [a.path for a in german])
    first = crawl(site, data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    site.add_listing(EN_TOPIC, [a.path for a in english])
    english[0].modified = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)  # DW corrected it
    second = crawl(site, data_dir, "-a", "refetch=1")
    assert second.returncode == 0, second.stderr[-3000:]


def status(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_newsbot("status", "--data-dir", str(data_dir), *args)


def last_days(count: int) -> list[str]:
    today = datetime.now(UTC).date()
    return [(today - timedelta(days=back)).isoformat() for back in range(count - 1, -1, -1)]


def test_status_counts_the_distinct_articles_of_two_crawls_and_fails_after_a_failed_run(
    site: FakeDwSite, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    two_crawls(site, data_dir)
    lines = archive_lines(data_dir)  # every line matches the published schema
    assert len(lines) == 8  # seven articles, one of them in two versions

    result = status(data_dir, "--json", "--max-age", "26")

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    first_lines: dict[str, dict] = {}
    for line in lines:
        first_lines.setdefault(line["permalink"], line)
    days = last_days(14)
    expected: dict[str, dict] = {}
    for lang in ("de", "en"):
        stored = Counter(
            r["scraped_at"][:10] for r in first_lines.values() if r["language"] == lang
        )
        published = Counter(
            str(published_day(r["published"]))
            for r in first_lines.values() if r["language"] == lang
        )
        total = sum(stored.values())
        expected[lang] = {
            "total": total,
            "days": {day: stored.get(day, 0) for day in days},
            "published_days": {day: published.get(day, 0) for day in days},
        }
    assert report["editions"] == expected
    assert expected["en"]["total"] == 5 and expected["de"]["total"] == 2
    assert report["healthy"] is True and report["gaps"] == []
    assert [(r["status"], r["stored"], r["failed"]) for r in report["runs"]] == [
        ("ok", 4, 0), ("ok", 4, 0)  # the second: three new articles and one new version
    ]
    assert report["archive"] == {
        "files": len(list((data_dir / "dw").glob("*.jsonl"))), "lines": 8, "articles": 7,
        "unreadable_lines": 0, "invalid_lines": 0, "bad_lines": [], "unknown_editions": {},
    }
    assert set(report) == {
        "runs", "editions", "gaps", "healthy", "exit_code", "problems", "archive",
        "unreadable_reports", "kept_pages",
    }
    pages = sorted((data_dir / "pages").glob("*.warc.gz"))  # one file per run
    assert report["kept_pages"] == {"files": 2, "bytes": sum(p.stat().st_size for p in pages)}

    text = status(data_dir)
    assert text.returncode == 0, text.stderr
    assert ": healthy" in text.stdout.splitlines()[0]
    assert "Runs: 2 since" in text.stdout and "(2 ok, 0 failed)" in text.stdout
    assert "Archive: 7 article(s) in 2 edition(s) (8 line(s)" in text.stdout
    en_row = next(line.split() for line in text.stdout.splitlines() if line.startswith("  en "))
    assert en_row[1] == "5" and en_row[-1] == str(expected["en"]["days"][days[-1]])
    assert "Gaps (no successful run for more than 48 h, or one whose news sitemap no longer " \
        "reached back): none" in text.stdout
    assert re.search(r"Kept pages: 2 file\(s\), [\d.]+ KB in ", text.stdout)
    assert "Problems" not in text.stdout
    assert result.stderr == "" and text.stderr == ""

    site.add_route(EN_TOPIC, Reply(status=404, body=b"gone"))
    site.add_route(DE_TOPIC, Reply(status=404, body=b"gone"))
    failed = crawl(site, data_dir)
    assert failed.returncode == 4, failed.stderr[-3000:]

    after = status(data_dir)
    assert after.returncode == 10, after.stdout
    assert "UNHEALTHY (exit 10)" in after.stdout
    assert "the last run" in after.stdout and "failed: no_listing: no discovery page" in after.stdout
    report = json.loads(status(data_dir, "--json").stdout)
    assert report["healthy"] is False and report["exit_code"] == 10
    assert report["runs"][-1]["status"] == "no_listing"
    assert report["editions"] == expected  # the archive is unchanged


def write_report(runs: Path, started: datetime, status: str = "ok", **extra: object) -> None:
    finished = started + timedelta(minutes=2)
    name = started.strftime("%Y-%m-%dT%H-%M-%S.%fZ") + ".json"
    (runs / name).write_text(json.dumps({
        "status": status, "exit_code": 0 if status == "ok" else 4, "message": status,
        "warnings": [], "started_at": started.isoformat(), "finished_at": finished.isoformat(),
        "articles": {"stored": 3, "failed": 1, "rejected": {"empty": 2}, "dropped": {}},
        **extra,
    }))


def test_a_three_day_gap_is_open_with_its_command_until_a_backfill_covers_it(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    runs.mkdir(parents=True)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    before_gap = now - timedelta(days=5)
    for hours in (0, 6, 12):
        write_report(runs, before_gap + timedelta(hours=hours))
    after_gap = before_gap + timedelta(hours=12, days=3)
    write_report(runs, after_gap)
    write_report(runs, now - timedelta(hours=1))
    (tmp_path / "dw").mkdir()
    (tmp_path / "dw" / f"{now.date()}.jsonl").write_text(json.dumps({
        "url": "https://www.dw.com/fr/x/a-1", "content_id": 1, "permalink": "https://p.dw.com/p/1",
        "language": "fr", "scraped_at": now.isoformat(),
    }) + "\n")
    gap_start = before_gap + timedelta(hours=12, minutes=2)
    backfill = (
        f"newsbot run -a lang=fr -a since={gap_start.date()} -a until={after_gap.date()}"
    )

    text = status(tmp_path, "--max-age", "26")

    assert text.returncode == 13, text.stdout + text.stderr  # an open gap in the days shown
    assert "UNHEALTHY (exit 13)" in text.stdout
    assert (
        f"{gap_start:%Y-%m-%d %H:%M} to {after_gap:%Y-%m-%d %H:%M} (72.0 h) fr: OPEN; "
        f"backfill: {backfill}" in text.stdout
    )
    report = json.loads(status(tmp_path, "--json").stdout)
    assert report["healthy"] is False and report["exit_code"] == 13
    assert report["gaps"] == [{
        "start": gap_start.isoformat(), "end": after_gap.isoformat(), "hours": 72.0,
        "editions": ["fr"], "closed": False, "closed_by": None, "backfill": backfill,
    }]
    assert [run["failed"] for run in report["runs"]] == [3] * 5
    # a gap older than the days asked about is not shown, and does not count
    one_day = json.loads(status(tmp_path, "--json", "--days", "1").stdout)
    assert one_day["gaps"] == [] and one_day["healthy"] is True
    # no successful run within two hours: unhealthy, with its own exit code
    stale = status(tmp_path, "--max-age", "0.5")
    assert stale.returncode == 11 and "no successful run within --max-age 0.5 h" in stale.stdout

    # a backfill of fr that covers every day of it (run after the gap) closes it
    window = {"since": str(gap_start.date()), "until": str(after_gap.date())}
    write_report(runs, after_gap + timedelta(minutes=30), editions=["de"], window=window)
    assert json.loads(status(tmp_path, "--json").stdout)["gaps"][0]["closed"] is False
    backfill_started = after_gap + timedelta(hours=1)
    write_report(runs, backfill_started, editions=["fr"], window=window)
    name = backfill_started.strftime("%Y-%m-%dT%H-%M-%S.%fZ") + ".json"

    closed = status(tmp_path, "--max-age", "26")

    assert closed.returncode == 0, closed.stdout
    assert f"(72.0 h) fr: closed by backfill {name}" in closed.stdout
    assert backfill not in closed.stdout
    (gap,) = json.loads(status(tmp_path, "--json").stdout)["gaps"]
    assert gap["closed"] is True and gap["closed_by"] == [name] and gap["backfill"] is None


def test_bad_input_is_counted_and_named_never_a_traceback(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    runs, archive = data_dir / "runs", data_dir / "dw"
    runs.mkdir(parents=True)
    archive.mkdir()
    now = datetime.now(UTC)
    write_report(runs, now - timedelta(hours=2))
    (runs / "2026-01-01T00-00-00.000000Z.json").write_text('{"status": "ok", "started_at": ')
    (runs / "2026-01-02T00-00-00.000000Z.json").write_text('["not", "a", "report"]')
    good = {
        "url": "https://www.dw.com/en/a/a-68117411", "content_id": 68117411,
        "permalink": "https://p.dw.com/p/4boRv", "language": "en", "title": "T", "summary": None,
        "authors": [], "editors": [], "published": "2024-01-30", "modified": None, "topics": [],
        "body": "B", "image": None, "agencies": [], "scraped_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    unknown = {**good, "permalink": "https://p.dw.com/p/4boRw", "language": "xx"}
    invalid = {**good, "permalink": "https://p.dw.com/p/4boRx", "content_id": "many"}
    (archive / f"{now.date()}.jsonl").write_text(
        json.dumps(good) + "\n" + "this is not json\n" + json.dumps(unknown) + "\n"
        + "[1, 2]\n" + json.dumps(invalid) + "\n" + json.dumps(good)[:40]
    )

    result = status(data_dir, "--json")

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert {e: c["total"] for e, c in report["editions"].items()} == {"en": 2, "xx": 1}
    archive_report = report["archive"]
    assert archive_report["lines"] == 6 and archive_report["articles"] == 3
    assert archive_report["unreadable_lines"] == 3 and archive_report["invalid_lines"] == 1
    assert archive_report["unknown_editions"] == {"xx": 1}
    reasons = [(bad["line"], bad["reason"]) for bad in archive_report["bad_lines"]]
    assert [line for line, _ in reasons] == [2, 4, 5, 6]
    assert reasons[0][1].startswith("not JSON")
    assert reasons[1][1] == "not a JSON object but list"
    assert reasons[2][1].startswith("does not match the item schema: content_id: ")
    assert reasons[3][1].startswith("partial last line")
    assert [r["file"] for r in report["unreadable_reports"]] == [
        "2026-01-01T00-00-00.000000Z.json", "2026-01-02T00-00-00.000000Z.json",
    ]

    text = status(data_dir)
    assert text.returncode == 0 and "Traceback" not in text.stderr
    assert "2 unreadable run report(s): 2026-01-01T00-00-00.000000Z.json" in text.stdout
    assert "3 unreadable archive line(s) (not counted), 1 not matching the item schema" in text.stdout
    assert f"dw/{now.date()}.jsonl:2 not JSON" in text.stdout
    assert "unknown edition(s) in the archive: xx (1 article(s))" in text.stdout


def test_an_empty_data_directory_and_bad_arguments(tmp_path: Path) -> None:
    (tmp_path / "nothing-here").mkdir()  # a missing one is exit 66 (tests/test_bad_paths.py)
    empty = status(tmp_path / "nothing-here")
    assert empty.returncode == 11 and "Traceback" not in empty.stderr
    assert "no run report in" in empty.stdout and "Archive: 0 article(s)" in empty.stdout
    assert json.loads(status(tmp_path / "nothing-here", "--json").stdout)["editions"] == {}

    for args, message in [
        (["--days", "0"], "--days 0: give a number of days of at least 1"),
        (["--max-age", "-3"], "--max-age -3: give a positive number of hours"),
    ]:
        bad = status(tmp_path, *args)
        assert bad.returncode == 2 and bad.stdout == ""
        assert bad.stderr.count("\n") == 1 and message in bad.stderr


def test_the_crontab_status_line_prints_only_when_unhealthy(tmp_path: Path) -> None:
    text = (PROJECT_DIR / "crontab.example").read_text(encoding="utf-8")
    match = re.search(r"^0 7 \* \* \* (?P<command>.*newsbot status --max-age 26.*)$", text, re.M)
    assert match, "crontab.example has no daily status entry"
    project = tmp_path / "project"
    runs = project / "data" / "runs"
    runs.mkdir(parents=True)
    (project / ".venv").symlink_to(Path(sys.executable).parent.parent)
    command = match["command"].replace("/srv/newsbot", str(project))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}

    def cron() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True,
                              timeout=60, check=False)

    write_report(runs, datetime.now(UTC) - timedelta(hours=3))
    healthy = cron()
    assert healthy.returncode == 0 and healthy.stdout == "" and healthy.stderr == ""

    write_report(runs, datetime.now(UTC) - timedelta(hours=1), status="no_listing")
    unhealthy = cron()
    assert "UNHEALTHY (exit 10)" in unhealthy.stdout  # what cron mails
    assert "failed: no_listing" in unhealthy.stdout
