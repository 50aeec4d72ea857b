"""One page drawn as one slide: its title, its content (bullets, chart, table, the title slide's extras), the
foot line and the slide number, and its speaker notes."""

from __future__ import annotations

import io

from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from briefkit.document.model import Slide
from briefkit.fontchain import measured
from briefkit.writers import pptx_xml as px
from briefkit.writers import textfit
from briefkit.writers.pptx_charts import fill_chart_slide
from briefkit.writers.pptx_frames import prepare, rgb, write_bullets, write_lines
from briefkit.writers.pptx_geometry import (
    BOX_INSETS,
    BOX_SIZES,
    INCH,
    MARKING_SIZE,
    NUMBER_SIZE,
    PT,
    SOURCE_LINE_SIZE,
    TEXT_INSETS,
    TITLE_SIZES,
    Rect,
)
from briefkit.writers.pptx_layouts import Context, placeholder_of
from briefkit.writers.pptx_lines import Line, fits, inner, plain, to_para
from briefkit.writers.pptx_paginate import Page, box_lines, box_size
from briefkit.writers.pptx_tables import fill_table_slide

CONTENT_KINDS = ("bullets", "chart", "table", "sources")


def render_page(page: Page, number: int, ctx: Context) -> None:
    """The page as slide `number` on its layout."""
    slide = ctx.prs.slides.add_slide(ctx.layouts[page.kind])
    _fill_title(slide, page, ctx)
    if page.kind == "title":
        _fill_title_slide(slide, page, ctx)
    elif page.kind == "chart":
        fill_chart_slide(slide, page, ctx)
    elif page.kind == "table":
        fill_table_slide(slide, page, ctx)
    elif page.kind in ("bullets", "sources"):
        _fill_bullets(slide, page, ctx)
    _drop_empty_placeholders(slide)
    if page.kind in CONTENT_KINDS:
        _add_source_line(slide, page, ctx)
        _add_slide_number(slide, page, number, ctx)
    if page.first and page.slide.notes:
        slide.notes_slide.notes_text_frame.text = page.slide.notes


def _fill_title(slide: PptxSlide, page: Page, ctx: Context) -> None:
    """The title in the title placeholder (the slide's name for screen readers and the outline)."""
    shape = slide.shapes.title
    assert shape is not None  # pptx_layouts refused a master whose layouts lack one
    master = ctx.layouts[page.kind].slide_master
    insets = px.inherited_insets(shape)
    start = px.inherited_size(shape, master, "titleStyle") or TITLE_SIZES[0]
    sizes = [start - 2 * i for i in range(8) if start - 2 * i >= TITLE_SIZES[-1]] or [TITLE_SIZES[-1]]
    family = measured(ctx.theme, "heading")
    rect = Rect.of(shape)
    size = next((s for s in sizes if fits([Line(plain(page.title), s, bold=True)], rect, insets, family)),
                sizes[-1])
    prepare(shape.text_frame, insets)
    write_lines(shape.text_frame, [Line(plain(page.title), size)], ctx.theme.fonts.heading.office, ctx.meta.language)


