"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


@dataclass
class ChildRun:
    """A finished child process: exit code, wall time, its own peak RSS and its output."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_child(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> ChildRun:
    """Run a command and measure it; peak RSS comes from wait4, so it is this child's alone.

    (RUSAGE_CHILDREN would report the largest of all children reaped so far, which mixes the
    newsbot crawl with the bare one.)
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            returncode=process.returncode,
            seconds=seconds,
            peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def rss_mb() -> float:
    """This process's current resident set size (Linux /proc), in MiB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def fmt_ms(seconds: float) -> str:
    """Seconds as milliseconds with two decimals."""
    return f"{seconds * 1000:.2f} ms"


def fmt_ratio(value: float) -> str:
    """A ratio as e.g. 2.41x."""
    return f"{value:.2f}x"
