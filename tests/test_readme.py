"""The README is the front door: its table of contents reaches every section, and its links
within the page land on a heading (anchors computed as GitHub computes them)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def anchor(heading: str, seen: dict[str, int]) -> str:
    """GitHub's anchor of a heading: lower case, backticks and punctuation dropped, spaces to
    hyphens, a repeated anchor numbered (-1, -2, ...)."""
    kept = [
        char for char in heading.strip().lower().replace("`", "")
        if char in " -" or unicodedata.category(char)[0] in "LMN"
        or unicodedata.category(char) == "Pc"
    ]
    base = "".join(kept).replace(" ", "-")
    seen[base] = seen.get(base, -1) + 1
    return base if seen[base] == 0 else f"{base}-{seen[base]}"


def headings(text: str) -> list[tuple[int, str]]:
    """(level, anchor) of every heading outside code blocks, in order."""
    found, seen, fenced = [], {}, False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"^(#{1,6}) (.*?)\s*$", line)):
            found.append((len(match[1]), anchor(match[2], seen)))
    return found


def test_the_table_of_contents_reaches_every_section_in_order() -> None:
    text = README.read_text(encoding="utf-8")
    toc = text[text.index("<!-- toc -->"):text.index("<!-- /toc -->")]
    links = re.findall(r"\]\(#([^)]+)\)", toc)
    sections = [name for level, name in headings(text) if level in (2, 3)]
    assert links == sections


def test_every_link_within_the_page_lands_on_a_heading() -> None:
    text = README.read_text(encoding="utf-8")
    anchors = {name for _, name in headings(text)}
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links and not links - anchors, sorted(links - anchors)


def test_anchors_are_computed_as_github_computes_them() -> None:
    seen: dict[str, int] = {}
    assert anchor("Backfill (`-a since=YYYY-MM-DD [-a until=YYYY-MM-DD]`)", seen) == (
        "backfill--a-sinceyyyy-mm-dd--a-untilyyyy-mm-dd")
    assert anchor("Dependencies, and why", seen) == "dependencies-and-why"
    assert (anchor("Fields", seen), anchor("Fields", seen)) == ("fields", "fields-1")
