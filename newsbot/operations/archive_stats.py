"""What the archive holds: distinct articles per edition and per UTC day, and its bad lines.

`newsbot status` and `newsbot report` both count through `summarize_archive`. An article
counts once, on the UTC day of the first line that stored it (its `scraped_at`), in archive
order (daily and compacted monthly files, oldest first); later versions of it (`-a
refetch=1`) are not new articles. It is also counted on the UTC day of that first line's
`published` date (when it has one): what was published when, whenever it was stored. Every
line is checked against the published item schema;
lines that are not whole JSON objects, or do not match it, are counted and the first few named,
never raised (newsbot.operations.archive_lines judges each line).

Given the path of the status summary (newsbot.operations.summary_cache), only what changed since the
last call is read; without it, or when it cannot be used, the archive is scanned in full, one
streaming pass whose memory grows with the number of distinct articles, never with the files. Both
give the same counts: the summary is a cache of this scan.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsbot.operations.archive_lines import (
    EXAMPLES_KEPT,
    READ_BUFFER,
    ArchiveCounts,
    FileCounts,
    count_key,
    shown_name,
)
from newsbot.operations.summary_cache import SummaryCache
from newsbot.storage import DEFAULT_FILE_MODE
from newsbot.storage.layout import archive_files


@dataclass(frozen=True)
class BadLine:
    """One archive line that could not be used or does not match the schema."""

    file: str
    line: int
    reason: str


@dataclass
class EditionCounts:
    """Distinct articles of one edition: in total, by the UTC day they were first stored, and by
    the UTC day they were published (what a researcher asks: all of the 24th's articles?)."""

    total: int = 0
    days: Counter[date] = field(default_factory=Counter)
    published_days: Counter[date] = field(default_factory=Counter)


@dataclass
class ArchiveSummary:
    """The counts `newsbot status` and `newsbot report` show."""

    files: int = 0
    lines: int = 0
    editions: dict[str, EditionCounts] = field(default_factory=dict)
    # Lines that are not whole JSON objects (a partial last line, garbage) and are not counted.
    unreadable: int = 0
    # Lines that are JSON objects but do not match the item schema (still counted if usable).
    invalid: int = 0
    examples: list[BadLine] = field(default_factory=list)
    # Editions in the archive that are not among the known DW editions: {edition: articles}.
    unknown_editions: dict[str, int] = field(default_factory=dict)
    # The last records in archive (scrape) order, newest last; only as many as asked for.
    latest: list[dict[str, Any]] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(counts.total for counts in self.editions.values())


def summarize_archive(
    directory: Path,
    known_editions: Collection[str] = (),
    keep_latest: int = 0,
    summary_path: Path | None = None,
    file_mode: int = DEFAULT_FILE_MODE,
) -> ArchiveSummary:
    """Count the archive under `directory` (DATA_DIR/dw); an absent directory is empty.

    `summary_path`: the status summary to read and bring up to date (created with `file_mode`);
    None scans every line.
    """
    files = archive_files(directory, date.min, date.max) if directory.is_dir() else []
    counts = SummaryCache(summary_path, file_mode).count(files) if summary_path else None
    if counts is None:
        counts = scan_archive(files)
    summary = ArchiveSummary(files=len(files))
    for file in counts.files:
        summary.lines += file.lines
        summary.unreadable += file.unreadable
        summary.invalid += file.invalid
        summary.examples += [BadLine(file.name, line, reason) for line, reason in file.examples]
    del summary.examples[EXAMPLES_KEPT:]  # the first few of the archive
    for (edition, day), articles in sorted(counts.per_day.items()):
        edition_counts = summary.editions.setdefault(edition, EditionCounts())
        edition_counts.total += articles
        edition_counts.days[day] += articles
    for (edition, day), articles in counts.per_published_day.items():
        summary.editions.setdefault(edition, EditionCounts()).published_days[day] += articles
    summary.unknown_editions = {
        edition: edition_counts.total
        for edition, edition_counts in summary.editions.items()
        if known_editions and edition not in known_editions
    }
    summary.latest = latest_records(files, keep_latest)
    return summary


def scan_archive(files: list[Path]) -> ArchiveCounts:
    """Count every line of `files` (archive order): the reference the summary must agree with."""
    seen: set[str] = set()
    per_day: Counter[tuple[str, date]] = Counter()
    per_published_day: Counter[tuple[str, date]] = Counter()
    counted = []
    for path in files:
        file = FileCounts(shown_name(path))
        with path.open("rb", buffering=READ_BUFFER) as handle:
            for raw in handle:
                record = file.read(raw)
                key = count_key(record) if record is not None else None
                if key is not None and key[0] not in seen:
                    permalink, edition, day, published = key
                    seen.add(permalink)
                    per_day[edition, day] += 1
                    if published is not None:
                        per_published_day[edition, published] += 1
        counted.append(file)
    return ArchiveCounts(counted, per_day, per_published_day)


def latest_records(files: list[Path], keep: int) -> list[dict[str, Any]]:
    """The last `keep` countable records in archive order, newest last.

    Read from the newest file backwards until there are enough: the report's table of latest
    articles then costs a day's file, not the archive.
    """
    found: list[list[dict[str, Any]]] = []
    missing = keep
    for path in reversed(files):
        if missing <= 0:
            break
        last: deque[dict[str, Any]] = deque(maxlen=missing)
        file = FileCounts(shown_name(path))
        with path.open("rb", buffering=READ_BUFFER) as handle:
            for raw in handle:
                record = file.read(raw)
                if record is not None and count_key(record) is not None:
                    last.append(record)
        found.append(list(last))
        missing -= len(last)
    return [record for records in reversed(found) for record in records]
