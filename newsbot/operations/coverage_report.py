"""`newsbot report`: the archive at a glance, as one self-contained HTML file.

Charts are drawn by matplotlib (the `analysis` extra) as SVG and written inline, with their
text as paths: the file needs no script, font, stylesheet or network to open, can be mailed or
archived, and shows the same in any browser. Every text taken from the archive (titles, URLs,
editions) is HTML-escaped, and only http(s) URLs become links.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date
from pathlib import Path
from typing import Any

from newsbot.operations.status import Status, article_failures, status_text
from newsbot.storage import DEFAULT_FILE_MODE
from newsbot.storage.atomic import atomic_file

# Rows of the "latest articles" table.
LATEST_ARTICLES = 50
_SVG_START = re.compile(r"^.*?(?=<svg)", re.DOTALL)


class ReportError(RuntimeError):
    """The report cannot be written (matplotlib missing, --out not writable); says what to do."""


class ReportWriteError(ReportError):
    """--out cannot be written (its folder vanished, no permission)."""


def write_report(status: Status, out: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
    """Render the report of `status` (collected with keep_latest) and write it to `out`."""
    page = render_report(status).encode("utf-8")
    try:
        with atomic_file(out, file_mode) as handle:
            handle.write(page)
    except OSError as exc:
        raise ReportWriteError(f"cannot write the report to {out}: {exc.strerror or exc}") from exc


def render_report(status: Status) -> str:
    """The whole HTML page."""
    pyplot = _pyplot()
    first, last = status.days[0], status.days[-1]
    sections = [
        _section(
            "Articles per day of publication and edition",
            _svg(pyplot, _articles_chart(pyplot, status)),
        ),
        _section("Runs per day and outcome", _svg(pyplot, _runs_chart(pyplot, status))),
        _section("Failures and rejections by reason", _reasons(pyplot, status)),
        _section("Gaps", _gaps_table(status)),
        _section(f"Latest {LATEST_ARTICLES} articles", _latest_table(status)),
        _section("Status", f"<pre>{_e(status_text(status))}</pre>"),
    ]
    title = f"newsbot coverage {first} to {last}"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1><p>Data directory <code>{_e(str(status.data_dir))}</code>, "
        f"written {status.now:%Y-%m-%d %H:%M} UTC. {_e(_verdict(status))}</p>"
        + "".join(sections)
        + "</body></html>\n"
    )


_CSS = (
    "body{font-family:sans-serif;margin:2em;max-width:72em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
    "text-align:left}svg{max-width:100%;height:auto}pre{white-space:pre-wrap}"
)


def _verdict(status: Status) -> str:
    if status.healthy:
        return "Healthy."
    return f"Unhealthy (newsbot status exits {int(status.code)}): " + "; ".join(status.problems)


def _section(heading: str, body: str) -> str:
    return f"<section><h2>{_e(heading)}</h2>{body}</section>"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- charts ---------------------------------------------------------------------------------


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ReportError(
            "newsbot report draws its charts with matplotlib, which is not installed: "
            "pip install -e '.[analysis]'"
        ) from None
    matplotlib.use("Agg")  # no display needed
    matplotlib.rcParams["svg.fonttype"] = "path"  # text as shapes: no font to load
    matplotlib.rcParams["svg.hashsalt"] = "newsbot"  # the same data gives the same file
    import matplotlib.pyplot as pyplot

    return pyplot


def _svg(pyplot: Any, figure: Any) -> str:
    """The figure as an inline <svg> element (without the XML prolog and doctype)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    pyplot.close(figure)
    return _SVG_START.sub("", buffer.getvalue(), count=1)


