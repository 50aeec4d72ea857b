"""The built-in master: python-pptx's default template made 16:9 and given the theme's colours and fonts.

`briefkit theme export` writes it as master.pptx for users to edit; the writer uses it when the theme has no
master of its own, so the exported file is exactly what decks are built on.
"""

from __future__ import annotations

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout

from briefkit.theme.model import DEFAULT_LAYOUTS, Theme
from briefkit.writers import pptx_xml as px
from briefkit.writers.pptx_geometry import INCH, SLIDE_HEIGHT, SLIDE_WIDTH, TEXT_INSETS, TITLE_SIZES
from briefkit.writers.pptx_package import clean_core_properties, save, set_extended_properties
from briefkit.writers.reproducible import build_timestamp

MASTER_TIMESTAMP = 1704067200  # 2024-01-01: the exported master's date when SOURCE_DATE_EPOCH is unset


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
    clean_core_properties(prs, theme.organisation, meta_time)
    prs.core_properties.title = f"{theme.name} slide master"
    set_extended_properties(prs, theme.organisation, slides=0, notes=0)
    return save(prs, meta_time)


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
    for ph in layout.placeholders:  # type: ignore[misc]  # python-pptx 1.0 types LayoutPlaceholders.__iter__ as an attribute
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
    for ph in layout.placeholders:  # type: ignore[misc]  # python-pptx 1.0 types LayoutPlaceholders.__iter__ as an attribute
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE:
            px.set_xfrm(ph._element, SECTION_TITLE)
            px.set_placeholder_style(ph._element, 36, "bg1", bold=True, anchor="b")
            px.set_body(ph._element, insets=(0, 0, 0, int(0.05 * INCH)), autofit=False)
        elif kind == PP_PLACEHOLDER.BODY:
            px.set_xfrm(ph._element, SECTION_BODY)
            px.set_placeholder_style(ph._element, 20, "bg2", anchor="t")

