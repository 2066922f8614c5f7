"""The archive's file names: the one place that knows them, writes them and reads them back.

    dw/YYYY-MM-DD.jsonl   a daily file: the lines stored on that UTC day
    dw/YYYY-MM.jsonl      a monthly file: a past month's daily files, compacted

A monthly file sorts before the daily files of its month: it holds the older lines (daily files
of a month appear beside it again only when lines of that month are stored after compaction).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

SUFFIX = ".jsonl"
_DAILY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.jsonl$")
_MONTHLY = re.compile(r"^(\d{4})-(\d{2})\.jsonl$")


def daily_file(directory: Path, day: date) -> Path:
    """The daily file of `day` in the archive directory."""
    return directory / f"{day.isoformat()}{SUFFIX}"


def monthly_file(directory: Path, month: date) -> Path:
    """The monthly file of the month `month` falls in."""
    return directory / f"{month:%Y-%m}{SUFFIX}"


def file_span(path: Path) -> tuple[date, date] | None:
    """First and last UTC day an archive file covers; None for a name that is not one (a
    name of the right shape but no real day, `2026-13.jsonl`, is not one either)."""
    try:
        if match := _DAILY.match(path.name):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return day, day
        if match := _MONTHLY.match(path.name):
            first = date(int(match[1]), int(match[2]), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, date.fromordinal(following.toordinal() - 1)
    except ValueError:
        return None
    return None


def is_daily(path: Path) -> bool:
    """Whether `path` is a daily file."""
    return _DAILY.match(path.name) is not None


def file_order(path: Path) -> tuple[int, bool, str]:
    """Sort key of archive files: oldest first, a month's file before its daily files."""
    span = file_span(path)
    first = span[0].toordinal() if span else 0
    return first, bool(span and span[0] == span[1]), path.name


def all_files(directory: Path) -> list[Path]:
    """Every archive file of the directory, in `file_order`; other files are not the archive's."""
    found = [path for path in directory.glob(f"*{SUFFIX}") if file_span(path) is not None]
    return sorted(found, key=file_order)


def archive_files(directory: Path, start: date, end: date) -> list[Path]:
    """The archive files with lines stored between `start` and `end`, in `file_order`."""
    return [path for path in all_files(directory) if _overlaps(path, start, end)]


def _overlaps(path: Path, start: date, end: date) -> bool:
    span = file_span(path)
    return span is not None and span[0] <= end and span[1] >= start


def daily_files_by_month(directory: Path) -> Iterator[tuple[date, Path]]:
    """(first day of its month, path) of every daily file, oldest first."""
    for path in all_files(directory):
        span = file_span(path)
        if span is not None and span[0] == span[1]:
            yield span[0].replace(day=1), path
