"""The closing lines of an article's text: credits, agencies and promos, in every form.

A rule that deletes a real sentence is worse than a missed promo: every rule here is tested on
what it must take and on look-alike article sentences it must leave alone.
"""

from __future__ import annotations

import random
import unicodedata

import pytest
from scrapy.http import HtmlResponse

from newsbot.editions import all_labels, wording
from newsbot.extraction import cleaning, credits
from newsbot.extraction.cleaning import clean_text, is_noise_line
from newsbot.extraction.credits import agencies_in, credits_in
from newsbot.extraction.loaders import ArticleLoader
from newsbot.extraction.pages import parse_article_page


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("ls/kms (Reuters, AP, dpa)", ["Reuters", "AP", "dpa"]),
        ("XY (dpa, KNA)", ["dpa", "KNA"]),
        ("ab/cd afp/rtr", ["AFP", "Reuters"]),
        ("AB/CD (AFP/Reuters)", ["AFP", "Reuters"]),
        ("lgc (efe, afp, reuters)", ["EFE", "AFP", "Reuters"]),
        ("ust/se (dpa, afp, epd).", ["dpa", "AFP", "epd"]),
        ("ИП/ОК (Reuters, AFP, dpa)", ["Reuters", "AFP", "dpa"]),
        ("आरएस/पीवी (डीपीए, एएफपी)", ["dpa", "AFP"]),
        ("(路透社、法新社)", ["Reuters", "AFP"]),
        ("م.ر/ ک.ب (رویترز، خبرگزاری فرانسه)", ["Reuters", "AFP"]),
        ("dpa/PAP", ["dpa", "PAP"]),
        ("jcg/kb (Xinhua News Agency)", ["Xinhua News Agency"]),  # several editors: any agency
    ],
)
def test_agency_line_in_every_form(line: str, agencies: list[str]) -> None:
    assert agencies_in(line) == agencies


@pytest.mark.parametrize(
    "line",
    [
        "The ministry confirmed the figures on Monday (Reuters).",
        "He was shot (Reuters)",
        "Putin (Kremlin)",
        "XY (Kremlin, Moscow)",  # one editor: only known agencies count
        "The vote (AFP, Reuters and dpa reported) was close.",
        "Die Regierung in Berlin (dpa)",
        "Reuters and AFP reported the figures first.",
        "Merkel (AFP)",
        "Die dpa",
    ],
)
def test_sentences_that_merely_mention_agencies_are_text(line: str) -> None:
    assert agencies_in(line) is None


def test_last_real_sentence_ending_with_reuters_stays_in_the_body() -> None:
    text = ("Flood waters receded on Tuesday.\n"
            "The ministry confirmed the figures on Monday (Reuters).\n"
            "ab/cd (AP, Reuters)")
    cleaned = clean_text(text)
    assert cleaned.paragraphs[-1] == "The ministry confirmed the figures on Monday (Reuters)."
    assert cleaned.agencies == ["AP", "Reuters"]


