"""`newsbot status`: did the last runs work, is anything missing, what does the archive hold.

It reads only what a run leaves behind (the run reports in DATA_DIR/runs/ and the JSONL
archive), so it works from cron, a systemd timer or a monitoring check while a crawl runs, and
its exit code is the alarm: 0 when healthy; LAST_RUN_FAILED when the newest run report is not
`ok`, or is the start record of a run that died (newsbot.crawling.run_report);
NO_RECENT_SUCCESS when no successful run finished within `--max-age` hours (or there is no run
report at all); OPEN_GAP when a coverage gap that no backfill closed lies in the days shown.
The codes differ from `newsbot run`'s, so a check never mistakes one for the other.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from pathlib import Path
from typing import Any

from newsbot.crawling.gaps import Gap, RunHistory, RunRecord, find_gaps, read_history
from newsbot.crawling.run_report import RUNNING_STATUS, RUNS_SUBDIR
from newsbot.operations.archive_stats import ArchiveSummary, summarize_archive
from newsbot.storage import DEFAULT_FILE_MODE, archive_dir, status_summary_path
from newsbot.storage.pages import kept_pages_line, kept_pages_size

# Runs listed in the text output (the JSON lists every run of the last N days).
RUNS_SHOWN = 5
# Day columns in the text output; more would not fit a terminal line (the JSON has them all).
DAY_COLUMNS = 14


class StatusCode(IntEnum):
    """Exit status of `newsbot status`; documented in README and crontab.example."""

    HEALTHY = 0
    LAST_RUN_FAILED = 10
    NO_RECENT_SUCCESS = 11
    OPEN_GAP = 13


@dataclass
class Status:
    """Everything `newsbot status` and `newsbot report` show about one data directory."""

    data_dir: Path
    now: datetime
    days: list[date]  # the last N UTC days, oldest first
    history: RunHistory
    archive: ArchiveSummary
    gaps: list[Gap]
    news_window: timedelta  # NEWSBOT_NEWS_WINDOW_HOURS: a longer stretch is a gap
    backfill_languages: list[str]
    code: StatusCode = StatusCode.HEALTHY
    problems: list[str] = field(default_factory=list)  # why it is unhealthy

    @property
    def healthy(self) -> bool:
        return self.code == StatusCode.HEALTHY

    @property
    def window_start(self) -> datetime:
        """Midnight UTC of the first of the last N days."""
        return datetime.combine(self.days[0], datetime.min.time(), UTC)

    @property
    def recent_runs(self) -> list[RunRecord]:
        """Runs started within the last N days; the last run ever when none did."""
        recent = [run for run in self.history.runs if run.started_at >= self.window_start]
        return recent or self.history.runs[-1:]


def collect_status(
    data_dir: Path,
    days: int,
    news_window: timedelta,
    max_age: timedelta | None = None,
    known_editions: Collection[str] = (),
    keep_latest: int = 0,
    now: datetime | None = None,
    file_mode: int = DEFAULT_FILE_MODE,
) -> Status:
    """Read the run reports and the archive of `data_dir` and judge its health.

    The archive is counted through the status summary beside it (created with `file_mode`),
    so a call reads only the lines added since the previous one.
    """
    now = now or datetime.now(UTC)
    today = now.date()
    window = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    first = datetime.combine(window[0], datetime.min.time(), UTC)
    history = read_history(data_dir, since=first)
    archive = summarize_archive(
        archive_dir(data_dir), known_editions, keep_latest, _summary_path(data_dir), file_mode
    )
    languages = [e for e in archive.editions if not known_editions or e in known_editions]
    gaps = [
        gap
        for gap in find_gaps(history.runs, news_window, now, editions=languages)
        if gap.end >= first
    ]
    status = Status(data_dir, now, window, history, archive, gaps, news_window, languages)
    _judge(status, max_age)
    return status


def _summary_path(data_dir: Path) -> Path | None:
    """The status summary, where there is an archive to summarize (status never makes one)."""
    return status_summary_path(data_dir) if archive_dir(data_dir).is_dir() else None


def in_progress(run: RunRecord) -> bool:
    """A start record whose process is still alive: the run is going on now."""
    if run.status != RUNNING_STATUS:
        return False
    pid = run.report.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _judge(status: Status, max_age: timedelta | None) -> None:
    runs = status.history.runs
    if not runs:
        status.code = StatusCode.NO_RECENT_SUCCESS
        status.problems.append(f"no run report in {status.data_dir / RUNS_SUBDIR}: no run yet")
        return
    # A run going on now is not judged: the one before it is the last run.
    last = next((run for run in reversed(runs) if not in_progress(run)), None)
    if last is not None and last.status == RUNNING_STATUS:  # all that a dead run left
        status.code = StatusCode.LAST_RUN_FAILED
        status.problems.append(
            f"the last run ({_minute(last.started_at)}, pid {last.report.get('pid')}) did not "
            "finish: it was killed (SIGKILL, out of memory, power loss) or could not write its "
            f"report (disk full?); see its log, then rerun ({last.path.name})"
        )
    elif last is not None and not last.succeeded:
        status.code = StatusCode.LAST_RUN_FAILED
        message = last.report.get("message") or "no message"
        status.problems.append(
            f"the last run ({_minute(last.started_at)}) failed: {last.status}: {message}"
        )
    if max_age is not None:
        success = status.history.last_success()
        if success is None or status.now - success.finished_at > max_age:
            if status.healthy:
                status.code = StatusCode.NO_RECENT_SUCCESS
            since = f"since {_minute(success.finished_at)}" if success else "ever"
            status.problems.append(
                f"no successful run within --max-age {_hours(max_age)} h ({since})"
            )
    open_gaps = [gap for gap in status.gaps if not gap.closed]
    if open_gaps:
        if status.healthy:
            status.code = StatusCode.OPEN_GAP
        status.problems.append(
            f"{len(open_gaps)} open coverage gap(s) since {status.days[0]}; close them with: "
            + "; ".join(gap.backfill_command() for gap in open_gaps)
        )


# --- JSON -----------------------------------------------------------------------------------


def status_json(status: Status) -> dict[str, Any]:
    """The `--json` object: runs, editions, gaps and healthy, then what else went wrong."""
    archive = status.archive
    return {
        "runs": [run_summary(run) for run in status.recent_runs],
        "editions": {
            edition: {
                "total": counts.total,
                "days": {day.isoformat(): counts.days.get(day, 0) for day in status.days},
                "published_days": {
                    day.isoformat(): counts.published_days.get(day, 0) for day in status.days
                },
            }
            for edition, counts in archive.editions.items()
        },
        "gaps": [
            {
                "start": gap.start.isoformat(),
                "end": gap.end.isoformat(),
                "hours": round(gap.hours, 1),
                "editions": list(gap.editions),
                "closed": gap.closed,
                "closed_by": list(gap.closed_by) if gap.closed else None,
                "backfill": None if gap.closed else gap.backfill_command(),
            }
            for gap in status.gaps
        ],
        "healthy": status.healthy,
        "exit_code": int(status.code),
        "problems": status.problems,
        "archive": {
            "files": archive.files,
            "lines": archive.lines,
            "articles": archive.articles,
            "unreadable_lines": archive.unreadable,
            "invalid_lines": archive.invalid,
            "bad_lines": [
                {"file": bad.file, "line": bad.line, "reason": bad.reason}
                for bad in archive.examples
            ],
            "unknown_editions": archive.unknown_editions,
        },
        "kept_pages": kept_pages_size(status.data_dir),
        "unreadable_reports": [
            {"file": name, "reason": reason} for name, reason in status.history.unreadable
        ],
    }


def run_summary(run: RunRecord) -> dict[str, Any]:
    """The columns of one run: when, how long, how it ended, what it stored and failed."""
    report = run.report
    articles = _mapping(report.get("articles"))
    warnings = report.get("warnings")
    return {
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "duration_seconds": (run.finished_at - run.started_at).total_seconds(),
        "status": run.status,
        "exit_code": report.get("exit_code"),
        "message": report.get("message"),
        "stored": _int(articles.get("stored")),
        "failed": article_failures(articles),
        "warnings": warnings if isinstance(warnings, list) else [],
        "report": run.path.name,
    }


def article_failures(articles: Mapping[str, Any]) -> int:
    """Article pages of a run that yielded nothing, as newsbot.crawling.health counts them."""
    dropped = _mapping(articles.get("dropped"))
    return (
        _int(articles.get("failed"))
        + sum(_int(n) for n in _mapping(articles.get("rejected")).values())
        + sum(_int(n) for reason, n in dropped.items() if reason.startswith("missing_"))
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


# --- text -----------------------------------------------------------------------------------


def status_text(status: Status) -> str:
    """A few screen lines: verdict, last runs, the archive per edition and day, gaps, problems."""
    lines = [_headline(status)]
    lines += _runs_lines(status)
    lines += _archive_lines(status)
    lines.append(kept_pages_line(status.data_dir))
    lines += _gap_lines(status)
    lines += _problem_lines(status)
    return "\n".join(lines) + "\n"


def _headline(status: Status) -> str:
    verdict = "healthy" if status.healthy else f"UNHEALTHY (exit {int(status.code)})"
    return f"newsbot status of {status.data_dir} at {_minute(status.now)} UTC: {verdict}"


def _runs_lines(status: Status) -> list[str]:
    runs = status.recent_runs
    if not runs:
        return ["Runs: none"]
    ok = sum(run.succeeded for run in runs)
    if runs[0].started_at < status.window_start:
        head = f"Runs: none since {status.days[0]}; the last one:"
    else:
        head = (
            f"Runs: {len(runs)} since {status.days[0]} ({ok} ok, {len(runs) - ok} failed); "
            f"the last {min(len(runs), RUNS_SHOWN)}:"
        )
    lines = [
        head,
        f"  {'started (UTC)':<16}  {'duration':>8}  {'status':<16}  {'stored':>6}  "
        f"{'failed':>6}  {'warnings':>8}",
    ]
    for run in runs[-RUNS_SHOWN:]:
        row = run_summary(run)
        lines.append(
            f"  {_minute(run.started_at):<16}  {row['duration_seconds']:>7.1f}s  "
            f"{run.status:<16}  {row['stored']:>6}  {row['failed']:>6}  {len(row['warnings']):>8}"
        )
    return lines


def _archive_lines(status: Status) -> list[str]:
    archive = status.archive
    head = (
        f"Archive: {archive.articles} article(s) in {len(archive.editions)} edition(s) "
        f"({archive.lines} line(s) in {archive.files} file(s))"
    )
    if not archive.editions:
        return [head]
    days = status.days[-DAY_COLUMNS:]
    shown = f"last {len(days)} of {len(status.days)} days" if len(days) < len(status.days) else (
        f"last {len(days)} days"
    )
    width = max(5, *(len(str(c.total)) for c in archive.editions.values()))
    columns = f"  {'edition':<8} {'total':>{width}} " + " ".join(
        day.strftime("%m-%d") for day in days
    )
    lines = [f"{head}; new articles per UTC day stored, {shown}:", columns]
    for edition, counts in archive.editions.items():
        per_day = " ".join(f"{counts.days.get(day, 0):>5}" for day in days)
        lines.append(f"  {edition:<8} {counts.total:>{width}} {per_day}")
    lines += [f"Articles per UTC day published, {shown}:", columns]
    for edition, counts in archive.editions.items():
        per_day = " ".join(f"{counts.published_days.get(day, 0):>5}" for day in days)
        lines.append(f"  {edition:<8} {counts.total:>{width}} {per_day}")
    return lines


def _gap_lines(status: Status) -> list[str]:
    head = (
        f"Gaps (no successful run for more than {_hours(status.news_window)} h, or one whose "
        "news sitemap no longer reached back)"
    )
    if not status.gaps:
        return [f"{head}: none since {status.days[0]}"]
    lines = [f"{head}:"]
    for gap in status.gaps:
        editions = ",".join(gap.editions) or "all editions"
        what = (
            f"closed by backfill {', '.join(gap.closed_by)}" if gap.closed
            else f"OPEN; backfill: {gap.backfill_command()}"
        )
        lines.append(
            f"  {_minute(gap.start)} to {_minute(gap.end)} ({gap.hours:.1f} h) {editions}: {what}"
        )
    return lines


def _problem_lines(status: Status) -> list[str]:
    archive, lines = status.archive, []
    if status.history.unreadable:
        named = "; ".join(f"{name} ({reason})" for name, reason in status.history.unreadable[:3])
        lines.append(f"  {len(status.history.unreadable)} unreadable run report(s): {named}")
    if archive.unreadable or archive.invalid:
        named = "; ".join(f"{bad.file}:{bad.line} {bad.reason}" for bad in archive.examples)
        lines.append(
            f"  {archive.unreadable} unreadable archive line(s) (not counted), {archive.invalid} "
            f"not matching the item schema: {named}"
        )
    if archive.unknown_editions:
        named = ", ".join(f"{e} ({n} article(s))" for e, n in archive.unknown_editions.items())
        lines.append(f"  unknown edition(s) in the archive: {named}")
    lines += [f"  {problem}" for problem in status.problems]
    return ["Problems:", *lines] if lines else []


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:g}"
