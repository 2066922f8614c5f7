"""Checks on an article response before extraction: is it whole HTML, and decoded right?

A response can be a 200 and still not be a page worth extracting: empty, binary served as
text/html, or cut off (a page that ends before `</html>` would yield half an article, stored
as if whole and never fetched again). And a page can declare the wrong charset: cp1252 bytes
declared as UTF-8 would be stored with U+FFFD in place of every accented letter, UTF-8 declared
as cp1252 as mojibake. These checks give a reason to reject, or the response decoded as the
bytes really are, so that the extractor only ever sees whole, correctly decoded HTML.
"""

from __future__ import annotations

import codecs
import re

from scrapy.http import TextResponse

# Where the closing tag of a whole page must be: DW pages end with `</html>` and a newline.
_TAIL_BYTES = 4096
_SNIFF_BYTES = 1024
# One valid UTF-8 multi-byte sequence: text with one is UTF-8 with a damaged byte, not cp1252.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def rejection(response: TextResponse) -> tuple[str, str] | None:
    """Why this response cannot be an article page, as (reason, stats key); None when it can."""
    body = response.body
    if not body or body.isspace():  # as `not body.strip()`, without copying the page
        return "empty response body", "empty"
    if b"\x00" in body[:_SNIFF_BYTES]:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        return f"not an HTML page (binary content served as {content_type})", "not_html"
    if b"</html" not in body[-_TAIL_BYTES:].lower():
        return f"truncated page: no closing </html> tag in its {len(body)} bytes", "truncated"
    return None


def decoded_as_sent(response: TextResponse) -> tuple[TextResponse, str | None]:
    """The response decoded with the charset its bytes are really in, and a note when changed.

    Only the two confusions seen in the wild are repaired: bytes that are not UTF-8 although
    declared so, and contain no UTF-8 sequence at all, are read as cp1252; bytes that are valid
    UTF-8 with non-ASCII text although declared as another charset are read as UTF-8.
    """
    declared = codecs.lookup(response.encoding).name
    body = response.body
    if declared == "utf-8":
        # Cheapest first: ASCII, then the first multi-byte sequence (early in any DW page).
        if body.isascii() or _UTF8_MULTIBYTE.search(body) or _is_utf8(body):
            return response, None
        try:
            body.decode("cp1252")
        except UnicodeDecodeError:
            return response, None
        return response.replace(encoding="cp1252"), "declared UTF-8 but is cp1252"
    if body.isascii() or not _is_utf8(body):
        return response, None
    return response.replace(encoding="utf-8"), f"declared {declared} but is UTF-8"


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
