"""The pages kept beside the JSONL archive: gzipped WARC files (ISO 28500) of the article pages.

Layout under NEWSBOT_DATA_DIR:
    pages/dw-YYYY-MM-DD-<run>.warc.gz   the article pages one run fetched on one UTC day
    pages/dw-YYYY-MM.warc.gz            a month of them, after `newsbot compact`

Each kept page is two WARC records, a `request` and its `response` (WARC-Target-URI, WARC-Date,
WARC-Payload-Digest, WARC-Block-Digest, linked by WARC-Concurrent-To), written by warcio, each
record its own gzip member (what replay tools and the Common Crawl toolchain expect).

Crash safety without trimming: every run writes files of its own (`<run>` is the run's start time
and process id), so nothing is ever appended after a record that a killed run left half written.
Both records of a page are compressed into memory first and handed to the kernel in one
`os.write` on an O_APPEND descriptor, so a killed process leaves whole pages only; a machine crash
can leave a partial last page, which readers (newsbot.storage.page_reader) skip with a reason.

The WARC-Date of the response is the item's `scraped_at` (the capture instant, microseconds, as
WARC 1.1 allows), so re-extraction reads relative page dates against the same instant. The
sitemap or feed entry the article came from (title, date), which fills fields a page lacks, is
kept in the extension field `Newsbot-Entry` (JSON), so re-extraction fills them the same way.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, date, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbot.storage import DEFAULT_FILE_MODE, StorageError, ensure_dir
from newsbot.storage.atomic import close_synced

PAGES_SUBDIR = "pages"
PAGE_FILE_PREFIX = "dw-"
PAGE_FILE_SUFFIX = ".warc.gz"
# The extension field holding the discovery entry's metadata (newsbot.crawling.discovery.metadata).
ENTRY_HEADER = "Newsbot-Entry"
# Hop-by-hop and framing headers that describe the bytes on the wire, not the body Scrapy kept
# (de-chunked, and decompressed unless a Content-Encoding is left): replaced by the true length.
_FRAMING_HEADERS = frozenset({b"content-length", b"transfer-encoding"})


def pages_dir(data_dir: str | Path) -> Path:
    """Where the WARC files of kept pages live."""
    return Path(data_dir) / PAGES_SUBDIR


def page_files(directory: Path) -> list[Path]:
    """The page files of a directory, oldest name first (names sort by date)."""
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f"{PAGE_FILE_PREFIX}*{PAGE_FILE_SUFFIX}"))


def page_file_day(path: Path) -> tuple[date, date] | None:
    """The first and last UTC day a page file can hold, from its name (a month file: the month)."""
    stem = path.name.removeprefix(PAGE_FILE_PREFIX).removesuffix(PAGE_FILE_SUFFIX)
    try:
        if len(stem) >= 10 and stem[7] == "-":
            day = date.fromisoformat(stem[:10])
            return day, day
        first = date.fromisoformat(stem[:7] + "-01")
    except ValueError:
        return None
    last = date(first.year + first.month // 12, first.month % 12 + 1, 1).toordinal() - 1
    return first, date.fromordinal(last)


def warc_date(moment: datetime) -> str:
    """WARC 1.1 date: UTC, microseconds kept (e.g. 2026-12-04T19:20:01.123456Z)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def page_records(
    response: Response, captured: datetime, entry: dict[str, Any] | None = None
) -> bytes:
    """The request and response records of one page, each a gzip member, as one byte string."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    url = response.url
    when = warc_date(captured)
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        if name.lower() not in _FRAMING_HEADERS
        for value in values
    ]
    headers.append(("Content-Length", str(len(response.body))))
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    warc_headers = {"WARC-Date": when}
    if entry:
        warc_headers[ENTRY_HEADER] = json.dumps(
            entry, ensure_ascii=True, sort_keys=True, default=_json_value
        )
    response_record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(response.body), length=len(response.body),
        warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(f"{response.status} {reason}", headers, "HTTP/1.1"),
    )
    request = response.request
    method = request.method if request is not None else "GET"
    request_headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in (request.headers.items() if request is not None else ())
        for value in values
    ]
    target = url.split("/", 3)[3] if url.count("/") >= 3 else ""
    request_record = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""), length=0,
        warc_headers_dict={
            "WARC-Date": when,
            "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
        },
        http_headers=StatusAndHeaders(
            f"{method} /{target} HTTP/1.1", request_headers, is_http_request=True
        ),
    )
    writer.write_record(request_record)
    writer.write_record(response_record)
    return buffer.getvalue()


def _json_value(value: object) -> str:
    """Entry dates (datetime) as ISO 8601, which the entry fill-in reads back the same."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a discovery entry is not JSON")


class PageWriter:
    """Appends kept pages to this run's file of each UTC day (created on first use)."""

    def __init__(self, directory: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
        self.directory = directory
        self.file_mode = file_mode
        started = datetime.now(UTC)
        self.run_name = f"{started.strftime('%H%M%S')}-{os.getpid()}"
        self._fds: dict[date, int] = {}
        self._paths: dict[date, Path] = {}
        self.bytes_written = 0

    def _fd(self, day: date) -> int:
        fd = self._fds.get(day)
        if fd is None:
            ensure_dir(self.directory)
            path = self.directory / f"{PAGE_FILE_PREFIX}{day.isoformat()}-{self.run_name}"
            path = path.with_name(path.name + PAGE_FILE_SUFFIX)
            try:
                # O_EXCL: a file of this run only, never one that another run left half written.
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL,
                             self.file_mode)
            except OSError as exc:
                raise StorageError(f"cannot create page file {path}: {exc.strerror}") from exc
            self._fds[day], self._paths[day] = fd, path
        return fd

    def write(
        self, response: Response, captured: datetime, entry: dict[str, Any] | None = None
    ) -> Path:
        """Keep one page; it is in the file (to the kernel) when this returns."""
        data = page_records(response, captured, entry)
        day = captured.astimezone(UTC).date()
        fd = self._fd(day)
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
            while written < len(data):  # only on a nearly full disk or a signal mid-write
                written += os.write(fd, data[written:])
        except OSError as exc:
            os.ftruncate(fd, size)  # no partial page for the next one to follow
            raise StorageError(
                f"cannot write to {self._paths[day]}: {exc.strerror}"
            ) from exc
        self.bytes_written += len(data)
        return self._paths[day]

    def close(self) -> None:
        """fsync and close this run's files, then the directory entry."""
        close_synced(self._fds, self.directory)


def kept_pages_size(data_dir: str | Path) -> dict[str, int]:
    """How many page files `data_dir` holds and their bytes on disk (for status and report)."""
    files = page_files(pages_dir(data_dir))
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


def kept_pages_line(data_dir: str | Path) -> str:
    """`Kept pages: 31 file(s), 412.5 MB in data/pages` (status text, and so the report)."""
    size = kept_pages_size(data_dir)
    if not size["files"]:
        return f"Kept pages: none in {pages_dir(data_dir)}"
    return f"Kept pages: {size['files']} file(s), {_size(size['bytes'])} in {pages_dir(data_dir)}"


def _size(count: int) -> str:
    """Bytes as people read them: 812 B, 27.4 KB, 1210.3 MB, 3.3 GB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"
