"""Table slides: a native table, its columns and rows as pagination measured them, header row marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.enum.text import MSO_ANCHOR
from pptx.slide import Slide as PptxSlide
from pptx.table import _Cell
from pptx.util import Emu

from briefkit.fontchain import measured
from briefkit.writers import pptx_xml as px
from briefkit.writers.pptx_frames import rgb, write_lines
from briefkit.writers.pptx_geometry import CELL_MARGINS, PT
from briefkit.writers.pptx_lines import Line, plain
from briefkit.writers.pptx_paginate import Page, column_widths, row_height

if TYPE_CHECKING:
    from briefkit.writers.pptx_layouts import Context

NO_STYLE_NO_GRID = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"


def fill_table_slide(slide: PptxSlide, page: Page, ctx: Context) -> None:
    table = page.slide.table
    assert table is not None
    rect = ctx.content_rect("table", page.slide.source_line)
    family = measured(ctx.theme, "body")
    widths = column_widths(table, rect.w, page.size, family)
    rows = (table.header, *page.rows)
    heights = [row_height(r, widths, page.size, i == 0, family) for i, r in enumerate(rows)]
    frame = slide.shapes.add_table(len(rows), len(widths), *px.emu(rect.x, rect.y, rect.w, sum(heights)))
    frame.name = f"Table {table.number}" if table.number else "Table"
    px.set_table_style(frame, NO_STYLE_NO_GRID)
    grid = frame.table
    grid.first_row = True  # a:tblPr firstRow="1": the header row, for screen readers and styles
    grid.horz_banding = False
    for i, width in enumerate(widths):
        grid.columns[i].width = width
    for r, (cells, height) in enumerate(zip(rows, heights, strict=True)):
        grid.rows[r].height = height
        for c, text in enumerate(cells):
            _fill_cell(grid.cell(r, c), text, r, table.numeric[c] if c < len(table.numeric) else False,
                       page.size, ctx)


def _fill_cell(cell: _Cell, text: str, row: int, numeric: bool, size: float, ctx: Context) -> None:
    colours = ctx.theme.colours
    header = row == 0
    cell.margin_left = cell.margin_right = Emu(CELL_MARGINS[0])
    cell.margin_top = cell.margin_bottom = Emu(CELL_MARGINS[1])
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    line = Line(plain(text), size, bold=header, colour="#FFFFFF" if header else colours.text,
                align="right" if numeric else "left")
    write_lines(cell.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)
    cell.fill.solid()
    fill = colours.primary if header else (colours.box if row % 2 == 0 else "#FFFFFF")
    cell.fill.fore_color.rgb = rgb(fill)
    if not header:
        px.set_cell_bottom_border(cell, PT // 2, "#C8CDD4")

