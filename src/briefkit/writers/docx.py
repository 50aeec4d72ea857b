"""The DOCX writer: the document model and a theme in, a finished Word file out.

Styles come from a reference document, as with pandoc's `--reference-doc`: the theme's own `reference.docx` when
it names one (its styles, page setup, headers and footers are kept, its body is dropped), else the built-in one,
`reference_docx_bytes(theme)`: python-docx's default template restyled in the theme's fonts, sizes and colours.
Content is written with the styles in REQUIRED_STYLES, by name, so a user restyles the brief by editing styles.
Direct formatting is kept to what a style cannot say: table shading and borders, numeric columns aligned right,
keep-with-next where a heading, caption or short table must not be parted from what follows.

What python-docx cannot write (footnotes, fields, bookmarks, table header flags) comes from `docx_xml`.

The table of contents is a real `TOC` field whose cached result is pre-filled with the headings, each a link to
its heading's bookmark, so it reads correctly before any update. Page numbers cannot be known before layout, so
the cached entries carry none (an empty dotted leader looks broken); Word adds them when the reader updates the
field. `w:updateFields` is not set: Word would greet the principal with a dialog asking to update fields, and
LibreOffice ignores the setting anyway (tried: its conversion shows the cached entries either way).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Emu, Inches, Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from lxml import etree

from briefkit.document.model import (
    Block,
    Box,
    BulletList,
    Document,
    Emph,
    Figure,
    FigureBlock,
    Heading,
    Inline,
    LineBreak,
    Link,
    Meta,
    NoteRef,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    TableBlock,
    TableOfContents,
    Text,
    plain_text,
    png_size,
)
from briefkit.errors import TemplateError
from briefkit.theme.model import Theme
from briefkit.theme.stamp import follow_theme
from briefkit.writers import docx_xml as x
from briefkit.writers.reproducible import normalize_zip
from briefkit.writers.scripts_docx import mark_scripts

REQUIRED_STYLES: tuple[str, ...] = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "List Number", "Caption",
    "Lead", "Box Title", "Box Text", "Source Note", "Small", "Marking", "Byline", "Table Text", "Table Heading",
    "Header", "Footer", "footnote text", "footnote reference", "Hyperlink", "TOC Heading", "toc 1", "toc 2",
)
"""The styles the writer applies, by the names Word shows; a user's reference.docx must define all of them."""

_PAGE_SIZES = {"A4": (Cm(21), Cm(29.7)), "Letter": (Inches(8.5), Inches(11))}
# The PDF's page (brief.css `@page`): the same text area, so lines and pages break alike in both formats.
_MARGINS = (Mm(21), Mm(25), Mm(20), Mm(25))  # top, right, bottom, left
_HEADER_DISTANCE, _FOOTER_DISTANCE = Mm(12), Mm(11)  # where the PDF's running header and footer sit
_DPI = 200  # the charts' PNGs are rendered at this resolution
_LOGO_HEIGHT = Cm(1.4)
_PARAGRAPH_STYLES = {"": "Normal", "lead": "Lead", "small": "Small"}
_BOX_PARAGRAPH_STYLES = {"": "Box Text", "lead": "Lead", "small": "Small"}
_HEADING_STYLES = {1: "Heading 1", 2: "Heading 2"}
_BOX_PADDING = (140, 220, 100, 220)  # top, left, bottom, right, in twips
_TABLE_PADDING = (60, 120, 60, 120)  # 3 pt and 6 pt, as the PDF's table cells
_KEEP_TOGETHER_ROWS = 15  # a table this short moves to the next page whole rather than split
_EMU_PER_TWIP = 635
_CHAR_EM = 0.56  # a generous average character width of Calibri/Carlito, in em
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_RULE = "C9CFD6"  # light grey for the lines between table rows


# ================================================================ the built-in reference document


@dataclass(frozen=True)
class _StyleSpec:
    """How one style looks, relative to the theme: sizes in points, colours by Colours field name."""

    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH
    base: str | None = "Normal"
    font: str = "body"  # "body" or "heading"
    size: float | None = None  # points; None = the body size plus `step`
    step: float = 0  # points from the body size, so small text scales with the theme's body size
    bold: bool | None = None
    italic: bool | None = False
    colour: str = "text"  # a Colours field, or "white"
    before: float | None = 0
    after: float | None = 6
    line: float | None = 1.13  # a multiple of the font's line (Carlito's is 1.22 em): 1.13 is the PDF's 1.38 em
    keep_next: bool | None = None
    small_caps: bool | None = None
    style_id: str | None = None  # Word's own id for built-in styles the template lacks


