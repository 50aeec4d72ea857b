"""Where things go on a slide, in EMU, and the type sizes text may take: numbers only, no python-pptx.

A slide is 16:9, 13.333 x 7.5 in. A `Rect` is a box on it; `TitleGeometry` is where the title slide's extras go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INCH = 914400
PT = 12700
SLIDE_WIDTH, SLIDE_HEIGHT = 12192000, 6858000  # 13.333 x 7.5 in, 16:9

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
    def of(cls, shape: Any) -> Rect:
        """The box of a python-pptx shape (anything with left, top, width and height)."""
        return cls(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


@dataclass(frozen=True)
class TitleGeometry:
    marking: Rect
    org: Rect
    box: Rect
    logo: Rect
