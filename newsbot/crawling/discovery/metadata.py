"""What a sitemap or feed entry says of its article, kept on the request to fill gaps in the page.

Only three fields, and only where the extracted page left them empty: `title` (news:title or
the feed item's title), `published` (news:publication_date or the feed item's date) and
`topics` (news:keywords). The page is the better source whenever it has the field; the entry
saves an article whose page lacks a headline from being dropped. The extraction fills them
(`newsbot.extraction.pages.read_article_page`, its `fallback`), before it judges the page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

# Request.meta key of the entry's metadata: {"title": str, "published": datetime, "topics": [...]}.
ENTRY_META_KEY = "newsbot_entry"


def entry_meta(
    title: str | None, published: datetime | None, topics: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The Request.meta part carrying an entry's metadata ({} when it says nothing)."""
    found = {"title": title, "published": published, "topics": list(topics)}
    fields = {name: value for name, value in found.items() if value}
    return {ENTRY_META_KEY: fields} if fields else {}
