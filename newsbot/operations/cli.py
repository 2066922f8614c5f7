"""`python -m newsbot` (console script `newsbot`): scheduled runs, merges, compaction, status.

    newsbot run [--data-dir DIR] [-a NAME=VALUE]... [-s NAME=VALUE]... [-o/-O URI]...
    newsbot merge --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.{jsonl,csv,json,xml,parquet}
    newsbot compact --before YYYY-MM-DD
    newsbot status [--data-dir DIR] [--days N] [--json] [--max-age HOURS]
    newsbot report [--data-dir DIR] [--days N] --out FILE.html
    newsbot reextract [--data-dir DIR] [--since D] [--until D] (--out FILE.jsonl | --update)
    newsbot export-wacz [--data-dir DIR] [--since D] [--until D] --out FILE.wacz
    newsbot check [-a lang=LIST] [-s NAME=VALUE]... [--json]

`run` is the entry point for cron: it checks the arguments and settings (a refused run creates
nothing), runs the `dw` crawl in this process (the crawl takes the data directory's run lock),
and exits with a code that says whether the run was healthy (newsbot.crawling.health).
Settings come from the Scrapy project (scrapy.cfg, else newsbot.settings), then `-s`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newsbot.crawling.health import ExitCode, Verdict
from newsbot.errors import NewsbotError
from newsbot.operations.status import StatusCode
from newsbot.storage import StorageError, archive_dir, dir_mode_for, ensure_dir, file_mode
from newsbot.storage.lock import AlreadyRunning, RunLock

if TYPE_CHECKING:
    from newsbot.operations.status import Status

EXIT_CODES_HELP = "\n".join(
    f"  {int(code):>3}  {code.name.lower()}" for code in ExitCode
)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the sub-command, return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, parser))
    except AlreadyRunning as exc:
        _say(str(exc))
        return ExitCode.ALREADY_RUNNING
    except StorageError as exc:
        _say(str(exc))
        return ExitCode.NOT_STARTED
    except PathError as exc:
        _say(str(exc))
        return exc.code


class PathError(Exception):
    """A path given to a command cannot be used: one line on stderr, and its own exit code."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.code = code


def existing_data_dir(settings: Settings) -> Path:
    """The data directory an offline tool reads: it must exist (they never create one)."""
    path = Path(settings.get("NEWSBOT_DATA_DIR"))
    if not path.exists():
        raise PathError(
            f"data directory {path} does not exist (give --data-dir DIR or NEWSBOT_DATA_DIR)",
            ExitCode.NO_DATA_DIR,
        )
    if not path.is_dir():
        raise PathError(f"data directory {path} is not a directory", ExitCode.NO_DATA_DIR)
    return path


