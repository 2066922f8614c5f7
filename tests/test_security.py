"""Unattended runs on a shared machine: no open ports, private files, no credentials in logs,
only http(s) on the allowed site, and page content never becomes code or a file name."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from newsbot.crawling.redact import redact
from newsbot.crawling.useragent import user_agent_for
from tests.conftest import FAST_SETTINGS, PROJECT_DIR, CrawlRunner, archive_lines
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply

TOPIC = "/en/topic/t-9300"
HELD = "/en/held-back/a-500099"


def listening_ports(pid: int) -> set[int]:
    """TCP ports the process listens on: LISTEN sockets of /proc/net/tcp* owned by its fds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def paused_crawl(
    tmp_path: Path, settings: dict[str, str], inspect: Callable[[int, Path], None]
) -> str:
    """Run a crawl, call `inspect(pid, data_dir)` while it waits on one held-back article."""
    release = threading.Event()
    data_dir = tmp_path / "data"
    with FakeDwSite() as site:
        good = FakeArticle(500001, "stored-first", "Stored first", "Teaser.", ["One.", "Two."])
        held = FakeArticle(500099, "held-back", "Held back", "Teaser.", ["One.", "Two."])
        site.add_article(good)
        page = render_article(held, site.base_url).encode()
        site.add_route(HELD, lambda _path: Reply(body=page) if release.wait(60) else Reply(status=500))
        site.add_listing(TOPIC, [good.path, HELD])
        command = [sys.executable, "-m", "scrapy", "crawl", "dw", "-a", f"start_urls={site.url(TOPIC)}"]
        for name, value in {**FAST_SETTINGS, "NEWSBOT_DATA_DIR": str(data_dir), **settings}.items():
            command += ["-s", f"{name}={value}"]
        log = tmp_path / "crawl.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
                stdout=handle, stderr=handle, preexec_fn=lambda: os.umask(0),
            )
        try:
            deadline = time.monotonic() + 30
            while not (HELD in site.requested_paths() and list(data_dir.glob("dw/*.jsonl"))):
                assert time.monotonic() < deadline and process.poll() is None, log.read_text()[-3000:]
                time.sleep(0.05)
            inspect(process.pid, data_dir)
        finally:
            release.set()
            process.wait(timeout=30)
    return log.read_text()


