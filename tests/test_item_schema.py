"""The published item schema (newsbot/article.schema.json) against the item and real pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsbot.extraction.pages import parse_article_page
from newsbot.items import ARTICLE_FIELDS
from newsbot.schema import article_schema, first_error
from tests.conftest import assert_matches_item_schema, item_schema_validator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
SHARED_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "dw-pages"

GOOD = {
    "url": "https://www.dw.com/de/russland-wahl/a-68117411", "content_id": 68117411,
    "permalink": "https://p.dw.com/p/4boRv", "language": "pt-br", "title": "Título",
    "summary": None, "authors": ["Jane Doe"], "editors": [], "published": "2024-01-30",
    "modified": "2024-01-30T14:13:12.269Z", "topics": ["Brasil"], "body": "Um.\n\nDois.",
    "image": None, "agencies": ["dpa"], "scraped_at": "2026-12-03T10:00:00.123456Z",
}


def test_the_schema_is_draft_2020_12_and_lists_every_item_field_in_order() -> None:
    schema = article_schema()
    item_schema_validator()  # raises when the schema itself is not valid draft 2020-12
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert tuple(schema["properties"]) == ARTICLE_FIELDS
    assert tuple(schema["required"]) == ARTICLE_FIELDS
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"content_id": "68117411"}, "content_id"),
        ({"permalink": "https://p.dw.com/p/4bo-Rv"}, "permalink"),
        ({"language": "English"}, "language"),
        ({"title": ""}, "title"),
        ({"authors": "Jane Doe"}, "authors"),
        ({"published": "30.01.2024"}, "published"),
        ({"scraped_at": "2026-12-03T10:00:00+01:00"}, "scraped_at"),
        ({"body": None}, "body"),
        ({"extra": 1}, ""),
    ],
)
def test_bad_lines_are_refused_by_both_implementations(change: dict, where: str) -> None:
    assert first_error(GOOD) is None
    assert_matches_item_schema(GOOD)
    bad = {**GOOD, **change}
    error = first_error(bad)  # jsonschema-rs, as newsbot status uses it
    assert error is not None and error.startswith(f"{where}: " if where else "Additional")
    assert not item_schema_validator().is_valid(bad)  # the reference implementation agrees
    missing = {name: value for name, value in GOOD.items() if name != "editors"}
    assert first_error(missing) == '"editors" is a required property'


def test_the_expected_items_of_the_fixture_pages_match() -> None:
    items = [
        expected["item"]
        for page in sorted(FIXTURES.glob("*.json"))
        if "item" in (expected := json.loads(page.read_text(encoding="utf-8")))
    ]
    assert len(items) >= 5
    for item in items:
        # The fixtures list the body's paragraphs; the archive joins them with a blank line.
        body = "\n\n".join(item["body"]) if isinstance(item["body"], list) else item["body"]
        assert_matches_item_schema({**item, "body": body, "scraped_at": "2024-02-06T12:00:00Z"})


@pytest.mark.skipif(not SHARED_PAGES.is_dir(), reason=f"shared DW pages not found at {SHARED_PAGES}")
def test_items_extracted_from_the_real_dw_pages_match() -> None:
    pages = sorted(SHARED_PAGES.glob("*.expected.json"))
    assert pages
    for expectation in pages:
        expected = json.loads(expectation.read_text(encoding="utf-8"))
        body = (SHARED_PAGES / expected["file"]).read_bytes()
        item = parse_article_page(HtmlResponse(url=expected["url"], body=body, encoding="utf-8"))
        record = ItemAdapter(item).asdict()
        record["scraped_at"] = "2026-12-03T10:00:00Z"  # set by the spider at download time
        assert first_error(record) is None, (expected["file"], first_error(record))
        assert_matches_item_schema(record)
