"""crontab.example's entries, run by /bin/sh as cron runs them: each mails (prints) its own
failure and nothing else, the log is 640 and rotates daily, and data/ stays 750.

newsbot itself is stood in for by a script at .venv/bin/python that exits as told (the crawl,
the status and the compaction have tests of their own): what is tested here is the plumbing of
the entries, with a real shell, real files and real `mv`/`find`.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

CRON_LINE = re.compile(r"^#?\s*(?P<schedule>(?:\S+\s+){5})(?P<command>.*\S)\s*$")


def entries() -> dict[str, str]:
    """Every entry of crontab.example, the commented-out optional ones too, by schedule."""
    found = {}
    for line in (PROJECT_DIR / "crontab.example").read_text(encoding="utf-8").splitlines():
        match = CRON_LINE.match(line)
        if match and re.match(r"^[\d*/,-]+$", match["schedule"].split()[0]) and (
            "/srv/newsbot" in match["command"]
        ):
            found[match["schedule"].strip()] = match["command"]
    return found


def as_cron_runs_it(command: str, project: Path) -> str:
    """`\\%` is `%` once cron has read the line; the project is where the test put it."""
    return command.replace("\\%", "%").replace("/srv/newsbot", str(project))


def make_project(tmp_path: Path, exit_code: int) -> Path:
    project = tmp_path / "project"
    (project / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    python = project / ".venv" / "bin" / "python"
    python.write_text(f"#!/bin/sh\necho \"newsbot $*\"\nexit {exit_code}\n")
    python.chmod(0o755)
    return project


def cron(command: str, project: Path, path_first: Path | None = None) -> str:
    env = {"HOME": str(project), "PATH": os.environ["PATH"], "SHELL": "/bin/sh"}
    if path_first is not None:
        env["PATH"] = f"{path_first}:{env['PATH']}"
    result = subprocess.run(
        ["/bin/sh", "-c", as_cron_runs_it(command, project)], env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )
    return result.stdout + result.stderr  # cron mails both


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_entries_are_the_crawl_rotation_compaction_status_and_check() -> None:
    commands = " ".join(entries().values())
    for part in ("newsbot run", "newsbot compact", "newsbot status", "newsbot.log.$(date",
                 "newsbot check"):
        assert part in commands, part
    assert len(entries()) == 5


@pytest.mark.parametrize("schedule", sorted(entries()))
def test_every_entry_mails_its_own_failure_and_nothing_when_it_works(
    tmp_path: Path, schedule: str
) -> None:
    command = entries()[schedule]
    project = make_project(tmp_path, exit_code=0)
    (project / "data").mkdir(mode=0o750)
    (project / "data" / "newsbot.log").write_text("yesterday\n")
    assert cron(command, project) == ""  # nothing printed: cron sends no mail

    make_project(tmp_path, exit_code=5)
    (project / "data" / "newsbot.log").write_text("today\n")
    failing = tmp_path / "failing-tools"  # the rotation's tools fail, for its entry
    failing.mkdir()
    for tool in ("mv", "find"):
        (failing / tool).write_text("#!/bin/sh\nexit 1\n")
        (failing / tool).chmod(0o755)

    mailed = cron(command, project, path_first=failing)

    assert "failed (exit " in mailed, mailed
    assert re.search(r"\(exit [15]\)", mailed), mailed


@pytest.fixture
def cron_umask() -> Iterator[None]:
    """Cron's usual umask, 022, for the test: the entries must not depend on a stricter one."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.usefixtures("cron_umask")
def test_the_log_is_640_rotates_daily_and_data_stays_750(tmp_path: Path) -> None:
    crawl = next(c for c in entries().values() if "newsbot run" in c)
    rotate = next(c for c in entries().values() if "newsbot.log.$(date" in c)
    project = make_project(tmp_path, exit_code=0)

    assert cron(crawl, project) == ""

    data, log = project / "data", project / "data" / "newsbot.log"
    assert mode(data) == 0o750
    assert mode(log) == 0o640
    assert "newsbot -m newsbot run" in log.read_text()
    old = data / "newsbot.log.2020-01-01"
    old.write_text("long ago\n")
    month_ago = time.time() - 40 * 86400
    os.utime(old, (month_ago, month_ago))

    assert cron(rotate, project) == ""

    rotated = data / f"newsbot.log.{datetime.now().strftime('%Y-%m-%d')}"
    assert rotated.read_text().count("newsbot run") == 1
    assert mode(rotated) == 0o640
    assert not log.exists() and not old.exists()
    assert cron(crawl, project) == ""
    assert mode(log) == 0o640 and mode(data) == 0o750
    assert cron(rotate, project) == ""  # a second rotation that day overwrites nothing
    assert rotated.read_text().count("newsbot run") == 1 and log.read_text().count("run") == 1
    assert sorted(p.name for p in data.iterdir()) == sorted([rotated.name, log.name])
