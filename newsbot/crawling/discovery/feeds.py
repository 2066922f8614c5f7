"""Reading DW's RSS feeds: RSS 2.0 (`/xml/`), RSS 1.0 RDF (`/rdf/`) and Atom (`/atom/`).

A feed is the fallback channel: it lists an edition's latest articles when the news sitemap
cannot be read. Items are matched by local name, whatever the namespaces, so the three formats
share one reader; links keep their tracking queries here (`?maca=…`), which
`newsbot.links.article_link` removes before dedupe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from newsbot.crawling.discovery.dates import parse_moment
from newsbot.crawling.discovery.sitemaps import SitemapFault

# The item elements of RSS 2.0 / RDF and of Atom.
_ITEM_NAMES = frozenset({"item", "entry"})
_FEED_ROOTS = frozenset({"rss", "RDF", "feed"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: its link (tracking query and all), title and date."""

    link: str
    title: str | None
    published: datetime | None


def read_feed(xml: bytes) -> list[FeedEntry]:
    """The entries of a feed, in feed order; SitemapFault when it is no readable feed."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SitemapFault("not_xml", f"not XML ({exc})") from exc
    name = etree.QName(root).localname
    if name not in _FEED_ROOTS:
        raise SitemapFault("not_feed", f"not an RSS or Atom feed (root element <{name}>)")
    entries = []
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in _ITEM_NAMES:
            entry = _entry(element)
            if entry is not None:
                entries.append(entry)
    return entries


def _entry(item: etree._Element) -> FeedEntry | None:
    fields: dict[str, str] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name == "link":
            # Atom: <link rel="alternate" href="…"/>; RSS: <link>…</link>
            href = child.get("href")
            if href is not None and child.get("rel", "alternate") != "alternate":
                continue
            fields.setdefault("link", (href or child.text or "").strip())
        elif name in {"title", "pubDate", "date", "published", "updated"}:
            fields.setdefault(name, (child.text or "").strip())
    link = fields.get("link") or _rdf_about(item)
    if not link:
        return None
    date = next(
        (fields[k] for k in ("pubDate", "date", "published", "updated") if fields.get(k)), None
    )
    return FeedEntry(link=link, title=fields.get("title") or None, published=parse_moment(date))


def _rdf_about(item: etree._Element) -> str:
    return next((v for k, v in item.attrib.items() if str(k).endswith("}about")), "")
