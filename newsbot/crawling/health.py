"""Is a finished run healthy? The verdict (and exit code) a scheduled run reports.

A cron job is only looked at when it fails, so a run that "worked" but fetched nothing useful
must fail loudly: no discovery page reachable (no topic/section page, sitemap or feed could be
fetched), discovery pages without article links (DW changed its layout or its sitemaps), or too
many article pages that could not be fetched or read. A news sitemap that failed but whose
edition's feed stood in for it is a warning, not a failure. A healthy run that
found nothing new is a success. A run whose discovery pages all failed on the network says the
site could not be reached (and what to try offline); a host whose robots.txt answered 5xx was
not crawled at all (RFC 9309), which fails the run until the next one gets an answer. The
checks read only the crawl stats, so the run report (for
`scrapy crawl dw` too) and `python -m newsbot run` agree on the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from newsbot.errors import ALREADY_RUNNING, FAILURE_REASONS, ROBOTS_REFUSED
from newsbot.stats import (
    ARTICLES_FAILED,
    ARTICLES_REJECTED,
    ARTICLES_REQUESTED,
    DISCOVERY_FAULTS,
    DISCOVERY_PAGES,
    DROPPED_MISSING,
    EMPTY_DISCOVERY_URLS,
    ERROR_MESSAGE,
    FAILED_DISCOVERY_URLS,
    FEED_FALLBACKS,
    RENDER_BROWSER_FAILED,
    RENDER_FALLBACK,
    ROBOTS_UNAVAILABLE,
    RUN_WARNINGS,
    UNREACHABLE_ERROR,
    UNREACHABLE_URLS,
)

# Stats keys with the URLs of discovery pages (topic/section pages, sitemaps, feeds) that failed
# or had no article links (lists). The keys keep their historical "listing" name.
# What the last line of a run that reached nothing suggests.
OFFLINE_HINT = (
    "no network? `bash scripts/demo.sh` runs newsbot against its stand-in for dw.com on "
    "127.0.0.1 (README, \"Try it offline\")"
)
# Stats key of warnings the run raised for the report (a list of lines): the coverage gap, a
# fallback feed that could not be read, a request dropped as off-site.
# Shown at most in a message; the run report keeps the full lists.
_URLS_IN_MESSAGE = 5


class ExitCode(IntEnum):
    """Exit status of `python -m newsbot`; documented in README and crontab.example."""

    OK = 0
    ERROR = 1  # an unexpected error (traceback in the log)
    USAGE = 2  # bad command line
    NOT_STARTED = 3  # the spider could not start or stopped on an error (bad argument, archive)
    NO_LISTING = 4  # no discovery page (topic/section page, sitemap, feed) could be fetched
    NO_ARTICLE_LINKS = 5  # discovery pages fetched but without article links: layout changed?
    ARTICLE_FAILURES = 6  # too many article pages failed to fetch or parse
    INTERRUPTED = 7  # stopped by a signal (Ctrl-C, SIGTERM) before the crawl finished
    ROBOTS_REFUSED = 8  # robots.txt refuses the discovery requests for this User-Agent
    ROBOTS_UNAVAILABLE = 9  # a host's robots.txt answered 5xx: nothing requested there (RFC 9309)
    CHECK_FAILED = 12  # newsbot check: an edition has no working channel or usable sample article
    ALREADY_RUNNING = 75  # another run holds the lock (EX_TEMPFAIL: try again later)
    NO_DATA_DIR = 66  # the data directory is missing or not a directory (EX_NOINPUT)
    CANNOT_WRITE = 73  # an output file cannot be created: its folder is missing (EX_CANTCREAT)


@dataclass
class Verdict:
    """Outcome of a run: exit code, a short status word, one line for humans, and warnings."""

    code: ExitCode
    message: str
    warnings: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.code.name.lower()


def record_url(stats: StatsCollector, key: str, url: str) -> None:
    """Append a URL to a list-valued stat (the report and the verdict name these pages)."""
    stats.set_value(key, [*stats.get_value(key, []), url])


def add_run_warning(stats: StatsCollector, message: str) -> None:
    """Add a line to the run's warnings: the run report and the summary log show it."""
    stats.set_value(RUN_WARNINGS, [*stats.get_value(RUN_WARNINGS, []), message])


def article_failures(stats: Mapping[str, Any]) -> int:
    """Article pages that yielded nothing: fetch failures, rejected pages, items missing fields."""
    failed = stats.get(ARTICLES_FAILED, 0)
    for key, value in stats.items():
        if key.startswith((ARTICLES_REJECTED, DROPPED_MISSING)):
            failed += value
    return failed


