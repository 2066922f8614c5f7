"""The dedupe index: which DW permalinks are already in the archive.

SQLite, queried one key at a time, so a million stored articles cost neither start-up time nor
memory. The JSONL files are the record and this index follows them: it remembers, per file, up
to which byte it has indexed, and `catch_up` reads whatever lies beyond (lines written just
before a kill, or a whole archive when the index was deleted). So a crash between writing a
line and marking it can never lead to the article being stored twice.

That is also what lets `mark_stored` commit in batches (MARK_BATCH marks a transaction): a kill
rolls back at most the open batch, whose lines are in the JSONL files beyond the committed
`indexed_bytes`, so the next start indexes them again; nothing is lost or stored twice. Lookups
go through the same connection and so see the open batch too.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from newsbot.storage import DEFAULT_FILE_MODE, StorageError
from newsbot.storage.catch_up import NewLines, unread_files

logger = logging.getLogger(__name__)

# Marks per transaction: one commit per article cost more than the rest of the mark.
MARK_BATCH = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    permalink  TEXT PRIMARY KEY,
    content_id INTEGER NOT NULL,
    modified   TEXT,
    file       TEXT NOT NULL,
    stored_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS indexed_files (
    name          TEXT PRIMARY KEY,
    indexed_bytes INTEGER NOT NULL
) WITHOUT ROWID;
"""


class SeenStore:
    """Permalinks already stored, with the archive file and `modified` of each."""

    def __init__(self, path: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
        self.path = path
        self._uncommitted_marks = 0  # in the open transaction, committed at MARK_BATCH
        try:
            if not path.exists():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, file_mode))
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:  # locked, unopenable, disk full: not corrupt
            raise StorageError(f"cannot open dedupe database {path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"dedupe database {path} is unreadable ({exc}); move it aside and rerun: "
                "it is rebuilt from the JSONL archive"
            ) from exc
        except OSError as exc:
            raise StorageError(f"cannot create dedupe database {path}: {exc.strerror}") from exc

    @contextmanager
    def _failures(self, doing: str) -> Iterator[None]:
        """Turn SQLite and file errors (disk full, I/O error) into a one-line StorageError."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(
                f"dedupe database {self.path}: cannot {doing} ({exc}); the JSONL archive is "
                "intact and the index catches up with it on the next run"
            ) from exc

    def contains(self, permalink: str) -> bool:
        """True when the article with this permalink is in the archive."""
        with self._failures("look up an article"):
            row = self._db.execute(
                "SELECT 1 FROM articles WHERE permalink = ?", (permalink,)
            ).fetchone()
        return row is not None

    def modified_of(self, permalink: str) -> str | None:
        """The `modified` value of the stored version, or None (unknown or not stored)."""
        with self._failures("look up an article"):
            row = self._db.execute(
                "SELECT modified FROM articles WHERE permalink = ?", (permalink,)
            ).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        """How many articles the archive holds."""
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def mark_stored(
        self, permalink: str, content_id: int, modified: str | None, file: Path, indexed_to: int
    ) -> None:
        """Record a line written to `file`, which is now indexed up to byte `indexed_to`.

        Committed with the batch it belongs to (see the module docstring), at the latest by
        `flush` or `close`.
        """
        with self._failures("mark an article stored"):
            if not self._db.in_transaction:
                self._db.execute("BEGIN")
            self._upsert(permalink, content_id, modified, file.name)
            self._db.execute(
                "INSERT OR REPLACE INTO indexed_files (name, indexed_bytes) VALUES (?, ?)",
                (file.name, indexed_to),
            )
            self._uncommitted_marks += 1
            if self._uncommitted_marks >= MARK_BATCH:
                self.flush()

    def flush(self) -> None:
        """Commit the marks of the open batch."""
        with self._failures("mark articles stored"):
            if self._db.in_transaction:
                self._db.execute("COMMIT")
        self._uncommitted_marks = 0

    def replace_files(self, old: list[str], new: Path) -> None:
        """Point the index at `new`, which now holds every line of the `old` files (compaction).

        One transaction: the articles of the old files move to the new one, and `new` counts as
        indexed to its full size, so `catch_up` neither re-reads it nor misses a later append.
        """
        with self._failures(f"record the compaction into {new.name}"), self._transaction():
            self._db.executemany(
                "UPDATE articles SET file = ? WHERE file = ?", [(new.name, name) for name in old]
            )
            self._db.executemany(
                "DELETE FROM indexed_files WHERE name = ?", [(name,) for name in old]
            )
            self._db.execute(
                "INSERT OR REPLACE INTO indexed_files (name, indexed_bytes) VALUES (?, ?)",
                (new.name, new.stat().st_size),
            )

    def catch_up(self, archive: Path) -> int:
        """Index lines of the JSONL files beyond what this index has seen; return how many."""
        if not archive.is_dir():
            return 0
        added = 0
        with self._failures(f"index the archive in {archive}"):
            indexed = dict(self._db.execute("SELECT name, indexed_bytes FROM indexed_files"))
            for path, start in unread_files(archive, indexed):
                added += self._index_file(path, start)
        if added:
            logger.info("Dedupe index caught up with %d article(s) from %s", added, archive)
        return added

    def _index_file(self, path: Path, start: int) -> int:
        added = 0
        with path.open("rb") as handle, self._transaction():
            lines = NewLines(handle, start)  # a partial tail is not stored: the writer trims it
            for position, raw in lines:
                try:
                    record = json.loads(raw)
                    permalink, content_id = record["permalink"], int(record["content_id"])
                except (ValueError, KeyError, TypeError):
                    logger.warning("Skipping an unreadable line in %s at byte %d", path, position)
                    continue
                self._upsert(permalink, content_id, record.get("modified"), path.name)
                added += 1
            self._db.execute(
                "INSERT OR REPLACE INTO indexed_files (name, indexed_bytes) VALUES (?, ?)",
                (path.name, lines.end),
            )
        return added

    def _upsert(self, permalink: str, content_id: int, modified: str | None, file: str) -> None:
        self._db.execute(
            "INSERT INTO articles (permalink, content_id, modified, file, stored_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (permalink) DO UPDATE SET modified = excluded.modified,"
            " file = excluded.file, stored_at = excluded.stored_at",
            (permalink, content_id, modified, file, datetime.now(UTC).isoformat()),
        )

    def _transaction(self) -> _Commit:
        self.flush()  # the open batch first, so that a rollback below cannot take it along
        self._db.execute("BEGIN")
        return _Commit(self._db)

    def close(self) -> None:
        """Commit the open batch and close the database (SQLite checkpoints the WAL)."""
        try:
            self.flush()
        finally:
            self._db.close()


class _Commit:
    """Context manager that commits on success and rolls back on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        return self._db

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
