"""What is not article text, in one place: the DOM noise rules and the line rules.

DW pages mix the article with embedded players and their share widgets, picture galleries,
captions with credits, ad slots, "Read more:" links, newsletter promos and a closing line of
editors' initials and agencies (`ls/kms (Reuters, AP, dpa)`). Body extraction removes them in two
steps that both live here:

1. DOM level (`html_paragraphs`): whole subtrees that are never text (players, galleries,
   figures, ads, promos) are skipped by tag, class word or attribute, never by the generated
   class hashes of the current design.
2. Line level (`clean_paragraphs`): each remaining paragraph is normalised and dropped when it is
   a noise line; the agency line becomes `agencies`.

`clean_text` applies step 2 to plain text (a naive extraction that still carries those lines),
so text scraped elsewhere comes out the same as the HTML path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lxml.html import HtmlElement

from newsbot.extraction.processors import AUTHOR_SEPARATORS, ORGANISATION_NAMES, normalize_text


@dataclass(frozen=True, slots=True)
class CleanedText:
    """Article paragraphs (subheadings included) in reading order, and what the text's closing
    lines credit: agencies, and the authors and editors named in labelled credit lines."""

    paragraphs: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The paragraphs as the item's `body`: joined by a blank line."""
        return "\n\n".join(self.paragraphs)


# --- the rule tables, one per rule, by edition -----------------------------------------------
#
# Every table has a row for each of DW's 31 editions. A row is empty where DW's own wording in
# that language is not known to the project: a rule that deletes a real sentence is worse than a
# missed promo, so nothing is guessed. Each table is compiled into ONE alternation over all its
# rows (a page's language is not trusted to pick the row: DW quotes promos and credits across
# editions), so a line costs one anchored regex match per rule, not one per language.

EDITIONS: tuple[str, ...] = (
    "sq", "am", "ar", "bn", "bs", "bg", "zh", "zh-hant", "hr", "fa-af", "en", "fr", "de", "el",
    "ha", "hi", "id", "sw", "mk", "ps", "fa-ir", "pl", "pt-002", "pt-br", "ro", "ru", "sr", "es",
    "tr", "uk", "ur",
)
EditionTable = dict[str, tuple[str, ...]]

