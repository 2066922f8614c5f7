"""What the archive holds: distinct articles per edition and per UTC day, and its bad lines.

`newsbot status` and `newsbot report` both count through `summarize_archive`, one streaming
pass over the JSONL files (daily and compacted monthly ones, oldest first): memory grows with
the number of distinct articles (one permalink each), never with the size of the files. An
article counts once, on the UTC day of the first line that stored it (its `scraped_at`); later
versions of it (`-a refetch=1`) are not new articles. Every line is checked against the
published item schema; lines that are not whole JSON objects, or do not match it, are counted
and the first few named, never raised. Keeping the counting here, and only here, is what lets a
per-file summary cache be added later without touching its callers.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from newsbot.export import archive_files
from newsbot.schema import first_error

# Bad lines named in full (file, line, reason); the rest are only counted.
EXAMPLES_KEPT = 5


@dataclass(frozen=True)
class BadLine:
    """One archive line that could not be used or does not match the schema."""

    file: str
    line: int
    reason: str


@dataclass
class EditionCounts:
    """Distinct articles of one edition: in total, and by the UTC day they were first stored."""

    total: int = 0
    days: Counter[date] = field(default_factory=Counter)


@dataclass
class ArchiveSummary:
    """The counts `newsbot status` and `newsbot report` show, from one pass over the archive."""

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

    def name_bad_line(self, path: Path, number: int, reason: str) -> None:
        """Remember where a bad line is, for the first few: enough to find them, bounded."""
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(BadLine(f"{path.parent.name}/{path.name}", number, reason))


def summarize_archive(
    directory: Path, known_editions: Collection[str] = (), keep_latest: int = 0
) -> ArchiveSummary:
    """Count the archive under `directory` (DATA_DIR/dw); an absent directory is empty."""
    summary = ArchiveSummary()
    seen: set[str] = set()
    latest: deque[dict[str, Any]] = deque(maxlen=keep_latest)
    files = archive_files(directory, date.min, date.max) if directory.is_dir() else []
    for path in files:
        summary.files += 1
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                summary.lines += 1
                record = _record(summary, path, number, raw)
                if record is None:
                    continue
                key = _count_key(record)
                if key is None:
                    continue
                permalink, edition, day = key
                if keep_latest:
                    latest.append(record)
                if permalink in seen:
                    continue
                seen.add(permalink)
                counts = summary.editions.get(edition)
                if counts is None:
                    counts = summary.editions[edition] = EditionCounts()
                counts.total += 1
                counts.days[day] += 1
    summary.editions = dict(sorted(summary.editions.items()))
    summary.unknown_editions = {
        edition: counts.total
        for edition, counts in summary.editions.items()
        if known_editions and edition not in known_editions
    }
    summary.latest = list(latest)
    return summary


def _record(summary: ArchiveSummary, path: Path, number: int, raw: bytes) -> dict | None:
    """The line as a dict, counting (and naming) it when unreadable or not matching the schema."""
    if not raw.endswith(b"\n"):
        summary.unreadable += 1
        summary.name_bad_line(path, number, "partial last line (cut off by a crash or a full disk)")
        return None
    try:
        record = json.loads(raw)
    except ValueError as exc:
        summary.unreadable += 1
        summary.name_bad_line(path, number, f"not JSON ({exc})")
        return None
    if not isinstance(record, dict):
        summary.unreadable += 1
        summary.name_bad_line(path, number, f"not a JSON object but {type(record).__name__}")
        return None
    if (error := first_error(record)) is not None:
        summary.invalid += 1
        summary.name_bad_line(path, number, f"does not match the item schema: {error}")
    return record


def _count_key(record: dict[str, Any]) -> tuple[str, str, date] | None:
    """(permalink, edition, UTC day stored) of a record, or None when it lacks one of them."""
    permalink, edition, scraped = (
        record.get("permalink"), record.get("language"), record.get("scraped_at")
    )
    if not (isinstance(permalink, str) and isinstance(edition, str) and isinstance(scraped, str)):
        return None
    try:
        moment = datetime.fromisoformat(scraped)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return permalink, edition, moment.date()
