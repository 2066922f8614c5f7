"""`python -m newsbot compact`: monthly files, nothing lost, the dedupe index still right."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from newsbot.permalink import permalink_for
from newsbot.storage.archive import Archive
from newsbot.storage.lock import RunLock
from newsbot.storage.seen import SeenStore
from tests.conftest import archive_lines, read_jsonl, run_newsbot

TODAY = datetime.now(UTC).date()
THIS_MONTH = TODAY.strftime("%Y-%m")


def record(content_id: int, scraped_at: str) -> dict:
    return {
        "url": f"https://www.dw.com/en/story/a-{content_id}",
        "content_id": content_id,
        "permalink": permalink_for(content_id),
        "language": "en",
        "title": f"Story {content_id}",
        "summary": "Teaser.",
        "authors": [],
        "published": scraped_at,
        "modified": scraped_at,
        "topics": [],
        "body": "Text.",
        "image": None,
        "agencies": [],
        "scraped_at": scraped_at,
    }


def build_archive(data_dir: Path) -> list[dict]:
    """Lines on days of two past months and of the current month (one article in two versions)."""
    lines = [
        record(1, "2025-01-03T10:00:00+00:00"),
        record(2, "2025-01-20T10:00:00+00:00"),
        record(1, "2025-01-21T10:00:00+00:00"),  # a newer version of 1
        record(3, "2025-02-01T00:00:00+00:00"),
        record(4, "2025-02-28T23:59:59+00:00"),
        record(5, f"{TODAY.isoformat()}T00:00:01+00:00"),
    ]
    archive = Archive(data_dir)
    for line in lines:
        archive.store(line)
    archive.close()
    return lines


def compact(data_dir: Path, before: str) -> tuple[int, str]:
    result = run_newsbot("compact", "--data-dir", str(data_dir), "--before", before)
    return result.returncode, result.stderr


def index_rows(data_dir: Path) -> tuple[dict[str, str], dict[str, int]]:
    with sqlite3.connect(data_dir / "seen.sqlite3") as db:
        files = dict(db.execute("SELECT permalink, file FROM articles"))
        indexed = dict(db.execute("SELECT name, indexed_bytes FROM indexed_files"))
    return files, indexed


def test_compact_folds_past_months_and_keeps_the_index_valid(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    lines = build_archive(data_dir)
    directory = data_dir / "dw"

    code, output = compact(data_dir, TODAY.isoformat())

    assert code == 0, output
    assert "compacted 3 daily file(s) into" in output and "2025-01.jsonl (3 lines)" in output
    names = sorted(p.name for p in directory.glob("*.jsonl"))
    assert names == ["2025-01.jsonl", "2025-02.jsonl", f"{TODAY.isoformat()}.jsonl"]
    assert read_jsonl(directory / "2025-01.jsonl") == lines[:3]  # every version, in order
    assert Counter(map(str, archive_lines(data_dir))) == Counter(map(str, lines))
    files, indexed = index_rows(data_dir)
    assert files[permalink_for(1)] == files[permalink_for(2)] == "2025-01.jsonl"
    assert files[permalink_for(4)] == "2025-02.jsonl"
    assert set(indexed) == set(names)
    assert indexed["2025-02.jsonl"] == (directory / "2025-02.jsonl").stat().st_size
    # the index needs no catch-up and still knows every article
    seen = SeenStore(data_dir / "seen.sqlite3")
    try:
        assert seen.catch_up(directory) == 0
        assert seen.count() == 5
        assert seen.modified_of(permalink_for(1)) == lines[2]["modified"]
    finally:
        seen.close()
    # a rebuilt index (seen.sqlite3 deleted) reads the monthly files to the same result
    for path in data_dir.glob("seen.sqlite3*"):
        path.unlink()
    rebuilt = SeenStore(data_dir / "seen.sqlite3")
    try:
        assert rebuilt.catch_up(directory) == 6
        assert rebuilt.count() == 5
        assert rebuilt.modified_of(permalink_for(1)) == lines[2]["modified"]
    finally:
        rebuilt.close()
    # merge reads monthly files like daily ones
    merged = tmp_path / "merged.jsonl"
    result = run_newsbot(
        "merge", "--data-dir", str(data_dir), "--from", "2025-01-01", "--to", "2025-02-28",
        "--out", str(merged),
    )
    assert result.returncode == 0, result.stderr
    assert sorted((r["content_id"], r["scraped_at"]) for r in read_jsonl(merged)) == [
        (1, lines[2]["scraped_at"]), (2, lines[1]["scraped_at"]),
        (3, lines[3]["scraped_at"]), (4, lines[4]["scraped_at"]),
    ]


def test_compact_only_takes_whole_months_before_the_date(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    build_archive(data_dir)
    code, output = compact(data_dir, "2025-02-28")  # February has not ended by then
    assert code == 0, output
    names = sorted(p.name for p in (data_dir / "dw").glob("*.jsonl"))
    assert names == [
        "2025-01.jsonl", "2025-02-01.jsonl", "2025-02-28.jsonl", f"{TODAY.isoformat()}.jsonl"
    ]
    code, output = compact(data_dir, "2025-02-28")
    assert code == 0 and "nothing to compact before 2025-02-28" in output
    code, output = compact(data_dir, "2099-01-01")  # never the current month
    assert code == 0, output
    assert (data_dir / "dw" / f"{TODAY.isoformat()}.jsonl").exists()
    assert not (data_dir / "dw" / f"{THIS_MONTH}.jsonl").exists()


def test_compact_after_an_interrupted_compaction_writes_each_line_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    lines = build_archive(data_dir)
    directory = data_dir / "dw"
    saved = tmp_path / "saved"
    saved.mkdir()
    for path in directory.glob("2025-01-*.jsonl"):
        shutil.copy2(path, saved / path.name)
    assert compact(data_dir, "2025-02-01")[0] == 0
    # As if the previous compaction had died after writing 2025-01.jsonl: the dailies are back.
    for path in saved.iterdir():
        shutil.copy2(path, directory / path.name)

    code, output = compact(data_dir, "2025-02-01")

    assert code == 0, output
    assert read_jsonl(directory / "2025-01.jsonl") == lines[:3]
    assert not list(directory.glob("2025-01-*.jsonl"))


def test_compact_waits_for_no_running_crawl(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    build_archive(data_dir)
    with RunLock(data_dir):
        code, output = compact(data_dir, TODAY.isoformat())
    assert code == 75
    assert "another newsbot run holds" in output
    assert len(list((data_dir / "dw").glob("*.jsonl"))) == 6