# "Read more:" link paragraphs. The colon is required (a sentence starting "Read more about"
# survives), so a row may hold the plain translation of "read also" in its language where DW's
# exact wording was not seen: a wrong row can only miss a link line, never take a sentence.
READ_MORE_LABELS: EditionTable = {
    "sq": ("Lexoni edhe", "Lexoni gjithashtu"),
    "am": (),  # unknown
    "ar": ("اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد"),
    "bn": ("আরও পড়ুন",),
    "bs": ("Pročitajte još", "Pročitajte i"),
    "bg": ("Прочетете още", "Прочетете също"),
    "zh": ("延伸阅读",),
    "zh-hant": ("延伸閱讀",),
    "hr": ("Pročitajte još", "Pročitajte i"),
    "fa-af": ("بیشتر بخوانید", "همچنین بخوانید"),
    "en": ("Read more", "Read also", "Also read", "More on this", "Related"),
    "fr": ("Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
           "Voir aussi"),
    "de": ("Lesen Sie mehr", "Lesen Sie auch", "Lesen Sie hier", "Mehr zum Thema", "Mehr dazu"),
    "el": ("Διαβάστε επίσης", "Διαβάστε ακόμη"),
    "ha": (),  # unknown
    "hi": ("यह भी पढ़ें",),
    "id": ("Baca juga",),
    "sw": ("Soma pia", "Soma zaidi"),
    "mk": (),  # unknown
    "ps": (),  # unknown
    "fa-ir": ("بیشتر بخوانید", "بیشتر بدانید", "همچنین بخوانید", "بخوانید"),
    "pl": ("Czytaj też", "Czytaj także", "Przeczytaj też"),
    "pt-002": ("Leia também", "Leia mais", "Veja também"),
    "pt-br": ("Leia também", "Leia mais", "Veja também"),
    "ro": ("Citiți și", "Citește și"),
    "ru": ("Читайте также", "Читайте по теме", "Читайте больше"),
    "sr": ("Pročitajte još", "Pročitajte i", "Прочитајте још"),
    "es": ("Lea también", "Lee también", "Leer más", "Le puede interesar"),
    "tr": ("Ayrıca okuyun", "Bunu da okuyun", "Daha fazlası"),
    "uk": ("Читайте також",),
    "ur": ("یہ بھی پڑھیے", "یہ بھی پڑھیں"),
}
# Whole-line promos, matched at the start of a line of at most _MAX_PROMO_LENGTH characters: the
# DW app, social media, newsletters, the language chooser. Only wordings seen on DW pages or
# quoted in the issue; a promo worded otherwise is still caught when its paragraph is nothing but
# a link to an app store or a newsletter (DOM rules below), in any language.
PROMO_OPENINGS: EditionTable = {
    "sq": (), "am": (), "ar": (), "bn": (),  # unknown
    "bs": ("Čitajte nas i preko DW-aplikacije", "Pratite nas i na"),
    "bg": (),  # unknown
    "zh": ("DW中文有Instagram",),
    "zh-hant": ("DW中文有Instagram",),
    "hr": ("Čitajte nas i preko DW-aplikacije", "Pratite nas i na"),
    "fa-af": (),  # unknown
    "en": ("Read us on the DW app", "Download the DW app", "Choose from 30 languages",
           "While you're here: Every Tuesday, DW editors", "Every day, DW's editors send out",
           "Every evening, DW's senior editors send out"),
    "fr": (), "de": (), "el": (), "ha": (), "hi": (), "id": (), "sw": (), "mk": (), "ps": (),
    "fa-ir": (), "pl": (), "pt-002": (),  # unknown
    "pt-br": ("Siga-nos no", "A Deutsche Welle é a emissora internacional da Alemanha e produz "
              "jornalismo independente"),
    "ro": (), "ru": (),  # unknown
    "sr": ("Čitajte nas i preko DW-aplikacije", "Pratite nas i na"),
    "es": (), "tr": (), "uk": (), "ur": (),  # unknown
}
# Labels of a caption's credit left in the text ("... Bild: Max Muster/dpa"), in any edition.
# Seen on saved DW pages: Image, Bild, Фото (ru), Снимка (bg), عکس (fa), ምስል፦ (am), 图像来源 (zh),
# 圖片來源 (zh-hant), Foto (sr); the other rows are the language's word for "photo/picture".
# Only `<label>: <at most 120 characters, no colon>` ending a line of at most
# _MAX_CAPTION_LENGTH characters matches, which a sentence of an article does not.
IMAGE_CREDIT_LABELS: EditionTable = {
    "sq": ("Foto",),
    "am": ("ምስል",),
    "ar": ("الصورة",),
    "bn": ("ছবি",),
    "bs": ("Foto", "Fotografija"),
    "bg": ("Снимка", "Фото"),
    "zh": ("图像来源", "图片来源"),
    "zh-hant": ("圖片來源", "圖像來源"),
    "hr": ("Foto", "Fotografija"),
    "fa-af": ("عکس",),
    "en": ("Image", "Photo", "Picture", "Video"),
    "fr": ("Image", "Photo"),
    "de": ("Bild", "Bilder", "Foto", "Fotos"),
    "el": ("Φωτογραφία", "Εικόνα"),
    "ha": ("Hoto",),
    "hi": ("तस्वीर",),
    "id": ("Foto", "Gambar"),
    "sw": ("Picha",),
    "mk": ("Фото",),
    "ps": (),  # unknown
    "fa-ir": ("عکس",),
    "pl": ("Zdjęcie", "Foto"),
    "pt-002": ("Foto", "Imagem"),
    "pt-br": ("Foto", "Imagem"),
    "ro": ("Foto", "Imagine"),
    "ru": ("Фото",),
    "sr": ("Foto", "Фото"),
    "es": ("Imagen", "Foto", "Fotografía"),
    "tr": ("Fotoğraf", "Foto"),
    "uk": ("Фото",),
    "ur": ("تصویر",),
}
# An ad slot's label standing alone on a line: the word for "advertisement" in the language (a
# whole line of one word, which no sentence is).
AD_LABELS: EditionTable = {
    "sq": ("Reklamë",), "am": ("ማስታወቂያ",), "ar": ("إعلان",), "bn": ("বিজ্ঞাপন",),
    "bs": ("Reklama", "Oglas"), "bg": ("Реклама",), "zh": ("广告",), "zh-hant": ("廣告",),
    "hr": ("Reklama", "Oglas"), "fa-af": ("تبلیغات",), "en": ("Advertisement",),
    "fr": ("Publicité",), "de": ("Anzeige", "Werbung"), "el": ("Διαφήμιση",), "ha": ("Talla",),
    "hi": ("विज्ञापन",), "id": ("Iklan",), "sw": ("Tangazo",), "mk": ("Реклама",),
    "ps": (), "fa-ir": ("تبلیغات",), "pl": ("Reklama",), "pt-002": ("Publicidade",),
    "pt-br": ("Publicidade",), "ro": ("Reclamă",), "ru": ("Реклама",), "sr": ("Reklama",),
    "es": ("Publicidad",), "tr": ("Reklam",), "uk": ("Реклама",), "ur": ("اشتہار",),
    # ps unknown: its "اعلان" is also "announcement", a heading an article may have
}
# "Permalink": a share widget's line in the body, a metadata label on legacy pages.
PERMALINK_LABELS: EditionTable = {
    "ar": ("الرابط الثابت", "رابط دائم"), "en": ("Permalink",), "de": ("Permalink",),
    "fr": ("Permalien",), "es": ("Enlace permanente",), "pt-br": ("Link permanente",),
    "pt-002": ("Link permanente",), "fa-ir": ("لینک ثابت", "لینک دائمی"),
    "fa-af": ("لینک ثابت",), "ru": ("Постоянная ссылка",), "tr": ("Kalıcı bağlantı",),
    "hi": ("पर्मालिंक",),
    **{lang: () for lang in ("sq", "am", "bn", "bs", "bg", "zh", "zh-hant", "hr", "el", "ha",
                             "id", "sw", "mk", "ps", "pl", "ro", "sr", "uk", "ur")},  # unknown
}
# The text a player leaves behind: "Watch video 00:58 Share ..." / "Audio anhören 02:17".
PLAYER_LABELS: EditionTable = {
    "en": ("Watch video", "Play video", "Listen to audio"),
    "de": ("Video ansehen", "Audio anhören"),
    "fr": ("Regarder la vidéo", "Écouter l'audio", "Ecouter l'audio"),
    "es": ("Ver el video", "Ver vídeo", "Escuchar el audio"),
    "pt-br": ("Assistir ao vídeo", "Ouvir o áudio"),
    "pt-002": ("Assistir ao vídeo", "Ouvir o áudio"),
    "ar": ("شاهد الفيديو", "استمع إلى الملف الصوتي"),
    "fa-ir": ("تماشای ویدیو", "پخش ویدیو", "شنیدن فایل صوتی"),
    "ru": ("Смотреть видео", "Слушать аудио"),
    "tr": ("Videoyu izle", "Sesi dinle"),
    **{lang: () for lang in ("sq", "am", "bn", "bs", "bg", "zh", "zh-hant", "hr", "fa-af", "el",
                             "ha", "hi", "id", "sw", "mk", "ps", "pl", "ro", "sr", "uk", "ur")},
    # unknown: no player text of these editions seen
}
# Closing credit labels. Authors: legacy info lists and a last line of the text ("Autor: ...").
# A credit line counts only when all of it is labelled person names (see credits_in), so a
# wrong row can only miss a credit; rows stay empty where the edition's label is not known.
AUTHOR_LABELS: EditionTable = {
    "sq": ("Autor", "Autori"),
    "am": (),  # credits stand unlabelled under the text: not readable as a rule
    "ar": ("المؤلف", "الكاتب", "كاتب", "كاتبة"),
    "bn": (),  # unknown
    "bs": ("Autor", "Autorica"),
    "bg": ("Автор",),
    "zh": ("作者",),
    "zh-hant": ("作者",),
    "hr": ("Autor", "Autorica"),
    "fa-af": ("نویسنده",),
    "en": ("Author", "Authors"),
    "fr": ("Auteur", "Auteure", "Auteurs"),
    "de": ("Autor", "Autorin", "Autoren", "Autorinnen"),
    "el": (),  # unknown
    "ha": (),  # unknown
    "hi": ("रिपोर्ट",),
    "id": ("Penulis",),
    "sw": ("Mwandishi",),
    "mk": ("Автор",),
    "ps": (),  # unknown
    "fa-ir": ("نویسنده", "نویسندگان"),
    "pl": ("Autor", "Autorka"),
    "pt-002": ("Autor", "Autora", "Autores"),
    "pt-br": ("Autor", "Autora", "Autores"),
    "ro": ("Autor",),
    "ru": ("Автор", "Авторы"),
    "sr": ("Autor", "Autorka", "Аутор"),
    "es": ("Autor", "Autora", "Autores"),
    "tr": ("Yazar", "Yazarlar"),
    "uk": ("Автор", "Авторка"),
    "ur": (),  # unknown
}
# Editors: the closing "Edited by: ..." line. en from the real 2026 page, de/fr/es/ru as the
# issue quotes them; ar, zh, zh-hant, hi, sw, ha, pl, uk are the credit word of that language's
# press ("تحرير", "责编", "संपादन", "Mhariri", ...), not yet seen on a saved DW page.
EDITOR_LABELS: EditionTable = {
    "sq": (), "am": (),  # unknown / unlabelled
    "ar": ("تحرير",),
    "bn": (), "bs": (), "bg": (),  # unknown
    "zh": ("责编",),
    "zh-hant": ("責編",),
    "hr": (), "fa-af": (),  # unknown
    "en": ("Edited by", "Editor"),
    "fr": ("Édition",),
    "de": ("Redaktion",),
    "el": (),  # unknown
    "ha": ("Edita",),
    "hi": ("संपादन",),
    "id": (), "mk": (), "ps": (), "fa-ir": (),  # unknown
    "sw": ("Mhariri",),
    "pl": ("Redakcja",),
    "pt-002": (), "pt-br": (), "ro": (),  # unknown
    "ru": ("Редактор",),
    "sr": (),  # unknown
    "es": ("Edición",),
    "tr": (),  # unknown
    "uk": ("Редактор",),
    "ur": (),  # unknown
}


