"""Parsing and checking of the `dw` spider's `-a` arguments, with one-line errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from newsbot.crawling.discovery.dates import DateWindow, parse_day
from newsbot.errors import NewsbotError
from newsbot.links import ALLOWED_SCHEMES


class SpiderArgumentError(NewsbotError, ValueError):
    """A `-a` argument is unusable; the message says which and why, in one line."""


def split_list(value: str | Iterable[str] | None) -> list[str]:
    """`"a, b,,c"` -> `["a", "b", "c"]`; lists pass through, cleaned the same way."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def check_start_urls(urls: list[str]) -> list[str]:
    """Every start URL must be an absolute http(s) URL with a host."""
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise SpiderArgumentError(
                f"start_urls: {url!r} is not an http(s) URL; only http and https are crawled"
            )
        if not parts.hostname:
            raise SpiderArgumentError(f"start_urls: {url!r} has no host name")
    return urls


def check_languages(languages: list[str], known: Iterable[str]) -> list[str]:
    """Every language must be a DW edition listed in NEWSBOT_KNOWN_LANGUAGES."""
    known_set = {code.lower() for code in known}
    normalized = [code.lower() for code in languages]
    unknown = [code for code in normalized if code not in known_set]
    if unknown:
        raise SpiderArgumentError(
            f"lang: unknown language edition(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known_set))} (setting NEWSBOT_KNOWN_LANGUAGES)"
        )
    return normalized


def parse_flag(name: str, value: str | bool | None) -> bool:
    """`1/true/yes/on` -> True, `0/false/no/off/""` -> False, anything else is an error."""
    if value is None or isinstance(value, bool):
        return bool(value)
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SpiderArgumentError(f"{name}: expected 1/0, true/false, yes/no or on/off, got {value!r}")


def parse_window(since: str | None, until: str | None, today: date) -> DateWindow | None:
    """`-a since= [-a until=]` -> the backfill window (inclusive UTC days), or None without since.

    `until` defaults to today (UTC); it needs `since`, must not be before it, and `since` must
    not be in the future, so a typo cannot turn a backfill into a run that requests nothing.
    """
    if not since:
        if until:
            raise SpiderArgumentError("until: needs since (-a since=YYYY-MM-DD)")
        return None
    try:
        start = parse_day(since)
        end = parse_day(until) if until else today
    except ValueError as exc:
        name = "since" if until is None or str(exc).startswith(repr(since.strip())) else "until"
        raise SpiderArgumentError(f"{name}: {exc}") from None
    if start > today:
        raise SpiderArgumentError(f"since: {start.isoformat()} is in the future (today is {today})")
    if start > end:
        raise SpiderArgumentError(
            f"since: {start.isoformat()} is after until {end.isoformat()}; "
            "the backfill window would be empty"
        )
    return DateWindow(start, end)


def check_channels(channels: list[str], known: Iterable[str]) -> list[str]:
    """Every discovery channel named in `-a channels=` must be one newsbot knows."""
    known_list = list(known)
    unknown = [name for name in channels if name not in known_list]
    if unknown:
        raise SpiderArgumentError(
            f"channels: unknown channel(s) {', '.join(unknown)}; known: {', '.join(known_list)}"
        )
    return channels