def _fill_bullets(slide: PptxSlide, page: Page, ctx: Context) -> None:
    rect = ctx.body_rect(page.kind, page.slide.source_line)
    body = placeholder_of(ctx.layouts[page.kind], PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    shape = _slide_placeholder(slide, body.placeholder_format.idx) if body is not None else None
    if shape is None:
        shape = slide.shapes.add_textbox(*px.emu(rect.x, rect.y, rect.w, rect.h))
        shape.name = "Bullets"
    shape.left, shape.top, shape.width, shape.height = px.emu(rect.x, rect.y, rect.w, rect.h)
    write_bullets(shape.text_frame, page, ctx)


def _slide_placeholder(slide: PptxSlide, idx: int) -> Shape | None:
    return next((ph for ph in slide.placeholders if ph.placeholder_format.idx == idx), None)


def _drop_empty_placeholders(slide: PptxSlide) -> None:
    """A placeholder the page does not use would show 'Click to add text' in PowerPoint."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx != 0 and ph.has_text_frame and not ph.text_frame.text.strip():
            px.remove_shape(ph)


def _add_source_line(slide: PptxSlide, page: Page, ctx: Context) -> None:
    rect = ctx.source_rect(page.kind, page.slide.source_line)
    if rect is None:
        return
    box = slide.shapes.add_textbox(*px.emu(rect.x, rect.y, rect.w, rect.h))
    box.name = "Sources"
    prepare(box.text_frame, TEXT_INSETS, MSO_ANCHOR.BOTTOM)
    line = Line(plain(page.slide.source_line), SOURCE_LINE_SIZE, colour=ctx.theme.colours.muted)
    write_lines(box.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_slide_number(slide: PptxSlide, page: Page, number: int, ctx: Context) -> None:
    """The layout's slide-number placeholder with a live field (it renumbers itself if slides move)."""
    layout_ph = placeholder_of(ctx.layouts[page.kind], PP_PLACEHOLDER.SLIDE_NUMBER)
    if layout_ph is None:
        return
    slide.shapes.clone_placeholder(layout_ph)
    shape = _slide_placeholder(slide, layout_ph.placeholder_format.idx)
    assert shape is not None
    prepare(shape.text_frame, px.inherited_insets(shape))
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    px.add_slide_number(paragraph, number, NUMBER_SIZE, ctx.meta.language)
    px.set_end_size(paragraph, NUMBER_SIZE, ctx.meta.language)


# ---------------------------------------------------------------- title slide


def _fill_title_slide(slide: PptxSlide, page: Page, ctx: Context) -> None:
    geo = ctx.title_geometry()
    _fill_subtitle(slide, page, ctx)
    if ctx.meta.marking:
        _add_marking(slide, geo.marking, ctx)
    if page.box and page.slide.box is not None:
        _add_meeting_box(slide, geo.box, ctx, page.slide)
    if ctx.theme.logo:
        picture = slide.shapes.add_picture(io.BytesIO(ctx.theme.logo), Emu(geo.logo.x), Emu(geo.logo.y),
                                           height=Emu(geo.logo.h))
        picture.left = Emu(geo.logo.x - picture.width)  # right-aligned, whatever the logo's proportions
        picture.name = "Logo"
        px.set_alt_text(picture, ctx.meta.label("logo", organisation=ctx.theme.organisation).strip() or "Logo")
    elif ctx.theme.organisation:
        _add_organisation(slide, geo.org, ctx)


def _fill_subtitle(slide: PptxSlide, page: Page, ctx: Context) -> None:
    layout_ph = placeholder_of(ctx.layouts["title"], PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
    text = page.slide.subtitle
    if layout_ph is None or not text:
        return
    shape = _slide_placeholder(slide, layout_ph.placeholder_format.idx)
    assert shape is not None
    insets = px.inherited_insets(shape)
    master = ctx.layouts["title"].slide_master
    start = px.inherited_size(shape, master, "bodyStyle") or 20
    family = measured(ctx.theme, "body")
    sizes = [s for s in (start, start - 2, start - 4, 14, 12) if s >= 12]
    size = next((s for s in sizes if fits([Line(plain(text), s)], Rect.of(shape), insets, family)), 12)
    prepare(shape.text_frame, insets)
    write_lines(shape.text_frame, [Line(plain(text), size)], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_marking(slide: PptxSlide, at: Rect, ctx: Context) -> None:
    """The distribution marking as a tag in the accent colour, above the title."""
    pad = int(0.14 * INCH)
    family = measured(ctx.theme, "body")
    width = int(textfit.text_width(ctx.meta.marking, MARKING_SIZE, family, bold=True) * PT) + 2 * pad + PT * 2
    box = slide.shapes.add_textbox(*px.emu(at.x, at.y, min(width, ctx.width - at.x - int(0.3 * INCH)), at.h))
    box.name = "Marking"
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor.from_string(px.hex_colour(ctx.theme.colours.accent))
    prepare(box.text_frame, (pad, 0, pad, 0), MSO_ANCHOR.MIDDLE)
    line = Line(plain(ctx.meta.marking), MARKING_SIZE, bold=True, colour="#FFFFFF")
    write_lines(box.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_organisation(slide: PptxSlide, at: Rect, ctx: Context) -> None:
    box = slide.shapes.add_textbox(*px.emu(at.x, at.y, at.w, at.h))
    box.name = "Organisation"
    prepare(box.text_frame, TEXT_INSETS, MSO_ANCHOR.BOTTOM)
    line = Line(plain(ctx.theme.organisation), 18, bold=True, colour=ctx.theme.colours.primary,
                align="right")
    write_lines(box.text_frame, [line], ctx.theme.fonts.body.office, ctx.meta.language)


def _add_meeting_box(slide: PptxSlide, rect: Rect, ctx: Context, model: Slide) -> None:
    """The meeting box, as tall as its measured text (at most the space below the title)."""
    size = box_size(model, ctx) or BOX_SIZES[-1]
    lines = box_lines(model, size, ctx.theme)
    width, _ = inner(rect, BOX_INSETS)
    text_h = textfit.text_height([to_para(line) for line in lines], width, measured(ctx.theme, "body"))
    height = min(rect.h, round(text_h * PT * 1.05) + BOX_INSETS[1] + BOX_INSETS[3])
    box = slide.shapes.add_textbox(*px.emu(rect.x, rect.y, rect.w, height))
    box.name = "Meeting"
    box.fill.solid()
    box.fill.fore_color.rgb = rgb(ctx.theme.colours.box)
    box.line.color.rgb = rgb(ctx.theme.colours.primary)
    box.line.width = Pt(0.75)
    prepare(box.text_frame, BOX_INSETS, MSO_ANCHOR.TOP)
    write_lines(box.text_frame, lines, ctx.theme.fonts.body.office, ctx.meta.language)

