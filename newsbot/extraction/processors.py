"""Reusable value processors for the article item loader.

Each function takes one raw value as a page yields it (DOM text, JSON-LD string, meta content)
and returns the normalised value, or None to drop it. They are plain functions so that the loader,
the text cleaner and tests share exactly one implementation of each rule.

Timestamps are written as ISO 8601 in UTC with a `Z` suffix and millisecond precision when the
source has fractions (`2024-01-30T14:13:12.269Z`, `2024-01-30T14:00:00Z`); a value that only
names a day is written as `YYYY-MM-DD`, because inventing midnight would claim a precision the
page does not give.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, date, datetime
from typing import Any

import ftfy
from dateparser.date import DateDataParser

# ftfy repairs mojibake (UTF-8 read as cp1252: `â€¦` -> `…`), but must not "fix" legitimate text:
# full-width punctuation is correct in Chinese/Japanese editions and ligatures are the author's.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    uncurl_quotes=False,
)
# UTF-8 read as cp1252/latin-1 always leaves a lead char (Â-ô) before a continuation char
# (\x80-\xbf or its cp1252 stand-ins such as €, ™, –, …). Clean text, umlauts included, never
# matches, so ftfy (the costliest step) only runs on text that may need it.
_MOJIBAKE_LEADS = "".join(chr(code) for code in range(0xC2, 0xF5))
_MOJIBAKE_CONTINUATIONS = "".join(chr(code) for code in range(0x80, 0xC0)) + (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019"
    "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)


def _utf8_alternatives(chars: str) -> bytes:
    """The chars' UTF-8 encodings as one group, those sharing all but their last byte as one
    branch with a byte class (`\\xc3[\\x82-\\xb4]`): the regex engine tries a group's branches
    one after the other, and one branch per char made each lead char a hundred tries."""
    branches: dict[bytes, list[int]] = {}
    for char in chars:
        encoded = char.encode()
        branches.setdefault(encoded[:-1], []).append(encoded[-1])
    return b"(?:" + b"|".join(
        re.escape(prefix) + b"[" + b"".join(re.escape(bytes([last])) for last in lasts) + b"]"
        for prefix, lasts in branches.items()
    ) + b")"


# The same pair test run on the text's UTF-8 bytes: every lead char encodes as \xc3 and a byte,
# so the regex engine skips to each \xc3 with a fast literal scan instead of testing a character
# class at every position (about twice as fast on a paragraph, which matters: every paragraph of
# every page with a non-ASCII character goes through it).
_MOJIBAKE_HINT = re.compile(
    _utf8_alternatives(_MOJIBAKE_LEADS) + _utf8_alternatives(_MOJIBAKE_CONTINUATIONS)
)
# Every lead char (U+00C2-U+00F4) starts with this byte in UTF-8.
_LEAD_BYTE = b"\xc3"


def _may_be_mojibake(text: str) -> bool:
    """Whether the text holds a lead char before a continuation char (see _MOJIBAKE_HINT).

    A byte search for the lead chars' first UTF-8 byte answers most texts, Cyrillic, Arabic or
    CJK ones among them, without starting the pattern.
    """
    encoded = text.encode("utf-8", "surrogatepass")
    return _LEAD_BYTE in encoded and _MOJIBAKE_HINT.search(encoded) is not None


_INVISIBLE = re.compile("[\u200b\u00ad\ufeff]")  # zero-width space, soft hyphen, BOM

# `Title – DW – 30.01.2024` (current design), `Title | DW | 28.09.2016` (legacy), `Title | DW`.
_TITLE_SUFFIX = re.compile(
    r"(?:^|\s+)[|–—-]\s+DW(?:\.COM)?(?:\s+[|–—-]\s+\d{1,2}\.\d{1,2}\.\d{2,4})?\s*$", re.IGNORECASE
)

# Separators between several names in one byline or credit: punctuation, and the word "and" in
# DW's editions (lower case only, so that a name such as "Dan" is never a separator; not "da",
# which is part of names like "Lula da Silva").
AUTHOR_SEPARATORS = re.compile(
    r"\s*[|,،;/&、]\s*|\s+(?:und|and|et|y|e|i|і|и|та|ve|و|và|na|dhe|și|και|és|dan|और|ও|এবং"
    r"|اور|እና|او)\s+"
)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
ORGANISATION_NAMES = frozenset(
    {"dw", "deutsche welle", "dw.com", "www.dw.com", "deutsche welle (www.dw.com)", "dw news"}
)

# Eastern Arabic (Arabic) and extended Arabic-Indic (Persian, Urdu) digits -> ASCII digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?P<time>[T ]\d{2}:\d{2}.*)?$")
_NUMERIC_DATE = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$")
# The 2026 English header shows `06/14/2026`: month first in English, day first elsewhere.
_SLASH_DATE = re.compile(r"^(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})$")
_MAX_MONTH = 12


def normalize_text(value: object) -> str | None:
    """Decode entities, repair mojibake, collapse whitespace (NBSP included); None when empty."""
    if value is None:
        return None
    text = str(value)
    if "&" in text:
        text = html.unescape(text)
    # Mojibake and invisible characters are non-ASCII: an ASCII line (most English paragraphs)
    # skips both scans, and substring tests spare the substitution when there is nothing to drop.
    if not text.isascii():
        if _may_be_mojibake(text):
            text = ftfy.fix_text(text, _FTFY_CONFIG)
        if "\u200b" in text or "\u00ad" in text or "\ufeff" in text:
            text = _INVISIBLE.sub("", text)
    # Only the ASCII space is both whitespace and printable, so a printable text without double
    # or outer spaces is already collapsed: one C scan instead of splitting it into words.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None
    # str.split() splits on all Unicode whitespace (NBSP, thin spaces, line breaks) and is far
    # cheaper than a regex over every paragraph.
    return " ".join(text.split()) or None


def strip_title_suffix(title: str) -> str:
    """Remove the site suffix DW appends to og:title and <title> (` – DW – 30.01.2024`).

    The suffix ends in `DW`, `.COM` or a digit: a title ending otherwise (nearly all JSON-LD
    headlines) is spared the pattern, which is tried at every position of the title.
    """
    last = title.rstrip()[-1:]
    if last in ("w", "W", "m", "M") or last.isdecimal():
        title = _TITLE_SUFFIX.sub("", title)
    return title.strip()


def split_authors(value: str) -> list[str]:
    """Split a byline into person names and drop the organisation (`DW`, `Deutsche Welle`).

    What a byline adds in parentheses (`Anna Muster (Kyiv)`, `Max Beispiel (mit dpa)`) is not a
    name and goes first.
    """
    if "(" in value:
        value = _PARENTHESES.sub(" ", value)
    names = (part.strip(" .") for part in AUTHOR_SEPARATORS.split(value))
    return [name for name in names if name and name.casefold() not in ORGANISATION_NAMES]


def format_instant(moment: datetime) -> str:
    """ISO 8601 in UTC with `Z`; naive datetimes are taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if moment.microsecond % 1000:
        timespec = "microseconds"
    elif moment.microsecond:
        timespec = "milliseconds"
    else:
        timespec = "seconds"
    return moment.isoformat(timespec=timespec).replace("+00:00", "Z")


