"""Archive at scale: `newsbot merge` of a year's archive (1,000,000 lines) to Parquet and JSONL.

The archive is written as newsbot writes it (one JSON line per article version, 365 daily
files, 31 editions), with article-sized lines and a few new versions of earlier articles among
them. Each command runs as its own child process (`python -m newsbot ...`), so its wall time and
peak RSS are those a user sees.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.measure import PROJECT_DIR, ChildRun, run_child
from benchmarks.report import Check, Section
from newsbot.permalink import permalink_for
from newsbot.settings import NEWSBOT_KNOWN_LANGUAGES
from newsbot.storage import archive_dir
from newsbot.storage.jsonl import encode_line

DEFAULT_LINES = 1_000_000
DAYS = 365
VERSION_SHARE = 0.02  # lines that are a later version of an article stored earlier
BODY_WORDS = 450  # about 3 KB of body text: a short DW article
MAX_MERGE_RSS_MB = 500.0
EDITIONS = NEWSBOT_KNOWN_LANGUAGES
WORDS = ("government", "minister", "election", "climate", "energy", "Berlin", "reported", "said")
FIRST_DAY = date(2025, 1, 1)
FIRST_ID = 70_000_000


def build(data_dir: Path, lines: int, seed: int = 11) -> tuple[int, int]:
    """Write `lines` archive lines over DAYS daily files; return (articles, bytes written)."""
    rng = random.Random(seed)
    directory = archive_dir(data_dir)
    directory.mkdir(parents=True)
    body = " ".join(rng.choice(WORDS) for _ in range(BODY_WORDS))
    per_day = lines // DAYS + 1
    written = articles = size = 0
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        chunk: list[bytes] = []
        for index in range(min(per_day, lines - written)):
            if articles and rng.random() < VERSION_SHARE:
                content_id = FIRST_ID + rng.randrange(articles)  # a new version of an old one
            else:
                content_id = FIRST_ID + articles
                articles += 1
            scraped = start + timedelta(seconds=index * 86_400 // per_day)
            chunk.append(encode_line(_record(content_id, scraped, body)))
            written += 1
        data = b"".join(chunk)
        (directory / f"{day.isoformat()}.jsonl").write_bytes(data)
        size += len(data)
    return articles, size


def _record(content_id: int, scraped: datetime, body: str) -> dict[str, object]:
    language = EDITIONS[content_id % len(EDITIONS)]
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
    if child.returncode != 0:
        raise RuntimeError(f"newsbot {' '.join(args)} failed:\n{child.stderr[-3000:]}")
    return child


def run(lines: int = DEFAULT_LINES) -> Section:
    """Build the archive in a temporary directory, merge it both ways, report."""
    with tempfile.TemporaryDirectory(prefix="newsbot-archive-") as tmp:
        data_dir = Path(tmp) / "data"
        articles, size = build(data_dir, lines)
        last_day = FIRST_DAY + timedelta(days=DAYS - 1)
        span = ["--data-dir", str(data_dir), "--from", str(FIRST_DAY), "--to", str(last_day)]
        runs = {
            suffix: newsbot("merge", *span, "--out", str(Path(tmp) / f"merged{suffix}"))
            for suffix in (".parquet", ".jsonl")
        }
    section = Section(
        f"Archive at scale ({lines:,} lines, {articles:,} articles, {DAYS} daily files, "
        f"{size / 2**30:.1f} GB)",
        ("command", "wall time", "peak RSS"),
    )
    for suffix, child in runs.items():
        section.rows.append(
            (f"newsbot merge --out merged{suffix}", f"{child.seconds:.1f} s",
             f"{child.peak_rss_mb:.0f} MB")
        )
        section.checks.append(
            Check(
                f"merge to {suffix}: peak RSS",
                f"{child.peak_rss_mb:.0f} MB",
                f"< {MAX_MERGE_RSS_MB:g} MB",
                child.peak_rss_mb < MAX_MERGE_RSS_MB,
            )
        )
    section.notes.append(
        f"{VERSION_SHARE:.0%} of the lines are later versions of earlier articles; bodies of "
        f"{BODY_WORDS} words. The archive is freshly written, so it is in the page cache."
    )
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES)
    print(run(parser.parse_args().lines).text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
