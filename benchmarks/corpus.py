"""Deterministic DW-shaped articles for the benchmarks, in both page designs.

Sizes follow real DW articles (8 to 20 paragraphs of two to five sentences, a few subheadings'
worth of text, German and English), so the per-page figures are not flattered by tiny pages.
"""

from __future__ import annotations

import json
import random
import unicodedata
from datetime import UTC, datetime, timedelta

from tests.fakedw.pages import FakeArticle, render_article

_TEXT = (
    "government minister Berlin Bundestag coalition budget election voters climate energy "
    "Ukraine Russia talks ceasefire refugees border economy inflation growth workers union "
    "strike railway Deutsche Bahn report official spokesperson Monday Tuesday according "
    "percent million billion euros police protest court ruling constitutional Länder Bürger "
    "Straße Grüne Öffentlichkeit Maßnahmen über für während the of and to in that with"
)
_WORDS = tuple(_TEXT.split())
_AUTHORS = ("Jane Doe", "Jennifer Pahlke", "Klaus Müller", "Ana Ribeiro", "Tom Allinson")
_TOPICS = ("Germany", "Europe", "Climate", "Economy", "Politics", "Ukraine", "Society")
FIRST_CONTENT_ID = 60_000_000
# index % 8 in these slots: legacy design (one odd, one even: both languages get legacy pages).
_LEGACY_SLOTS = (3, 6)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(ascii_title.lower().split()[:6])


def bench_article(index: int) -> FakeArticle:
    """Article number `index`: the same content for the same index, every run.

    Odd indexes are German, even ones English; a quarter of each has the legacy design.
    """
    rng = random.Random(index)
    lang = "de" if index % 2 else "en"
    title = _sentence(rng).rstrip(".")[:90]
    return FakeArticle(
        content_id=FIRST_CONTENT_ID + index * 7,
        slug=_slug(title),
        title=title,
        summary=_sentence(rng) + " " + _sentence(rng),
        paragraphs=[_paragraph(rng) for _ in range(rng.randint(8, 20))],
        lang=lang,
        authors=rng.sample(_AUTHORS, rng.randint(1, 2)),
        published=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=97 * index),
        topics=rng.sample(_TOPICS, 3),
        design="legacy" if index % 8 in _LEGACY_SLOTS else "current",
    )


def bench_articles(count: int) -> list[FakeArticle]:
    """`count` articles, indexes 0..count-1."""
    return [bench_article(index) for index in range(count)]


# --- page weight -------------------------------------------------------------------------------
# tests/fakedw renders the article and the hooks extraction reads (~10 KB). Real DW pages weigh
# 70-320 KB: the current design carries ~55 KB of inline styled-components CSS, navigation and a
# footer of links and SVG icons, teaser blocks, and a ~60 KB `window.__APOLLO_STATE__`; the legacy
# design a language menu, a large navigation, teaser columns and a footer (~900 elements). The
# padding below reproduces that weight and shape (modelled on ../shared/dw-pages, nothing copied)
# and avoids every hook of the extraction (rich-text, longText, smallList, related-topics,
# canonical, og:*), so the extracted item is the light page's.

_CSS_PROPERTIES = (
    "margin:0", "padding:0 16px", "display:flex", "flex-direction:column", "position:relative",
    "color:#0a0a0a", "background:transparent", "font-size:1.6rem", "line-height:2.4rem",
    "transition-property:transform,width,height", "transition-duration:250ms", "width:100%",
    "border:2px solid #63DE9D", "pointer-events:none", "visibility:hidden", "z-index:3",
)
_STATE_WEIGHT = 60_000


