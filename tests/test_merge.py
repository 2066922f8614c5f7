"""`python -m newsbot merge` and feed exports: files for pandas and DuckDB, one row per article."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from newsbot.items import ARTICLE_FIELDS
from newsbot.permalink import permalink_for
from newsbot.storage.archive import Archive
from tests.conftest import PROJECT_DIR, CrawlRunner, read_jsonl, run_newsbot
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite


def record(content_id: int, scraped_at: str, modified: str, title: str) -> dict:
    """An archive line as the pipelines store it."""
    return {
        "url": f"https://www.dw.com/en/story/a-{content_id}",
        "content_id": content_id,
        "permalink": permalink_for(content_id),
        "language": "en",
        "title": title,
        "summary": "A teaser, with a comma.",
        "authors": ["Jane Doe", "Max Müller"],
        "published": "2026-10-30T08:00:00+00:00",
        "modified": modified,
        "topics": ["Germany", "Energy"],
        "body": "First paragraph.\n\nSecond „quoted“ paragraph.",
        "image": None,
        "agencies": ["dpa"],
        "scraped_at": scraped_at,
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Five days of archive written through the real Archive: versions, repeats, other days."""
    data_dir = tmp_path / "data"
    archive = Archive(data_dir)
    lines = [
        record(1, "2026-11-01T10:00:00+00:00", "2026-11-01T09:00:00+00:00", "One, first version"),
        record(2, "2026-11-01T10:00:01+00:00", "2026-11-01T09:30:00+00:00", "Two"),
        record(1, "2026-11-02T07:00:00+00:00", "2026-11-02T06:00:00+00:00", "One, corrected"),
        record(3, "2026-11-03T12:00:00+00:00", "2026-11-03T11:00:00+00:00", "Three"),
        record(2, "2026-11-03T23:59:59+00:00", "2026-11-03T23:00:00+00:00", "Two, updated"),
        record(4, "2026-10-31T23:00:00+00:00", "2026-10-31T22:00:00+00:00", "Before the range"),
        record(5, "2026-11-05T00:00:00+00:00", "2026-11-05T00:00:00+00:00", "After the range"),
    ]
    for line in lines:
        archive.store(line)
    archive.close()
    return data_dir


def merge(data_dir: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run_newsbot(
        "merge", "--data-dir", str(data_dir), "--from", "2026-11-01", "--to", "2026-11-03",
        "--out", str(out),
    )


def test_merge_keeps_the_latest_version_of_each_article_in_every_format(
    data_dir: Path, tmp_path: Path
) -> None:
    outputs = {suffix: tmp_path / f"merged{suffix}" for suffix in (".jsonl", ".csv", ".parquet", ".xml", ".json")}
    for out in outputs.values():
        result = merge(data_dir, out)
        assert result.returncode == 0, result.stderr
        assert f"merged 3 article(s) scraped 2026-11-01 to 2026-11-03 into {out}" in result.stderr

    expected = {1: "One, corrected", 3: "Three", 2: "Two, updated"}
    rows = read_jsonl(outputs[".jsonl"])
    assert {r["content_id"]: r["title"] for r in rows} == expected
    assert [r["content_id"] for r in rows] == [1, 3, 2]  # archive order of the kept versions
    assert list(rows[0]) == list(ARTICLE_FIELDS)
    assert rows[0]["authors"] == ["Jane Doe", "Max Müller"]

    frame = pd.read_parquet(outputs[".parquet"])
    assert frame["permalink"].is_unique and len(frame) == 3
    assert dict(zip(frame["content_id"], frame["title"], strict=True)) == expected
    assert list(frame.loc[frame["content_id"] == 1, "authors"].iloc[0]) == ["Jane Doe", "Max Müller"]
    assert str(frame["content_id"].dtype) == "int64"

    with outputs[".csv"].open(encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert {int(r["content_id"]): r["title"] for r in csv_rows} == expected
    assert pd.read_csv(outputs[".csv"])["permalink"].is_unique

    items = ET.parse(outputs[".xml"]).getroot().findall("item")
    assert sorted(item.findtext("title") for item in items) == sorted(expected.values())
    assert len(json.loads(outputs[".json"].read_text(encoding="utf-8"))) == 3

    db = duckdb.connect()
    parquet = db.execute(
        f"SELECT count(*), count(DISTINCT permalink) FROM read_parquet('{outputs['.parquet']}')"
    ).fetchone()
    assert parquet == (3, 3)
    titles = db.execute(
        f"SELECT content_id, title FROM read_json_auto('{outputs['.jsonl']}') ORDER BY content_id"
    ).fetchall()
    assert titles == sorted(expected.items())
    authors = db.execute(
        f"SELECT list_contains(authors, 'Max Müller') FROM read_parquet('{outputs['.parquet']}')"
    ).fetchall()
    assert authors == [(True,)] * 3


def test_merge_refuses_unknown_formats_and_reversed_ranges(data_dir: Path, tmp_path: Path) -> None:
    result = merge(data_dir, tmp_path / "merged.txt")
    assert result.returncode == 2
    assert "cannot tell the format of" in result.stderr and ".parquet" in result.stderr
    reversed_range = run_newsbot(
        "merge", "--data-dir", str(data_dir), "--from", "2026-11-03", "--to", "2026-11-01",
        "--out", str(tmp_path / "m.jsonl"),
    )
    assert reversed_range.returncode == 2 and "is after --to" in reversed_range.stderr
    assert not (tmp_path / "m.jsonl").exists()


def test_parquet_without_pyarrow_says_what_to_install(data_dir: Path, tmp_path: Path) -> None:
    # The same entry point in an interpreter where `import pyarrow` fails.
    code = (
        "import sys; sys.modules['pyarrow'] = None; from newsbot.operations.cli import main; "
        f"sys.exit(main(['merge', '--data-dir', {str(data_dir)!r}, '--from', '2026-11-01', "
        f"'--to', '2026-11-03', '--out', {str(tmp_path / 'm.parquet')!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True,
        check=False, timeout=60,
    )
    assert result.returncode == 2
    assert "pip install 'newsbot[analysis]'" in result.stderr
    assert not (tmp_path / "m.parquet").exists()


def test_xml_feed_and_one_feed_file_per_run(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    articles = [
        site.add_article(
            FakeArticle(
                content_id=68400000 + i, slug=f"exported-{i}", title=f"Exported {i}",
                summary="Teaser.", paragraphs=["One.", "Two.", "Three."],
            )
        )
        for i in range(2)
    ]
    site.add_listing("/en/exports/t-9", [a.path for a in articles])
    exports = tmp_path / "exports"
    feeds = json.dumps({f"{exports}/dw-%(time)s.jsonl": {"format": "jsonlines"}})
    xml_feed = tmp_path / "out.xml"

    result = crawl(
        "-a", f"start_urls={site.url('/en/exports/t-9')}", "-O", str(xml_feed),
        settings={"NEWSBOT_DATA_DIR": str(tmp_path / "data"), "FEEDS": feeds},
    )

    assert result.returncode == 0, result.stderr[-3000:]
    items = ET.parse(xml_feed).getroot().findall("item")
    assert sorted(int(item.findtext("content_id") or 0) for item in items) == [
        a.content_id for a in articles
    ]
    assert [child.tag for child in items[0]] == [
        name for name in ARTICLE_FIELDS if items[0].find(name) is not None
    ]
    (per_run,) = exports.glob("dw-*.jsonl")
    assert per_run.name.startswith("dw-20") and ":" not in per_run.name
    assert sorted(r["content_id"] for r in read_jsonl(per_run)) == [a.content_id for a in articles]
