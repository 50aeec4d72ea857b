"""Checks of a laid-out PDF (WeasyPrint's boxes) for what its break rules should prevent but sometimes do not.

WeasyPrint (70) keeps a footnote call's line with its note (`footnote-policy: line`) by moving the line to the next
page, and in doing so can break the rules that keep other things together: it can drop the note altogether, or
leave a heading at a page foot with a single line of what it introduces. Both depend on where the pages happen to
break, so `pdf.py` lays the brief out again with other break rules when either is found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.document import Document as WeasyDocument
from weasyprint.formatting_structure.boxes import BlockBox, FootnoteAreaBox, LineBox, MarginBox, ParentBox

HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
FOLLOW = 2  # lines of what a heading introduces that must follow it on its page
SMALLER = 8 / 3  # px (2 pt): lines this much smaller than the body text (notes, sources) do not count


def lost_notes(document: WeasyDocument) -> set[str]:
    """Ids of the footnotes (`span.footnote`) that no page prints as a note (a block in the footnote area)."""
    called, printed = set(), set()
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and "footnote" in (element.get("class") or "").split():
                called.add(element.get("id"))
                if isinstance(box, BlockBox):
                    printed.add(element.get("id"))
    return called - printed


def stranded_headings(document: WeasyDocument) -> list[str]:
    """Headings with fewer than FOLLOW lines of body text below them on their page, when more text follows later:
    the reader meets the heading, turns the page and finds what it introduces there."""
    problems = []
    pages = document.pages
    for number, page in enumerate(pages):
        root = page._page_box
        html = next((b for b in root.children if getattr(b, "element_tag", None) == "html"), root)
        smallest = html.style["font_size"] - SMALLER
        headings: list[tuple[str, float]] = []
        lines: list[float] = []
        for box in _flow(root):
            if isinstance(box, BlockBox) and box.element_tag in HEADINGS:
                headings.append((_text(box), box.position_y + box.margin_height() - box.margin_bottom))
            elif isinstance(box, LineBox) and box.style["font_size"] >= smallest:
                lines.append(box.position_y)
        for title, bottom in headings:
            below = sum(1 for top in lines if top >= bottom - 0.5)
            if below < FOLLOW and number + 1 < len(pages):
                problems.append(f"heading {title!r} at the foot of page {number + 1}")
    return problems


def _flow(box: Any) -> Iterator[Any]:
    """The boxes of the page's text, in order: not its margins (running headers, page numbers) or its notes."""
    yield box
    if isinstance(box, ParentBox):
        for child in box.children:
            if not isinstance(child, (MarginBox, FootnoteAreaBox)):
                yield from _flow(child)


def _text(box: Any) -> str:
    return " ".join(getattr(b, "text", "") for b in box.descendants() if getattr(b, "text", "")).strip()
