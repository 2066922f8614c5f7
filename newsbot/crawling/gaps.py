"""Coverage gaps: stretches between successful runs in which articles may have been missed.

DW's news sitemaps list only about the last two days (`NEWSBOT_NEWS_WINDOW_HOURS`). When the
archive's runs pause for longer (the machine was off, every run failed), articles published in
that stretch are no longer offered by the news sitemaps and only a backfill from the article
sitemaps (`-a since= -a until=`) finds them. Gaps are per edition; a backfill's run report
records its window and editions, and the gaps it covers count as closed. The run's own warning
and `newsbot status` both read the run reports in `DATA_DIR/runs/` through this module, so they
agree on what a gap is and whether it is closed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

from newsbot.crawling.run_report import RUNS_SUBDIR

# The run report's status word of a healthy run (newsbot.crawling.health.ExitCode.OK).
SUCCESS_STATUS = "ok"


@dataclass(frozen=True)
class RunRecord:
    """The part of one run report that coverage questions need."""

    path: Path
    started_at: datetime
    finished_at: datetime
    status: str
    report: dict[str, Any]

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCESS_STATUS

    @property
    def editions(self) -> tuple[str, ...] | None:
        """The editions the run crawled; None for a report that does not say (older ones)."""
        editions = self.report.get("editions")
        if not isinstance(editions, list):
            return None
        return tuple(e for e in editions if isinstance(e, str))

    @property
    def window(self) -> tuple[date, date] | None:
        """A backfill's (since, until), both UTC days included; None for a regular run."""
        window = self.report.get("window")
        if not isinstance(window, dict):
            return None
        try:
            return date.fromisoformat(window["since"]), date.fromisoformat(window["until"])
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def news_oldest(self) -> dict[str, datetime]:
        """Per edition, the oldest publication time its news sitemap listed in this run."""
        oldest = self.report.get("news_sitemap_oldest")
        found = {}
        for edition, value in (oldest.items() if isinstance(oldest, dict) else ()):
            try:
                found[edition] = _utc(value)
            except (TypeError, ValueError):
                continue
        return found

    def covers(self, edition: str | None, everything: Sequence[str] = ()) -> bool:
        """Did the run crawl `edition` (None: every one of `everything`)?"""
        editions = self.editions
        if editions is None:
            return True
        return set(everything) <= set(editions) if edition is None else edition in editions


@dataclass
class RunHistory:
    """Every readable run report of a data directory, oldest first, and the unreadable ones."""

    runs: list[RunRecord] = field(default_factory=list)
    # (file name, reason) of reports that are not JSON or lack the fields above.
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def last_success(self, before: datetime | None = None) -> RunRecord | None:
        """The latest successful run that finished before `before` (default: any)."""
        done = [
            run
            for run in self.runs
            if run.succeeded and (before is None or run.finished_at <= before)
        ]
        return max(done, key=lambda run: run.finished_at, default=None)


@dataclass(frozen=True)
class Gap:
    """No successful regular run of `editions` between `start` (one finished) and `end` (the
    next one started); `closed_by` names the run reports of the backfills that cover it."""

    start: datetime
    end: datetime
    editions: tuple[str, ...] = ()
    closed_by: tuple[str, ...] = ()

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def closed(self) -> bool:
        return bool(self.closed_by)

    @property
    def days(self) -> tuple[date, date]:
        """The UTC days the gap touches, first and last: what a backfill must cover."""
        return self.start.astimezone(UTC).date(), self.end.astimezone(UTC).date()

    def backfill_command(self, languages: Sequence[str] | None = None) -> str:
        """The command that fills the gap in from the article sitemaps (inclusive UTC days)."""
        languages = self.editions if languages is None else languages
        lang = f" -a lang={','.join(languages)}" if languages else ""
        since, until = self.days
        return f"newsbot run{lang} -a since={since.isoformat()} -a until={until.isoformat()}"


