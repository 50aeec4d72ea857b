"""Model slides cut into pages that fit: pure measurement, no python-pptx.

Takes a model `Slide`, the boxes its text may fill (`Frames`: the writer reads them from the master's layouts)
and the theme's fonts; returns `Page`s. Each text is measured with `textfit` against the font's metrics; what
does not fit at a readable size goes to a continuation slide titled "... (continued)" instead of shrinking
or spilling. Sizes are tried largest first; the largest giving the fewest pages wins.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from briefkit.document.model import BulletList, Inline, Paragraph, Slide, Table
from briefkit.fontchain import measured
from briefkit.theme.model import Theme
from briefkit.writers import textfit
from briefkit.writers.pptx_geometry import (
    BOX_INSETS,
    BOX_SIZES,
    BULLET_SIZES,
    CELL_MARGINS,
    CHART_BULLET_SIZES,
    INCH,
    PT,
    SOURCES_SIZES,
    TABLE_SIZES,
    TEXT_INSETS,
    Rect,
    TitleGeometry,
)
from briefkit.writers.pptx_lines import Line, fits, inner, lines_height, plain, to_para

_T = TypeVar("_T")


class Frames(Protocol):
    """The boxes a page's text may fill, by layout kind and foot line (`pptx_layouts.Context` reads them from the
    master), and the theme whose fonts and colours the text is set in."""

    @property
    def theme(self) -> Theme: ...

    @property
    def continued(self) -> str:
        """What follows the title of a page that continues the one before, in the deck's language."""
        ...

    def body_rect(self, kind: str, source_line: str) -> Rect: ...

    def content_rect(self, kind: str, source_line: str) -> Rect: ...

    def title_geometry(self) -> TitleGeometry: ...


@dataclass(frozen=True)
class Page:
    """One slide of the file: a model slide, or a part of one that did not fit."""

    slide: Slide
    kind: str  # the layout kind it is drawn on
    title: str
    bullets: tuple[tuple[Inline, ...], ...] = ()
    size: float = 0.0  # bullet or table text size
    rows: tuple[tuple[str, ...], ...] = ()
    first: bool = True  # carries the chart, the box and the speaker notes
    box: bool = True  # title page: draws the meeting box


def paginate(slide: Slide, frames: Frames) -> list[Page]:
    slide = replace(slide, source_line=_source_line(slide))
    if slide.kind == "title":
        return _title_pages(slide, frames)
    if slide.kind == "section":
        return [Page(slide, "section", slide.title)]
    if slide.kind == "chart" and slide.figure is not None:
        return _chart_pages(slide, frames)
    if slide.kind == "table" and slide.table is not None:
        return _table_pages(slide, frames)
    kind = "sources" if slide.kind == "sources" else "bullets"
    return _bullet_pages(slide, frames, kind, slide.bullets, first=True)


def _source_line(slide: Slide) -> str:
    """The slide's foot line; a chart or table slide without one cites what its figure or table cites."""
    if slide.source_line or slide.kind in ("title", "section"):
        return slide.source_line
    if slide.kind == "chart" and slide.figure is not None:
        return slide.figure.source_note
    if slide.kind == "table" and slide.table is not None:
        return slide.table.source_note
    return ""


def bullet_lines(bullets: tuple[tuple[Inline, ...], ...], size: float, kind: str, theme: Theme) -> list[Line]:
    colour = theme.colours.text
    if kind == "sources":
        return [Line(b, size, colour=colour, hanging=True, space_before=0.4 * size) for b in bullets]
    return [Line(b, size, colour=colour, bullet="\u2022", bullet_colour=theme.colours.primary,
                 space_before=0.5 * size) for b in bullets]


