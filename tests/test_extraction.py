"""Extraction of the project's own fixture pages (tests/fixtures/pages), every field asserted.

Each `X.html` is modelled on real DW markup of one design and carries the noise extraction must
remove; `X.json` beside it holds the request URL and headers, and either the expected item or the
exception the page must raise.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from scrapy.http import HtmlResponse

from newsbot.extraction.pages import UnknownPageDesign, detect_page, parse_article_page
from newsbot.items import ARTICLE_FIELDS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
SCRAPED_AT = datetime(2024, 2, 6, 12, 0, tzinfo=UTC)
PAGES = sorted(FIXTURES.glob("*.html"))
ARTICLE_PAGES = [p for p in PAGES if "raises" not in json.loads(p.with_suffix(".json").read_text())]


def _response(url: str, body: bytes, headers: dict[str, str] | None = None) -> HtmlResponse:
    return HtmlResponse(url=url, body=body, encoding="utf-8", headers=headers or {})


def _load(page: Path) -> tuple[HtmlResponse, dict[str, Any]]:
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return _response(expected["request_url"], page.read_bytes(), expected["headers"]), expected


def test_fixtures_cover_both_designs_and_the_required_languages() -> None:
    stems = {page.stem for page in PAGES}
    assert {"current_en_full", "current_de_broken_json", "current_ar_no_jsonld"} <= stems
    assert {"legacy_fr_full", "legacy_fa_rtl", "unknown_design"} <= stems


@pytest.mark.parametrize("page", ARTICLE_PAGES, ids=lambda p: p.stem)
def test_fixture_page_fields(page: Path, caplog: pytest.LogCaptureFixture) -> None:
    response, expected = _load(page)
    with caplog.at_level(logging.WARNING, logger="newsbot"):
        item = parse_article_page(response, scraped_at=SCRAPED_AT)

    want = expected["item"]
    assert set(want) == set(ARTICLE_FIELDS), "the fixture must state every field"
    assert set(item.keys()) == set(ARTICLE_FIELDS), "the item must carry every field"
    for name in ARTICLE_FIELDS:
        got = item[name].split("\n\n") if name == "body" else item[name]
        assert got == want[name], name
    for noise in expected["body_must_not_contain"]:
        assert noise not in item["body"], noise

    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == len(expected["warnings"])
    for fragment in expected["warnings"]:
        assert any(fragment in message for message in warnings), fragment


def test_unknown_design_raises_with_a_reason() -> None:
    response, expected = _load(FIXTURES / "unknown_design.html")
    assert expected["raises"] == "UnknownPageDesign"
    with pytest.raises(UnknownPageDesign) as raised:
        parse_article_page(response, scraped_at=SCRAPED_AT)
    assert "rich-text" in raised.value.reason and "longText" in raised.value.reason


def test_body_container_without_text_is_refused_not_half_extracted() -> None:
    html = b"""<html><head><title>x</title></head><body><article><header><h1>Headline</h1>
    </header><div class="rich-text"><figure><figcaption class="img-caption">Only a caption
    <small>Image: someone</small></figcaption></figure><span class="rich-text-ad"></span></div>
    </article></body></html>"""
    response = _response("https://www.dw.com/en/headline/a-1234", html)
    with pytest.raises(UnknownPageDesign, match="without article text"):
        parse_article_page(response, scraped_at=SCRAPED_AT)


def test_page_without_headline_is_refused() -> None:
    html = b"""<html><body><div class="col3"><div class="longText"><p>Text.</p></div></div>
    </body></html>"""
    response = _response("https://www.dw.com/en/x/a-1234", html)
    with pytest.raises(UnknownPageDesign, match="without a headline"):
        parse_article_page(response, scraped_at=SCRAPED_AT)


def test_url_falls_back_to_response_url_without_query_and_fragment() -> None:
    html = b"""<html><head></head><body><div class="col3"><h1>Title | DW | 28.09.2016</h1>
    <div class="longText"><p>Text.</p></div></div></body></html>"""
    response = _response("https://www.dw.com/pt-br/titulo/a-35914342?maca=pt-br-rss#top", html)
    item = parse_article_page(response, scraped_at=SCRAPED_AT)
    assert item["url"] == "https://www.dw.com/pt-br/titulo/a-35914342"
    assert item["language"] == "pt-br"
    assert item["content_id"] == 35914342
    assert item["title"] == "Title"
    assert (item["authors"], item["topics"], item["agencies"]) == ([], [], [])
    assert (item["published"], item["modified"], item["image"], item["summary"]) == (None,) * 4


def test_scraped_at_defaults_to_now_in_utc() -> None:
    response, _ = _load(FIXTURES / "legacy_fr_full.html")
    before = datetime.now(UTC)
    item = parse_article_page(response)
    scraped = datetime.fromisoformat(item["scraped_at"])
    assert item["scraped_at"].endswith("Z")
    assert before.replace(microsecond=0) <= scraped <= datetime.now(UTC)


@pytest.mark.parametrize("base_tag", ["", '<base href="http://static.dw.com/sub/">'])
@pytest.mark.parametrize(
    "link",
    [
        "https://www.dw.com/en/title/a-68117411",
        "https://www.dw.com",
        "http://www.dw.com/en/title/a-68117411",
        "https://www.dw.com/en/title/a-68117411?",
        "https://www.dw.com/en/title/a-68117411#",
        "https://www.dw.com/en/title;p/a-68117411",
        "https://www.dw.com/en/a b/a-68117411",
        "https://www.dw.com/en/ä/a-68117411",
        "https://www.dw.com/en/../x/a-68117411",
        "/en/title/a-68117411",
        "image.jpg",
    ],
)
def test_links_are_joined_as_urllib_joins_them_to_the_page_base(base_tag: str, link: str) -> None:
    """The shortcut for plain absolute URLs gives what `urljoin` with the page's base gives."""
    html = f"""<html><head>{base_tag}</head><body><div class="col3"><h1>T</h1>
    <div class="longText"><p>Text.</p></div></div></body></html>""".encode()
    page_url = "https://www.dw.com/en/title/a-68117411"
    page = detect_page(_response(page_url, html))
    base = "http://static.dw.com/sub/" if base_tag else page_url
    assert page.urljoin(link) == urljoin(base, link)


