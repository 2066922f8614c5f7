"""The fake DW site of the crawl benchmark, served from its own process.

    python -m benchmarks.site_server --articles 2000 --topics 20

A separate process keeps the server off the crawler's CPU accounting and out of the benchmark's
GIL; every page (`--weight`: light or realistic, benchmarks/corpus.py) is rendered once, before the
first request, so serving costs the same for the newsbot crawl and the bare one. The pages are
tests/fakedw's, but they are served by the minimal keep-alive HTTP/1.1 responder below rather than
the tests' ThreadingHTTPServer: DW's servers are not on the crawler's machine, while this one
shares its cores, so it should take as little of them as it can (about a quarter of what the
threaded server took per request). Prints one JSON line (base URL, topic and article URLs), then
answers each line "stats" on stdin with a JSON line of request counts; exits on EOF.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus

from benchmarks.corpus import bench_articles, render_bench_page
from tests.fakedw.server import FakeDwSite, Reply


class _KeepAliveResponder(asyncio.Protocol):
    """Answers each GET on a connection, in order, with the bytes `answer` gives its target.

    The crawlers send GET requests without bodies, so a request ends at its blank line and only
    its request line is read.
    """

    def __init__(self, answer: Callable[[str], bytes]) -> None:
        self._answer = answer
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        assert self._transport is not None
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            request_line = bytes(self._buffer[: self._buffer.find(b"\r\n")])
            del self._buffer[: end + 4]
            target = request_line.split(b" ")[1].decode("latin-1")
            self._transport.write(self._answer(target))


class LeanServer:
    """Serves a FakeDwSite's replies, each encoded once, and records every request path."""

    def __init__(self, site: FakeDwSite) -> None:
        self.site = site
        self._encoded: dict[str, bytes] = {}
        self._loop = asyncio.new_event_loop()
        server = self._loop.run_until_complete(
            self._loop.create_server(
                lambda: _KeepAliveResponder(self.answer), "127.0.0.1", 0, backlog=128
            )
        )
        port = server.sockets[0].getsockname()[1]
        site.base_url = f"http://127.0.0.1:{port}"
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    def preload(self, targets: list[str]) -> None:
        """Encode these replies now, so that no crawl pays for encoding them."""
        for target in targets:
            self._encoded_reply(target)

    def answer(self, target: str) -> bytes:
        self.site.requests.append(target)
        return self._encoded_reply(target)

    def _encoded_reply(self, target: str) -> bytes:
        encoded = self._encoded.get(target)
        if encoded is None:
            encoded = self._encoded[target] = _encode(self.site.reply_for(target))
        return encoded


def _encode(reply: Reply) -> bytes:
    if reply.delay or reply.reset:
        raise ValueError("the benchmark site serves neither delayed nor reset replies")
    headers = {**reply.headers, "Content-Length": str(len(reply.body))}
    head = f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    return head.encode("latin-1") + b"\r\n" + reply.body


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
    server = LeanServer(site)  # serves from a daemon thread until this process exits
    topics, articles = build(site, args.articles, args.topics, args.weight)
    server.preload(["/robots.txt", *topics, *articles])
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
            counts = {
                "requests": len(site.requested_paths()),
                "article_requests": len(site.article_requests()),
            }
            print(json.dumps(counts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
