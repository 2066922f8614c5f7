"""The loopback site of the backfill benchmark: a sitemap index of big article sitemaps.

    python -m benchmarks.backfill_site --children 20 --entries 50000 --every 100

`/en/article-sitemap.xml` indexes `--children` monthly-looking sitemaps of `--entries` URLs
each; every `--every`-th entry is dated inside June 2026 (the benchmark's window) and its
article is served, the others are dated 2025 and never should be requested. Every reply is
encoded before the first request (benchmarks.site_server.LeanServer), so the server costs the
crawl as little CPU as it can. Prints one JSON line (base URL, window articles), then answers
each line "stats" on stdin with a JSON line of request counts and the wall-clock times of the
index request and of the first article request; exits on EOF.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta

from benchmarks.site_server import LeanServer
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite, Reply

INDEX_PATH = "/en/article-sitemap.xml"
FIRST_ID = 50_000_000
WINDOW_START = datetime(2026, 6, 1, tzinfo=UTC)
XML = {"Content-Type": "application/xml; charset=utf-8"}


class TimedServer(LeanServer):
    """LeanServer that also notes when the index and the first article were requested."""

    first_index: float | None = None
    first_article: float | None = None

    def answer(self, target: str) -> bytes:
        now = time.time()
        if self.first_index is None and target == INDEX_PATH:
            self.first_index = now
        if self.first_article is None and "/a-" in target:
            self.first_article = now
        return super().answer(target)


def child_sitemap(base_url: str, child: int, entries: int, every: int) -> tuple[bytes, list[int]]:
    """One child sitemap's XML and the content ids it dates inside the window."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    in_window = []
    for n in range(entries):
        content_id = FIRST_ID + child * entries + n
        if n % every == 0:
            in_window.append(content_id)
            moment = WINDOW_START + timedelta(minutes=(content_id * 7) % (29 * 24 * 60))
        else:
            moment = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=content_id % 500_000)
        lines.append(
            f"<url><loc>{base_url}/en/story-{content_id}/a-{content_id}</loc>"
            f"<lastmod>{moment.isoformat().replace('+00:00', 'Z')}</lastmod></url>\n"
        )
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8"), in_window


def build(site: FakeDwSite, children: int, entries: int, every: int) -> list[str]:
    """Fill a started site; return the paths of the articles dated in the window."""
    index = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    articles = []
    for child in range(children):
        path = f"/en/sitemaps/article-sitemap-{child + 1}.xml"
        body, in_window = child_sitemap(site.base_url, child, entries, every)
        site.add_route(path, Reply(body=body, headers=XML))
        index.append(f"<sitemap><loc>{site.url(path)}</loc>"
                     f"<lastmod>2026-07-{child + 1:02d}T00:00:00Z</lastmod></sitemap>\n")
        for content_id in in_window:
            article = site.add_article(FakeArticle(
                content_id=content_id, slug=f"story-{content_id}", title=f"Story {content_id}",
                summary="A teaser of the story.",
                paragraphs=["First paragraph of the story.", "Second paragraph.", "Third."],
            ))
            articles.append(article.path)
    index.append("</sitemapindex>\n")
    site.add_route(INDEX_PATH, Reply(body="".join(index).encode(), headers=XML))
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=20)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    site = FakeDwSite()
    server = TimedServer(site)
    articles = build(site, args.children, args.entries, args.every)
    sitemaps = [path for path in site.routes if path.endswith(".xml")]
    server.preload(["/robots.txt", *sitemaps, *articles])
    print(json.dumps({"base_url": site.base_url, "articles": len(articles)}), flush=True)
    for line in sys.stdin:
        if line.strip() == "stats":
            paths = site.requested_paths()
            print(json.dumps({
                "requests": len(paths),
                "article_requests": len(site.article_requests()),
                "sitemap_requests": sum(path.endswith(".xml") for path in paths),
                "first_index": server.first_index,
                "first_article": server.first_article,
            }), flush=True)
            server.first_index = server.first_article = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
