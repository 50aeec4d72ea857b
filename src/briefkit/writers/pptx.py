"""The deck as PPTX: slides on the master's layouts, native editable charts and tables, text measured to fit.

Takes a `Deck` and a `Theme`; returns the .pptx bytes. The master is the user's `master.pptx` when the theme
names one, else the built-in master (`master_pptx_bytes`): python-pptx's default template made 16:9 and given
the theme's colours and fonts. Each model slide becomes one or more pages: every text is measured with
`textfit` against the theme font's metrics, and what does not fit at a readable size moves to a continuation
slide titled "... (continued)" instead of shrinking or spilling. Font sizes are written on every run and
autofit is off, so PowerPoint and LibreOffice show what was measured.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.slide import SlideLayout
from pptx.table import _Cell
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Pt

from briefkit.document.model import (
    BulletList,
    ChartData,
    Deck,
    Emph,
    Figure,
    Inline,
    LineBreak,
    Link,
    Meta,
    Paragraph,
    Slide,
    Strong,
    Table,
    Text,
)
from briefkit.errors import TemplateError
from briefkit.theme.model import DEFAULT_LAYOUTS, Theme
from briefkit.theme.stamp import follow_theme
from briefkit.writers import pptx_xml as px
from briefkit.writers import textfit
from briefkit.writers.reproducible import build_timestamp, normalize_zip

INCH = 914400
PT = 12700
SLIDE_WIDTH, SLIDE_HEIGHT = 12192000, 6858000  # 13.333 x 7.5 in, 16:9
CONTINUED = " (continued)"

# Font sizes in points, largest first: the first that fits wins; below the last, text moves to a new slide.
TITLE_SIZES = (28, 26, 24, 22, 20)
BULLET_SIZES = (20, 18, 16)
SOURCES_SIZES = (18, 16)
CHART_BULLET_SIZES = (18, 16)  # beside a chart, where the chart carries the slide
TABLE_SIZES = (14, 12)
BOX_SIZES = (16, 14, 12)
SOURCE_LINE_SIZE = 12
NUMBER_SIZE = 12
MARKING_SIZE = 14
CHART_TEXT_SIZE = 14  # projected: axis, legend and data labels no smaller than the foot line
CATEGORY_SIZES = (14, 13, 12)

BULLET_MARGIN = int(0.32 * INCH)
TEXT_INSETS = (0, int(0.04 * INCH), 0, int(0.04 * INCH))  # left, top, right, bottom
BOX_INSETS = (int(0.25 * INCH), int(0.18 * INCH), int(0.25 * INCH), int(0.18 * INCH))
CELL_MARGINS = (int(0.08 * INCH), int(0.04 * INCH))  # left/right, top/bottom
NO_STYLE_NO_GRID = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
MASTER_TIMESTAMP = 1704067200  # 2024-01-01: the exported master's date when SOURCE_DATE_EPOCH is unset
CONTENT_KINDS = ("bullets", "chart", "table", "sources")
_T = TypeVar("_T")


# ================================================================ public


def write_pptx(deck: Deck, theme: Theme) -> bytes:
    """The deck as .pptx bytes, byte-identical for the same deck and theme."""
    prs = _open_master(theme)
    ctx = _Context(prs, theme, deck.meta, _resolve_layouts(prs, theme))
    pages = [page for slide in deck.slides for page in _pages(slide, ctx)]
    for number, page in enumerate(pages, start=1):
        _render(page, number, ctx)
    _set_metadata(prs, deck.meta, len(pages))
    _normalize_workbooks(prs, deck.meta.timestamp)
    return _save(prs, deck.meta.timestamp)


def master_pptx_bytes(theme: Theme) -> bytes:
    """The built-in master: python-pptx's default template, 16:9, in the theme's colours and fonts.

    `briefkit theme export` writes it as master.pptx for users to edit; `write_pptx` uses it when the theme
    has no master of its own, so the exported file is exactly what decks are built on.
    """
    prs = Presentation()
    _widen(prs)
    _apply_theme_part(prs, theme)
    _style_master(prs, theme)
    _style_title_layout(prs, theme)
    _style_section_layout(prs, theme)
    px.drop_thumbnail(prs)
    meta_time = build_timestamp(MASTER_TIMESTAMP)
    _clean_core_properties(prs, theme.organisation, meta_time)
    prs.core_properties.title = f"{theme.name} slide master"
    _set_extended_properties(prs, theme.organisation, slides=0, notes=0)
    return _save(prs, meta_time)


# ================================================================ the built-in master


def _inches(x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
    return round(x * INCH), round(y * INCH), round(w * INCH), round(h * INCH)


_WIDE = SLIDE_WIDTH / INCH  # 13.333 in
MASTER_TITLE = _inches(0.6, 0.3, _WIDE - 1.2, 0.95)
MASTER_RULE = _inches(0.6, 1.33, _WIDE - 1.2, 0.025)
MASTER_BAND = _inches(0, 0, _WIDE, 0.09)
MASTER_BODY = _inches(0.6, 1.55, _WIDE - 1.2, 5.2)
MASTER_NUMBER = _inches(_WIDE - 1.6, 6.95, 1.0, 0.35)
MASTER_FOOTER = _inches(0.6, 6.95, 7.0, 0.35)
MASTER_DATE = _inches(_WIDE - 4.0, 6.95, 2.3, 0.35)
TITLE_BAND = _inches(0, 0, _WIDE, 4.3)
TITLE_TITLE = _inches(0.8, 1.4, _WIDE - 1.6, 2.0)
TITLE_SUBTITLE = _inches(0.8, 3.5, _WIDE - 1.6, 0.6)
SECTION_TITLE = _inches(0.8, 2.2, _WIDE - 1.6, 1.8)
SECTION_ACCENT = _inches(0.8, 4.2, 1.2, 0.06)
SECTION_BODY = _inches(0.8, 4.45, _WIDE - 1.6, 1.0)


def _widen(prs: PresentationType) -> None:
    """4:3 -> 16:9: stretch every master and layout shape sideways, then set the slide size."""
    factor = SLIDE_WIDTH / prs.slide_width
    master = prs.slide_master
    px.scale_x(master._element.find(px.qn("p:cSld")), factor)
    for layout in master.slide_layouts:
        px.scale_x(layout._element.find(px.qn("p:cSld")), factor)
    px.set_slide_size(prs, SLIDE_WIDTH, SLIDE_HEIGHT)


def _theme_colours(theme: Theme) -> dict[str, str]:
    c = theme.colours
    palette = list(c.palette) or [c.primary]
    accents = {f"accent{i + 1}": palette[i % len(palette)] for i in range(6)}
    return {"dk1": c.text, "lt1": "#FFFFFF", "dk2": c.primary, "lt2": c.box, **accents,
            "hlink": c.primary, "folHlink": c.muted}


def _apply_theme_part(prs: PresentationType, theme: Theme) -> None:
    def edit(root: px.etree._Element) -> None:
        px.set_colour_scheme(root, theme.name, _theme_colours(theme))
        px.set_font_scheme(root, theme.name, theme.fonts.heading.office, theme.fonts.body.office)

    px.edit_xml_part(px.theme_part(prs.slide_master), edit)


def _style_master(prs: PresentationType, theme: Theme) -> None:
    """Titles left, bold, primary, 28 pt above a primary rule; body 20 pt; footers small and muted."""
    master = prs.slide_master
    boxes = {PP_PLACEHOLDER.TITLE: MASTER_TITLE, PP_PLACEHOLDER.BODY: MASTER_BODY,
             PP_PLACEHOLDER.SLIDE_NUMBER: MASTER_NUMBER, PP_PLACEHOLDER.FOOTER: MASTER_FOOTER,
             PP_PLACEHOLDER.DATE: MASTER_DATE}
    inherit_from_master = _placeholders_like_master(prs)
    for ph in master.placeholders:
        kind = ph.placeholder_format.type
        px.set_xfrm(ph._element, boxes[kind])
        if kind == PP_PLACEHOLDER.TITLE:
            px.set_body(ph._element, anchor="b", insets=(0, int(0.05 * INCH), 0, int(0.05 * INCH)), autofit=False)
        elif kind == PP_PLACEHOLDER.BODY:
            px.set_body(ph._element, insets=TEXT_INSETS, autofit=False)
        else:
            px.set_body(ph._element, insets=(0, 0, 0, 0))
    for element in inherit_from_master:
        px.clear_xfrm(element)
    styles = master._element.find(px.qn("p:txStyles"))
    px.style_level(styles.find(f"{px.qn('p:titleStyle')}/{px.qn('a:lvl1pPr')}"), TITLE_SIZES[0], "tx2", True, "l")
    for n, level in enumerate(styles.find(px.qn("p:bodyStyle")), start=1):
        px.style_level(level, max(16, 22 - 2 * n), "tx1")
    sp_tree = master.shapes._spTree
    px.add_rect(sp_tree, "Title rule", MASTER_RULE, "tx2")
    px.add_rect(sp_tree, "Top band", MASTER_BAND, "tx2")


def _placeholders_like_master(prs: PresentationType) -> list[px.etree._Element]:
    """Layout placeholders sitting exactly where the master's title or body is: they should keep inheriting."""
    master = prs.slide_master
    spots = {ph.placeholder_format.type: (ph.left, ph.top, ph.width, ph.height) for ph in master.placeholders}
    same = []
    for layout in master.slide_layouts:
        for ph in layout.placeholders:
            kind = ph.placeholder_format.type
            base = PP_PLACEHOLDER.TITLE if kind == PP_PLACEHOLDER.TITLE else PP_PLACEHOLDER.BODY
            if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY) and \
                    (ph.left, ph.top, ph.width, ph.height) == spots.get(base):
                same.append(ph._element)
    return same


