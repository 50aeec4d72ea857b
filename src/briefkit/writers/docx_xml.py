"""The WordprocessingML that python-docx 1.2 has no API for, in one place.

Footnotes (a part made from a default template and related on first use, registered with `PartFactory`, the way
python-docx adds its comments part), fields (PAGE, NUMPAGES, SEQ, TOC, PAGEREF, NOTEREF), bookmarks, hyperlinks,
table flags (repeating header rows, rows that do not split, captions), shading and borders, picture alt text.
The DOCX writer composes these; nothing here knows about the document model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement, parse_xml, register_element_cls
from docx.oxml.xmlchemy import BaseOxmlElement, ZeroOrMore
from docx.parts.story import StoryPart
from lxml import etree

if TYPE_CHECKING:
    from docx.oxml.text.paragraph import CT_P
    from docx.oxml.text.run import CT_R
    from docx.package import Package
    from docx.parts.document import DocumentPart

# ---------------------------------------------------------------- schema order of the children we insert

_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook", "w:tblCaption", "w:tblDescription",
)
_TRPR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit", "w:trHeight",
    "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
)
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
    "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)
_SETTINGS_AFTER_FOOTNOTEPR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def set_child(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> etree._Element:
    """Put `child` in `parent` in schema order, replacing a child of the same tag (Word rejects misordered XML).
    Any lxml element will do as either: python-docx's `OxmlElement` makes plain ones for tags it has no class for."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    name = next(n for n in order if qn(n) == tag)
    successor = next((found for n in order[order.index(name) + 1 :] if (found := parent.find(qn(n))) is not None), None)
    if successor is not None:
        successor.addprevious(child)
    else:
        parent.append(child)
    return child


