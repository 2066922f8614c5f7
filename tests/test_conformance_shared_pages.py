"""Conformance against real DW pages kept outside the project in ../shared/dw-pages.

The pages and their expected JSON are not copied into the project; this test reads them in place
and is skipped where that directory is absent (e.g. a checkout without the shared folder).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from newsbot.extraction.pages import parse_article_page

SHARED_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "dw-pages"
EXPECTATIONS = sorted(SHARED_PAGES.glob("*.expected.json")) if SHARED_PAGES.is_dir() else []
SCALAR_FIELDS = ("url", "content_id", "permalink", "language", "title", "summary")
LIST_FIELDS = ("authors", "editors", "topics")
DATE_FIELDS = ("published", "modified")


def _same_date(got: str | None, want: str | None) -> bool:
    """Timestamps compare as instants (`...269Z` == `...269000+00:00`), bare dates as strings;
    an expected null means the page gives no such date."""
    if got is None or want is None:
        return got == want
    if "T" not in want:
        return got == want
    return datetime.fromisoformat(got) == datetime.fromisoformat(want)


@pytest.fixture(params=EXPECTATIONS or [None], ids=lambda p: p.name if p else "absent")
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Any]:
    expectation: Path | None = request.param
    if expectation is None:
        pytest.skip(f"shared DW pages not found at {SHARED_PAGES}")
    expected = json.loads(expectation.read_text(encoding="utf-8"))
    page = SHARED_PAGES / expected["file"]
    response = HtmlResponse(url=expected["url"], body=page.read_bytes(), encoding="utf-8")
    return expected, parse_article_page(response)


def test_metadata(case: tuple[dict[str, Any], Any]) -> None:
    expected, item = case
    for name in (*SCALAR_FIELDS, *LIST_FIELDS):
        if name in expected:
            assert item[name] == expected[name], name
    for name in DATE_FIELDS:
        if name in expected:
            assert _same_date(item[name], expected[name]), (name, item[name], expected[name])


def test_body_paragraph_by_paragraph(case: tuple[dict[str, Any], Any]) -> None:
    expected, item = case
    assert item["body"].split("\n\n") == expected["body"]


def test_body_must_not_contain(case: tuple[dict[str, Any], Any]) -> None:
    expected, item = case
    for noise in expected["body_must_not_contain"]:
        assert noise not in item["body"], noise


def test_no_permalink_warning_from_embedded_media(
    case: tuple[dict[str, Any], Any], caplog: pytest.LogCaptureFixture
) -> None:
    """The colonial page embeds a video with its own permalink (2Xns8); it is not the page's."""
    messages = [r.getMessage() for r in caplog.get_records("setup") if "permalink" in r.getMessage()]
    assert messages == []