def test_current_design_wins_when_a_page_carries_both_bodies() -> None:
    """The divs are walked once for both designs' body classes; a legacy body earlier in the
    page does not end the walk before the current design's body is found."""
    html = b"""<html><body><div class="col3"><h1>Old</h1><div class="longText"><p>Old text.</p>
    </div></div><article><header><h1>New headline</h1></header>
    <div class="x rich-text"><p>New text.</p></div></article></body></html>"""
    page = detect_page(_response("https://www.dw.com/en/new/a-1234", html))
    assert page.design == "current"
    assert page.body().paragraphs == ["New text."]


UNTITLED = b"""<html><head><link rel="canonical" href="https://www.dw.com/en/untitled/a-70900001">
</head><body><article><div class="rich-text"><p>The text of a page without a headline.</p>
</div></article></body></html>"""


def test_a_page_without_a_headline_takes_the_entrys_title_and_date() -> None:
    """The sitemap or feed entry fills what the page lacks before the page is judged."""
    response = _response("https://www.dw.com/en/untitled/a-70900001", UNTITLED)
    with pytest.raises(UnknownPageDesign, match="without a headline"):
        parse_article_page(response)
    fallback = {"title": "  Entry  title ", "published": datetime(2026, 7, 2, 8, 30, tzinfo=UTC),
                "topics": ["Energy"]}
    item = parse_article_page(response, fallback=fallback)
    assert (item["title"], item["published"], item["topics"]) == (
        "Entry title", "2026-07-02T08:30:00Z", ["Energy"])
    assert item["body"] == "The text of a page without a headline."


def test_the_page_wins_over_the_entry_wherever_it_has_the_field() -> None:
    response, expected = _load(FIXTURES / "legacy_fr_full.html")
    fallback = {"title": "Entry title", "published": datetime(2020, 1, 1, tzinfo=UTC),
                "topics": ["Entry topic"]}
    item = parse_article_page(response, scraped_at=SCRAPED_AT, fallback=fallback)
    for name in ("title", "published", "topics"):
        assert item[name] == expected["item"][name]
