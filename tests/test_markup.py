"""The extraction's own parse gives the tree Scrapy's selector would, whatever the bytes.

`parse_markup` parses a UTF-8 body from its bytes (a view without the surrounding whitespace)
and hands every other body to `response.selector`; either way the tree must serialise exactly
as the selector's does, or a field could change with the path a page happens to take.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from scrapy.http import HtmlResponse

from newsbot.extraction.pages.base import text_of
from newsbot.extraction.pages.markup import parse_markup

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
PAGE = (FIXTURES / "current_en_full.html").read_bytes().strip()
UTF8 = {"Content-Type": "text/html; charset=UTF-8"}


def _variants() -> list[tuple[str, bytes, dict[str, str]]]:
    cases = [(page.name, page.read_bytes(), UTF8) for page in sorted(FIXTURES.glob("*.html"))]
    cases += [
        ("trailing newline", PAGE + b"\n", UTF8),
        ("whitespace both ends", b" \r\n\t" + PAGE + b"\n\x0c\x0b ", UTF8),
        ("no end tags, trailing newline", b"<p>Text</p> tail\n\n", UTF8),
        ("body whitespace after </html>", b"<html><body><p>x</p>\n</body>\n</html>\n", UTF8),
        ("NBSP at the end", PAGE + "\u00a0".encode(), UTF8),
        ("NUL byte", PAGE.replace(b"<body>", b"<body>\x00", 1), UTF8),
        ("byte order mark", b"\xef\xbb\xbf" + PAGE, UTF8),
        ("cp1252 declared as UTF-8", "<p>Caf\u00e9 \u2013 DW</p>".encode("cp1252"), UTF8),
        ("latin-1 declared", "<p>Caf\u00e9</p>".encode("latin-1"),
         {"Content-Type": "text/html; charset=ISO-8859-1"}),
        ("only whitespace", b" \n ", UTF8),
    ]
    return cases


@pytest.mark.parametrize(("name", "body", "headers"), _variants(), ids=lambda v: str(v)[:40])
def test_parse_markup_builds_the_selectors_tree(
    name: str, body: bytes, headers: dict[str, str]
) -> None:
    response = HtmlResponse("https://www.dw.com/en/x/a-1", body=body, headers=headers)
    root, markup = parse_markup(response)
    expected = HtmlResponse("https://www.dw.com/en/x/a-1", body=body, headers=headers).selector
    assert etree.tostring(root.getroottree()) == etree.tostring(expected.root.getroottree())
    assert isinstance(markup, bytes)


@pytest.mark.parametrize("page", sorted(FIXTURES.glob("*.html")), ids=lambda path: path.name)
def test_text_of_is_text_content_for_every_element(page: Path) -> None:
    response = HtmlResponse("https://www.dw.com/en/x/a-1", body=page.read_bytes(), headers=UTF8)
    root, _ = parse_markup(response)
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    assert any(not len(element) and element.text for element in elements)  # both paths run
    assert all(text_of(element) == element.text_content() for element in elements)
