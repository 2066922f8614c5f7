"""`newsbot reextract`: run today's extraction on the kept pages, without a single request.

After an upgrade improves the extraction, the articles already in the archive can have it too:
the pages kept as WARC (newsbot.storage.pages) are read back, each is turned into the Scrapy
response the crawl had (URL, status, headers, body, capture instant, sitemap/feed entry) and goes
through the crawl's own steps: `extract_article`, the entry fill-in, the validation rules. Nothing
here opens a connection: the pages are the only input.

`--out FILE.jsonl` writes one item per article (written whole or not at all). `--update` appends
a new version of each article whose fields changed (or that the archive lacks) through
`Archive.store`, exactly as a refetch stores an update: a new JSONL line with a new `scraped_at`,
then the dedupe index; `merge` then keeps that latest version. It takes the run lock, as a crawl
does. Both report, per field, how many articles changed, and which.

Re-extraction never loses an article of the archive: an article whose page is not kept (runs
with NEWSBOT_KEEP_PAGES off, a damaged page) or no longer extracts is written to `--out` as it is
stored, counted, and `--update` leaves its stored versions alone.

`--jobs N` works in N processes (a batch job, unlike the crawl): the workers scan the page files
(warcio, digests checked; a file per task), then read and extract the pages (a record per task,
by byte range) and send back the items; the main process compares them with the archive and
writes, in page order.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import orjson
from itemadapter import ItemAdapter
from scrapy.http import Headers, Request, TextResponse
from scrapy.responsetypes import responsetypes

from newsbot.extraction.article import extract_article
from newsbot.extraction.processors import format_instant
from newsbot.items import ARTICLE_FIELDS
from newsbot.operations.merge import scraped_at
from newsbot.storage import DEFAULT_FILE_MODE, archive_dir
from newsbot.storage.archive import Archive
from newsbot.storage.atomic import atomic_file
from newsbot.storage.jsonl import encode_line
from newsbot.storage.layout import archive_files
from newsbot.storage.page_reader import SKIP_REASONS, PageRef, PageScan, load_page, scan_pages
from newsbot.storage.pages import page_files, pages_dir
from pipelines.dedupe import is_newer
from pipelines.validation import REQUIRED_FIELDS

logger = logging.getLogger(__name__)

COMPARED_FIELDS: tuple[str, ...] = tuple(name for name in ARTICLE_FIELDS if name != "scraped_at")
# Pages handed to a worker at a time: large enough to amortise the pipe, small enough to balance.
_CHUNK = 8
_BAR_WIDTH = 24
_LOG_EVERY_SECONDS = 10.0


@dataclass(slots=True)
class Outcome:
    """One page re-extracted: the record as the JSONL store would write it, or why there is none."""

    record: dict[str, Any] | None = None
    rejected: str | None = None


@dataclass
class Report:
    """What a re-extraction did; `text()` is what the command prints."""

    files: int = 0
    pages: int = 0
    items: int = 0
    unchanged: int = 0
    new: int = 0
    changed_fields: Counter[str] = field(default_factory=Counter)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # (url, fields)
    as_stored: int = 0  # articles written to --out from the JSONL archive (no usable page)
    updated: int = 0  # new versions appended by --update
    skipped: Counter[str] = field(default_factory=Counter)  # page-file problems
    rejected: Counter[str] = field(default_factory=Counter)  # pages that gave no item
    seconds: float = 0.0
    jobs: int = 1

    def text(self, list_limit: int = 50) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"re-extracted {self.pages} kept page(s) from {self.files} file(s) in "
            f"{self.seconds:.1f} s ({rate:.1f} pages/s, {self.jobs} job(s)): {self.items} item(s)",
            f"  unchanged {self.unchanged}, changed {len(self.changed)}, "
            f"not in the archive before {self.new}",
        ]
        if self.changed_fields:
            fields = ", ".join(f"{name} {n}" for name, n in self.changed_fields.most_common())
            lines.append(f"  changed fields: {fields}")
        if self.updated:
            lines.append(f"  new versions appended to the archive: {self.updated}")
        if self.as_stored:
            lines.append(
                f"  {self.as_stored} article(s) without a usable kept page: written as stored"
            )
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  skipped {count} record(s): {SKIP_REASONS[reason]}")
        for reason, count in sorted(self.rejected.items()):
            lines.append(f"  {count} page(s) not used ({reason}): the stored version stands")
        if self.changed:
            lines.append("  changed articles:")
            lines += [f"    {url}: {', '.join(names)}" for url, names in self.changed[:list_limit]]
            if len(self.changed) > list_limit:
                lines.append(f"    ... and {len(self.changed) - list_limit} more (see --changes)")
        return "\n".join(lines) + "\n"


def extract_page(ref: PageRef) -> Outcome:
    """Rebuild the crawl's response from a kept page and extract it as the crawl does."""
    page = load_page(ref)
    headers = Headers(page.headers)
    cls = responsetypes.from_args(headers=headers, url=page.url, body=page.body)
    response = cls(
        url=page.url, status=page.status, headers=headers, body=page.body,
        request=Request(page.url),
    )
    if not isinstance(response, TextResponse):
        return Outcome(rejected="not_html")
    # The entry's title, date and topics, kept with the page, fill what the page lacks, as in
    # the crawl.
    extraction = extract_article(response, page.entry, scraped_at=page.captured)
    if extraction.item is None:
        return Outcome(rejected=extraction.rejected[1] if extraction.rejected else "no_item")
    item = extraction.item
    adapter = ItemAdapter(item)
    missing = [name for name in REQUIRED_FIELDS if not adapter.get(name)]
    if missing:
        return Outcome(rejected="missing_" + "_".join(missing))
    if not adapter.get("body"):
        adapter["body"] = ""
    # As the JSONL store writes it, and as it reads back (lists, not tuples).
    return Outcome(record=json.loads(encode_line({n: adapter.get(n) for n in ARTICLE_FIELDS})))


