"""`python -m newsbot compact`: fold the daily JSONL files of past months into monthly files.

A year of 30-minute runs leaves 365 daily files; analysis tools and backups prefer twelve. Each
whole month before `--before` (never the current month) becomes `dw/YYYY-MM.jsonl`, holding
the month's lines in their original order. Nothing seen is lost: every line is kept (exact
duplicate lines, which only a rerun after a crash can produce, are written once), and the
dedupe index is moved to the new file in one transaction (SeenStore.replace_files) before the
daily files are deleted. A crash at any step leaves data the index and `catch_up` still cover,
and running the command again completes the job.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from newsbot.storage import DEFAULT_FILE_MODE, archive_dir, seen_db_path
from newsbot.storage.atomic import atomic_file, fsync_dir
from newsbot.storage.layout import daily_files_by_month, file_span, monthly_file
from newsbot.storage.seen import SeenStore

logger = logging.getLogger(__name__)


@dataclass
class CompactedMonth:
    """One monthly file written: which daily files it replaced and how many lines it holds."""

    path: Path
    replaced: list[str]
    lines: int


def months_to_compact(directory: Path, before: date, today: date) -> dict[str, list[Path]]:
    """Daily files per month ("YYYY-MM"), for months that end before `before` and are past."""
    current = today.replace(day=1)
    months: dict[str, list[Path]] = {}
    for month, path in daily_files_by_month(directory):
        month_span = file_span(monthly_file(directory, month))
        assert month_span is not None
        if month_span[1] < before and month != current:
            months.setdefault(f"{month:%Y-%m}", []).append(path)
    return months


def compact(
    data_dir: str | Path, before: date, file_mode: int = DEFAULT_FILE_MODE
) -> list[CompactedMonth]:
    """Compact every past month before `before`; the caller holds the run lock."""
    directory = archive_dir(data_dir)
    if not directory.is_dir():
        return []
    months = months_to_compact(directory, before, datetime.now(UTC).date())
    if not months:
        return []
    done = []
    seen = SeenStore(seen_db_path(data_dir), file_mode)
    try:
        seen.catch_up(directory)  # lines written since the last run are indexed first
        for month, dailies in sorted(months.items()):
            target = monthly_file(directory, date.fromisoformat(f"{month}-01"))
            done.append(_compact_month(target, dailies, seen, file_mode))
    finally:
        seen.close()
    return done


def _compact_month(
    target: Path, dailies: list[Path], seen: SeenStore, file_mode: int
) -> CompactedMonth:
    sources = ([target] if target.exists() else []) + dailies
    written: set[bytes] = set()
    with atomic_file(target, file_mode) as out:
        for source in sources:
            with source.open("rb") as handle:
                for raw in handle:
                    if not raw.endswith(b"\n"):
                        logger.warning("Dropping a partial last line of %s", source)
                        break
                    digest = hashlib.blake2b(raw, digest_size=16).digest()
                    if digest not in written:
                        written.add(digest)
                        out.write(raw)
    names = [path.name for path in dailies]
    seen.replace_files(names, target)
    for path in dailies:
        path.unlink()
    fsync_dir(target.parent)
    logger.info("Compacted %d daily file(s) into %s (%d lines)", len(names), target, len(written))
    return CompactedMonth(target, names, len(written))
