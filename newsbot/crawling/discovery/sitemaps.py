"""Reading sitemaps (urlset or sitemapindex, gzipped or not) as a stream of entries.

Scrapy's sitemap parser builds the whole document and drops the `news:*` fields of Google News
sitemaps (scrapy issue 7852), so newsbot reads them itself: `lxml.etree.iterparse` over the
body, each `<url>`/`<sitemap>` element turned into a `SitemapEntry` and freed at once. A
50,000-entry sitemap thus never holds more than one entry's elements, and the spider can turn
entries into requests while the rest is still unread.

Faults never raise out of the reader: a body that is not XML, breaks off (truncated) or is no
sitemap sets `SitemapReader.fault` (a key for the run report and a reason for the log), and the
entries read before the fault stay valid.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from lxml import etree

from newsbot.crawling.discovery.dates import parse_moment

# The protocol's limit for one sitemap, uncompressed; also the download limit for sitemaps.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# Request.meta of a sitemap request: sitemaps may reach the protocol's 50 MB, whatever
# DOWNLOAD_MAXSIZE allows an article page.
SITEMAP_SIZE_META = {"download_maxsize": MAX_SITEMAP_BYTES, "download_warnsize": MAX_SITEMAP_BYTES}
_GZIP_MAGIC = b"\x1f\x8b"
_ROOTS = {"urlset", "sitemapindex"}


class SitemapFault(Exception):
    """A sitemap body that cannot be read at all; `key` names the fault in the run report."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One `<url>` of a urlset or `<sitemap>` of an index, with what DW's sitemaps say of it."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title
    keywords: tuple[str, ...] = ()  # news:keywords, split at commas

    @property
    def date(self) -> datetime | None:
        """When the entry was published, as a backfill window sees it."""
        return self.published or self.lastmod


def sitemap_body(body: bytes, declared_gzip: bool) -> bytes:
    """The XML of a sitemap response: gunzipped when it is gzip, at most MAX_SITEMAP_BYTES.

    `declared_gzip` (a `.gz` URL or a gzip Content-Type) with a body that is plain XML is
    accepted as is (a server or proxy already decompressed it); declared gzip that is neither
    is a fault, as is a gzip stream that is corrupt or decompresses beyond the limit.
    """
    if body.startswith(_GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=BytesIO(body)) as stream:
                data = stream.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise SitemapFault("bad_gzip", f"gzip data is corrupt or truncated ({exc})") from exc
        if len(data) > MAX_SITEMAP_BYTES:
            raise SitemapFault(
                "too_large", f"decompresses to more than {MAX_SITEMAP_BYTES} bytes"
            )
        return data
    if declared_gzip and not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise SitemapFault("not_gzip", "declared gzip (name or Content-Type) but is not gzip")
    return body


class SitemapReader:
    """Iterate a sitemap's entries; `kind` is "urlset" or "sitemapindex" once reading began."""

    def __init__(self, xml: bytes) -> None:
        self._xml = xml
        self.kind: str | None = None
        self.entries = 0
        self.fault: SitemapFault | None = None

    @classmethod
    def unreadable(cls, fault: SitemapFault) -> SitemapReader:
        """A reader without entries for a body that could not even be unpacked."""
        reader = cls(b"")
        reader.fault = fault
        return reader

    def __iter__(self) -> Iterator[SitemapEntry]:
        if self.fault is not None:
            return
        events = etree.iterparse(
            BytesIO(self._xml),
            events=("start", "end"),
            tag=("{*}urlset", "{*}sitemapindex", "{*}url", "{*}sitemap"),
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
            recover=False,
        )
        try:
            for event, element in events:
                name = etree.QName(element).localname
                if event == "start":
                    if self.kind is None:
                        if name not in _ROOTS:
                            self.fault = SitemapFault("not_sitemap", f"root element <{name}>")
                            return
                        self.kind = name
                    continue
                if name in _ROOTS:
                    continue
                entry = _entry(element)
                _free(element)
                if entry is not None:
                    self.entries += 1
                    yield entry
        except etree.XMLSyntaxError as exc:
            if self.kind is None:
                self.fault = SitemapFault("not_xml", f"not XML ({exc})")
            else:
                self.fault = SitemapFault(
                    "truncated", f"breaks off after {self.entries} entries ({exc})"
                )
            return
        if self.kind is None:  # well-formed XML without a sitemap element anywhere
            self.fault = SitemapFault("not_sitemap", "no <urlset> or <sitemapindex> element")


def _entry(element: etree._Element) -> SitemapEntry | None:
    """The entry of a `<url>` or `<sitemap>` element.

    Only its own `loc` and `lastmod` count, and the title, date and keywords inside its
    `news:news`: image and video extensions have `loc` and `title` elements of their own.
    """
    loc = lastmod = None
    news: dict[str, str | None] = {}
    for child in element:
        name = _local(child)
        if name == "loc":
            loc = (child.text or "").strip()
        elif name == "lastmod":
            lastmod = child.text
        elif name == "news":
            for field in child.iter():
                news.setdefault(_local(field), field.text)
    if not loc:
        return None
    keywords = news.get("keywords") or ""
    return SitemapEntry(
        loc=loc,
        lastmod=parse_moment(lastmod),
        published=parse_moment(news.get("publication_date")),
        title=(news.get("title") or "").strip() or None,
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
    )


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _free(element: etree._Element) -> None:
    """Drop a read entry and the entries before it, so the tree never grows."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
