"""The plain-text cleaner and the value processors, rule by rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsbot.extraction.cleaning import agencies_in, clean_text, is_noise_line
from newsbot.extraction.loaders import ArticleLoader
from newsbot.extraction.processors import (
    Dedupe,
    format_instant,
    normalize_date,
    normalize_text,
    split_authors,
    strip_title_suffix,
)

# A naive extraction of a legacy page (all text under div.longText), modelled on the README one.
NAIVE_EXTRACTION = """\
Rescue teams reached the flooded villages along the river on Sunday, according to local officials.
Watch video 01:47 Share Rescue boats reach Mariupol villages Send Facebook Google+ Whatsapp Tumblr linkedin stumble Digg reddit del.icio.us Newsvine Permalink http://dw.com/p/2QhZz Floods: the view from above | DW
To view this video please enable JavaScript, and consider upgrading to a web browser that supports HTML5 video
Read more: Europe's rivers run dry

Dams under pressure
The regional governor said the dams were "holding for now â€¦ but not for long" and asked for help.
Bild: Max Muster/dpa/picture alliance
Lesen Sie auch: Hochwasser in Bayern
Every day, DW's editors send out a selection of the day's news. Sign up for the newsletter here.
Advertisement
Permalink https://p.dw.com/p/2QhZz
Engineers will inspect the\u00a0dams on\u00a0Monday.
ls/kms (Reuters, AP, dpa)
"""


def test_clean_text_keeps_only_article_lines() -> None:
    cleaned = clean_text(NAIVE_EXTRACTION)
    assert cleaned.paragraphs == [
        "Rescue teams reached the flooded villages along the river on Sunday, according to local "
        "officials.",
        "Dams under pressure",
        'The regional governor said the dams were "holding for now … but not for long" and asked '
        "for help.",
        "Engineers will inspect the dams on Monday.",
    ]
    assert cleaned.agencies == ["Reuters", "AP", "dpa"]
    assert cleaned.body == "\n\n".join(cleaned.paragraphs)


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Germany's colonial past",
        "Lesen Sie mehr: Die Lage in Kiew",
        "Lire aussi : La Lusace en sursis",
        "Lea también: Alemania y el carbón",
        "Leia também: O clima na Alemanha",
        "اقرأ أيضا: ألمانيا تبحث عن ممرضين",
        "بیشتر بخوانید: آلمان و نامیبیا",
        "Читайте также: Германия и уголь",
        "Video ansehen 02:17 Teilen Senden Facebook",
        "Regarder la vidéo 00:58 Partager",
        "Anzeige",
        "Share Send Facebook Twitter Whatsapp",
        "Alles streng im Blick: Kameras in Wahllokalen Bild: Shamil Zhumatov/REUTERS",
        "Abonnez-vous à notre newsletter",
    ],
)
def test_noise_lines(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Read more about the floods in the next days, officials said.",
        "The photo shows the dam: it held.",
        "Share prices fell sharply on Monday after the announcement.",
        "Anzeigen gegen Unbekannt wurden erstattet.",
    ],
)
def test_article_lines_are_not_noise(line: str) -> None:
    assert not is_noise_line(line)


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("ls/kms (Reuters, AP, dpa)", ["Reuters", "AP", "dpa"]),
        ("ab/rt (AFP, dpa)", ["AFP", "dpa"]),
        ("jcg/kb (Reuters)", ["Reuters"]),
        ("ع.ج/ ح.ز (أ ف ب، رويترز)", ["AFP", "Reuters"]),
        ("(dpa, AFP)", ["dpa", "AFP"]),
        ("Putin (Kremlin)", None),
        ("(Kremlin, Moscow)", None),
        ("He said (and he meant it, they say) no.", None),
    ],
)
def test_agency_line(line: str, agencies: list[str] | None) -> None:
    assert agencies_in(line) == agencies


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Russland-Wahl: Nadeschdin setzt auf ein Ende der Putin-Ära – DW – 30.01.2024",
         "Russland-Wahl: Nadeschdin setzt auf ein Ende der Putin-Ära"),
        ("Berlin confronts Germany's colonial past | DW | 28.09.2016",
         "Berlin confronts Germany's colonial past"),
        ("Aleppo: A drone's perspective | DW", "Aleppo: A drone's perspective"),
        ("DW-Interview: Why DW matters", "DW-Interview: Why DW matters"),
    ],
)
def test_title_suffix(raw: str, title: str) -> None:
    assert strip_title_suffix(raw) == title


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Roman Goncharenko", ["Roman Goncharenko"]),
        ("Anna Muster | Max Beispiel", ["Anna Muster", "Max Beispiel"]),
        ("Anna Muster, Max Beispiel, DW", ["Anna Muster", "Max Beispiel"]),
        ("Miriam Beispiel und Jonas Muster", ["Miriam Beispiel", "Jonas Muster"]),
        ("Marie Dupont et Paul Martin", ["Marie Dupont", "Paul Martin"]),
        ("Ben Knight / Deutsche Welle", ["Ben Knight"]),
        ("Deutsche Welle (www.dw.com)", []),
    ],
)
def test_split_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


DATE_HEADER = datetime(2024, 1, 30, 17, 0, tzinfo=UTC)  # Tue, 30 Jan 2024 17:00:00 GMT


@pytest.mark.parametrize(
    ("raw", "language", "normalized"),
    [
        ("2024-01-30T14:13:12.269Z", "de", "2024-01-30T14:13:12.269Z"),
        ("2024-01-30T15:13:12+01:00", "de", "2024-01-30T14:13:12Z"),
        ("2024-01-30", "de", "2024-01-30"),
        ("28.09.2016", "en", "2016-09-28"),
        ("\u06f1\u06f9.\u06f0\u06f1.\u06f2\u06f0\u06f2\u06f0", "fa", "2020-01-19"),  # Persian digits
        ("30. Januar 2024", "de", "2024-01-30"),
        ("30 janvier 2024", "fr", "2024-01-30"),
        ("vor 3 Stunden", "de", "2024-01-30T14:00:00Z"),
        ("3 hours ago", "en", "2024-01-30T14:00:00Z"),
        ("gestern", "de", "2024-01-29"),
        ("31.02.2024", "de", None),
        ("06/14/2026", "en", "2026-06-14"),  # the 2026 English header: month first
        ("06/05/2026", "en", "2026-06-05"),
        ("05/06/2026", "fr", "2026-06-05"),  # day first elsewhere
        ("14/06/2026", "en", "2026-06-14"),  # only one order possible
        ("13/13/2026", "en", None),
        ("kein Datum", "de", None),
    ],
)
def test_normalize_date(raw: str, language: str, normalized: str | None) -> None:
    context = {"language": language, "relative_base": DATE_HEADER}
    assert normalize_date(raw, loader_context=context) == normalized


def test_format_instant_is_utc_with_z() -> None:
    assert format_instant(datetime(2024, 1, 30, 14, 13, 12, 269000, tzinfo=UTC)) == (
        "2024-01-30T14:13:12.269Z"
    )
    assert format_instant(datetime(2024, 1, 30, 14, 13)) == "2024-01-30T14:13:00Z"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("He said â€¦ nothing", "He said … nothing"),
        ("fÃ¼r die RÃ©forme", "für die Réforme"),
        ("R&amp;D &quot;lab&quot;", 'R&D "lab"'),
        ("nine\u00a0metres\u202fnow \n\t later", "nine metres now later"),
        ("Gr\u00fc\u00dfe aus K\u00f6ln", "Grüße aus Köln"),
        ("\u00a0 \u200b ", None),
    ],
)
def test_normalize_text(raw: str, clean: str | None) -> None:
    assert normalize_text(raw) == clean


def test_dedupe_keeps_first_spelling_and_order() -> None:
    assert Dedupe()(["Berlin", "", None, "berlin", "Africa", "Berlin"]) == ["Berlin", "Africa"]


def test_loader_fills_every_field_and_applies_processors() -> None:
    loader = ArticleLoader(language="de", relative_base=DATE_HEADER)
    loader.add_value("title", ["", "Titel – DW – 30.01.2024", "Anderer Titel"])
    loader.add_value("authors", ["Anna Muster und DW", "anna muster"])
    loader.add_value("published", "vor 3 Stunden")
    loader.add_value("body", ["Erster Absatz.", "\u00a0", "Zweiter  Absatz."])
    item = loader.load_item()
    assert item["title"] == "Titel"
    assert item["authors"] == ["Anna Muster"]
    assert item["published"] == "2024-01-30T14:00:00Z"
    assert item["body"] == "Erster Absatz.\n\nZweiter Absatz."
    assert item["topics"] == [] and item["agencies"] == []
    assert item["modified"] is None and item["image"] is None


def test_body_of_deeply_nested_markup_is_read_without_recursion_limits() -> None:
    """A page nested far deeper than Python's recursion limit still yields its text."""
    from lxml import html as lxml_html

    from newsbot.extraction.cleaning import html_paragraphs

    depth = 5000
    root = lxml_html.fragment_fromstring("<div></div>")
    node = root
    for _ in range(depth):
        node = lxml_html.etree.SubElement(node, "div")
    leaf = lxml_html.etree.SubElement(node, "p")
    leaf.text = "Deep text."
    deep_span = lxml_html.etree.SubElement(leaf, "span")
    inner = deep_span
    for _ in range(depth):
        inner = lxml_html.etree.SubElement(inner, "span")
    inner.text = " and deeper."
    assert html_paragraphs(root) == ["Deep text. and deeper."]