def table_labels(table: EditionTable) -> tuple[str, ...]:
    """Every label of a table once, longest first (so alternations prefer the longest)."""
    labels = {label for row in table.values() for label in row}
    return tuple(sorted(labels, key=lambda label: (-len(label), label)))


def _alternatives(labels: Iterable[str]) -> str:
    return "|".join(re.escape(label) for label in labels)


PERMALINK_WORDS: tuple[str, ...] = table_labels(PERMALINK_LABELS)

# --- line rules ------------------------------------------------------------------------------

_COLONS = ":：፦ः"  # ASCII, full-width (CJK), Ethiopic preface colon, Devanagari visarga (hi)
_READ_MORE = re.compile(
    rf"^\W{{0,3}}(?:{_alternatives(table_labels(READ_MORE_LABELS))})\s*[:：]", re.IGNORECASE
)
_MAX_PROMO_LENGTH = 300
_PROMO = re.compile(rf"^\W{{0,3}}(?:{_alternatives(table_labels(PROMO_OPENINGS))})", re.IGNORECASE)
# "© Deutsche Welle Türkçe", "© 2024年德国之声版权声明：...": a copyright notice line.
_COPYRIGHT = re.compile(r"^(?:©|\(c\))\s*.{0,40}?(?:Deutsche Welle|DW|德国之声|德國之聲)")
_PLAYER = re.compile(
    rf"^(?:{_alternatives(table_labels(PLAYER_LABELS))})\s+\d{{1,2}}:\d{{2}}", re.IGNORECASE
)
_PERMALINK_LINE = re.compile(
    rf"(?:{_alternatives(PERMALINK_WORDS)})\s*:?\s*(?:https?:)?//(?:p\.|www\.)?dw\.com/p/\w+",
    re.IGNORECASE,
)
# "To view this video please enable JavaScript, and consider upgrading to ... HTML5 video".
_JS_NOTICE = re.compile(r"javascript.*html5|html5.*javascript", re.IGNORECASE)
_NEWSLETTER = re.compile(
    r"(?:newsletter|podcast).*(?:sign up|subscribe|abonn|anmeld|inscri|suscr|assine|inscreva"
    r"|подпис|abone)"
    r"|(?:sign up|subscribe|abonn|anmeld|inscri|suscr|assine|inscreva|подпис|abone)"
    r".*(?:newsletter|podcast)",
    re.IGNORECASE,
)
_IMAGE_CREDIT = re.compile(
    rf"(?:^|\s)(?:{_alternatives(table_labels(IMAGE_CREDIT_LABELS))})\s*[{_COLONS}]\s*"
    rf"[^{_COLONS}]{{1,120}}$"
)
_MAX_CAPTION_LENGTH = 300
_LONGEST_CREDIT_LABEL = max(len(label) for label in table_labels(IMAGE_CREDIT_LABELS))
_AD_WORDS = frozenset(label.casefold() for label in table_labels(AD_LABELS))
# Casefolding never shortens a text: a longer line cannot fold into an ad label.
_MAX_AD_WORD_LENGTH = max(len(word) for word in _AD_WORDS)
# The controls of share widgets and the page tools, when a line is nothing else.
_SHARE_WORDS = frozenset(
    {"share", "send", "teilen", "senden", "partager", "envoyer", "compartir", "enviar",
     "compartilhar", "facebook", "twitter", "x", "google+", "whatsapp", "tumblr", "linkedin",
     "stumble", "stumbleupon", "digg", "reddit", "del.icio.us", "newsvine", "telegram", "email",
     "e-mail", "messenger", "sms", "vk", "print", "drucken", "imprimer", "imprimir",
     "مشاركة", "إرسال", "اشتراک‌گذاری", "ارسال", "поделиться", "отправить", "печать",
     "paylaş", "gönder", "भेजें", "फेसबुक", "ट्विटर", "गूगल+"}
)

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
    **{_label_key(label): "authors" for label in table_labels(AUTHOR_LABELS)},
    **{_label_key(label): "editors" for label in table_labels(EDITOR_LABELS)},
}
# A label at the start of the line or after a separator, then a colon ("Edited by" may go
# without one: "Edited by Wesley Dockery"); matched on the line without accents, in any case,
# with or without spaces (also no-break ones) before the colon.
_CREDIT_LABEL = re.compile(
    rf"(?:^|(?<=[\s/|;,.]))(?:(?P<by>edited by)\s*[{_COLONS}]?"
    rf"|(?P<label>{_alternatives(sorted(_CREDIT_KIND, key=lambda k: (-len(k), k)))})"
    rf"\s*[{_COLONS}])\s*",
    re.IGNORECASE,
)
_MAX_CREDIT_LENGTH = 200
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
    if len(line) > _MAX_CREDIT_LENGTH:
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


