"""Reading archive lines for counting: the record, why a line is bad, and what it counts as.

`newsbot status` counts the archive two ways, a full scan and the incremental summary cache
(newsbot.operations.summary_cache), and both must agree to the line; so both read lines through this
one module. Lines are decoded with orjson (about twice as fast as the standard library on
article-sized lines, which is most of the cost of a full scan); a line orjson refuses is handed to
`json`, so the outcome (and the reason named) is exactly what `json.loads` gives, including for what
only `json` accepts (NaN, integers beyond 64 bits).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from newsbot.schema import article_validator, first_error

# Read buffer: with the default 8 KiB, iterating over article-sized lines costs five times more.
READ_BUFFER = 1 << 20
# Bad lines named per file (line number, reason); the rest are only counted.
EXAMPLES_KEPT = 5
PARTIAL_LINE = "partial last line (cut off by a crash or a full disk)"


@dataclass
class FileCounts:
    """The lines of one archive file read so far, and its bad ones."""

    name: str  # as shown to users: "dw/2026-12-03.jsonl"
    lines: int = 0
    # Lines that are not whole JSON objects (a partial last line, garbage): not counted.
    unreadable: int = 0
    # Lines that are JSON objects but do not match the item schema (still counted if usable).
    invalid: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)

    def read(self, raw: bytes) -> dict[str, Any] | None:
        """Count the next line of the file; return its record, or None when it is unreadable."""
        self.lines += 1
        if not raw.endswith(b"\n"):
            return self._unreadable(PARTIAL_LINE)
        try:
            record = _decode(raw)
        except (ValueError, RecursionError) as exc:
            return self._unreadable(f"not JSON ({exc})")
        if not isinstance(record, dict):
            return self._unreadable(f"not a JSON object but {type(record).__name__}")
        if not article_validator().is_valid(record):
            self.invalid += 1
            self._name(f"does not match the item schema: {first_error(record)}")
        return record

    def _unreadable(self, reason: str) -> None:
        self.unreadable += 1
        self._name(reason)
        return None

    def _name(self, reason: str) -> None:
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append((self.lines, reason))


@dataclass
class ArchiveCounts:
    """What a count of the archive yields, whichever way it was made (full scan or summary)."""

    files: list[FileCounts]  # in archive order
    # Distinct articles (permalinks) by edition and the UTC day of their first line.
    per_day: Counter[tuple[str, date]]
    # The same articles by edition and the UTC day of their `published` date (as their first
    # line gives it); articles without a readable one are not in it.
    per_published_day: Counter[tuple[str, date]] = field(default_factory=Counter)


def shown_name(path: Path) -> str:
    """How a bad line's file is named to users: "dw/2026-12-03.jsonl"."""
    return f"{path.parent.name}/{path.name}"


def _decode(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def count_key(record: dict[str, Any]) -> tuple[str, str, date, date | None] | None:
    """(permalink, edition, UTC day stored, UTC day published or None) of a record, or None when
    it lacks one of the first three."""
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
    return permalink, edition, moment.date(), published_day(record.get("published"))


def published_day(value: object) -> date | None:
    """The UTC day of a `published` value: a bare date is that day, a time without a zone is
    taken as UTC (as newsbot stores it); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()
