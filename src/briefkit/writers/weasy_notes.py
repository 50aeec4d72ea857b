"""Footnote areas measured note by note: the same pages, in a quarter of the footnote work (decision 24).

WeasyPrint (70) measures a page's footnote area each time a note is added to, moved from or taken back off
the page, by laying out every note on the page again: for a page of k notes that is 1 + 2 + ... + k note
layouts, over and over as the page's paragraphs are tried and retried. Our brief has a note on nearly every
paragraph: 600 note layouts for 36 notes, a quarter of the PDF's layout time.

When the area's height is simply the sum of its notes' heights (notes without vertical margins, which would
collapse between them, and an area without a maximum or minimum height) each note is laid out once per page
stacked as WeasyPrint stacks them. The pages and the bytes are the same (`tests/writers/test_pdf_notes.py`
compares whole PDFs built both ways). Any other case keeps WeasyPrint's own method, and so does any WeasyPrint
but the one `patches.TABLE` names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from typing import Any

from briefkit import patches

AREA, WAITING = "weasyprint-footnote-area", "weasyprint-waiting-notes"  # their rows in `patches.TABLE`


@contextmanager
def measured_note_by_note() -> Iterator[None]:
    """Within this block, WeasyPrint measures footnote areas note by note and keeps the notes waiting for a page
    in a `_WaitingNotes`, each where `patches` allows it (the checked WeasyPrint, not switched off). WeasyPrint's
    internals are imported only then: another version may not have them."""
    area, waiting = patches.active(AREA), patches.active(WAITING)
    if not (area or waiting):
        yield
        return
    from weasyprint.layout import LayoutContext

    stock_area, stock_init = LayoutContext._update_footnote_area, LayoutContext.__init__
    if area:
        LayoutContext._update_footnote_area = _update_footnote_area
    if waiting:
        LayoutContext.__init__ = _init
    _STOCK.update(area=stock_area, init=stock_init)
    try:
        yield
    finally:
        LayoutContext._update_footnote_area = stock_area
        LayoutContext.__init__ = stock_init


_STOCK: dict[str, Any] = {}  # WeasyPrint's own methods, while replaced


def _init(context: Any, *args: Any, **kwargs: Any) -> None:
    _STOCK["init"](context, *args, **kwargs)
    context.footnotes = _WaitingNotes()


class _WaitingNotes(list):
    """WeasyPrint's list of the notes not yet on a page, answering `in` from a count of each note.

    For every box of every line laid out, WeasyPrint asks whether the box is a waiting note; on a plain list each
    question reads the whole list, so the work grows with the square of the notes (2.6 s of profile on a 350-page
    brief with 2,000 notes). Boxes compare by identity, as in the list. WeasyPrint appends, removes, copies and
    tests; anything else on this list would be a WeasyPrint this was not checked against, and fails loudly."""

    def __init__(self, notes: Any = ()) -> None:
        super().__init__(notes)
        self._count = Counter(id(note) for note in self)

    def __contains__(self, note: object) -> bool:
        return self._count.get(id(note), 0) > 0

    def append(self, note: Any) -> None:
        super().append(note)
        self._count[id(note)] += 1

    def remove(self, note: Any) -> None:
        super().remove(note)
        self._count[id(note)] -= 1

    def copy(self) -> _WaitingNotes:
        return _WaitingNotes(self)

    def _unchecked(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("WeasyPrint changed how it keeps footnotes: see briefkit.writers.weasy_notes")

    insert = extend = pop = clear = sort = reverse = __setitem__ = __delitem__ = __iadd__ = __imul__ = _unchecked


def _update_footnote_area(context: Any) -> bool:
    """WeasyPrint's method, with the area's height summed from each note's own (measured once per page)."""
    area = context.current_footnote_area
    notes = context.current_page_footnotes
    if not notes or not _summable(area, notes):
        return _STOCK["area"](context)
    if area.height != "auto" and not context.in_column:
        context.page_bottom += area.margin_height()
    measured: dict[tuple[int, int], tuple[Any, Any, float]] = context.__dict__.setdefault("_briefkit_notes", {})
    # Stacked as WeasyPrint stacks them, in the same floating-point steps, so that the height and the overflow
    # test (the last note's foot against the area's, equal but for rounding) come out bit for bit the same.
    top = area.content_box_y()
    y = top
    for note in notes:
        key = (id(area), id(note))
        if key not in measured:  # the boxes are kept with their height, so that no id is reused meanwhile
            measured[key] = (area, note, _alone(context, area, note))
        y = y + measured[key][2]
    area.children = notes
    area.height = y - top
    if not context.in_column:
        context.page_bottom -= area.margin_height()
    return y > area.position_y + area.margin_height() - area.margin_bottom


def _alone(context: Any, area: Any, note: Any) -> float:
    """The height of `note`'s margin box, laid out as WeasyPrint lays it out: alone in a copy of the area."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout import block_level_layout

    area.children = [note]
    laid = block_level_layout(context, build.create_anonymous_boxes(area.deepcopy()), -inf, None, area.page)[0]
    (only,) = laid.children
    return float(only.margin_height())


def _summable(area: Any, notes: list[Any]) -> bool:
    maximum, minimum = area.style["max_height"], area.style["min_height"]
    if maximum.value != inf or (minimum != "auto" and minimum.value != 0):
        return False
    if not all(isinstance(getattr(area, side), (int, float)) for side in _VERTICAL):
        return False
    return all(note.style["margin_top"].value == 0 and note.style["margin_bottom"].value == 0 for note in notes)


_VERTICAL = ("margin_top", "margin_bottom", "padding_top", "padding_bottom", "border_top_width",
             "border_bottom_width")
