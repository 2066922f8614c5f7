"""`scrapy crawl dw` end to end over thirteen editions, both designs, and a media-led article.

A real crawl of a loopback site serving tests/editions.py's pages from one listing page: what is
stored must name people only in `authors`, the credited editors in `editors`, and keep every
credit, agency, promo and caption line out of `body`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tests.conftest import CrawlRunner, archive_lines
from tests.editions import EDITIONS, EditionArticle, current_page, legacy_page
from tests.fakedw.server import FakeDwSite, Reply

LISTING = "/en/editions/t-77"
LEGACY_ID_OFFSET = 1_000_000  # each edition's legacy page is an article of its own
MEDIA_LED = "/en/drone-footage-of-the-flood/a-70300001"
MEDIA_LED_PAGE = """<!DOCTYPE html><html lang="en"><head>
<link rel="canonical" href="https://www.dw.com/en/drone-footage-of-the-flood/a-70300001"></head>
<body><article><header><h1>Drone footage shows the flooded valley</h1>
<div class="author-details"><span><a class="author-link" href="/en/x/person-2">Anna Schmidt</a>
<span class="extra-info"> Passau</span></span></div>
<p class="teaser-text">The Danube burst its banks overnight.</p></header>
<div class="vjs-player"><video src="x.mp4"></video></div>
<div class="rich-text"><p><em>Edited by: Tom Baker</em></p></div></article></body></html>"""


def _serve(site: FakeDwSite) -> dict[int, tuple[EditionArticle, str]]:
    """Every edition page in both designs plus the media-led one, linked from one listing."""
    served: dict[int, tuple[EditionArticle, str]] = {}
    for article in EDITIONS:
        legacy = replace(article, content_id=article.content_id + LEGACY_ID_OFFSET)
        for page, html in ((article, current_page(article)), (legacy, legacy_page(legacy))):
            site.add_route(page.path, Reply(body=html.encode("utf-8")))
            served[page.content_id] = (page, "current" if page is article else "legacy")
    site.add_route(MEDIA_LED, Reply(body=MEDIA_LED_PAGE.encode("utf-8")))
    site.add_listing(LISTING, [page.path for page, _ in served.values()] + [MEDIA_LED])
    return served


def test_crawl_of_the_editions_stores_names_editors_and_clean_bodies(
    site: FakeDwSite, crawl: CrawlRunner, tmp_path: Path
) -> None:
    served = _serve(site)
    languages = ",".join(sorted({"en", *(article.lang for article in EDITIONS)}))
    data_dir = tmp_path / "data"
    result = crawl("-a", f"start_urls={site.url(LISTING)}", "-a", f"lang={languages}",
                   settings={"NEWSBOT_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr[-3000:]

    stored = {record["content_id"]: record for record in archive_lines(data_dir)}
    assert set(stored) == {*served, 70300001}
    for content_id, (article, design) in served.items():
        record = stored[content_id]
        authors = article.authors if design == "current" else article.legacy_authors
        assert record["authors"] == list(authors), (article.lang, design)
        assert record["editors"] == list(article.editors), (article.lang, design)
        assert record["agencies"] == list(article.agencies), (article.lang, design)
        assert record["body"].split("\n\n") == [
            article.paragraphs[0], article.subheading, article.paragraphs[1]
        ], (article.lang, design)
        for noise in article.noise:
            assert noise not in record["body"], (article.lang, design, noise)

    media = stored[70300001]
    assert (media["body"], media["authors"], media["editors"]) == (
        "", ["Anna Schmidt"], ["Tom Baker"]
    )
    assert media["summary"] == "The Danube burst its banks overnight."
    assert "'newsbot/articles/media_only': 1" in result.stderr
    (report_path,) = (data_dir / "runs").glob("*.json")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["articles"]["media_only"] == 1
    assert report["articles"]["stored"] == len(served) + 1