def read_history(data_dir: str | Path, since: datetime | None = None) -> RunHistory:
    """Read `DATA_DIR/runs/*.json`; a corrupt report is listed with its reason, never raised.

    With `since`, only the reports a look at the runs from `since` on needs: those started
    since then, and back to the last successful regular run (not a backfill) before (where a
    gap into `since` begins,
    and what `--max-age` measures from). A cron job leaves 48 reports a day, and reading a
    year of them took `newsbot status` longer than everything else it does. Report names sort
    by start (run_report.write_report), so they are read newest first until that success.
    """
    history = RunHistory()
    runs_dir = Path(data_dir) / RUNS_SUBDIR
    if not runs_dir.is_dir():
        return history
    for path in sorted(runs_dir.glob("*.json"), reverse=True):
        try:
            run = _read_record(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            history.unreadable.append((path.name, f"{type(exc).__name__}: {exc}"))
            continue
        history.runs.append(run)
        if since is not None and run.started_at < since and run.succeeded and run.window is None:
            break
    history.runs.sort(key=lambda run: run.started_at)
    history.unreadable.reverse()
    return history


def find_gaps(
    runs: Iterable[RunRecord],
    window: timedelta,
    now: datetime | None = None,
    editions: Sequence[str] = (),
) -> list[Gap]:
    """Per edition, the stretches between successive successful regular runs in which articles
    may have been missed, and up to `now` (when given); closed where backfills cover them.

    Between two runs, the later one's news sitemap is the evidence: when its oldest entry is
    newer than the start of the earlier run, what was published in between may be gone from it
    (a gap); when it reaches back past that start, nothing is missing, however long the pause.
    Where the sitemap could not tell (it failed, the feed stood in, no dates, an older report),
    the clock decides: more than `window` between the two. The stretch up to `now` has only the
    clock. Before an edition's first success there is nothing to compare with: no gap.

    Gaps are per edition: a run covers the editions its report names (a report that names none
    covers all). `editions` are those to look at when no report names any; gaps of several
    editions with the same stretch and the same closure are one Gap.
    """
    runs = list(runs)
    regular = sorted(
        (run for run in runs if run.succeeded and run.window is None),
        key=lambda run: run.started_at,
    )
    backfills = [run for run in runs if run.succeeded and run.window is not None]
    recorded = sorted({e for run in regular for e in (run.editions or ())})
    names: list[str | None] = list(recorded) if recorded else [None]
    everything = tuple(editions) if not recorded else ()
    grouped: dict[tuple[datetime, datetime, tuple[str, ...]], list[str]] = {}
    for name in names:
        successes = [run for run in regular if run.covers(name, everything)]
        for start, end in _stretches(successes, window, now, name):
            closed_by = _closed_by(Gap(start, end), backfills, name, everything)
            grouped.setdefault((start, end, closed_by), []).extend(
                [name] if name is not None else everything
            )
    gaps = [
        Gap(start, end, tuple(sorted(group)), closed_by)
        for (start, end, closed_by), group in grouped.items()
    ]
    return sorted(gaps, key=lambda gap: (gap.start, gap.end, gap.editions))


def _stretches(
    successes: list[RunRecord], window: timedelta, now: datetime | None, edition: str | None
) -> Iterator[tuple[datetime, datetime]]:
    for earlier, later in pairwise(successes):
        oldest = later.news_oldest.get(edition) if edition is not None else None
        if oldest is not None:
            missed = oldest > earlier.started_at
        else:
            missed = later.started_at - earlier.finished_at > window
        if missed:
            yield earlier.finished_at, later.started_at
    if now is not None and successes and now - successes[-1].finished_at > window:
        yield successes[-1].finished_at, now


def _closed_by(
    gap: Gap, backfills: list[RunRecord], edition: str | None, everything: Sequence[str]
) -> tuple[str, ...]:
    """The backfills that together cover every UTC day of `gap` for `edition` (() if they do
    not). A day counts as covered by a backfill whose window holds it and that started after
    the day ended, or after the gap did (what was published later is the news sitemap's)."""
    first, last = gap.days
    used: set[str] = set()
    day = first
    while day <= last:
        day_end = datetime.combine(day + timedelta(days=1), time.min, UTC)
        done_after = min(day_end, gap.end)
        covering = [
            run for run in backfills
            if run.covers(edition, everything) and run.window is not None
            and run.window[0] <= day <= run.window[1] and run.started_at >= done_after
        ]
        if not covering:
            return ()
        used.add(min(covering, key=lambda run: run.started_at).path.name)
        day += timedelta(days=1)
    return tuple(sorted(used))


def _read_record(path: Path) -> RunRecord:
    report = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(report, dict):
        raise ValueError("not a JSON object")
    return RunRecord(
        path=path,
        started_at=_utc(report["started_at"]),
        # A run that has not (or never) finished has only its start record (run_report).
        finished_at=_utc(report.get("finished_at") or report["started_at"]),
        status=str(report["status"]),
        report=report,
    )


def _utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def gaps_before_run(
    history: RunHistory,
    window: timedelta,
    started_at: datetime,
    editions: Sequence[str],
    news_oldest: dict[str, datetime],
) -> list[Gap]:
    """The open gaps a regular run of `editions` started at `started_at` finds behind it, judged
    by what its news sitemaps listed (`news_oldest`: per edition, the oldest publication time),
    and by the clock for the editions whose sitemap could not tell."""
    this_run = RunRecord(
        path=Path("this run"),
        started_at=started_at,
        finished_at=started_at,
        status=SUCCESS_STATUS,
        report={
            "editions": list(editions),
            "news_sitemap_oldest": {e: t.isoformat() for e, t in news_oldest.items()},
        },
    )
    runs = [run for run in history.runs if run.started_at < started_at]
    return [
        gap
        for gap in find_gaps([*runs, this_run], window, editions=editions)
        if gap.end == started_at and not gap.closed
    ]
