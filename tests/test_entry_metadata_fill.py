"""A news sitemap's `news:title` saves an article whose page has no headline of its own: a real
`scrapy crawl dw` against the loopback stand-in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import archive_lines, run_scrapy_crawl
from tests.fakedw.channels import DW_ROBOTS_2026, Entry, news_sitemap, serve_xml
from tests.fakedw.server import FakeDwSite, Reply

PATH = "/en/untitled/a-70900001"


def test_news_title_fills_a_page_without_a_headline(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    with FakeDwSite(robots_txt=DW_ROBOTS_2026) as site:
        page = f"""<html><head><link rel="canonical" href="{site.url(PATH)}"></head>
        <body><article><div class="rich-text"><p>Only text, no headline.</p></div></article>
        </body></html>"""
        site.add_route(PATH, Reply(body=page.encode()))
        serve_xml(site, "/en/news-sitemap.xml", news_sitemap(
            [Entry(site.url(PATH), published=now, title="Headline from the sitemap")]))
        result = run_scrapy_crawl(
            "-a", "lang=en", "-a", "channels=news",
            settings={"NEWSBOT_SITE_URL": site.base_url, "NEWSBOT_DATA_DIR": str(tmp_path)},
        )
    assert result.returncode == 0, result.stderr[-3000:]
    (stored,) = archive_lines(tmp_path)
    assert stored["title"] == "Headline from the sitemap"
    assert stored["body"] == "Only text, no headline."
    assert "'newsbot/articles/filled_from_entry/title': 1" in result.stderr  # the stats dump
