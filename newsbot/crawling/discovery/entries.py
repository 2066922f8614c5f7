"""Which sitemap or feed entries are articles this run wants, and why the others are not.

DW's sitemaps and feeds list more than articles (videos `av-`, galleries `g-`, live blogs
`live-`, topic pages), other editions' articles and, in old feeds, links to other hosts
(`www.dw.de`). Each entry is reduced to its article (`newsbot.links.article_link`: tracking
queries and fragments dropped, so `?maca=` variants are one article) or to the name of the reason
it is skipped, counted per reason in the run report.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

from newsbot.links import ArticleLink, article_link

# Skip reasons (stats newsbot/discovery/skipped/<reason>).
NOT_ARTICLE = "not_article"
OTHER_HOST = "other_host"
OTHER_EDITION = "other_edition"


def on_host(url: str, hosts: Collection[str]) -> bool:
    """True when `url`'s host is one of `hosts` or a subdomain of one."""
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in hosts)


def wanted_article(
    loc: str, base_url: str, hosts: Collection[str], languages: Collection[str]
) -> ArticleLink | str:
    """The entry's article, or the reason it is skipped (NOT_ARTICLE, OTHER_HOST, OTHER_EDITION)."""
    link = article_link(loc, base_url)
    if link is None:
        return NOT_ARTICLE
    if not on_host(link.url, hosts):
        return OTHER_HOST
    if link.language not in languages:
        return OTHER_EDITION
    return link
