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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from newsbot.processors import normalize_text


@dataclass(frozen=True, slots=True)
class CleanedText:
    """Article paragraphs (subheadings included) in reading order, and the credited agencies."""

    paragraphs: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The paragraphs as the item's `body`: joined by a blank line."""
        return "\n\n".join(self.paragraphs)


def _alternatives(*labels: str) -> str:
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


# --- line rules ------------------------------------------------------------------------------

# "Read more:" link paragraphs (en, de, fr, es, pt, ar, fa, ru, tr); the colon is required so
# that a sentence starting with "Read more about ..." survives.
_READ_MORE = re.compile(
    r"^\W{0,3}(?:"
    + _alternatives(
        "Read more", "Read also", "Also read", "More on this", "Related",
        "Lesen Sie mehr", "Lesen Sie auch", "Lesen Sie hier", "Mehr zum Thema", "Mehr dazu",
        "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
        "Voir aussi", "Lea también", "Lee también", "Leer más", "Le puede interesar",
        "Leia também", "Leia mais", "Veja também",
        "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد",
        "بیشتر بخوانید", "بیشتر بدانید", "همچنین بخوانید", "بخوانید",
        "Читайте также", "Читайте по теме", "Читайте больше",
        "Ayrıca okuyun", "Bunu da okuyun", "Daha fazlası",
    )
    + r")\s*[:：]",
    re.IGNORECASE,
)
# The text a player leaves behind: "Watch video 00:58 Share ..." / "Audio anhören 02:17".
_PLAYER = re.compile(
    r"^(?:"
    + _alternatives(
        "Watch video", "Play video", "Listen to audio", "Video ansehen", "Audio anhören",
        "Regarder la vidéo", "Écouter l'audio", "Ecouter l'audio", "Ver el video",
        "Ver vídeo", "Escuchar el audio", "Assistir ao vídeo", "Ouvir o áudio",
        "شاهد الفيديو", "استمع إلى الملف الصوتي", "تماشای ویدیو", "پخش ویدیو", "شنیدن فایل صوتی",
        "Смотреть видео", "Слушать аудио", "Videoyu izle", "Sesi dinle",
    )
    + r")\s+\d{1,2}:\d{2}",
    re.IGNORECASE,
)
# "Permalink" in DW's editions: a share widget's line here, a metadata label on legacy pages.
PERMALINK_WORDS: tuple[str, ...] = (
    "Permalink", "Permalien", "Enlace permanente", "Link permanente",
    "الرابط الثابت", "رابط دائم", "لینک ثابت", "لینک دائمی", "Постоянная ссылка",
    "Kalıcı bağlantı",
)
# A share widget's permalink line; the page's own permalink is read from its metadata instead.
_PERMALINK_LINE = re.compile(
    r"(?:"
    + _alternatives(*PERMALINK_WORDS)
    + r")\s*:?\s*(?:https?:)?//(?:p\.|www\.)?dw\.com/p/\w+",
    re.IGNORECASE,
)
# "To view this video please enable JavaScript, and consider upgrading to ... HTML5 video".
_JS_NOTICE = re.compile(r"javascript.*html5|html5.*javascript", re.IGNORECASE)
_NEWSLETTER = re.compile(
    r"newsletter.*(?:sign up|subscribe|abonn|anmeld|inscri|suscr|assine|inscreva|подпис|abone)"
    r"|(?:sign up|subscribe|abonn|anmeld|inscri|suscr|assine|inscreva|подпис|abone).*newsletter",
    re.IGNORECASE,
)
# A caption's credit left in the text: "... Bild: Shamil Zhumatov/REUTERS".
_CREDIT = re.compile(
    r"(?:^|\s)(?:"
    + _alternatives(
        "Bild", "Bilder", "Foto", "Fotos", "Image", "Photo", "Picture", "Imagem", "Imagen",
        "Fotografía", "الصورة", "عکس", "Фото", "Fotoğraf",
    )
    + r")\s*:\s*[^:]{1,120}$"
)
_MAX_CAPTION_LENGTH = 300
# Labels of ad slots, and the controls of share widgets, when they stand alone on a line.
_AD_LABELS = frozenset(
    {"anzeige", "werbung", "advertisement", "publicité", "publicidad", "publicidade", "إعلان",
     "تبلیغات", "реклама", "reklam"}
)
_SHARE_WORDS = frozenset(
    {"share", "send", "teilen", "senden", "partager", "envoyer", "compartir", "enviar",
     "compartilhar", "facebook", "twitter", "x", "google+", "whatsapp", "tumblr", "linkedin",
     "stumble", "stumbleupon", "digg", "reddit", "del.icio.us", "newsvine", "telegram", "email",
     "e-mail", "messenger", "sms", "vk", "مشاركة", "إرسال", "اشتراک‌گذاری", "ارسال",
     "поделиться", "отправить", "paylaş", "gönder"}
)

