"""Element helpers for the PresentationML and DrawingML that python-pptx has no API for.

Each helper takes a python-pptx proxy or part and edits its XML in schema order: alt text (`p:cNvPr/@descr`,
which python-pptx fills with a file name), bullets and margins, run language, slide-number fields, cell
borders, decorative shapes on masters and layouts, the theme's colour and font schemes, and the package
parts python-pptx leaves as its template wrote them (extended properties, thumbnail, slides of a user's
master). The writer decides what to write; this module only knows where it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from lxml import etree
from pptx.enum.chart import XL_AXIS_CROSSES
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation
from pptx.shapes.base import BaseShape
from pptx.slide import SlideMaster
from pptx.table import _Cell
from pptx.text.text import _Paragraph, _Run
from pptx.util import Emu, Length

_BULLET_TAGS = ("a:buClrTx", "a:buClr", "a:buSzTx", "a:buSzPct", "a:buSzPts", "a:buFontTx", "a:buFont",
                "a:buNone", "a:buAutoNum", "a:buChar", "a:buBlip")
_AFTER_BULLETS = ("a:tabLst", "a:defRPr", "a:extLst")
_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def required(parent: etree._Element, path: str) -> etree._Element:
    """The element at `path` under `parent`, one the schema requires there (a shape's p:spPr, a theme's a:clrScheme):
    missing, the part is not one python-pptx could have read, and saying which is better than an AttributeError."""
    found = parent.find(path)
    if found is None:
        raise ValueError(f"{etree.QName(parent).localname} has no {path}")
    return found


def emu(*values: int) -> tuple[Length, ...]:
    """EMU counts as the `Length`s python-pptx's shape methods declare (a Length is an int: the XML is the same)."""
    return tuple(Emu(v) for v in values)


def hex_colour(colour: str) -> str:
    """'#1F3A5F' -> '1F3A5F', the form DrawingML's srgbClr wants."""
    return colour.lstrip("#").upper()


# ---------------------------------------------------------------- shapes


def set_alt_text(shape: BaseShape, text: str) -> None:
    """The description screen readers speak for a picture or chart (python-pptx writes the file name)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def remove_shape(shape: BaseShape) -> None:
    """Drop a shape, e.g. a placeholder the slide leaves empty (it would show 'Click to add text')."""
    element = shape._element
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def add_rect(sp_tree: etree._Element, name: str, box: tuple[int, int, int, int], fill: str) -> None:
    """A filled, borderless rectangle marked decorative, behind everything else on a master or layout.

    `fill` is a theme colour name (tx2, accent1) or a '#RRGGBB' colour.
    """
    found = sp_tree.xpath(".//p:cNvPr/@id")
    ids = [int(str(v)) for v in found] if isinstance(found, list) else []
    x, y, cx, cy = box
    colour = (f'<a:srgbClr val="{hex_colour(fill)}"/>' if fill.startswith("#")
              else f'<a:schemeClr val="{fill}"/>')
    sp = parse_xml(
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="{max(ids, default=1) + 1}" name="{escape(name)}">'
        f'<a:extLst><a:ext uri="{_DECORATIVE_EXT}"><adec:decorative xmlns:adec="{_DECORATIVE_NS}" val="1"/>'
        f'</a:ext></a:extLst></p:cNvPr><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>{colour}</a:solidFill><a:ln><a:noFill/></a:ln>'
        f'</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-GB"/></a:p></p:txBody></p:sp>'
    )
    sp_tree.insert(2, sp)  # after nvGrpSpPr and grpSpPr: drawn first, so behind the placeholders


def set_xfrm(element: etree._Element, box: tuple[int, int, int, int]) -> None:
    """Give a master or layout shape its own position (a layout placeholder without one inherits the master's)."""
    sp_pr = required(element, qn("p:spPr"))
    xfrm = sp_pr.find(qn("a:xfrm"))
    if xfrm is None:
        xfrm = etree.SubElement(sp_pr, qn("a:xfrm"))
        sp_pr.insert(0, xfrm)
    for child in list(xfrm):
        xfrm.remove(child)
    x, y, cx, cy = box
    etree.SubElement(xfrm, qn("a:off"), x=str(x), y=str(y))
    etree.SubElement(xfrm, qn("a:ext"), cx=str(cx), cy=str(cy))


def clear_xfrm(element: etree._Element) -> None:
    """Remove a layout placeholder's own position, so it inherits the master's."""
    for sp_pr in element.findall(qn("p:spPr")):
        for xfrm in sp_pr.findall(qn("a:xfrm")):
            sp_pr.remove(xfrm)


# ---------------------------------------------------------------- text


def set_bullet(paragraph: _Paragraph, margin_left: int, indent: int, char: str | None, colour: str = "") -> None:
    """Left margin and hanging indent (EMU) and the bullet character, or no bullet when `char` is None.

    Written on the paragraph so the look and the measured width do not depend on the master's text styles.
    """
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(margin_left))
    p_pr.set("indent", str(indent))
    for tag in _BULLET_TAGS:
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    new = []
    if char is None:
        new.append(etree.Element(qn("a:buNone")))
    else:
        if colour:
            clr = etree.Element(qn("a:buClr"))
            etree.SubElement(clr, qn("a:srgbClr"), val=hex_colour(colour))
            new.append(clr)
        new.append(etree.Element(qn("a:buFont"), typeface="Arial"))
        new.append(etree.Element(qn("a:buChar"), char=char))
    anchor = next((p_pr.find(qn(t)) for t in _AFTER_BULLETS if p_pr.find(qn(t)) is not None), None)
    for element in new:
        if anchor is None:
            p_pr.append(element)
        else:
            anchor.addprevious(element)