def _day_axis(axes: Any, days: list[date]) -> None:
    axes.set_xticks(range(len(days)))
    step = max(1, len(days) // 15)  # at most about 15 labels, always the last day's
    axes.set_xticklabels(
        [day.strftime("%m-%d") if (len(days) - 1 - i) % step == 0 else ""
         for i, day in enumerate(days)],
        rotation=60,
    )


def _articles_chart(pyplot: Any, status: Status) -> Any:
    days = status.days
    figure, axes = pyplot.subplots(figsize=(10, 3.6))
    bottom = [0] * len(days)
    for edition, counts in status.archive.editions.items():
        heights = [counts.published_days.get(day, 0) for day in days]
        axes.bar(range(len(days)), heights, bottom=bottom, label=edition)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    labelled: set[bool] = set()
    for gap in status.gaps:  # open gaps red, closed ones (backfilled) a light green
        start = (gap.start.astimezone(UTC).date() - days[0]).days
        end = (gap.end.astimezone(UTC).date() - days[0]).days
        label = None if gap.closed in labelled else ("closed gap" if gap.closed else "open gap")
        labelled.add(gap.closed)
        axes.axvspan(max(start, 0) - 0.5, min(end, len(days) - 1) + 0.5,
                     color="tab:green" if gap.closed else "red", alpha=0.12, label=label)
    _day_axis(axes, days)
    axes.set_ylabel("articles published")
    if not status.archive.editions:
        axes.text(0.5, 0.5, "no articles stored", transform=axes.transAxes, ha="center")
    else:
        axes.legend(ncols=min(8, len(status.archive.editions) + 1), fontsize="small")
    return figure


def _runs_chart(pyplot: Any, status: Status) -> Any:
    days = status.days
    index = {day: i for i, day in enumerate(days)}
    outcomes: dict[str, list[int]] = {}
    for run in status.history.runs:
        i = index.get(run.started_at.astimezone(UTC).date())
        if i is not None:
            outcomes.setdefault(run.status, [0] * len(days))[i] += 1
    figure, axes = pyplot.subplots(figsize=(10, 3))
    bottom = [0] * len(days)
    for outcome in sorted(outcomes, key=lambda name: (name != "ok", name)):
        color = "tab:green" if outcome == "ok" else None
        axes.bar(range(len(days)), outcomes[outcome], bottom=bottom, label=outcome, color=color)
        bottom = [b + h for b, h in zip(bottom, outcomes[outcome], strict=True)]
    _day_axis(axes, days)
    axes.set_ylabel("runs")
    if outcomes:
        axes.legend(fontsize="small")
    else:
        axes.text(0.5, 0.5, "no runs in these days", transform=axes.transAxes, ha="center")
    return figure


def failure_reasons(reports: Iterable[dict[str, Any]]) -> Counter[str]:
    """Article pages that failed, were rejected or dropped, and HTTP and network errors, by
    reason, summed over run reports."""
    reasons: Counter[str] = Counter()
    for report in reports:
        articles = report.get("articles") if isinstance(report.get("articles"), dict) else {}
        http = report.get("http") if isinstance(report.get("http"), dict) else {}
        if failed := articles.get("failed"):
            reasons["article fetch failed"] += failed
        for prefix, group in (
            ("rejected", articles.get("rejected")),
            ("dropped", articles.get("dropped")),
            ("HTTP", http.get("errors_by_status")),
            ("network", http.get("network_errors")),
        ):
            for reason, count in (group or {}).items():
                # An unchanged article refetched is dropped as a duplicate: not a failure.
                not_failure = (prefix, reason) == ("dropped", "duplicate")
                if isinstance(count, int) and count and not not_failure:
                    reasons[f"{prefix} {reason}"] += count
    return reasons


def _reasons(pyplot: Any, status: Status) -> str:
    reports = [run.report for run in status.history.runs if run.started_at >= status.window_start]
    reasons = failure_reasons(reports)
    failed_pages = sum(article_failures(r.get("articles") or {}) for r in reports)
    summary = (
        f"<p>{len(reports)} run(s) since {status.days[0]}: {failed_pages} article page(s) "
        "yielded nothing (fetch failed, rejected, or missing a field).</p>"
    )
    if not reasons:
        return summary + "<p>No failures or rejections.</p>"
    ordered = reasons.most_common()[::-1]
    figure, axes = pyplot.subplots(figsize=(8, 0.5 + 0.3 * len(ordered)))
    axes.barh([name for name, _ in ordered], [count for _, count in ordered], color="tab:red")
    axes.set_xlabel("count")
    return summary + _svg(pyplot, figure)


# --- tables ---------------------------------------------------------------------------------


def _gaps_table(status: Status) -> str:
    hours = f"{status.news_window.total_seconds() / 3600:g}"
    if not status.gaps:
        return f"<p>No stretch of more than {hours} h without a successful run.</p>"
    rows = "".join(
        f"<tr class=\"{'closed' if gap.closed else 'open'}\">"
        f"<td>{gap.start:%Y-%m-%d %H:%M}</td><td>{gap.end:%Y-%m-%d %H:%M}</td>"
        f"<td>{gap.hours:.1f}</td><td>{_e(', '.join(gap.editions))}</td>"
        + (
            f"<td>closed by backfill {_e(', '.join(gap.closed_by))}</td></tr>" if gap.closed
            else f"<td>open: <code>{_e(gap.backfill_command())}</code></td></tr>"
        )
        for gap in status.gaps
    )
    return (
        f"<p>Stretches without a successful run (UTC) of more than {hours} h, or after which the "
        "news sitemap no longer reached back: the news sitemaps no longer list what was "
        "published then. An open gap's command backfills it; a backfill that covers it closes "
        "it.</p>"
        "<table class=\"gaps\"><tr><th>from</th><th>to</th><th>hours</th><th>editions</th>"
        f"<th>state</th></tr>{rows}</table>"
    )


def latest_articles(status: Status) -> list[dict[str, Any]]:
    """The newest stored articles, newest first, one row per article (its latest version)."""
    rows: dict[str, dict[str, Any]] = {}
    for record in status.archive.latest:
        rows.pop(record["permalink"], None)
        rows[record["permalink"]] = record
    return list(reversed(rows.values()))[:LATEST_ARTICLES]


def _latest_table(status: Status) -> str:
    articles = latest_articles(status)
    if not articles:
        return "<p>The archive is empty.</p>"
    rows = "".join(
        f"<tr><td>{_link(record.get('title'), record.get('url'))}</td>"
        f"<td>{_e(record.get('language'))}</td><td>{_e(record.get('published') or '')}</td>"
        f"<td>{_e(record.get('scraped_at'))}</td></tr>"
        for record in articles
    )
    return (
        "<table class=\"latest\"><tr><th>title</th><th>edition</th><th>published</th>"
        f"<th>stored</th></tr>{rows}</table>"
    )


def _link(title: object, url: object) -> str:
    text = _e(title or url or "(no title)")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}">{text}</a>'
    return text

