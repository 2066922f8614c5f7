"""Who a text's closing lines credit: labelled credit lines and the agency line.

DW articles end with credits that are metadata, not text: `Edited by: Wesley Dockery`,
`Autorin: Anna Beispiel / Redaktion: Jonas Muster`, and the editors' initials with the agencies
(`ls/kms (Reuters, AP, dpa)`). `credits_in` and `agencies_in` read one line each and say None
when the line is text; the noise rules (newsbot.extraction.cleaning) drop a line they read and
keep the names and agencies for the item. The labels are the editions' (newsbot.editions).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from newsbot.editions import all_labels
from newsbot.extraction.processors import AUTHOR_SEPARATORS, ORGANISATION_NAMES

# ASCII, full-width (CJK), Ethiopic preface colon, Devanagari visarga (hi)
COLONS = ":：፦ः"


def alternatives(labels: Iterable[str]) -> str:
    """A regex alternation of literal labels."""
    return "|".join(re.escape(label) for label in labels)


# --- credit lines: "Edited by: ...", "Autor: ..." --------------------------------------------



def fold_accents(text: str) -> tuple[str, list[int]]:
    """`text` without the accents of Latin letters (`Édition` -> `Edition`), and for each
    character of the result (and its end) the index in `text` it comes from.

    Credit labels are written with and without their accents (`Édition :`, `Edition :`, even
    in one edition), so labels are matched on folded text; names are cut from `text` itself.
    Only the combining diacritics of U+0300-U+036F go: the vowel signs of Devanagari or Arabic
    are letters of their labels.
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFD", char):
            if not "\u0300" <= part <= "\u036f":
                folded.append(part)
                origin.append(index)
    origin.append(len(text))
    return "".join(folded), origin


def _label_key(label: str) -> str:
    return fold_accents(label)[0].casefold()


_CREDIT_KIND = {
    **{_label_key(label): "authors" for label in all_labels("authors")},
    **{_label_key(label): "editors" for label in all_labels("editors")},
}
# A label at the start of the line or after a separator, then a colon ("Edited by" may go
# without one: "Edited by Wesley Dockery"); matched on the line without accents, in any case,
# with or without spaces (also no-break ones) before the colon.
_CREDIT_LABEL = re.compile(
    rf"(?:^|(?<=[\s/|;,.]))(?:(?P<by>edited by)\s*[{COLONS}]?"
    rf"|(?P<label>{alternatives(sorted(_CREDIT_KIND, key=lambda k: (-len(k), k)))})"
    rf"\s*[{COLONS}])\s*",
    re.IGNORECASE,
)
MAX_CREDIT_LENGTH = 200
_NOT_IN_NAMES = re.compile(r"[\d\"“”«»!?()\[\]:]")
_NAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "das", "dos", "do", "du", "di", "del", "la", "le",
     "al", "el", "bin", "ibn", "zu", "ter", "ten", "y", "e"}
)
_MAX_NAME_WORDS = 5


def _names(text: str) -> list[str] | None:
    """The person names of a credit, or None when the text is not a list of names.

    A name has at most five words, no digits, quotes or sentence punctuation, and in scripts
    with letter case every word but a particle (`van`, `de`, `bin`, ...) is capitalised: so
    "Редактор: это профессия" is text, "Edited by: Wesley Dockery" a credit.
    """
    if _NOT_IN_NAMES.search(text):
        return None
    names: list[str] = []
    for part in AUTHOR_SEPARATORS.split(text.strip(" .")):
        name = part.strip(" .")
        if not name or name.casefold() in ORGANISATION_NAMES:
            continue
        words = name.split()
        if len(words) > _MAX_NAME_WORDS:
            return None
        for index, word in enumerate(words):
            first = word[0]
            particle = index > 0 and word.casefold() in _NAME_PARTICLES
            if first.islower() and not particle and not word.startswith(("al-", "el-")):
                return None
        names.append(name)
    return names or None


