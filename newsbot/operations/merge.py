"""`python -m newsbot merge`: one analysis file from the archive, one row per article.

The archive keeps every stored version of an article as its own line (a later `modified` is
stored again after `-a refetch=1`). For analysis one wants one row per article: this merges
the daily (and compacted monthly) JSONL files of a date range and keeps, per permalink, the
version with the latest `scraped_at`. Two passes over the files keep memory to one small
tuple per article rather than every record. Rows are written in archive order as JSON lines,
CSV, JSON or XML through Scrapy's own exporters (the same columns as `-O` feed exports), or as
Parquet when pyarrow is installed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from scrapy.exporters import (
    BaseItemExporter,
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
    XmlItemExporter,
)

from newsbot.items import ARTICLE_FIELDS, LIST_FIELDS
from newsbot.storage import DEFAULT_FILE_MODE
from newsbot.storage.atomic import atomic_file
from newsbot.storage.layout import archive_files

logger = logging.getLogger(__name__)

EXPORTERS: dict[str, type[BaseItemExporter]] = {
    ".jsonl": JsonLinesItemExporter,
    ".jl": JsonLinesItemExporter,
    ".csv": CsvItemExporter,
    ".json": JsonItemExporter,
    ".xml": XmlItemExporter,
}
OUTPUT_SUFFIXES = (*EXPORTERS, ".parquet")
_PARQUET_BATCH = 1000
# Lines of one merge, at most 2**40: positions sit below scraped_at in one int (latest_versions).
_POSITION_BITS = 40
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ExportError(ValueError):
    """The merge cannot be done as asked; the message says why and what to do."""


def iter_records(files: list[Path], start: date, end: date) -> Iterator[dict[str, Any]]:
    """Whole, readable records of `files` whose `scraped_at` day is within the range."""
    for path in files:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.endswith(b"\n"):
                    break  # a partial tail being written or left by a crash: not stored yet
                try:
                    record = json.loads(raw)
                    scraped = scraped_at(record)
                    if not isinstance(record.get("permalink"), str):
                        raise ValueError("no permalink")
                except (ValueError, KeyError, TypeError, AttributeError):
                    logger.warning("Skipping an unreadable line %d of %s", number, path)
                    continue
                if start <= scraped.date() <= end:
                    yield record


def scraped_at(record: dict[str, Any]) -> datetime:
    """The record's `scraped_at` as an aware UTC datetime (the archive writes UTC)."""
    moment = datetime.fromisoformat(record["scraped_at"])
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def latest_versions(files: list[Path], start: date, end: date) -> Iterator[dict[str, Any]]:
    """One record per permalink, the one with the latest `scraped_at` (the later line on a tie).

    Pass 1 keeps one int per permalink, `scraped_at` in microseconds shifted above the line's
    position: the largest is the latest version, and the later line on a tie. A year's archive
    (a million articles) then costs about 150 MB, not the ~300 MB of tuples and datetimes.
    """
    latest: dict[str, int] = {}
    for position, record in enumerate(iter_records(files, start, end)):
        rank = _micros(scraped_at(record)) << _POSITION_BITS | position
        best = latest.get(record["permalink"])
        if best is None or rank > best:
            latest[record["permalink"]] = rank
    mask = (1 << _POSITION_BITS) - 1
    for position, record in enumerate(iter_records(files, start, end)):
        rank = latest.get(record["permalink"])  # lines appended since pass 1 are not in it
        if rank is not None and rank & mask == position:
            yield record


def _micros(moment: datetime) -> int:
    """Microseconds since 1970 (negative before): exact, unlike a float timestamp."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def complete(record: dict[str, Any]) -> dict[str, Any]:
    """Every article field, in order: lines stored before a field existed get [] or None."""
    return {
        name: record.get(name, [] if name in LIST_FIELDS else None) for name in ARTICLE_FIELDS
    }


def merge(
    directory: Path, start: date, end: date, out: Path, file_mode: int = DEFAULT_FILE_MODE
) -> int:
    """Write the latest version of every article scraped in [start, end] to `out`; count rows."""
    if start > end:
        raise ExportError(f"--from {start} is after --to {end}")
    suffix = out.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise ExportError(
            f"cannot tell the format of {out}: use one of {', '.join(OUTPUT_SUFFIXES)}"
        )
    writer = _write_parquet if suffix == ".parquet" else _exporter_writer(EXPORTERS[suffix])
    if suffix == ".parquet":
        _require_pyarrow()
    records = map(complete, latest_versions(archive_files(directory, start, end), start, end))
    with atomic_file(out, file_mode) as handle:
        return writer(records, handle)


def _exporter_writer(exporter_class: type[BaseItemExporter]) -> Any:
    def write(records: Iterator[dict[str, Any]], handle: BinaryIO) -> int:
        exporter = exporter_class(
            handle, fields_to_export=list(ARTICLE_FIELDS), encoding="utf-8"
        )
        exporter.start_exporting()
        count = 0
        for record in records:
            exporter.export_item(record)
            count += 1
        exporter.finish_exporting()
        return count

    return write


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ExportError(
            "Parquet output needs pyarrow, which is not installed: "
            "pip install 'newsbot[analysis]' (or pip install pyarrow), or merge to .jsonl/.csv"
        ) from None


def parquet_schema() -> Any:
    """Article columns as Parquet types: lists stay lists, content_id is an integer.

    Dates stay ISO 8601 strings, as in the archive: `published` may be a day without a time.
    """
    import pyarrow as pa

    def column(name: str) -> Any:
        if name in LIST_FIELDS:
            return pa.field(name, pa.list_(pa.string()))
        return pa.field(name, pa.int64() if name == "content_id" else pa.string())

    return pa.schema([column(name) for name in ARTICLE_FIELDS])


def _write_parquet(records: Iterator[dict[str, Any]], handle: BinaryIO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(handle, schema) as writer:
        for record in records:
            batch.append(record)
            if len(batch) == _PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count, batch = count + len(batch), []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
