"""How every index built from the JSONL archive catches up with it: one mechanism.

The archive's files are the record; the dedupe index (newsbot.storage.seen) and the status
summary (newsbot.operations.summary_cache) are built from them. Each keeps, per archive file, the
byte offset up to which it has read whole lines, and reads on from there (`unread_files`,
`NewLines`). A partial last line (being written, or cut off by a crash) is never taken as a line:
it is left in `NewLines.partial`, its bytes are not counted as read, and the next catch-up reads
it again, whole by then (or trimmed by the writer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from newsbot.storage.layout import all_files


def unread_files(archive: Path, read_to: Mapping[str, int]) -> Iterator[tuple[Path, int]]:
    """Each archive file with bytes beyond what an index read (`read_to`, by file name), and the
    offset to read on from, in the archive's order."""
    for path in all_files(archive):
        start = read_to.get(path.name, 0)
        if path.stat().st_size > start:
            yield path, start


class NewLines:
    """The whole lines of an open archive file from byte `start`: (offset of the line, line).

    After the iteration, `end` is the offset after the last whole line (what the index may
    record as read) and `partial` the bytes of a last line without its newline, if any.
    """

    def __init__(self, handle: BinaryIO, start: int) -> None:
        self.handle = handle
        self.start = start
        self.end = start
        self.partial = b""

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        self.handle.seek(self.start)
        for raw in self.handle:
            if not raw.endswith(b"\n"):
                self.partial = raw
                return
            position = self.end
            self.end += len(raw)
            yield position, raw
