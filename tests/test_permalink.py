"""Permalink codes: base62 of the content id, as DW prints them."""

import pytest

from newsbot.permalink import base62_decode, base62_encode, permalink_code, permalink_for


@pytest.mark.parametrize(
    ("content_id", "code"),
    [(68117411, "4boRv"), (52060881, "3WRPd"), (6533123, "RPYx"), (65464327, "4QgGF"), (0, "0"), (61, "z")],
)
def test_base62_matches_dw_permalinks(content_id: int, code: str) -> None:
    assert base62_encode(content_id) == code
    assert base62_decode(code) == content_id


def test_permalink_url() -> None:
    assert permalink_for(68117411) == "https://p.dw.com/p/4boRv"


def test_negative_id_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        base62_encode(-1)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://p.dw.com/p/3WRPd", "3WRPd"),
        ("http://dw.com/p/2QgKH", "2QgKH"),
        ("https://www.dw.com/p/4boRv/", "4boRv"),
        ("https://example.com/p/4boRv", None),
        ("https://p.dw.com/p/4bo-Rv", None),
    ],
)
def test_permalink_code_of_printed_urls(url: str, code: str | None) -> None:
    assert permalink_code(url) == code
