"""The archive's file names, written and read back by newsbot.storage.layout alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsbot.storage.layout import (
    all_files,
    archive_files,
    daily_file,
    daily_files_by_month,
    file_span,
    monthly_file,
)


def test_names_are_read_back_as_the_days_they_cover(tmp_path: Path) -> None:
    day = daily_file(tmp_path, date(2026, 2, 3))
    month = monthly_file(tmp_path, date(2024, 2, 17))
    assert (day.name, month.name) == ("2026-02-03.jsonl", "2024-02.jsonl")
    assert file_span(day) == (date(2026, 2, 3), date(2026, 2, 3))
    assert file_span(month) == (date(2024, 2, 1), date(2024, 2, 29))  # a leap year
    assert file_span(monthly_file(tmp_path, date(2025, 12, 1))) == (
        date(2025, 12, 1), date(2025, 12, 31))
    for other in ("notes.jsonl", "2026-02-03.jsonl.bak", "2026-13.jsonl", "2026-02-30.jsonl",
                  "seen.sqlite3"):
        assert file_span(tmp_path / other) is None, other


def test_files_are_listed_oldest_first_a_month_before_its_days(tmp_path: Path) -> None:
    names = ["2026-03-02.jsonl", "2026-03.jsonl", "2026-02-28.jsonl", "2026-03-01.jsonl",
             "notes.jsonl", "2026-03-01.json", "2026-13.jsonl"]
    for name in names:
        (tmp_path / name).write_text("")
    assert [p.name for p in all_files(tmp_path)] == [
        "2026-02-28.jsonl", "2026-03.jsonl", "2026-03-01.jsonl", "2026-03-02.jsonl"]
    assert [p.name for p in archive_files(tmp_path, date(2026, 3, 2), date(2026, 3, 31))] == [
        "2026-03.jsonl", "2026-03-02.jsonl"]
    assert [(m, p.name) for m, p in daily_files_by_month(tmp_path)] == [
        (date(2026, 2, 1), "2026-02-28.jsonl"),
        (date(2026, 3, 1), "2026-03-01.jsonl"),
        (date(2026, 3, 1), "2026-03-02.jsonl"),
    ]