def credits_in(line: str) -> dict[str, list[str]] | None:
    """The names a labelled credit line gives, by kind (`authors`, `editors`), or None.

    The whole line must be credits: `Edited by: Wesley Dockery`, `Autor: Max Muster`,
    `Autorin: Anna Beispiel / Redaktion: Jonas Muster`, `रिपोर्टः ओंकार सिंह`.
    """
    if len(line) > MAX_CREDIT_LENGTH:
        return None
    folded, origin = fold_accents(line)
    if not _CREDIT_LABEL.match(folded):
        return None
    labels = list(_CREDIT_LABEL.finditer(folded))
    found: dict[str, list[str]] = {}
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        end = origin[following.start()] if following is not None else len(line)
        names = _names(line[origin[label.end()]:end].strip(" /|;,"))
        if names is None:
            return None
        kind = "editors" if label["by"] else _CREDIT_KIND[label["label"].casefold()]
        found.setdefault(kind, []).extend(names)
    return found


# --- the closing agency line: "ls/kms (Reuters, AP, dpa)" ------------------------------------

# Agencies by every spelling DW uses for them, to one name each.
AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "rtr", "rtre", "رويترز", "رویترز", "Рейтер", "Рейтерс", "路透社",
                "रॉयटर्स", "রয়টার্স", "روئٹرز"),
    "AFP": ("AFP", "أ ف ب", "ا ف ب", "أ.ف.ب", "خبرگزاری فرانسه", "АФП", "Франс Пресс",
            "法新社", "एएफपी", "এএফপি", "اے ایف پی"),
    "AP": ("AP", "أ ب", "آسوشیتدپرس", "Ассошиэйтед Пресс", "美联社", "美聯社", "एपी", "এপি",
           "اے پی"),
    "dpa": ("dpa", "د ب أ", "د.ب.أ", "د پ ا", "ДПА", "德新社", "डीपीए", "ডিপিএ", "ڈی پی اے"),
    "KNA": ("KNA",), "epd": ("epd",), "EFE": ("EFE",), "ANSA": ("ANSA",), "Lusa": ("Lusa",),
    "SID": ("SID",), "Anadolu": ("Anadolu", "AA"), "Xinhua": ("Xinhua", "新华社", "新華社"),
    "TASS": ("TASS", "ТАСС"), "Interfax": ("Interfax", "Интерфакс"), "UPI": ("UPI",),
    "IPS": ("IPS",), "IRNA": ("IRNA", "ایرنا"), "ISNA": ("ISNA", "ایسنا"), "epa": ("epa",),
    "APA": ("APA",), "ddp": ("ddp",), "dapd": ("dapd",), "Europa Press": ("Europa Press",),
    "Agência Brasil": ("Agência Brasil",), "PAP": ("PAP",), "Ukrinform": ("Ukrinform", "Укрінформ"),
}
_AGENCY_BY_SPELLING = {
    " ".join(spelling.casefold().split()): name
    for name, spellings in AGENCY_NAMES.items() for spelling in spellings
}
_MAX_INITIALS_LENGTH = 3


def person_name(name: str) -> str | None:
    """`name`, or None when a byline part is not a person: an agency (`عاطف بلوچ، روئٹرز`
    credits Reuters beside the author) or bare initials (`АГ/Бистра Узунова`)."""
    if " ".join(name.casefold().split()) in _AGENCY_BY_SPELLING:
        return None
    if len(name) <= _MAX_INITIALS_LENGTH and name.isupper():
        return None
    return name


