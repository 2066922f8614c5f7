"""HTTP faults at article URLs: transient ones are retried and stored, the rest say why once.

One real crawl over a fake DW site where each article URL misbehaves in its own way (status
codes, timeouts, connection resets, redirects); each test checks one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import archive_lines, run_scrapy_crawl
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply, in_turn

TOPIC = "/en/faults/t-9100"


def article(content_id: int, slug: str) -> FakeArticle:
    return FakeArticle(
        content_id=content_id, slug=slug, title=f"Article {content_id}",
        summary="Teaser.", paragraphs=[f"Body of {content_id}.", "Two.", "Three."],
    )


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status=status, headers={"Location": location})


def refresh_page(target: str) -> bytes:
    head = "<title>Übersicht – Straße</title>" + "<!-- äöü€ -->" * 100
    return (
        f'<html><head>{head}<meta http-equiv="refresh" content="0; url={target}">'
        "</head><body>Moved.</body></html>"
    ).encode()


@dataclass
class HttpCrawl:
    site: FakeDwSite
    stored: list[dict]
    log: str
    returncode: int
    requests: list[str]


@pytest.fixture(scope="module")
def http_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpCrawl]:
    data_dir: Path = tmp_path_factory.mktemp("data")
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "article.html"
    with FakeDwSite() as site:
        base = site.base_url

        def ok(a: FakeArticle) -> Reply:
            return Reply(body=render_article(a, base).encode())

        links: list[str] = []

        def add(a: FakeArticle, route: object = None, link: str | None = None) -> None:
            site.add_article(a)
            if route is not None:
                site.add_route(a.path, route)  # type: ignore[arg-type]
            links.append(link or a.path)

        add(article(300, "gone-404"), Reply(status=404, body=b"<html><body>Not found</body></html>"))
        add(article(301, "gone-410"), Reply(status=410, body=b"<html><body>Gone</body></html>"))
        a = article(302, "rate-limited")
        add(a, in_turn(Reply(status=429, headers={"Retry-After": "1"}), ok(a)))
        a = article(303, "server-errors")
        add(a, in_turn(Reply(status=500), Reply(status=503), ok(a)))
        a = article(304, "slow-once")
        add(a, in_turn(Reply(delay=3, body=b"late"), ok(a)))
        add(article(305, "always-slow"), Reply(delay=3, body=b"late"))
        a = article(306, "reset-once")
        add(a, in_turn(Reply(reset=True), ok(a)))
        add(article(307, "always-reset"), Reply(reset=True))
        # 301 -> 302 -> 307 -> the article under its real slug
        chained = article(308, "chain-end")
        site.add_article(chained)
        site.add_route("/en/chain-start/a-308", redirect("/hop/one"))
        site.add_route("/hop/one", redirect(f"{base}/hop/two", 302))
        site.add_route("/hop/two", redirect(chained.path, 307))
        links.append("/en/chain-start/a-308")
        add(article(309, "loop"), redirect("/hop/loop"))
        site.add_route("/hop/loop", redirect("/en/loop/a-309", 302))
        renamed = article(310, "new-slug")
        site.add_article(renamed)
        site.add_route("/en/old-slug/a-310", redirect(renamed.path))
        links.append("/en/old-slug/a-310")
        offsite_target = article(312, "offsite-target")
        site.add_article(offsite_target)
        offsite_url = base.replace("127.0.0.1", "localhost") + offsite_target.path
        add(article(311, "redirect-offsite"), redirect(offsite_url, 302))
        elsewhere.write_text(render_article(article(313, "to-file"), base), encoding="utf-8")
        add(article(313, "to-file"), redirect(elsewhere.as_uri(), 302))
        add(article(314, "plain-good"))
        # A page that moved, announced by a meta refresh after a head of multi-byte text.
        moved = article(315, "refresh-target")
        site.add_article(moved)
        site.add_route("/en/refresh-start/a-315", Reply(body=refresh_page(moved.path)))
        links.append("/en/refresh-start/a-315")
        site.add_listing(TOPIC, links)

        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url(TOPIC)}",
            settings={"NEWSBOT_DATA_DIR": str(data_dir), "DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "2"},
        )
        yield HttpCrawl(site, archive_lines(data_dir), result.stderr, result.returncode, site.requested_paths())


def stored_ids(crawl: HttpCrawl) -> list[int]:
    return [record["content_id"] for record in crawl.stored]


def reasons(crawl: HttpCrawl, path: str) -> list[str]:
    url = re.escape(crawl.site.url(path))
    return re.findall(rf"Article {url} failed: .*|Article page {url} yields no item: .*", crawl.log)


def test_crawl_ends_normally_without_tracebacks(http_crawl: HttpCrawl) -> None:
    assert "Traceback" not in http_crawl.log, http_crawl.log[-4000:]
    assert "'finish_reason': 'finished'" in http_crawl.log


def test_every_article_is_stored_at_most_once(http_crawl: HttpCrawl) -> None:
    ids = stored_ids(http_crawl)
    assert len(ids) == len(set(ids))
    assert sorted(ids) == [302, 303, 304, 306, 308, 310, 314, 315]


@pytest.mark.parametrize(("path", "status"), [("/en/gone-404/a-300", 404), ("/en/gone-410/a-301", 410)])
def test_missing_article_is_not_retried_and_logged_once(http_crawl: HttpCrawl, path: str, status: int) -> None:
    assert http_crawl.requests.count(path) == 1
    [reason] = reasons(http_crawl, path)
    assert str(status) in reason


def test_429_is_retried_then_stored(http_crawl: HttpCrawl) -> None:
    assert http_crawl.requests.count("/en/rate-limited/a-302") == 2
    assert 302 in stored_ids(http_crawl)


def test_500_and_503_are_retried_then_stored(http_crawl: HttpCrawl) -> None:
    assert http_crawl.requests.count("/en/server-errors/a-303") == 3
    assert 303 in stored_ids(http_crawl)
    assert reasons(http_crawl, "/en/server-errors/a-303") == []


def test_timeout_is_retried_then_stored(http_crawl: HttpCrawl) -> None:
    assert http_crawl.requests.count("/en/slow-once/a-304") == 2
    assert 304 in stored_ids(http_crawl)


def test_persistent_timeout_gives_up_after_retries_with_one_reason(http_crawl: HttpCrawl) -> None:
    assert http_crawl.requests.count("/en/always-slow/a-305") == 3
    [reason] = reasons(http_crawl, "/en/always-slow/a-305")
    assert "took longer than" in reason or "timeout" in reason.lower()


def test_connection_reset_is_retried_then_stored(http_crawl: HttpCrawl) -> None:
    assert http_crawl.requests.count("/en/reset-once/a-306") == 2
    assert 306 in stored_ids(http_crawl)


def test_persistent_reset_gives_up_with_one_reason(http_crawl: HttpCrawl) -> None:
    assert http_crawl.requests.count("/en/always-reset/a-307") >= 3  # Twisted may retry a reused connection too
    assert len(reasons(http_crawl, "/en/always-reset/a-307")) == 1
    assert 307 not in stored_ids(http_crawl)


def test_redirect_chain_ends_at_the_article_stored_once(http_crawl: HttpCrawl) -> None:
    assert [
        p for p in http_crawl.requests if p in {"/hop/one", "/hop/two", "/en/chain-end/a-308"}
    ] == ["/hop/one", "/hop/two", "/en/chain-end/a-308"]
    [record] = [r for r in http_crawl.stored if r["content_id"] == 308]
    assert record["url"] == http_crawl.site.url("/en/chain-end/a-308")


def test_redirect_loop_is_abandoned_with_one_reason(http_crawl: HttpCrawl) -> None:
    assert 309 not in stored_ids(http_crawl)
    assert http_crawl.requests.count("/hop/loop") == 1
    [reason] = reasons(http_crawl, "/en/loop/a-309")
    assert "redirect loop" in reason


def test_old_slug_redirects_to_new_slug_one_item(http_crawl: HttpCrawl) -> None:
    [record] = [r for r in http_crawl.stored if r["content_id"] == 310]
    assert record["url"] == http_crawl.site.url("/en/new-slug/a-310")
    assert http_crawl.requests.count("/en/new-slug/a-310") == 1


def test_offsite_redirect_is_not_followed(http_crawl: HttpCrawl) -> None:
    assert "/en/offsite-target/a-312" not in http_crawl.requests
    assert {311, 312}.isdisjoint(stored_ids(http_crawl))
    [reason] = reasons(http_crawl, "/en/redirect-offsite/a-311")
    assert "offsite" in reason.lower()


def test_redirect_to_a_file_url_is_not_followed(http_crawl: HttpCrawl) -> None:
    assert 313 not in stored_ids(http_crawl)
    [reason] = reasons(http_crawl, "/en/to-file/a-313")
    assert "redirect to a file: URL not followed" in reason


def test_meta_refresh_is_followed_to_the_article(http_crawl: HttpCrawl) -> None:
    [record] = [r for r in http_crawl.stored if r["content_id"] == 315]
    assert record["url"] == http_crawl.site.url("/en/refresh-target/a-315")
    assert http_crawl.requests.count("/en/refresh-target/a-315") == 1
