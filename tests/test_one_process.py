"""A default `scrapy crawl dw` is one process: no child process appears while it extracts.

newsbot once extracted article pages in worker processes; measured, they paid off only at
request rates nobody may point at dw.com (benchmarks/DECISIONS.md), so extraction runs in the
spider's callback. This test runs a crawl with the project's own settings (no test speed-ups:
robots.txt, AutoThrottle, the download delay) against the fake site and watches /proc for
children of the crawl while articles are being stored, one every second or so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PROJECT_DIR, archive_lines
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite

TOPIC = "/en/one-process/t-9400"
ARTICLES = 5


def children_of(parent: int) -> dict[int, str]:
    """Every live process whose parent is `parent`, with its command line (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # it exited while we looked
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after it.
        if int(stat.rpartition(")")[2].split()[1]) == parent:
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return found


def stored_count(data_dir: Path) -> int:
    archive = data_dir / "dw"
    return sum(path.read_bytes().count(b"\n") for path in archive.glob("*.jsonl"))


def test_a_default_crawl_starts_no_child_process(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "crawl.log"
    with FakeDwSite() as site:
        articles = [
            site.add_article(
                FakeArticle(
                    content_id=94100 + i, slug=f"alone-{i}", title=f"Alone {i}", summary="S.",
                    paragraphs=[f"Text {i}.", "Two."],
                )
            )
            for i in range(ARTICLES)
        ]
        site.add_listing(TOPIC, [article.path for article in articles])
        command = [
            sys.executable, "-m", "scrapy", "crawl", "dw", "-a", f"start_urls={site.url(TOPIC)}",
            "-s", f"NEWSBOT_DATA_DIR={data_dir}",
        ]
        env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
        with log.open("wb") as handle:
            process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=handle
            )
        children: dict[int, str] = {}
        polls_while_extracting = 0
        deadline = time.monotonic() + 120
        try:
            while process.poll() is None and time.monotonic() < deadline:
                children |= children_of(process.pid)
                if 0 < stored_count(data_dir) < ARTICLES:
                    polls_while_extracting += 1
                time.sleep(0.02)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()

    text = log.read_text()
    assert process.returncode == 0, text[-3000:]
    assert len(archive_lines(data_dir)) == ARTICLES, text[-3000:]
    # The polling did watch the extraction phase: articles were stored one by one meanwhile.
    assert polls_while_extracting >= 10, (polls_while_extracting, text[-3000:])
    assert children == {}, children
