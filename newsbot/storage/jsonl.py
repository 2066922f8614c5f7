"""Append-only daily JSONL files, written so that a crash never leaves a half line behind.

Each record is encoded in full, then handed to the kernel in one `os.write` on an O_APPEND
descriptor: the line is either wholly in the file or not at all, and it survives a killed
process (the kernel holds it). `close()` fsyncs, so it also survives a power loss after a clean
stop. A partial last line can only come from a machine crash or a full disk; `open` trims it,
and since its permalink was never marked stored, the next run fetches that article again.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

from newsbot.storage import DEFAULT_FILE_MODE, StorageError, ensure_dir
from newsbot.storage.atomic import close_synced
from newsbot.storage.layout import daily_file

logger = logging.getLogger(__name__)


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSON object on one line, UTF-8, non-ASCII kept readable."""
    return (json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def trim_partial_tail(fd: int, path: Path) -> int:
    """Cut a trailing partial line (no final newline) from an open file; return the new size."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0
    if os.pread(fd, 1, size - 1) == b"\n":
        return size
    # Walk back in blocks to the last newline.
    end = size
    block = 64 * 1024
    while end > 0:
        start = max(0, end - block)
        chunk = os.pread(fd, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            new_size = start + cut + 1
            break
        end = start
    else:
        new_size = 0
    os.ftruncate(fd, new_size)
    logger.warning("Trimmed a partial last line (%d bytes) from %s", size - new_size, path)
    return new_size


class DailyJsonlWriter:
    """Appends records to `<directory>/<YYYY-MM-DD>.jsonl`, one file per day given."""

    def __init__(self, directory: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
        self.directory = directory
        self.file_mode = file_mode
        self._fds: dict[date, int] = {}
        self._sizes: dict[date, int] = {}
        self._paths: dict[date, Path] = {}

    def path_for(self, day: date) -> Path:
        """The file of one UTC day; the name comes from the date alone, never from content."""
        path = self._paths.get(day)
        if path is None:
            path = self._paths[day] = daily_file(self.directory, day)
        return path

    def _fd(self, day: date) -> int:
        fd = self._fds.get(day)
        if fd is None:
            ensure_dir(self.directory)
            path = self.path_for(day)
            try:
                fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, self.file_mode)
            except OSError as exc:
                raise StorageError(f"cannot open {path} for writing: {exc.strerror}") from exc
            self._sizes[day] = trim_partial_tail(fd, path)
            self._fds[day] = fd
        return fd

    def write(self, record: dict[str, Any], day: date) -> tuple[Path, int]:
        """Append one record; return the file and its size after the line (an index checkpoint)."""
        data = encode_line(record)
        fd = self._fd(day)
        try:
            written = os.write(fd, data)
            while written < len(data):  # only on a nearly full disk or a signal mid-write
                written += os.write(fd, data[written:])
        except OSError as exc:
            # Do not leave the half line for the next record to be glued onto.
            os.ftruncate(fd, self._sizes[day])
            raise StorageError(f"cannot write to {self.path_for(day)}: {exc.strerror}") from exc
        self._sizes[day] += len(data)
        return self.path_for(day), self._sizes[day]

    def close(self) -> None:
        """fsync and close every open file, then the directory entry."""
        close_synced(self._fds, self.directory)
        self._sizes.clear()