def assess(stats: Mapping[str, Any], settings: BaseSettings) -> Verdict:
    """The verdict on a finished crawl from its stats; thresholds come from NEWSBOT_* settings."""
    reason = stats.get("finish_reason")
    error = stats.get(ERROR_MESSAGE)
    if reason == ROBOTS_REFUSED:
        return Verdict(ExitCode.ROBOTS_REFUSED, error or "robots.txt refuses this run's User-Agent")
    if reason == ALREADY_RUNNING:
        return Verdict(ExitCode.ALREADY_RUNNING, error or "another run holds the run lock")
    if reason in FAILURE_REASONS:
        return Verdict(ExitCode.NOT_STARTED, error or f"the crawl stopped on an error ({reason})")
    if reason == "shutdown":
        return Verdict(ExitCode.INTERRUPTED, "the run was interrupted before it finished")
    # The run's own warnings (a fallback feed that could not be read, and why) go with any
    # verdict: a failed run is when they matter most.
    run_warnings = list(stats.get(RUN_WARNINGS, []))
    fetched = stats.get(DISCOVERY_PAGES, 0)
    failed_urls: list[str] = stats.get(FAILED_DISCOVERY_URLS, [])
    empty_urls: list[str] = stats.get(EMPTY_DISCOVERY_URLS, [])
    robots_down: dict[str, str] = stats.get(ROBOTS_UNAVAILABLE, {})
    if fetched == 0:
        return _nothing_fetched(stats, failed_urls, robots_down, run_warnings)
    if robots_down:
        return Verdict(ExitCode.ROBOTS_UNAVAILABLE, _robots_message(robots_down), run_warnings)
    allowed_empty = settings.getint("NEWSBOT_MAX_EMPTY_LISTING_PAGES", 0)
    if len(empty_urls) > allowed_empty:
        return Verdict(
            ExitCode.NO_ARTICLE_LINKS,
            f"{len(empty_urls)} of {fetched} discovery page(s) had no article links "
            f"(has the page or sitemap layout changed?): {_urls(empty_urls)}",
            run_warnings,
        )
    requested = stats.get(ARTICLES_REQUESTED, 0)
    failures = article_failures(stats)
    max_ratio = settings.getfloat("NEWSBOT_MAX_ARTICLE_FAILURE_RATIO", 0.2)
    min_failures = settings.getint("NEWSBOT_MIN_ARTICLE_FAILURES", 3)
    if requested and failures >= min_failures and failures / requested > max_ratio:
        return Verdict(
            ExitCode.ARTICLE_FAILURES,
            f"{failures} of {requested} article page(s) failed to fetch or parse "
            f"({failures / requested:.0%} > NEWSBOT_MAX_ARTICLE_FAILURE_RATIO {max_ratio:.0%})",
            run_warnings,
        )
    warnings = run_warnings
    if failed_urls:
        warnings.append(f"{len(failed_urls)} discovery page(s) failed: {_urls(failed_urls)}")
    if empty_urls:
        warnings.append(
            f"{len(empty_urls)} discovery page(s) had no article links: {_urls(empty_urls)}"
        )
    warnings.extend(discovery_warnings(stats))
    if failures:
        warnings.append(f"{failures} of {requested} article page(s) failed to fetch or parse")
    warnings.extend(rendering_warnings(stats))
    return Verdict(ExitCode.OK, "ok", warnings)


def _nothing_fetched(
    stats: Mapping[str, Any], failed_urls: list[str], robots_down: Mapping[str, str],
    run_warnings: list[str],
) -> Verdict:
    """The verdict on a run that could fetch no discovery page: offline, robots.txt, or other."""
    unreachable: list[str] = stats.get(UNREACHABLE_URLS, [])
    if failed_urls and set(failed_urls) <= set(unreachable):
        hosts = sorted({urlsplit(url).netloc for url in failed_urls})
        why = stats.get(UNREACHABLE_ERROR)
        return Verdict(
            ExitCode.NO_LISTING,
            f"the site could not be reached: no discovery page could be fetched from "
            f"{', '.join(hosts)} ({len(failed_urls)} failed{f', {why}' if why else ''}); "
            + OFFLINE_HINT,
            run_warnings,
        )
    if robots_down:
        return Verdict(ExitCode.ROBOTS_UNAVAILABLE, _robots_message(robots_down), run_warnings)
    return Verdict(
        ExitCode.NO_LISTING,
        f"no discovery page (topic/section page, sitemap or feed) could be fetched "
        f"({len(failed_urls)} failed: {_urls(failed_urls) or 'none requested'})",
        run_warnings,
    )


def _robots_message(robots_down: Mapping[str, str]) -> str:
    hosts = "; ".join(f"{host} {why}" for host, why in sorted(robots_down.items()))
    return (
        f"robots.txt unavailable ({hosts}): as RFC 9309 asks, nothing was requested from "
        "there in this run; the next run asks again"
    )


def discovery_warnings(stats: Mapping[str, Any]) -> list[str]:
    """News sitemaps the feed stood in for, and unreadable sitemaps or feeds: the run is ok."""
    warnings = []
    if fallbacks := stats.get(FEED_FALLBACKS, 0):
        warnings.append(f"{fallbacks} news sitemap(s) failed; their editions' feeds were read")
    faults = {
        key.rsplit("/", 1)[-1]: n
        for key, n in stats.items()
        if key.startswith(DISCOVERY_FAULTS)
    }
    if faults:
        listed = ", ".join(f"{key} x{n}" for key, n in sorted(faults.items()))
        warnings.append(f"unreadable sitemaps or feeds: {listed} (see the log)")
    return warnings


def rendering_warnings(stats: Mapping[str, Any]) -> list[str]:
    """Rendering problems that plain HTTP made up for: the run is ok, but someone should look."""
    warnings = []
    if stats.get(RENDER_BROWSER_FAILED):
        warnings.append(
            "Chromium failed to launch: pages to render were fetched on plain HTTP (see the log)"
        )
    if fallbacks := stats.get(RENDER_FALLBACK, 0):
        warnings.append(f"{fallbacks} page(s) failed to render and were fetched on plain HTTP")
    return warnings


def _urls(urls: list[str]) -> str:
    shown = ", ".join(urls[:_URLS_IN_MESSAGE])
    more = len(urls) - _URLS_IN_MESSAGE
    return shown + (f" and {more} more" if more > 0 else "")
