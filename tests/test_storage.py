"""The archive on disk: JSONL lines written whole, the SQLite index following the files."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from newsbot.permalink import permalink_for
from newsbot.storage import StorageError
from newsbot.storage.archive import Archive
from newsbot.storage.jsonl import DailyJsonlWriter
from newsbot.storage.seen import MARK_BATCH, SeenStore
from tests.conftest import PROJECT_DIR


def record(content_id: int, day: str = "2026-11-24", **extra: object) -> dict:
    return {
        "url": f"https://www.dw.com/en/x/a-{content_id}",
        "content_id": content_id,
        "permalink": permalink_for(content_id),
        "title": "Überschrift “quoted” – ok",
        "body": "Line one\n\nLine two",
        "modified": None,
        "scraped_at": f"{day}T10:00:00+00:00",
        **extra,
    }


def test_writer_appends_whole_utf8_lines_per_day(tmp_path: Path) -> None:
    writer = DailyJsonlWriter(tmp_path / "dw")
    path, size = writer.write(record(1), date(2026, 11, 24))
    writer.write(record(2), date(2026, 11, 24))
    other, _ = writer.write(record(3), date(2026, 11, 25))
    writer.close()
    assert path.name == "2026-11-24.jsonl" and other.name == "2026-11-25.jsonl"
    raw = path.read_bytes()
    assert size == raw.index(b"\n") + 1
    assert "Überschrift “quoted”".encode() in raw  # not \u-escaped
    lines = raw.decode().splitlines()
    assert [json.loads(line)["content_id"] for line in lines] == [1, 2]
    # appended across runs
    again = DailyJsonlWriter(tmp_path / "dw")
    again.write(record(4), date(2026, 11, 24))
    again.close()
    assert [json.loads(line)["content_id"] for line in path.read_text().splitlines()] == [1, 2, 4]


def test_writer_trims_a_partial_last_line(tmp_path: Path) -> None:
    directory = tmp_path / "dw"
    directory.mkdir()
    path = directory / "2026-11-24.jsonl"
    path.write_bytes(json.dumps(record(1)).encode() + b'\n{"content_id": 2, "tit')
    writer = DailyJsonlWriter(directory)
    writer.write(record(3), date(2026, 11, 24))
    writer.close()
    assert [json.loads(line)["content_id"] for line in path.read_text().splitlines()] == [1, 3]


def test_files_are_not_writable_by_others(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "data")
    stored = archive.store(record(5))
    archive.close()
    for path in (stored, tmp_path / "data" / "seen.sqlite3"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & (stat.S_IWGRP | stat.S_IWOTH) == 0, oct(mode)


def test_seen_store_persists_and_answers_lookups(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.store(record(68117411))
    assert archive.is_stored("https://p.dw.com/p/4boRv")
    assert not archive.is_stored("https://p.dw.com/p/3WRPd")
    archive.close()
    reopened = SeenStore(tmp_path / "seen.sqlite3")
    assert reopened.contains("https://p.dw.com/p/4boRv")
    assert reopened.count() == 1
    reopened.close()


def test_index_catches_up_with_lines_written_before_a_kill(tmp_path: Path) -> None:
    """A line written but never marked (kill between the two) is indexed on the next start."""
    archive = Archive(tmp_path)
    archive.store(record(1))
    archive.close()
    # Simulate: the writer wrote record 2, the process died before mark_stored.
    writer = DailyJsonlWriter(tmp_path / "dw")
    writer.write(record(2), date(2026, 11, 24))
    writer.close()
    again = Archive(tmp_path)
    assert again.is_stored(permalink_for(1)) and again.is_stored(permalink_for(2))
    assert again.seen.count() == 2
    again.close()


def test_a_kill_mid_batch_loses_no_mark_and_stores_nothing_twice(tmp_path: Path) -> None:
    """Marks are committed MARK_BATCH at a time: a process killed with a batch open leaves those
    articles unmarked in SQLite, and the next start indexes them from their lines."""
    stored = MARK_BATCH + MARK_BATCH // 2
    script = (
        "import os, sys\n"
        "from tests.test_storage import record\n"
        "from newsbot.storage.archive import Archive\n"
        "archive = Archive(sys.argv[1])\n"
        f"for content_id in range(1, {stored} + 1):\n"
        "    archive.store(record(content_id))\n"
        "os.kill(os.getpid(), 9)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=PROJECT_DIR)
    assert killed.returncode == -9
    with closing(sqlite3.connect(tmp_path / "seen.sqlite3")) as db:
        (marked,) = db.execute("SELECT count(*) FROM articles").fetchone()
    assert marked == MARK_BATCH  # the open batch died with the process

    again = Archive(tmp_path)
    assert again.seen.count() == stored
    assert all(again.is_stored(permalink_for(content_id)) for content_id in range(1, stored + 1))
    again.store(record(stored + 1))
    again.close()
    lines = (tmp_path / "dw" / "2026-11-24.jsonl").read_text().splitlines()
    assert [json.loads(line)["content_id"] for line in lines] == list(range(1, stored + 2))
    with closing(sqlite3.connect(tmp_path / "seen.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (stored + 1,)


def test_deleted_index_is_rebuilt_from_the_archive(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    for content_id in (10, 11, 12):
        archive.store(record(content_id, day=f"2026-11-2{content_id - 8}"))
    archive.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp_path / "seen.sqlite3") + suffix).unlink(missing_ok=True)
    rebuilt = Archive(tmp_path)
    assert rebuilt.seen.count() == 3
    rebuilt.close()


def test_corrupt_index_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "seen.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match=r"unreadable.*move it aside"):
        Archive(tmp_path)


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    """A path below a regular file cannot be created, even by root."""
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StorageError, match=r"cannot create data directory .*afile/data"):
        Archive(tmp_path / "afile" / "data")