def _bullet_pages(slide: Slide, frames: Frames, kind: str, bullets: tuple[tuple[Inline, ...], ...],
                  first: bool) -> list[Page]:
    """All bullets on one slide at the largest size that fits, else split over as few slides as any readable
    size allows, at the largest such size."""
    if not bullets:
        return [Page(slide, kind, slide.title if first else slide.title + frames.continued, first=first)]
    rect = frames.body_rect(kind, slide.source_line)
    family = measured(frames.theme, "body")
    sizes = SOURCES_SIZES if kind == "sources" else BULLET_SIZES
    size, chunks = _best_split(
        sizes, lambda s: _split_lines(bullet_lines(bullets, s, kind, frames.theme), bullets, rect, family))
    return [Page(slide, kind, slide.title if first and i == 0 else slide.title + frames.continued, chunk, size,
                 first=first and i == 0) for i, chunk in enumerate(chunks)]


def _best_split(sizes: tuple[float, ...], split: Callable[[float], list[_T]]) -> tuple[float, list[_T]]:
    """The largest size giving the fewest chunks (one chunk: everything fits on one slide)."""
    chunks = {size: split(size) for size in sizes}
    fewest = min(len(c) for c in chunks.values())
    size = max(s for s, c in chunks.items() if len(c) == fewest)
    return size, chunks[size]


def _split_lines(lines: list[Line], bullets: tuple[tuple[Inline, ...], ...], rect: Rect,
                 family: textfit.Family) -> list[tuple[tuple[Inline, ...], ...]]:
    """Bullets in chunks that fit the box; a bullet too long for a whole slide is cut between its lines."""
    width, height = inner(rect, TEXT_INSETS)
    paras = [replace(to_para(line), tag=i) for i, line in enumerate(lines)]
    chunks = textfit.chunk_to_fit(paras, width, height, family)
    return [tuple(bullets[p.tag] if p.text == paras[p.tag].text else plain(p.text) for p in chunk)
            for chunk in chunks]


def chart_split(rect: Rect) -> tuple[Rect, Rect]:
    """The chart on the left, about two thirds; the bullets beside it."""
    text_w = int(rect.w * 0.34)
    gap = int(0.35 * INCH)
    return Rect(rect.x, rect.y, rect.w - text_w - gap, rect.h), Rect(rect.right - text_w, rect.y, text_w, rect.h)


def _chart_pages(slide: Slide, frames: Frames) -> list[Page]:
    """The chart with its bullets beside it; bullets that do not fit there go on a continuation slide."""
    if not slide.bullets:
        return [Page(slide, "chart", slide.title)]
    _, text_rect = chart_split(frames.content_rect("chart", slide.source_line))
    family = measured(frames.theme, "body")
    size, chunks = _best_split(CHART_BULLET_SIZES, lambda s: _split_lines(
        bullet_lines(slide.bullets, s, "bullets", frames.theme), slide.bullets, text_rect, family))
    rest = tuple(b for chunk in chunks[1:] for b in chunk)
    pages = [Page(slide, "chart", slide.title, chunks[0], size)]
    return pages + (_bullet_pages(slide, frames, "bullets", rest, first=False) if rest else [])


# ---------------------------------------------------------------- tables


def _cell_width(column: int | float) -> float:
    """The width (pt) a cell's text may take: the column less its margins, less a little for LibreOffice,
    which breaks a line a few points before the measured edge."""
    return (column - 2 * CELL_MARGINS[0]) / PT * 0.94


@functools.lru_cache(maxsize=32)
def column_widths(table: Table, total: int, size: float, family: textfit.Family) -> tuple[int, ...]:
    """The table's relative widths, widened where a column's longest word would not fit (a year must not
    break as '201/6'), the room taken from the columns with the most to spare. Kept per table and size: every
    slide of a long table asks again, and measuring all its rows each time made a deck quadratic in rows."""
    count = len(table.header)
    shares = list(table.widths) if len(table.widths) == count and sum(table.widths) > 0 else [1.0] * count
    widths = [total * s / sum(shares) for s in shares]
    need = []
    for c in range(count):
        words = [(w, True) for w in table.header[c].split()] + [(w, False) for r in table.rows for w in r[c].split()]
        widest = max((textfit.text_width(w, size, family, bold) for w, bold in words), default=0.0)
        need.append(widest / 0.94 * PT + 2 * CELL_MARGINS[0] + PT)
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    spare = [max(0.0, w - n) for n, w in zip(need, widths, strict=True)]
    if short and sum(spare) >= short:
        widths = [max(w, n) - (sp / sum(spare) * short if sp else 0.0)
                  for w, n, sp in zip(widths, need, spare, strict=True)]
    result = [int(w) for w in widths]
    result[-1] += total - sum(result)
    return tuple(result)


