"""Bad pages at article URLs: every good article is stored once, every bad page logs one reason.

One real `scrapy crawl dw` runs over a fake DW site whose topic page links good articles and
every kind of bad page side by side; each test below checks one case in that crawl's archive
and log, so a regression names the case that broke.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import archive_lines, run_scrapy_crawl
from tests.fakedw.pages import FakeArticle, render_article
from tests.fakedw.server import FakeDwSite, Reply

TOPIC = "/en/mixed-bag/t-9000"
MAX_SIZE = 8 * 1024 * 1024
HTML = "text/html; charset=utf-8"


def article(content_id: int, slug: str, **fields: object) -> FakeArticle:
    defaults: dict[str, object] = {
        "title": f"Article {content_id}",
        "summary": f"Teaser of article {content_id}.",
        "paragraphs": [f"Paragraph one of {content_id}.", "Paragraph two.", "Paragraph three."],
    }
    return FakeArticle(content_id=content_id, slug=slug, **{**defaults, **fields})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Case:
    """One page of the mixed site: where it is, what it serves, whether it is an article."""

    name: str
    article: FakeArticle
    good: bool
    reply: Reply | None = None  # None: the fake site renders the article normally


def _page(a: FakeArticle, base_url: str) -> str:
    return render_article(a, base_url)


def build_cases(base_url: str) -> list[Case]:
    """Good articles and bad pages, each at its own article-shaped URL."""
    cases: list[Case] = [
        Case("good current", article(100, "good-current"), True),
        Case("good legacy", article(101, "good-legacy", design="legacy"), True),
    ]

    big = article(102, "five-megabytes", paragraphs=[f"{i:06d}" + " lorem ipsum" * 85 for i in range(5000)])
    cases.append(Case("5 MB of text", big, True))

    nested = article(103, "deeply-nested")
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    html = _page(nested, base_url).replace("<p>Paragraph three.</p>", "<p>Paragraph three.</p>" + deep)
    cases.append(Case("deeply nested markup", nested, True, Reply(body=html.encode())))

    apollo = article(104, "broken-apollo")
    html = re.sub(r"window\.__APOLLO_STATE__=.*?;</script>", 'window.__APOLLO_STATE__={"Article:1": {"title": "x",;</script>', _page(apollo, base_url))
    cases.append(Case("broken JSON in __APOLLO_STATE__", apollo, True, Reply(body=html.encode())))

    ld = article(105, "broken-json-ld")
    html = re.sub(r'(<script data-rh="true" type="application/ld\+json">).*?(</script>)', r'\1{"@type": "NewsArticle", "headline": "x",,}\2', _page(ld, base_url))
    cases.append(Case("broken JSON-LD", ld, True, Reply(body=html.encode())))

    cp = article(106, "cp1252-as-utf8", title="Café Müller – “Grüße”", paragraphs=["Straße und Brücke – à la carte.", "Zwei.", "Drei."])
    body = _page(cp, base_url).encode("cp1252")
    cases.append(Case("cp1252 bytes declared as UTF-8", cp, True, Reply(body=body, headers={"Content-Type": HTML})))

    utf = article(107, "utf8-as-cp1252", title="Café Müller – “Grüße”", paragraphs=["Straße und Brücke – à la carte.", "Zwei.", "Drei."])
    body = _page(utf, base_url).replace('<meta charset="utf-8">', '<meta charset="windows-1252">').encode("utf-8")
    cases.append(Case("UTF-8 bytes declared as cp1252", utf, True, Reply(body=body, headers={"Content-Type": "text/html; charset=windows-1252"})))

    empty = article(200, "empty-body")
    cases.append(Case("empty body", empty, False, Reply(body=b"")))

    cut = article(201, "cut-mid-tag")
    html = _page(cut, base_url)
    cut_at = html.index("<p>Paragraph two.") + 2  # "...<p" : inside the tag
    cases.append(Case("HTML cut mid-tag", cut, False, Reply(body=html[:cut_at].encode())))

    soft404 = article(202, "soft-404")
    cases.append(Case("soft 404", soft404, False, Reply(body=b"<!DOCTYPE html><html><head><title>Page not found | DW</title></head><body><div id='root'><h1>Sorry, this page does not exist</h1><p>Try the search.</p></div></body></html>")))

    consent = article(203, "consent-page")
    cases.append(Case("consent page", consent, False, Reply(body=b"<!DOCTYPE html><html><head><title>Privacy settings</title></head><body><div class='consent-banner'><h1>We value your privacy</h1><p>We use cookies.</p><button>Accept all</button></div></body></html>")))

    video = article(204, "video-page")
    cases.append(Case("video page", video, False, Reply(body=b"<!DOCTYPE html><html lang='en'><head><title>Watch: floods | DW</title><meta property='og:type' content='video.other'></head><body><div id='root'><article><header><h1>Watch: floods in the south</h1></header><div class='video-player-wrapper'><video src='https://tvdownloaddw-a.akamaihd.net/x.mp4'></video></div><p class='teaser-text'>Two minutes of pictures.</p></article></div></body></html>")))

    cases.append(Case("missing title", article(205, "no-title", title=""), False))
    cases.append(Case("missing body", article(206, "no-body", paragraphs=[], subheading=None, agencies_line=None), False))

    binary = article(207, "binary-as-html")
    noise = bytes(range(256)) * 64
    cases.append(Case("binary bytes as text/html", binary, False, Reply(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise, headers={"Content-Type": HTML})))

    huge = article(208, "over-maxsize")
    cases.append(Case("response over DOWNLOAD_MAXSIZE", huge, False, Reply(body=b"<html><body>" + b"x" * (MAX_SIZE + 1024) + b"</body></html>")))
    return cases


@dataclass
class CrawlResult:
    cases: list[Case]
    stored: list[dict]
    log: str
    returncode: int
    base_url: str


@pytest.fixture(scope="module")
def mixed_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    """One crawl over good articles and every bad page, linked from one topic page."""
    data_dir: Path = tmp_path_factory.mktemp("data")
    with FakeDwSite() as site:
        cases = build_cases(site.base_url)
        for case in cases:
            site.add_article(case.article)
            if case.reply is not None:
                site.add_route(case.article.path, case.reply)
        site.add_listing(TOPIC, [case.article.path for case in cases])
        result = run_scrapy_crawl(
            "-a", f"start_urls={site.url(TOPIC)}",
            settings={"NEWSBOT_DATA_DIR": str(data_dir), "DOWNLOAD_MAXSIZE": str(MAX_SIZE)},
        )
        yield CrawlResult(cases, archive_lines(data_dir), result.stderr, result.returncode, site.base_url)


def reasons_for(result: CrawlResult, case: Case) -> list[str]:
    """The log lines that say why this page gave no item (spider rejects, errbacks, drops)."""
    url = re.escape(result.base_url + case.article.path)
    pattern = re.compile(
        rf"Article page {url} yields no item: .*|Article {url} failed: .*|Dropped: {url} .*"
    )
    return pattern.findall(result.log)


def case_named(result: CrawlResult, name: str) -> Case:
    return next(case for case in result.cases if case.name == name)


GOOD = ["good current", "good legacy", "5 MB of text", "deeply nested markup",
        "broken JSON in __APOLLO_STATE__", "broken JSON-LD", "cp1252 bytes declared as UTF-8",
        "UTF-8 bytes declared as cp1252"]
BAD = ["empty body", "HTML cut mid-tag", "soft 404", "consent page", "video page",
       "missing title", "missing body", "binary bytes as text/html",
       "response over DOWNLOAD_MAXSIZE"]


def test_crawl_finishes_cleanly(mixed_crawl: CrawlResult) -> None:
    assert mixed_crawl.returncode == 0, mixed_crawl.log[-3000:]
    assert "Traceback" not in mixed_crawl.log, mixed_crawl.log[-5000:]
    assert "'finish_reason': 'finished'" in mixed_crawl.log
    assert {case.name for case in mixed_crawl.cases} == set(GOOD) | set(BAD)


def test_only_good_articles_are_stored_each_once(mixed_crawl: CrawlResult) -> None:
    ids = [record["content_id"] for record in mixed_crawl.stored if record["content_id"]]
    good = {case_named(mixed_crawl, name).article.content_id for name in GOOD}
    assert len(ids) == len(set(ids)), "an article was stored twice"
    assert set(ids) == good


def test_every_page_that_yields_no_item_says_why_once(mixed_crawl: CrawlResult) -> None:
    stored = {record["content_id"] for record in mixed_crawl.stored}
    for case in mixed_crawl.cases:
        if case.article.content_id not in stored:
            assert len(reasons_for(mixed_crawl, case)) == 1, case.name


@pytest.mark.parametrize("name", GOOD)
def test_good_article_is_stored_whole(mixed_crawl: CrawlResult, name: str) -> None:
    case = case_named(mixed_crawl, name)
    record = next(r for r in mixed_crawl.stored if r["content_id"] == case.article.content_id)
    assert record["title"] == case.article.title
    expected = list(case.article.paragraphs)
    if case.article.subheading:
        expected.insert(2, case.article.subheading)
    assert record["body"].split("\n\n")[: len(expected)] == expected
    assert "\ufffd" not in record["title"] + record["body"]
    assert reasons_for(mixed_crawl, case) == []


@pytest.mark.parametrize("name", BAD)
def test_bad_page_logs_one_reason_and_stores_nothing(mixed_crawl: CrawlResult, name: str) -> None:
    case = case_named(mixed_crawl, name)
    assert case.article.content_id not in {r["content_id"] for r in mixed_crawl.stored}
    reasons = reasons_for(mixed_crawl, case)
    assert len(reasons) == 1, (name, reasons)


def test_bad_page_reasons_say_what_was_wrong(mixed_crawl: CrawlResult) -> None:
    def reason(name: str) -> str:
        return reasons_for(mixed_crawl, case_named(mixed_crawl, name))[0]

    assert "truncated" in reason("HTML cut mid-tag")
    assert "not an HTML page" in reason("binary bytes as text/html")
    assert "download max size" in reason("response over DOWNLOAD_MAXSIZE")
    for name in ("soft 404", "consent page", "video page", "empty body"):
        assert "yields no item" in reason(name), reason(name)
