"""robots.txt beyond the first request: what Chromium fetches while rendering, Crawl-delay, and
a robots.txt that fails (RFC 9309: assume complete disallow)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

from tests.conftest import archive_lines, run_newsbot, run_scrapy_crawl
from tests.fakedw.server import FakeDwSite, Reply
from tests.test_rendering import BROWSER_SETTINGS, add_articles, needs_chromium

ROBOTS = "User-agent: *\nDisallow: /graph-api/\n"


def script_page(allowed: str, disallowed: str, hrefs: list[str]) -> bytes:
    """A topic page whose script fetches one allowed and one robots-disallowed URL."""
    teasers = "".join(f'<a href="{href}">Teaser</a>' for href in hrefs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>
</head><body><main>{teasers}<div id="more"></div></main><script>
fetch("{allowed}").then(r => r.text()).then(t => {{ document.getElementById("more").textContent = t; }});
fetch("{disallowed}").catch(() => {{}});
</script></body></html>""".encode()


@needs_chromium
def test_a_rendered_pages_disallowed_fetch_never_reaches_the_server(tmp_path: Path) -> None:
    with FakeDwSite(robots_txt=ROBOTS) as site:
        paths = add_articles(site, 71100001, 2)
        site.add_route("/en/scripted/t-5", Reply(body=script_page(
            "/en/scripted/teasers.json", "/graph-api/teasers?page=1", paths)))
        site.add_route("/en/scripted/teasers.json", Reply(body=b"[]", headers={
            "Content-Type": "application/json"}))
        site.add_route("/graph-api/teasers", Reply(body=b"[]"))

        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url('/en/scripted/t-5')}", "-a", "render=1",
            settings={"NEWSBOT_DATA_DIR": str(tmp_path), **BROWSER_SETTINGS},
        )

        assert result.returncode == 0, result.stderr[-3000:]
        requested = site.requested_paths()
        assert "/en/scripted/teasers.json" in requested  # the page's script did run
        assert not [p for p in requested if p.startswith("/graph-api/")], requested
        assert "'newsbot/render/robots_blocked': 1" in result.stderr
        assert "aborted: robots.txt disallows it" in result.stderr
        assert len(archive_lines(tmp_path)) == 2


def test_crawl_delay_spaces_the_requests_to_its_host(tmp_path: Path) -> None:
    with FakeDwSite(robots_txt="User-agent: *\nCrawl-delay: 1\nDisallow:\n") as site:
        paths = add_articles(site, 71200001, 3)
        site.add_listing("/en/slow/t-6", paths)

        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url('/en/slow/t-6')}",
            settings={"NEWSBOT_DATA_DIR": str(tmp_path)},
        )

        assert result.returncode == 0, result.stderr[-3000:]
        assert "asks for a Crawl-delay of 1" in result.stderr
        times = site.request_times[1:]  # after robots.txt: the listing, then the articles
        assert len(times) == 4
        gaps = [later - earlier for earlier, later in pairwise(times)]
        assert min(gaps) >= 0.9, gaps


def test_robots_txt_answering_5xx_stops_the_run_on_that_host_until_the_next_run(
    tmp_path: Path,
) -> None:
    with FakeDwSite() as site:
        paths = add_articles(site, 71300001, 2)
        site.add_listing("/en/topic/t-7", paths)
        good_robots = site.routes["/robots.txt"]
        site.add_route("/robots.txt", Reply(status=503, body=b"<html>busy</html>"))
        args = ["run", "--data-dir", str(tmp_path), "-a", f"start_urls={site.url('/en/topic/t-7')}"]

        failed = run_newsbot(*args)

        assert failed.returncode == 9, failed.stderr[-3000:]
        host = site.base_url.removeprefix("http://")
        [line] = [line for line in failed.stderr.splitlines() if "ERROR: robots.txt of" in line]
        assert f"robots.txt of {site.base_url} answered HTTP 503: as RFC 9309 asks, nothing is " \
               f"requested from {host} in this run (the next run asks again)" in line
        assert not [line for line in failed.stderr.splitlines() if "ERROR: Listing page" in line]
        last = failed.stderr.splitlines()[-1]
        assert "exit code 9 (robots_unavailable): robots.txt unavailable" in last, last
        assert set(site.requested_paths()) == {"/robots.txt"}  # nothing else on that host
        [report] = [json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*.json")]
        assert report["status"] == "robots_unavailable" and report["exit_code"] == 9

        site.add_route("/robots.txt", good_robots)  # the next run asks again
        again = run_newsbot(*args)
        assert again.returncode == 0, again.stderr[-3000:]
        assert len(archive_lines(tmp_path)) == 2


def test_robots_txt_that_cannot_be_fetched_makes_its_host_unreachable(tmp_path: Path) -> None:
    with FakeDwSite() as site:
        paths = add_articles(site, 71400001, 1)
        site.add_listing("/en/topic/t-8", paths)
        site.add_route("/robots.txt", Reply(body=b"User-agent: *\nDisallow:\n", delay=3))

        result = run_newsbot(
            "run", "--data-dir", str(tmp_path), "-a", f"start_urls={site.url('/en/topic/t-8')}",
            settings={"DOWNLOAD_TIMEOUT": "1"},
        )

        assert result.returncode == 4, result.stderr[-3000:]
        assert f"robots.txt of {site.base_url} could not be fetched (" in result.stderr
        assert "the site could not be reached" in result.stderr.splitlines()[-1]
        assert set(site.requested_paths()) == {"/robots.txt"}


def test_robots_txt_answering_5xx_stops_a_news_run_with_its_own_exit(tmp_path: Path) -> None:
    """A default run reads robots.txt itself for its `Sitemap:` lines: a 503 there is the same
    RFC 9309 stop (exit 9), never a refusal of our User-Agent (exit 8)."""
    with FakeDwSite() as site:
        site.add_route("/robots.txt", Reply(status=503, body=b"<html>busy</html>"))
        settings = {"NEWSBOT_SITE_URL": site.base_url, "NEWSBOT_FEEDS_URL": site.base_url,
                    "NEWSBOT_DATA_DIR": str(tmp_path)}

        failed = run_newsbot("run", "-a", "lang=en", "-a", "channels=news", settings=settings)

        assert failed.returncode == 9, failed.stderr[-3000:]
        assert "refuses User-Agent" not in failed.stderr
        assert set(site.requested_paths()) == {"/robots.txt"}  # nothing else on that host