def normalize_date(value: object, loader_context: dict[str, Any] | None = None) -> str | None:
    """Normalise a page date to an ISO instant (UTC) or to `YYYY-MM-DD` when no time is given.

    Fast paths handle ISO 8601 (JSON-LD, page state), DW's numeric `28.09.2016` and the 2026
    English `06/14/2026` (month first in English, day first in other languages, unless the
    numbers allow one order only); anything
    else ("30. Januar 2024", "vor 3 Stunden") goes through dateparser in the page language,
    relative to `loader_context["relative_base"]` (the response's Date header). Unparseable
    values return None instead of raising, so a bad date cannot lose the whole article.
    """
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, date):
        return value.isoformat()
    text = normalize_text(value)
    if not text:
        return None
    if not text.isascii():  # Arabic-Indic digits to ASCII
        text = text.translate(_DIGITS)
    if iso := _ISO_DATE.match(text):
        if not iso["time"]:
            return text[:10]
        try:
            return format_instant(datetime.fromisoformat(text))
        except ValueError:
            pass  # not quite ISO: let dateparser try
    context = loader_context or {}
    if numeric := _NUMERIC_DATE.match(text):
        return _day(numeric["year"], numeric["month"], numeric["day"])
    if slashed := _SLASH_DATE.match(text):
        first, second = int(slashed["first"]), int(slashed["second"])
        month_first = (context.get("language") or "").startswith("en")
        if first > _MAX_MONTH or (second <= _MAX_MONTH and not month_first):
            return _day(slashed["year"], second, first)
        return _day(slashed["year"], first, second)
    return _parse_localized(text, context.get("language"), context.get("relative_base"))


def _day(year: str | int, month: str | int, day: str | int) -> str | None:
    """`YYYY-MM-DD`, or None for a day that does not exist (`31.02.2024`)."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _parse_localized(text: str, language: str | None, relative_base: datetime | None) -> str | None:
    """Parse a localized or relative date with dateparser; None when it cannot be read."""
    settings: dict[str, Any] = {
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,  # period "time" tells a known time from a bare day
    }
    if relative_base is not None:
        if relative_base.tzinfo is not None:
            relative_base = relative_base.astimezone(UTC).replace(tzinfo=None)
        settings["RELATIVE_BASE"] = relative_base
    languages = [language.split("-")[0]] if language else None
    try:
        parser = DateDataParser(languages=languages, settings=settings)
    except ValueError:  # a language dateparser does not know: let it detect one
        parser = DateDataParser(settings=settings)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    if data.period == "time":
        return format_instant(data.date_obj)
    return data.date_obj.date().isoformat()


class Dedupe:
    """Output processor: drop empty values and case-insensitive repeats, keeping first order."""

    def __init__(self, key: Callable[[Any], Hashable] = lambda value: str(value).casefold()):
        self.key = key

    def __call__(self, values: Iterable[Any]) -> list[Any]:
        seen: set[Hashable] = set()
        kept: list[Any] = []
        for value in values:
            if value is None or value == "":
                continue
            marker = self.key(value)
            if marker not in seen:
                seen.add(marker)
                kept.append(value)
        return kept
