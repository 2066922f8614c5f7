"""Archive at scale: `newsbot merge` and `newsbot status` over a year's archive (1,000,000 lines).

The archive is written as newsbot writes it (one JSON line per article version, 365 daily
files, 31 editions), with article-sized lines and a few new versions of earlier articles among
them, beside a year of run reports (one every 30 minutes, as crontab.example runs). Each command
runs as its own child process (`python -m newsbot ...`), so its wall time and peak RSS are those
a user sees. `status` runs twice: the first call builds the status summary (one read of every
line); the second comes after one more day of lines, as a cron user's morning call does, and
reads only that day. Both must count exactly the distinct articles the builder wrote.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.measure import PROJECT_DIR, ChildRun, run_child
from benchmarks.report import Check, Section
from newsbot.crawling.health import ExitCode, Verdict
from newsbot.crawling.run_report import RUNS_SUBDIR, build_report
from newsbot.permalink import permalink_for
from newsbot.settings import NEWSBOT_KNOWN_LANGUAGES
from newsbot.storage import archive_dir, status_summary_path
from newsbot.storage.jsonl import encode_line

DEFAULT_LINES = 1_000_000
DAYS = 365
VERSION_SHARE = 0.02  # lines that are a later version of an article stored earlier
BODY_WORDS = 450  # about 3 KB of body text: a short DW article
MAX_MERGE_RSS_MB = 500.0
MAX_STATUS_SECONDS = 5.0
RUN_EVERY = timedelta(minutes=30)
EDITIONS = NEWSBOT_KNOWN_LANGUAGES
WORDS = ("government", "minister", "election", "climate", "energy", "Berlin", "reported", "said")
FIRST_DAY = date(2025, 1, 1)
FIRST_ID = 70_000_000


class ArchiveBuilder:
    """Writes the archive a day at a time, and knows the distinct articles of each edition."""

    def __init__(self, data_dir: Path, lines: int, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.directory = archive_dir(data_dir)
        self.directory.mkdir(parents=True)
        self.body = " ".join(self.rng.choice(WORDS) for _ in range(BODY_WORDS))
        self.per_day = lines // DAYS + 1
        self.articles = 0
        self.size = 0
        self.editions: Counter[str] = Counter()  # distinct articles per edition

    def write_day(self, offset: int, lines: int) -> None:
        """Write `lines` lines scraped on day FIRST_DAY + `offset` into that day's file."""
        day = FIRST_DAY + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        chunk: list[bytes] = []
        for index in range(lines):
            if self.articles and self.rng.random() < VERSION_SHARE:
                content_id = FIRST_ID + self.rng.randrange(self.articles)  # a new version
            else:
                content_id = FIRST_ID + self.articles
                self.articles += 1
                self.editions[_edition(content_id)] += 1
            scraped = start + timedelta(seconds=index * 86_400 // lines)
            chunk.append(encode_line(_record(content_id, scraped, self.body)))
        data = b"".join(chunk)
        with (self.directory / f"{day.isoformat()}.jsonl").open("ab") as handle:
            handle.write(data)
        self.size += len(data)


def build(data_dir: Path, lines: int) -> ArchiveBuilder:
    """Write `lines` archive lines over DAYS daily files."""
    builder = ArchiveBuilder(data_dir, lines)
    written = 0
    for offset in range(DAYS):
        count = min(builder.per_day, lines - written)
        builder.write_day(offset, count)
        written += count
    return builder


def write_run_reports(data_dir: Path) -> int:
    """A successful run report every RUN_EVERY over the year up to now; return how many.

    Up to now, not over the archive's days: status reads the reports of the days it shows.
    """
    runs = data_dir / RUNS_SUBDIR
    runs.mkdir()
    end = datetime.now(UTC)
    started = end - timedelta(days=DAYS)
    count = 0
    while started < end:
        verdict = Verdict(ExitCode.OK, "ok")
        report = build_report({}, started, started + timedelta(minutes=3), verdict)
        name = started.strftime("%Y-%m-%dT%H-%M-%S.%fZ") + ".json"
        (runs / name).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        started += RUN_EVERY
        count += 1
    return count


def _edition(content_id: int) -> str:
    return EDITIONS[content_id % len(EDITIONS)]


def _record(content_id: int, scraped: datetime, body: str) -> dict[str, object]:
    language = _edition(content_id)
    stamp = scraped.isoformat().replace("+00:00", "Z")
    return {
        "url": f"https://www.dw.com/{language}/article-{content_id}/a-{content_id}",
        "content_id": content_id,
        "permalink": permalink_for(content_id),
        "language": language,
        "title": f"Article {content_id}: what the government said about energy",
        "summary": "A teaser of one or two sentences that sums the article up for the reader.",
        "authors": ["Jane Doe"],
        "editors": ["Max Mustermann"],
        "published": stamp,
        "modified": stamp,
        "topics": ["Politics", "Energy"],
        "body": body,
        "image": f"https://static.dw.com/image/{content_id}_605.jpg",
        "agencies": ["dpa", "Reuters"],
        "scraped_at": stamp,
    }


def newsbot(*args: str) -> ChildRun:
    """Run `python -m newsbot ARGS` from the project directory and measure it."""
    child = run_child([sys.executable, "-m", "newsbot", *args], cwd=PROJECT_DIR, timeout=1800)
    if child.returncode != 0:  # status too: the run reports are healthy
        raise RuntimeError(f"newsbot {' '.join(args)} failed:\n{child.stderr[-3000:]}")
    return child


def run(lines: int = DEFAULT_LINES) -> Section:
    """Build the archive in a temporary directory, merge it both ways, count it twice, report."""
    with tempfile.TemporaryDirectory(prefix="newsbot-archive-") as tmp:
        data_dir = Path(tmp) / "data"
        builder = build(data_dir, lines)
        size = builder.size
        reports = write_run_reports(data_dir)
        last_day = FIRST_DAY + timedelta(days=DAYS - 1)
        span = ["--data-dir", str(data_dir), "--from", str(FIRST_DAY), "--to", str(last_day)]
        runs = {
            f"newsbot merge --out merged{suffix}": newsbot(
                "merge", *span, "--out", str(Path(tmp) / f"merged{suffix}")
            )
            for suffix in (".parquet", ".jsonl")
        }
        first = runs["newsbot status --json (first call: builds the summary)"] = newsbot(
            "status", "--data-dir", str(data_dir), "--json"
        )
        first_counts, first_expected = _edition_totals(first), dict(builder.editions)
        summary_mb = status_summary_path(data_dir).stat().st_size / 2**20
        builder.write_day(DAYS, builder.per_day)  # the night's runs
        morning = runs["newsbot status --json (after one more day: the morning call)"] = newsbot(
            "status", "--data-dir", str(data_dir), "--json"
        )
        expected, morning_counts = dict(builder.editions), _edition_totals(morning)
    articles = sum(expected.values())
    section = Section(
        f"Archive at scale ({lines:,} lines, {articles:,} articles, {DAYS} daily files, "
        f"{size / 2**30:.1f} GB)",
        ("command", "wall time", "peak RSS"),
    )
    for label, child in runs.items():
        section.rows.append((label, f"{child.seconds:.1f} s", f"{child.peak_rss_mb:.0f} MB"))
    for suffix in (".parquet", ".jsonl"):
        child = runs[f"newsbot merge --out merged{suffix}"]
        section.checks.append(
            Check(
                f"merge to {suffix}: peak RSS",
                f"{child.peak_rss_mb:.0f} MB",
                f"< {MAX_MERGE_RSS_MB:g} MB",
                child.peak_rss_mb < MAX_MERGE_RSS_MB,
            )
        )
    section.checks.append(
        Check(
            "status, the morning call: wall time",
            f"{morning.seconds:.1f} s",
            f"< {MAX_STATUS_SECONDS:g} s",
            morning.seconds < MAX_STATUS_SECONDS,
        )
    )
    section.checks.append(
        Check(
            "status: per-edition totals = distinct articles written (both calls)",
            f"{_mismatches(first_counts, first_expected) + _mismatches(morning_counts, expected)}"
            " edition(s) off",
            "0",
            first_counts == first_expected and morning_counts == expected,
        )
    )
    section.notes.append(
        f"{VERSION_SHARE:.0%} of the lines are later versions of earlier articles; bodies of "
        f"{BODY_WORDS} words; {reports:,} run reports (one every 30 minutes). The archive is "
        f"freshly written, so it is in the page cache. The status summary "
        f"(status-summary.sqlite3) takes {summary_mb:.0f} MB; the morning call reads one day's "
        f"file ({builder.per_day:,} lines) and the summary's index."
    )
    return section


def _edition_totals(child: ChildRun) -> dict[str, int]:
    report = json.loads(child.stdout)
    return {edition: counts["total"] for edition, counts in report["editions"].items()}


def _mismatches(found: dict[str, int], expected: dict[str, int]) -> int:
    return sum(found.get(e) != expected.get(e) for e in set(found) | set(expected))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES)
    print(run(parser.parse_args().lines).text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
