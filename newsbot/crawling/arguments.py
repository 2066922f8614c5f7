"""The `dw` spider's `-a` arguments, parsed and checked once into one typed `DwArguments`.

`DwArguments.parse` reads the raw arguments together with the settings that stand in for them
(NEWSBOT_LANGUAGES, NEWSBOT_CHANNELS, NEWSBOT_START_URLS, ...), and raises SpiderArgumentError
with a one-line message for anything unusable, unknown argument names included. It has no side
effects, so the entry points (`scrapy crawl`, `newsbot run`) call it before the crawl starts and
refuse a bad run before anything is created; the spider then builds its requests from the same
object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from newsbot.crawling.discovery.dates import DateWindow, parse_day
from newsbot.errors import NewsbotError
from newsbot.links import ALLOWED_SCHEMES, listing_language

if TYPE_CHECKING:
    from newsbot.crawling.discovery.channels import Channels

# Discovery channels (`-a channels=`): news sitemaps (their feed as fallback), feeds, and topic
# or section pages (start_urls, else NEWSBOT_START_URLS).
CHANNELS = ("news", "feed", "listings")
# Every `-a` name the spider takes; `_job` is the job id Scrapyd passes to every spider.
ARGUMENT_NAMES = ("channels", "lang", "refetch", "render", "since", "start_urls", "until")
IGNORED_NAMES = ("_job",)


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


def check_names(raw: Mapping[str, Any]) -> None:
    """Refuse `-a` names the spider does not know (a typo must not silently crawl defaults)."""
    unknown = sorted(name for name in raw if name not in ARGUMENT_NAMES + IGNORED_NAMES)
    if unknown:
        raise SpiderArgumentError(
            f"unknown argument(s) {', '.join(unknown)}; known: {', '.join(ARGUMENT_NAMES)}"
        )


@dataclass(frozen=True)
class DwArguments:
    """What one run of the `dw` spider crawls, from its `-a` arguments and the settings."""

    languages: tuple[str, ...]
    channels: tuple[str, ...]
    listing_urls: tuple[str, ...]  # topic/section pages (the listings channel), else ()
    from_start_urls: bool  # listing_urls were given with -a start_urls
    window: DateWindow | None  # a backfill's days (-a since= [-a until=]), else None
    refetch: bool
    render: bool | None  # -a render=, None when not given (NEWSBOT_RENDER_LISTINGS decides)
    roots: Channels

    @classmethod
    def parse(cls, raw: Mapping[str, Any], settings: BaseSettings, today: date) -> DwArguments:
        """Check every argument (and the settings behind the defaults); raise on the first fault."""
        from newsbot.crawling.discovery.channels import Channels  # editions imports this module

        check_names(raw)
        start_urls = check_start_urls(split_list(raw.get("start_urls")))
        lang_arg, channels_arg = split_list(raw.get("lang")), split_list(raw.get("channels"))
        refetch = parse_flag("refetch", raw.get("refetch"))
        render = None if raw.get("render") is None else parse_flag("render", raw.get("render"))
        known = settings.getlist("NEWSBOT_KNOWN_LANGUAGES")
        if lang_arg:
            languages = check_languages(lang_arg, known)
        elif start_urls:
            found = [listing_language(url) for url in start_urls]
            languages = sorted({code for code in found if code}) or ["en"]
        else:
            languages = check_languages(settings.getlist("NEWSBOT_LANGUAGES"), known)
        window = parse_window(raw.get("since"), raw.get("until"), today)
        default_channels = ["listings"] if start_urls else settings.getlist("NEWSBOT_CHANNELS")
        channels = check_channels(channels_arg or default_channels, CHANNELS)
        if window is not None and (start_urls or channels_arg):
            raise SpiderArgumentError(
                "since: a backfill reads the article sitemaps; it takes neither start_urls "
                "nor channels"
            )
        roots = Channels.from_settings(
            settings.get("NEWSBOT_SITE_URL"),
            settings.get("NEWSBOT_FEEDS_URL"),
            settings.getdict("NEWSBOT_FEED_CODES"),
        )
        listing_urls: list[str] = []
        if window is None and "listings" in channels:
            if start_urls:
                listing_urls = start_urls
            else:
                defaults = settings.getdict("NEWSBOT_START_URLS")
                listing_urls = check_start_urls(
                    [url for code in languages for url in defaults.get(code, [])]
                )
        return cls(
            languages=tuple(languages),
            channels=tuple(channels),
            listing_urls=tuple(listing_urls),
            from_start_urls=bool(start_urls),
            window=window,
            refetch=refetch,
            render=render,
            roots=roots,
        )
