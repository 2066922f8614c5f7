"""HTML of DW-shaped pages, modelled on the real markup of both designs.

The markup follows what dw.com serves (see ../shared/dw-pages/ for real copies): generated
class names (`sc-…`) next to the stable hooks, share widgets, ads, captions and the closing
agency line, so that an extractor tested here is tested against the real structure.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsbot.permalink import base62_encode


@dataclass
class FakeArticle:
    """The content of one article; the renderers turn it into a page of either design."""

    content_id: int
    slug: str
    title: str
    summary: str
    paragraphs: list[str]
    lang: str = "en"
    authors: list[str] = field(default_factory=lambda: ["Jane Doe"])
    published: datetime = field(default_factory=lambda: datetime(2024, 1, 30, 14, 13, 12, tzinfo=UTC))
    modified: datetime | None = None
    subheading: str | None = "What happens next"
    topics: list[str] = field(default_factory=lambda: ["Germany"])
    agencies_line: str | None = "ls/kms (Reuters, AP, dpa)"
    design: str = "current"

    @property
    def path(self) -> str:
        return f"/{self.lang}/{self.slug}/a-{self.content_id}"

    @property
    def code(self) -> str:
        return base62_encode(self.content_id)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_article(article: FakeArticle, base_url: str) -> str:
    """The article page in its design."""
    if article.design == "legacy":
        return legacy_article(article, base_url)
    return current_article(article, base_url)


def current_article(article: FakeArticle, base_url: str) -> str:
    """A page of the current (React, server-rendered) design."""
    canonical = base_url + article.path
    day = article.published.strftime("%d.%m.%Y")
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "publisher": {"@type": "Organization", "name": "Deutsche Welle"},
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "headline": article.title,
        "image": [f"https://static.dw.com/image/{article.content_id + 7}_804.jpg"],
        "datePublished": article.published.isoformat().replace("+00:00", "Z"),
        "dateModified": (article.modified or article.published).isoformat().replace("+00:00", "Z"),
    }
    body: list[str] = []
    for index, text in enumerate(article.paragraphs):
        body.append(f"<p>{_e(text)}</p>")
        if index == 0:
            body.append(
                '<figure class="placeholder-image master_landscape big"><img data-id="1" '
                'alt="A street scene"><figcaption class="img-caption">People gather in the '
                'square<small class="copyright">Image: John Smith/AP</small></figcaption></figure>'
            )
            body.append('<span data-slot-id="Article_InContent-1" class="rich-text-ad"></span>')
        if index == 1 and article.subheading:
            body.append(f"<h2>{_e(article.subheading)}</h2>")
    if article.agencies_line:
        body.append(f"<p>{_e(article.agencies_line)}</p>")
    authors = "".join(
        f'<span><span class="sc-cCIIiH kzaFDA author no-link">{_e(name)}</span></span>'
        for name in article.authors
    )
    topics = "".join(
        f'<a href="/{article.lang}/{_e(topic.lower())}/t-{1000 + i}" class="sc-bYUneI" '
        f'role="button">{_e(topic)}</a>'
        for i, topic in enumerate(article.topics)
    )
    state = {
        "ROOT_QUERY": {"__typename": "Query"},
        f"Article:{article.content_id}": {
            "__typename": "Article",
            "id": article.content_id,
            "title": article.title,
            "teaser": article.summary,
            "namedUrl": article.path,
        },
    }
    return f"""<!DOCTYPE html><html lang="{article.lang}"><head><meta charset="utf-8">
