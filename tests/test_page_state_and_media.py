"""The 2026 page state as a source, date metas, and articles led by audio or video."""

from __future__ import annotations

import json

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsbot.extraction.pages import UnknownPageDesign, parse_article_page
from newsbot.items import ArticleItem
from newsbot.stats import ARTICLES_MEDIA_ONLY
from pipelines.validation import ValidationPipeline

URL = "https://www.dw.com/en/germany-start-2026-world-cup-with-win-over-curacao/a-77538843"


def _page(head: str, body: str) -> HtmlResponse:
    html = f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(url=URL + "?maca=en-rss", body=html.encode(), encoding="utf-8")


def _app_state(content: dict) -> str:
    state = {f"/graph-api/en/content/article/{content['id']}": {"data": {"content": content}},
             "/graph-api/en/navigation": {"data": {"navigation": {"items": []}}}}
    return f"<script>window.__APP_STATE__ = {json.dumps(state)};</script>"


STATE_CONTENT = {
    "id": 77538843,
    "title": "Germany start 2026 World Cup with win over Curacao",
    "teaser": "For the first time since 2014, Germany won their opening game.",
    "text": "<p>Now that the World Cup has started, the show is hard to escape.</p>"
            "<figure><figcaption>Fans in Houston<small>Image: Phil Noble/REUTERS</small>"
            "</figcaption></figure><h2>An equalizer for the ages</h2>"
            "<p>Neuer was set for a fairly pedestrian afternoon.</p>"
            "<p><em>Edited by: Wesley Dockery</em></p>",
    "contentDate": "2026-06-14T19:00:01.536Z",
    "localizedContentDate": "06/14/2026",
    "canonicalUrl": URL,
    "firstPersonArray": [{"fullName": "Jonathan Harding"}],
    "mainContentImageLink": {"target": {"staticUrl":
                                        "https://static.dw.com/image/77549352_${formatId}.jpg"}},
}


def test_app_state_is_a_source_for_every_field_it_carries() -> None:
    """A page whose server left everything to the script: no JSON-LD, no meta, no body HTML."""
    item = parse_article_page(_page("", "<div id='root'></div>" + _app_state(STATE_CONTENT)))
    assert item["url"] == URL
    assert item["title"] == STATE_CONTENT["title"]
    assert item["summary"] == STATE_CONTENT["teaser"]
    assert item["authors"] == ["Jonathan Harding"]
    assert item["editors"] == ["Wesley Dockery"]
    assert item["published"] == "2026-06-14T19:00:01.536Z"
    assert item["image"] == "https://static.dw.com/image/77549352_6.jpg"
    assert item["body"].split("\n\n") == [
        "Now that the World Cup has started, the show is hard to escape.",
        "An equalizer for the ages",
        "Neuer was set for a fairly pedestrian afternoon.",
    ]


def test_html_wins_over_the_app_state() -> None:
    header = ("<article><header><h1>HTML headline</h1><div class='author-details'><span>"
              "<a class='author-link' href='/en/jane-roe/person-1'>Jane Roe</a>"
              "<span class='extra-info'> Bonn</span></span></div>"
              "<p class='teaser-text'>HTML teaser.</p></header>"
              "<div class='rich-text'><p>HTML text.</p></div></article>")
    item = parse_article_page(_page("", header + _app_state(STATE_CONTENT)))
    assert (item["title"], item["summary"], item["authors"], item["body"]) == (
        "HTML headline", "HTML teaser.", ["Jane Roe"], "HTML text."
    )
    assert item["published"] == "2026-06-14T19:00:01.536Z"  # the state's exact time


def test_date_and_last_modified_metas_date_the_current_design() -> None:
    head = ('<meta name="date" content="2026-06-14T19:00:01.536Z">'
            '<meta name="last-modified" content="2026-06-15T07:00:00Z">')
    body = ("<article><header><h1>Headline</h1><time>06/14/2026</time></header>"
            "<div class='rich-text'><p>Text.</p></div></article>")
    item = parse_article_page(_page(head, body))
    assert item["published"] == "2026-06-14T19:00:01.536Z"
    assert item["modified"] == "2026-06-15T07:00:00Z"


def test_broken_app_state_is_skipped_without_raising() -> None:
    body = ("<article><header><h1>Headline</h1></header><div class='rich-text'><p>Text.</p>"
            "</div></article><script>window.__APP_STATE__ = {\"/graph-api/en/content/arti")
    item = parse_article_page(_page("", body))
    assert (item["title"], item["authors"], item["published"]) == ("Headline", [], None)


MEDIA_LED_CURRENT = (
    "<article><header><h1>Drone footage shows the flooded valley</h1>"
    "<div class='author-details'><span><a class='author-link' href='/en/x/person-2'>Anna Schmidt"
    "</a><span class='extra-info'> Passau</span></span></div>"
    "<p class='teaser-text'>The Danube burst its banks overnight.</p></header>"
    "<div class='vjs-player'><video src='x.mp4'></video><span>Watch video 01:32</span></div>"
    "<div class='rich-text'><p><em>Edited by: Tom Baker</em></p></div></article>"
)
MEDIA_LED_LEGACY = (
    "<div class='col3'><h1>Die Flut aus der Luft</h1><p class='intro'>Die Donau ist über die "
    "Ufer getreten.</p><div class='longText'><div class='mediaItem'><span>Video ansehen 01:32"
    "</span></div><p>Autorin: Anna Schmidt / Redaktion: Tom Baker</p></div></div>"
)


