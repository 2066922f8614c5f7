"""One run at a time per data directory: an exclusive `fcntl.flock` on `<data dir>/newsbot.lock`.

A cron entry that fires while the previous run is still going must not start a second crawl on
the same archive, and neither must a `scrapy crawl dw` started by hand beside it: the crawl
itself takes the lock when it opens its archive (newsbot.storage.archive), however it was
started; `newsbot compact` takes it too. `flock` locks belong to the open file, so the kernel
releases them when the process ends in any way (exit, crash, SIGKILL): there is never a stale
lock to clean up, and the lock file itself is never deleted (deleting it would let two runs
lock two different files).
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path

from newsbot.errors import NewsbotError
from newsbot.storage import DEFAULT_FILE_MODE, StorageError

LOCK_FILE_NAME = "newsbot.lock"


class AlreadyRunning(NewsbotError, RuntimeError):
    """Another process holds the run lock; the message names it and the lock file."""


class RunLock:
    """The run lock of one data directory, held from `acquire` until `release` or exit."""

    def __init__(self, data_dir: str | Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
        self.path = Path(data_dir) / LOCK_FILE_NAME
        self.file_mode = file_mode
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock without waiting; raise AlreadyRunning when another run holds it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, self.file_mode)
        except OSError as exc:
            raise StorageError(f"cannot open lock file {self.path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(
                f"another newsbot run holds {self.path} ({holder}); not starting a second one"
            ) from None
        # Who holds it, for the message the next run prints: "pid 1234 since 2026-11-05T10:30Z".
        os.ftruncate(fd, 0)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()} since {started}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Give the lock up (closing the descriptor releases the flock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
