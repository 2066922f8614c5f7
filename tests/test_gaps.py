"""Coverage gaps read from real run-report files (newsbot.crawling.gaps)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.crawling.gaps import Gap, find_gaps, gaps_before_run, read_history

WINDOW = timedelta(hours=48)


def _report(
    runs: Path, started: datetime, hours: float, status: str = "ok", **extra: object
) -> str:
    finished = started + timedelta(hours=hours)
    name = started.strftime("%Y-%m-%dT%H-%M-%S.%fZ") + ".json"
    (runs / name).write_text(
        json.dumps(
            {"status": status, "started_at": started.isoformat(), "finished_at": finished.isoformat(),
             **extra}
        )
    )
    return name


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
    assert gaps_before_run(history, WINDOW, _day(2, 23), ["en"], {}) == []  # 48 h or less
    (gap,) = gaps_before_run(history, WINDOW, _day(4), ["en"], {})
    assert gap.start == _day(1) + timedelta(hours=0.1) and gap.editions == ("en",)
    assert gap.backfill_command() == "newsbot run -a lang=en -a since=2026-06-01 -a until=2026-06-04"
    assert gaps_before_run(read_history(tmp_path / "nowhere"), WINDOW, _day(4), ["en"], {}) == []


def test_the_news_sitemap_is_the_evidence_and_the_clock_only_its_stand_in(tmp_path: Path) -> None:
    """Runs 24 h apart with a failed run between: 48.0000 h is not a gap when the sitemap still
    reaches back past the last success's start; 20 h is one when it no longer does."""
    runs = tmp_path / "runs"
    runs.mkdir()
    _report(runs, _day(1), 0, editions=["en", "de"])
    _report(runs, _day(2), 0.1, status="no_listing", editions=["en", "de"])
    history = read_history(tmp_path)
    reaches_back = {"en": _day(1) - timedelta(hours=2), "de": _day(1) - timedelta(hours=1)}
    assert gaps_before_run(history, WINDOW, _day(3, 0), ["en", "de"], reaches_back) == []
    # a second past 48 h: only the edition whose sitemap could not tell goes by the clock
    later = _day(3, 0) + timedelta(seconds=1)
    (clock,) = gaps_before_run(history, WINDOW, later, ["en", "de"], {"en": reaches_back["en"]})
    assert clock.editions == ("de",)
    # 20 h after, but the news sitemap now starts after the last run's start: a gap by evidence
    short = _day(1, 20)
    (evidence,) = gaps_before_run(history, WINDOW, short, ["en", "de"],
                                  {"en": _day(1, 2), "de": _day(1) - timedelta(hours=3)})
    assert evidence == Gap(_day(1), short, ("en",))


def test_backfills_close_the_gaps_of_their_editions_that_they_cover(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    both = ["en", "de"]
    _report(runs, _day(1), 1, editions=both)
    _report(runs, _day(6, 12), 1, editions=both)  # after a 4.5-day outage
    (gap,) = find_gaps(read_history(tmp_path).runs, WINDOW)
    assert gap == Gap(_day(1, 1), _day(6, 12), ("de", "en")) and not gap.closed
    # en backfilled in two parts, both after the gap ended; de only up to the 5th
    first = _report(runs, _day(6, 13), 1, editions=["en"],
                    window={"since": "2026-06-01", "until": "2026-06-03"})
    second = _report(runs, _day(6, 14), 1, editions=["en"],
                     window={"since": "2026-06-04", "until": "2026-06-06"})
    _report(runs, _day(6, 15), 1, editions=["de"], window={"since": "2026-06-01", "until": "2026-06-05"})
    _report(runs, _day(6, 16), 1, status="no_listing", editions=["de"],  # failed: closes nothing
            window={"since": "2026-06-01", "until": "2026-06-06"})
    gaps = find_gaps(read_history(tmp_path).runs, WINDOW)
    closed_en = Gap(_day(1, 1), _day(6, 12), ("en",), (first, second))
    assert closed_en in gaps and closed_en.closed
    (open_de,) = [gap for gap in gaps if gap.editions == ("de",)]
    assert not open_de.closed  # its 6th is not covered
    # ...which is closed once de's 6th is covered too; a backfill started before a day
    # ended, and before the gap did, does not count for that day
    _report(runs, _day(6, 11), 1, editions=["de"], window={"since": "2026-06-06", "until": "2026-06-06"})
    assert not next(gap for gap in find_gaps(read_history(tmp_path).runs, WINDOW)
                if gap.editions == ("de",)).closed
    _report(runs, _day(7), 1, editions=["de"], window={"since": "2026-06-06", "until": "2026-06-06"})
    assert all(gap.closed for gap in find_gaps(read_history(tmp_path).runs, WINDOW))


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
