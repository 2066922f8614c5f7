"""Dates of sitemap and feed entries, and the backfill window they are compared with.

Sitemaps write W3C datetimes (`2026-06-03`, `2026-06-03T10:15:00+02:00`), RSS 2.0 writes RFC 822
(`Wed, 03 Jun 2026 10:15:00 GMT`), RDF `dc:date` and Atom write ISO 8601. All become aware UTC
datetimes here; a backfill window is a range of whole UTC days, both ends included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime


def parse_moment(text: str | None) -> datetime | None:
    """An entry's date as an aware UTC datetime, or None when absent or not a date.

    A date without a time is its UTC midnight; a time without a zone is taken as UTC.
    """
    text = (text or "").strip()
    if not text:
        return None
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_day(text: str) -> date:
    """`YYYY-MM-DD` -> date; ValueError (with the value in its message) otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class DateWindow:
    """The UTC days `since` to `until`, both included: what a backfill requests."""

    since: date
    until: date

    def contains(self, moment: datetime) -> bool:
        return self.since <= moment.astimezone(UTC).date() <= self.until

    def ended_before(self, moment: datetime) -> bool:
        """True when `moment` is before the window: a sitemap last changed then holds nothing
        of the window (its entries are no newer than its own lastmod)."""
        return moment < datetime.combine(self.since, time.min, tzinfo=UTC)

    def __str__(self) -> str:
        return f"{self.since.isoformat()} to {self.until.isoformat()}"
