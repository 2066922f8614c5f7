"""Link discovery: which hrefs on a listing page are articles, and what identifies them."""


import pytest

from newsbot.links import (
    article_link,
    content_id_from_url,
    is_listing_url,
    language_from_url,
    listing_language,
)

BASE = "https://www.dw.com/en/germany/s-1432"


@pytest.mark.parametrize(
    ("href", "url", "lang", "content_id"),
    [
        ("/en/berlin-opens-library/a-68117411", "https://www.dw.com/en/berlin-opens-library/a-68117411", "en", 68117411),
        ("/en/berlin-opens-library/a-68117411?maca=en-rss-en-all", "https://www.dw.com/en/berlin-opens-library/a-68117411", "en", 68117411),
        ("/en/berlin-opens-library/a-68117411#comments", "https://www.dw.com/en/berlin-opens-library/a-68117411", "en", 68117411),
        ("https://www.dw.com/de/ein-artikel/a-65464327", "https://www.dw.com/de/ein-artikel/a-65464327", "de", 65464327),
        ("//www.dw.com/pt-br/noticia/a-1", "https://www.dw.com/pt-br/noticia/a-1", "pt-br", 1),
        ("  /fa-ir/خبر/a-2/  ", "https://www.dw.com/fa-ir/خبر/a-2", "fa-ir", 2),
        ("/pt-002/noticia/a-3", "https://www.dw.com/pt-002/noticia/a-3", "pt-002", 3),
        ("/zh-hant/新聞/a-4", "https://www.dw.com/zh-hant/新聞/a-4", "zh-hant", 4),
    ],
)
def test_article_links_are_recognised_and_normalised(href: str, url: str, lang: str, content_id: int) -> None:
    link = article_link(href, BASE)
    assert link is not None
    assert (link.url, link.language, link.content_id) == (url, lang, content_id)


@pytest.mark.parametrize(
    "href",
    [
        "/en/news-video/av-70000001",  # video
        "/en/a-gallery/g-70000002",  # gallery
        "/en/live-blog/live-70000003",  # live blog
        "/en/germany/t-17282970",  # topic
        "/en/top-stories/s-9097",  # section
        "/en/a-68117411",  # no slug
        "/en/slug/a-68117411/extra",
        "mailto:info@dw.com",
        "javascript:void(0)",
        "ftp://www.dw.com/en/x/a-1",
        "file:///en/x/a-1",
        "",
    ],
)
def test_everything_else_is_ignored(href: str) -> None:
    assert article_link(href, BASE) is None


def test_listing_urls() -> None:
    assert is_listing_url("https://www.dw.com/en/germany/s-1432")
    assert is_listing_url("http://127.0.0.1:8080/en/some-topic/t-1")
    assert not is_listing_url("https://www.dw.com/en/x/a-1")
    assert not is_listing_url("file:///en/germany/s-1432")
    assert listing_language("https://www.dw.com/de/themen/s-9077") == "de"
    assert listing_language("https://www.dw.com/de/x/a-1") is None


def test_url_parts() -> None:
    assert language_from_url("https://www.dw.com/pt-br/x/a-1") == "pt-br"
    assert language_from_url("https://www.dw.com/") is None
    assert content_id_from_url("https://www.dw.com/en/x/a-52060881?maca=1") == 52060881
    assert content_id_from_url("https://www.dw.com/en/x/av-52060881") is None
