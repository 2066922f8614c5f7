"""Deterministic DW-shaped articles for the benchmarks, in both page designs.

Sizes follow real DW articles (8 to 20 paragraphs of two to five sentences, a few subheadings'
worth of text, German and English), so the per-page figures are not flattered by tiny pages.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime, timedelta

from tests.fakedw.pages import FakeArticle

_TEXT = (
    "government minister Berlin Bundestag coalition budget election voters climate energy "
    "Ukraine Russia talks ceasefire refugees border economy inflation growth workers union "
    "strike railway Deutsche Bahn report official spokesperson Monday Tuesday according "
    "percent million billion euros police protest court ruling constitutional Länder Bürger "
    "Straße Grüne Öffentlichkeit Maßnahmen über für während the of and to in that with"
)
_WORDS = tuple(_TEXT.split())
_AUTHORS = ("Jane Doe", "Jennifer Pahlke", "Klaus Müller", "Ana Ribeiro", "Tom Allinson")
_TOPICS = ("Germany", "Europe", "Climate", "Economy", "Politics", "Ukraine", "Society")
FIRST_CONTENT_ID = 60_000_000
# index % 8 in these slots: legacy design (one odd, one even: both languages get legacy pages).
_LEGACY_SLOTS = (3, 6)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(ascii_title.lower().split()[:6])


def bench_article(index: int) -> FakeArticle:
    """Article number `index`: the same content for the same index, every run.

    Odd indexes are German, even ones English; a quarter of each has the legacy design.
    """
    rng = random.Random(index)
    lang = "de" if index % 2 else "en"
    title = _sentence(rng).rstrip(".")[:90]
    return FakeArticle(
        content_id=FIRST_CONTENT_ID + index * 7,
        slug=_slug(title),
        title=title,
        summary=_sentence(rng) + " " + _sentence(rng),
        paragraphs=[_paragraph(rng) for _ in range(rng.randint(8, 20))],
        lang=lang,
        authors=rng.sample(_AUTHORS, rng.randint(1, 2)),
        published=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=97 * index),
        topics=rng.sample(_TOPICS, 3),
        design="legacy" if index % 8 in _LEGACY_SLOTS else "current",
    )


def bench_articles(count: int) -> list[FakeArticle]:
    """`count` articles, indexes 0..count-1."""
    return [bench_article(index) for index in range(count)]