<title data-rh="true">{_e(article.title)} – DW – {day}</title>
<link data-rh="true" rel="canonical" href="{_e(canonical)}"/>
<meta data-rh="true" name="description" content="{_e(article.summary)}"/>
<meta data-rh="true" property="og:title" content="{_e(article.title)} – DW – {day}"/>
<meta data-rh="true" property="og:url" content="{_e(canonical)}"/>
<meta data-rh="true" property="og:image" content="https://static.dw.com/image/{article.content_id + 7}_6.jpg"/>
<script data-rh="true" type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body><div id="root"><nav class="sc-kAyceB dWdLbR"><a href="/{article.lang}/top-stories/s-9097">Top stories</a>
<a href="/{article.lang}/live-tv/s-100825">Live TV</a></nav>
<article class="sc-fHjqPf"><header class="sc-osfUn cknHRf">
<div class="sc-iJfdHH kicker" data-tracking-name="content-detail-kicker"><span>Politics</span></div>
<h1 class="sc-iJfdHH sc-ilpitK cmgBOB fCpiJW">{_e(article.title)}</h1>
<div class="sc-ihxOxR exeCrb author-details">{authors}</div>
<span class="sc-hxGuYR mxJMl time-area"><span class="sc-dSKLDe beQdxC publication">
<time aria-hidden="true">{day}</time><span class="sr-only">{day}</span></span></span>
<p class="sc-fjaMjM hwnFyE teaser-text">{_e(article.summary)}</p></header>
<section class="sc-jOmZZe fxssNa in-line closed" data-tracking-name="sharing-icons-inline">
<a href="https://www.facebook.com/sharer/sharer.php?u=https://p.dw.com/p/{article.code}%3Fmaca%3Den-Facebook-sharing" class="facebook">Facebook</a></section>
<div class="sc-iJfdHH sc-lbyHcV ljQpIU rich-text has-italic">{"".join(body)}</div>
<div class="sc-grZQYV advertisement no-box"><span>Advertisement</span><div class="gpt-slot"></div></div>
</article>
<section class="sc-gUkKNk" data-tracking-name="section-related-topics"><div class="content-block">
<h2 class="sc-iJfdHH">Related topics</h2><aside class="sc-dktgqL">{topics}</aside></div></section>
</div><script>window.__APOLLO_STATE__={json.dumps(state, ensure_ascii=False)};</script></body></html>
"""


def legacy_article(article: FakeArticle, base_url: str) -> str:
    """A page of the legacy design (until mid-2023)."""
    canonical = base_url + article.path
    day = article.published.strftime("%d.%m.%Y")
    paragraphs: list[str] = []
    for index, text in enumerate(article.paragraphs):
        paragraphs.append(f"<p>{_e(text)}</p>")
        if index == 1 and article.subheading:
            paragraphs.append(f"<h2>{_e(article.subheading)}</h2>")
    if article.agencies_line:
        paragraphs.append(f"<p>{_e(article.agencies_line)}</p>")
    keywords = ",\n".join(
        f'<a href="/search/{article.lang}?item={_e(topic)}" rel="nofollow">{_e(topic)}</a>'
        for topic in article.topics
    )
    return f"""<!DOCTYPE html><html lang="{article.lang}"><head><meta charset="utf-8">
<title>{_e(article.title)} | DW | {day}</title>
<link rel="canonical" href="{_e(canonical)}">
<meta name="description" content="{_e(article.summary)}">
</head><body><div id="bodyContent"><div class="col3">
<h1>{_e(article.title)}</h1>
<p class="intro">{_e(article.summary)}</p>
<div class="longText">{"".join(paragraphs)}</div>
<ul class="smallList">
<li><strong>Date</strong> {day}</li>
<li><strong>Author</strong> {_e(", ".join(article.authors))}</li>
<li><strong>Keywords</strong> {keywords}</li>
<li><strong>Permalink</strong> https://p.dw.com/p/{article.code}</li>
</ul></div></div></body></html>
"""


def listing_page(title: str, hrefs: list[str], lang: str = "en") -> str:
    """A topic or section page: teasers linking to articles, amid navigation and media links."""
    teasers = "".join(
        f'<div class="sc-teaser"><a href="{_e(href)}"><h3 class="sc-h3">Teaser {i}</h3></a></div>'
        for i, href in enumerate(hrefs)
    )
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{_e(title)} | DW</title></head><body><div id="root">
<nav><a href="/{lang}/top-stories/s-9097">Top stories</a><a href="/{lang}/germany/t-1">Germany</a>
<a href="mailto:info@dw.com">Mail</a><a href="javascript:void(0)">Menu</a></nav>
<main><h1>{_e(title)}</h1>{teasers}
<div class="sc-media"><a href="/{lang}/news-video/av-70000001">Video</a>
<a href="/{lang}/a-gallery/g-70000002">Gallery</a><a href="/{lang}/live-blog/live-70000003">Live</a>
<a href="https://www.example.com/{lang}/elsewhere/a-70000004">Elsewhere</a></div></main>
</div></body></html>
"""
