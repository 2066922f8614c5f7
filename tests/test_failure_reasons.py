"""Every failed request says why, even when its error has no message of its own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_scrapy_crawl
from tests.fakedw.server import FakeDwSite

CUT_PATH = "/en/cut-short/a-73000036"


class CutShortHandler(BaseHTTPRequestHandler):
    """Answers every article with a Content-Length it does not keep: the page is cut short."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body = b"User-agent: *\nDisallow:\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "50000")
        self.end_headers()
        self.wfile.write(b"<!DOCTYPE html><html><head><title>Cut</title></head><body><p>Only")
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def cut_short_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CutShortHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_cut_short_logs_the_error_class(tmp_path: Path, cut_short_server: str) -> None:
    article = cut_short_server + CUT_PATH
    with FakeDwSite() as site:
        # Same host, other port: the listing's link stays on the run's allowed domains.
        site.add_listing("/en/topic/t-9", [article])
        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url('/en/topic/t-9')}",
            settings={"NEWSBOT_DATA_DIR": str(tmp_path)},
        )
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [line for line in result.stderr.splitlines() if f"Article {article} failed:" in line]
    assert line.endswith(f"Article {article} failed: ResponseDataLossError"), line
