"""DW's discovery channels as dw.com serves them: news sitemaps, article sitemaps, RSS feeds.

Modelled on the formats DW publishes (Google News sitemaps with `news:*` fields, sitemap
indexes of child sitemaps, `rss.dw.com/xml/rss-<code>-all` RSS 2.0 with `?maca=` tracking
links; see ../shared/dw-feeds/ for real feeds), written from plain data so a test states exactly
which entries a channel lists.
"""

from __future__ import annotations

import gzip
import html
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from tests.fakedw.server import FakeDwSite, Reply

XML = {"Content-Type": "application/xml; charset=utf-8"}
GZIP = {"Content-Type": "application/x-gzip"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}

# DW's robots.txt as captured in May 2026, shortened: named bots refused, API paths for everyone.
DW_ROBOTS_2026 = """# DW content is made available for your personal, non-commercial use. Use of any device,
# tool, or process designed to data mine or scrape the content using automated means is
# prohibited without prior written permission from Deutsche Welle.
User-agent: Scrapy
Disallow: /

User-agent: news-please
Disallow: /

User-agent: *
Disallow: /graph-api/
Disallow: /*/search/
Disallow: /media/
Disallow: /static/
Disallow: /popups/

Sitemap: https://www.dw.com/sitemap.xml
"""


@dataclass
class Entry:
    """One `<url>` of a sitemap: location and whatever dates and news fields it carries."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None
    title: str | None = None
    keywords: list[str] = field(default_factory=list)


def _w3c(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def news_sitemap(entries: list[Entry], lang: str = "en") -> bytes:
    """A Google News sitemap as DW's `/<lang>/news-sitemap.xml`."""
    urls = []
    for e in entries:
        news = ""
        if e.published or e.title:
            news = (
                "<news:news><news:publication><news:name>DW</news:name>"
                f"<news:language>{lang}</news:language></news:publication>"
                + (f"<news:publication_date>{_w3c(e.published)}</news:publication_date>"
                   if e.published else "")
                + (f"<news:title>{html.escape(e.title)}</news:title>" if e.title else "")
                + (f"<news:keywords>{html.escape(', '.join(e.keywords))}</news:keywords>"
                   if e.keywords else "")
                + "</news:news>"
            )
        urls.append(f"<url><loc>{html.escape(e.loc)}</loc>{news}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(urls) + "\n</urlset>\n"
    ).encode("utf-8")


def url_set(entries: list[Entry]) -> bytes:
    """A plain sitemap (`<urlset>`), lastmod where the entry has one."""
    urls = "".join(
        f"<url><loc>{html.escape(e.loc)}</loc>"
        + (f"<lastmod>{_w3c(e.lastmod)}</lastmod>" if e.lastmod else "")
        + "</url>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    ).encode()


def sitemap_index(children: list[tuple[str, datetime | None]]) -> bytes:
    """A sitemap index of child sitemaps, with lastmod where given."""
    items = "".join(
        f"<sitemap><loc>{html.escape(loc)}</loc>"
        + (f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else "")
        + "</sitemap>\n"
        for loc, lastmod in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{items}'
        "</sitemapindex>\n"
    ).encode()


def rss_feed(items: list[tuple[str, str, datetime]], code: str = "en") -> bytes:
    """`rss.dw.com/xml/rss-<code>-all`: RSS 2.0 items (link with its ?maca= query, title, date)."""
    body = "".join(
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<description>Teaser.</description><pubDate>{format_datetime(date)}</pubDate>"
        f"<guid>{html.escape(link)}</guid></item>\n"
        for link, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>DW ({code})</title><link>https://www.dw.com</link>"
        f"<description>Deutsche Welle</description>\n{body}</channel></rss>\n"
    ).encode()


def serve_xml(site: FakeDwSite, path: str, body: bytes, gzipped: bool = False) -> str:
    """Serve `body` at `path` (gzip-compressed as a `.gz` file when asked); return the URL."""
    if gzipped:
        site.add_route(path, Reply(body=gzip.compress(body), headers=GZIP))
    else:
        site.add_route(path, Reply(body=body, headers=XML))
    return site.url(path)


def robots_2026(site_url: str) -> str:
    """DW's 2026 robots.txt, its `Sitemap:` line pointed at the stand-in's own index."""
    return DW_ROBOTS_2026.replace("https://www.dw.com", site_url)


def rdf_feed(items: list[tuple[str, str, datetime]], code: str = "en") -> bytes:
    """`rss.dw.com/rdf/rss-<code>-all`: RSS 1.0 (RDF) items with `dc:date`, as DW writes them."""
    about = "".join(f'<rdf:li rdf:resource="{html.escape(link)}"/>' for link, _, _ in items)
    body = "".join(
        f'<item rdf:about="{html.escape(link)}"><title>{html.escape(title)}</title>'
        f"<link>{html.escape(link)}</link><description>Teaser.</description>"
        f"<dc:date>{_w3c(date)}</dc:date><dc:language>{code}</dc:language></item>\n"
        for link, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="http://rss.dw.com/rdf/rss-{code}-all"><title>DW ({code})</title>'
        f"<link>https://www.dw.com</link><items><rdf:Seq>{about}</rdf:Seq></items></channel>\n"
        f"{body}</rdf:RDF>\n"
    ).encode()


def atom_feed(items: list[tuple[str, str, datetime]], code: str = "en") -> bytes:
    """`rss.dw.com/atom/rss-<code>-all`: Atom entries with `published` and `updated`."""
    body = "".join(
        f"<entry><id>tag:dw.com,2026:{n}</id><title>{html.escape(title)}</title>"
        f"<updated>{_w3c(date)}</updated><published>{_w3c(date)}</published>"
        f'<link rel="alternate" href="{html.escape(link)}"/><summary>Teaser.</summary></entry>\n'
        for n, (link, title, date) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>http://rss.dw.com/atom/rss-{code}-all</id><title>DW ({code})</title>"
        f'<link rel="self" href="http://rss.dw.com/atom/rss-{code}-all"/>\n{body}</feed>\n'
    ).encode()