def set_language(run: _Run, lang: str) -> None:
    run._r.get_or_add_rPr().set("lang", lang)


def set_end_size(paragraph: _Paragraph, size_pt: float, lang: str) -> None:
    """The size of the paragraph mark, so an empty paragraph's height is known too."""
    end = paragraph._p.get_or_add_endParaRPr()
    end.set("lang", lang)
    end.set("sz", str(round(size_pt * 100)))


def add_slide_number(paragraph: _Paragraph, number: int, size_pt: float, lang: str) -> None:
    """A slide-number field showing `number` until the viewer renumbers it (it stays right when slides move)."""
    fld = parse_xml(
        f'<a:fld {nsdecls("a")} id="{_SLIDENUM_FIELD_ID}" type="slidenum">'
        f'<a:rPr lang="{lang}" sz="{round(size_pt * 100)}"/><a:t>{number}</a:t></a:fld>'
    )
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is None:
        paragraph._p.append(fld)
    else:
        end.addprevious(fld)


def set_cell_bottom_border(cell: _Cell, width_emu: int, colour: str) -> None:
    """A rule under a table cell (lnB comes before the cell's fill in a:tcPr)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("a:lnB")):
        tc_pr.remove(old)
    ln = parse_xml(
        f'<a:lnB {nsdecls("a")} w="{width_emu}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>'
        f'<a:srgbClr val="{hex_colour(colour)}"/></a:solidFill><a:prstDash val="solid"/></a:lnB>'
    )
    before = [tc_pr.find(qn(t)) for t in ("a:lnL", "a:lnR", "a:lnT")]
    last = next((e for e in reversed(before) if e is not None), None)
    if last is None:
        tc_pr.insert(0, ln)
    else:
        last.addnext(ln)


# ---------------------------------------------------------------- theme and package parts


def theme_part(master: SlideMaster) -> Part:
    return master.part.part_related_by(RT.THEME)


def edit_xml_part(part: Part, edit: Callable[[etree._Element], None]) -> None:
    """Parse a part python-pptx keeps as bytes (theme, extended properties), edit it, store it back."""
    root = etree.fromstring(part.blob)
    edit(root)
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_colour_scheme(theme: etree._Element, name: str, colours: dict[str, str]) -> None:
    """Theme colours by slot (dk1, lt1, dk2, lt2, accent1..6, hlink, folHlink) as '#RRGGBB'."""
    scheme = required(theme, f".//{qn('a:clrScheme')}")
    scheme.set("name", name)
    for slot, colour in colours.items():
        holder = required(scheme, qn(f"a:{slot}"))
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, qn("a:srgbClr"), val=hex_colour(colour))


def set_font_scheme(theme: etree._Element, name: str, major: str, minor: str) -> None:
    """The heading (major) and body (minor) Latin typefaces every '+mj-lt' / '+mn-lt' resolves to."""
    scheme = required(theme, f".//{qn('a:fontScheme')}")
    scheme.set("name", name)
    required(scheme, f"{qn('a:majorFont')}/{qn('a:latin')}").set("typeface", major)
    required(scheme, f"{qn('a:minorFont')}/{qn('a:latin')}").set("typeface", minor)
    theme.set("name", name)


def drop_thumbnail(prs: Presentation) -> None:
    """The template's preview image shows python-pptx's blank slide, not ours: drop it."""
    package = prs.part.package
    for r_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(r_id)


def extended_properties_part(prs: Presentation) -> Part | None:
    package = prs.part.package
    for rel in package._rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            return rel.target_part
    return None


def extended_properties_xml(company: str, slides: int, notes: int) -> bytes:
    """docProps/app.xml that says what the file holds (the template's claims a Mac, 4:3 and no slides)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{ns}"><Application>briefkit</Application><Slides>{slides}</Slides>'
        f"<Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><Company>{escape(company)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def drop_all_slides(prs: Presentation) -> None:
    """A user's master may come with slides of its own; the deck starts from its layouts only."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        r_id = sld_id.rId
        id_list.remove(sld_id)  # first, so the relationship has no reference left and can go
        prs.part.drop_rel(r_id)


def set_default_language(prs: Presentation, lang: str) -> None:
    """The language new text gets (spelling, hyphenation, screen-reader voice)."""
    for def_rpr in prs._element.xpath("./p:defaultTextStyle/a:defPPr/a:defRPr"):
        def_rpr.set("lang", lang)


def set_table_style(graphic_frame: BaseShape, style_id: str) -> None:
    """The built-in table style a table points to (we colour cells ourselves, so: no style, no grid)."""
    tbl_pr = graphic_frame._element.xpath(".//a:tbl/a:tblPr")[0]
    for old in tbl_pr.findall(qn("a:tableStyleId")):
        tbl_pr.remove(old)
    etree.SubElement(tbl_pr, qn("a:tableStyleId")).text = style_id


# ---------------------------------------------------------------- inheritance: what a placeholder gets from above

_INSET_DEFAULTS = {"lIns": 91440, "tIns": 45720, "rIns": 91440, "bIns": 45720}


def _chain(shape: BaseShape) -> list[etree._Element]:
    """The shape's element, then its layout's and its master's placeholder (PowerPoint's inheritance order)."""
    chain: list[etree._Element] = [shape._element]
    base = getattr(shape, "_base_placeholder", None)
    while base is not None:
        chain.append(base._element)
        base = getattr(base, "_base_placeholder", None)
    return chain


def inherited_insets(shape: BaseShape) -> tuple[int, int, int, int]:
    """The text insets (left, top, right, bottom, EMU) the shape gets from itself, its layout or its master."""
    found: dict[str, int] = {}
    for element in _chain(shape):
        body_pr = element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        for name in _INSET_DEFAULTS:
            value = body_pr.get(name) if body_pr is not None else None
            if value is not None and name not in found:
                found[name] = int(value)
    values = {**_INSET_DEFAULTS, **found}
    return values["lIns"], values["tIns"], values["rIns"], values["bIns"]


def inherited_size(shape: BaseShape, master: SlideMaster, style: str) -> float | None:
    """The first-level font size (pt) the placeholder inherits, ending at the master's `style`
    ('titleStyle' or 'bodyStyle'); None when nothing says."""
    levels = [e.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}") for e in _chain(shape)]
    levels.append(master._element.find(f"{qn('p:txStyles')}/{qn('p:' + style)}/{qn('a:lvl1pPr')}"))
    for level in levels:
        def_rpr = level.find(qn("a:defRPr")) if level is not None else None
        size = def_rpr.get("sz") if def_rpr is not None else None
        if size:
            return int(size) / 100
    return None


# ---------------------------------------------------------------- the built-in master's look

def set_slide_size(prs: Presentation, width: int, height: int) -> None:
    """A custom size (the 4:3 'screen4x3' type would contradict 16:9 numbers)."""
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    sld_sz = prs._element.sldSz
    if sld_sz is not None and "type" in sld_sz.attrib:
        del sld_sz.attrib["type"]


def scale_x(root: etree._Element, factor: float) -> None:
    """Stretch every shape's horizontal position and width (a 4:3 layout made 16:9)."""
    for off in root.iter(qn("a:off")):
        off.set("x", str(round(int(off.get("x", "0")) * factor)))
    for ext in root.iter(qn("a:ext")):
        cx = ext.get("cx")
        if cx is not None:
            ext.set("cx", str(round(int(cx) * factor)))