def is_noise_line(line: str) -> bool:
    """True for a normalised line that is page furniture, not article text."""
    if len(line) <= _MAX_AD_WORD_LENGTH and line.casefold() in _AD_WORDS:
        return True
    # A row of share controls: every word one (the first tested alone: a line is normalised, so
    # its words are single-space separated, and splitting or copying a long paragraph whole
    # costs more).
    space = line.find(" ")
    if (line if space < 0 else line[:space]).casefold() in _SHARE_WORDS and (
        space < 0 or all(word in _SHARE_WORDS for word in line[space + 1:].casefold().split())
    ):
        return True
    short = len(line) <= _MAX_PROMO_LENGTH
    colon = ":" in line
    folded = _folded_for_ascii_words(line)
    # Substring tests first: the patterns only run on lines that can match them. A "Read more:"
    # label ends in a colon, a player's duration has one (`00:58`): an alternation of a hundred
    # labels tried case-insensitively costs more than the rest of the rules together. The
    # searching patterns need an ASCII word (`dw.com/p/`, `html5`, `newsletter` or `podcast`),
    # looked for in the line's lowered bytes: a search of a 400-character paragraph holding a
    # `5` or a `/` cost more than every other rule together.
    return bool(
        ((colon or "：" in line) and _READ_MORE.match(line))
        or (colon and _PLAYER.match(line))
        or (short and (_PROMO.match(line) or _COPYRIGHT.match(line)))
        or (b"dw.com/p/" in folded and _PERMALINK_LINE.search(line))
        or (b"html5" in folded and _JS_NOTICE.search(line))
        or ((b"newsletter" in folded or b"podcast" in folded) and _NEWSLETTER.search(line))
        or (len(line) <= _MAX_CAPTION_LENGTH and _has_colon(line) and _is_image_credit(line))
    )


