"""Measured `Line`s written into python-pptx text frames: wrap on, autofit off, a size on every run, so
PowerPoint and LibreOffice show what was measured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Pt

from briefkit.writers import pptx_xml as px
from briefkit.writers.pptx_geometry import BULLET_MARGIN, TEXT_INSETS
from briefkit.writers.pptx_lines import Line, flatten
from briefkit.writers.pptx_paginate import Page, bullet_lines

if TYPE_CHECKING:
    from briefkit.writers.pptx_layouts import Context

_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT}


def prepare(frame: TextFrame, insets: tuple[int, int, int, int], anchor: MSO_ANCHOR | None = None) -> None:
    """Wrap on, autofit off, explicit insets: the box behaves as it was measured in every viewer."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = (Emu(v) for v in insets)
    if anchor is not None:
        frame.vertical_anchor = anchor


def write_lines(frame: TextFrame, lines: list[Line], font: str, lang: str) -> None:
    """The lines as the frame's paragraphs, replacing what it held: bullets, spacing, runs and sizes as measured."""
    frame.clear()
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if line.bullet or line.hanging:
            px.set_bullet(paragraph, BULLET_MARGIN, -BULLET_MARGIN, line.bullet, line.bullet_colour)
        paragraph.line_spacing = 1.0
        paragraph.space_before = Pt(line.space_before if i else 0)
        paragraph.space_after = Pt(0)
        if line.align:
            paragraph.alignment = _ALIGN[line.align]
        for text, bold, italic, url in flatten(line.inlines):
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


def write_bullets(frame: TextFrame, page: Page, ctx: Context) -> None:
    lines = bullet_lines(page.bullets, page.size, page.kind, ctx.theme)
    prepare(frame, TEXT_INSETS, MSO_ANCHOR.TOP)
    write_lines(frame, lines, ctx.theme.fonts.body.office, ctx.meta.language)


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(px.hex_colour(colour))