def fingerprint(record: dict[str, Any]) -> tuple[int, ...]:
    """One hash per compared field: enough to tell which fields differ, small to hold."""
    return tuple(
        hash(orjson.dumps(record.get(name), option=orjson.OPT_SORT_KEYS))
        for name in COMPARED_FIELDS
    )


@dataclass(slots=True)
class _Stored:
    rank: int  # scraped_at in microseconds (the latest version wins; the later line on a tie)
    fields: tuple[int, ...]
    path: Path
    offset: int
    day: date
    modified: str | None


def stored_versions(directory: Path) -> dict[str, _Stored]:
    """The latest stored version of each article in the JSONL archive, as field hashes."""
    latest: dict[str, _Stored] = {}
    for path in archive_files(directory, date.min, date.max):
        with path.open("rb") as handle:
            offset = 0
            for raw in handle:
                if not raw.endswith(b"\n"):
                    break  # a partial tail: not stored
                start, offset = offset, offset + len(raw)
                try:
                    record = json.loads(raw)
                    moment = scraped_at(record)
                    permalink = record["permalink"]
                except (ValueError, KeyError, TypeError):
                    continue  # merge and the index skip it too, with a warning
                rank = int(moment.timestamp() * 1_000_000)
                kept = latest.get(permalink)
                if kept is None or rank >= kept.rank:
                    latest[permalink] = _Stored(
                        rank, fingerprint(record), path, start, moment.date(),
                        record.get("modified"),
                    )
    return latest


