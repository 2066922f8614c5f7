"""The quick start as a new user runs it: scripts/crawl.sh and scripts/demo.sh, real processes.

The scripts install newsbot into the project's .venv first; they run pip only when that venv
lacks what they need (scripts/setup-venv.sh records what it installed), so these tests need the
venv that `bash scripts/test.sh` made, and never reach a package index.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FAST_SETTINGS, PROJECT_DIR, archive_lines, run_scrapy_crawl

INSTALL_STAMP = PROJECT_DIR / ".venv" / ".newsbot-installed"

pytestmark = pytest.mark.skipif(
    not INSTALL_STAMP.is_file() or Path(sys.prefix).resolve() != (PROJECT_DIR / ".venv").resolve(),
    reason="needs the project's .venv as installed by scripts/test.sh (else the scripts run pip)",
)


def run_script(script: str, *args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(data_dir)}
    env.pop("NEWSBOT_EXTRAS", None)
    return subprocess.run(
        ["bash", str(PROJECT_DIR / "scripts" / script), *args], cwd="/", env=env,
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_crawl_script_gives_its_arguments_to_the_crawl(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = run_script("crawl.sh", "-a", "langs=de", data_dir=data_dir)
    assert result.returncode == 3, result.stderr[-3000:]
    assert "InvalidRequirement" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert "unknown argument(s) langs; known: channels, lang, refetch" in last, last
    assert not data_dir.exists()


def test_offline_quick_start_fails_and_says_what_to_do(tmp_path: Path) -> None:
    port = closed_port()
    roots = [
        "-s", f"NEWSBOT_SITE_URL=http://127.0.0.1:{port}",
        "-s", f"NEWSBOT_FEEDS_URL=http://localhost:{port}",
    ]
    fast = [part for name, value in FAST_SETTINGS.items() for part in ("-s", f"{name}={value}")]
    data_dir = tmp_path / "data"

    result = run_script("crawl.sh", *roots, *fast, data_dir=data_dir)

    assert result.returncode == 4, result.stderr[-3000:]
    last = result.stderr.splitlines()[-1]
    assert "the site could not be reached" in last, last
    assert "`bash scripts/demo.sh`" in last and '"Try it offline"' in last, last
    assert f"127.0.0.1:{port}" in last and f"localhost:{port}" in last
    # The summary counts the network errors as failures.
    [summary] = [line for line in result.stderr.splitlines() if "Run summary: " in line]
    assert "status=no_listing" in summary and "(failed 1," in summary
    assert "network_errors=DownloadConnectionRefusedErrorx" in summary
    [report] = [json.loads(p.read_text()) for p in (data_dir / "runs").glob("*.json")]
    assert report["exit_code"] == 4 and report["listing"]["pages_failed"] == 1
    assert report["listing"]["failed_urls"] == [
        f"http://127.0.0.1:{port}/en/news-sitemap.xml", f"http://localhost:{port}/xml/rss-en-all",
    ]
    assert report["http"]["network_errors"]["DownloadConnectionRefusedError"] >= 2

    # `scrapy crawl dw` keeps Scrapy's convention: it ran, so exit status 0; the verdict is in
    # its run summary and report.
    crawl = run_scrapy_crawl(*roots, settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "Run summary: status=no_listing exit=4" in crawl.stderr
    assert "the site could not be reached" in crawl.stderr


def test_demo_script_gives_its_arguments_to_the_demo(tmp_path: Path) -> None:
    usage = run_script("demo.sh", "--help", data_dir=tmp_path / "unused")
    assert usage.returncode == 0, usage.stderr[-3000:]
    assert "--serve-only" in usage.stdout and "--data-dir" in usage.stdout

    demo_dir = tmp_path / "demo"
    demo = run_script("demo.sh", "--data-dir", str(demo_dir), data_dir=tmp_path / "unused")
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert archive_lines(demo_dir), "the demo stored nothing in the --data-dir it was given"
    assert not (tmp_path / "unused").exists()
