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
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string

from newsbot.links import ALLOWED_SCHEMES

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
        self.crawler.stats.inc_value("newsbot/redirects/refused")
        raise IgnoreRequest(reason)


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))