def test_no_telnet_console_or_remote_control_and_private_files(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs"
    seen: dict[str, object] = {}

    def inspect(pid: int, data_dir: Path) -> None:
        seen["ports"] = listening_ports(pid)
        seen["modes"] = {
            str(path.relative_to(data_dir)): stat.S_IMODE(path.stat().st_mode)
            for path in [data_dir, *data_dir.rglob("*")]
        }

    log = paused_crawl(tmp_path, {"REMOTE_CONTROL_JOBS_DIR": str(jobs)}, inspect)
    assert seen["ports"] == set()
    assert "Telnet Password" not in log and "Telnet console listening" not in log
    assert "remote control" not in log.lower()
    assert not jobs.exists() or not any(jobs.iterdir())
    # Created under umask 0: the modes are newsbot's own, not the umask's.
    modes = seen["modes"]
    assert isinstance(modes, dict)
    assert {"seen.sqlite3", "seen.sqlite3-wal", "seen.sqlite3-shm", "dw"} <= set(modes)
    for name, mode in modes.items():
        expected = 0o750 if name in {".", "dw", "runs", "pages"} else 0o640  # runs/: start record
        assert mode == expected, (name, oct(mode))


def test_the_port_check_sees_telnet_and_remote_control_when_enabled(tmp_path: Path) -> None:
    """The control for the test above: turned on for a debugging session, both listen."""
    jobs = tmp_path / "jobs"
    seen: dict[str, set[int]] = {}
    settings = {"TELNETCONSOLE_ENABLED": "1", "REMOTE_CONTROL_ENABLED": "1", "REMOTE_CONTROL_JOBS_DIR": str(jobs)}
    log = paused_crawl(tmp_path, settings, lambda pid, _: seen.setdefault("ports", listening_ports(pid)))
    telnet = {port for port in seen["ports"] if 6023 <= port <= 6073}
    assert len(telnet) == 1 and len(seen["ports"] - telnet) == 1, seen
    assert "Telnet Password" in log


def test_file_mode_setting_narrows_permissions(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    article = site.add_article(FakeArticle(500200, "private", "Private", "Teaser.", ["One."]))
    site.add_listing(TOPIC, [article.path])
    data_dir = tmp_path / "data"
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir), "NEWSBOT_FILE_MODE": "600"})
    assert result.returncode == 0, result.stderr[-3000:]
    [jsonl] = (data_dir / "dw").glob("*.jsonl")
    assert stat.S_IMODE(jsonl.stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "seen.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "dw").stat().st_mode) == 0o700


def test_hostile_page_text_is_only_json_encoded_and_never_names_a_file(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    hostile = '"}\n{"content_id": 1, "title": "injected"} ../../../etc/passwd <script>alert(1)</script> ${jndi:ldap://x} {{7*7}}'
    article = site.add_article(FakeArticle(500300, "..%2f..%2fevil", hostile, hostile, [hostile, "Two."]))
    site.add_listing(TOPIC, [article.path])
    data_dir = tmp_path / "data"
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr[-3000:]
    [record] = archive_lines(data_dir)
    assert record["title"] == " ".join(hostile.split())
    assert record["body"].split("\n\n")[0] == " ".join(hostile.split())
    files = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    day = record["scraped_at"][:10]
    assert files <= {f"data/dw/{day}.jsonl", "data/seen.sqlite3", "data/seen.sqlite3-wal", "data/seen.sqlite3-shm",
                     "data/newsbot.lock"} | {
        f for f in files if f.startswith("data/runs/")
        # the kept page: named by day, run start and pid only
        or re.fullmatch(r"data/pages/dw-\d{4}-\d\d-\d\d-\d{6}-\d+\.warc\.gz", f)
    }
    assert not any("evil" in f or "passwd" in f for f in files)
    [line] = (data_dir / "dw" / f"{day}.jsonl").read_bytes().splitlines()
    assert json.loads(line)["content_id"] == 500300


def test_links_off_site_or_not_http_are_never_requested(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    local = FakeArticle(500401, "on-file", "On file", "Teaser.", ["One."])
    page = tmp_path / "en" / "on-file" / "a-500401"
    page.parent.mkdir(parents=True)
    page.write_text(render_article(local, site.base_url), encoding="utf-8")
    offsite = site.add_article(FakeArticle(500402, "off-site", "Off site", "Teaser.", ["One."]))
    good = site.add_article(FakeArticle(500403, "on-site", "On site", "Teaser.", ["One."]))
    site.add_listing(TOPIC, [
        page.as_uri(),
        "data:text/html,<html></html>/en/x/a-500404",
        site.url(offsite.path).replace("127.0.0.1", "localhost"),
        good.path,
    ])
    data_dir = tmp_path / "data"
    result = crawl("-a", f"start_urls={site.url(TOPIC)}", settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert [r["content_id"] for r in archive_lines(data_dir)] == [500403]
    assert site.article_requests() == [good.path]


def test_user_agent_names_the_configured_contact(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    site.add_listing(TOPIC, [])
    result = crawl(
        "-a", f"start_urls={site.url(TOPIC)}",
        settings={"NEWSBOT_DATA_DIR": str(tmp_path), "NEWSBOT_CONTACT": "data-team@example.edu"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(site.user_agents) == {"newsbot/0.1 (research archive of DW news; contact: data-team@example.edu)"}
    assert "NEWSBOT_CONTACT is" not in result.stderr  # no placeholder warning once it is set


def test_secret_settings_do_not_reach_the_log(site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path) -> None:
    site.add_listing(TOPIC, [])
    result = crawl(
        "-a", f"start_urls={site.url(TOPIC)}",
        settings={
            "NEWSBOT_DATA_DIR": str(tmp_path),
            "AWS_SECRET_ACCESS_KEY": "s3cr3t-aws-key",
            "TELNETCONSOLE_PASSWORD": "hunter2-telnet",
            "DOWNLOADER_CLIENT_TLS_CIPHERS": "http://user:pr0xy-pass@proxy:3128",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Overridden settings" in result.stderr
    for secret in ("s3cr3t-aws-key", "hunter2-telnet", "pr0xy-pass"):
        assert secret not in result.stderr
    assert "'AWS_SECRET_ACCESS_KEY': '***'" in result.stderr


def test_redact_and_user_agent_helpers() -> None:
    assert redact("ftp://bob:pa55@host/feed.jsonl") == "ftp://bob:***@host/feed.jsonl"
    assert redact("{'TELNETCONSOLE_PASSWORD': 'x y', 'LOG_LEVEL': 'INFO'}") == "{'TELNETCONSOLE_PASSWORD': '***', 'LOG_LEVEL': 'INFO'}"
    assert redact("https://www.dw.com/en/a-1 and me@example.org") == "https://www.dw.com/en/a-1 and me@example.org"
    assert user_agent_for("bot ({contact})", "a@b.c\r\nX-Evil: 1 (x)") == "bot (a@b.c X-Evil: 1 x)"
