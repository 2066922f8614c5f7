"""Write a whole file or nothing: a temporary file in the same directory, fsync, os.replace.

Readers (a dashboard polling data/runs/, a notebook loading merged.parquet) then see either the
previous file or the complete new one, never a truncated one, even if the writer is killed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from newsbot.storage import DEFAULT_FILE_MODE


@contextmanager
def atomic_file(path: Path, file_mode: int = DEFAULT_FILE_MODE) -> Iterator[BinaryIO]:
    """Yield a binary handle; on success the content replaces `path` in one step."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """fsync a directory, so that the entries of files created, renamed or removed in it last."""
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def close_synced(fds: dict[object, int], directory: Path) -> None:
    """fsync and close every open file descriptor of `fds` (emptied), then their directory."""
    for fd in fds.values():
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    if fds:
        fsync_dir(directory)
    fds.clear()