_STYLES: dict[str, _StyleSpec] = {
    "Normal": _StyleSpec(base=None),
    "Title": _StyleSpec(font="heading", size=25, bold=True, colour="primary", after=6, line=1.0),
    "Subtitle": _StyleSpec(font="heading", size=13, colour="muted", after=8, line=1.07),
    "Heading 1": _StyleSpec(font="heading", size=14.5, bold=True, colour="primary", before=18, after=6, line=1.0,
                            keep_next=True),
    "Heading 2": _StyleSpec(font="heading", size=11.5, bold=True, colour="primary", before=12, after=4, line=1.0,
                            keep_next=True),
    "List Bullet": _StyleSpec(after=3),
    "List Number": _StyleSpec(after=3),
    "Caption": _StyleSpec(font="heading", step=-0.5, bold=True, colour="primary", before=12, after=4, line=1.07,
                          keep_next=True),
    "Lead": _StyleSpec(step=1, colour="primary", after=7),
    "Box Title": _StyleSpec(font="heading", size=12, bold=True, colour="primary", after=4, line=1.0,
                            keep_next=True),
    "Box Text": _StyleSpec(after=4),
    "Source Note": _StyleSpec(step=-3, colour="muted", before=3, after=14, line=1.07),
    "Small": _StyleSpec(step=-1.5, colour="muted"),
    "Marking": _StyleSpec(font="heading", step=-2.5, bold=True, colour="accent", small_caps=True, after=5, line=1.0),
    "Byline": _StyleSpec(step=-1.5, colour="muted", after=14, line=1.0),
    "Table Text": _StyleSpec(step=-2, after=0, line=1.07),
    "Table Heading": _StyleSpec(base="Table Text", step=-2, bold=True, colour="white", after=0, line=1.07),
    "Header": _StyleSpec(step=-2.5, colour="muted", after=0, line=1.0),
    "Footer": _StyleSpec(step=-2.5, colour="muted", after=0, line=1.0),
    "footnote text": _StyleSpec(step=-3, after=0, line=1.03, style_id="FootnoteText"),
    "footnote reference": _StyleSpec(kind=WD_STYLE_TYPE.CHARACTER, base=None, font="", italic=None, colour="",
                                     style_id="FootnoteReference"),
    "Hyperlink": _StyleSpec(kind=WD_STYLE_TYPE.CHARACTER, base=None, font="", italic=None, colour="primary",
                            style_id="Hyperlink"),
    "TOC Heading": _StyleSpec(base="Heading 1", font="heading", size=13, bold=True, colour="primary", before=6,
                              after=6, line=1.0),
    "toc 1": _StyleSpec(after=3, line=1.0, style_id="TOC1"),
    "toc 2": _StyleSpec(after=2, line=1.0, style_id="TOC2"),
}


def reference_docx_bytes(theme: Theme) -> bytes:
    """The built-in styles source: what `briefkit theme export` hands a user to restyle, and what
    `write_docx` starts from when the theme has no reference.docx of its own (as `_builtin_reference`, which
    makes the same document without saving it and opening it again)."""
    word = _builtin_reference(theme)
    _show_styles(word, theme)
    props = word.core_properties
    props.author = props.last_modified_by = theme.organisation
    props.title = props.subject = props.keywords = props.comments = props.category = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2000, 1, 1)  # fixed: a template, the same bytes every time
    _set_app_properties(word, theme.organisation)
    out = io.BytesIO()
    word.save(out)
    return normalize_zip(out.getvalue(), 0)


def _builtin_reference(theme: Theme) -> WordDocument:
    word = docx.Document()
    _drop_package_extras(word)
    _set_page(word.sections[0], theme.page_size)
    _define_styles(word, theme, _text_width(word.sections[0]))
    _set_theme_fonts(word, theme)
    return word


def _drop_package_extras(word: WordDocument) -> None:
    """A template's thumbnail shows someone else's page and Word 2010's stylesWithEffects would shadow ours."""
    _drop_rels(word.part.package.rels, RT.THUMBNAIL)
    _drop_rels(word.part.rels, _RT_STYLES_WITH_EFFECTS)