def check_output(out: Path, what: str) -> None:
    """Refuse an --out that cannot be created (a missing folder, a directory) before any work."""
    if out.is_dir():
        raise PathError(
            f"cannot write the {what} to {out}: it is a directory; give a file name",
            ExitCode.CANNOT_WRITE,
        )
    folder = out.parent
    if not folder.is_dir():
        reason = "does not exist" if not folder.exists() else "is not a directory"
        raise PathError(
            f"cannot write the {what} to {out}: folder {folder} {reason}", ExitCode.CANNOT_WRITE
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Scheduled DW crawls, merges for analysis, archive compaction and status.",
        epilog="exit codes:\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the dw crawl once (for cron)")
    _data_dir_option(run)
    run.add_argument("-a", dest="spider_args", action="append", default=[], metavar="NAME=VALUE",
                     help="spider argument, as for scrapy crawl (lang, since, until, channels, "
                          "start_urls, refetch, render)")
    run.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                     help="Scrapy or NEWSBOT_* setting, as for scrapy crawl")
    run.add_argument("-o", dest="output", action="append", default=[], metavar="URI",
                     help="append scraped items to a feed (as scrapy crawl -o)")
    run.add_argument("-O", dest="overwrite_output", action="append", default=[], metavar="URI",
                     help="write scraped items to a feed, overwriting it (as scrapy crawl -O)")
    run.set_defaults(handler=_run)

    merge = commands.add_parser(
        "merge", help="merge the archive of a date range into one file, one row per article"
    )
    _data_dir_option(merge)
    merge.add_argument("--from", dest="start", type=_day, required=True, metavar="YYYY-MM-DD")
    merge.add_argument("--to", dest="end", type=_day, required=True, metavar="YYYY-MM-DD")
    merge.add_argument("--out", type=Path, required=True,
                       help="output file: .jsonl, .csv, .json, .xml or .parquet (needs pyarrow)")
    merge.set_defaults(handler=_merge)

    compact = commands.add_parser(
        "compact", help="fold the daily files of past months into monthly files"
    )
    _data_dir_option(compact)
    compact.add_argument("--before", type=_day, required=True, metavar="YYYY-MM-DD",
                         help="compact whole months that end before this day")
    compact.set_defaults(handler=_compact)

    status = commands.add_parser(
        "status", help="last runs, articles per edition and day, gaps; exit status = health",
        epilog="exit codes:\n" + "\n".join(
            f"  {int(code):>3}  {code.name.lower()}" for code in StatusCode
        ) + "\n    2  bad command line\n   66  no such data directory",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _data_dir_option(status)
    status.add_argument("--days", type=int, default=14, metavar="N",
                        help="days shown per edition, and the runs and gaps of them (14)")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.add_argument("--max-age", type=float, metavar="HOURS",
                        help="unhealthy when no successful run finished within HOURS")
    status.set_defaults(handler=_status)

    report = commands.add_parser(
        "report", help="write a self-contained HTML coverage report (needs the analysis extra)"
    )
    _data_dir_option(report)
    report.add_argument("--days", type=int, default=30, metavar="N",
                        help="days the charts cover (30)")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    report.set_defaults(handler=_report)

    from newsbot.operations.page_commands import add_page_commands  # reextract, export-wacz

    add_page_commands(commands)

    check = commands.add_parser(
        "check", help="check each edition's discovery channels and newest article on the live "
                      "site (writes nothing); exit 12 when an edition fails",
    )
    check.add_argument("-a", dest="spider_args", action="append", default=[],
                       metavar="lang=LIST", help="editions to check (default NEWSBOT_LANGUAGES)")
    check.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                       help="Scrapy or NEWSBOT_* setting, as for scrapy crawl")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=_check)
    return parser


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="archive directory (default: NEWSBOT_DATA_DIR)")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _pairs(values: list[str], option: str, parser: argparse.ArgumentParser) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            parser.error(f"{option} {value!r}: expected NAME=VALUE")
        pairs[name] = setting
    return pairs


def project_settings(data_dir: str | None = None) -> Settings:
    """The project's settings, found from scrapy.cfg or, run from elsewhere, newsbot.settings."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    settings = get_project_settings()
    if data_dir:
        settings.set("NEWSBOT_DATA_DIR", data_dir, priority="cmdline")
    return settings


def _locked_data_dir(settings: Settings) -> tuple[Path, int, RunLock]:
    mode = file_mode(settings.get("NEWSBOT_FILE_MODE"))
    data_dir = ensure_dir(Path(settings.get("NEWSBOT_DATA_DIR")), dir_mode_for(mode))
    lock = RunLock(data_dir, mode)
    lock.acquire()
    return data_dir, mode, lock


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.crawling.preflight import check_run
    from newsbot.crawling.scheduled import run_crawl  # imports Scrapy's engine only when crawling

    settings = project_settings(args.data_dir)
    settings.setdict(_pairs(args.settings, "-s", parser), priority="cmdline")
    if args.output or args.overwrite_output:
        from scrapy.exceptions import UsageError
        from scrapy.utils.conf import feed_process_params_from_cli

        try:
            feeds = feed_process_params_from_cli(
                settings, args.output, overwrite_output=args.overwrite_output
            )
        except UsageError as exc:
            parser.error(str(exc))
        settings.set("FEEDS", feeds, priority="cmdline")
    spider_args = _pairs(args.spider_args, "-a", parser)
    data_dir = Path(settings.get("NEWSBOT_DATA_DIR"))
    if data_dir.exists() and not data_dir.is_dir():  # a missing one is made: the first run
        raise PathError(f"data directory {data_dir} is not a directory", ExitCode.NO_DATA_DIR)
    try:
        check_run(settings, spider_args)  # a refused run leaves no trace: nothing created yet
    except NewsbotError as exc:
        _say(f"run refused, nothing started (exit code {int(ExitCode.NOT_STARTED)}): {exc}")
        return ExitCode.NOT_STARTED
    # The crawl takes the data directory's run lock itself (newsbot.storage.archive), so that
    # this run and a `scrapy crawl dw` on the same directory exclude each other.
    verdict: Verdict = run_crawl(settings, spider_args)
    if verdict.code != ExitCode.OK:
        _say(f"run failed with exit code {int(verdict.code)} ({verdict.status}): {verdict.message}")
    return verdict.code


def _merge(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.operations.merge import ExportError, merge

    settings = project_settings(args.data_dir)
    mode = file_mode(settings.get("NEWSBOT_FILE_MODE"))
    directory = archive_dir(existing_data_dir(settings))
    check_output(args.out, "merge")
    try:
        rows = merge(directory, args.start, args.end, args.out, mode)
    except ExportError as exc:
        parser.error(str(exc))
    except OSError as exc:
        raise PathError(
            f"cannot write the merge to {args.out}: {exc.strerror or exc}", ExitCode.CANNOT_WRITE
        ) from exc
    _say(f"merged {rows} article(s) scraped {args.start} to {args.end} into {args.out}")
    return ExitCode.OK


def _compact(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.operations.page_retention import compact_pages
    from newsbot.operations.retention import compact

    settings = project_settings(args.data_dir)
    existing_data_dir(settings)  # compacting a mistyped path must not create it
    data_dir, mode, lock = _locked_data_dir(settings)  # never while a crawl writes
    try:
        months = compact(data_dir, args.before, mode)
        page_months = compact_pages(data_dir, args.before, mode)
    finally:
        lock.release()
    for pages in page_months:
        _say(f"compacted {len(pages.replaced)} page file(s) into {pages.path}"
             f" ({pages.records} records)")
    for month in months:
        _say(f"compacted {len(month.replaced)} daily file(s) into {month.path}"
             f" ({month.lines} lines)")
    if not months and not page_months:
        _say(f"nothing to compact before {args.before} in {archive_dir(data_dir)}")
    return ExitCode.OK


def _status_of(args: argparse.Namespace, keep_latest: int = 0) -> Status | str:
    """The data directory's status for `status` and `report`, or the one-line error to print."""
    from newsbot.operations.status import collect_status

    if args.days < 1:
        return f"--days {args.days}: give a number of days of at least 1"
    max_age = getattr(args, "max_age", None)
    if max_age is not None and not (math.isfinite(max_age) and max_age > 0):
        return f"--max-age {max_age:g}: give a positive number of hours"
    settings = project_settings(args.data_dir)
    data_dir = existing_data_dir(settings)
    try:
        return collect_status(
            data_dir,
            days=args.days,
            news_window=timedelta(hours=settings.getfloat("NEWSBOT_NEWS_WINDOW_HOURS", 48)),
            max_age=timedelta(hours=max_age) if max_age is not None else None,
            known_editions=settings.getlist("NEWSBOT_KNOWN_LANGUAGES"),
            keep_latest=keep_latest,
            file_mode=file_mode(settings.get("NEWSBOT_FILE_MODE")),
        )
    except OSError as exc:
        return f"cannot read the data directory: {exc}"


