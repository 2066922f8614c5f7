"""The status summary: what `newsbot status` counted last time, so that it reads only what changed.

A year's archive is a million lines; decoding and validating every one of them on each call
takes tens of seconds, while a cron user's morning call has only a day of new lines to look at.
DATA_DIR/status-summary.sqlite3 keeps, per archive file, how far it was read (the bytes of
whole lines, with the file's inode and last bytes read, so a rewritten file is noticed) and its
line and bad-line counts; and one row per permalink: its edition, the UTC day of its first
line and the UTC day that line says it was published, where "first" is archive order (a row
moves when an earlier line of it turns up, say in a file restored from a backup). Distinct
articles per edition and day are then one GROUP BY. A partial last line (being written, or cut
off) is counted in the answer, as the full scan counts it, but never recorded as read: it is
read again next time.

It reads on as every index of the archive does (newsbot.storage.catch_up); beyond the dedupe
index, it also notices a file that was rewritten in place. It is a cache, and never the record:
whenever it cannot be trusted it is rebuilt from the archive, with one warning naming why: a
file shrank, vanished or was replaced (`newsbot compact` folds daily files into monthly ones),
the summary is corrupt, or it was made with another item schema or summary format. Deleting it
is always safe. It is updated in one SQLite transaction, so a killed status leaves the previous
summary, and two status calls at once take turns; one that cannot get its turn within
BUSY_SECONDS (or cannot write the file at all: a read-only account) counts the archive in full
instead. It never touches the run lock or the dedupe index, so it neither blocks nor waits for a
crawl.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsbot.operations.archive_lines import (
    READ_BUFFER,
    ArchiveCounts,
    FileCounts,
    count_key,
    shown_name,
)
from newsbot.schema import SCHEMA_PATH
from newsbot.storage import DEFAULT_FILE_MODE
from newsbot.storage.catch_up import NewLines
from newsbot.storage.layout import file_span

logger = logging.getLogger(__name__)

# Bump when what is stored, or how a line is judged, changes: older summaries are rebuilt.
SUMMARY_FORMAT = 2
# How long a status call waits for another one to finish its update before counting in full.
BUSY_SECONDS = 5.0
# Bytes before `read_to` kept to recognise the file next time (a line is longer than this).
TAIL_BYTES = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS about (fingerprint TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    name       TEXT PRIMARY KEY,  -- in DATA_DIR/dw
    inode      INTEGER NOT NULL,
    read_to    INTEGER NOT NULL,  -- bytes of whole lines counted
    tail       BLOB NOT NULL,     -- the TAIL_BYTES before read_to
    lines      INTEGER NOT NULL,
    unreadable INTEGER NOT NULL,
    invalid    INTEGER NOT NULL,
    examples   TEXT NOT NULL      -- JSON: [[line number, reason], ...]
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS articles (
    permalink TEXT PRIMARY KEY,
    edition   TEXT NOT NULL,
    day       INTEGER NOT NULL,   -- date.toordinal() of the UTC day of its first line
    published INTEGER,            -- date.toordinal() of its first line's UTC day published
    file_rank INTEGER NOT NULL,   -- where its first line is, in archive order
    offset    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS articles_by_day ON articles (edition, day);
"""
_TABLES = ("about", "files", "articles")
_NEW = "no summary yet"
_ADD_ARTICLE = (
    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (permalink) DO UPDATE SET"
    " edition = excluded.edition, day = excluded.day, published = excluded.published,"
    " file_rank = excluded.file_rank,"
    " offset = excluded.offset"
    " WHERE (excluded.file_rank, excluded.offset) < (articles.file_rank, articles.offset)"
)


class _Garbled(Exception):
    """The summary holds something it never writes: corrupt although SQLite can read it."""


@dataclass
class _FileState:
    """One `files` row: how far a file was read, and its counts up to there."""

    inode: int
    read_to: int
    tail: bytes
    counts: FileCounts


