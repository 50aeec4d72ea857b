"""Slides, for every audience: every text box and table cell fits, measured with the fonts' metrics; no shape reaches
past the slide's edge."""

from __future__ import annotations

from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from tests.quality.conftest import Bundle
from tests.quality.slidefit import NS, overflow

TOLERANCE = 0.5  # points: rounding of EMU to points, not a real line


def test_every_text_fits_its_box(bundles: list[Bundle]) -> None:
    measured = 0
    for bundle in bundles:
        prs = Presentation(str(bundle.pptx))
        for number, slide in enumerate(prs.slides, start=1):
            for shape in slide.shapes:
                where = f"{bundle} slide {number} {shape.name!r}"
                if shape.has_text_frame and shape.text_frame.text.strip():
                    over = overflow(shape.text_frame._txBody, int(shape.width), int(shape.height))
                    assert over <= TOLERANCE, f"{where}: text {over:.1f} pt taller than its box"
                    measured += 1
                if shape.has_table:
                    measured += _check_table(shape, where)
    assert measured > 100  # the check looked at the decks' text, not at nothing


def _check_table(shape: object, where: str) -> int:
    table = shape.table
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            tc = cell._tc
            pr = tc.find("a:tcPr", NS)
            insets = tuple(int(pr.get(k, d)) if pr is not None else d
                           for k, d in (("marL", 91440), ("marT", 45720), ("marR", 91440), ("marB", 45720)))
            body = tc.find("a:txBody", NS)
            over = overflow(body, int(table.columns[c].width), int(row.height), insets=insets)
            assert over <= TOLERANCE, f"{where} row {r} column {c}: {etree.tostring(body)[:80]!r} over by {over:.1f}"
    return len(table.rows)


def test_no_shape_reaches_past_the_slide(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        prs = Presentation(str(bundle.pptx))
        width, height = int(prs.slide_width), int(prs.slide_height)
        for number, slide in enumerate(prs.slides, start=1):
            for shape in slide.shapes:
                left, top = int(shape.left), int(shape.top)
                right, bottom = left + int(shape.width), top + int(shape.height)
                where = f"{bundle} slide {number} {shape.name!r}"
                assert left >= 0 and top >= 0, where
                assert right <= width and bottom <= height, (where, Emu(right).inches, Emu(bottom).inches)


def test_the_measure_catches_overflow(bundles: list[Bundle]) -> None:
    """The same measurement on a box made too short for its text reports it: the check can fail."""
    prs = Presentation(str(bundles[0].pptx))
    shape = next(s for slide in prs.slides for s in slide.shapes
                 if s.has_text_frame and len(s.text_frame.text) > 200)
    body, width, height = shape.text_frame._txBody, int(shape.width), int(shape.height)
    assert overflow(body, width, height) <= TOLERANCE
    needed = overflow(body, width, 0)  # the text's height plus the insets, in points
    assert overflow(body, width, int(needed * 0.8 * 12700)) > 0.1 * needed
    assert overflow(body, width // 2, height) > overflow(body, width, height) + 20  # narrower: more lines
