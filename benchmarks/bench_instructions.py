"""Extraction in CPU instructions: newsbot and the lxml floor counted by valgrind's cachegrind.

Timings on this project's shared two-core machines move by ±10% from one run to the next, more
than most changes to the extraction are worth; an instruction count does not move (hash seeds
fixed, address randomisation off, the garbage collector off in the counted loop). It does not say
how long the work takes (a cache miss costs no instruction), so it is for comparing two versions
of the code, never for the targets, which bench_extraction times.

    apt-get install -y valgrind
    .venv/bin/python -m benchmarks.bench_instructions            # realistic and real pages

Each figure is one process's instructions minus those of the same process that prepares the same
responses and stops before the counted loop.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable

import lxml.html
from scrapy.http import HtmlResponse

from benchmarks.bench_extraction import DW_HEADERS, Page, generated_pages, shared_pages
from newsbot.extraction.pages import parse_article_page

MODES = ("none", "floor", "newsbot")
REALISTIC_PAGES = 60
REAL_PAGE_ROUNDS = 10  # the four saved pages, ten times each
_TOTAL = re.compile(r"I\s+refs:\s+([\d,]+)")


def pages_for(group: str) -> list[Page]:
    if group == "realistic":
        return generated_pages(REALISTIC_PAGES, "realistic")
    return shared_pages() * REAL_PAGE_ROUNDS


def run_loop(group: str, mode: str) -> None:
    """The counted process: prepare every response, warm imports, then extract (or parse)."""
    pages = pages_for(group)
    responses = [HtmlResponse(p.url, body=p.body, headers=DW_HEADERS) for p in pages]
    parse_article_page(HtmlResponse(pages[0].url, body=pages[0].body, headers=DW_HEADERS))
    lxml.html.fromstring(pages[0].body)
    gc.collect()
    gc.disable()
    work: dict[str, Callable[[HtmlResponse], object]] = {
        "none": lambda response: None,
        "floor": lambda response: lxml.html.fromstring(response.body),
        "newsbot": parse_article_page,
    }
    for response in responses:
        work[mode](response)


def count(group: str, mode: str) -> int:
    """Instructions of one counted process, under cachegrind."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, "-m", "benchmarks.bench_instructions", "--loop", group, mode,
    ]
    if shutil.which("setarch"):  # the same addresses every run: the same hash-table layouts
        command = ["setarch", platform.machine(), "-R", *command]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = _TOTAL.search(done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in cachegrind's output:\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loop", nargs=2, metavar=("GROUP", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("groups", nargs="*", default=["realistic", "real"])
    args = parser.parse_args()
    if args.loop:
        run_loop(*args.loop)
        return 0
    if not shutil.which("valgrind"):
        print("valgrind is not installed: apt-get install -y valgrind", file=sys.stderr)
        return 1
    for group in args.groups:
        if not pages_for(group):
            print(f"{group}: no pages (../shared/dw-pages/ not found)")
            continue
        base, floor, newsbot = (count(group, mode) for mode in MODES)
        pages = len(pages_for(group))
        print(
            f"{group} ({pages} pages): floor {(floor - base) / pages / 1e6:.2f}M instructions a"
            f" page, newsbot {(newsbot - base) / pages / 1e6:.2f}M"
            f" ({(newsbot - base) / (floor - base):.2f}x the floor,"
            f" {(newsbot - floor) / pages / 1e6:.2f}M more)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
