"""A real HTTP server on 127.0.0.1 that serves a fake DW site and logs every request."""

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

    def __init__(self, robots_txt: str = "User-agent: *\nDisallow:\n") -> None:
        self.articles: dict[int, FakeArticle] = {}
        self.routes: dict[str, Route] = {"/robots.txt": Reply(
            body=robots_txt.encode(), headers={"Content-Type": "text/plain"}
        )}
        self.requests: list[str] = []
        self.request_times: list[float] = []  # time.monotonic() of each request, in order
        self.user_agents: list[str] = []  # the User-Agent of each request, in order
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.base_url = ""

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

    def url(self, path: str) -> str:
        return self.base_url + path

    # --- what was asked --------------------------------------------------------------------
    def requested_paths(self) -> list[str]:
        with self._lock:
            return list(self.requests)

    def article_requests(self) -> list[str]:
        return [p for p in self.requested_paths() if _ARTICLE_PATH.match(urlsplit(p).path)]

    # --- serving ---------------------------------------------------------------------------
    def reply_for(self, raw_path: str) -> Reply:
        path = urlsplit(raw_path).path
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
                with site._lock:
                    site.requests.append(self.path)
                    site.request_times.append(time.monotonic())
                    site.user_agents.append(self.headers.get("User-Agent", ""))
                reply = site.reply_for(self.path)
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
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
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