def hide_master_shapes(layout_element: etree._Element) -> None:
    """A layout with its own background design (title, section) does not show the master's rules."""
    layout_element.set("showMasterSp", "0")


def style_level(level: etree._Element, size_pt: float, colour: str, bold: bool | None = None,
                align: str | None = None) -> None:
    """Restyle one a:lvlNpPr of a text style: size, bold, colour (a theme slot such as tx1, tx2, bg1)."""
    if align:
        level.set("algn", align)
    def_rpr = level.find(qn("a:defRPr"))
    if def_rpr is None:
        def_rpr = etree.SubElement(level, qn("a:defRPr"))
    def_rpr.set("sz", str(round(size_pt * 100)))
    if bold is not None:
        def_rpr.set("b", "1" if bold else "0")
    for old in def_rpr.findall(qn("a:solidFill")):
        def_rpr.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val=colour)
    def_rpr.insert(0, fill)  # solidFill comes before latin/ea/cs


def set_placeholder_style(element: etree._Element, size_pt: float, colour: str, bold: bool | None = None,
                          align: str = "l", anchor: str | None = None) -> None:
    """Give a layout placeholder its own first-level text style (and vertical anchor), no bullet."""
    lst = required(element, f"{qn('p:txBody')}/{qn('a:lstStyle')}")
    for child in list(lst):
        lst.remove(child)
    level = etree.SubElement(lst, qn("a:lvl1pPr"), marL="0", indent="0")
    etree.SubElement(level, qn("a:buNone"))
    style_level(level, size_pt, colour, bold, align)
    set_body(element, anchor=anchor)


