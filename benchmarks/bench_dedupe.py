"""Dedupe at scale: opening the archive with 10,000,000 stored permalinks, and lookups.

The index is built directly (SeenStore creates the schema, then one executemany transaction
fills it), beside a year of small daily JSONL files that the index records as fully indexed, as
after a long unattended life. Opening and looking up run in a fresh child process
(`python -m benchmarks.bench_dedupe --probe DIR`), so its RSS is that of newsbot alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure import PROJECT_DIR, fmt_ms, rss_mb, run_child
from benchmarks.report import Check, Section
from newsbot.permalink import permalink_for
from newsbot.storage import archive_dir, seen_db_path
from newsbot.storage.seen import SeenStore

FIRST_ID = 10_000_000
ID_STEP = 3  # stored ids are FIRST_ID + k*ID_STEP; FIRST_ID + k*ID_STEP + 1 is never stored
DAYS = 365
MAX_STARTUP_S = 1.0
MAX_EXTRA_RSS_MB = 50.0
MAX_LOOKUP_MEDIAN_S = 50e-6
DEFAULT_COUNT = 10_000_000  # years of 31 editions, with room to spare


def build(data_dir: Path, count: int) -> float:
    """Write an index of `count` permalinks and DAYS daily files; return seconds taken."""
    start = time.perf_counter()
    directory = archive_dir(data_dir)
    directory.mkdir(parents=True)
    SeenStore(seen_db_path(data_dir)).close()  # the schema, exactly as newsbot creates it
    first_day = date(2024, 1, 1)
    files: list[tuple[str, int]] = []
    for offset in range(DAYS):
        path = directory / f"{first_day + timedelta(days=offset)}.jsonl"
        line = json.dumps({"permalink": permalink_for(offset), "content_id": offset}) + "\n"
        path.write_text(line, encoding="utf-8")
        files.append((path.name, path.stat().st_size))
    rows = (
        (
            permalink_for(FIRST_ID + k * ID_STEP),
            FIRST_ID + k * ID_STEP,
            "2024-01-30T14:13:51Z",
            files[k % DAYS][0],
            "2024-01-30T14:20:00+00:00",
        )
        for k in range(count)
    )
    db = sqlite3.connect(seen_db_path(data_dir), isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")  # building the fixture only; newsbot never does this
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO articles (permalink, content_id, modified, file, stored_at)"
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany("INSERT INTO indexed_files (name, indexed_bytes) VALUES (?, ?)", files)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.perf_counter() - start


def probe(data_dir: Path, count: int, lookups: int = 20_000) -> dict[str, float]:
    """Open the archive and look permalinks up; runs in the child process."""
    from newsbot.storage.archive import Archive

    rng = random.Random(7)
    hits = [permalink_for(FIRST_ID + rng.randrange(count) * ID_STEP) for _ in range(lookups)]
    misses = [permalink_for(FIRST_ID + rng.randrange(count) * ID_STEP + 1) for _ in range(lookups)]
    timings: dict[str, list[float]] = {"hit": [0.0] * lookups, "miss": [0.0] * lookups}
    rss_before = rss_mb()  # imports, keys and timing lists are in already: only newsbot counts
    start = time.perf_counter()
    archive = Archive(data_dir)
    startup = time.perf_counter() - start
    rss_open = rss_mb()
    first = time.perf_counter()
    first_found = archive.is_stored(hits[0])
    first_lookup = time.perf_counter() - first
    for kind, keys, expected in (("hit", hits, True), ("miss", misses, False)):
        for index, key in enumerate(keys):
            t0 = time.perf_counter()
            found = archive.is_stored(key)
            timings[kind][index] = time.perf_counter() - t0
            if found is not expected:
                raise AssertionError(f"is_stored({key}) returned {found}")
    stored = archive.seen.count()
    rss_after = rss_mb()
    archive.close()
    return {
        "startup_s": startup,
        "extra_rss_open_mb": rss_open - rss_before,
        "extra_rss_after_lookups_mb": rss_after - rss_before,
        "first_lookup_s": first_lookup if first_found else float("nan"),
        "hit_median_s": statistics.median(timings["hit"]),
        "miss_median_s": statistics.median(timings["miss"]),
        "hit_p99_s": statistics.quantiles(timings["hit"], n=100)[98],
        "stored": stored,
        "lookups": lookups,
    }


def run(count: int = DEFAULT_COUNT) -> Section:
    """Build the index in a temporary directory, probe it in a fresh process, report."""
    with tempfile.TemporaryDirectory(prefix="newsbot-dedupe-") as tmp:
        data_dir = Path(tmp) / "data"
        built = build(data_dir, count)
        size_mb = seen_db_path(data_dir).stat().st_size / 2**20
        child = run_child(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_dedupe",
                "--probe",
                str(data_dir),
                "--count",
                str(count),
            ],
            cwd=PROJECT_DIR,
        )
    if child.returncode != 0:
        raise RuntimeError(f"dedupe probe failed:\n{child.stderr[-3000:]}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    if figures["stored"] != count:
        raise RuntimeError(f"the index holds {figures['stored']} permalinks, not {count}")
    section = Section(
        f"Dedupe at scale ({count:,} stored permalinks, {DAYS} daily files)", ("figure", "value")
    )
    section.rows += [
        ("index file size", f"{size_mb:.0f} MB (built in {built:.1f} s)"),
        ("Archive() start-up (catch_up included)", fmt_ms(figures["startup_s"])),
        ("extra RSS after opening", f"{figures['extra_rss_open_mb']:.1f} MB"),
        (
            f"extra RSS after {2 * figures['lookups']:,} lookups",
            f"{figures['extra_rss_after_lookups_mb']:.1f} MB",
        ),
        ("first is_stored (cold)", f"{figures['first_lookup_s'] * 1e6:.0f} µs"),
        (
            "is_stored, stored permalink (median / p99)",
            f"{figures['hit_median_s'] * 1e6:.1f} µs / {figures['hit_p99_s'] * 1e6:.1f} µs",
        ),
        ("is_stored, unknown permalink (median)", f"{figures['miss_median_s'] * 1e6:.1f} µs"),
    ]
    extra = max(figures["extra_rss_open_mb"], figures["extra_rss_after_lookups_mb"])
    stored = f"{count / 1e6:g}M stored"
    slower = max(figures["hit_median_s"], figures["miss_median_s"])
    section.checks += [
        Check(
            f"start-up with {stored}",
            fmt_ms(figures["startup_s"]),
            f"< {MAX_STARTUP_S:g} s",
            figures["startup_s"] < MAX_STARTUP_S,
        ),
        Check(
            f"extra RSS with {stored}",
            f"{extra:.1f} MB",
            f"< {MAX_EXTRA_RSS_MB:g} MB",
            extra < MAX_EXTRA_RSS_MB,
        ),
        Check(
            f"median lookup with {stored} (the slower of hit and miss)",
            f"{slower * 1e6:.1f} µs",
            f"< {MAX_LOOKUP_MEDIAN_S * 1e6:g} µs",
            slower < MAX_LOOKUP_MEDIAN_S,
        ),
    ]
    section.notes.append(
        "Warm page cache (the file was just written); extra RSS is measured from after the imports."
    )
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--probe", type=Path, help="(child mode) open this data directory and measure"
    )
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe, args.count)))
    else:
        print(run(args.count).text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