def test_page_whose_last_sentence_ends_with_reuters_keeps_it() -> None:
    html = """<html><head><link rel="canonical" href="https://www.dw.com/en/x/a-70200001">
    </head><body><article><header><h1>Floods recede</h1></header>
    <div class="rich-text"><p>Flood waters receded on Tuesday.</p>
    <p>The ministry confirmed the figures on Monday (Reuters).</p></div></article></body></html>"""
    response = HtmlResponse(url="https://www.dw.com/en/x/a-70200001", body=html.encode(),
                            encoding="utf-8")
    item = parse_article_page(response)
    assert item["body"].endswith("The ministry confirmed the figures on Monday (Reuters).")
    assert item["agencies"] == []


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("Edited by: Wesley Dockery", {"editors": ["Wesley Dockery"]}),
        ("Edited by Wesley Dockery and Rob Mudge", {"editors": ["Wesley Dockery", "Rob Mudge"]}),
        ("Redaktion: Jonas Muster", {"editors": ["Jonas Muster"]}),
        ("Édition : Claire Lefèvre", {"editors": ["Claire Lefèvre"]}),
        ("Edición: Pablo Ruiz", {"editors": ["Pablo Ruiz"]}),
        ("Редактор: Андрей Смирнов", {"editors": ["Андрей Смирнов"]}),
        ("Mhariri: Juma Mwangi", {"editors": ["Juma Mwangi"]}),
        ("责编：李明", {"editors": ["李明"]}),
        ("تحرير: هبة الحسيني", {"editors": ["هبة الحسيني"]}),
        ("संपादनः प्रिया वर्मा", {"editors": ["प्रिया वर्मा"]}),
        ("Autorin: Anna Beispiel / Redaktion: Jonas Muster",
         {"authors": ["Anna Beispiel"], "editors": ["Jonas Muster"]}),
        ("Autorka: Anna Kowalska", {"authors": ["Anna Kowalska"]}),
        ("Автор: Олена Коваль і Тарас Мельник", {"authors": ["Олена Коваль", "Тарас Мельник"]}),
        ("Autor: Ludwig van Beethoven", {"authors": ["Ludwig van Beethoven"]}),
    ],
)
def test_credit_lines(line: str, credits: dict[str, list[str]]) -> None:
    assert credits_in(line) == credits


@pytest.mark.parametrize(
    "line",
    [
        "Редактор: это профессия, которая исчезает.",
        "Edited by hand, the manuscript took years.",
        "Redaktion: 30 Leute arbeiten hier.",
        "Autor: Warum ich nicht mehr schreibe?",
        "Editor: the one who decides what goes in",
        "He said: Edited by: nobody.",
    ],
)
def test_sentences_with_a_credit_label_are_text(line: str) -> None:
    assert credits_in(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Čitajte nas i preko DW-aplikacije za Android i iOS.",
        "Pratite nas i na Facebooku i Instagramu.",
        "Read us on the DW app.",
        "Choose from 30 languages",
        "DW中文有Instagram！欢迎搜寻dw.chinese，看更多深入浅出的图文与影音报导。",
        "© 2026年德国之声版权声明：本文所有内容受到著作权法保护。",
        "© Deutsche Welle Türkçe",
        "Siga-nos no Facebook | X | YouTube | Instagram",
        "Listen to our podcast and subscribe wherever you get your podcasts.",
        "Print",
        "Реклама",
        "延伸阅读：德国汽车业的转型",
        "Baca juga: Jerman dan Indonesia",
        "Фото: Kay Nietfeld/dpa/picture alliance",
        "ምስል፦ Michael Tewelde/AFP",
        "Imagen: Jan Woitas/dpa",
        "Bild: Max Muster/dpa",
    ],
)
def test_promo_credit_and_tool_lines_in_several_editions(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Read us carefully: the law changes in May.",
        "The app store rules changed on Monday, the DW app team said.",
        "Pratite, molim vas, ovu priču do kraja.",
        "Реклама на телевидении стала дороже.",
        "Print media lost readers again in 2025.",
        "Die Fotos zeigen: Das Wasser steigt.",
    ],
)
def test_article_sentences_near_those_rules_are_not_noise(line: str) -> None:
    assert not is_noise_line(line)


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("عاطف بلوچ، روئٹرز", ["عاطف بلوچ"]),  # the agency credited beside the author
        ("АГ/Бистра Узунова/Мария Илчева", ["Бистра Узунова", "Мария Илчева"]),  # initials
        ("张伟", ["张伟"]),  # a two-character name in a script without case
        ("Li Na", ["Li Na"]),
    ],
)
def test_bylines_keep_people_only(byline: str, authors: list[str]) -> None:
    loader = ArticleLoader()
    loader.add_value("authors", byline)
    assert loader.load_item()["authors"] == authors