def _drop_rels(rels: dict, *reltypes: str) -> None:
    """Forget relationships of these types; a part nothing relates to is not saved."""
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in reltypes]:
        del rels[r_id]


def _set_page(section: Section, page_size: str) -> None:
    width, height = _PAGE_SIZES.get(page_size, _PAGE_SIZES["A4"])
    section.page_width, section.page_height = width, height
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = _MARGINS
    section.header_distance, section.footer_distance = _HEADER_DISTANCE, _FOOTER_DISTANCE


def _text_width(section: Section) -> Length:
    return Emu((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))


def _define_styles(word: WordDocument, theme: Theme, text_width: Length) -> None:
    defaults = word.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr")
    if defaults:
        x.set_fonts(defaults[0], theme.fonts.body.office)
    existing = {style.name for style in word.styles}  # once: each lookup by name walks every style
    for name, spec in _STYLES.items():
        _style_look(_get_or_add_style(word, existing, name, spec), spec, theme)
    word.styles["Normal"].paragraph_format.widow_control = True  # stated: OOXML's default is off, Word's on
    for rfonts in word.styles.element.xpath(".//w:rFonts[@w:ascii='Courier']"):
        x.set_fonts(rfonts.getparent(), "Courier New")  # the template's code styles: a font Windows has too
    for name in ("Header", "Footer"):
        tabs = word.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    for name, indent in (("toc 1", Cm(0)), ("toc 2", Cm(0.6))):
        fmt = word.styles[name].paragraph_format
        fmt.left_indent = indent
        fmt.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    word.styles["toc 1"].font.bold = True
    word.styles["footnote reference"].font.superscript = True
    word.styles["Hyperlink"].font.underline = True
    x.paragraph_border(word.styles["Byline"].element.get_or_add_pPr(), "bottom", theme.colours.accent, 12, 6)


def _get_or_add_style(word: WordDocument, existing: set[str | None], name: str, spec: _StyleSpec) -> BaseStyle:
    """A template style cleaned of the template's own look (theme fonts, borders, odd numbering), or a new one."""
    if name in existing:
        style = word.styles[name]
        ppr, rpr = style.element.pPr, style.element.rPr
        if ppr is not None:  # the template's rule under Title, its list level on Subtitle
            x.remove_children(ppr, "w:pBdr", "w:contextualSpacing", *(["w:numPr"] if name == "Subtitle" else []))
        if rpr is not None:
            x.remove_children(rpr, "w:spacing", "w:kern", "w:bCs", "w:iCs")
    else:
        style = word.styles.add_style(name, spec.kind)
        if spec.style_id:
            style.style_id = spec.style_id
        style.quick_style = spec.style_id is None
    style.hidden = False
    style.unhide_when_used = False
    if spec.base:
        style.base_style = word.styles[spec.base]
    return style


def _style_look(style: BaseStyle, spec: _StyleSpec, theme: Theme) -> None:
    font = style.font  # type: ignore[attr-defined]
    if spec.font:
        choice = theme.fonts.heading if spec.font == "heading" else theme.fonts.body
        x.set_fonts(style.element.get_or_add_rPr(), choice.office)
    if spec.kind == WD_STYLE_TYPE.PARAGRAPH:
        font.size = Pt(theme.fonts.size_pt + spec.step if spec.size is None else spec.size)
    font.bold, font.italic, font.small_caps = spec.bold, spec.italic, spec.small_caps
    if spec.colour:
        hex_ = "FFFFFF" if spec.colour == "white" else x.hex_colour(getattr(theme.colours, spec.colour))
        font.color.rgb = RGBColor.from_string(hex_)
    if spec.kind == WD_STYLE_TYPE.PARAGRAPH:
        fmt = style.paragraph_format  # type: ignore[attr-defined]
        fmt.space_before = None if spec.before is None else Pt(spec.before)
        fmt.space_after = None if spec.after is None else Pt(spec.after)
        fmt.line_spacing = spec.line
        fmt.keep_with_next = spec.keep_next


def _set_theme_fonts(word: WordDocument, theme: Theme) -> None:
    """Make the template's theme fonts (Cambria, Calibri) the theme's own, so that styles we do not restyle,
    and text a user adds with them, match the rest."""
    old = word.part.part_related_by(RT.THEME)
    blob = x.theme_with_fonts(old.blob, theme.fonts.heading.office, theme.fonts.body.office)
    _drop_rels(word.part.rels, RT.THEME)
    word.part.relate_to(Part(old.partname, old.content_type, blob, word.part.package), RT.THEME)


