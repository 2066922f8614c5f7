"""`newsbot check` end to end: a real process against the 2026 stand-in (tests/fakedw/dwsite),
feeds on their own host."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.conftest import FAST_SETTINGS, PROJECT_DIR
from tests.fakedw.dwsite import EDITION_CODES, StandIn, build_dw_site
from tests.fakedw.server import FEEDS_HOST, FakeDwSite, Reply

MAX_REQUESTS_PER_EDITION = 8


def check(stand_in: StandIn, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsbot", "check", *args]
    for name, value in {**FAST_SETTINGS, **stand_in.settings(data_dir)}.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=180,
                          check=False)


def requests_per_edition(site: FakeDwSite, stand_in: StandIn) -> Counter[str]:
    """Requests of each edition: its paths on www, its feed on the feed host."""
    counts: Counter[str] = Counter()
    feeds = {edition.feed: lang for lang, edition in stand_in.editions.items()}
    for path in site.requested_paths(FEEDS_HOST):
        if path in feeds:
            counts[feeds[path]] += 1
    for path in site.requested_paths("127.0.0.1"):
        lang = path.strip("/").split("/")[0]
        if lang in stand_in.editions:
            counts[lang] += 1
    return counts


def test_check_of_every_edition_exits_0_politely_and_writes_nothing(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site)
        data_dir = tmp_path / "data"

        result = check(stand_in, data_dir, "-a", f"lang={','.join(EDITION_CODES)}")

        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        rows = result.stdout.splitlines()
        assert len(rows) == 1 + 31 + 1  # header, one row per edition, the verdict
        assert rows[-1] == "check: ok, 31 edition(s) with a working channel and article"
        pl = next(row for row in rows if row.startswith("pl "))
        assert " 500 " in pl and pl.rstrip().endswith("ok")  # the feed stands in
        hr = next(row for row in rows if row.startswith("hr "))
        assert "/hr/sitemaps/news.xml" in hr
        counts = requests_per_edition(site, stand_in)
        assert set(counts) == set(EDITION_CODES)
        assert max(counts.values()) <= MAX_REQUESTS_PER_EDITION, counts
        assert not data_dir.exists()  # no archive, no run report


def test_check_exits_12_naming_the_edition_whose_channels_all_fail(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site, failing_news=("ro",))
        ro = stand_in.editions["ro"]
        site.add_route(ro.article_sitemap, Reply(status=404))
        site.add_feed_route(ro.feed, Reply(status=404))
        data_dir = tmp_path / "data"

        text = check(stand_in, data_dir, "-a", "lang=en,ro,de")
        as_json = check(stand_in, data_dir, "-a", "lang=en,ro,de", "--json")

        assert text.returncode == 12, text.stdout + text.stderr[-3000:]
        verdict = text.stdout.splitlines()[-1]
        assert verdict.startswith("check: FAILED for ro (ro: no working discovery channel")
        assert as_json.returncode == 12
        report = json.loads(as_json.stdout)
        assert report["ok"] is False
        assert {lang: e["ok"] for lang, e in report["editions"].items()} == {
            "en": True, "ro": False, "de": True}
        edition = report["editions"]["ro"]
        assert (edition["news_sitemap"]["status"], edition["feed"]["status"],
                edition["article_sitemap"]["status"]) == (500, 404, 404)
        en = report["editions"]["en"]
        assert en["robots"] == "allowed" and en["article"]["design"] == "current"
        assert en["news_sitemap"]["entries"] == 2 and en["feed"]["items"] == 2
        assert not data_dir.exists()


def test_check_refuses_other_spider_arguments(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site)
        result = check(stand_in, tmp_path / "data", "-a", "since=2026-01-01")
    assert result.returncode == 2 and "check takes -a lang=" in result.stderr
    assert site.requested_paths() == []


def test_check_reports_a_robots_refusal_and_exits_12(tmp_path: Path) -> None:
    """DW's robots.txt refuses the `Scrapy` agent: a check under that agent says so, per edition,
    and requests nothing on www but robots.txt."""
    with FakeDwSite() as site:
        stand_in = build_dw_site(site)
        result = check(stand_in, tmp_path / "data", "-a", "lang=en", "--json",
                       "-s", "USER_AGENT=Scrapy/2.19 (+https://scrapy.org)")
    assert result.returncode == 12, result.stdout + result.stderr[-3000:]
    edition = json.loads(result.stdout)["editions"]["en"]
    assert edition["robots"] == "refused"
    assert edition["news_sitemap"]["status"] == "refused by robots.txt"
    assert "robots.txt refuses the User-Agent" in edition["problems"]
    # nothing but robots.txt on www; the feed host's own robots.txt allows its feed
    assert set(site.requested_paths("127.0.0.1")) == {"/robots.txt"}
    assert edition["feed"]["status"] == 200


def crontab_canary(project: Path, settings: dict[str, str]) -> str:
    """The weekly `newsbot check` line of crontab.example, run from `project` with `settings`."""
    text = (PROJECT_DIR / "crontab.example").read_text(encoding="utf-8")
    (line,) = [line for line in text.splitlines() if line.startswith("30 6 * * 1 ")]
    command = line.removeprefix("30 6 * * 1 ").replace("cd /srv/newsbot", f"cd {project}")
    extra = " ".join(f"-s '{name}={value}'" for name, value in settings.items())
    return command.replace("-m newsbot check", f"-m newsbot check {extra}")


def test_the_crontab_canary_prints_only_when_an_edition_fails(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        stand_in = build_dw_site(site)
        settings = {**FAST_SETTINGS, **stand_in.settings(tmp_path / "data")}
        ok = subprocess.run(["sh", "-c", crontab_canary(PROJECT_DIR, settings)],
                            capture_output=True, text=True, timeout=180, check=False)
        site.add_route(stand_in.editions["en"].news_sitemap, Reply(status=404))
        site.add_route(stand_in.editions["en"].article_sitemap, Reply(status=404))
        site.add_feed_route(stand_in.editions["en"].feed, Reply(status=404))
        failing = subprocess.run(["sh", "-c", crontab_canary(PROJECT_DIR, settings)],
                                 capture_output=True, text=True, timeout=180, check=False)
    assert (ok.returncode, ok.stdout) == (0, ""), ok.stderr[-2000:]
    assert "check: FAILED for en" in failing.stdout  # what cron mails

