"""The demo site: the 2026 stand-in (tests/fakedw/dwsite) plus two English topic pages, and the
commands that point newsbot at it."""

from __future__ import annotations

from tests.fakedw.dwsite import StandIn, build_dw_site
from tests.fakedw.server import FakeDwSite

TOPIC_PATHS = ("/en/germany/t-17282970", "/en/climate/s-59752983")
# Editions of the demo crawl: pl's news sitemap fails (its feed stands in), hr's sitemaps are
# where only the index says, ar and zh are right-to-left and non-Latin.
DEMO_LANGUAGES = "en,de,es,ar,zh,pl,hr"


def build_demo_site(site: FakeDwSite) -> tuple[StandIn, list[str]]:
    """Fill a started `site` with the stand-in and two topic pages; return both."""
    stand_in = build_dw_site(site)
    english = stand_in.editions["en"].paths
    site.add_listing(TOPIC_PATHS[0], english, "Germany")
    # a tracking variant and an absolute link, as on dw.com
    site.add_listing(TOPIC_PATHS[1], [english[0] + "?maca=en-rss-en-all-1573-rdf",
                                      site.url(english[1])], "Climate")
    return stand_in, list(TOPIC_PATHS)


def demo_commands(stand_in: StandIn, data_dir: str, topics: list[str]) -> list[str]:
    """The commands of README's "Try it offline", pointed at this stand-in and `data_dir`."""
    settings = " ".join(f"-s {name}={value}" for name, value in stand_in.settings(data_dir).items())
    site = stand_in.site
    return [
        f".venv/bin/scrapy crawl dw -a lang={DEMO_LANGUAGES} {settings}",
        f".venv/bin/newsbot run -a lang=en,de -a since=2026-01-01 {settings}",
        f".venv/bin/scrapy crawl dw -a start_urls={','.join(site.url(t) for t in topics)} "
        f"{settings}",
        f".venv/bin/newsbot check -a lang={DEMO_LANGUAGES} {settings}",
        f".venv/bin/newsbot status --data-dir {data_dir}",
        f".venv/bin/newsbot report --data-dir {data_dir} --out {data_dir}/report.html",
    ]
