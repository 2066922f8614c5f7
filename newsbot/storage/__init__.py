"""The archive on disk: daily JSONL files (the record) and a SQLite index of what is stored.

Layout under NEWSBOT_DATA_DIR:
    dw/YYYY-MM-DD.jsonl   one article per line, by the UTC day it was scraped
    seen.sqlite3          permalinks already stored, rebuilt from the JSONL files when behind
    status-summary.sqlite3  what `newsbot status` counted so far (a cache; safe to delete)
"""

from __future__ import annotations

from pathlib import Path

from newsbot.errors import NewsbotError

ARCHIVE_SUBDIR = "dw"
SEEN_DB_NAME = "seen.sqlite3"
STATUS_SUMMARY_NAME = "status-summary.sqlite3"
# Files are written owner read/write, group read; directories likewise (umask may narrow them).
DEFAULT_FILE_MODE = 0o640
DEFAULT_DIR_MODE = 0o750


class StorageError(NewsbotError, RuntimeError):
    """The archive cannot be used (unwritable, full, corrupt); the message says what to do."""


def archive_dir(data_dir: str | Path) -> Path:
    """Where the daily JSONL files of the dw spider live."""
    return Path(data_dir) / ARCHIVE_SUBDIR


def seen_db_path(data_dir: str | Path) -> Path:
    """Where the dedupe index lives."""
    return Path(data_dir) / SEEN_DB_NAME


def status_summary_path(data_dir: str | Path) -> Path:
    """Where `newsbot status` keeps its archive summary (newsbot.operations.summary_cache)."""
    return Path(data_dir) / STATUS_SUMMARY_NAME


def file_mode(value: int | str | None) -> int:
    """NEWSBOT_FILE_MODE as an int: 0o640, "640" and "0o640" all mean rw-r-----.

    A string is read as octal, as chmod reads it. A mode that lets every local user write the
    archive is refused: an unattended archive must not be editable by other accounts.
    """
    if value is None or value == "":
        return DEFAULT_FILE_MODE
    try:
        mode = value if isinstance(value, int) else int(str(value).strip().removeprefix("0o"), 8)
    except ValueError:
        raise StorageError(
            f"NEWSBOT_FILE_MODE: {value!r} is not an octal file mode such as 640 or 600"
        ) from None
    if not 0 <= mode <= 0o777:
        raise StorageError(f"NEWSBOT_FILE_MODE: {value!r} is not a file mode (000 to 777)")
    if mode & 0o002:
        raise StorageError(
            f"NEWSBOT_FILE_MODE: {mode:o} lets every local user write the archive; use 640 or 600"
        )
    return mode


def dir_mode_for(mode: int) -> int:
    """The directory mode matching a file mode: whoever may read files may list them."""
    return mode | ((mode & 0o444) >> 2) | 0o700


def ensure_dir(path: Path, mode: int = DEFAULT_DIR_MODE) -> Path:
    """Create `path` (and parents) or raise StorageError naming it and the reason."""
    try:
        path.mkdir(mode=mode, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create data directory {path}: {exc.strerror or exc}") from exc
    if not path.is_dir():
        raise StorageError(f"data directory {path} exists but is not a directory")
    return path