def set_body(element: etree._Element, anchor: str | None = None, insets: tuple[int, int, int, int] | None = None,
             autofit: bool | None = None) -> None:
    """The text body's anchor (t, ctr, b), insets (EMU) and shrink-on-overflow of a master or layout shape."""
    body_pr = required(element, f"{qn('p:txBody')}/{qn('a:bodyPr')}")
    if anchor:
        body_pr.set("anchor", anchor)
    if insets:
        for name, value in zip(_INSET_DEFAULTS, insets, strict=True):
            body_pr.set(name, str(value))
    if autofit is False:
        for old in list(body_pr):
            if old.tag in (qn("a:normAutofit"), qn("a:spAutoFit"), qn("a:noAutofit")):
                body_pr.remove(old)
        body_pr.insert(0, etree.Element(qn("a:noAutofit")))


# ---------------------------------------------------------------- charts

_CAT_AX_AFTER_SKIP = ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")


def level_category_labels(axis: object, skip: int = 1) -> None:
    """Category labels level, every one shown (the names come wrapped to their slot): LibreOffice would turn
    long names 45 degrees and drop some. With `skip` > 1 (single words such as years, too many to sit side
    by side) PowerPoint shows every skip-th label and LibreOffice, which ignores the skip, turns them."""
    cat_ax = axis._element  # type: ignore[attr-defined]
    for old in cat_ax.findall(qn("c:tickLblSkip")):
        cat_ax.remove(old)
    element = etree.Element(qn("c:tickLblSkip"), val=str(skip))
    anchor = next((cat_ax.find(qn(t)) for t in _CAT_AX_AFTER_SKIP if cat_ax.find(qn(t)) is not None), None)
    if anchor is None:
        cat_ax.append(element)
    else:
        anchor.addprevious(element)
    body_pr = cat_ax.find(f"{qn('c:txPr')}/{qn('a:bodyPr')}")
    if body_pr is not None and skip == 1:
        body_pr.set("rot", "0")
        body_pr.set("vert", "horz")


def value_axis_crosses_at_max(value_axis: object) -> None:
    """Put the value axis at the far end of the category axis: with categories reversed (first on top), that
    keeps the value axis at the bottom. python-pptx offers this only the other way round."""
    val_ax = value_axis._element  # type: ignore[attr-defined]
    val_ax._remove_crosses()
    val_ax._remove_crossesAt()
    val_ax._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)


def set_plot_area(chart: object, left: float, top: float, width: float, height: float) -> None:
    """Fix the inner plot area as fractions of the chart: the room left of it is the category labels' own, so
    names wrapped to that width are shown as wrapped, not wrapped again by the viewer's guess."""
    plot_area = chart._chartSpace.chart.plotArea  # type: ignore[attr-defined]
    for old in plot_area.findall(qn("c:layout")):
        plot_area.remove(old)
    layout = etree.SubElement(plot_area, qn("c:layout"))
    plot_area.insert(0, layout)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, val in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"), ("c:x", f"{left:.4f}"),
                     ("c:y", f"{top:.4f}"), ("c:w", f"{width:.4f}"), ("c:h", f"{height:.4f}")):
        etree.SubElement(manual, qn(tag), val=val)


FIRST_AXIS_ID = 100000001  # within xsd:unsignedInt, and below 2^31: LibreOffice reads axis ids as signed 32-bit


def unsigned_axis_ids(chart: object) -> None:
    """python-pptx's chart templates number the axes with negative ids (`c:axId`, and `c:crossAx` naming the axis
    crossed), which the schema's xsd:unsignedInt forbids: strict validators reject the chart. The ids are numbered
    afresh in the order they first appear, the same old id always becoming the same new one, so every reference (a
    plot's axes, an axis's crossing axis) still names the axis it named. Not the same bits read unsigned: ids above
    2^31 - 1 overflow LibreOffice's signed reading, and it then draws horizontal bars from the wrong side."""
    chart_space = chart._chartSpace  # type: ignore[attr-defined]
    elements = list(chart_space.iter(qn("c:axId"), qn("c:crossAx")))
    new = {old: str(FIRST_AXIS_ID + n) for n, old in enumerate(dict.fromkeys(e.get("val") for e in elements))}
    for element in elements:
        element.set("val", new[element.get("val")])
