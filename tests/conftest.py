"""Shared fixtures: the fake DW site on loopback and a runner for real `scrapy crawl` processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from newsbot.schema import SCHEMA_PATH
from tests.fakedw.server import FakeDwSite

PROJECT_DIR = Path(__file__).resolve().parents[1]

# Settings every test crawl uses: no politeness delays against our own loopback server.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "RETRY_TIMES": "1",
    "DOWNLOAD_TIMEOUT": "10",
    "LOG_LEVEL": "INFO",
}

CrawlRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def site() -> Iterator[FakeDwSite]:
    """A fresh fake DW site served on 127.0.0.1 for one test."""
    with FakeDwSite() as fake:
        yield fake


def _run_in_project(
    command: list[str], settings: dict[str, str] | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run a command in the project directory, as a user would, with the test crawl settings."""
    if settings is not None:
        for name, value in {**FAST_SETTINGS, **settings}.items():
            command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    archive = _crawl_archive(command) if settings is not None else None
    sizes = _file_sizes(archive) if archive else {}
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout,
        check=False,
    )
    if archive:
        for record in _appended_records(archive, sizes):
            assert_matches_item_schema(record)
    return result


def _crawl_archive(command: list[str]) -> Path:
    """The archive directory a crawl command writes to (its --data-dir or NEWSBOT_DATA_DIR)."""
    data_dir = "data"
    for flag, value in pairwise(command):
        if flag == "--data-dir" or (flag == "-s" and value.startswith("NEWSBOT_DATA_DIR=")):
            data_dir = value.removeprefix("NEWSBOT_DATA_DIR=")
    return PROJECT_DIR / data_dir / "dw"  # an absolute data_dir replaces PROJECT_DIR


def _file_sizes(archive: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for path in archive.glob("*.jsonl")}


def _appended_records(archive: Path, sizes_before: dict[Path, int]) -> list[dict]:
    """The whole lines a crawl appended to the archive: exactly what newsbot stored."""
    records = []
    for path in sorted(archive.glob("*.jsonl")):
        with path.open("rb") as handle:
            start = min(sizes_before.get(path, 0), path.stat().st_size)  # a trimmed tail
            handle.seek(max(start - 1, 0))
            if start and handle.read(1) != b"\n":
                handle.readline()  # the rest of a partial line left before the run
            records += [json.loads(raw) for raw in handle if raw.endswith(b"\n")]
    return records


def run_scrapy_crawl(
    *args: str, settings: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `scrapy crawl dw ARGS` in the project directory."""
    command = [sys.executable, "-m", "scrapy", "crawl", "dw", *args]
    return _run_in_project(command, settings or {}, timeout)


def run_newsbot(
    *args: str, settings: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m newsbot ARGS` (run, merge, compact) in the project directory."""
    crawls = bool(args) and args[0] == "run"
    command = [sys.executable, "-m", "newsbot", *args]
    return _run_in_project(command, (settings or {}) if crawls else None, timeout)


@pytest.fixture
def crawl() -> CrawlRunner:
    """The crawl runner, as a fixture."""
    return run_scrapy_crawl


def read_jsonl(path: Path) -> list[dict]:
    """Every line of a JSONL file, parsed (fails the test on a broken line)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def archive_lines(data_dir: Path) -> list[dict]:
    """All records of the daily JSONL files under a data directory."""
    return [record for path in sorted((data_dir / "dw").glob("*.jsonl")) for record in read_jsonl(path)]


def item_schema_validator() -> Draft202012Validator:
    """The published schema, checked as draft 2020-12 by the reference implementation
    (`jsonschema`, a second implementation beside the jsonschema-rs that newsbot uses)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def assert_matches_item_schema(record: dict) -> None:
    """Fail with every schema error of `record`, naming its URL."""
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(line)'}: {error.message}"
        for error in _ITEM_SCHEMA.iter_errors(record)
    ]
    assert not errors, f"{record.get('url')} does not match article.schema.json: {errors}"


_ITEM_SCHEMA = item_schema_validator()
