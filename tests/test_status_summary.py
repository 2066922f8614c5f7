"""The status summary (DATA_DIR/status-summary.sqlite3): always the counts a full scan gives.

Each test changes a real archive on disk the way users and newsbot change it (appends, a
half-written line, compaction, a deleted or corrupt summary, two status calls at once) and
compares the summary's counts with a full scan of every line.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from newsbot.operations import summary_cache
from newsbot.operations.archive_stats import ArchiveSummary, summarize_archive
from newsbot.permalink import permalink_for
from newsbot.storage import archive_dir, status_summary_path
from newsbot.storage.archive import Archive
from newsbot.storage.jsonl import encode_line
from newsbot.storage.lock import RunLock
from tests.conftest import PROJECT_DIR, run_newsbot

TODAY = datetime.now(UTC).date()


def record(content_id: int, day: date, lang: str = "en", second: int = 0) -> dict:
    """An archive line as the pipelines store it, scraped on `day` (UTC)."""
    scraped = f"{day}T12:00:{second:02d}Z"
    return {
        "url": f"https://www.dw.com/{lang}/story/a-{content_id}",
        "content_id": content_id,
        "permalink": permalink_for(content_id),
        "language": lang,
        "title": f"Story {content_id}",
        "summary": "Teaser.",
        "authors": [],
        "editors": [],
        "published": scraped,
        "modified": scraped,
        "topics": [],
        "body": "Text.",
        "image": None,
        "agencies": [],
        "scraped_at": scraped,
    }


def append(path: Path, *lines: dict | bytes) -> None:
    """Append records (encoded as newsbot does) or raw bytes to an archive file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        for line in lines:
            handle.write(line if isinstance(line, bytes) else encode_line(line))


def counts(summary: ArchiveSummary) -> dict:
    """Everything status shows of the archive, as plain data."""
    return {
        "files": summary.files,
        "lines": summary.lines,
        "unreadable": summary.unreadable,
        "invalid": summary.invalid,
        "bad_lines": [(bad.file, bad.line, bad.reason) for bad in summary.examples],
        "editions": {e: (c.total, dict(c.days)) for e, c in summary.editions.items()},
    }


def summarized(data_dir: Path) -> dict:
    """The counts through the summary, after checking them against a full scan of every line."""
    through_summary = counts(summarize_archive(
        archive_dir(data_dir), summary_path=status_summary_path(data_dir)
    ))
    assert through_summary == counts(summarize_archive(archive_dir(data_dir)))
    return through_summary


def read_to(data_dir: Path) -> dict[str, int]:
    with closing(sqlite3.connect(status_summary_path(data_dir))) as db:
        return dict(db.execute("SELECT name, read_to FROM files"))


def test_appends_are_read_from_where_the_last_call_stopped(tmp_path: Path) -> None:
    dw = archive_dir(tmp_path)
    day1, day2, day3 = (TODAY - timedelta(days=back) for back in (3, 2, 1))
    append(dw / f"{day1}.jsonl", record(1, day1), record(2, day1, "de"), b"not json\n",
           {**record(3, day1), "content_id": "many"}, b"[1, 2]\n")
    append(dw / f"{day2}.jsonl", record(1, day2), record(4, day2))  # 1 again: a new version

    first = summarized(tmp_path)

    assert first["editions"] == {"de": (1, {day1: 1}), "en": (3, {day1: 2, day2: 1})}
    assert (first["lines"], first["unreadable"], first["invalid"]) == (7, 2, 1)
    assert [(line, reason.split(" (")[0].split(":")[0]) for _, line, reason in first["bad_lines"]] \
        == [(3, "not JSON"), (4, "does not match the item schema"), (5, "not a JSON object but list")]
    assert read_to(tmp_path) == {p.name: p.stat().st_size for p in dw.glob("*.jsonl")}

    append(dw / f"{day2}.jsonl", record(5, day2, "de"), record(2, day2, "de"))
    append(dw / f"{day3}.jsonl", record(6, day3), record(4, day3), b"{}\n")

    second = summarized(tmp_path)

    assert second["editions"] == {
        "de": (2, {day1: 1, day2: 1}), "en": (4, {day1: 2, day2: 1, day3: 1})
    }
    assert (second["files"], second["lines"], second["invalid"]) == (3, 12, 2)
    assert read_to(tmp_path) == {p.name: p.stat().st_size for p in dw.glob("*.jsonl")}
    # the report's latest articles: the last countable lines in archive order
    latest = summarize_archive(dw, keep_latest=3, summary_path=status_summary_path(tmp_path))
    assert [(r["content_id"], r["scraped_at"][:10]) for r in latest.latest] == [
        (2, str(day2)), (6, str(day3)), (4, str(day3))
    ]