@pytest.mark.parametrize("body", [MEDIA_LED_CURRENT, MEDIA_LED_LEGACY], ids=["current", "legacy"])
def test_media_led_page_is_an_article_with_an_empty_body(body: str) -> None:
    item = parse_article_page(_page("", body))
    assert item["body"] == ""
    assert item["authors"] == ["Anna Schmidt"]
    assert item["editors"] == ["Tom Baker"]
    assert item["summary"] in {"The Danube burst its banks overnight.",
                               "Die Donau ist über die Ufer getreten."}


def test_page_with_neither_text_nor_credit_is_still_refused() -> None:
    body = MEDIA_LED_CURRENT.replace("<p><em>Edited by: Tom Baker</em></p>", "")
    with pytest.raises(UnknownPageDesign, match="without article text"):
        parse_article_page(_page("", body))


def _validation() -> tuple[ValidationPipeline, object]:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return ValidationPipeline.from_crawler(crawler), crawler.stats


def test_validation_keeps_a_media_led_item_and_counts_it() -> None:
    pipeline, stats = _validation()
    item = parse_article_page(_page("", MEDIA_LED_CURRENT))
    assert pipeline.process_item(item) is item
    assert stats.get_value(ARTICLES_MEDIA_ONLY) == 1
    text = ArticleItem(url=URL, content_id=1, title="T", body="Text.")
    pipeline.process_item(text)
    assert stats.get_value(ARTICLES_MEDIA_ONLY) == 1


def test_validation_still_drops_an_item_without_a_title() -> None:
    pipeline, stats = _validation()
    with pytest.raises(DropItem, match="has no title"):
        pipeline.process_item(ArticleItem(url=URL, content_id=1, title="", body="Text."))
    assert stats.get_value("newsbot/dropped/missing_title") == 1
    assert stats.get_value(ARTICLES_MEDIA_ONLY) is None


@pytest.mark.parametrize(
    "byline",
    [
        "<span><a class='author-link' href='/en/jane-roe/person-1'>Jane Roe</a>"
        "<span class='extra-info'> Bonn</span></span>",
        "<span>Jane Roe<span class='extra-info'> Bonn</span></span>",  # no link: text minus info
    ],
)
def test_byline_names_only_even_when_json_ld_credits_the_organisation(byline: str) -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", '
          '"author": {"@type": "Organization", "name": "DW"}}</script>')
    body = (f"<article><header><h1>H</h1><div class='author-details'>{byline}</div></header>"
            "<div class='rich-text'><p>Text.</p></div></article>")
    assert parse_article_page(_page(ld, body))["authors"] == ["Jane Roe"]


def test_person_links_outside_the_byline_are_not_authors() -> None:
    body = ("<article><header><h1>H</h1><div class='author-details'><span>"
            "<a href='/en/jane-roe/person-1'>Jane Roe</a></span></div>"
            "<p class='teaser-text'>What <a href='/en/olaf-scholz/person-2'>Olaf Scholz</a> "
            "said.</p></header><div class='rich-text'><p>Text.</p></div></article>")
    assert parse_article_page(_page("", body))["authors"] == ["Jane Roe"]


def test_footer_byline_names_the_author_without_the_role() -> None:
    """2026: `<div class="author-name"><a ...>Name</a><span> Sports reporter</span></div>`."""
    body = ("<article><header><h1>H</h1></header><div class='rich-text'><p>Text.</p></div>"
            "<footer><div class='author'><a href='/en/jonathan-harding/person-18385408' "
            "class='author-image'><img alt='Jonathan Harding'></a><div class='author-name'>"
            "<a href='/en/jonathan-harding/person-18385408' class='author-link'>Jonathan Harding"
            "</a><span> Sports reporter and editor</span></div></div></footer></article>")
    assert parse_article_page(_page("", body))["authors"] == ["Jonathan Harding"]


def test_credit_line_names_the_author_when_the_byline_names_only_dw() -> None:
    body = ("<div class='col3'><h1>Titel</h1><div class='longText'><p>Text.</p>"
            "<p>Autorin: Anna Schmidt</p></div><ul class='smallList'><li><strong>Autor</strong> "
            "DW</li></ul></div>")
    item = parse_article_page(_page("", body))
    assert (item["authors"], item["body"]) == (["Anna Schmidt"], "Text.")


# A French legacy audio page: the player, then only the editor's credit, written without the
# accent of "Édition" and with a space before the colon.
FRENCH_LEGACY_AUDIO = (
    "<div class='col3'><h1>Le journal de l'Afrique</h1><p class='intro'>Les titres du jour.</p>"
    "<div class='longText'><div class='mediaItem audio'><span>Écouter l'audio 29:59</span>"
    "</div><p>Edition : M-A. Pioerron</p></div></div>"
)


def test_a_page_whose_only_text_is_credits_is_media_only() -> None:
    item = parse_article_page(_page("", FRENCH_LEGACY_AUDIO))
    assert item["body"] == ""
    assert item["editors"] == ["M-A. Pioerron"]
    pipeline, stats = _validation()
    assert pipeline.process_item(item) is item
    assert stats.get_value(ARTICLES_MEDIA_ONLY) == 1
