"""Text as the deck writes it, measured before it is written: a `Line` is one paragraph with everything that
decides its height, and `fits` says whether lines fit a box, with the font's real advance widths (`textfit`).

No python-pptx here: `pptx_frames` writes these lines into text frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefkit.document.model import Emph, Inline, LineBreak, Link, Strong, Text
from briefkit.fontchain import measured
from briefkit.theme.model import Theme
from briefkit.writers import textfit
from briefkit.writers.pptx_geometry import BULLET_MARGIN, PT, SOURCE_LINE_SIZE, TEXT_INSETS, Rect


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
    align: str = ""  # "left" or "right"; "" to inherit


def flatten(inlines: tuple[Inline, ...], bold: bool = False, italic: bool = False,
             url: str = "") -> Iterator[tuple[str, bool, bool, str]]:
    """(text, bold, italic, link) runs in order; a line break is the text '\\n'. Note references are dropped:
    a slide has no footnotes (its sources are on its foot line)."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text, bold, italic, url
        elif isinstance(node, Strong):
            yield from flatten(node.children, True, italic, url)
        elif isinstance(node, Emph):
            yield from flatten(node.children, bold, True, url)
        elif isinstance(node, Link):
            yield from flatten(node.children, bold, italic, node.url)
        elif isinstance(node, LineBreak):
            yield "\n", bold, italic, url


def _indent(line: Line) -> int:
    return BULLET_MARGIN if line.bullet or line.hanging else 0


def to_para(line: Line) -> textfit.Para:
    runs = list(flatten(line.inlines))
    return textfit.Para(text="".join(r[0] for r in runs), size=line.size,
                        bold=line.bold or any(r[1] for r in runs), indent=_indent(line) / PT,
                        space_before=line.space_before)


def inner(rect: Rect, insets: tuple[int, int, int, int]) -> tuple[float, float]:
    """Width and height (pt) inside the box's insets."""
    left, top, right, bottom = insets
    return (rect.w - left - right) / PT, (rect.h - top - bottom) / PT


def fits(lines: list[Line], rect: Rect, insets: tuple[int, int, int, int], family: textfit.Family) -> bool:
    width, height = inner(rect, insets)
    return textfit.fits([to_para(line) for line in lines], width, height, family)


def plain(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


def lines_height(lines: int, size: float = SOURCE_LINE_SIZE) -> int:
    return round(lines * textfit.LINE_HEIGHT * size * PT)


def source_lines(text: str, width: int, theme: Theme) -> int:
    return len(textfit.wrap(text, (width - TEXT_INSETS[0] - TEXT_INSETS[2]) / PT, SOURCE_LINE_SIZE,
                            measured(theme, "body")))