class SummaryCache:
    """DATA_DIR/status-summary.sqlite3: the archive's counts, brought up to date on each call."""

    def __init__(self, path: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
        self.path = path
        self.file_mode = file_mode

    def count(self, files: list[Path]) -> ArchiveCounts | None:
        """Counts of `files` (archive order), exactly as a full scan gives them; None when the
        summary cannot be used now (busy, unwritable), after one warning: then scan in full."""
        try:
            return self._update(files)
        except sqlite3.OperationalError as exc:  # busy, read-only, disk full: not the file's fault
            return self._unusable(exc)
        except (sqlite3.DatabaseError, _Garbled) as exc:
            logger.warning(
                "Status summary %s is corrupt (%s): rebuilding it from the archive", self.path, exc
            )
        try:
            self._remove()
            return self._update(files)
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._unusable(exc)

    def _unusable(self, exc: Exception) -> None:
        logger.warning(
            "Status summary %s cannot be used (%s): counting the whole archive", self.path, exc
        )
        return None

    def _update(self, files: list[Path]) -> ArchiveCounts:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")  # the write lock first: concurrent calls take turns
            try:
                counts = self._bring_up_to_date(db, files)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLite itself rolls back on some errors (disk full)
                    db.execute("ROLLBACK")
                raise
            return counts
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            try:
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, self.file_mode))
            except OSError as exc:
                raise sqlite3.OperationalError(f"cannot create it: {exc.strerror}") from exc
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            db.execute("PRAGMA cache_size = -65536")  # 64 MiB: a first build spills no pages early
            _create_tables(db)
        except BaseException:
            db.close()
            raise
        return db

    def _remove(self) -> None:
        """Delete a corrupt summary, with a journal that would be replayed into its successor."""
        for path in (self.path, self.path.with_name(f"{self.path.name}-journal")):
            path.unlink(missing_ok=True)

    def _bring_up_to_date(self, db: sqlite3.Connection, files: list[Path]) -> ArchiveCounts:
        stored = _load(db)
        reason = _why_stale(db, stored, files)
        if reason is not None:
            if reason == _NEW:
                logger.info("Building the status summary %s: one read of the archive", self.path)
            else:
                logger.warning("Status summary %s rebuilt from the archive: %s", self.path, reason)
            for table in _TABLES:  # dropped: an older format may have other columns
                db.execute(f"DROP TABLE IF EXISTS {table}")
            _create_tables(db)
            db.execute("INSERT INTO about VALUES (?)", (_fingerprint(),))
            stored = {}
        counted = [_read_on(db, path, stored.get(path.name)) for path in files]
        per_day: Counter[tuple[str, date]] = Counter()
        for edition, day, articles in db.execute(
            "SELECT edition, day, count(*) FROM articles GROUP BY edition, day"
        ):
            per_day[edition, date.fromordinal(day)] = articles
        per_published_day: Counter[tuple[str, date]] = Counter()
        for edition, day, articles in db.execute(
            "SELECT edition, published, count(*) FROM articles WHERE published IS NOT NULL"
            " GROUP BY edition, published"
        ):
            per_published_day[edition, date.fromordinal(day)] = articles
        return ArchiveCounts(counted, per_day, per_published_day)


def _create_tables(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _fingerprint() -> str:
    """What the stored counts depend on besides the archive: this format and the item schema."""
    schema = hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()[:16]
    return f"{SUMMARY_FORMAT}:{schema}"


def _load(db: sqlite3.Connection) -> dict[str, _FileState]:
    stored = {}
    for name, inode, read_to, tail, lines, unreadable, invalid, examples in db.execute(
        "SELECT name, inode, read_to, tail, lines, unreadable, invalid, examples FROM files"
    ):
        try:
            named = [(int(line), str(reason)) for line, reason in json.loads(examples)]
        except (ValueError, TypeError) as exc:
            raise _Garbled(f"the bad lines of {name} are garbled ({exc})") from None
        counts = FileCounts(shown_name(Path("dw", name)), lines, unreadable, invalid, named)
        stored[name] = _FileState(inode, read_to, bytes(tail), counts)
    return stored


def _why_stale(
    db: sqlite3.Connection, stored: dict[str, _FileState], files: list[Path]
) -> str | None:
    """Why the summary cannot be brought up to date by reading on (None: it can)."""
    row = db.execute("SELECT fingerprint FROM about").fetchone()
    if row is None:
        return _NEW
    if row[0] != _fingerprint():
        return "it was made with another item schema or summary format"
    present = {path.name: path for path in files}
    for name, state in stored.items():
        path = present.get(name)
        if path is None:
            return f"{name} is gone (compacted into a monthly file, or deleted)"
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_ino != state.inode:
                return f"{name} was replaced"
            if stat.st_size < state.read_to:
                return f"{name} shrank"
            start = state.read_to - len(state.tail)
            if os.pread(handle.fileno(), len(state.tail), start) != state.tail:
                return f"{name} was rewritten"
    return None


def _read_on(db: sqlite3.Connection, path: Path, state: _FileState | None) -> FileCounts:
    """Count the lines of `path` beyond what `state` read; record them; return the file's counts.

    A partial last line is counted in what is returned but not recorded, so the next call reads
    it again, whole by then or still partial.
    """
    counts = state.counts if state else FileCounts(shown_name(path))
    start = state.read_to if state else 0
    span = file_span(path)
    assert span is not None  # archive files are named by their day or month
    rank = span[0].toordinal() * 2 + (span[0] == span[1])  # layout.file_order's order
    articles: dict[str, tuple[str, str, int, int | None, int, int]] = {}
    with path.open("rb", buffering=READ_BUFFER) as handle:
        stat = os.fstat(handle.fileno())
        if state and stat.st_size == start:
            return counts
        lines = NewLines(handle, start)
        for position, raw in lines:
            record = counts.read(raw)
            key = count_key(record) if record is not None else None
            if key is not None and key[0] not in articles:
                permalink, edition, day, published = key
                articles[permalink] = (
                    permalink, edition, day.toordinal(),
                    published.toordinal() if published else None, rank, position,
                )
        position, partial = lines.end, lines.partial
        handle.seek(max(0, position - TAIL_BYTES))
        tail = handle.read(position - handle.tell())
    db.executemany(_ADD_ARTICLE, articles.values())
    db.execute(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (path.name, stat.st_ino, position, tail, counts.lines, counts.unreadable, counts.invalid,
         json.dumps(counts.examples)),
    )
    if partial:
        counts.read(partial)
    return counts