def test_bare_credit_shortcut_never_refuses_a_credit_the_patterns_accept() -> None:
    """`agencies_in` refuses a short line at once unless a word of it can end an agency's name;
    on seeded random lines of agency spellings, initials, separators and words, every line the
    patterns accept passes that test."""
    spellings = [spelling for names in credits.AGENCY_NAMES.values() for spelling in names]
    parts = [*spellings, ",", "،", "、", ";", "/", " und ", " and ", " و ", " e ", " ", ".",
             "ls/kms", "XY", "ab/cd", "ع.ج/ ح.ز", "Putin", "Wer", "ist", "dpa.", "AFP,"]
    rng = random.Random(18)
    accepted = 0
    for _ in range(20_000):
        line = " ".join("".join(rng.choice(parts) for _ in range(rng.randint(1, 6))).split())
        bare = credits._BARE_CREDIT.fullmatch(line)
        found = credits._agencies(line, any_agency=False) or (
            credits._agencies(bare["agencies"], any_agency=False)
            if bare and credits._are_initials(bare["initials"]) else None
        )
        if found:
            accepted += 1
            assert credits._may_end_in_agency(line), line
    assert accepted > 1000  # the generator does produce credits


def test_noise_pattern_gates_never_hide_a_match() -> None:
    """The searching patterns of `is_noise_line` run only when their gate word is in the line's
    lowered bytes, and the image-credit pattern only from its label before the last colon; on
    seeded random lines every match of the plain patterns passes its gate."""
    labels = list(all_labels("image_credits"))
    parts = [*labels, ":", "：", "፦", "ः", " ", "x", "Max Muster/dpa", "Permalink",
             "https://p.dw.com/p/4boRv", "DW.COM/P/x", "HTML5", "JavaScript", "javaſcript",
             "Newsletter", "neſletter", "podCast", "sign up", "Abonnieren", "5", "/", "İ", "ı"]
    rng = random.Random(18)
    matched = 0
    for _ in range(20_000):
        line = " ".join("".join(rng.choice(parts) for _ in range(rng.randint(1, 8))).split())
        folded = cleaning._folded_for_ascii_words(line)
        for pattern, gate in (
            (cleaning._PERMALINK_LINE, b"dw.com/p/" in folded),
            (cleaning._JS_NOTICE, b"html5" in folded),
            (cleaning._NEWSLETTER, b"newsletter" in folded or b"podcast" in folded),
        ):
            if pattern.search(line):
                matched += 1
                assert gate, (pattern.pattern[:30], line)
        if cleaning._has_colon(line):
            expected = cleaning._IMAGE_CREDIT.search(line) is not None
            matched += expected
            assert cleaning._is_image_credit(line) == expected, line
    assert matched > 500  # the generator does produce matches (958 with this seed)


def _wordings(label: str) -> list[str]:
    """A label as DW's editions write it: as in the table, without its accents, in capitals,
    in lower case, with a space (or a no-break space) before the colon."""
    bare = "".join(  # the accents of Latin letters (a hamza is part of an Arabic letter)
        c for c in unicodedata.normalize("NFD", label) if not "\u0300" <= c <= "\u036f"
    )
    bare = unicodedata.normalize("NFC", bare)
    return [f"{label}:", f"{bare}:", f"{bare.upper()} :", f"{label.lower()}\u00a0:", f"{bare} :"]


@pytest.mark.parametrize(
    ("kind", "edition", "label"),
    [("authors", edition, label) for edition, labels in wording("authors").items() for label in labels]
    + [("editors", edition, label) for edition, labels in wording("editors").items()
       for label in labels],
)
def test_every_editions_credit_labels_match_in_any_wording(
    kind: str, edition: str, label: str
) -> None:
    for written in _wordings(label):
        assert credits_in(f"{written} Anna Beispiel") == {kind: ["Anna Beispiel"]}, written
    assert credits_in("Edition : M-A. Pioerron") == {"editors": ["M-A. Pioerron"]}
    assert credits_in("Autorin: Zoë Ångström / REDAKTION : Jonas Müller") == {
        "authors": ["Zoë Ångström"], "editors": ["Jonas Müller"],
    }
