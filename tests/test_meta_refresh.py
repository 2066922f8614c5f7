"""newsbot's meta-refresh middleware decides exactly as Scrapy's, on the bodies where a shortcut
could differ: multi-byte text before the tag, the tag near the 4,096-character limit, a
character cut by the byte prefix, other charsets and byte order marks."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsbot.crawling.redirects import HeadMetaRefreshMiddleware

URL = "http://127.0.0.1:8000/en/old/a-1"
TAG = b'<meta http-equiv="refresh" content="0; url=/en/new/a-1">'


def body_with_tag_at(chars_before: int, filler: str) -> bytes:
    """UTF-8 page with the refresh tag after `chars_before` characters of `filler`."""
    text = "<html><head>" + filler * ((chars_before - 12) // len(filler))
    return text.encode() + TAG + b"</head><body>x</body></html>"


CASES = {
    "ascii, tag early": body_with_tag_at(100, "a"),
    "4-byte characters, tag inside the limit": body_with_tag_at(4000, "\U0001f600"),
    "4-byte characters, tag past the limit": body_with_tag_at(4100, "\U0001f600"),
    "3-byte characters around the limit": body_with_tag_at(4050, "€"),
    "tag straddling the limit": body_with_tag_at(4096 - 20, "ß"),
    "invalid UTF-8 before the tag": b"<html><head>" + b"\xff\xfe\x80" * 500 + TAG,
    "no tag": body_with_tag_at(100, "a").replace(b"refresh", b"refrain"),
    "tag in a script": b"<html><head><script>'" + TAG + b"'</script></head></html>",
    "UTF-8 byte order mark": b"\xef\xbb\xbf" + body_with_tag_at(100, "ü"),
    "upper case": body_with_tag_at(100, "a").replace(b"refresh", b"REFRESH"),
    "long s for s": body_with_tag_at(100, "a").replace(b"refresh", "refreſh".encode()),
    "character reference": body_with_tag_at(100, "a").replace(b"refresh", b"&#114;efresh"),
    "character reference elsewhere": body_with_tag_at(100, "&#39;"),
}


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_decision_matches_scrapys(body: bytes, encoding: str) -> None:
    if encoding == "utf-16":
        body = body.decode("utf-8", "replace").encode("utf-16")
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    request = Request(URL)

    def outcome(middleware: MetaRefreshMiddleware) -> str | None:
        response = HtmlResponse(URL, body=body, encoding=encoding)
        result = middleware.process_response(request, response)
        return result.url if isinstance(result, Request) else None

    ours = outcome(HeadMetaRefreshMiddleware.from_crawler(crawler))
    scrapys = outcome(MetaRefreshMiddleware.from_crawler(crawler))
    assert ours == scrapys
    if encoding == "utf-8" and body is CASES["ascii, tag early"]:
        assert ours == "http://127.0.0.1:8000/en/new/a-1"  # the cases do exercise a redirect