def test_a_half_written_last_line_is_counted_but_not_recorded_as_read(tmp_path: Path) -> None:
    dw = archive_dir(tmp_path)
    path = dw / f"{TODAY}.jsonl"
    whole = encode_line(record(2, TODAY))
    append(path, record(1, TODAY), whole[:30])
    complete_lines = len(encode_line(record(1, TODAY)))

    cut = summarized(tmp_path)

    assert cut["editions"] == {"en": (1, {TODAY: 1})}
    assert (cut["lines"], cut["unreadable"]) == (2, 1)
    assert cut["bad_lines"][0][1:] == (2, "partial last line (cut off by a crash or a full disk)")
    assert read_to(tmp_path) == {path.name: complete_lines}

    append(path, whole[30:], record(3, TODAY, "de"))  # the writer finished the line, then more

    done = summarized(tmp_path)

    assert done["editions"] == {"de": (1, {TODAY: 1}), "en": (2, {TODAY: 2})}
    assert (done["lines"], done["unreadable"], done["bad_lines"]) == (3, 0, [])


def test_rewritten_replaced_and_earlier_files_give_the_counts_of_a_full_scan(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dw = archive_dir(tmp_path)
    day1, day2 = TODAY - timedelta(days=2), TODAY - timedelta(days=1)
    append(dw / f"{day2}.jsonl", record(1, day2), record(2, day2))
    summarized(tmp_path)

    # a file for an earlier day turns up (restored from a backup): article 2 was first stored then
    append(dw / f"{day1}.jsonl", record(2, day1, "de"))
    assert summarized(tmp_path)["editions"] == {"de": (1, {day1: 1}), "en": (1, {day2: 1})}
    assert "rebuilt" not in caplog.text  # new files are read on, not a reason to start over

    # the same file rewritten in place (same inode, same size, other lines)
    (dw / f"{day2}.jsonl").write_bytes(
        encode_line(record(3, day2)) + encode_line(record(4, day2, second=1))
    )
    assert summarized(tmp_path)["editions"] == {"de": (1, {day1: 1}), "en": (2, {day2: 2})}
    assert f"{day2}.jsonl was rewritten" in caplog.text

    # replaced by a new file (a new inode) with other lines
    replacement = dw / "replacement.tmp"
    replacement.write_bytes(encode_line(record(5, day2, "fr")))
    os.replace(replacement, dw / f"{day2}.jsonl")
    assert summarized(tmp_path)["editions"] == {"de": (1, {day1: 1}), "fr": (1, {day2: 1})}
    assert f"{day2}.jsonl was replaced" in caplog.text

    # shrank
    (dw / f"{day1}.jsonl").write_bytes(b"")
    assert summarized(tmp_path)["editions"] == {"fr": (1, {day2: 1})}
    assert f"{day1}.jsonl shrank" in caplog.text


def test_a_summary_of_another_item_schema_or_format_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    append(archive_dir(tmp_path) / f"{TODAY}.jsonl", record(1, TODAY))
    summarized(tmp_path)
    monkeypatch.setattr(summary_cache, "SUMMARY_FORMAT", summary_cache.SUMMARY_FORMAT + 1)

    with caplog.at_level(logging.WARNING):
        assert summarized(tmp_path)["editions"] == {"en": (1, {TODAY: 1})}

    assert "made with another item schema or summary format" in caplog.text


def test_a_busy_summary_is_waited_for_briefly_then_the_archive_is_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    dw = archive_dir(tmp_path)
    append(dw / f"{TODAY}.jsonl", record(1, TODAY))
    summarized(tmp_path)
    append(dw / f"{TODAY}.jsonl", record(2, TODAY))
    monkeypatch.setattr(summary_cache, "BUSY_SECONDS", 0.2)

    with closing(sqlite3.connect(status_summary_path(tmp_path), isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")  # another status in the middle of its update
        busy = summarize_archive(dw, summary_path=status_summary_path(tmp_path))
        other.execute("ROLLBACK")

    assert busy.editions["en"].total == 2
    assert "cannot be used (database is locked): counting the whole archive" in caplog.text
    assert summarized(tmp_path)["editions"] == {"en": (2, {TODAY: 2})}


def test_the_summary_is_created_with_the_file_mode(tmp_path: Path) -> None:
    dw = archive_dir(tmp_path)
    append(dw / f"{TODAY}.jsonl", record(1, TODAY))

    summarize_archive(dw, summary_path=status_summary_path(tmp_path), file_mode=0o600)

    assert stat.S_IMODE(status_summary_path(tmp_path).stat().st_mode) == 0o600


# --- `newsbot status` --------------------------------------------------------------------------


def status_counts(data_dir: Path) -> tuple[dict, str]:
    """`newsbot status --json`: its archive section and per-edition totals, and its stderr."""
    result = run_newsbot("status", "--data-dir", str(data_dir), "--json")
    assert result.returncode == 11, result.stderr  # no run report: unhealthy, but counted
    report = json.loads(result.stdout)
    totals = {edition: counts["total"] for edition, counts in report["editions"].items()}
    return {"totals": totals, **report["archive"]}, result.stderr


def scanned(data_dir: Path) -> dict:
    """What status shows of a full scan of every line."""
    summary = summarize_archive(archive_dir(data_dir), known_editions=["en", "de", "fr"])
    return {
        "totals": {edition: counts.total for edition, counts in summary.editions.items()},
        "files": summary.files, "lines": summary.lines, "articles": summary.articles,
        "unreadable_lines": summary.unreadable, "invalid_lines": summary.invalid,
        "bad_lines": [
            {"file": bad.file, "line": bad.line, "reason": bad.reason} for bad in summary.examples
        ],
        "unknown_editions": summary.unknown_editions,
    }


def build_archive(data_dir: Path) -> None:
    """Two past months and today, written through the real archive (so compaction can run)."""
    archive = Archive(data_dir)
    for day, first_id in ((date(2025, 1, 3), 1), (date(2025, 1, 20), 10), (date(2025, 2, 1), 20)):
        for offset in range(3):
            archive.store(record(first_id + offset, day, ("en", "de", "fr")[offset], offset))
    archive.store(record(1, date(2025, 2, 1), second=5))  # a new version of article 1
    archive.store(record(30, TODAY, "de"))
    archive.close()


def test_status_after_compaction_a_deleted_and_a_corrupt_summary(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    build_archive(data_dir)
    first, stderr = status_counts(data_dir)
    assert first == scanned(data_dir) and stderr == ""
    assert first["totals"] == {"de": 4, "en": 3, "fr": 3} and first["lines"] == 11

    compacted = run_newsbot("compact", "--data-dir", str(data_dir), "--before", str(TODAY))
    assert compacted.returncode == 0, compacted.stderr
    assert sorted(p.name for p in archive_dir(data_dir).glob("*.jsonl")) == [
        "2025-01.jsonl", "2025-02.jsonl", f"{TODAY}.jsonl"
    ]

    after, stderr = status_counts(data_dir)
    assert after == scanned(data_dir) and after["totals"] == first["totals"]
    assert stderr.count("\n") == 1 and "Status summary" in stderr and "rebuilt" in stderr
    assert "is gone (compacted into a monthly file, or deleted)" in stderr

    status_summary_path(data_dir).unlink()
    deleted, stderr = status_counts(data_dir)
    assert deleted == after and stderr == ""

    for damage in (b"garbage " * 512, status_summary_path(data_dir).read_bytes()[:3000]):
        status_summary_path(data_dir).write_bytes(damage)
        corrupt, stderr = status_counts(data_dir)
        assert corrupt == after, stderr
        assert stderr.count("\n") == 1 and "is corrupt" in stderr and "Traceback" not in stderr
        again, stderr = status_counts(data_dir)
        assert again == after and stderr == ""


def test_two_status_calls_at_once_neither_wait_for_a_crawl_nor_corrupt_the_summary(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    dw = archive_dir(data_dir)
    for back in range(30):
        day = TODAY - timedelta(days=back)
        append(dw / f"{day}.jsonl",
               *(record(back * 1000 + i, day, ("en", "de", "fr")[i % 3]) for i in range(300)))
    lock = RunLock(data_dir)
    lock.acquire()  # a crawl is running
    try:
        command = [sys.executable, "-m", "newsbot", "status", "--data-dir", str(data_dir), "--json"]
        calls = [
            subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [call.communicate(timeout=120) for call in calls]
    finally:
        lock.release()

    expected = scanned(data_dir)
    assert expected["articles"] == 9000
    for call, (stdout, stderr) in zip(calls, outputs, strict=True):
        assert call.returncode == 11, stderr
        report = json.loads(stdout)
        assert {e: c["total"] for e, c in report["editions"].items()} == expected["totals"]
    with closing(sqlite3.connect(status_summary_path(data_dir))) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert status_counts(data_dir) == (expected, "")
