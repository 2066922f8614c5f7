"""Reading kept pages back (newsbot.storage.pages), with a counted reason for every record skipped.

`scan_pages` walks the page files once (warcio decompresses and checks each record's digests) and
returns where the latest capture of each article's page is; `load_page` reads one of them again,
in whichever process extracts it. Nothing here raises for bad input: a truncated file, a record
that is not a response, a digest that does not match, a page of another site and a page kept
twice each cost that record, are counted under their reason, and the rest is read.

warcio's own check reports a file that ends inside a record as whole (it stops at the cut
silently), so a scan also checks that its last whole record ends where the file does.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newsbot.storage.pages import ENTRY_HEADER, page_file_day

logger = logging.getLogger(__name__)

# Why a record was skipped: the counted key and the sentence the report prints.
SKIP_REASONS: dict[str, str] = {
    "truncated": "the file ends inside a record (a crash while writing); the record is lost",
    "unreadable": "not a readable WARC record (not gzip, or a broken header); the file's "
                  "rest after it cannot be found",
    "not_response": "a WARC record that is not an HTTP response (warcinfo, metadata, "
                    "revisit, ...): nothing to extract",
    "digest_mismatch": "the page's payload does not match its WARC-Payload-Digest (damaged "
                       "on disk): not trusted",
    "other_site": "a page of another site (its WARC-Target-URI is not a DW host)",
    "kept_twice": "an article whose page is kept more than once: the latest capture is read",
}
_ARTICLE_ID = re.compile(r"/a-(\d+)/?$")
_READ_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError,
                ValueError, OSError)


@dataclass(slots=True)
class PageRef:
    """Where one kept page is: its file and the byte range of its response record."""

    path: Path
    offset: int
    length: int
    url: str
    captured: datetime


@dataclass(slots=True)
class KeptPage:
    """One kept response, as Scrapy had it."""

    url: str
    captured: datetime
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    entry: dict[str, Any] | None


@dataclass
class PageScan:
    """The pages to read (latest capture per article, in file order) and what was skipped."""

    pages: list[PageRef] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    files: int = 0

    def skip(self, reason: str, where: str) -> None:
        if not self.skipped[reason]:
            logger.warning("Skipping a kept page: %s (first at %s)", SKIP_REASONS[reason], where)
        self.skipped[reason] += 1


def is_site_host(url: str, hosts: Iterable[str]) -> bool:
    """True when the URL's host is one of `hosts` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def article_key(url: str) -> str:
    """The article a page URL names (its content id), so two slugs of one article are one."""
    match = _ARTICLE_ID.search(urlsplit(url).path)
    return match.group(1) if match else url


Mapper = Callable[[Callable[[Path], "PageScan"], Iterable[Path]], Iterable["PageScan"]]


def scan_pages(
    paths: Iterable[Path], hosts: Iterable[str],
    since: date | None = None, until: date | None = None, mapper: Mapper = map,
) -> PageScan:
    """The latest kept page of each article captured from `since` to `until` (UTC days).

    Files are scanned by `mapper` (a process pool's `imap` scans them in parallel).
    """
    selected = []
    for path in paths:
        span = page_file_day(path)
        if span is None or not ((since and span[1] < since) or (until and span[0] > until)):
            selected.append(path)
    scan = PageScan(files=len(selected))
    latest: dict[str, PageRef] = {}
    for part in mapper(partial(scan_file, hosts=tuple(h.lower() for h in hosts)), selected):
        scan.skipped.update(part.skipped)
        for ref in part.pages:
            day = ref.captured.date()
            if (since and day < since) or (until and day > until):
                continue
            key = article_key(ref.url)
            kept = latest.get(key)
            if kept is not None:
                scan.skip("kept_twice", f"{ref.path.name} at byte {ref.offset}")
                if kept.captured > ref.captured:
                    continue
            latest[key] = ref
    scan.pages = sorted(latest.values(), key=lambda ref: (ref.path, ref.offset))
    return scan


def scan_file(path: Path, hosts: tuple[str, ...]) -> PageScan:
    """The whole response records of one page file, and what was skipped in it."""
    scan = PageScan(files=1)
    scan.pages = list(_scan_file(path, hosts, scan))
    return scan


def _scan_file(path: Path, hosts: tuple[str, ...], scan: PageScan) -> Iterable[PageRef]:
    end = 0
    with path.open("rb") as handle:
        if handle.read(2) not in (b"\x1f\x8b", b""):  # kept pages are gzip members, always
            scan.skip("unreadable", f"{path.name}: not gzip")
            return
        handle.seek(0)
        records = ArchiveIterator(handle, check_digests=True)
        try:
            for record in records:
                offset = records.get_record_offset()
                where = f"{path.name} at byte {offset}"
                if record.format != "warc":
                    raise ArchiveLoadFailed(f"a {record.format} record, not WARC")
                if record.rec_type != "response" or record.http_headers is None:
                    records.read_to_end(record)
                    end = offset + records.get_record_length()
                    if record.rec_type != "request":  # a page's request is expected
                        scan.skip("not_response", where)
                    continue
                record.raw_stream.read()
                whole = record.raw_stream.limit == 0
                passed = record.digest_checker.passed
                records.read_to_end(record)
                if not whole:
                    scan.skip("truncated", where)
                    return
                end = offset + records.get_record_length()
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                if passed is False:
                    scan.skip("digest_mismatch", where)
                elif not is_site_host(url, hosts):
                    scan.skip("other_site", f"{where}: {url}")
                else:
                    captured = _warc_date(record.rec_headers.get_header("WARC-Date"))
                    yield PageRef(path, offset, records.get_record_length(), url, captured)
        except _READ_ERRORS as exc:
            scan.skip("unreadable", f"{path.name} after byte {end}: {exc}")
            return
    if path.stat().st_size > end:
        scan.skip("truncated", f"{path.name} after byte {end}")


def load_page(ref: PageRef) -> KeptPage:
    """Read one response record again (one gzip member) from its file."""
    with ref.path.open("rb") as handle:
        handle.seek(ref.offset)
        member = handle.read(ref.length)
    record = next(iter(ArchiveIterator(io.BytesIO(member))))
    body = record.raw_stream.read()
    headers = record.rec_headers
    entry = headers.get_header(ENTRY_HEADER)
    return KeptPage(
        url=ref.url,
        captured=ref.captured,
        status=int(record.http_headers.get_statuscode() or 200),
        headers=list(record.http_headers.headers),
        body=body,
        entry=json.loads(entry) if entry else None,
    )


def _warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.min.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def whole_records(path: Path) -> Iterable[tuple[int, int, str]]:
    """(offset, length, WARC-Record-ID) of each whole record of a file, up to a partial tail."""
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        end = 0
        try:
            for record in records:
                record.raw_stream.read()
                if record.raw_stream.limit:
                    break
                records.read_to_end(record)
                offset, length = records.get_record_offset(), records.get_record_length()
                end = offset + length
                yield offset, length, record.rec_headers.get_header("WARC-Record-ID") or ""
        except _READ_ERRORS as exc:
            logger.warning("%s is unreadable after byte %d: %s", path, end, exc)
            return
    if path.stat().st_size > end:
        logger.warning("Leaving out a partial last record of %s (from byte %d)", path, end)
