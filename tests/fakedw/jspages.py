"""Topic pages whose teasers arrive by JavaScript, as on dw.com's "Show more" listings.

A plain HTTP client sees only the server-rendered teasers; a browser runs the page's script,
which fetches further teasers from a JSON feed on the same fake site (`<feed>?page=N`): page 0
right after load, each next page when the "Show more" button is clicked (or, with
`trigger="scroll"`, when the page is scrolled to the bottom). Every feed fetch lands in the
site's request log, so a test sees exactly what the browser asked for.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from tests.fakedw.server import FakeDwSite, Reply

# Seconds each feed reply waits: the teasers arrive after the click, as over a real network.
FEED_DELAY = 0.2


@dataclass(frozen=True)
class JsListing:
    """A JavaScript topic page: what the server renders, and what the feed adds page by page."""

    path: str
    feed_path: str
    server_hrefs: list[str]
    feed_pages: list[list[str]]  # [on load, after 1st click/scroll, after 2nd, ...]

    def all_hrefs(self) -> list[str]:
        return self.server_hrefs + [href for page in self.feed_pages for href in page]


def js_listing_page(
    title: str,
    server_hrefs: list[str],
    feed_path: str,
    lang: str = "en",
    button_label: str = "Show more",
    trigger: str = "button",
) -> str:
    """The topic page: server-rendered teasers, a hidden "more" button and the loader script."""
    teasers = "".join(
        f'<div class="sc-teaser"><a href="{html.escape(href)}"><h3>Teaser {i}</h3></a></div>'
        for i, href in enumerate(server_hrefs)
    )
    config = json.dumps({"feed": feed_path, "trigger": trigger})
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(title)} | DW</title></head><body><div id="root">
<nav><a href="/{lang}/top-stories/s-9097">Top stories</a></nav>
<main><h1>{html.escape(title)}</h1><div id="teasers">{teasers}</div>
<button type="button" class="sc-kUYusK gFuOjt" hidden><span>{html.escape(button_label)}</span></button>
<div style="height:3000px"></div></main></div>
<script>
(function () {{
  var config = {config};
  var box = document.getElementById("teasers");
  var more = document.querySelector("main button");
  var page = 0, loading = false, exhausted = false;
  function add(hrefs) {{
    hrefs.forEach(function (href) {{
      var teaser = document.createElement("div");
      teaser.className = "sc-teaser";
      var link = document.createElement("a");
      link.href = href;
      link.innerHTML = "<h3>Teaser</h3>";
      teaser.appendChild(link);
      box.appendChild(teaser);
    }});
  }}
  function load() {{
    if (loading || exhausted) return;
    loading = true;
    fetch(config.feed + "?page=" + page).then(function (r) {{ return r.json(); }})
      .then(function (data) {{
        add(data.hrefs);
        page += 1;
        loading = false;
        exhausted = !data.more;
        more.hidden = config.trigger !== "button" || exhausted;
      }});
  }}
  more.addEventListener("click", function () {{ more.hidden = true; load(); }});
  if (config.trigger === "scroll") {{
    window.addEventListener("scroll", function () {{
      if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 50) load();
    }});
  }}
  load();
}})();
</script></body></html>
"""


def add_js_listing(
    site: FakeDwSite,
    path: str,
    server_hrefs: list[str],
    feed_pages: list[list[str]],
    button_label: str = "Show more",
    trigger: str = "button",
) -> JsListing:
    """Serve a JavaScript topic page at `path` and its teaser feed at `<path>/teasers.json`."""
    lang = path.strip("/").split("/")[0]
    feed_path = path.rstrip("/") + "/teasers.json"
    body = js_listing_page("Topic", server_hrefs, feed_path, lang, button_label, trigger)
    site.add_route(path, Reply(body=body.encode("utf-8")))

    def feed(raw_path: str) -> Reply:
        query = parse_qs(urlsplit(raw_path).query)
        page = int(query.get("page", ["0"])[0])
        hrefs = feed_pages[page] if page < len(feed_pages) else []
        data = {"hrefs": hrefs, "more": page + 1 < len(feed_pages)}
        return Reply(
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
            delay=FEED_DELAY,
        )

    site.add_route(feed_path, feed)
    return JsListing(path, feed_path, server_hrefs, feed_pages)