def element(tag: str, **attrs: str) -> etree._Element:
    """A `w:` element with `w:` attributes, e.g. element("w:shd", val="clear", fill="EDF1F6")."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _get_or_add(parent: BaseOxmlElement, tag: str, order: tuple[str, ...]) -> etree._Element:
    found = parent.find(qn(tag))
    return found if found is not None else set_child(parent, OxmlElement(tag), order)


def hex_colour(colour: str) -> str:
    """The form OOXML wants: "#1f3a5f" becomes "1F3A5F"."""
    return colour.lstrip("#").upper()


# ---------------------------------------------------------------- run and paragraph properties


def set_fonts(rpr: BaseOxmlElement, name: str) -> None:
    """Name the font for every script and drop theme-font references, which would otherwise win over the name."""
    rfonts = element("w:rFonts", ascii=name, hAnsi=name, cs=name, eastAsia=name)
    set_child(rpr, rfonts, _RPR_ORDER)


def set_language(rpr: BaseOxmlElement, language: str) -> None:
    """The proofing language of text (`w:lang/@w:val`), keeping any East Asian and bidi values."""
    lang = _get_or_add(rpr, "w:lang", _RPR_ORDER)
    lang.set(qn("w:val"), language)


def set_paragraph_property(ppr: BaseOxmlElement, tag: str, **attrs: str) -> etree._Element:
    return set_child(ppr, element(tag, **attrs), _PPR_ORDER)


def remove_children(parent: BaseOxmlElement, *tags: str) -> None:
    parent.remove_all(*tags)


def paragraph_border(ppr: BaseOxmlElement, side: str, colour: str, size_eighths: int, space_pt: int = 4) -> None:
    """A rule above or below a paragraph (`side` "top" or "bottom")."""
    pbdr = element("w:pBdr")
    pbdr.append(element(f"w:{side}", val="single", sz=str(size_eighths), space=str(space_pt),
                        color=hex_colour(colour)))
    set_child(ppr, pbdr, _PPR_ORDER)


# ---------------------------------------------------------------- runs: text, fields, references


def text_run(text: str, rstyle: str | None = None) -> CT_R:
    """A run of text; `rstyle` is a character style id."""
    r = cast("CT_R", OxmlElement("w:r"))
    if rstyle:
        r.get_or_add_rPr().append(element("w:rStyle", val=rstyle))
    r.text = text
    return r


def field_begin(instruction: str, rstyle: str | None = None) -> list[CT_R]:
    """The start of a complex field: begin, the instruction, separate; the cached result follows."""
    instr = text_run("", rstyle)
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = f" {instruction} "
    instr.append(instr_text)
    return [_fld_char("begin", rstyle), instr, _fld_char("separate", rstyle)]


def field_end(rstyle: str | None = None) -> CT_R:
    return _fld_char("end", rstyle)


def field_runs(instruction: str, cached: str, rstyle: str | None = None) -> list[CT_R]:
    """A whole complex field, with the result shown before fields are updated."""
    return [*field_begin(instruction, rstyle), text_run(cached, rstyle), field_end(rstyle)]


def _fld_char(kind: str, rstyle: str | None) -> CT_R:
    r = text_run("", rstyle)
    r.append(element("w:fldChar", fldCharType=kind))
    return r


def footnote_reference_run(note_id: int, rstyle: str) -> CT_R:
    """The superscript mark in the text that points at footnote `note_id`."""
    r = text_run("", rstyle)
    r.append(element("w:footnoteReference", id=str(note_id)))
    return r


def hyperlink(r_id: str | None = None, anchor: str | None = None) -> etree._Element:
    """A `w:hyperlink` to an external target (relationship id) or to a bookmark in the document."""
    link = OxmlElement("w:hyperlink")
    if r_id:
        link.set(qn("r:id"), r_id)
    if anchor:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


def bookmark_start(name: str, bookmark_id: int) -> etree._Element:
    return element("w:bookmarkStart", id=str(bookmark_id), name=name)


def bookmark_end(bookmark_id: int) -> etree._Element:
    return element("w:bookmarkEnd", id=str(bookmark_id))


def bookmark_paragraph(p: CT_P, name: str, bookmark_id: int) -> None:
    """Bookmark the whole content of a paragraph (what a heading's TOC entry and links point at)."""
    ppr = p.pPr
    if ppr is not None:
        ppr.addnext(bookmark_start(name, bookmark_id))
    else:
        p.insert(0, bookmark_start(name, bookmark_id))
    p.append(bookmark_end(bookmark_id))


def bookmark_name(text: str) -> str:
    """A name Word accepts for a bookmark: a letter first, then letters, digits and underscores, 40 at most."""
    cleaned = "".join(c if c.isascii() and c.isalnum() else "_" for c in text).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"h_{cleaned}"
    return cleaned[:40]


# ---------------------------------------------------------------- tables


def table_properties(tbl: BaseOxmlElement) -> BaseOxmlElement:
    return tbl.tblPr  # type: ignore[attr-defined]


def set_table_width(tbl: BaseOxmlElement, twips: int) -> None:
    set_child(table_properties(tbl), element("w:tblW", w=str(twips), type="dxa"), _TBLPR_ORDER)


def set_table_indent(tbl: BaseOxmlElement, twips: int) -> None:
    set_child(table_properties(tbl), element("w:tblInd", w=str(twips), type="dxa"), _TBLPR_ORDER)


def set_table_caption(tbl: BaseOxmlElement, caption: str, description: str) -> None:
    """The table's name and summary that screen readers announce (Word's Alt Text for tables)."""
    tblpr = table_properties(tbl)
    set_child(tblpr, element("w:tblCaption", val=caption), _TBLPR_ORDER)
    set_child(tblpr, element("w:tblDescription", val=description), _TBLPR_ORDER)


def set_table_look(tbl: BaseOxmlElement, header_row: bool) -> None:
    """Tell Word whether the first row is a header row (what its accessibility checker looks at)."""
    look = element("w:tblLook", val="0620" if header_row else "0600", firstRow="1" if header_row else "0",
                   lastRow="0", firstColumn="0", lastColumn="0", noHBand="1", noVBand="1")
    set_child(table_properties(tbl), look, _TBLPR_ORDER)


def set_table_borders(tbl: BaseOxmlElement, **sides: tuple[str, int] | None) -> None:
    """Table borders by side (top, left, bottom, right, insideH, insideV): (colour, eighths of a point) or None."""
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        spec = sides.get(side)
        if spec is None:
            borders.append(element(f"w:{side}", val="nil"))
        else:
            colour, size = spec
            borders.append(element(f"w:{side}", val="single", sz=str(size), space="0", color=hex_colour(colour)))
    set_child(table_properties(tbl), borders, _TBLPR_ORDER)


def set_cell_margins(tbl: BaseOxmlElement, top: int, left: int, bottom: int, right: int) -> None:
    """Default padding of every cell, in twips."""
    mar = element("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        mar.append(element(f"w:{side}", w=str(value), type="dxa"))
    set_child(table_properties(tbl), mar, _TBLPR_ORDER)


def mark_header_row(tr: BaseOxmlElement) -> None:
    """A header row: repeated at the top of each page and announced as column headers."""
    set_child(tr.get_or_add_trPr(), element("w:tblHeader"), _TRPR_ORDER)  # type: ignore[attr-defined]


def keep_row_together(tr: BaseOxmlElement) -> None:
    """The row never splits across a page break."""
    set_child(tr.get_or_add_trPr(), element("w:cantSplit"), _TRPR_ORDER)  # type: ignore[attr-defined]


def shade_cell(tc: BaseOxmlElement, fill: str) -> None:
    set_child(tc.get_or_add_tcPr(), element("w:shd", val="clear", color="auto", fill=hex_colour(fill)),  # type: ignore[attr-defined]
              _TCPR_ORDER)


def set_cell_borders(tc: BaseOxmlElement, **sides: tuple[str, int] | None) -> None:
    """Cell borders by side (top, left, bottom, right): (colour, eighths of a point) or None for none."""
    borders = element("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        spec = sides.get(side)
        if spec is None:
            borders.append(element(f"w:{side}", val="nil"))
        else:
            colour, size = spec
            borders.append(element(f"w:{side}", val="single", sz=str(size), space="0", color=hex_colour(colour)))
    set_child(tc.get_or_add_tcPr(), borders, _TCPR_ORDER)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- pictures


def describe_picture(inline: BaseOxmlElement, description: str, title: str, name: str) -> None:
    """Alt text where Word and screen readers look (`wp:docPr/@descr`), with a title and a name, not a file name."""
    doc_pr = inline.docPr  # type: ignore[attr-defined]
    doc_pr.set("name", name)
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)
    for c_nv_pr in inline.xpath(".//pic:cNvPr"):
        c_nv_pr.set("name", name)
        c_nv_pr.set("descr", description)


def theme_with_fonts(theme_xml: bytes, major: str, minor: str) -> bytes:
    """A DrawingML theme part whose heading (major) and body (minor) Latin fonts are the given ones."""
    root = etree.fromstring(theme_xml)
    for tag, name in (("a:majorFont", major), ("a:minorFont", minor)):
        for font in root.iter(qn(tag)):
            found = font.find(qn("a:latin"))
            if found is not None:
                found.set("typeface", name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- numbering


def restart_numbering(numbering: BaseOxmlElement, num_id: int) -> int:
    """A new list instance of the same definition as `num_id`, starting again at 1; its id."""
    num = numbering.num_having_numId(num_id)  # type: ignore[attr-defined]
    new = numbering.add_num(num.abstractNumId.val)  # type: ignore[attr-defined]
    new.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(new.numId)


def style_num_id(style_element: BaseOxmlElement) -> int | None:
    """The list numbering a paragraph style carries, if any."""
    found = style_element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    return int(found[0]) if found else None


def set_num_id(ppr: BaseOxmlElement, num_id: int) -> None:
    numpr = element("w:numPr")
    numpr.append(element("w:ilvl", val="0"))
    numpr.append(element("w:numId", val=str(num_id)))
    set_child(ppr, numpr, _PPR_ORDER)


# ---------------------------------------------------------------- footnotes

_DEFAULT_FOOTNOTES = f"""<w:footnotes {nsdecls("w", "r")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>""".replace("\n", "")


class CT_Footnotes(BaseOxmlElement):
    """`w:footnotes`, the root of the footnotes part: separator footnotes, then the notes."""

    footnote = ZeroOrMore("w:footnote")

    def clear_notes(self) -> None:
        """Drop a reference document's own notes, keeping its separators."""
        for note in self.xpath("./w:footnote[not(@w:type) or @w:type='normal']"):
            self.remove(note)

    def next_note_id(self) -> int:
        """One more than the highest id in use (at least 1), so a reference document's separators are kept."""
        ids = [int(v) for v in self.xpath("./w:footnote/@w:id")]
        return max([0, *ids]) + 1

    def add_note(self, note_id: int, pstyle: str, rstyle: str) -> CT_P:
        """A new footnote holding one paragraph that starts with its number mark; the caller adds the text."""
        xml = (f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="{pstyle}"/></w:pPr>'
               f'<w:r><w:rPr><w:rStyle w:val="{rstyle}"/></w:rPr><w:footnoteRef/></w:r>'
               f'<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        note = parse_xml(xml)
        self.append(note)
        return cast("CT_P", note[0])


register_element_cls("w:footnotes", CT_Footnotes)


class FootnotesPart(StoryPart):
    """`/word/footnotes.xml`: the separator footnotes (ids -1 and 0, the spec's convention) and the notes."""

    @classmethod
    def default(cls, package: Package) -> FootnotesPart:
        element = parse_xml(_DEFAULT_FOOTNOTES.encode())
        return cls(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, package)

    @property
    def footnotes(self) -> CT_Footnotes:
        return cast(CT_Footnotes, self.element)


PartFactory.part_type_for[CT.WML_FOOTNOTES] = FootnotesPart


def find_footnotes_part(document_part: DocumentPart) -> FootnotesPart | None:
    for rel in document_part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return cast(FootnotesPart, rel.target_part)
    return None


def footnotes_part(document_part: DocumentPart) -> FootnotesPart:
    """The document's footnotes part, created and related on first use, announced in the settings."""
    part = find_footnotes_part(document_part)
    if part is not None:
        return part
    part = FootnotesPart.default(document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    settings = document_part.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        pr = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
        settings.insert_element_before(pr, *_SETTINGS_AFTER_FOOTNOTEPR)
    return part
