"""What is not article text, in one place: the DOM noise rules and the line rules.

The wording the rules look for is the editions' (newsbot.editions); reading the credits and the
agency line that close a text is newsbot.extraction.credits.

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
from functools import lru_cache

from lxml.html import HtmlElement

from newsbot.editions import all_labels
from newsbot.extraction.credits import (
    COLONS,
    MAX_CREDIT_LENGTH,
    agencies_in,
    alternatives,
    credits_in,
)
from newsbot.extraction.processors import normalize_text


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


# --- line rules ------------------------------------------------------------------------------

_READ_MORE = re.compile(
    rf"^\W{{0,3}}(?:{alternatives(all_labels('read_more'))})\s*[:：]", re.IGNORECASE
)
_MAX_PROMO_LENGTH = 300
_PROMO = re.compile(rf"^\W{{0,3}}(?:{alternatives(all_labels('promos'))})", re.IGNORECASE)
# "© Deutsche Welle Türkçe", "© 2024年德国之声版权声明：...": a copyright notice line.
_COPYRIGHT = re.compile(r"^(?:©|\(c\))\s*.{0,40}?(?:Deutsche Welle|DW|德国之声|德國之聲)")
_PLAYER = re.compile(
    rf"^(?:{alternatives(all_labels('players'))})\s+\d{{1,2}}:\d{{2}}", re.IGNORECASE
)
_PERMALINK_LINE = re.compile(
    rf"(?:{alternatives(all_labels('permalinks'))})\s*:?\s*(?:https?:)?//(?:p\.|www\.)?dw\.com/p/\w+",
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
    rf"(?:^|\s)(?:{alternatives(all_labels('image_credits'))})\s*[{COLONS}]\s*"
    rf"[^{COLONS}]{{1,120}}$"
)
_MAX_CAPTION_LENGTH = 300
_LONGEST_CREDIT_LABEL = max(len(label) for label in all_labels('image_credits'))
_AD_WORDS = frozenset(label.casefold() for label in all_labels('ads'))
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
    colon = max(line.rfind(mark) for mark in COLONS)
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
        if len(line) <= MAX_CREDIT_LENGTH:
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