def _is_image_credit(line: str) -> bool:
    """Whether the line ends in an image credit (`... Bild: Max Muster/dpa`).

    The credit's colon is the line's last (none may follow it), and its label ends right
    before it: the pattern is searched from there, not tried at every position of the line.
    """
    colon = max(line.rfind(mark) for mark in _COLONS)
    label_end = len(line[:colon].rstrip())
    return _IMAGE_CREDIT.search(line, max(0, label_end - _LONGEST_CREDIT_LABEL - 1)) is not None


# Characters that re.IGNORECASE equates with an ASCII letter: ſ (long s) with s, İ and ı with i,
# K (Kelvin sign) with k. Of the gate words, only the s of `newsletter` and `podcast` has one.
_LONG_S, _DOTTED_I, _DOTLESS_I = "\u017f", "\u0130", "\u0131"


def _folded_for_ascii_words(line: str) -> bytes:
    """The line's UTF-8 bytes with ASCII letters lowered, to look for the ASCII words that gate
    a searching pattern (`dw.com/p/`, `html5`, `newsletter`, `podcast`).

    Lowering bytes is a fraction of what casefolding a long paragraph costs, and finds every
    ASCII word the IGNORECASE patterns can match, unless the line holds one of the few
    characters they equate with an ASCII letter: such a line is casefolded.
    """
    if not line.isascii() and (_LONG_S in line or _DOTTED_I in line or _DOTLESS_I in line):
        return line.casefold().encode("utf-8", "surrogatepass")
    return line.encode("utf-8", "surrogatepass").lower()


