"""Pagination of the deck, pure: model slides and boxes in, pages out, no presentation made (fast).

The boxes are given here as plain rectangles (`Boxes`), where the writer reads them from the master's layouts;
the text is measured with the theme font's real metrics, as the writer measures it.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit.document.model import Box, BulletList, Inline, Paragraph, Slide, Table, Text
from briefkit.theme.model import Theme
from briefkit.writers import textfit
from briefkit.writers.pptx_geometry import (
    BOX_INSETS,
    BULLET_SIZES,
    CHART_BULLET_SIZES,
    INCH,
    TABLE_SIZES,
    TEXT_INSETS,
    Rect,
    TitleGeometry,
)
from briefkit.writers.pptx_lines import fits
from briefkit.writers.pptx_paginate import (
    CONTINUED,
    Page,
    box_lines,
    bullet_lines,
    chart_split,
    column_widths,
    paginate,
    row_height,
)
from samples import sample_figure, sample_table, sample_theme

BODY = Rect(int(0.6 * INCH), int(1.8 * INCH), int(12.1 * INCH), int(4.6 * INCH))
MEETING_BOX = Rect(int(0.6 * INCH), int(4.6 * INCH), int(6.4 * INCH), int(2.4 * INCH))
WORDS = ("training", "equipment", "border", "posts", "exercises", "Dushanbe", "over", "the", "past", "decade",
         "and", "local", "demand", "shapes", "cooperation", "2016", "SCO", "bilateral", "reported")


@dataclass(frozen=True)
class Boxes:
    """A `Frames` of fixed boxes: the same body and content area for every layout kind."""

    theme: Theme = field(default_factory=sample_theme)
    body: Rect = BODY
    content: Rect = BODY
    meeting_box: Rect = MEETING_BOX

    def body_rect(self, kind: str, source_line: str) -> Rect:
        return self.body

    def content_rect(self, kind: str, source_line: str) -> Rect:
        return self.content

    def title_geometry(self) -> TitleGeometry:
        nowhere = Rect(0, 0, 0, 0)
        return TitleGeometry(marking=nowhere, org=nowhere, box=self.meeting_box, logo=nowhere)


def sentence(n: int, length: int = 30) -> tuple[Inline, ...]:
    return (Text(" ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(length)) + "."),)


def bullets_of(pages: list[Page]) -> list[tuple[Inline, ...]]:
    return [b for page in pages for b in page.bullets]


def fits_page(page: Page, rect: Rect, theme: Theme) -> bool:
    lines = bullet_lines(page.bullets, page.size, page.kind, theme)
    return fits(lines, rect, TEXT_INSETS, theme.fonts.body.family)


# ---------------------------------------------------------------- bullets


def test_bullets_that_fit_stay_on_one_page_at_the_largest_size() -> None:
    slide = Slide("bullets", "Key judgments", bullets=(sentence(0, 8), sentence(1, 8)))
    pages = paginate(slide, Boxes())
    assert [(p.title, p.size, p.first) for p in pages] == [("Key judgments", BULLET_SIZES[0], True)]
    assert bullets_of(pages) == list(slide.bullets)


def test_too_many_bullets_continue_on_titled_pages_that_each_fit_and_keep_every_bullet_in_order() -> None:
    slide = Slide("bullets", "Key judgments", bullets=tuple(sentence(i) for i in range(14)))
    boxes = Boxes()
    pages = paginate(slide, boxes)
    assert len(pages) > 1
    assert pages[0].title == "Key judgments" and pages[0].first
    assert all(p.title == "Key judgments" + CONTINUED and not p.first for p in pages[1:])
    assert len({p.size for p in pages}) == 1
    assert bullets_of(pages) == list(slide.bullets)
    assert all(fits_page(p, BODY, boxes.theme) for p in pages)


def test_the_size_chosen_is_the_largest_that_needs_the_fewest_pages() -> None:
    """Fewer pages beat a larger size: 16 pt when it saves a slide over 20 pt."""
    boxes = Boxes()
    for count in range(2, 16):
        slide = Slide("bullets", "Points", bullets=tuple(sentence(i, 22) for i in range(count)))
        pages = paginate(slide, boxes)
        for size in BULLET_SIZES:
            lines = bullet_lines(slide.bullets, size, "bullets", boxes.theme)
            if fits(lines, BODY, TEXT_INSETS, boxes.theme.fonts.body.family):  # one page possible at this size
                assert len(pages) == 1 and pages[0].size == size
                break


def test_a_bullet_longer_than_a_slide_is_cut_between_its_lines_and_no_word_is_lost() -> None:
    long = (Text(" ".join(WORDS[i % len(WORDS)] for i in range(900))),)
    boxes = Boxes()
    pages = paginate(Slide("bullets", "One long point", bullets=(long,)), boxes)
    assert len(pages) > 1
    text = " ".join(t.text for b in bullets_of(pages) for t in b if isinstance(t, Text))
    assert text.split() == long[0].text.split()  # type: ignore[union-attr]
    assert all(fits_page(p, BODY, boxes.theme) for p in pages)


def test_a_smaller_box_never_needs_fewer_pages() -> None:
    slide = Slide("bullets", "Points", bullets=tuple(sentence(i) for i in range(10)))
    counts = [len(paginate(slide, Boxes(body=Rect(0, 0, BODY.w, int(h * INCH))))) for h in (6.0, 4.0, 2.5, 1.5)]
    assert counts == sorted(counts)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=25),
       st.floats(min_value=2.0, max_value=6.0), st.sampled_from(["bullets", "sources"]))
def test_any_bullets_come_out_complete_in_order_and_each_page_fits(lengths: list[int], height: float,
                                                                   kind: str) -> None:
    boxes = Boxes(body=Rect(0, 0, BODY.w, int(height * INCH)))
    slide = Slide(kind, "Points", bullets=tuple(sentence(i, n) for i, n in enumerate(lengths)))
    pages = paginate(slide, boxes)
    assert bullets_of(pages) == list(slide.bullets)  # no bullet here is taller than a whole page
    assert all(fits_page(p, boxes.body, boxes.theme) for p in pages)
    assert [p.first for p in pages] == [True] + [False] * (len(pages) - 1)


def test_an_empty_bullet_slide_is_one_page() -> None:
    assert [p.title for p in paginate(Slide("bullets", "Nothing yet"), Boxes())] == ["Nothing yet"]


# ---------------------------------------------------------------- charts


def test_a_chart_slide_without_a_foot_line_cites_its_figure_and_keeps_what_fits_beside_the_chart() -> None:
    figure = sample_figure()
    slide = Slide("chart", figure.title, bullets=tuple(sentence(i) for i in range(8)), figure=figure)
    boxes = Boxes()
    pages = paginate(slide, boxes)
    assert pages[0].kind == "chart" and pages[0].slide.source_line == figure.source_note
    assert pages[0].size in CHART_BULLET_SIZES
    _, beside = chart_split(BODY)
    assert fits_page(pages[0], beside, boxes.theme)
    assert len(pages) > 1 and all(p.kind == "bullets" and p.title.endswith(CONTINUED) for p in pages[1:])
    assert bullets_of(pages) == list(slide.bullets)


def test_chart_split_keeps_a_gap_and_gives_the_chart_about_two_thirds() -> None:
    chart, text = chart_split(BODY)
    assert chart.x == BODY.x and text.right == BODY.right and chart.right < text.x
    assert 0.55 < chart.w / BODY.w < 0.7


# ---------------------------------------------------------------- tables


def test_a_short_table_is_one_page_at_the_largest_size() -> None:
    table = sample_table(4)
    pages = paginate(Slide("table", table.title, table=table), Boxes())
    assert [(p.size, p.rows) for p in pages] == [(TABLE_SIZES[0], table.rows)]
    assert pages[0].slide.source_line == table.source_note


def test_a_long_table_is_split_by_rows_every_page_within_the_box_with_its_header() -> None:
    table = sample_table(60)
    boxes = Boxes()
    pages = paginate(Slide("table", table.title, table=table), boxes)
    assert len(pages) > 1
    assert [r for p in pages for r in p.rows] == list(table.rows)
    assert pages[0].title == table.title and all(p.title == table.title + CONTINUED for p in pages[1:])
    family = boxes.theme.fonts.body.family
    for page in pages:
        widths = column_widths(table, BODY.w, page.size, family)
        height = sum(row_height(r, widths, page.size, i == 0, family)
                     for i, r in enumerate((table.header, *page.rows)))
        assert height <= BODY.h


def test_column_widths_fill_the_table_and_never_break_a_word() -> None:
    table = Table(id="t", title="T", caption="", source_note="", header=("Year", "Description of the event"),
                  rows=(("20162017", "short"),), numeric=(False, False), widths=(0.02, 0.98))
    family = sample_theme().fonts.body.family
    widths = column_widths(table, BODY.w, 14, family)
    assert sum(widths) == BODY.w
    assert textfit.wrap("20162017", widths[0] / 12700, 14, family) == ["20162017"]


# ---------------------------------------------------------------- the title slide


def meeting_slide(items: int) -> Slide:
    box = Box("meeting", "For the meeting", (Paragraph((Text("Ask about the border posts."),)),
                                            BulletList(tuple(sentence(i, 12) for i in range(items)))))
    return Slide("title", "Brief", subtitle="For a meeting", box=box)


def test_a_meeting_box_that_fits_stays_on_the_title_page() -> None:
    pages = paginate(meeting_slide(2), Boxes())
    assert [(p.kind, p.box) for p in pages] == [("title", True)]


def test_a_meeting_box_too_long_for_the_title_page_gets_pages_of_its_own() -> None:
    boxes = Boxes()
    slide = meeting_slide(12)
    for size in (16, 14, 12):
        assert not fits(box_lines(slide, size, boxes.theme), boxes.meeting_box, BOX_INSETS, boxes.theme.fonts.body.family)
    pages = paginate(slide, boxes)
    assert pages[0].kind == "title" and not pages[0].box
    assert pages[1].title == "For the meeting" and all(p.kind == "bullets" for p in pages[1:])
    assert len(bullets_of(pages[1:])) == 13  # the paragraph and every item


# ---------------------------------------------------------------- purity


def test_pagination_imports_no_python_pptx() -> None:
    code = ("import sys, briefkit.writers.pptx_paginate; "
            "print(sorted(m for m in sys.modules if m == 'pptx' or m.startswith('pptx.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