def row_height(cells: tuple[str, ...], widths: tuple[int, ...], size: float, bold: bool, family: textfit.Family) -> int:
    """The row's height: its tallest cell, measured, plus the cell margins."""
    lines = max((len(textfit.wrap(text, _cell_width(w), size, family, bold))
                 for text, w in zip(cells, widths, strict=True)), default=1)
    return lines_height(lines, size) + 2 * CELL_MARGINS[1]


def _table_pages(slide: Slide, frames: Frames) -> list[Page]:
    """The whole table at the largest size that fits; else rows split over slides, each with the header."""
    table = slide.table
    assert table is not None
    rect = frames.content_rect("table", slide.source_line)
    budget = int(rect.h * 0.97)  # viewers set a line a little taller than 1.2 x the size
    family = measured(frames.theme, "body")

    def split(size: float) -> list[tuple[int, int]]:
        heights = _table_heights(table, column_widths(table, rect.w, size, family), size, family)
        return textfit.balanced_spans(heights[1:], budget - heights[0]) if table.rows else [(0, 0)]

    size, spans = _best_split(TABLE_SIZES, split)
    return [Page(slide, "table", slide.title if i == 0 else slide.title + frames.continued, size=size,
                 rows=table.rows[a:b], first=i == 0) for i, (a, b) in enumerate(spans)]


def _table_heights(table: Table, widths: tuple[int, ...], size: float, family: textfit.Family) -> list[int]:
    """Header first, then each row."""
    return [row_height(table.header, widths, size, True, family)] + [
        row_height(row, widths, size, False, family) for row in table.rows]


def box_lines(slide: Slide, size: float, theme: Theme) -> list[Line]:
    """The meeting box: its title in bold primary, then its paragraphs and bullet items."""
    box = slide.box
    assert box is not None
    lines = [Line(plain(box.title), size + 2, bold=True, colour=theme.colours.primary)]
    for block in box.blocks:
        if isinstance(block, Paragraph):
            lines.append(Line(block.inlines, size, colour=theme.colours.text, space_before=0.4 * size))
        elif isinstance(block, BulletList):
            lines += [Line(item, size, bullet="\u2022", bullet_colour=theme.colours.primary,
                           colour=theme.colours.text, space_before=0.4 * size) for item in block.items]
    return lines


def box_size(slide: Slide, frames: Frames) -> float | None:
    rect = frames.title_geometry().box
    for size in BOX_SIZES:
        if fits(box_lines(slide, size, frames.theme), rect, BOX_INSETS, measured(frames.theme, "body")):
            return size
    return None


def _title_pages(slide: Slide, frames: Frames) -> list[Page]:
    """The title slide; a meeting box too long for it gets a slide of its own after it."""
    if slide.box is None or box_size(slide, frames) is not None:
        return [Page(slide, "title", slide.title)]
    items = tuple(item for block in slide.box.blocks for item in _block_items(block))
    own = Slide("bullets", slide.box.title, bullets=items)
    return [Page(slide, "title", slide.title, box=False), *_bullet_pages(own, frames, "bullets", items, True)]


def _block_items(block: object) -> tuple[tuple[Inline, ...], ...]:
    if isinstance(block, Paragraph):
        return (block.inlines,)
    if isinstance(block, BulletList):
        return block.items
    return ()