def _has_colon(line: str) -> bool:
    return ":" in line or "：" in line or "፦" in line or "ः" in line


def clean_paragraphs(paragraphs: Iterable[str]) -> CleanedText:
    """Normalise paragraphs, drop noise lines, move credit and agency lines to their fields."""
    kept: list[str] = []
    agencies: list[str] = []
    credited: dict[str, list[str]] = {"authors": [], "editors": []}
    for raw in paragraphs:
        line = normalize_text(raw)
        if not line or is_noise_line(line):
            continue
        if len(line) <= _MAX_CREDIT_LENGTH:
            # Every credit has a colon but "Edited by Name": the cheap test spares the regex.
            may_credit = _has_colon(line) or line[:9].casefold() == "edited by"
            names = credits_in(line) if may_credit else None
            if names is not None:
                for kind, found in names.items():
                    credited[kind].extend(found)
                continue
            from_agencies = agencies_in(line)
            if from_agencies is not None:
                agencies.extend(from_agencies)
                continue
        kept.append(line)
    return CleanedText(
        paragraphs=kept,
        agencies=list(dict.fromkeys(agencies)),
        authors=list(dict.fromkeys(credited["authors"])),
        editors=list(dict.fromkeys(credited["editors"])),
    )


def clean_text(text: str) -> CleanedText:
    """Clean plain text that still carries page noise, one paragraph per non-empty line."""
    return clean_paragraphs(text.splitlines())


