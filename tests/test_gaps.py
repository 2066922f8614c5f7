"""Coverage gaps read from real run-report files (newsbot.crawling.gaps)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.crawling.gaps import Gap, coverage_gap, find_gaps, read_history

WINDOW = timedelta(hours=48)


def _report(runs: Path, started: datetime, hours: float, status: str = "ok") -> None:
    finished = started + timedelta(hours=hours)
    name = started.strftime("%Y-%m-%dT%H-%M-%S.%fZ") + ".json"
    (runs / name).write_text(
        json.dumps(
            {"status": status, "started_at": started.isoformat(), "finished_at": finished.isoformat()}
        )
    )


def _day(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=UTC)


def test_a_three_day_pause_between_successes_is_one_gap_with_its_backfill(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    _report(runs, _day(1), 0.5)
    _report(runs, _day(2), 0.5)
    _report(runs, _day(3), 0.5, status="no_listing")  # a failed run does not close a gap
    _report(runs, _day(5, 12), 0.5)
    history = read_history(tmp_path)
    assert [run.succeeded for run in history.runs] == [True, True, False, True]
    gaps = find_gaps(history.runs, WINDOW)
    assert gaps == [Gap(_day(2) + timedelta(minutes=30), _day(5, 12))]
    assert gaps[0].hours == 83.5
    assert gaps[0].backfill_command(["en", "de"]) == (
        "newsbot run -a lang=en,de -a since=2026-06-02 -a until=2026-06-05"
    )
    assert history.last_success(before=_day(5)).started_at == _day(2)


def test_the_stretch_up_to_now_counts_and_a_short_pause_does_not(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    _report(runs, _day(1), 1)
    _report(runs, _day(2), 1)
    history = read_history(tmp_path)
    assert find_gaps(history.runs, WINDOW, now=_day(3)) == []
    assert find_gaps(history.runs, WINDOW, now=_day(6)) == [Gap(_day(2, 1), _day(6))]


def test_unreadable_reports_are_named_not_raised(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    _report(runs, _day(1), 1)
    (runs / "broken.json").write_text('{"status": "ok", "started_at": ')
    (runs / "list.json").write_text("[]")
    (runs / "nodate.json").write_text('{"status": "ok"}')
    history = read_history(tmp_path)
    assert len(history.runs) == 1
    assert sorted(name for name, _ in history.unreadable) == ["broken.json", "list.json", "nodate.json"]
    assert read_history(tmp_path / "missing").runs == []


def test_the_gap_a_run_opens_counts_only_from_the_last_success(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    _report(runs, _day(1), 0.1)
    _report(runs, _day(3), 0.1, status="no_listing")  # a failure does not close the gap
    history = read_history(tmp_path)
    assert coverage_gap(history, WINDOW, _day(2, 23)) is None  # 48 h or less: no gap
    gap = coverage_gap(history, WINDOW, _day(4))
    assert gap is not None and gap.start == _day(1) + timedelta(hours=0.1)
    assert gap.backfill_command(["en"]) == (
        "newsbot run -a lang=en -a since=2026-06-01 -a until=2026-06-04"
    )
    assert coverage_gap(read_history(tmp_path / "nowhere"), WINDOW, _day(4)) is None


def test_since_reads_back_only_to_the_last_success_before_it(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "2026-06-01T00-00-00.000000Z.json").write_text("corrupt, but long before")
    for day in range(2, 7):
        _report(runs, _day(day), 1)
    _report(runs, _day(7), 1, status="no_listing")  # the last run before `since` failed
    (runs / "2026-06-09T00-00-00.000000Z.json").write_text("corrupt, and recent")
    _report(runs, _day(10, 12), 1)

    history = read_history(tmp_path, since=_day(8))

    assert [run.started_at for run in history.runs] == [_day(6), _day(7), _day(10, 12)]
    assert [name for name, _ in history.unreadable] == ["2026-06-09T00-00-00.000000Z.json"]
    assert history.last_success() == history.runs[-1]
    # the gap reaching into the days asked about starts where the full history says it does
    assert find_gaps(history.runs, WINDOW) == find_gaps(read_history(tmp_path).runs, WINDOW)[-1:]
    assert find_gaps(history.runs, WINDOW) == [Gap(_day(6, 1), _day(10, 12))]