def _show_styles(word: WordDocument, theme: Theme) -> None:
    """One sample paragraph per paragraph style, so whoever edits the reference sees what each one is."""
    for name in REQUIRED_STYLES:
        if word.styles[name].type == WD_STYLE_TYPE.PARAGRAPH:
            p = word.add_paragraph(f"{name}: sample text in this style.", style=name)
            if name == "Table Heading":  # white text: show it on the shading the writer gives header cells
                x.set_paragraph_property(p._p.get_or_add_pPr(), "w:shd", val="clear", color="auto",
                                         fill=x.hex_colour(theme.colours.primary))


def _set_app_properties(word: WordDocument, organisation: str) -> None:
    """Replace the template's extended properties ("Microsoft Macintosh Word", stale page counts) with ours."""
    package = word.part.package
    _drop_rels(package.rels, RT.EXTENDED_PROPERTIES)
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f"<Application>briefkit</Application><Company>{escape(organisation)}</Company>"
           "<DocSecurity>0</DocSecurity><LinksUpToDate>false</LinksUpToDate></Properties>")
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, xml.encode(), package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


# ================================================================ opening the styles source


class _StyleIndex:
    """Styles by the names Word shows, matched regardless of case as Word does: LibreOffice saves "toc 1" as
    "TOC 1" and "footnote text" as "Footnote Text", and ids differ between templates and languages."""

    def __init__(self, word: WordDocument) -> None:
        self._by_name: dict[str, BaseStyle] = {}
        for style in word.styles:
            if style.name:
                self._by_name.setdefault(style.name.lower(), style)

    def __getitem__(self, name: str) -> BaseStyle:
        return self._by_name[name.lower()]

    def missing(self, names: tuple[str, ...]) -> list[str]:
        return [name for name in names if name.lower() not in self._by_name]

    def id(self, name: str) -> str:
        return self[name].style_id


def _open_reference(theme: Theme) -> WordDocument:
    if theme.reference_docx is None:
        return _builtin_reference(theme)  # what reference_docx_bytes saves, less the sample text (test_docx.py)
    path = Path(theme.reference_docx)
    try:
        word = docx.Document(io.BytesIO(follow_theme(path.read_bytes(), theme)))  # theme.yaml's values
    except OSError as exc:
        raise TemplateError.at(path, f"cannot read reference.docx: {exc.strerror}") from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
        raise TemplateError.at(path, "reference.docx is not a Word document (.docx)") from None
    missing = _StyleIndex(word).missing(REQUIRED_STYLES)
    if missing:
        raise TemplateError.at(path, f"reference.docx lacks styles: {', '.join(missing)}")
    return word


def _empty_body(word: WordDocument) -> None:
    """Keep the reference's section setup, drop its text and what only the text used (pictures, links, notes)."""
    word.element.body.clear_content()
    _drop_rels(word.part.rels, RT.IMAGE, RT.HYPERLINK)
    notes = x.find_footnotes_part(word.part)
    if notes is not None:
        notes.footnotes.clear_notes()
        _drop_rels(notes.rels, RT.IMAGE, RT.HYPERLINK)
    _drop_package_extras(word)


# ================================================================ writing


@dataclass(frozen=True)
class _Frame:
    """Where blocks go: the body or a box's cell, and how wide it is."""

    container: WordDocument | _Cell
    width: Length
    in_box: bool = False


@dataclass(frozen=True)
class _TocEntry:
    level: int
    text: str
    bookmark: str


def write_docx(doc: Document, theme: Theme) -> bytes:
    """The brief as DOCX bytes, byte-identical for the same model, theme and timestamp."""
    word = _open_reference(theme)
    _empty_body(word)
    defaults = word.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr")
    if defaults:
        x.set_language(defaults[0], doc.meta.language)
    _DocxWriter(word, doc, theme).write()
    mark_scripts(word, theme, doc.meta.language)
    _set_core_properties(word, doc.meta)
    _set_app_properties(word, doc.meta.author)
    out = io.BytesIO()
    word.save(out)
    return normalize_zip(out.getvalue(), doc.meta.timestamp)


