"""The machine and software a run of the benchmarks measured, so figures are never quoted bare."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (Linux), else what `platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> list[tuple[str, str]]:
    """(label, value) pairs: CPUs, CPU model, OS, Python and the libraries that matter here."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("nproc (usable CPUs)", str(usable)),
        ("CPU model", cpu_model()),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        *(
            (name, _version(name))
            for name in ("Scrapy", "lxml", "parsel", "Twisted", "trafilatura")
        ),
    ]
