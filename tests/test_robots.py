"""robots.txt beyond the first request: what Chromium fetches while rendering, and Crawl-delay."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from tests.conftest import archive_lines, run_scrapy_crawl
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