def _set_core_properties(word: WordDocument, meta: Meta) -> None:
    props = word.core_properties
    props.title, props.subject = meta.title, meta.subject
    props.author = props.last_modified_by = meta.author
    props.keywords = ", ".join(meta.keywords)
    props.language = meta.language
    props.comments = props.category = ""
    props.revision = 1
    when = dt.datetime.fromtimestamp(meta.timestamp, dt.UTC).replace(tzinfo=None)
    props.created = props.modified = when


class _DocxWriter:
    """Writes one model into one opened reference document; holds the counters that span the document."""

    def __init__(self, word: WordDocument, doc: Document, theme: Theme) -> None:
        self.word, self.doc, self.theme = word, doc, theme
        self.section = word.sections[0]
        self.width = _text_width(self.section)
        self.styles = _StyleIndex(word)
        self.bookmark_ids = itertools.count(1)
        self.toc = _toc_entries(doc.blocks)
        self.next_heading = iter(self.toc)
        self.notes_written: dict[int, tuple[str, str]] = {}  # model number -> (bookmark, mark shown)
        self.note_ids: Iterator[int] | None = None  # footnote ids in the DOCX, from the first note written
        self.ordered_lists = 0

    def write(self) -> None:
        self._header_footer()
        self._title_block()
        self._blocks(_Frame(self.word, self.width), self.doc.blocks)

    def _add(self, container: WordDocument | _Cell, style: str, text: str = "") -> WordParagraph:
        """A new paragraph in a style given by name."""
        p = container.add_paragraph(text)
        self._restyle(p, style)
        return p

    def _restyle(self, p: WordParagraph, style: str) -> None:
        p._p.style = self.styles.id(style)

    # ------------------------------------------------------------ page furniture

    def _header_footer(self) -> None:
        """Marking at the top of each page after the first (the title block carries it there); organisation and
        "Page N of M" at the foot of every page. A reference document's own header or footer wins."""
        section = self.section
        if section.header.is_linked_to_previous and self.doc.meta.marking:
            section.different_first_page_header_footer = True
            section.first_page_header.is_linked_to_previous = False  # defined and empty
            p = section.header.paragraphs[0]
            self._restyle(p, "Marking")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(self.doc.meta.marking)
        if section.footer.is_linked_to_previous:
            self._footer(section.footer.paragraphs[0])
            if section.different_first_page_header_footer and section.first_page_footer.is_linked_to_previous:
                self._footer(section.first_page_footer.paragraphs[0])

    def _footer(self, p: WordParagraph) -> None:
        self._restyle(p, "Footer")
        p.paragraph_format.tab_stops.add_tab_stop(self.width, WD_TAB_ALIGNMENT.RIGHT)
        before, _, rest = self.doc.meta.label("page_of", page="\0", pages="\1").partition("\0")
        middle, _, after = rest.partition("\1")
        p.add_run(f"{self.doc.meta.author}\t{before}")
        p._p.extend(x.field_runs("PAGE", "1"))
        p.add_run(middle)
        p._p.extend(x.field_runs("NUMPAGES", "1"))
        if after:
            p.add_run(after)

    def _title_block(self) -> None:
        meta, word = self.doc.meta, self.word
        if self.theme.logo:
            self._logo(self.theme.logo)
        if meta.marking:
            self._add(word, "Marking", meta.marking)
        self._add(word, "Title", meta.title)
        if meta.subtitle:
            self._add(word, "Subtitle", meta.subtitle)
        byline = " \u00b7 ".join(part for part in (meta.audience, meta.date_human) if part)
        self._add(word, "Byline", byline)

    def _logo(self, png: bytes) -> None:
        image = Image.from_blob(png)
        width: Length = Emu(int(_LOGO_HEIGHT * image.px_width / max(image.px_height, 1)))
        width = min(width, Cm(6), self.width)
        p = self._add(self.word, "Normal")
        shape = p.add_run().add_picture(io.BytesIO(png), width=width)
        label = self.doc.meta.label("logo", organisation=self.theme.organisation)
        x.describe_picture(shape._inline, label, "", label)

    # ------------------------------------------------------------ blocks

    def _blocks(self, frame: _Frame, blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            match block:
                case Heading():
                    self._heading(frame, block)
                case Paragraph():
                    styles = _BOX_PARAGRAPH_STYLES if frame.in_box else _PARAGRAPH_STYLES
                    p = self._add(frame.container, styles.get(block.style, styles[""]))
                    self._inlines(p, block.inlines)
                case BulletList():
                    self._list(frame, block)
                case Box():
                    self._box(frame, block)
                case FigureBlock():
                    self._figure(frame, block.figure)
                case TableBlock():
                    self._table(frame, block.table)
                case TableOfContents():
                    self._toc(frame, block)
                case PageBreak():
                    frame.container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _heading(self, frame: _Frame, heading: Heading) -> None:
        p = self._add(frame.container, _HEADING_STYLES.get(heading.level, "Heading 2"))
        p.paragraph_format.keep_with_next = True
        self._inlines(p, heading.inlines)
        entry = next(self.next_heading)
        x.bookmark_paragraph(p._p, entry.bookmark, next(self.bookmark_ids))

    def _list(self, frame: _Frame, block: BulletList) -> None:
        style = "List Number" if block.ordered else "List Bullet"
        num_id = None
        if block.ordered:
            self.ordered_lists += 1
            style_num = x.style_num_id(self.styles[style].element)
            if self.ordered_lists > 1 and style_num is not None:
                num_id = x.restart_numbering(self.word.part.numbering_part.element, style_num)
        for item in block.items:
            p = self._add(frame.container, style)
            if num_id is not None:
                x.set_num_id(p._p.get_or_add_pPr(), num_id)
            self._inlines(p, item)

    def _box(self, frame: _Frame, box: Box) -> None:
        """A one-cell table: shaded, an accent rule on the left, announced as layout rather than data."""
        table = frame.container.add_table(1, 1)
        tbl, cell = table._tbl, table.cell(0, 0)
        _shape_table(table, frame.width, (1.0,), _BOX_PADDING)
        x.set_table_borders(tbl)
        x.shade_cell(cell._tc, self.theme.colours.box)
        x.set_cell_borders(cell._tc, left=(self.theme.colours.accent, 24))
        x.keep_row_together(tbl.tr_lst[0])
        x.set_table_look(tbl, header_row=False)
        x.set_table_caption(tbl, box.title or box.kind, "Layout box (not a data table)")
        title = cell.paragraphs[0]
        if box.title:
            self._restyle(title, "Box Title")
            title.add_run(box.title)
        inner = Emu(frame.width - (_BOX_PADDING[1] + _BOX_PADDING[3]) * _EMU_PER_TWIP)
        self._blocks(_Frame(cell, inner, in_box=True), box.blocks)
        if not box.title and len(cell._tc.xpath("./w:p | ./w:tbl")) > 1:
            cell._tc.remove(title._p)
        self._add(frame.container, "Small")  # keeps the box apart from what follows, even another box

    def _figure(self, frame: _Frame, figure: Figure) -> None:
        """Title above (Caption), the chart at its print size but never wider than the text, notes below."""
        self._caption(frame, "Figure", figure.number, figure.title)
        p = self._add(frame.container, "Normal")
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.space_after = Pt(4)
        png = figure.png
        native = Emu(int(png_size(png)[0] * 914400 / _DPI))
        shape = p.add_run().add_picture(io.BytesIO(png), width=min(native, frame.width))
        x.describe_picture(shape._inline, figure.alt, figure.title,
                           self.doc.meta.label("figure_number", number=figure.number).rstrip(":.："))
        self._notes_below(frame, figure.caption, figure.source_note)

    def _table(self, frame: _Frame, data: Table) -> None:
        """A data table: header row shaded, marked and repeated on each page; rows never split; a short table
        is kept on one page with its caption and notes."""
        self._caption(frame, "Table", data.number, data.title)
        table = frame.container.add_table(1 + len(data.rows), len(data.header))
        tbl = table._tbl
        relative = data.widths or (1.0,) * len(data.header)
        _shape_table(table, frame.width, relative, _TABLE_PADDING, self._longest_words(data))
        colours = self.theme.colours
        x.set_table_borders(tbl, top=(colours.primary, 8), bottom=(colours.primary, 8), insideH=(_RULE, 4))
        x.set_table_look(tbl, header_row=True)
        x.set_table_caption(tbl, f"{self.doc.meta.label('table_number', number=data.number)} {data.title}",
                            data.caption or data.title)
        keep_all = len(data.rows) <= _KEEP_TOGETHER_ROWS
        for r, row in enumerate(table.rows):
            values = data.header if r == 0 else data.rows[r - 1]
            self._table_row(row._tr, row.cells, values, data.numeric, header=r == 0, keep_with_next=keep_all or r == 0)
        x.mark_header_row(table.rows[0]._tr)
        self._notes_below(frame, data.caption, data.source_note)

    def _longest_words(self, data: Table) -> list[int]:
        """Twips the longest word of each column needs, so that no word ("2016", "Personnel") breaks mid-word."""
        em = (self.theme.fonts.size_pt + _STYLES["Table Text"].step) * 20  # Table Text size, in twips
        needs = []
        for c, label in enumerate(data.header):
            words = [w for text in (label, *(row[c] for row in data.rows if c < len(row))) for w in text.split()]
            needs.append(int(max((len(w) for w in words), default=1) * _CHAR_EM * em))
        return needs

    def _table_row(self, tr: BaseOxmlElement, cells: list[_Cell], values: tuple[str, ...], numeric: tuple[bool, ...],
                   header: bool, keep_with_next: bool) -> None:
        x.keep_row_together(tr)
        for c, cell in enumerate(cells):
            p = cell.paragraphs[0]
            self._restyle(p, "Table Heading" if header else "Table Text")
            if c < len(numeric) and numeric[c]:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if header:
                x.shade_cell(cell._tc, self.theme.colours.primary)
            if keep_with_next:  # in a table, "keep with next" keeps the row with the next row
                p.paragraph_format.keep_with_next = True
            p.add_run(values[c] if c < len(values) else "")

    def _caption(self, frame: _Frame, label: str, number: int, title: str) -> None:
        """The numbered title line; the number is a SEQ field, so Word can build a table of figures from it."""
        p = self._add(frame.container, "Caption")
        p.paragraph_format.keep_with_next = True
        before, _, after = self.doc.meta.label(f"{label.lower()}_number", number="\0").partition("\0")
        p.add_run(before)
        p._p.extend(x.field_runs(f"SEQ {label} \\* ARABIC", str(number)))
        p.add_run(f"{after} {title}")

    def _notes_below(self, frame: _Frame, caption: str, source: str) -> None:
        lines = [line for line in (caption, source) if line]
        if lines:
            p = self._add(frame.container, "Source Note")
            for i, line in enumerate(lines):
                if i:
                    p.add_run().add_break()
                p.add_run(line)

    def _toc(self, frame: _Frame, block: TableOfContents) -> None:
        """A TOC field whose cached result already lists the headings, each linked to its bookmark."""
        self._add(frame.container, "TOC Heading", block.title)
        depth = block.depth(len(self.toc))
        entries = [entry for entry in self.toc if entry.level <= depth] or [_TocEntry(1, "", "")]
        for i, entry in enumerate(entries):
            p = self._add(frame.container, "toc 1" if entry.level == 1 else "toc 2")
            if i == 0:
                p._p.extend(x.field_begin(f'TOC \\o "1-{depth}" \\h \\z \\u'))
            if entry.bookmark:
                link = x.hyperlink(anchor=entry.bookmark)
                link.append(x.text_run(entry.text))
                p._p.append(link)
            if i == len(entries) - 1:
                p._p.append(x.field_end())

    # ------------------------------------------------------------ inlines

    def _inlines(self, p: WordParagraph, inlines: tuple[Inline, ...], target: etree._Element | None = None,
                 bold: bool = False, italic: bool = False, rstyle: str | None = None, in_note: bool = False) -> None:
        """Runs for inlines appended to `target` (the paragraph, or a hyperlink inside it)."""
        parent = p._p if target is None else target
        for node in inlines:
            match node:
                case Text(text=text):
                    run = Run(x.text_run(text, rstyle), p)
                    if bold:
                        run.bold = True
                    if italic:
                        run.italic = True
                    parent.append(run._r)
                case Emph(children=children):
                    self._inlines(p, children, parent, bold, True, rstyle, in_note)
                case Strong(children=children):
                    self._inlines(p, children, parent, True, italic, rstyle, in_note)
                case Link(children=children, url=url):
                    link = self._hyperlink(p, url)
                    parent.append(link)
                    self._inlines(p, children, link, bold, italic, self.styles.id("Hyperlink"), in_note)
                case NoteRef(number=number) if not in_note:
                    parent.extend(self._note_reference(number))
                case LineBreak():
                    br = x.text_run("", rstyle)
                    br.add_br()
                    parent.append(br)

    def _hyperlink(self, p: WordParagraph, url: str) -> etree._Element:
        """A link to a heading in this document ("#anchor") or to a web address."""
        if url.startswith("#"):
            return x.hyperlink(anchor=x.bookmark_name(url[1:]))
        return x.hyperlink(r_id=p.part.relate_to(url, RT.HYPERLINK, is_external=True))

    def _note_reference(self, number: int) -> Sequence[etree._Element]:
        """The first reference to a note makes the footnote; a later one shows its number with a NOTEREF field."""
        rstyle = self.styles.id("footnote reference")
        if number in self.notes_written:
            bookmark, mark = self.notes_written[number]
            return x.field_runs(f"NOTEREF {bookmark} \\f \\h", mark, rstyle)
        part = x.footnotes_part(self.word.part)
        if self.note_ids is None:  # after the reference's own separators; counted here, not looked up per note
            self.note_ids = itertools.count(part.footnotes.next_note_id())
        note_id = next(self.note_ids)
        note_p = part.footnotes.add_note(note_id, self.styles.id("footnote text"), rstyle)
        self._inlines(WordParagraph(note_p, part), self.doc.notes[number - 1], in_note=True)
        bookmark = f"_RefNote{number}"
        self.notes_written[number] = (bookmark, str(len(self.notes_written) + 1))
        bookmark_id = next(self.bookmark_ids)
        return [x.bookmark_start(bookmark, bookmark_id), x.footnote_reference_run(note_id, rstyle),
                x.bookmark_end(bookmark_id)]


def _shape_table(table: WordTable, width: Length, relative: tuple[float, ...], padding: tuple[int, ...],
                 needs: list[int] | None = None) -> None:
    """Columns in proportion to `relative` but wide enough for `needs` (twips of text), the table's edges on the
    text's edges, the layout fixed.

    Word (and LibreOffice, copying it) puts a table's text, not its border, at the indent; indenting by the left
    padding brings the border back in line with the text above and below.
    """
    table.autofit = False
    top, left, bottom, right = padding
    total_width = int(width / _EMU_PER_TWIP)
    twips = [int(total_width * share / (sum(relative) or 1.0)) for share in relative]
    if needs:
        twips = _fit_columns(twips, [need + left + right for need in needs])
    x.set_table_width(table._tbl, sum(twips))
    x.set_cell_margins(table._tbl, top, left, bottom, right)
    x.set_table_indent(table._tbl, left)
    widths = [Emu(w * _EMU_PER_TWIP) for w in twips]
    for column, w in zip(table.columns, widths, strict=False):
        column.width = w
    for row in table.rows:  # row by row: python-docx finds a column's cells by listing the whole table's
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = w


def _fit_columns(widths: list[int], minimums: list[int]) -> list[int]:
    """Widen columns below their minimum, taking the room from the others in proportion to what they can spare;
    unchanged when no column can spare it."""
    short = sum(max(m - w, 0) for w, m in zip(widths, minimums, strict=True))
    spare = [max(w - m, 0) for w, m in zip(widths, minimums, strict=True)]
    if short == 0 or sum(spare) < short:
        return widths
    fitted = [max(w, m) - (s * short // sum(spare)) for w, m, s in zip(widths, minimums, spare, strict=True)]
    widest = fitted.index(max(fitted))
    fitted[widest] -= sum(fitted) - sum(widths)  # what rounding left over
    return fitted


def _toc_entries(blocks: tuple[Block, ...]) -> list[_TocEntry]:
    """Every heading in document order with a unique bookmark name: from its anchor, else made up."""
    used: set[str] = set()
    entries = []
    for i, heading in enumerate(_headings(blocks)):
        name = x.bookmark_name(heading.anchor) if heading.anchor else f"_Toc_h{i + 1}"
        base, n = name, 2
        while name in used:
            name, n = f"{base[:36]}_{n}", n + 1
        used.add(name)
        entries.append(_TocEntry(min(max(heading.level, 1), 2), plain_text(heading.inlines), name))
    return entries


def _headings(blocks: tuple[Block, ...]) -> Iterator[Heading]:
    for block in blocks:
        if isinstance(block, Heading):
            yield block
        elif isinstance(block, Box):
            yield from _headings(block.blocks)
