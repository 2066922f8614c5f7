"""Kept pages (WARC) end to end: a real crawl on loopback keeps them, `newsbot reextract` reads
them back with the server stopped, warcio's own tools accept them, a SIGKILLed crawl leaves
files that validate and its rerun stores the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from newsbot.storage.page_reader import scan_pages
from tests.conftest import (
    FAST_SETTINGS,
    PROJECT_DIR,
    CrawlRunner,
    archive_lines,
    read_jsonl,
    run_newsbot,
    run_scrapy_crawl,
)
from tests.fakedw.channels import DW_ROBOTS_2026, Entry, news_sitemap, serve_xml
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply

TOPIC = "/en/some-topic/t-1"
WARCIO = [sys.executable, "-m", "warcio.cli"]


def build_site(site: FakeDwSite, count: int = 4) -> list[FakeArticle]:
    articles = [
        site.add_article(FakeArticle(
            content_id=68117411 + i, slug=f"story-{i}", title=f"Story {i}",
            summary=f"Teaser {i}.", paragraphs=[f"Paragraph {i}.", "Second paragraph."],
            design="legacy" if i % 2 else "current",
        ))
        for i in range(count)
    ]
    site.add_listing(TOPIC, [a.path for a in articles])
    return articles


def page_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "pages").glob("*.warc.gz"))


def stored_count(data_dir: Path) -> int:
    """Whole lines in the archive so far (read while a crawl writes)."""
    return sum(path.read_bytes().count(b"\n") for path in (data_dir / "dw").glob("*.jsonl"))


def without_scraped_at(records: list[dict]) -> dict[str, dict]:
    return {r["permalink"]: {k: v for k, v in r.items() if k != "scraped_at"} for r in records}


def reextract(data_dir: Path, site: FakeDwSite, *args: str) -> subprocess.CompletedProcess[str]:
    return run_newsbot("reextract", "--data-dir", str(data_dir), "-s",
                       f"NEWSBOT_SITE_URL={site.base_url}", *args)


def assert_warcio_accepts(files: list[Path]) -> list[dict]:
    """`warcio check` and `warcio index` exit 0 on every file; return the index entries."""
    assert files
    entries = []
    for path in files:
        check = subprocess.run([*WARCIO, "check", "-v", str(path)], capture_output=True,
                               text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout and "fail" not in check.stdout
        index = subprocess.run([*WARCIO, "index", "-f", "warc-type,warc-target-uri,warc-date,"
                                "warc-payload-digest", str(path)],
                               capture_output=True, text=True, check=False)
        assert index.returncode == 0, index.stderr
        entries += [json.loads(line) for line in index.stdout.splitlines()]
    return entries


def test_crawl_keeps_pages_and_reextract_reads_them_without_the_server(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    articles = build_site(site)
    data_dir = tmp_path / "data"
    run = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert run.returncode == 0, run.stderr[-3000:]
    stored = archive_lines(data_dir)
    assert len(stored) == len(articles)

    entries = assert_warcio_accepts(page_files(data_dir))
    responses = [e for e in entries if e["warc-type"] == "response"]
    requests = [e for e in entries if e["warc-type"] == "request"]
    assert sorted(e["warc-target-uri"] for e in responses) == sorted(site.url(a.path) for a in articles)
    assert len(requests) == len(responses)
    assert all(e["warc-payload-digest"].startswith("sha1:") and e["warc-date"] for e in responses)

    asked = len(site.requested_paths())
    site.stop()
    out = tmp_path / "reextracted.jsonl"
    result = reextract(data_dir, site, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert without_scraped_at(read_jsonl(out)) == without_scraped_at(stored)
    assert "unchanged 4, changed 0" in result.stdout
    assert "] 4/4 pages | " in result.stderr  # the progress line (a bar on a terminal)
    assert len(site.requested_paths()) == asked  # nothing was requested


def test_jobs_2_gives_the_same_items_and_update_appends_changed_versions(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    build_site(site, count=20)
    data_dir = tmp_path / "data"
    run = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert run.returncode == 0, run.stderr[-3000:]
    site.stop()
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert reextract(data_dir, site, "--out", str(one)).returncode == 0
    result = reextract(data_dir, site, "--out", str(two), "--jobs", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_jsonl(one) == read_jsonl(two)

    # An older release got two titles and a byline wrong: rewrite the stored lines so.
    daily = next((data_dir / "dw").glob("*.jsonl"))
    lines = read_jsonl(daily)
    lines[0]["title"], lines[1]["title"] = "Wrong title", "Wrong too"
    lines[1]["authors"] = ["Jane Doe, Berlin"]
    daily.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    (data_dir / "seen.sqlite3").unlink()  # the index follows the JSONL files

    changes = tmp_path / "changes.jsonl"
    result = reextract(data_dir, site, "--update", "--changes", str(changes))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "changed fields: title 2, authors 1" in result.stdout
    assert "new versions appended to the archive: 2" in result.stdout
    assert sorted(c["fields"] for c in read_jsonl(changes)) == [["title"], ["title", "authors"]]
    # merge keeps the new versions; a second --update has nothing to change
    merged = tmp_path / "merged.jsonl"
    day = lines[0]["scraped_at"][:10]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert run_newsbot("merge", "--data-dir", str(data_dir), "--from", day, "--to", today,
                       "--out", str(merged)).returncode == 0
    assert {r["permalink"] for r in read_jsonl(merged)} == {r["permalink"] for r in lines}
    assert not {r["title"] for r in read_jsonl(merged)} & {"Wrong title", "Wrong too"}
    again = reextract(data_dir, site, "--update")
    assert "unchanged 20, changed 0" in again.stdout and "appended" not in again.stdout


def test_keeping_pages_off_keeps_none_and_reextract_loses_no_article(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    build_site(site, count=3)
    data_dir = tmp_path / "data"
    run = crawl("-a", f"start_urls={site.url(TOPIC)}",
                settings={"NEWSBOT_DATA_DIR": str(data_dir), "NEWSBOT_KEEP_PAGES": "False"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(archive_lines(data_dir)) == 3
    assert page_files(data_dir) == []
    out = tmp_path / "out.jsonl"
    result = reextract(data_dir, site, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "3 article(s) without a usable kept page: written as stored" in result.stdout
    assert read_jsonl(out) == archive_lines(data_dir)


def test_a_crawl_killed_while_keeping_pages_leaves_valid_files_and_the_rerun_stores_the_rest(
    site: FakeDwSite, tmp_path: Path
) -> None:
    articles = build_site(site, count=30)
    for article in articles:  # slow pages, so that the kill lands mid-crawl
        body = render_article(article, site.base_url).encode("utf-8")
        site.add_route(article.path, Reply(body=body, delay=0.15))
    data_dir = tmp_path / "data"
    settings = {**FAST_SETTINGS, "NEWSBOT_DATA_DIR": str(data_dir), "CONCURRENT_REQUESTS": "2"}
    command = [sys.executable, "-m", "scrapy", "crawl", "dw", "-a", f"start_urls={site.url(TOPIC)}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if stored_count(data_dir) >= 4:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the crawl ended before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    stored = archive_lines(data_dir)
    assert 4 <= len(stored) < len(articles)
    entries = assert_warcio_accepts(page_files(data_dir))
    kept = {e["warc-target-uri"] for e in entries if e["warc-type"] == "response"}
    assert {r["url"] for r in stored} <= kept  # no article stored without its page
    # warcio's check misses a file cut inside a record; newsbot's own reader does not
    scan = scan_pages(page_files(data_dir), ["127.0.0.1"])
    assert not scan.skipped and len(scan.pages) == len(kept)

    rerun = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                           timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    stored = archive_lines(data_dir)
    assert sorted(r["content_id"] for r in stored) == [a.content_id for a in articles]
    files = page_files(data_dir)
    assert len(files) == 2  # the rerun writes a file of its own, never after a partial record
    assert_warcio_accepts(files)
    site.stop()
    out = tmp_path / "out.jsonl"
    result = reextract(data_dir, site, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert without_scraped_at(read_jsonl(out)) == without_scraped_at(stored)


def test_export_wacz_packs_the_kept_pages_for_replay(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    articles = build_site(site, count=3)
    data_dir = tmp_path / "data"
    run = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert run.returncode == 0, run.stderr[-3000:]
    site.stop()
    wacz = tmp_path / "pages.wacz"
    result = run_newsbot("export-wacz", "--data-dir", str(data_dir), "-s",
                         f"NEWSBOT_SITE_URL={site.base_url}", "--out", str(wacz))
    assert result.returncode == 0, result.stderr[-3000:]
    validate = subprocess.run(
        [sys.executable, "-c", "import sys; from wacz.main import main; sys.exit(main())",
         "validate", "-f", str(wacz)], capture_output=True, text=True, check=False,
    )
    assert validate.returncode == 0 and "is valid" in validate.stdout, validate.stdout + validate.stderr
    with zipfile.ZipFile(wacz) as packed:
        names = packed.namelist()
        assert [n for n in names if n.startswith("archive/")] == [f"archive/{p.name}" for p in page_files(data_dir)]
        pages = [json.loads(line) for line in packed.read("pages/pages.jsonl").splitlines()[1:]]
    assert sorted(p["url"] for p in pages) == sorted(site.url(a.path) for a in articles)
    assert "indexes/index.cdx.gz" in names and "datapackage.json" in names


def test_fields_filled_from_the_sitemap_entry_come_back_in_reextraction(tmp_path: Path) -> None:
    """An article page without topics gets them from its news-sitemap entry's keywords; the
    entry is kept with the page, so re-extraction fills them the same way, offline."""
    now = datetime.now(UTC).replace(microsecond=0)
    with FakeDwSite(robots_txt=DW_ROBOTS_2026) as site:
        bare = site.add_article(FakeArticle(
            content_id=70500001, slug="story-without-topics", title="Story without topics",
            summary="A teaser.", paragraphs=["First paragraph.", "Second paragraph."], topics=[],
        ))
        serve_xml(site, "/en/news-sitemap.xml", news_sitemap(
            [Entry(site.url(bare.path), published=now, title=bare.title, keywords=["Climate"])]
        ))
        data_dir = tmp_path / "data"
        run = run_scrapy_crawl("-a", "lang=en", "-a", "channels=news", settings={
            "NEWSBOT_SITE_URL": site.base_url, "NEWSBOT_FEEDS_URL": site.url("/feeds"),
            "NEWSBOT_DATA_DIR": str(data_dir),
        })
        assert run.returncode == 0, run.stderr[-3000:]
    [stored] = archive_lines(data_dir)
    assert stored["topics"] == ["Climate"]  # from the entry, not the page
    out = tmp_path / "out.jsonl"
    result = reextract(data_dir, site, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert without_scraped_at(read_jsonl(out)) == without_scraped_at([stored])
