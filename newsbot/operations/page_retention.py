"""`newsbot compact` for the kept pages: a month's run files become `pages/dw-YYYY-MM.warc.gz`.

Every run writes page files of its own (newsbot.storage.pages), so a year of 30-minute runs
leaves some 17,000 files. Whole months before `--before` (never the current one) are folded into
one file per month, as the JSONL files are. The records are copied as they are, gzip member by
gzip member (nothing is recompressed or reformatted), and only whole records: a partial last
record that a crash left is dropped with a warning. The monthly file is replaced in one step
(atomic_file) before the run files are deleted; records already in it (by WARC-Record-ID) are not
copied again, so a compact interrupted between the two steps completes on the next call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from newsbot.storage import DEFAULT_FILE_MODE
from newsbot.storage.atomic import atomic_file, fsync_dir
from newsbot.storage.page_reader import whole_records
from newsbot.storage.pages import (
    PAGE_FILE_PREFIX,
    PAGE_FILE_SUFFIX,
    page_file_day,
    page_files,
    pages_dir,
)

logger = logging.getLogger(__name__)


@dataclass
class CompactedPages:
    """One monthly page file written: the run files it replaced and its record count."""

    path: Path
    replaced: list[str]
    records: int


def compact_pages(
    data_dir: str | Path, before: date, file_mode: int = DEFAULT_FILE_MODE
) -> list[CompactedPages]:
    """Fold the page files of every past month before `before`; the caller holds the run lock."""
    directory = pages_dir(data_dir)
    current = datetime.now(UTC).strftime("%Y-%m")
    months: dict[str, list[Path]] = {}
    for path in page_files(directory):
        span = page_file_day(path)
        if span is None or span[0] != span[1]:
            continue  # a monthly file already
        month = span[0].strftime("%Y-%m")
        month_span = page_file_day(path.with_name(f"{PAGE_FILE_PREFIX}{month}{PAGE_FILE_SUFFIX}"))
        assert month_span is not None
        if month_span[1] < before and month != current:
            months.setdefault(month, []).append(path)
    return [
        _compact_month(directory / f"{PAGE_FILE_PREFIX}{month}{PAGE_FILE_SUFFIX}", runs, file_mode)
        for month, runs in sorted(months.items())
    ]


def _compact_month(target: Path, runs: list[Path], file_mode: int) -> CompactedPages:
    sources = ([target] if target.exists() else []) + runs
    copied: set[str] = set()
    with atomic_file(target, file_mode) as out:
        for source in sources:
            with source.open("rb") as handle:
                for offset, length, record_id in whole_records(source):
                    if record_id and record_id in copied:
                        continue
                    copied.add(record_id)
                    handle.seek(offset)
                    out.write(handle.read(length))
    for path in runs:
        path.unlink()
    fsync_dir(target.parent)
    logger.info("Compacted %d page file(s) into %s (%d records)", len(runs), target, len(copied))
    return CompactedPages(target, [path.name for path in runs], len(copied))
