"""DW content ids and their short permalinks (https://p.dw.com/p/<base62 id>).

The permalink is a pure function of the content id in the article URL, which is what lets the
crawl skip known articles before requesting them.
"""

from __future__ import annotations

import re

BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PERMALINK_PREFIX = "https://p.dw.com/p/"

_PERMALINK_RE = re.compile(
    r"^(?:https?:)?//(?:p\.dw\.com|dw\.com|www\.dw\.com)/p/([0-9A-Za-z]+)/?$"
)


def base62_encode(number: int) -> str:
    """Encode a non-negative integer in base62 with DW's alphabet (0-9A-Za-z)."""
    if number < 0:
        raise ValueError(f"cannot encode a negative content id: {number}")
    if number == 0:
        return BASE62_ALPHABET[0]
    digits: list[str] = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(BASE62_ALPHABET[rest])
    return "".join(reversed(digits))


def base62_decode(code: str) -> int:
    """Decode a base62 permalink code back to the content id."""
    number = 0
    for char in code:
        index = BASE62_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"not a base62 permalink code: {code!r}")
        number = number * 62 + index
    return number


def permalink_for(content_id: int) -> str:
    """The article's own permalink URL, e.g. 68117411 -> https://p.dw.com/p/4boRv."""
    return PERMALINK_PREFIX + base62_encode(content_id)


def permalink_code(url: str) -> str | None:
    """The code of a permalink URL as pages print it (http://dw.com/p/2QgKH -> 2QgKH)."""
    match = _PERMALINK_RE.match(url.strip())
    return match.group(1) if match else None