# --- DOM rules -------------------------------------------------------------------------------

NOISE_TAGS = frozenset(
    {"figure", "figcaption", "aside", "iframe", "video", "audio", "script", "style", "noscript",
     "template", "svg", "form", "button", "input", "select", "textarea", "picture", "img",
     "object", "embed", "canvas", "nav", "footer"}
)
# Class-name fragments that mark players, galleries, captions, share widgets and promos in both
# designs (`mediaItem video`, `gallery`, `picBox`, `img-caption`, `teaserContentWrap share`).
_NOISE_CLASS_FRAGMENTS = (
    "video", "audio", "player", "vjs", "media", "gallery", "slideshow", "picbox", "caption",
    "copyright", "share", "sharing", "social", "newsletter", "advert", "banner", "teaser",
    "sr-only", "related",
)
# Ad slots: `ad`, `ads-…`, `rich-text-ad`, `bannerAd`, `adsContainer`.
_AD_CLASS = re.compile(r"^ads?(?:$|[-_A-Z])|[-_]ads?$|[a-z]Ads?$")
# The fragments as one alternation: one C-level search per class attribute, not one per fragment.
_NOISE_CLASS = re.compile("|".join(re.escape(fragment) for fragment in _NOISE_CLASS_FRAGMENTS))
_NOISE_ATTRIBUTES = frozenset({"data-slot-id", "data-media-id", "data-ad-slot", "hidden"})
# Every attribute the rules below read.
_RULE_ATTRIBUTES = _NOISE_ATTRIBUTES | {"aria-hidden", "style", "class"}
_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd"})
_CONTAINERS = frozenset(
    {"div", "section", "article", "main", "ul", "ol", "dl", "table", "thead", "tbody", "tr",
     "td", "th", "center"}
)
_BLOCK_CHILDREN = _TEXT_BLOCKS | _CONTAINERS


def is_noise_element(element: HtmlElement) -> bool:
    """True for an element whose whole subtree is never article text."""
    return _is_noise(element, element.tag)


def _is_noise(element: HtmlElement, tag: object) -> bool:
    """`is_noise_element` for an element whose tag the caller has read already: lxml builds a
    new string for every read of `.tag`, and the walks read each child's once."""
    if tag in NOISE_TAGS:
        return True
    names = element.keys()
    if not names or _RULE_ATTRIBUTES.isdisjoint(names):  # no attribute a rule reads (most
        return False  # paragraphs have none, most links an `href` only)
    if not _NOISE_ATTRIBUTES.isdisjoint(names):
        return True
    if "aria-hidden" in names and element.get("aria-hidden") == "true":
        return True
    if "style" in names and "display:none" in (element.get("style") or "").replace(" ", ""):
        return True
    classes = element.get("class") if "class" in names else None
    return bool(classes) and _is_noise_class(classes)


@lru_cache(maxsize=4096)
def _is_noise_class(classes: str) -> bool:
    """Whether a class attribute marks noise. Cached: a page repeats a few class attributes
    (every link of a DW body is `internal-link`), and the test is a pattern search."""
    folded = classes.casefold()
    if _NOISE_CLASS.search(folded):
        return True
    # Every ad class word holds "ad" (or "Ad", which casefolds to it).
    return "ad" in folded and any(_AD_CLASS.search(token) for token in classes.split())


# Where a promo paragraph's only link goes: a newsletter sign-up, or the DW app in a store.
_PROMO_LINK_TARGETS = ("newsletter", "apps.apple.com", "itunes.apple.com", "play.google.com")