def _hash_class(rng: random.Random) -> str:
    """A styled-components class hash such as `sc-dkjKgF`."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "sc-" + "".join(rng.choice(letters) for _ in range(6))


def _css(rng: random.Random, rules: int) -> str:
    lines = []
    for index in range(rules):
        name = _hash_class(rng)[3:]
        body = ";".join(rng.sample(_CSS_PROPERTIES, rng.randint(2, 6)))
        lines.append(f".{name}{{{body};}}/*!sc*/")
        if index % 4 == 0:
            lines.append(f"@media (min-width:{rng.choice((576, 768, 992, 1200))}px){{.{name}"
                         f"{{{rng.choice(_CSS_PROPERTIES)};}}}}/*!sc*/")
        if index % 6 == 0:
            lines.append(f'data-styled.g{index}[id="{_hash_class(rng)}"]{{content:"{name},"}}/*!sc*/')
    return "\n".join(lines)


def _svg(rng: random.Random) -> str:
    points = " ".join(f"{rng.randint(0, 30)}.{rng.randint(0, 99)}" for _ in range(12))
    return (
        f'<svg viewBox="0 0 30 30" xmlns="http://www.w3.org/2000/svg" class="{_hash_class(rng)}">'
        f'<path d="M{points}z" fill="none" stroke="currentColor"></path></svg>'
    )


def _links(rng: random.Random, lang: str, count: int, css: str = "") -> str:
    return "".join(
        f'<li><a href="/{lang}/{_slug(_sentence(rng))[:40]}/s-{rng.randint(1000, 99999)}"'
        f' class="{css}">{" ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 3)))}</a></li>'
        for _ in range(count)
    )


def _teasers(rng: random.Random, lang: str, count: int) -> str:
    """Teaser cards of other articles, as the current design's content blocks show them."""
    cards = []
    for _ in range(count):
        content_id = rng.randint(60_000_000, 68_000_000)
        cards.append(
            f'<div class="{_hash_class(rng)} teaser-wrap"><a href="/{lang}/{_slug(_sentence(rng))}'
            f'/a-{content_id}" class="{_hash_class(rng)}"><div class="{_hash_class(rng)} image">'
            f'<img srcset="https://static.dw.com/image/{content_id}_601.jpg 600w, '
            f'https://static.dw.com/image/{content_id}_602.jpg 1200w" alt="{_sentence(rng)}"></div>'
            f'<h3 class="{_hash_class(rng)}">{_sentence(rng)}</h3>'
            f'<p class="{_hash_class(rng)} teaser-description">{_sentence(rng)}</p>'
            f'<time>{rng.randint(1, 28):02d}.0{rng.randint(1, 9)}.2024</time>{_svg(rng)}</a></div>'
        )
    return "".join(cards)


def _padded_state(html: str, rng: random.Random, lang: str) -> str:
    """The page state grown to real size with teaser, navigation and translation entries."""
    marker = "window.__APOLLO_STATE__="
    start = html.index(marker) + len(marker)
    state, end = json.JSONDecoder().raw_decode(html, start)
    translations = {f"key_{n}": _sentence(rng) for n in range(150)}
    state["ROOT_QUERY"][f'i18nByLang({{"lang":"{lang.upper()}"}})'] = {
        "__typename": "Translations", "all": json.dumps(translations, ensure_ascii=False)
    }
    while len(json.dumps(state, ensure_ascii=False)) < _STATE_WEIGHT:
        content_id = rng.randint(60_000_000, 68_000_000)
        state[f"Teaser:{content_id}"] = {
            "__typename": "Teaser", "id": content_id, "title": _sentence(rng),
            "teaser": _paragraph(rng),
            "namedUrl": f"/{lang}/{_slug(_sentence(rng))}/a-{content_id}",
            "mainContentImage": {"__ref": f"Image:{content_id + 1}"},
        }
        state[f"Image:{content_id + 1}"] = {
            "__typename": "Image", "id": content_id + 1, "caption": _sentence(rng),
            "staticUrl": f"https://static.dw.com/image/{content_id + 1}_${{formatId}}.jpg",
        }
    return html[:start] + json.dumps(state, ensure_ascii=False) + html[end:]


