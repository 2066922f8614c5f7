"""The demo site: a news sitemap, a feed, two topic pages and a handful of articles in both
designs."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fakedw.channels import Entry, news_sitemap, rss_feed, serve_xml
from tests.fakedw.pages import FakeArticle
from tests.fakedw.server import FakeDwSite

TOPIC_PATHS = ("/en/germany/t-17282970", "/en/climate/s-59752983")


def demo_articles() -> list[FakeArticle]:
    """Six English articles, four of the current design and two legacy ones."""
    texts = [
        ("berlin-opens-new-library", "Berlin opens a new public library", "current"),
        ("rhine-water-levels-fall", "Rhine water levels fall to record low", "current"),
        ("bundestag-debates-budget", "Bundestag debates the 2025 budget", "current"),
        ("wind-power-expands-north", "Wind power expands in the north", "current"),
        ("hamburg-port-modernizes", "Hamburg port modernizes its terminals", "legacy"),
        ("bavaria-harvest-report", "Bavaria reports a strong harvest", "legacy"),
    ]
    articles = []
    for index, (slug, title, design) in enumerate(texts):
        articles.append(
            FakeArticle(
                content_id=68100000 + index,
                slug=slug,
                title=title,
                summary=f"{title}. A short teaser that sums up the story.",
                paragraphs=[
                    f"{title}, officials said on Monday.",
                    "Residents welcomed the news, while critics asked about the costs.",
                    "The plans will be reviewed again next year.",
                ],
                published=datetime(2024, 3, 1 + index, 9, 30, tzinfo=UTC),
                topics=["Germany", "Society"],
                design=design,
            )
        )
    return articles


def build_demo_site(site: FakeDwSite) -> list[str]:
    """Fill `site` with the demo content; return the topic page paths.

    The English news sitemap lists every article (a run with NEWSBOT_SITE_URL pointed at the
    site reads it); the English feed, at `/feeds/xml/rss-en-all`, lists the last three.
    """
    articles = [site.add_article(article) for article in demo_articles()]
    now = datetime.now(UTC)
    serve_xml(site, "/en/news-sitemap.xml", news_sitemap(
        [Entry(site.url(a.path), published=now, title=a.title, keywords=a.topics)
         for a in articles]
    ))
    serve_xml(site, "/feeds/xml/rss-en-all", rss_feed(
        [(site.url(a.path) + "?maca=en-rss-en-all-1573-rdf", a.title, now) for a in articles[3:]]
    ))
    half = len(articles) // 2 + 1
    site.add_listing(TOPIC_PATHS[0], [a.path for a in articles[:half]], "Germany")
    site.add_listing(
        TOPIC_PATHS[1],
        # overlapping teasers, a tracking variant and an absolute link, as on dw.com
        [articles[half - 1].path + "?maca=en-rss-en-all-1573-rdf"]
        + [site.url(a.path) for a in articles[half - 1 :]],
        "Climate",
    )
    return list(TOPIC_PATHS)
