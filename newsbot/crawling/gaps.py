"""Coverage gaps: stretches with no successful run longer than the news sitemaps reach back.

DW's news sitemaps list only about the last two days (`NEWSBOT_NEWS_WINDOW_HOURS`). When the
archive's runs pause for longer (the machine was off, every run failed), articles published in
that stretch are no longer offered by the news sitemaps and only a backfill from the article
sitemaps (`-a since= -a until=`) finds them. The run's own warning and `newsbot status` both
read the run reports in `DATA_DIR/runs/` through this module, so they agree on what a gap is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
    """No successful run between `start` (a success finished) and `end` (the next one started)."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def backfill_command(self, languages: Sequence[str] = ()) -> str:
        """The command that fills the gap in from the article sitemaps (inclusive UTC days)."""
        lang = f" -a lang={','.join(languages)}" if languages else ""
        since, until = self.start.astimezone(UTC).date(), self.end.astimezone(UTC).date()
        return f"newsbot run{lang} -a since={since.isoformat()} -a until={until.isoformat()}"


def read_history(data_dir: str | Path, since: datetime | None = None) -> RunHistory:
    """Read `DATA_DIR/runs/*.json`; a corrupt report is listed with its reason, never raised.

    With `since`, only the reports a look at the runs from `since` on needs: those started
    since then, and back to the last successful run before (where a gap into `since` begins,
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
        if since is not None and run.started_at < since and run.succeeded:
            break
    history.runs.sort(key=lambda run: run.started_at)
    history.unreadable.reverse()
    return history


def find_gaps(
    runs: Iterable[RunRecord], window: timedelta, now: datetime | None = None
) -> list[Gap]:
    """Stretches longer than `window` between successive successful runs, and up to `now`.

    A gap runs from the end of one successful run to the start of the next (or to `now` when
    given: the stretch since the last success also counts). Before the first success there is
    nothing to compare with, so no gap is reported there.
    """
    successes = sorted((run for run in runs if run.succeeded), key=lambda run: run.started_at)
    gaps: list[Gap] = []
    for earlier, later in pairwise(successes):
        if later.started_at - earlier.finished_at > window:
            gaps.append(Gap(earlier.finished_at, later.started_at))
    if now is not None and successes and now - successes[-1].finished_at > window:
        gaps.append(Gap(successes[-1].finished_at, now))
    return gaps


def _read_record(path: Path) -> RunRecord:
    report = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(report, dict):
        raise ValueError("not a JSON object")
    return RunRecord(
        path=path,
        started_at=_utc(report["started_at"]),
        finished_at=_utc(report["finished_at"]),
        status=str(report["status"]),
        report=report,
    )


def _utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def coverage_gap(history: RunHistory, window: timedelta, now: datetime) -> Gap | None:
    """The gap a run starting `now` opens: its last successful predecessor finished longer than
    `window` ago (None when it did not, or when there is no successful run to compare with)."""
    last = history.last_success(before=now)
    if last is None or now - last.finished_at <= window:
        return None
    return Gap(last.finished_at, now)
