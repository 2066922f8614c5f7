"""The offline tools given paths they cannot use: one line on stderr and a documented exit code,
never a traceback, never "no run yet" or "merged 0 article(s)", and nothing created."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_newsbot

NO_DATA_DIR = 66
CANNOT_WRITE = 73


def assert_one_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in result.stderr, result.stderr


def commands(data_dir: Path, out_dir: Path) -> dict[str, list[str]]:
    return {
        "merge": ["merge", "--data-dir", str(data_dir), "--from", "2026-11-01",
                  "--to", "2026-11-30", "--out", str(out_dir / "m.jsonl")],
        "status": ["status", "--data-dir", str(data_dir)],
        "status --json": ["status", "--data-dir", str(data_dir), "--json"],
        "report": ["report", "--data-dir", str(data_dir), "--out", str(out_dir / "r.html")],
        "compact": ["compact", "--data-dir", str(data_dir), "--before", "2026-11-01"],
        "reextract": ["reextract", "--data-dir", str(data_dir), "--out", str(out_dir / "x.jsonl")],
        "reextract --changes": ["reextract", "--data-dir", str(data_dir), "--update",
                                "--changes", str(out_dir / "c.jsonl")],
        "export-wacz": ["export-wacz", "--data-dir", str(data_dir),
                        "--out", str(out_dir / "p.wacz")],
    }


@pytest.mark.parametrize("command", ["merge", "status", "status --json", "report", "compact",
                                     "reextract", "export-wacz"])
def test_a_missing_data_directory_is_named_and_not_created(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nonexistent"

    result = run_newsbot(*commands(missing, tmp_path)[command])

    assert_one_line(result, NO_DATA_DIR, f"data directory {missing} does not exist")
    assert not missing.exists()
    assert not [path.name for path in tmp_path.iterdir()]  # no output either


@pytest.mark.parametrize("command", ["merge", "status", "report", "compact"])
def test_a_file_given_as_data_directory_is_named(tmp_path: Path, command: str) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a data directory\n")

    result = run_newsbot(*commands(a_file, tmp_path)[command])

    assert_one_line(result, NO_DATA_DIR, f"data directory {a_file} is not a directory")
    assert a_file.read_text() == "not a data directory\n"


def test_run_refuses_a_file_as_data_directory_before_crawling(tmp_path: Path) -> None:
    a_file = tmp_path / "data"
    a_file.write_text("")

    result = run_newsbot("run", "--data-dir", str(a_file), "-a", "lang=en")

    assert_one_line(result, NO_DATA_DIR, f"data directory {a_file} is not a directory")
    assert "File exists" not in result.stderr


@pytest.mark.parametrize("command", ["merge", "report", "reextract", "reextract --changes",
                                     "export-wacz"])
def test_an_output_in_a_missing_folder_is_one_line(tmp_path: Path, command: str) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "dw").mkdir(parents=True)
    folder = tmp_path / "no-such-folder"

    result = run_newsbot(*commands(data_dir, folder)[command])

    assert_one_line(result, CANNOT_WRITE, f"folder {folder} does not exist")
    assert not folder.exists()
    # --out naming a directory: the same exit
    into_dir = run_newsbot(*commands(data_dir, tmp_path)[command][:-1], str(tmp_path))
    assert_one_line(into_dir, CANNOT_WRITE, "is a directory")