# Letters, dots, ZWNJ and the vowel signs of Indic scripts (`आरपी`, `এসি`), up to 8 in all.
_INITIALS = r"[^\W\d_][\w.'\u200c\u0900-\u0dff]{0,7}"
# Editors' initials: one set ("XY") or several joined by "/" ("ls/kms", "ع.ج/ ح.ز").
_INITIALS_GROUP = re.compile(rf"{_INITIALS}(?:\s*/\s*{_INITIALS}){{0,4}}")
_BARE_CREDIT = re.compile(rf"(?P<initials>{_INITIALS_GROUP.pattern})\s+(?P<agencies>.+)")
_AGENCY_SEPARATORS = re.compile(r"\s*[,،、;/]\s*|\s+(?:and|und|et|y|e|и|і|ve|و)\s+")
_MAX_AGENCY_WORDS = 4
_MAX_AGENCY_LINE = 160
_MAX_BARE_AGENCY_LINE = 60  # "ab/cd afp/rtr": a bare credit is short


def agencies_in(line: str) -> list[str] | None:
    """The agencies of a closing credit line, by their usual names, or None when it is not one.

    Forms: `ls/kms (Reuters, AP, dpa)`, `XY (dpa, KNA)`, `(dpa, AFP)`, `ab/cd afp/rtr`,
    `ع.ج/ ح.ز (أ ف ب، رويترز)`. Agencies in parentheses after several editors' initials are
    taken whatever they are (`jcg/kb (Xinhua News)`); in every other form each agency must be a
    known one, so `Putin (Kremlin)` is text. A real sentence ending in "(Reuters)" never
    matches: its words before the parenthesis are not initials.
    """
    line = line.rstrip(" .")
    if len(line) > _MAX_AGENCY_LINE:
        return None
    if line.endswith(")"):
        opening = line.rfind("(")
        prefix = line[:opening].strip()
        if opening < 0 or (prefix and not _are_initials(prefix)):
            return None
        return _agencies(line[opening + 1:-1], any_agency="/" in prefix)
    if len(line) > _MAX_BARE_AGENCY_LINE or not _may_end_in_agency(line):
        return None
    bare = _BARE_CREDIT.fullmatch(line)
    return _agencies(line, any_agency=False) or (
        _agencies(bare["agencies"], any_agency=False)
        if bare and _are_initials(bare["initials"]) else None
    )


# The last word of every spelling of an agency, casefolded; the characters that separate
# agencies in a list (_AGENCY_SEPARATORS also separates by words such as "und" between spaces).
_AGENCY_LAST_WORDS = frozenset(spelling.split()[-1].casefold() for spelling in _AGENCY_BY_SPELLING)
_AGENCY_SEPARATORS_TO_SPACE = str.maketrans(",،、;/", "     ")


def _may_end_in_agency(line: str) -> bool:
    """Whether any word of the line could end an agency's name, which the last agency of a bare
    credit does: a cheap test before the patterns split and match a short heading."""
    words = line.translate(_AGENCY_SEPARATORS_TO_SPACE).casefold().split()
    return any(word.strip(" .") in _AGENCY_LAST_WORDS for word in words)


def _are_initials(text: str) -> bool:
    """Editors' initials: letters in one case each (`ls/kms`, `XY`, `ИП/ОК`, `ع.ج/ ح.ز`), so a
    capitalised word (`Putin (Kremlin)`, `Die dpa`) is never taken for them."""
    return bool(_INITIALS_GROUP.fullmatch(text)) and all(
        token.strip() in (token.strip().lower(), token.strip().upper())
        for token in text.split("/")
    )


def _agencies(listed: str, any_agency: bool) -> list[str] | None:
    """The agencies of a list, by their usual names; None unless all are known (or any_agency)."""
    parts = [part.strip(" .") for part in _AGENCY_SEPARATORS.split(listed)]
    parts = [part for part in parts if part]
    if not parts or any(len(part.split()) > _MAX_AGENCY_WORDS or "(" in part for part in parts):
        return None
    names: list[str] = []
    for part in parts:
        name = _AGENCY_BY_SPELLING.get(" ".join(part.casefold().split()))
        if name is None and not any_agency:
            return None
        names.append(name or part)
    return names


