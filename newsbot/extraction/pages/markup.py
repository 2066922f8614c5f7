"""The parsed tree of a response, built from its bytes when that gives exactly Scrapy's tree.

`response.selector` decodes the body to str (w3lib), strips it, removes NULs and encodes it back
to UTF-8 before lxml parses it: on a 200 KB DW page that round trip costs as much as the parse.
A UTF-8 response can be handed to lxml as it came (a view of its bytes without the surrounding
ASCII whitespace); every other case (another or a BOM-overridden
charset, NUL bytes, non-ASCII whitespace at either end, bytes that are not valid UTF-8 such as
cp1252 declared as UTF-8) takes the selector's path, so its tree is the one Scrapy would build.

The direct path's parser gives every element lxml.html's `HtmlElement` class through a C-level
lookup. lxml.html's own parser chooses the class in a Python callback (`FormElement` for a
`<form>`, `InputElement` for an `<input>`...) for every element the extraction touches, which
costs about a twentieth of an extraction; the extraction uses none of those classes' extras.
"""

from __future__ import annotations

import codecs

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from scrapy.http import TextResponse, XmlResponse

# html_to_unicode lets a byte order mark override the declared charset.
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# What libxml2 reports for bytes the declared encoding cannot decode (parsel checks the same).
_ENCODING_ERRORS = frozenset(
    {etree.ErrorTypes.ERR_INVALID_CHAR, etree.ErrorTypes.ERR_INVALID_ENCODING}
)
# Node classes for the direct path's trees (see the module docstring).
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
)


def parse_markup(response: TextResponse) -> tuple[HtmlElement, bytes]:
    """The response's HTML tree and its markup as UTF-8 bytes (for cheap substring tests)."""
    text = _utf8_text(response)
    if text is not None:
        # collect_ids=False: libxml2 would otherwise fill a hash table of every `id` attribute
        # while parsing, for XPath's id() that the extraction never calls.
        parser = etree.HTMLParser(
            recover=True, encoding="utf-8", huge_tree=True, collect_ids=False
        )
        parser.set_element_class_lookup(_HTML_CLASSES)
        root = etree.fromstring(text, parser=parser)
        if root is not None and not any(e.type in _ENCODING_ERRORS for e in parser.error_log):
            return root, response.body
    return response.selector.root, response.text.encode("utf-8", "surrogatepass")


# What bytes.strip() strips: ASCII whitespace.
_ASCII_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")


def _utf8_text(response: TextResponse) -> bytes | memoryview | None:
    """The body without surrounding whitespace, when parsing it directly is equivalent to the
    selector's path.

    A view of the body's bytes, not `body.strip()`: lxml parses from a buffer (lxml 6), and a
    copy of a 200 KB page, nearly all of which end in a newline, cost a tenth of its parse.
    """
    if isinstance(response, XmlResponse) or codecs.lookup(response.encoding).name != "utf-8":
        return None
    body = response.body
    if body.startswith(_BOMS) or b"\x00" in body:
        return None
    start, end = 0, len(body)
    while start < end and body[start] in _ASCII_WHITESPACE:
        start += 1
    while end > start and body[end - 1] in _ASCII_WHITESPACE:
        end -= 1
    # bytes.strip() removes ASCII whitespace only; str.strip() also NBSP, ideographic space...
    if start == end or body[start] >= 0x80 or body[end - 1] >= 0x80:
        return None
    return body if (start, end) == (0, len(body)) else memoryview(body)[start:end]