def _layout_named(prs: PresentationType, name: str) -> SlideLayout:
    return next(layout for layout in prs.slide_layouts if layout.name == name)


def _style_title_layout(prs: PresentationType, theme: Theme) -> None:
    """A primary band holding the title (white, 40 pt) and the subtitle (light, 20 pt)."""
    layout = _layout_named(prs, DEFAULT_LAYOUTS["title"])
    px.hide_master_shapes(layout._element)
    px.add_rect(layout.shapes._spTree, "Title band", TITLE_BAND, "tx2")
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.CENTER_TITLE:
            px.set_xfrm(ph._element, TITLE_TITLE)
            px.set_placeholder_style(ph._element, 40, "bg1", bold=True, anchor="b")
            px.set_body(ph._element, insets=(0, 0, 0, int(0.05 * INCH)), autofit=False)
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            px.set_xfrm(ph._element, TITLE_SUBTITLE)
            px.set_placeholder_style(ph._element, 20, "bg2", anchor="t")
            px.set_body(ph._element, insets=(0, int(0.05 * INCH), 0, 0), autofit=False)


def _style_section_layout(prs: PresentationType, theme: Theme) -> None:
    """A full primary slide with the section title in white above a short accent bar."""
    layout = _layout_named(prs, DEFAULT_LAYOUTS["section"])
    px.hide_master_shapes(layout._element)
    sp_tree = layout.shapes._spTree
    px.add_rect(sp_tree, "Section accent", SECTION_ACCENT, theme.colours.accent)
    px.add_rect(sp_tree, "Section background", _inches(0, 0, _WIDE, SLIDE_HEIGHT / INCH), "tx2")
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE:
            px.set_xfrm(ph._element, SECTION_TITLE)
            px.set_placeholder_style(ph._element, 36, "bg1", bold=True, anchor="b")
            px.set_body(ph._element, insets=(0, 0, 0, int(0.05 * INCH)), autofit=False)
        elif kind == PP_PLACEHOLDER.BODY:
            px.set_xfrm(ph._element, SECTION_BODY)
            px.set_placeholder_style(ph._element, 20, "bg2", anchor="t")


# ================================================================ opening a master and finding its layouts


def _open_master(theme: Theme) -> PresentationType:
    if theme.master_pptx is None:
        return Presentation(io.BytesIO(master_pptx_bytes(theme)))
    try:
        prs = Presentation(io.BytesIO(follow_theme(theme.master_pptx.read_bytes(), theme)))
    except Exception as exc:  # python-pptx raises several kinds for a file that is not a presentation
        raise TemplateError.at(theme.master_pptx, f"master.pptx cannot be opened as a presentation: {exc}") from exc
    px.drop_all_slides(prs)
    return prs


def _resolve_layouts(prs: PresentationType, theme: Theme) -> dict[str, SlideLayout]:
    """Slide kind -> layout, by the names the theme gives; a missing layout is the user's error, listed."""
    wanted = {**DEFAULT_LAYOUTS, **theme.layouts}
    by_name: dict[str, SlideLayout] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            by_name.setdefault(layout.name, layout)
    where = theme.master_pptx or "built-in master"
    missing = sorted({name for name in wanted.values() if name not in by_name})
    if missing:
        raise TemplateError.at(where, f"master.pptx lacks layouts: {', '.join(missing)} "
                                      f"(has: {', '.join(by_name)})")
    untitled = sorted({name for name in wanted.values() if _title_placeholder(by_name[name]) is None})
    if untitled:
        raise TemplateError.at(where, f"master.pptx layouts without a title placeholder: {', '.join(untitled)}")
    return {kind: by_name[name] for kind, name in wanted.items()}


