"""Which redirects the crawl follows: same site, http(s), no loops; the rest fail with a reason.

Scrapy already refuses these, but silently: an off-site target is dropped by the offsite filter
when it is scheduled, a loop by the duplicate filter, and neither calls the request's errback,
so the article would vanish from the log. Refusing them here, before RedirectMiddleware builds
the new request, turns each into an IgnoreRequest with a reason, which the spider's errback
logs and counts like any other failed article.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from w3lib.encoding import read_bom, resolve_encoding
from w3lib.html import get_meta_refresh
from w3lib.url import safe_url_string

from newsbot.links import ALLOWED_SCHEMES
from newsbot.stats import REDIRECTS_REFUSED

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectPolicy:
    """Downloader middleware (before RedirectMiddleware) that vets every redirect target."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectPolicy:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
        parts = urlsplit(target)
        if parts.scheme not in ALLOWED_SCHEMES:
            self._refuse(f"redirect to a {parts.scheme}: URL not followed ({target[:100]})")
        host = parts.hostname or ""
        if not self._on_site(host):
            self._refuse(f"redirect to off-site host {host!r} not followed ({target[:200]})")
        visited = {_without_fragment(url) for url in request.meta.get("redirect_urls", [])}
        if _without_fragment(target) in visited | {_without_fragment(request.url)}:
            self._refuse(f"redirect loop back to {target}")
        return response

    def _on_site(self, host: str) -> bool:
        domains = getattr(self.crawler.spider, "allowed_domains", None) or []
        return not domains or any(host == d or host.endswith("." + d) for d in domains)

    def _refuse(self, reason: str) -> None:
        self.crawler.stats.inc_value(REDIRECTS_REFUSED)
        raise IgnoreRequest(reason)


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, without decoding a whole page that has no refresh.

    Scrapy looks for `<meta http-equiv="refresh">` in the first 4,096 characters of a page but takes
    them from `response.text`, which decodes all of it: on a 150 KB DW article that decode is
    0.2-0.3 ms of the crawl process's time, for every article, and the extraction does not need it:
    it parses the bytes of a valid UTF-8 body directly (newsbot.extraction.pages.markup). This reads
    the same 4,096 characters from a prefix of the body; only a page whose head does ask for a
    refresh goes on to Scrapy's middleware, so what is followed, and how, is unchanged.
    """

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if isinstance(response, HtmlResponse) and not _may_ask_for_refresh(
            response, self._ignore_tags
        ):
            return response
        return super().process_response(request, response)


# 4,096 characters of UTF-8 never take more than 4 bytes each; the spare bytes keep a character
# cut at the end of the prefix beyond the 4,096th.
_HEAD_CHARS = 4096
_HEAD_BYTES = 4 * _HEAD_CHARS + 8


def _may_ask_for_refresh(response: HtmlResponse, ignore_tags: list[str]) -> bool:
    """False when the first 4,096 characters surely hold no meta refresh, as Scrapy reads them."""
    body = response.body
    if resolve_encoding(response.encoding) != "utf-8" or read_bom(body[:4]) != (None, None):
        return True  # not the plain UTF-8 case: let Scrapy decode it its own way
    prefix = body[:_HEAD_BYTES]
    # No "refre" in any case and no numeric character reference: the tag cannot be there, and the
    # regexes below need not run (the common case, a tenth of the check's cost).
    if b"&#" not in prefix and b"refre" not in prefix.lower():
        return False
    head = prefix.decode("utf-8", "replace")[:_HEAD_CHARS]
    interval, _ = get_meta_refresh(head, response.url, "utf-8", ignore_tags=ignore_tags)
    return interval is not None


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))
