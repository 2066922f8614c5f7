"""Extraction across DW's editions, both designs: names only, editors, agencies, a clean body.

The pages come from tests/editions.py (modelled on the real markup in ../shared/dw-pages/):
thirteen editions beyond en/de, in Arabic, Persian, Han (simplified and traditional), Cyrillic,
Devanagari, Ethiopic and Latin script, right-to-left and left-to-right.
"""

from __future__ import annotations

import unicodedata

import pytest
from scrapy.http import HtmlResponse

from newsbot.crawling.discovery.channels import Channels
from newsbot.editions import BY_CODE, CODES
from newsbot.editions import EDITIONS as REGISTRY
from newsbot.extraction.pages import parse_article_page
from newsbot.items import ARTICLE_FIELDS
from newsbot.settings import NEWSBOT_KNOWN_LANGUAGES
from tests.editions import EDITIONS, EditionArticle, render

DESIGNS = ("current", "legacy")
CASES = [(article, design) for article in EDITIONS for design in DESIGNS]


def _extract(article: EditionArticle, design: str) -> dict:
    response = HtmlResponse(
        url=article.canonical, body=render(article, design).encode("utf-8"), encoding="utf-8"
    )
    return dict(parse_article_page(response))


def test_fixtures_cover_ten_editions_beyond_en_de_in_several_scripts_and_directions() -> None:
    languages = {article.lang for article in EDITIONS}
    assert len(languages - {"en", "de"}) >= 10
    assert {"ar", "fa-ir"} <= languages  # right to left
    scripts = {
        unicodedata.name(next(ch for ch in article.title if ch.isalpha())).split()[0]
        for article in EDITIONS
    }
    assert {"ARABIC", "CJK", "CYRILLIC", "DEVANAGARI", "ETHIOPIC", "LATIN"} <= scripts
    with_editors = [article.lang for article in EDITIONS if article.editors]
    assert len(with_editors) >= 10


DW_EDITIONS_2026 = {
    "sq", "am", "ar", "bn", "bs", "bg", "zh", "zh-hant", "hr", "fa-af", "en", "fr", "de", "el",
    "ha", "hi", "id", "sw", "mk", "ps", "fa-ir", "pl", "pt-002", "pt-br", "ro", "ru", "sr", "es",
    "tr", "uk", "ur",
}


def test_the_registry_holds_dws_31_editions_each_once_with_its_feed_and_its_source() -> None:
    assert len(CODES) == len(set(CODES)) == 31 and set(CODES) == DW_EDITIONS_2026
    assert sorted(NEWSBOT_KNOWN_LANGUAGES) == sorted(CODES)
    for edition in REGISTRY:
        assert edition.feed and edition.feed_source, edition.code
    channels = Channels.from_settings("https://www.dw.com", "https://rss.dw.com", {})
    assert channels.feed("es") == "https://rss.dw.com/xml/rss-spa-all"
    assert BY_CODE["es"].feed == "spa" and "certain" in BY_CODE["es"].feed_source


@pytest.mark.parametrize(("article", "design"), CASES, ids=lambda v: getattr(v, "lang", v))
def test_edition_page_yields_names_editors_agencies_and_clean_body(
    article: EditionArticle, design: str
) -> None:
    item = _extract(article, design)
    assert set(item) == set(ARTICLE_FIELDS)
    assert item["url"] == article.canonical
    assert item["language"] == article.lang
    assert item["title"] == article.title
    assert item["summary"] == article.teaser
    authors = article.authors if design == "current" else article.legacy_authors
    assert item["authors"] == list(authors)
    assert item["editors"] == list(article.editors)
    assert item["agencies"] == list(article.agencies)
    assert item["body"].split("\n\n") == [
        article.paragraphs[0], article.subheading, article.paragraphs[1]
    ]
    for noise in article.noise:
        assert noise not in item["body"], noise
    if design == "current":
        assert item["published"] == "2026-06-14T19:00:01.536Z"
        assert item["modified"] == "2026-06-15T08:30:00Z"
    else:
        assert item["published"] == "2023-04-28"


def test_byline_location_and_footer_role_never_become_authors() -> None:
    """The 2026 byline: `<a>Name</a><span class="extra-info"> City</span>`."""
    article = next(a for a in EDITIONS if a.lang == "ru")
    html = render(article, "current")
    assert f'extra-info l1l9ne58"> {article.byline_extra}' in html  # the fixture has it
    item = _extract(article, "current")
    assert item["authors"] == ["Ирина Петрова", "Олег Кузнецов"]
    assert not any(article.byline_extra in name for name in item["authors"])


def test_legacy_byline_joined_by_the_editions_and_with_a_place_in_parentheses() -> None:
    for lang, names in (("uk", ["Олена Коваль", "Тарас Мельник"]),
                        ("es", ["Lucía Fernández", "Carlos Méndez"]),
                        ("fr", ["Marie Dupont", "Paul Martin"])):
        article = next(a for a in EDITIONS if a.lang == lang)
        assert _extract(article, "legacy")["authors"] == names


def test_author_credited_by_the_last_line_of_a_legacy_text() -> None:
    article = next(a for a in EDITIONS if a.author_line)
    assert "作者" not in render(article, "legacy").split("smallList")[1]  # no info-list byline
    item = _extract(article, "legacy")
    assert item["authors"] == list(article.authors)
    assert article.author_line not in item["body"]


def test_byline_from_the_page_state_when_the_html_has_none() -> None:
    article = next(a for a in EDITIONS if a.lang == "es")
    html = render(article, "current")
    start = html.index('<div class="author-details">')
    html = html[:start] + html[html.index("</div>", start) + 6:]
    html = html.replace('class="author-link"', 'class="name"')  # the footer's link too
    html = html.replace("/x/person-4000", "/x/p")
    response = HtmlResponse(url=article.canonical, body=html.encode(), encoding="utf-8")
    assert parse_article_page(response)["authors"] == list(article.authors)