def _status(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.operations.status import status_json, status_text

    status = _status_of(args)
    if isinstance(status, str):
        _say(status)
        return ExitCode.USAGE
    if args.json:
        print(json.dumps(status_json(status), indent=2, ensure_ascii=False))
    else:
        print(status_text(status), end="")
    return int(status.code)


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.operations.coverage_report import (
        LATEST_ARTICLES,
        ReportError,
        ReportWriteError,
        write_report,
    )

    check_output(args.out, "report")
    status = _status_of(args, keep_latest=LATEST_ARTICLES)
    if isinstance(status, str):
        _say(status)
        return ExitCode.USAGE
    settings = project_settings(args.data_dir)
    try:
        write_report(status, args.out, file_mode(settings.get("NEWSBOT_FILE_MODE")))
    except ReportWriteError as exc:
        _say(str(exc))
        return ExitCode.CANNOT_WRITE
    except ReportError as exc:
        _say(str(exc))
        return ExitCode.USAGE
    _say(f"wrote the coverage report of {status.data_dir} to {args.out}")
    return ExitCode.OK


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from newsbot.crawling.arguments import SpiderArgumentError
    from newsbot.operations.check import check_json, check_table, run_check

    settings = project_settings()
    settings.setdict(_pairs(args.settings, "-s", parser), priority="cmdline")
    spider_args = _pairs(args.spider_args, "-a", parser)
    if set(spider_args) - {"lang"}:
        parser.error(f"-a {', '.join(sorted(set(spider_args) - {'lang'}))}: check takes -a lang=")
    try:
        results = run_check(settings, spider_args.get("lang"))
    except SpiderArgumentError as exc:
        _say(str(exc))
        return ExitCode.USAGE
    print(check_json(results) if args.json else check_table(results), end="\n" if args.json else "")
    return ExitCode.OK if all(r.ok for r in results.values()) else ExitCode.CHECK_FAILED


def _say(message: str) -> None:
    """A timestamped line on stderr: under cron it lands in the same log as the crawl."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    print(f"{stamp} [newsbot] {message}", file=sys.stderr, flush=True)
