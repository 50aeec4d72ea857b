"""The master a deck is built on, its layouts, and where each kind of page puts its title, text and foot line.

The master is the user's `master.pptx` when the theme names one, else the built-in master (`pptx_master`).
`Context` answers the geometry questions pagination asks (`pptx_paginate.Frames`) from the layouts' placeholders.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.placeholder import LayoutPlaceholder
from pptx.slide import SlideLayout

from briefkit.document.model import Meta
from briefkit.errors import TemplateError
from briefkit.theme.model import DEFAULT_LAYOUTS, Theme
from briefkit.theme.stamp import follow_theme
from briefkit.writers import pptx_xml as px
from briefkit.writers.pptx_geometry import INCH, SLIDE_HEIGHT, SLIDE_WIDTH, TEXT_INSETS, Rect, TitleGeometry
from briefkit.writers.pptx_lines import lines_height, source_lines
from briefkit.writers.pptx_master import master_pptx_bytes

_T = TypeVar("_T")


def open_master(theme: Theme) -> PresentationType:
    if theme.master_pptx is None:
        return Presentation(io.BytesIO(master_pptx_bytes(theme)))
    try:
        prs = Presentation(io.BytesIO(follow_theme(theme.master_pptx.read_bytes(), theme)))
    except Exception as exc:  # python-pptx raises several kinds for a file that is not a presentation
        raise TemplateError.at(theme.master_pptx, f"master.pptx cannot be opened as a presentation: {exc}") from exc
    px.drop_all_slides(prs)
    return prs


def resolve_layouts(prs: PresentationType, theme: Theme) -> dict[str, SlideLayout]:
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
    untitled = sorted({name for name in wanted.values() if title_placeholder(by_name[name]) is None})
    if untitled:
        raise TemplateError.at(where, f"master.pptx layouts without a title placeholder: {', '.join(untitled)}")
    return {kind: by_name[name] for kind, name in wanted.items()}


def title_placeholder(layout: SlideLayout) -> LayoutPlaceholder | None:
    return next((ph for ph in layout.placeholders if ph.placeholder_format.idx == 0), None)  # type: ignore[misc]  # python-pptx 1.0 types LayoutPlaceholders.__iter__ as an attribute


def placeholder_of(layout: SlideLayout, *kinds: PP_PLACEHOLDER) -> LayoutPlaceholder | None:
    return next((ph for ph in layout.placeholders  # type: ignore[misc]  # python-pptx 1.0 types LayoutPlaceholders.__iter__ as an attribute
                 if ph.placeholder_format.type in kinds and ph.placeholder_format.idx != 0), None)


def _remembered(method: Callable[..., _T]) -> Callable[..., _T]:
    """A geometry method of `Context` whose results are kept in its `geometry`, by method and arguments: reading a
    placeholder's position walks the master's XML, and every page asks for the same few rectangles."""

    @functools.wraps(method)
    def remembered(ctx: Context, *args: str) -> _T:
        key = (method.__name__, *args)
        if key not in ctx.geometry:
            ctx.geometry[key] = method(ctx, *args)
        return ctx.geometry[key]

    return remembered


@dataclass(frozen=True)
class Context:
    """What every page needs: the presentation, the theme, the deck's metadata and the resolved layouts."""

    prs: PresentationType
    theme: Theme
    meta: Meta
    layouts: dict[str, SlideLayout]
    geometry: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)  # `_remembered`

    @property
    def continued(self) -> str:
        return self.meta.label("continued")

    @property
    def width(self) -> int:
        return int(self.prs.slide_width or SLIDE_WIDTH)  # python-pptx: None only for a file without p:sldSz

    @property
    def height(self) -> int:
        return int(self.prs.slide_height or SLIDE_HEIGHT)

    @_remembered
    def title_rect(self, kind: str) -> Rect:
        return Rect.of(title_placeholder(self.layouts[kind]))

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
        number = placeholder_of(self.layouts[kind], PP_PLACEHOLDER.SLIDE_NUMBER)
        if number is not None and number.top > self.height * 0.75 and number.left > self.width / 2:
            end = min(end, int(number.left) - int(0.15 * INCH))
        width = end - left
        lines = source_lines(source_line, width, self.theme)
        height = round(lines_height(lines) * 1.1) + TEXT_INSETS[1] + TEXT_INSETS[3]  # room for viewers' leading
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
        body = placeholder_of(self.layouts[kind], PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        if body is None:
            return content
        box = Rect.of(body)
        return Rect(box.x, box.y, box.w, content.bottom - box.y)

    def title_geometry(self) -> TitleGeometry:
        """Marking above the title; below the title block, the meeting box on the left (read after the subtitle)
        and the logo or organisation in the bottom right corner."""
        layout = self.layouts["title"]
        title = self.title_rect("title")
        sub = placeholder_of(layout, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
        below = max(title.bottom, Rect.of(sub).bottom if sub is not None else 0) + int(0.5 * INCH)
        bottom = self.height - int(0.45 * INCH)
        left, right = self.margins("title")
        box_w = min(int(6.4 * INCH), int(self.width * 0.5))
        logo_h = int(0.7 * INCH)
        org_w = min(int(4.0 * INCH), self.width - right - left - box_w - int(0.4 * INCH))
        return TitleGeometry(
            marking=Rect(title.x, max(int(0.3 * INCH), title.y - int(0.75 * INCH)), 0, int(0.42 * INCH)),
            org=Rect(self.width - right - org_w, bottom - int(0.5 * INCH), org_w, int(0.5 * INCH)),
            box=Rect(left, below, box_w, max(bottom - below, 0)),  # no room: the box gets a slide of its own
            logo=Rect(self.width - right, bottom - logo_h, 0, logo_h),
        )
