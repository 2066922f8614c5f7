"""The fake DW site of the crawl benchmark, served from its own process.

    python -m benchmarks.site_server --articles 2000 --topics 20

A separate process keeps the server off the crawler's CPU accounting and out of the benchmark's
GIL; every page (`--weight`: light or realistic, benchmarks/corpus.py) is rendered once, before the
first request, so serving costs the same for the newsbot crawl and the bare one. Prints one JSON
line (base URL, topic and article URLs), then answers each line "stats" on stdin with a JSON line
of request counts; exits on EOF.
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks.corpus import bench_articles, render_bench_page
from tests.fakedw.server import FakeDwSite, Reply


def build(
    site: FakeDwSite, articles: int, topics: int, weight: str = "real"
) -> tuple[list[str], list[str]]:
    """Fill a started site: `articles` pre-rendered articles behind `topics` topic pages.

    Topic t links the articles whose index is t modulo `topics`, so each topic has one language
    (odd indexes are German) and every article is linked exactly once.
    """
    topic_paths: list[str] = []
    article_paths: list[str] = []
    by_topic: dict[int, list[str]] = {}
    for index, article in enumerate(bench_articles(articles)):
        site.add_article(article)
        body = render_bench_page(article, site.base_url, weight).encode("utf-8")
        site.add_route(article.path, Reply(body=body))
        by_topic.setdefault(index % topics, []).append(article.path)
        article_paths.append(article.path)
    for topic, hrefs in sorted(by_topic.items()):
        lang = hrefs[0].split("/")[1]
        topic_paths.append(site.add_listing(f"/{lang}/topic-{topic}/t-{1000 + topic}", hrefs))
    return topic_paths, article_paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--weight", choices=("light", "real"), default="real")
    args = parser.parse_args()
    site = FakeDwSite()
    site.start()
    try:
        topics, articles = build(site, args.articles, args.topics, args.weight)
        print(
            json.dumps(
                {
                    "base_url": site.base_url,
                    "topics": [site.url(path) for path in topics],
                    "articles": [site.url(path) for path in articles],
                }
            ),
            flush=True,
        )
        for line in sys.stdin:
            if line.strip() == "stats":
                print(
                    json.dumps(
                        {
                            "requests": len(site.requested_paths()),
                            "article_requests": len(site.article_requests()),
                        }
                    ),
                    flush=True,
                )
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
