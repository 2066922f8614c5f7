"""The kept-pages sub-commands of `newsbot`: `reextract` and `export-wacz`.

    newsbot reextract [--data-dir DIR] [--since DAY] [--until DAY] (--out FILE.jsonl | --update)
                      [--jobs N] [--changes FILE.jsonl] [-s NAME=VALUE]...
    newsbot export-wacz [--data-dir DIR] [--since DAY] [--until DAY] --out FILE.wacz

Kept here, registered by one call in newsbot.operations.cli, so that the pages' commands and
their options live in one place.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from newsbot.crawling.health import ExitCode

# The hosts a kept page may come from: dw.com and its subdomains, and the configured roots.
DW_HOSTS = ("dw.com",)


def add_page_commands(commands: argparse._SubParsersAction) -> None:
    """Register `reextract` and `export-wacz` on the `newsbot` parser's sub-commands."""
    from newsbot.operations.cli import _data_dir_option, _day

    reextract = commands.add_parser(
        "reextract",
        help="run today's extraction on the kept pages (no request): --out items or --update",
    )
    _data_dir_option(reextract)
    _range_options(reextract, _day)
    target = reextract.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="FILE.jsonl",
                        help="write one item per article of the range")
    target.add_argument("--update", action="store_true",
                        help="append a new version of each changed article to the archive")
    reextract.add_argument("--jobs", type=int, default=1, metavar="N",
                           help="extract in N processes (1)")
    reextract.add_argument("--changes", type=Path, metavar="FILE.jsonl",
                           help="also write every changed article and its fields here")
    reextract.add_argument("-s", dest="settings", action="append", default=[],
                           metavar="NAME=VALUE", help="NEWSBOT_* setting, as for run")
    reextract.set_defaults(handler=_reextract)

    wacz = commands.add_parser(
        "export-wacz", help="pack the kept pages into one WACZ for replay tools (needs py-wacz)"
    )
    _data_dir_option(wacz)
    _range_options(wacz, _day)
    wacz.add_argument("--out", type=Path, required=True, metavar="FILE.wacz")
    wacz.add_argument("-s", dest="settings", action="append", default=[],
                      metavar="NAME=VALUE", help="NEWSBOT_* setting, as for run")
    wacz.set_defaults(handler=_export_wacz)


def _range_options(parser: argparse.ArgumentParser, day: object) -> None:
    parser.add_argument("--since", type=day, metavar="YYYY-MM-DD",
                        help="pages captured on or after this UTC day")
    parser.add_argument("--until", type=day, metavar="YYYY-MM-DD",
                        help="pages captured on or before this UTC day")


def site_hosts(settings: object) -> list[str]:
    """dw.com and the hosts of NEWSBOT_SITE_URL and NEWSBOT_FEEDS_URL (a stand-in's, in tests)."""
    hosts = list(DW_HOSTS)
    for name in ("NEWSBOT_SITE_URL", "NEWSBOT_FEEDS_URL"):
        host = urlsplit(str(settings.get(name) or "")).hostname  # type: ignore[attr-defined]
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def _reextract(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.operations.cli import (
        _pairs,
        _say,
        check_output,
        existing_data_dir,
        project_settings,
    )
    from newsbot.operations.reextract import reextract
    from newsbot.storage import file_mode

    if args.jobs < 1:
        parser.error(f"--jobs {args.jobs}: give at least 1")
    if args.since and args.until and args.since > args.until:
        parser.error("--since is after --until")
    settings = project_settings(args.data_dir)
    settings.setdict(_pairs(args.settings, "-s", parser), priority="cmdline")
    mode = file_mode(settings.get("NEWSBOT_FILE_MODE"))
    data_dir = existing_data_dir(settings)  # a mistyped path is one line, never created
    for out, what in ((args.out, "items"), (args.changes, "changes")):
        if out is not None:
            check_output(out, what)  # before any work: a missing folder is one line
    # With --update the archive takes the run lock: never beside a crawl that stores.
    report = reextract(
        data_dir, site_hosts(settings), since=args.since, until=args.until,
        out=args.out, update=args.update, changes=args.changes, jobs=args.jobs,
        file_mode=mode,
    )
    print(report.text(), end="")
    if report.pages == 0 and report.as_stored == 0:
        _say(f"no kept pages in {data_dir / 'pages'} for this range")
    return ExitCode.OK


def _export_wacz(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.operations.cli import (
        _pairs,
        _say,
        check_output,
        existing_data_dir,
        project_settings,
    )
    from newsbot.storage.page_reader import scan_pages
    from newsbot.storage.pages import page_files, pages_dir

    try:
        from wacz.main import main as wacz_main
    except ImportError:
        _say("export-wacz needs py-wacz: pip install -e '.[wacz]'")
        return ExitCode.NOT_STARTED
    settings = project_settings(args.data_dir)
    settings.setdict(_pairs(args.settings, "-s", parser), priority="cmdline")
    data_dir = existing_data_dir(settings)
    check_output(args.out, "WACZ")
    scan = scan_pages(page_files(pages_dir(data_dir)), site_hosts(settings), args.since,
                      args.until)
    files = sorted({str(ref.path) for ref in scan.pages})
    if not files:
        _say(f"no kept pages in {pages_dir(data_dir)} for this range: nothing to export")
        return ExitCode.USAGE
    with tempfile.TemporaryDirectory() as tmp:
        # The page list replay tools show: one entry per kept article page.
        pages = Path(tmp) / "pages.jsonl"
        with pages.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps({"format": "json-pages-1.0", "id": "pages",
                                     "title": "newsbot kept pages"}) + "\n")
            for ref in scan.pages:
                ts = ref.captured.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                handle.write(json.dumps({"url": ref.url, "ts": ts}) + "\n")
        partial = args.out.with_name(f".{args.out.stem}.{os.getpid()}.tmp.wacz")
        code = wacz_main(["create", "-o", str(partial), "-p", str(pages), *files])
        if code:
            partial.unlink(missing_ok=True)
            _say(f"py-wacz could not create {args.out} (exit {code})")
            return ExitCode.ERROR
        os.replace(partial, args.out)
    for reason, count in sorted(scan.skipped.items()):
        print(f"skipped {count} record(s): {reason}", file=sys.stderr)
    _say(f"wrote {len(scan.pages)} page(s) from {len(files)} file(s) to {args.out}")
    return ExitCode.OK
