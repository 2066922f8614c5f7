"""Bad kept-page files: each fault is skipped with its reason and counted, the rest is read, and
re-extraction still writes every article of the archive."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.http import HtmlResponse, Request
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from newsbot.extraction.pages import parse_article_page
from newsbot.operations.reextract import reextract
from newsbot.storage.page_reader import load_page, scan_pages
from newsbot.storage.pages import PageWriter, page_files, page_records, pages_dir
from tests.conftest import archive_lines, read_jsonl, run_newsbot
from tests.fakedw.pages import FakeArticle, render_article

BASE = "https://www.dw.com"
HOSTS = ["dw.com"]
CAPTURED = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def article(i: int, title: str | None = None) -> FakeArticle:
    return FakeArticle(content_id=68117411 + i, slug=f"story-{i}", title=title or f"Story {i}",
                       summary=f"Teaser {i}.", paragraphs=[f"Paragraph {i}.", "Second paragraph."])


def response(fake: FakeArticle, base: str = BASE) -> HtmlResponse:
    url = base + fake.path
    return HtmlResponse(url, body=render_article(fake, base).encode("utf-8"),
                        headers={"Content-Type": "text/html; charset=utf-8"}, request=Request(url))


def members(data: bytes) -> list[tuple[int, int]]:
    records = ArchiveIterator(io.BytesIO(data))
    spans = []
    for record in records:
        records.read_to_end(record)
        spans.append((records.get_record_offset(), records.get_record_length()))
    return spans


def corrupted(records: bytes) -> bytes:
    """The page's two records with one byte of the response's body changed (digest no longer matches)."""
    (_, request_length), (offset, length) = members(records)
    raw = gzip.decompress(records[offset:offset + length]).replace(b"Second paragraph", b"Second Paragraph", 1)
    return records[:request_length] + gzip.compress(raw)


def write_faulty_file(directory: Path) -> Path:
    """Two good pages, then one fault of each kind; the file ends inside a record."""
    directory.mkdir(parents=True, exist_ok=True)
    warcinfo = io.BytesIO()
    writer = WARCWriter(warcinfo, gzip=True)
    writer.write_record(writer.create_warcinfo_record("other.warc.gz", {"software": "other"}))
    later = CAPTURED + timedelta(hours=1)
    truncated = page_records(response(article(3)), CAPTURED)
    parts = [
        page_records(response(article(0)), CAPTURED),
        page_records(response(article(1)), CAPTURED),
        warcinfo.getvalue(),  # not a response
        page_records(response(article(5), "https://example.org"), CAPTURED),  # another site
        corrupted(page_records(response(article(2)), CAPTURED)),  # digest mismatch
        page_records(response(article(0, "Story 0, updated")), later),  # kept twice, later wins
        truncated[: len(truncated) - 200],  # a crash while writing
    ]
    path = directory / "dw-2026-11-03-100000-1.warc.gz"
    path.write_bytes(b"".join(parts))
    return path


def test_each_fault_is_counted_and_the_rest_is_read(tmp_path: Path) -> None:
    write_faulty_file(tmp_path)
    (tmp_path / "dw-2026-11-04-100000-2.warc.gz").write_bytes(b"this is not gzip at all\n")
    scan = scan_pages(sorted(tmp_path.glob("*.warc.gz")), HOSTS)
    assert dict(scan.skipped) == {
        "not_response": 1, "other_site": 1, "digest_mismatch": 1, "kept_twice": 1,
        "truncated": 1, "unreadable": 1,
    }
    assert [ref.url for ref in scan.pages] == [BASE + article(1).path, BASE + article(0).path]
    latest = load_page(scan.pages[1])
    assert b"Story 0, updated" in latest.body
    assert latest.captured == CAPTURED + timedelta(hours=1)


def test_the_range_selects_by_capture_day(tmp_path: Path) -> None:
    write_faulty_file(tmp_path)
    assert len(scan_pages(sorted(tmp_path.glob("*.warc.gz")), HOSTS, since=CAPTURED.date()).pages) == 2
    assert scan_pages(sorted(tmp_path.glob("*.warc.gz")), HOSTS,
                      until=CAPTURED.date() - timedelta(days=1)).pages == []


def test_reextract_never_loses_an_article_whose_page_is_damaged(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    writer = PageWriter(pages_dir(data_dir))
    for i in range(4):
        writer.write(response(article(i)), CAPTURED, {"title": f"Entry title {i}"})
    writer.close()
    # --update stores articles whose page is kept but that the archive lacks (a kill in between)
    first = reextract(data_dir, HOSTS, update=True)
    assert (first.new, first.updated) == (4, 4)
    assert len(archive_lines(data_dir)) == 4
    for path in pages_dir(data_dir).glob("*.warc.gz"):
        path.unlink()

    write_faulty_file(pages_dir(data_dir))
    out = tmp_path / "out.jsonl"
    report = reextract(data_dir, HOSTS, out=out)
    items = {r["content_id"]: r for r in read_jsonl(out)}
    assert sorted(items) == [68117411 + i for i in range(4)]  # 2 and 3 as stored
    assert report.as_stored == 2
    assert items[68117411]["title"] == "Story 0, updated"
    assert report.changed == [(BASE + article(0).path, ["title"])]
    assert report.skipped["digest_mismatch"] == 1 and report.skipped["truncated"] == 1
    assert "skipped 1 record(s): the page's payload does not match" in report.text()


UNTITLED = b"""<html><head><link rel="canonical" href="%s/en/untitled/a-70900001"></head>
<body><article><div class="rich-text"><p>Text without a headline.</p></div></article></body>
</html>""" % BASE.encode()


def test_the_discovery_entry_is_kept_with_the_page(tmp_path: Path) -> None:
    writer = PageWriter(tmp_path)
    published = datetime(2026, 11, 3, 7, 30, tzinfo=UTC)  # as the spider's entry_meta holds it
    writer.write(response(article(0)), CAPTURED, {"title": "From the feed", "published": published})
    writer.close()
    (ref,) = scan_pages(sorted(tmp_path.glob("*.warc.gz")), HOSTS).pages
    page = load_page(ref)
    assert page.entry == {"title": "From the feed", "published": "2026-11-03T07:30:00+00:00"}
    # A page without a headline of its own reads the same with the kept entry as in the crawl.
    untitled = HtmlResponse(BASE + "/en/untitled/a-70900001", body=UNTITLED, encoding="utf-8")
    live = parse_article_page(untitled, CAPTURED, {"title": "From the feed", "published": published})
    again = parse_article_page(untitled, CAPTURED, page.entry)
    assert dict(again) == dict(live)
    assert (live["title"], live["published"]) == ("From the feed", "2026-11-03T07:30:00Z")
    assert page.captured == CAPTURED and page.status == 200
    assert json.loads(json.dumps(page.headers))  # plain (name, value) pairs


def test_compact_folds_the_page_files_of_past_months_whole_records_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    directory = pages_dir(data_dir)
    january = datetime(2025, 1, 5, 8, tzinfo=UTC)
    for run, day in enumerate((january, january + timedelta(days=15))):
        writer = PageWriter(directory)
        writer.run_name = f"run{run}"  # two runs of the same second
        for i in range(3):
            writer.write(response(article(10 * run + i)), day + timedelta(minutes=i))
        writer.close()
    second = directory / "dw-2025-01-20-run1.warc.gz"
    second.write_bytes(second.read_bytes()[:-100])  # a crash cut its last record
    this_month = PageWriter(directory)
    this_month.write(response(article(50)), datetime.now(UTC))
    this_month.close()

    result = run_newsbot("compact", "--data-dir", str(data_dir), "--before", datetime.now(UTC).date().isoformat())
    assert result.returncode == 0, result.stderr
    assert "compacted 2 page file(s) into" in result.stderr and "dw-2025-01.warc.gz (11 records)" in result.stderr
    files = sorted(p.name for p in directory.glob("*.warc.gz"))
    assert files[0] == "dw-2025-01.warc.gz" and len(files) == 2  # and this month's run file
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(directory / files[0])],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout
    scan = scan_pages(page_files(directory), HOSTS)
    assert len(scan.pages) == 6 and not scan.skipped  # the cut page is left out, 5 + this month's
    again = run_newsbot("compact", "--data-dir", str(data_dir), "--before", datetime.now(UTC).date().isoformat())
    assert "nothing to compact" in again.stderr


def test_a_page_older_than_the_stored_version_never_replaces_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    writer = PageWriter(pages_dir(data_dir))
    old = article(0)
    old.modified = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    writer.write(response(old), CAPTURED)
    writer.close()
    reextract(data_dir, HOSTS, update=True)
    (stored,) = archive_lines(data_dir)
    # a refetch (with pages off) stored DW's update of the article later
    later = datetime.now(UTC) + timedelta(seconds=1)
    newer = {**stored, "title": "Story 0, corrected", "modified": "2026-11-05T08:00:00Z",
             "scraped_at": later.isoformat()}
    with (data_dir / "dw" / f"{later.date()}.jsonl").open("a", encoding="utf-8") as daily:
        daily.write(json.dumps(newer) + "\n")

    report = reextract(data_dir, HOSTS, update=True)
    assert report.updated == 0 and report.rejected == {"older than the stored version": 1}
    out = tmp_path / "out.jsonl"
    reextract(data_dir, HOSTS, out=out)
    assert [r["title"] for r in read_jsonl(out)] == ["Story 0, corrected"]