# The closing line: editors' initials joined by "/" and the agencies in parentheses.
_AGENCY_LINE = re.compile(
    r"^(?:(?P<initials>[^\W\d_][\w.\u200c]{0,11}(?:\s*/\s*[^\W\d_][\w.\u200c]{0,11}){1,4})\s*)?"
    r"\((?P<agencies>[^()]{1,150})\)\s*\.?$"
)
_AGENCY_SEPARATORS = re.compile(r"\s*[,،;]\s*|\s+(?:and|und|et|y|e|и|ve|و)\s+")
_KNOWN_AGENCIES = frozenset(
    {"reuters", "rtr", "ap", "afp", "dpa", "kna", "epd", "efe", "ansa", "lusa", "sid", "aa",
     "anadolu", "xinhua", "tass", "interfax", "upi", "ips", "irna", "isna", "epa", "apa", "ddp",
     "dapd", "europa press", "agência brasil", "رويترز", "أ ف ب", "ا ف ب", "د ب أ", "أ ب",
     "د.ب.أ", "رویترز", "خبرگزاری فرانسه", "آسوشیتدپرس", "ایرنا", "ایسنا", "рейтер", "афп"}
)
_MAX_AGENCY_WORDS = 4


def agencies_in(line: str) -> list[str] | None:
    """The agencies of a closing `initials (agencies)` line, or None when it is not one.

    Without initials, only a parenthesis of known agencies counts: `(dpa, AFP)` is a credit,
    `(Kremlin)` is text.
    """
    match = _AGENCY_LINE.match(line)
    if not match:
        return None
    agencies = [item.strip(" .") for item in _AGENCY_SEPARATORS.split(match["agencies"])]
    agencies = [item for item in agencies if item]
    if not agencies or any(len(item.split()) > _MAX_AGENCY_WORDS for item in agencies):
        return None
    if match["initials"] is None and not all(a.casefold() in _KNOWN_AGENCIES for a in agencies):
        return None
    return agencies


def is_noise_line(line: str) -> bool:
    """True for a normalised line that is page furniture, not article text."""
    folded = line.casefold()
    if folded in _AD_LABELS:
        return True
    # A row of share controls: every word one (the first tested alone: a line is normalised, so
    # its words are single-space separated, and splitting a long paragraph whole costs more).
    first, _, rest = folded.partition(" ")
    if first in _SHARE_WORDS and all(word in _SHARE_WORDS for word in rest.split()):
        return True
    # Substring tests first: the searching patterns only run on lines that can match them.
    return bool(
        _READ_MORE.match(line)
        or _PLAYER.match(line)
        or ("dw.com/p/" in folded and _PERMALINK_LINE.search(line))
        or ("javascript" in folded and _JS_NOTICE.search(line))
        or ("newsletter" in folded and _NEWSLETTER.search(line))
        or (len(line) <= _MAX_CAPTION_LENGTH and ":" in line and _CREDIT.search(line))
    )


def clean_paragraphs(paragraphs: Iterable[str]) -> CleanedText:
    """Normalise paragraphs, drop noise lines and move the agency line to `agencies`."""
    kept: list[str] = []
    agencies: list[str] = []
    for raw in paragraphs:
        line = normalize_text(raw)
        if not line or is_noise_line(line):
            continue
        credited = agencies_in(line)
        if credited is not None:
            agencies.extend(credited)
            continue
        kept.append(line)
    return CleanedText(paragraphs=kept, agencies=list(dict.fromkeys(agencies)))


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
_NOISE_ATTRIBUTES = ("data-slot-id", "data-media-id", "data-ad-slot", "hidden")
_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd"})
_CONTAINERS = frozenset(
    {"div", "section", "article", "main", "ul", "ol", "dl", "table", "thead", "tbody", "tr",
     "td", "th", "center"}
)
_BLOCK_CHILDREN = _TEXT_BLOCKS | _CONTAINERS


def is_noise_element(element: HtmlElement) -> bool:
    """True for an element whose whole subtree is never article text."""
    if element.tag in NOISE_TAGS:
        return True
    attrib = element.attrib
    if any(name in attrib for name in _NOISE_ATTRIBUTES) or attrib.get("aria-hidden") == "true":
        return True
    if "display:none" in attrib.get("style", "").replace(" ", ""):
        return True
    classes = attrib.get("class")
    if not classes:
        return False
    folded = classes.casefold()
    if any(fragment in folded for fragment in _NOISE_CLASS_FRAGMENTS):
        return True
    return any(_AD_CLASS.search(token) for token in classes.split())


def _is_promo_paragraph(element: HtmlElement) -> bool:
    """A paragraph that is nothing but one link to a newsletter sign-up page."""
    links = element.findall(".//a")
    if len(links) != 1 or "newsletter" not in links[0].get("href", "").casefold():
        return False
    return normalize_text(element.text_content()) == normalize_text(links[0].text_content())


def _inline_text(element: HtmlElement) -> str:
    """Text of an element without its noise descendants; `<br>` becomes a line break.

    Iterative, like `_walk`, so that deeply nested inline markup cannot exhaust the stack.
    """
    parts = [element.text or ""]
    children: list[Iterator[HtmlElement]] = [iter(element)]
    tails: list[str] = []  # the tail of each open descendant, emitted when it closes
    while children:
        child = next(children[-1], None)
        if child is None:
            children.pop()
            if tails:
                parts.append(tails.pop())
        elif not isinstance(child.tag, str) or is_noise_element(child):
            parts.append(child.tail or "")
        elif child.tag == "br":
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
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None or is_noise_element(child):
            pass
        elif tag == "br":
            _flush(loose, paragraphs)
        elif tag in _CONTAINERS or (
            tag in _TEXT_BLOCKS and any(grandchild.tag in _BLOCK_CHILDREN for grandchild in child)
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
    if "".join(loose).strip():
        paragraphs.append("".join(loose))
    loose.clear()


def extract_body(container: HtmlElement) -> CleanedText:
    """DOM-level removal first, then the shared line rules."""
    return clean_paragraphs(html_paragraphs(container))