def _title_placeholder(layout: SlideLayout) -> Shape | None:
    return next((ph for ph in layout.placeholders if ph.placeholder_format.idx == 0), None)


def _placeholder_of(layout: SlideLayout, *kinds: PP_PLACEHOLDER) -> Shape | None:
    return next((ph for ph in layout.placeholders
                 if ph.placeholder_format.type in kinds and ph.placeholder_format.idx != 0), None)


# ================================================================ geometry


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @classmethod
    def of(cls, shape: Shape) -> Rect:
        return cls(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _remembered(method: Callable[..., _T]) -> Callable[..., _T]:
    """A geometry method of `_Context` whose results are kept in its `geometry`, by method and arguments: reading a
    placeholder's position walks the master's XML, and every page asks for the same few rectangles."""

    @functools.wraps(method)
    def remembered(ctx: _Context, *args: str) -> _T:
        key = (method.__name__, *args)
        if key not in ctx.geometry:
            ctx.geometry[key] = method(ctx, *args)
        return ctx.geometry[key]  # type: ignore[no-any-return]

    return remembered


@dataclass(frozen=True)
class _Context:
    """What every page needs: the presentation, the theme, the deck's metadata and the resolved layouts."""

    prs: PresentationType
    theme: Theme
    meta: Meta
    layouts: dict[str, SlideLayout]
    geometry: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)  # `_remembered`

    @property
    def width(self) -> int:
        return int(self.prs.slide_width)

    @property
    def height(self) -> int:
        return int(self.prs.slide_height)

    @_remembered
    def title_rect(self, kind: str) -> Rect:
        return Rect.of(_title_placeholder(self.layouts[kind]))

    def margins(self, kind: str) -> tuple[int, int]:
        """Left and right margins: where the layout's title box starts and ends, within sensible bounds."""
        title = self.title_rect(kind)
        least, most = int(0.3 * INCH), int(1.5 * INCH)
        return min(max(title.x, least), most), min(max(self.width - title.right, least), most)

    @_remembered
    def source_rect(self, kind: str, source_line: str) -> Rect | None:
        """The foot line's box, as tall as its measured text, above the slide's bottom edge."""
        if not source_line:
            return None
        left, right = self.margins(kind)
        end = self.width - right
        number = _placeholder_of(self.layouts[kind], PP_PLACEHOLDER.SLIDE_NUMBER)
        if number is not None and number.top > self.height * 0.75 and number.left > self.width / 2:
            end = min(end, int(number.left) - int(0.15 * INCH))
        width = end - left
        lines = _source_lines(source_line, width, self.theme)
        height = round(_lines_height(lines) * 1.1) + TEXT_INSETS[1] + TEXT_INSETS[3]  # room for viewers' leading
        return Rect(left, self.height - int(0.22 * INCH) - height, width, height)

    @_remembered
    def content_rect(self, kind: str, source_line: str) -> Rect:
        """The area between the title and the foot line for charts, tables and text."""
        left, right = self.margins(kind)
        top = self.title_rect(kind).bottom + int(0.3 * INCH)
        source = self.source_rect(kind, source_line)
        bottom = source.y - int(0.12 * INCH) if source else self.height - int(0.65 * INCH)
        return Rect(left, top, self.width - left - right, bottom - top)

    @_remembered
    def body_rect(self, kind: str, source_line: str) -> Rect:
        """The layout's body placeholder, cut off above the foot line; the content area if it has none."""
        content = self.content_rect(kind, source_line)
        body = _placeholder_of(self.layouts[kind], PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        if body is None:
            return content
        box = Rect.of(body)
        return Rect(box.x, box.y, box.w, content.bottom - box.y)


def _lines_height(lines: int, size: float = SOURCE_LINE_SIZE) -> int:
    return round(lines * textfit.LINE_HEIGHT * size * PT)


def _source_lines(text: str, width: int, theme: Theme) -> int:
    return len(textfit.wrap(text, (width - TEXT_INSETS[0] - TEXT_INSETS[2]) / PT, SOURCE_LINE_SIZE,
                            theme.fonts.body.family))


# ================================================================ text: what to write, measured before it is written


@dataclass(frozen=True)
class Line:
    """One paragraph to write into a text frame, with everything that decides its measured height."""

    inlines: tuple[Inline, ...]
    size: float
    bold: bool = False
    colour: str = ""  # '#RRGGBB', or '' to inherit from the layout
    bullet: str | None = None  # bullet character; None for none
    bullet_colour: str = ""
    hanging: bool = False  # hanging indent without a bullet (reference lists)
    space_before: float = 0.0
    align: PP_ALIGN | None = None


def _flatten(inlines: tuple[Inline, ...], bold: bool = False, italic: bool = False,
             url: str = "") -> Iterator[tuple[str, bool, bool, str]]:
    """(text, bold, italic, link) runs in order; a line break is the text '\\n'. Note references are dropped:
    a slide has no footnotes (its sources are on its foot line)."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text, bold, italic, url
        elif isinstance(node, Strong):
            yield from _flatten(node.children, True, italic, url)
        elif isinstance(node, Emph):
            yield from _flatten(node.children, bold, True, url)
        elif isinstance(node, Link):
            yield from _flatten(node.children, bold, italic, node.url)
        elif isinstance(node, LineBreak):
            yield "\n", bold, italic, url


def _indent(line: Line) -> int:
    return BULLET_MARGIN if line.bullet or line.hanging else 0


def _to_para(line: Line) -> textfit.Para:
    runs = list(_flatten(line.inlines))
    return textfit.Para(text="".join(r[0] for r in runs), size=line.size,
                        bold=line.bold or any(r[1] for r in runs), indent=_indent(line) / PT,
                        space_before=line.space_before)


def _inner(rect: Rect, insets: tuple[int, int, int, int]) -> tuple[float, float]:
    """Width and height (pt) inside the box's insets."""
    left, top, right, bottom = insets
    return (rect.w - left - right) / PT, (rect.h - top - bottom) / PT


def _fits(lines: list[Line], rect: Rect, insets: tuple[int, int, int, int], family: str) -> bool:
    width, height = _inner(rect, insets)
    return textfit.fits([_to_para(line) for line in lines], width, height, family)


def _prepare(frame: TextFrame, insets: tuple[int, int, int, int], anchor: MSO_ANCHOR | None = None) -> None:
    """Wrap on, autofit off, explicit insets: the box behaves as it was measured in every viewer."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = (Emu(v) for v in insets)
    if anchor is not None:
        frame.vertical_anchor = anchor


def _write(frame: TextFrame, lines: list[Line], font: str, lang: str) -> None:
    frame.clear()
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if line.bullet or line.hanging:
            px.set_bullet(paragraph, BULLET_MARGIN, -BULLET_MARGIN, line.bullet, line.bullet_colour)
        paragraph.line_spacing = 1.0
        paragraph.space_before = Pt(line.space_before if i else 0)
        paragraph.space_after = Pt(0)
        if line.align is not None:
            paragraph.alignment = line.align
        for text, bold, italic, url in _flatten(line.inlines):
            _add_run(paragraph, text, line, font, lang, bold or line.bold, italic, url)
        px.set_end_size(paragraph, line.size, lang)


def _add_run(paragraph: _Paragraph, text: str, line: Line, font: str, lang: str, bold: bool, italic: bool,
             url: str) -> None:
    for n, piece in enumerate(text.split("\n")):
        if n:
            paragraph.add_line_break()
        if not piece:
            continue
        run = paragraph.add_run()
        run.text = piece
        run.font.size = Pt(line.size)
        run.font.name = font
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True
        if line.colour:
            run.font.color.rgb = RGBColor.from_string(px.hex_colour(line.colour))
        if url:
            run.hyperlink.address = url
        px.set_language(run, lang)


def _plain(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


# ================================================================ pages: model slides cut to what fits


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


def _pages(slide: Slide, ctx: _Context) -> list[Page]:
    slide = replace(slide, source_line=_source_line(slide))
    if slide.kind == "title":
        return _title_pages(slide, ctx)
    if slide.kind == "section":
        return [Page(slide, "section", slide.title)]
    if slide.kind == "chart" and slide.figure is not None:
        return _chart_pages(slide, ctx)
    if slide.kind == "table" and slide.table is not None:
        return _table_pages(slide, ctx)
    kind = "sources" if slide.kind == "sources" else "bullets"
    return _bullet_pages(slide, ctx, kind, slide.bullets, first=True)


def _source_line(slide: Slide) -> str:
    """The slide's foot line; a chart or table slide without one cites what its figure or table cites."""
    if slide.source_line or slide.kind in ("title", "section"):
        return slide.source_line
    if slide.kind == "chart" and slide.figure is not None:
        return slide.figure.source_note
    if slide.kind == "table" and slide.table is not None:
        return slide.table.source_note
    return ""


def _bullet_lines(bullets: tuple[tuple[Inline, ...], ...], size: float, kind: str, theme: Theme) -> list[Line]:
    colour = theme.colours.text
    if kind == "sources":
        return [Line(b, size, colour=colour, hanging=True, space_before=0.4 * size) for b in bullets]
    return [Line(b, size, colour=colour, bullet="\u2022", bullet_colour=theme.colours.primary,
                 space_before=0.5 * size) for b in bullets]


def _bullet_pages(slide: Slide, ctx: _Context, kind: str, bullets: tuple[tuple[Inline, ...], ...],
                  first: bool) -> list[Page]:
    """All bullets on one slide at the largest size that fits, else split over as few slides as any readable
    size allows, at the largest such size."""
    if not bullets:
        return [Page(slide, kind, slide.title if first else slide.title + CONTINUED, first=first)]
    rect = ctx.body_rect(kind, slide.source_line)
    family = ctx.theme.fonts.body.family
    sizes = SOURCES_SIZES if kind == "sources" else BULLET_SIZES
    size, chunks = _best_split(
        sizes, lambda s: _split_lines(_bullet_lines(bullets, s, kind, ctx.theme), bullets, rect, family))
    return [Page(slide, kind, slide.title if first and i == 0 else slide.title + CONTINUED, chunk, size,
                 first=first and i == 0) for i, chunk in enumerate(chunks)]


def _best_split(sizes: tuple[float, ...], split: Callable[[float], list[_T]]) -> tuple[float, list[_T]]:
    """The largest size giving the fewest chunks (one chunk: everything fits on one slide)."""
    chunks = {size: split(size) for size in sizes}
    fewest = min(len(c) for c in chunks.values())
    size = max(s for s, c in chunks.items() if len(c) == fewest)
    return size, chunks[size]


def _split_lines(lines: list[Line], bullets: tuple[tuple[Inline, ...], ...], rect: Rect,
                 family: str) -> list[tuple[tuple[Inline, ...], ...]]:
    """Bullets in chunks that fit the box; a bullet too long for a whole slide is cut between its lines."""
    width, height = _inner(rect, TEXT_INSETS)
    paras = [replace(_to_para(line), tag=i) for i, line in enumerate(lines)]
    chunks = textfit.chunk_to_fit(paras, width, height, family)
    return [tuple(bullets[p.tag] if p.text == paras[p.tag].text else _plain(p.text) for p in chunk)
            for chunk in chunks]


def _chart_split(rect: Rect) -> tuple[Rect, Rect]:
    """The chart on the left, about two thirds; the bullets beside it."""
    text_w = int(rect.w * 0.34)
    gap = int(0.35 * INCH)
    return Rect(rect.x, rect.y, rect.w - text_w - gap, rect.h), Rect(rect.right - text_w, rect.y, text_w, rect.h)


def _chart_pages(slide: Slide, ctx: _Context) -> list[Page]:
    """The chart with its bullets beside it; bullets that do not fit there go on a continuation slide."""
    if not slide.bullets:
        return [Page(slide, "chart", slide.title)]
    _, text_rect = _chart_split(ctx.content_rect("chart", slide.source_line))
    family = ctx.theme.fonts.body.family
    size, chunks = _best_split(CHART_BULLET_SIZES, lambda s: _split_lines(
        _bullet_lines(slide.bullets, s, "bullets", ctx.theme), slide.bullets, text_rect, family))
    rest = tuple(b for chunk in chunks[1:] for b in chunk)
    pages = [Page(slide, "chart", slide.title, chunks[0], size)]
    return pages + (_bullet_pages(slide, ctx, "bullets", rest, first=False) if rest else [])


# ---------------------------------------------------------------- tables


def _cell_width(column: int | float) -> float:
    """The width (pt) a cell's text may take: the column less its margins, less a little for LibreOffice,
    which breaks a line a few points before the measured edge."""
    return (column - 2 * CELL_MARGINS[0]) / PT * 0.94


@functools.lru_cache(maxsize=32)
def _column_widths(table: Table, total: int, size: float, family: str) -> tuple[int, ...]:
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


def _row_height(cells: tuple[str, ...], widths: tuple[int, ...], size: float, bold: bool, family: str) -> int:
    """The row's height: its tallest cell, measured, plus the cell margins."""
    lines = max((len(textfit.wrap(text, _cell_width(w), size, family, bold))
                 for text, w in zip(cells, widths, strict=True)), default=1)
    return _lines_height(lines, size) + 2 * CELL_MARGINS[1]


def _table_pages(slide: Slide, ctx: _Context) -> list[Page]:
    """The whole table at the largest size that fits; else rows split over slides, each with the header."""
    table = slide.table
    assert table is not None
    rect = ctx.content_rect("table", slide.source_line)
    budget = int(rect.h * 0.97)  # viewers set a line a little taller than 1.2 x the size
    family = ctx.theme.fonts.body.family

    def split(size: float) -> list[tuple[int, int]]:
        heights = _table_heights(table, _column_widths(table, rect.w, size, family), size, family)
        return textfit.balanced_spans(heights[1:], budget - heights[0]) if table.rows else [(0, 0)]

    size, spans = _best_split(TABLE_SIZES, split)
    return [Page(slide, "table", slide.title if i == 0 else slide.title + CONTINUED, size=size,
                 rows=table.rows[a:b], first=i == 0) for i, (a, b) in enumerate(spans)]


def _table_heights(table: Table, widths: tuple[int, ...], size: float, family: str) -> list[int]:
    """Header first, then each row."""
    return [_row_height(table.header, widths, size, True, family)] + [
        _row_height(row, widths, size, False, family) for row in table.rows]


# ---------------------------------------------------------------- the title slide


@dataclass(frozen=True)
class _TitleGeometry:
    marking: Rect
    org: Rect
    box: Rect
    logo: Rect


def _title_geometry(ctx: _Context) -> _TitleGeometry:
    """Marking above the title; below the title block, the meeting box on the left (read after the subtitle)
    and the logo or organisation in the bottom right corner."""
    layout = ctx.layouts["title"]
    title = ctx.title_rect("title")
    sub = _placeholder_of(layout, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
    below = max(title.bottom, Rect.of(sub).bottom if sub is not None else 0) + int(0.5 * INCH)
    bottom = ctx.height - int(0.45 * INCH)
    left, right = ctx.margins("title")
    box_w = min(int(6.4 * INCH), int(ctx.width * 0.5))
    logo_h = int(0.7 * INCH)
    org_w = min(int(4.0 * INCH), ctx.width - right - left - box_w - int(0.4 * INCH))
    return _TitleGeometry(
        marking=Rect(title.x, max(int(0.3 * INCH), title.y - int(0.75 * INCH)), 0, int(0.42 * INCH)),
        org=Rect(ctx.width - right - org_w, bottom - int(0.5 * INCH), org_w, int(0.5 * INCH)),
        box=Rect(left, below, box_w, max(bottom - below, 0)),  # no room: the box gets a slide of its own
        logo=Rect(ctx.width - right, bottom - logo_h, 0, logo_h),
    )


def _box_lines(slide: Slide, size: float, theme: Theme) -> list[Line]:
    """The meeting box: its title in bold primary, then its paragraphs and bullet items."""
    box = slide.box
    assert box is not None
    lines = [Line(_plain(box.title), size + 2, bold=True, colour=theme.colours.primary)]
    for block in box.blocks:
        if isinstance(block, Paragraph):
            lines.append(Line(block.inlines, size, colour=theme.colours.text, space_before=0.4 * size))
        elif isinstance(block, BulletList):
            lines += [Line(item, size, bullet="\u2022", bullet_colour=theme.colours.primary,
                           colour=theme.colours.text, space_before=0.4 * size) for item in block.items]
    return lines


def _box_size(slide: Slide, ctx: _Context) -> float | None:
    rect = _title_geometry(ctx).box
    for size in BOX_SIZES:
        if _fits(_box_lines(slide, size, ctx.theme), rect, BOX_INSETS, ctx.theme.fonts.body.family):
            return size
    return None


def _title_pages(slide: Slide, ctx: _Context) -> list[Page]:
    """The title slide; a meeting box too long for it gets a slide of its own after it."""
    if slide.box is None or _box_size(slide, ctx) is not None:
        return [Page(slide, "title", slide.title)]
    items = tuple(item for block in slide.box.blocks for item in _block_items(block))
    own = Slide("bullets", slide.box.title, bullets=items)
    return [Page(slide, "title", slide.title, box=False), *_bullet_pages(own, ctx, "bullets", items, True)]


def _block_items(block: object) -> tuple[tuple[Inline, ...], ...]:
    if isinstance(block, Paragraph):
        return (block.inlines,)
    if isinstance(block, BulletList):
        return block.items
    return ()


# ================================================================ rendering a page


def _render(page: Page, number: int, ctx: _Context) -> None:
    slide = ctx.prs.slides.add_slide(ctx.layouts[page.kind])
    _fill_title(slide, page, ctx)
    if page.kind == "title":
        _fill_title_slide(slide, page, ctx)
    elif page.kind == "chart":
        _fill_chart_slide(slide, page, ctx)
    elif page.kind == "table":
        _fill_table_slide(slide, page, ctx)
    elif page.kind in ("bullets", "sources"):
        _fill_bullets(slide, page, ctx)
    _drop_empty_placeholders(slide)
    if page.kind in CONTENT_KINDS:
        _add_source_line(slide, page, ctx)
        _add_slide_number(slide, page, number, ctx)
    if page.first and page.slide.notes:
        slide.notes_slide.notes_text_frame.text = page.slide.notes


def _fill_title(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    """The title in the title placeholder (the slide's name for screen readers and the outline)."""
    shape = slide.shapes.title
    master = ctx.layouts[page.kind].slide_master
    insets = px.inherited_insets(shape)
    start = px.inherited_size(shape, master, "titleStyle") or TITLE_SIZES[0]
    sizes = [start - 2 * i for i in range(8) if start - 2 * i >= TITLE_SIZES[-1]] or [TITLE_SIZES[-1]]
    family = ctx.theme.fonts.heading.family
    rect = Rect.of(shape)
    size = next((s for s in sizes if _fits([Line(_plain(page.title), s, bold=True)], rect, insets, family)),
                sizes[-1])
    _prepare(shape.text_frame, insets)
    _write(shape.text_frame, [Line(_plain(page.title), size)], ctx.theme.fonts.heading.office, ctx.meta.language)


def _fill_bullets(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    rect = ctx.body_rect(page.kind, page.slide.source_line)
    body = _placeholder_of(ctx.layouts[page.kind], PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    shape = _slide_placeholder(slide, body.placeholder_format.idx) if body is not None else None
    if shape is None:
        shape = slide.shapes.add_textbox(rect.x, rect.y, rect.w, rect.h)
        shape.name = "Bullets"
    shape.left, shape.top, shape.width, shape.height = rect.x, rect.y, rect.w, rect.h
    _write_bullets(shape.text_frame, page, ctx)


def _write_bullets(frame: TextFrame, page: Page, ctx: _Context) -> None:
    lines = _bullet_lines(page.bullets, page.size, page.kind, ctx.theme)
    _prepare(frame, TEXT_INSETS, MSO_ANCHOR.TOP)
    _write(frame, lines, ctx.theme.fonts.body.office, ctx.meta.language)


def _slide_placeholder(slide: PptxSlide, idx: int) -> Shape | None:
    return next((ph for ph in slide.placeholders if ph.placeholder_format.idx == idx), None)


def _drop_empty_placeholders(slide: PptxSlide) -> None:
    """A placeholder the page does not use would show 'Click to add text' in PowerPoint."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx != 0 and ph.has_text_frame and not ph.text_frame.text.strip():
            px.remove_shape(ph)


def _add_source_line(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    rect = ctx.source_rect(page.kind, page.slide.source_line)
    if rect is None:
        return
    box = slide.shapes.add_textbox(rect.x, rect.y, rect.w, rect.h)
    box.name = "Sources"
    _prepare(box.text_frame, TEXT_INSETS, MSO_ANCHOR.BOTTOM)
    line = Line(_plain(page.slide.source_line), SOURCE_LINE_SIZE, colour=ctx.theme.colours.muted)
    _write(box.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_slide_number(slide: PptxSlide, page: Page, number: int, ctx: _Context) -> None:
    """The layout's slide-number placeholder with a live field (it renumbers itself if slides move)."""
    layout_ph = _placeholder_of(ctx.layouts[page.kind], PP_PLACEHOLDER.SLIDE_NUMBER)
    if layout_ph is None:
        return
    slide.shapes.clone_placeholder(layout_ph)
    shape = _slide_placeholder(slide, layout_ph.placeholder_format.idx)
    assert shape is not None
    _prepare(shape.text_frame, px.inherited_insets(shape))
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    px.add_slide_number(paragraph, number, NUMBER_SIZE, ctx.meta.language)
    px.set_end_size(paragraph, NUMBER_SIZE, ctx.meta.language)


# ---------------------------------------------------------------- title slide


def _fill_title_slide(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    geo = _title_geometry(ctx)
    _fill_subtitle(slide, page, ctx)
    if ctx.meta.marking:
        _add_marking(slide, geo.marking, ctx)
    if page.box and page.slide.box is not None:
        _add_meeting_box(slide, geo.box, ctx, page.slide)
    if ctx.theme.logo:
        picture = slide.shapes.add_picture(io.BytesIO(ctx.theme.logo), geo.logo.x, geo.logo.y, height=geo.logo.h)
        picture.left = geo.logo.x - picture.width  # right-aligned, whatever the logo's proportions
        picture.name = "Logo"
        px.set_alt_text(picture, f"{ctx.theme.organisation} logo" if ctx.theme.organisation else "Logo")
    elif ctx.theme.organisation:
        _add_organisation(slide, geo.org, ctx)


def _fill_subtitle(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    layout_ph = _placeholder_of(ctx.layouts["title"], PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
    text = page.slide.subtitle
    if layout_ph is None or not text:
        return
    shape = _slide_placeholder(slide, layout_ph.placeholder_format.idx)
    assert shape is not None
    insets = px.inherited_insets(shape)
    master = ctx.layouts["title"].slide_master
    start = px.inherited_size(shape, master, "bodyStyle") or 20
    family = ctx.theme.fonts.body.family
    sizes = [s for s in (start, start - 2, start - 4, 14, 12) if s >= 12]
    size = next((s for s in sizes if _fits([Line(_plain(text), s)], Rect.of(shape), insets, family)), 12)
    _prepare(shape.text_frame, insets)
    _write(shape.text_frame, [Line(_plain(text), size)], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_marking(slide: PptxSlide, at: Rect, ctx: _Context) -> None:
    """The distribution marking as a tag in the accent colour, above the title."""
    pad = int(0.14 * INCH)
    family = ctx.theme.fonts.body.family
    width = int(textfit.text_width(ctx.meta.marking, MARKING_SIZE, family, bold=True) * PT) + 2 * pad + PT * 2
    box = slide.shapes.add_textbox(at.x, at.y, min(width, ctx.width - at.x - int(0.3 * INCH)), at.h)
    box.name = "Marking"
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor.from_string(px.hex_colour(ctx.theme.colours.accent))
    _prepare(box.text_frame, (pad, 0, pad, 0), MSO_ANCHOR.MIDDLE)
    line = Line(_plain(ctx.meta.marking), MARKING_SIZE, bold=True, colour="#FFFFFF")
    _write(box.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_organisation(slide: PptxSlide, at: Rect, ctx: _Context) -> None:
    box = slide.shapes.add_textbox(at.x, at.y, at.w, at.h)
    box.name = "Organisation"
    _prepare(box.text_frame, TEXT_INSETS, MSO_ANCHOR.BOTTOM)
    line = Line(_plain(ctx.theme.organisation), 18, bold=True, colour=ctx.theme.colours.primary,
                align=PP_ALIGN.RIGHT)
    _write(box.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_meeting_box(slide: PptxSlide, rect: Rect, ctx: _Context, model: Slide) -> None:
    """The meeting box, as tall as its measured text (at most the space below the title)."""
    size = _box_size(model, ctx) or BOX_SIZES[-1]
    lines = _box_lines(model, size, ctx.theme)
    width, _ = _inner(rect, BOX_INSETS)
    text_h = textfit.text_height([_to_para(line) for line in lines], width, ctx.theme.fonts.body.family)
    height = min(rect.h, round(text_h * PT * 1.05) + BOX_INSETS[1] + BOX_INSETS[3])
    box = slide.shapes.add_textbox(rect.x, rect.y, rect.w, height)
    box.name = "Meeting"
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(ctx.theme.colours.box)
    box.line.color.rgb = _rgb(ctx.theme.colours.primary)
    box.line.width = Pt(0.75)
    _prepare(box.text_frame, BOX_INSETS, MSO_ANCHOR.TOP)
    _write(box.text_frame, lines, ctx.theme.fonts.body.office, ctx.meta.language)


# ---------------------------------------------------------------- chart slide


def _fill_chart_slide(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    figure = page.slide.figure
    assert figure is not None
    rect = ctx.content_rect("chart", page.slide.source_line)
    chart_rect, text_rect = _chart_split(rect) if page.bullets else (rect, None)
    _add_chart(slide, figure, chart_rect, ctx)
    if text_rect is not None:
        box = slide.shapes.add_textbox(text_rect.x, text_rect.y, text_rect.w, text_rect.h)
        box.name = "Key points"
        _write_bullets(box.text_frame, replace(page, kind="bullets"), ctx)


_CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked-bar": XL_CHART_TYPE.COLUMN_STACKED,
}


def _chart_type(data: ChartData) -> XL_CHART_TYPE:
    if data.family == "timeline":
        return XL_CHART_TYPE.COLUMN_STACKED if len(data.series) > 1 else XL_CHART_TYPE.COLUMN_CLUSTERED
    return _CHART_TYPES[data.family]


@dataclass(frozen=True)
class _CategoryLabels:
    names: list[str]
    size: float
    skip: int  # show every n-th label
    width: int = int(2.2 * INCH)  # EMU the names are wrapped to beside horizontal bars


def _chart_categories(data: ChartData, chart_width: int, chart_height: int, family: str) -> _CategoryLabels:
    """Category names wrapped to their slot, at a size that lets their longest word fit (as the drawn charts
    do); single words such as years are never broken: a long run of them shows every 2nd, 5th or 10th.
    Beside horizontal bars a name must also fit the height of its row, or it runs into the next one.
    With one series, a category the sources give no figure for says so: no bar must not read as zero."""
    names = list(data.categories)
    if len(data.series) == 1:
        names = [f"{c}\n(no figure)" if v is None else c for c, v in zip(names, data.series[0].values, strict=True)]
    column_slot = 0.85 * (chart_width - 1.1 * INCH) / PT / max(1, len(names))
    slot = 2.2 * INCH / PT if data.family == "barh" else column_slot
    if all(len(n.split()) == 1 for n in names):
        widest = max((textfit.text_width(n, CHART_TEXT_SIZE, family) for n in names), default=0.0)
        skip = next((k for k in (1, 2, 5, 10, 20) if slot * k >= widest * 1.2), 20)
        return _CategoryLabels(names, CHART_TEXT_SIZE, 1 if data.family == "barh" else skip)
    if data.family == "barh":
        # A row's share of the plot, less the value axis, its title and the viewer's padding; names keep a gap.
        row = 0.85 * (chart_height - 1.4 * INCH) / PT / max(1, len(names))
        choices = [(size, width * INCH / PT) for size in CATEGORY_SIZES for width in (2.2, 2.8)]
        size, slot = next(((s, w) for s, w in choices
                           if max(len(_wrap_name(n, w, s, family)) for n in names) * textfit.LINE_HEIGHT * s <= row),
                          choices[-1])
        wrapped = ["\n".join(_wrap_name(n, slot, size, family)) for n in names]
        widest = max((textfit.text_width(line, size, family) for n in wrapped for line in n.split("\n")), default=0)
        return _CategoryLabels(wrapped, size, 1, int(widest * PT * 1.06))
    words = [w for name in names for w in name.split()]
    size = next((s for s in CATEGORY_SIZES if all(textfit.text_width(w, s, family) <= slot for w in words)),
                CATEGORY_SIZES[-1])
    return _CategoryLabels(["\n".join(_wrap_name(n, slot, size, family)) for n in names], size, 1)


def _wrap_name(name: str, width: float, size: float, family: str) -> list[str]:
    return [line for part in name.split("\n") for line in textfit.wrap(part, width, size, family)]


def _add_chart(slide: PptxSlide, figure: Figure, rect: Rect, ctx: _Context) -> None:
    """A native, editable chart from the figure's numbers, with the figure's alt text."""
    data = figure.data
    chart_data = CategoryChartData(number_format=data.number_format)
    labels = _chart_categories(data, rect.w, rect.h, ctx.theme.fonts.body.family)
    chart_data.categories = labels.names
    for series in data.series:
        chart_data.add_series(series.name, series.values)
    frame = slide.shapes.add_chart(_chart_type(data), rect.x, rect.y, rect.w, rect.h, chart_data)
    frame.name = f"Figure {figure.number}" if figure.number else "Figure"
    px.set_alt_text(frame, figure.alt)
    _style_chart(frame.chart, data, ctx.theme)
    frame.chart.category_axis.tick_labels.font.size = Pt(labels.size)
    px.level_category_labels(frame.chart.category_axis, labels.skip)
    if data.family == "barh":  # the names' column as wide as they were wrapped to, the value axis below
        label = (labels.width + 0.15 * INCH) / rect.w
        bottom = (2 * textfit.LINE_HEIGHT * CHART_TEXT_SIZE * PT + 0.35 * INCH) / rect.h
        px.set_plot_area(frame.chart, label, 0.02, 1 - label - 0.08, 1 - 0.02 - bottom)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(px.hex_colour(colour))


def _style_chart(chart: Chart, data: ChartData, theme: Theme) -> None:
    chart.has_title = False  # the slide title names the chart
    chart.font.size = Pt(CHART_TEXT_SIZE)
    chart.font.name = theme.fonts.body.office
    chart.font.color.rgb = _rgb(theme.colours.text)
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 60 if len(data.series) == 1 else 80
    fills = data.colours or theme.palette  # the drawn chart's colours: the deck's chart matches the brief's
    for i, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(fills[i % len(fills)])
        series.invert_if_negative = False
    _style_axes(chart, data, theme)
    _label_chart(chart, data, theme)
    chart.has_legend = len(data.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_TEXT_SIZE)


def _style_axes(chart: Chart, data: ChartData, theme: Theme) -> None:
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb("#D9D9D9")
    values.major_gridlines.format.line.width = Pt(0.75)
    values.format.line.fill.background()
    values.major_tick_mark = XL_TICK_MARK.NONE
    step = _tick_step(data)
    values.major_unit = step
    values.tick_labels.number_format = _tick_format(data.number_format, step)
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.size = Pt(CHART_TEXT_SIZE)
    values.tick_labels.font.color.rgb = _rgb(theme.colours.muted)
    if all(v is None or v >= 0 for s in data.series for v in s.values):
        values.minimum_scale = 0
    if data.value_label:
        values.has_title = True
        frame = values.axis_title.text_frame
        frame.text = data.value_label
        font = frame.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT_SIZE), False
        font.color.rgb = _rgb(theme.colours.muted)
    categories = chart.category_axis
    categories.major_tick_mark = XL_TICK_MARK.NONE
    categories.format.line.color.rgb = _rgb("#A6A6A6")
    categories.tick_labels.font.size = Pt(CHART_TEXT_SIZE)
    if any(v is not None and v < 0 for s in data.series for v in s.values):
        categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # names beside the plot, not on bars below 0
    if data.family == "barh":
        categories.reverse_order = True  # first category on top, read top to bottom
        px.value_axis_crosses_at_max(values)  # and the value axis stays at the bottom


def _tick_step(data: ChartData) -> float:
    """A round step giving about five value ticks (1, 2, 2.5 or 5 times a power of ten), as the drawn charts
    have; left to the viewer, a wide axis gets a tick every tenth and the labels run together."""
    stacked = _chart_type(data) == XL_CHART_TYPE.COLUMN_STACKED
    columns = zip(*(s.values for s in data.series), strict=True)
    ends = [sum(v or 0 for v in c) if stacked else max((abs(v or 0) for v in c), default=0) for c in columns]
    raw = max(map(abs, ends), default=0) / 5 or 1.0  # negative bars (temperatures) span the axis too
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _tick_format(number_format: str, step: float) -> str:
    """The data's number format, without its decimal when every tick is a whole number in the shown unit."""
    unit = 1_000_000 if ",," in number_format else 1
    return number_format.replace(".0", "") if float(step / unit).is_integer() else number_format


MAX_LABELS = 36  # bars a slide can label legibly; past this the value axis alone is read (and python-pptx's
# per-point labels cost time growing with the square of the points: 3 s for a chart of 1,500 bars)


def _label_chart(chart: Chart, data: ChartData, theme: Theme) -> None:
    """Bar labels: the qualified wording when the data has it ('over 5,000'), else the number format."""
    plot = chart.plots[0]
    stacked = _chart_type(data) == XL_CHART_TYPE.COLUMN_STACKED
    if len(data.categories) * len(data.series) > MAX_LABELS:
        return  # too many to read: the axis does the work
    if len(data.series) == 1 and len(data.labels) == len(data.categories):
        _custom_labels(chart, data, theme)
        return
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = data.number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.font.size = Pt(CHART_TEXT_SIZE - 1)
    if stacked:
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.color.rgb = _rgb("#FFFFFF")
    else:
        labels.position = XL_LABEL_POSITION.OUTSIDE_END


def _custom_labels(chart: Chart, data: ChartData, theme: Theme) -> None:
    series = chart.plots[0].series[0]
    for i, (label, value) in enumerate(zip(data.labels, data.series[0].values, strict=True)):
        if value is None or not label:
            continue
        point_label = series.points[i].data_label
        point_label.position = XL_LABEL_POSITION.OUTSIDE_END
        frame = point_label.text_frame
        frame.text = label
        font = frame.paragraphs[0].runs[0].font
        font.size = Pt(CHART_TEXT_SIZE)
        font.color.rgb = _rgb(theme.colours.text)


# ---------------------------------------------------------------- table slide


def _fill_table_slide(slide: PptxSlide, page: Page, ctx: _Context) -> None:
    table = page.slide.table
    assert table is not None
    rect = ctx.content_rect("table", page.slide.source_line)
    family = ctx.theme.fonts.body.family
    widths = _column_widths(table, rect.w, page.size, family)
    rows = (table.header, *page.rows)
    heights = [_row_height(r, widths, page.size, i == 0, family) for i, r in enumerate(rows)]
    frame = slide.shapes.add_table(len(rows), len(widths), rect.x, rect.y, rect.w, sum(heights))
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


def _fill_cell(cell: _Cell, text: str, row: int, numeric: bool, size: float, ctx: _Context) -> None:
    colours = ctx.theme.colours
    header = row == 0
    cell.margin_left = cell.margin_right = Emu(CELL_MARGINS[0])
    cell.margin_top = cell.margin_bottom = Emu(CELL_MARGINS[1])
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    line = Line(_plain(text), size, bold=header, colour="#FFFFFF" if header else colours.text,
                align=PP_ALIGN.RIGHT if numeric else PP_ALIGN.LEFT)
    _write(cell.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)
    cell.fill.solid()
    fill = colours.primary if header else (colours.box if row % 2 == 0 else "#FFFFFF")
    cell.fill.fore_color.rgb = _rgb(fill)
    if not header:
        px.set_cell_bottom_border(cell, PT // 2, "#C8CDD4")


# ================================================================ metadata and the package


def _when(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(tzinfo=None)


def _clean_core_properties(prs: PresentationType, author: str, timestamp: int) -> None:
    """Nothing left from python-pptx's template (its author, its 2013 dates, 'generated using python-pptx')."""
    props = prs.core_properties
    props.title = props.subject = props.keywords = props.category = props.comments = ""
    props.author = props.last_modified_by = author
    props.created = props.modified = _when(timestamp)
    props.revision = 1


def _set_metadata(prs: PresentationType, meta: Meta, slides: int) -> None:
    author = meta.author
    _clean_core_properties(prs, author, meta.timestamp)
    props = prs.core_properties
    props.title, props.subject = meta.title, meta.subject
    props.keywords = ", ".join(meta.keywords)
    props.language = meta.language
    props.comments = meta.subtitle
    props.content_status = meta.marking
    px.set_default_language(prs, meta.language)
    notes = sum(1 for s in prs.slides if s.has_notes_slide)
    _set_extended_properties(prs, author, slides, notes)


def _set_extended_properties(prs: PresentationType, company: str, slides: int, notes: int) -> None:
    part = px.extended_properties_part(prs)
    if part is not None:
        part.blob = px.extended_properties_xml(company, slides, notes)


def _normalize_workbooks(prs: PresentationType, timestamp: int) -> None:
    """Each native chart carries its data as an embedded workbook, dated when it was written: re-date it."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                workbook = shape.chart.part.chart_workbook.xlsx_part
                if workbook is not None:
                    workbook.blob = _redate_workbook(workbook.blob, timestamp)


def _redate_workbook(blob: bytes, timestamp: int) -> bytes:
    stamp = _when(timestamp).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            target.writestr(name, data)
    return normalize_zip(out.getvalue(), timestamp)


def _save(prs: PresentationType, timestamp: int) -> bytes:
    out = io.BytesIO()
    prs.save(out)
    return normalize_zip(out.getvalue(), timestamp)
