"""A real HTTP server on loopback that serves a fake DW site and logs every request.

dw.com spans hosts (`www.dw.com` for pages and sitemaps, `rss.dw.com` for feeds, each with its
own robots.txt), so the stand-in does too, on one port: requests for `127.0.0.1` are the www
host, requests for `localhost` the feed host (`feeds_url`). The feed host serves only its own
routes (`add_feed_route`) and robots.txt, so a request sent to the wrong host shows up as a 404.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.fakedw.pages import FakeArticle, listing_page, render_article

_ARTICLE_PATH = re.compile(r"^/(?P<lang>[a-z]{2}(?:-[a-z0-9]{2,4})?)/[^/]+/a-(?P<id>\d+)/?$")


# The host name the feed host answers to (the www host is 127.0.0.1).
FEEDS_HOST = "localhost"


@dataclass
class Reply:
    """One canned HTTP response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    reset: bool = False  # send nothing and reset the connection (TCP RST), like a dropped link
    delay: float = 0.0  # seconds to wait before answering (timeouts, slow pages)


# A route answers a request path with a Reply; a callable route can vary per request.
Route = Reply | Callable[[str], Reply]


class _LoopbackServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a listen backlog for a crawler's burst of connections.

    The default backlog of 5 makes the kernel drop further SYNs, and each dropped client waits
    a full second before retrying: a crawl opening 20 connections at once would stall on it.
    """

    request_queue_size = 128


def _text(body: str) -> Reply:
    return Reply(body=body.encode(), headers={"Content-Type": "text/plain"})


def in_turn(*replies: Reply) -> Callable[[str], Reply]:
    """A route answering with each reply in turn, then the last one forever (500, 503, 200...)."""
    remaining = list(replies)
    lock = threading.Lock()

    def route(_path: str) -> Reply:
        with lock:
            return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return route


class FakeDwSite:
    """Topic pages, articles and arbitrary canned replies, served on loopback.

    Articles are found by content id, whatever the slug, as dw.com does; every request path
    (with its query string) is appended to `requests`, so tests can assert what was fetched.
    """

    def __init__(
        self,
        robots_txt: str = "User-agent: *\nDisallow:\n",
        feeds_robots_txt: str = "User-agent: *\nDisallow:\n",
    ) -> None:
        self.articles: dict[int, FakeArticle] = {}
        self.routes: dict[str, Route] = {"/robots.txt": _text(robots_txt)}
        self.feed_routes: dict[str, Route] = {"/robots.txt": _text(feeds_robots_txt)}
        self.requests: list[str] = []
        self.hosts: list[str] = []  # the host name of each request, in order
        self.request_times: list[float] = []  # time.monotonic() of each request, in order
        self.user_agents: list[str] = []  # the User-Agent of each request, in order
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.base_url = ""
        self.feeds_base_url = ""  # the same server, as host `localhost`

    # --- content ---------------------------------------------------------------------------
    def add_article(self, article: FakeArticle) -> FakeArticle:
        self.articles[article.content_id] = article
        return article

    def add_listing(self, path: str, hrefs: list[str], title: str = "Topic") -> str:
        lang = path.strip("/").split("/")[0]
        self.routes[path] = Reply(body=listing_page(title, hrefs, lang).encode("utf-8"))
        return path

    def add_route(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def add_feed_route(self, path: str, route: Route) -> None:
        """Serve `route` at `path` on the feed host (`localhost`) only."""
        self.feed_routes[path] = route

    def url(self, path: str) -> str:
        return self.base_url + path

    def feed_url(self, path: str) -> str:
        return self.feeds_base_url + path

    # --- what was asked --------------------------------------------------------------------
    def requested_paths(self, host: str | None = None) -> list[str]:
        """The paths requested, in order; of one host only (`127.0.0.1`, `localhost`) if given."""
        with self._lock:
            if host is None:
                return list(self.requests)
            return [p for p, h in zip(self.requests, self.hosts, strict=True) if h == host]

    def article_requests(self) -> list[str]:
        return [p for p in self.requested_paths() if _ARTICLE_PATH.match(urlsplit(p).path)]

    # --- serving ---------------------------------------------------------------------------
    def reply_for(self, raw_path: str, host: str = "127.0.0.1") -> Reply:
        path = urlsplit(raw_path).path
        if host == FEEDS_HOST:
            feed = self.feed_routes.get(path)
            if feed is None:
                return Reply(status=404, body=b"<html><body><h1>No such feed</h1></body></html>")
            return feed(raw_path) if callable(feed) else feed
        route = self.routes.get(path)
        if route is not None:
            return route(raw_path) if callable(route) else route
        match = _ARTICLE_PATH.match(path)
        if match:
            article = self.articles.get(int(match["id"]))
            if article is not None and article.lang == match["lang"]:
                return Reply(body=render_article(article, self.base_url).encode("utf-8"))
        return Reply(status=404, body=b"<html><body><h1>Page not found</h1></body></html>")

    def start(self, port: int = 0) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "127.0.0.1").rsplit(":", 1)[0]
                with site._lock:
                    site.requests.append(self.path)
                    site.hosts.append(host)
                    site.request_times.append(time.monotonic())
                    site.user_agents.append(self.headers.get("User-Agent", ""))
                reply = site.reply_for(self.path, host)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    linger = struct.pack("ii", 1, 0)  # close with RST instead of FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.connection.close()
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                return  # the request log is `site.requests`

        self._server = _LoopbackServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.feeds_base_url = f"http://{FEEDS_HOST}:{port}"
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeDwSite:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