def _pad_current(html: str, article: FakeArticle, rng: random.Random) -> str:
    lang = article.lang
    style = f'<style data-styled="true" data-styled-version="6.0.7">{_css(rng, 420)}</style>'
    metas = "".join(f'<link rel="alternate" hreflang="{code}" href="https://www.dw.com/{code}/">'
                    for code in ("en", "de", "es", "fr", "ar", "ru", "tr", "pt-br", "fa"))
    menu = (f'<ol class="{_hash_class(rng)} focus-menu-shown">{_links(rng, lang, 8)}</ol>'
            f'<div class="{_hash_class(rng)} navigation"><ul>{_links(rng, lang, 60, "nav-link")}'
            f'</ul>{"".join(_svg(rng) for _ in range(8))}</div>')
    blocks = "".join(
        f'<section class="{_hash_class(rng)}" data-tracking-name="content-block-{n}">'
        f'<h2>{_sentence(rng)}</h2>{_teasers(rng, lang, 8)}</section>' for n in range(3)
    )
    footer = (f'<footer class="footer {_hash_class(rng)}"><ul>{_links(rng, lang, 70)}</ul>'
              f'{"".join(_svg(rng) for _ in range(10))}</footer>')
    html = html.replace("</head>", metas + style + "</head>", 1)
    html = html.replace('<div id="root">', '<div id="root">' + menu, 1)
    html = html.replace("</article>", "</article>" + blocks, 1)
    html = html.replace("</div><script>window.__APOLLO_STATE__", footer + "</div><script>"
                        "window.__APOLLO_STATE__", 1)
    return _padded_state(html, rng, lang)


def _pad_legacy(html: str, article: FakeArticle, rng: random.Random) -> str:
    lang = article.lang
    head = "".join(f'<meta property="fb:pages" content="{rng.randint(10**14, 10**15)}">'
                   for _ in range(60))
    head += "".join(f'<script src="/js/{_hash_class(rng)[3:]}.js"></script>' for _ in range(12))
    head += f"<style>{_css(rng, 40)}</style>"
    languages = "".join(f'<div class="languageSection"><ul>{_links(rng, lang, 24)}</ul></div>'
                        for _ in range(3))
    navigation = "".join(
        f'<div class="navMain"><ul class="navLevel">{_links(rng, lang, 40)}</ul>'
        f'<div class="navTeaser"><a href="/{lang}/x/a-{rng.randint(1, 10**8)}">'
        f'<img src="/image/{rng.randint(1, 10**8)}_301.jpg" alt=""><h2>{_sentence(rng)}</h2></a>'
        f"</div></div>" for _ in range(6)
    )
    columns = "".join(
        f'<div class="col1 dim"><div class="basicTeaser">'
        f'<a href="/{lang}/x/a-{rng.randint(1, 10**8)}">'
        f'<div class="teaserImg"><img src="/image/{rng.randint(1, 10**8)}_301.jpg" alt=""></div>'
        f"<h2>{_sentence(rng)}</h2><p>{_sentence(rng)}</p></a></div></div>" for _ in range(20)
    )
    footer = (f'<div id="footerSection"><div class="footerBody"><ul>{_links(rng, lang, 100)}</ul>'
              "</div></div>")
    html = html.replace("</head>", head + "</head>", 1)
    html = html.replace(
        '<body><div id="bodyContent">',
        f'<body id="html_body"><div id="topMetaLang">{languages}</div><div id="navContainer">'
        f'{navigation}</div><div id="bodyContent">', 1,
    )
    return html.replace("</div></body></html>", f"{columns}</div>{footer}</body></html>", 1)


def render_bench_page(article: FakeArticle, base_url: str, weight: str = "real") -> str:
    """The article page as tests/fakedw renders it (`weight="light"`), or padded to the size and
    shape of a real DW page of its design (`weight="real"`)."""
    html = render_article(article, base_url)
    if weight == "light":
        return html
    rng = random.Random(article.content_id)
    if article.design == "legacy":
        return _pad_legacy(html, article, rng)
    return _pad_current(html, article, rng)