class ProgressBar:
    """`[######......] 120/400 pages | 85.0 pages/s` on a terminal; a log line now and then else."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.tty = stream.isatty()
        self.started = self.last = time.monotonic()
        self.done = 0

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= (0.5 if self.tty else _LOG_EVERY_SECONDS) or self.done == self.total:
            self.last = now
            self.draw(now)

    def draw(self, now: float) -> None:
        rate = self.done / (now - self.started) if now > self.started else 0.0
        filled = _BAR_WIDTH * self.done // self.total if self.total else _BAR_WIDTH
        text = (f"[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {self.done}/{self.total} pages"
                f" | {rate:.1f} pages/s")
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(f"reextract: {text}\n")
        self.stream.flush()


def reextract(
    data_dir: Path,
    hosts: Iterable[str],
    *,
    since: date | None = None,
    until: date | None = None,
    out: Path | None = None,
    update: bool = False,
    changes: Path | None = None,
    jobs: int = 1,
    file_mode: int = DEFAULT_FILE_MODE,
    progress: TextIO | None = None,
) -> Report:
    """Re-extract the kept pages of `data_dir` captured from `since` to `until` (UTC days).

    With `update` the archive is opened first, which takes the data directory's run lock (a
    crawl running on it makes this raise AlreadyRunning): the stored versions are read under it.
    Returns the report; nothing is requested.
    """
    started = time.monotonic()
    report = Report(jobs=jobs)
    archive = Archive(data_dir, file_mode) if update else None
    try:
        with _workers(jobs) as pool:
            mapper = partial(pool.imap, chunksize=1) if pool is not None else map
            scan = scan_pages(page_files(pages_dir(data_dir)), hosts, since, until, mapper)
            _extract_all(scan, stored_versions(archive_dir(data_dir)), report, pool, archive,
                         since=since, until=until, out=out, changes=changes,
                         file_mode=file_mode, progress=progress)
    finally:
        if archive is not None:
            archive.close()
    report.seconds = time.monotonic() - started
    return report


def _workers(jobs: int) -> AbstractContextManager[Pool | None]:
    """A pool of `jobs` forked workers, or none for one job (everything in this process)."""
    return multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else nullcontext()


def _extract_all(
    scan: PageScan, stored: dict[str, _Stored], report: Report, pool: Pool | None,
    archive: Archive | None, *, since: date | None, until: date | None, out: Path | None,
    changes: Path | None, file_mode: int, progress: TextIO | None,
) -> None:
    report.files, report.pages, report.skipped = scan.files, len(scan.pages), scan.skipped
    bar = ProgressBar(len(scan.pages), progress or sys.stderr)
    done: set[str] = set()
    with _optional_output(out, file_mode) as sink, _optional_output(changes, file_mode) as log:
        outcomes = (pool.imap(_safe_extract, scan.pages, chunksize=_CHUNK)
                    if pool is not None else map(_safe_extract, scan.pages))
        for outcome in outcomes:
            bar.advance()
            record = outcome.record
            if record is None:
                report.rejected[outcome.rejected or "no_item"] += 1
                continue
            permalink = record["permalink"]
            if permalink in done:  # two URLs of one article, both kept
                report.skipped["kept_twice"] += 1
                continue
            version = stored.get(permalink)
            if version is not None and is_newer(version.modified, record.get("modified")):
                # A refetch stored a later version of DW's article than this page holds.
                report.rejected["older than the stored version"] += 1
                continue
            done.add(permalink)
            report.items += 1
            names = _changed(record, version)
            if names is None:
                report.new += 1
            elif names:
                report.changed.append((record["url"], names))
                report.changed_fields.update(names)
                if log is not None:
                    log.write(encode_line(
                        {"permalink": permalink, "url": record["url"], "fields": names}
                    ))
            else:
                report.unchanged += 1
            if sink is not None:
                sink.write(encode_line(record))
            if archive is not None and names != []:
                record["scraped_at"] = _now()
                archive.store(record)
                report.updated += 1
        report.as_stored = _write_unextracted(stored, done, since, until, sink)


def _changed(record: dict[str, Any], stored: _Stored | None) -> list[str] | None:
    """The fields that differ from the stored version; None when the article is not stored."""
    if stored is None:
        return None
    return [
        name for name, new, old in zip(COMPARED_FIELDS, fingerprint(record), stored.fields,
                                       strict=True)
        if new != old
    ]


def _write_unextracted(
    stored: dict[str, _Stored], done: set[str], since: date | None, until: date | None,
    sink: BinaryIO | None,
) -> int:
    """Articles of the range with no usable kept page, written to `sink` as stored; count them."""
    missing = [
        version for permalink, version in stored.items()
        if permalink not in done
        and not (since and version.day < since) and not (until and version.day > until)
    ]
    if missing and sink is not None:
        for version in sorted(missing, key=lambda v: (v.path, v.offset)):
            with version.path.open("rb") as handle:
                handle.seek(version.offset)
                sink.write(handle.readline())
    if missing:
        logger.warning(
            "%d article(s) of the archive have no usable kept page (kept before pages were "
            "kept, NEWSBOT_KEEP_PAGES off, or the page was skipped): their stored version stands",
            len(missing),
        )
    return len(missing)


def _safe_extract(ref: PageRef) -> Outcome:
    """One page must cost one item, never the batch (as in the crawl)."""
    try:
        return extract_page(ref)
    except Exception as exc:
        logger.warning("Cannot re-extract %s (%s at byte %d): %s", ref.url, ref.path.name,
                       ref.offset, exc)
        return Outcome(rejected="unreadable_page")


def _now() -> str:
    return format_instant(datetime.now(UTC))


def _optional_output(path: Path | None, file_mode: int) -> AbstractContextManager[BinaryIO | None]:
    """atomic_file(path) when a path is given (whole or nothing), else a context yielding None."""
    return atomic_file(path, file_mode) if path is not None else nullcontext()