def _is_promo_paragraph(element: HtmlElement) -> bool:
    """A paragraph that is nothing but one link to a newsletter sign-up or an app store: a promo
    in whatever language it is worded."""
    if not len(element):  # no child elements, so no link (most paragraphs)
        return False
    links = element.iterdescendants("a")
    link = next(links, None)
    if link is None:
        return False
    href = link.get("href", "").casefold()  # the cheap test first: nearly every link fails it
    if not any(target in href for target in _PROMO_LINK_TARGETS) or next(links, None) is not None:
        return False
    return normalize_text(element.text_content()) == normalize_text(link.text_content())


def _inline_text(element: HtmlElement) -> str:
    """Text of an element without its noise descendants; `<br>` becomes a line break.

    Iterative, like `_walk`, so that deeply nested inline markup cannot exhaust the stack.
    """
    if not len(element):  # plain text only (most paragraphs)
        return element.text or ""
    parts = [element.text or ""]
    children: list[Iterator[HtmlElement]] = [iter(element)]
    tails: list[str] = []  # the tail of each open descendant, emitted when it closes
    while children:
        child = next(children[-1], None)
        if child is None:
            children.pop()
            if tails:
                parts.append(tails.pop())
            continue
        tag = child.tag
        if not isinstance(tag, str) or _is_noise(child, tag):
            parts.append(child.tail or "")
        elif tag == "br":
            parts.append("\n")
            parts.append(child.tail or "")
        else:
            parts.append(child.text or "")
            children.append(iter(child))
            tails.append(child.tail or "")
    return "".join(parts)


def html_paragraphs(container: HtmlElement) -> list[str]:
    """Raw paragraph texts of a body container in reading order, noise subtrees skipped.

    Text blocks (p, h2-h6, li, blockquote) give one paragraph each; containers are walked into;
    loose text between blocks (older articles separate paragraphs with `<br>`) is kept too.
    """
    paragraphs: list[str] = []
    _walk(container, paragraphs)
    return paragraphs


def _walk(container: HtmlElement, paragraphs: list[str]) -> None:
    """Collect the paragraphs under `container` in reading order.

    Iterative (an explicit stack of open containers), not recursive: a hostile or broken page
    nested thousands of levels deep must not end in a RecursionError.
    """
    # Each frame: the children still to visit, the loose inline text gathered so far, and the
    # tail text that follows the container in its parent.
    stack: list[tuple[Iterator[HtmlElement], list[str], str]] = [
        (iter(container), [container.text or ""], "")
    ]
    while stack:
        children, loose, _ = stack[-1]
        child = next(children, None)
        if child is None:
            _flush(loose, paragraphs)
            _, _, tail = stack.pop()
            if stack:
                stack[-1][1].append(tail)
            continue
        tag = child.tag
        if not isinstance(tag, str) or _is_noise(child, tag):
            pass
        elif tag == "br":
            _flush(loose, paragraphs)
        elif tag in _CONTAINERS or (
            tag in _TEXT_BLOCKS
            and len(child)
            and any(grandchild.tag in _BLOCK_CHILDREN for grandchild in child)
        ):
            _flush(loose, paragraphs)
            stack.append((iter(child), [child.text or ""], child.tail or ""))
            continue  # the child's tail joins `loose` when the child is done
        elif tag in _TEXT_BLOCKS:
            _flush(loose, paragraphs)
            if not (tag == "p" and _is_promo_paragraph(child)):
                paragraphs.append(_inline_text(child))
        else:
            loose.append(_inline_text(child))
        loose.append(child.tail or "")


def _flush(loose: list[str], paragraphs: list[str]) -> None:
    """Turn gathered loose inline text into a paragraph, if it holds any text."""
    text = "".join(loose)
    if text.strip():
        paragraphs.append(text)
    loose.clear()


def extract_body(container: HtmlElement) -> CleanedText:
    """DOM-level removal first, then the shared line rules."""
    return clean_paragraphs(html_paragraphs(container))
