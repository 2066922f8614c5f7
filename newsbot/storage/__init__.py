"""The archive on disk: daily JSONL files (the record) and a SQLite index of what is stored.

Layout under NEWSBOT_DATA_DIR:
    dw/YYYY-MM-DD.jsonl   one article per line, by the UTC day it was scraped
    seen.sqlite3          permalinks already stored, rebuilt from the JSONL files when behind
"""

from __future__ import annotations

from pathlib import Path

ARCHIVE_SUBDIR = "dw"
SEEN_DB_NAME = "seen.sqlite3"
# Files are written owner read/write, group read; directories likewise (umask may narrow them).
DEFAULT_FILE_MODE = 0o640
DEFAULT_DIR_MODE = 0o750


class StorageError(RuntimeError):
    """The archive cannot be used (unwritable, full, corrupt); the message says what to do."""


def archive_dir(data_dir: str | Path) -> Path:
    """Where the daily JSONL files of the dw spider live."""
    return Path(data_dir) / ARCHIVE_SUBDIR


def seen_db_path(data_dir: str | Path) -> Path:
    """Where the dedupe index lives."""
    return Path(data_dir) / SEEN_DB_NAME


def ensure_dir(path: Path, mode: int = DEFAULT_DIR_MODE) -> Path:
    """Create `path` (and parents) or raise StorageError naming it and the reason."""
    try:
        path.mkdir(mode=mode, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create data directory {path}: {exc.strerror or exc}") from exc
    if not path.is_dir():
        raise StorageError(f"data directory {path} exists but is not a directory")
    return path
