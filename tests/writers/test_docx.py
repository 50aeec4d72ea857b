"""The DOCX writer: what Word, python-docx and LibreOffice find in the file it writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm, Inches, RGBColor
from lxml import etree
from PIL import Image

from briefkit.document.model import (
    Box,
    BulletList,
    Document,
    Drawn,
    FigureBlock,
    Heading,
    Link,
    NoteRef,
    Paragraph,
    TableBlock,
    TableOfContents,
    Text,
)
from briefkit.errors import TemplateError
from briefkit.writers.docx import REQUIRED_STYLES, reference_docx_bytes, write_docx
from tests.samples import META, sample_document, sample_figure, sample_table, sample_theme

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_WIDTH = Cm(16)  # A4 less the 2.5 cm side margins the PDF's stylesheet has too
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def save(tmp_path: Path, data: bytes, name: str = "brief.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def brief() -> bytes:
    return write_docx(sample_document(), sample_theme())


@pytest.fixture(scope="module")
def body(brief: bytes) -> etree._Element:
    return part_xml(brief, "word/document.xml")


def paragraphs_by_style(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in docx.Document(str(path)).paragraphs:
        out.setdefault(p.style.name, []).append(p.text)
    return out


# ---------------------------------------------------------------- styles


def test_every_block_gets_a_real_style(tmp_path: Path, brief: bytes) -> None:
    styles = paragraphs_by_style(save(tmp_path, brief))
    assert styles["Title"] == ["Sample brief on widgets"]
    assert styles["Subtitle"] == ["A test document"]
    assert styles["Marking"] == ["For discussion"]
    assert styles["Byline"] == ["Analyst \u00b7 20 March 2025"]
    assert styles["Heading 1"] == ["Joint exercises and training", "Sources"]
    assert styles["Lead"] == ["Tajikistan took part in 19 of 36 exercises.1"]  # 1: the NOTEREF field's result
    assert styles["List Bullet"] == ["First point emphasised", "Second point."]
    assert styles["Caption"] == ["Figure 1: Personnel in joint operations", "Table 1: Joint exercises"]
    assert styles["Small"][-1] == "Carnegie (2025)."
    assert "Sources: Carnegie (2025)." in styles["Source Note"][-1]


def test_all_required_styles_are_defined_in_the_styles_part(tmp_path: Path, brief: bytes) -> None:
    names = {s.name for s in docx.Document(str(save(tmp_path, brief))).styles}
    assert set(REQUIRED_STYLES) <= names


def test_theme_fonts_sizes_and_colours_are_in_the_styles(tmp_path: Path, brief: bytes) -> None:
    styles = docx.Document(str(save(tmp_path, brief))).styles
    assert styles["Normal"].font.name == "Calibri"
    assert styles["Normal"].font.size.pt == 10.5
    assert styles["Heading 1"].font.color.rgb == RGBColor.from_string("1F3A5F")
    assert styles["Marking"].font.color.rgb == RGBColor.from_string("B5121B")
    assert styles["Heading 1"].paragraph_format.keep_with_next
    assert styles["Caption"].paragraph_format.keep_with_next


def test_text_inside_a_box_uses_box_styles(tmp_path: Path, brief: bytes) -> None:
    cell = docx.Document(str(save(tmp_path, brief))).tables[0].cell(0, 0)
    assert [(p.style.name, p.text) for p in cell.paragraphs] == [
        ("Box Title", "Bottom line"), ("Box Text", "China is a growing security partner.")]


def test_box_is_a_shaded_layout_table(body: etree._Element) -> None:
    box = body.find(".//w:tbl", NS)
    assert box.find("w:tblPr/w:tblCaption", NS).get(w("val")) == "Bottom line"
    assert "Layout" in box.find("w:tblPr/w:tblDescription", NS).get(w("val"))
    assert box.find(".//w:tblHeader", NS) is None
    assert box.find(".//w:tcPr/w:shd", NS).get(w("fill")) == "EDF1F6"
    assert box.find(".//w:tcBorders/w:left", NS).get(w("color")) == "B5121B"


def test_headings_carry_bookmarks_named_by_anchor(body: etree._Element) -> None:
    names = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert "exercises" in names and "sources" in names


# ---------------------------------------------------------------- footnotes


def test_footnotes_are_a_real_part(tmp_path: Path, brief: bytes) -> None:
    package = docx.Document(str(save(tmp_path, brief))).part.package
    parts = {str(p.partname): p for p in package.parts}
    assert parts["/word/footnotes.xml"].content_type == CT.WML_FOOTNOTES
    document_part = parts["/word/document.xml"]
    assert any(r.reltype == RT.FOOTNOTES for r in document_part.rels.values())


def test_each_note_is_one_footnote_with_its_text(brief: bytes, body: etree._Element) -> None:
    doc = sample_document()
    refs = body.findall(".//w:footnoteReference", NS)
    assert len(refs) == len(doc.notes)
    notes = part_xml(brief, "word/footnotes.xml")
    by_id = {n.get(w("id")): n for n in notes.findall("w:footnote", NS)}
    assert by_id["-1"].get(w("type")) == "separator"
    assert by_id["0"].get(w("type")) == "continuationSeparator"
    texts = ["".join(by_id[r.get(w("id"))].itertext()).strip() for r in refs]
    assert texts == [doc.notes[0][0].text, doc.notes[1][0].text]
    for ref in refs:
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(w("val")) == "FootnoteReference"
    styles = part_xml(brief, "word/styles.xml")
    ids = {s.get(w("styleId")) for s in styles.findall("w:style", NS)}
    assert {"FootnoteText", "FootnoteReference"} <= ids


def test_a_note_cited_twice_is_referenced_again_not_duplicated(body: etree._Element) -> None:
    """Note 1 is cited in the box and in the lead paragraph: one footnote, then a NOTEREF to it."""
    instructions = [t.text for t in body.iter(w("instrText"))]
    assert any("NOTEREF _RefNote1" in i for i in instructions)
    assert "_RefNote1" in [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]


def test_links_in_text_and_in_notes_are_real_hyperlinks(tmp_path: Path) -> None:
    url = "https://example.org/report"
    doc = Document(META, (Paragraph((Link((Text("the report"),), url), NoteRef(1))),),
                   ((Text("See "), Link((Text("this"),), url + "#p3")),))
    data = write_docx(doc, sample_theme())
    word = docx.Document(str(save(tmp_path, data)))
    links = [r.target_ref for r in word.part.rels.values() if r.reltype == RT.HYPERLINK]
    assert links == [url]
    notes_part = next(p for p in word.part.package.parts if str(p.partname) == "/word/footnotes.xml")
    assert [r.target_ref for r in notes_part.rels.values() if r.reltype == RT.HYPERLINK] == [url + "#p3"]
    link = part_xml(data, "word/document.xml").find(".//w:hyperlink", NS)
    assert link.find("w:r/w:rPr/w:rStyle", NS).get(w("val")) == "Hyperlink"


# ---------------------------------------------------------------- tables and figures


def test_table_header_repeats_and_rows_do_not_split(tmp_path: Path) -> None:
    data = write_docx(sample_document(rows=60), sample_theme())
    table = part_xml(data, "word/document.xml").findall(".//w:tbl", NS)[1]
    rows = table.findall("w:tr", NS)
    assert len(rows) == 61
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert table.find("w:tblPr/w:tblLook", NS).get(w("firstRow")) == "1"
    fills = {c.find("w:tcPr/w:shd", NS).get(w("fill")) for c in rows[0].findall("w:tc", NS)}
    assert fills == {"1F3A5F"}
    word = docx.Document(str(save(tmp_path, data)))
    t = word.tables[1]
    assert [c.paragraphs[0].style.name for c in t.rows[0].cells] == ["Table Heading"] * 4
    assert t.cell(5, 3).paragraphs[0].alignment == 2  # right: a numeric column
    assert t.cell(5, 1).paragraphs[0].alignment is None
    widths = [c.width for c in t.rows[1].cells]
    assert widths[1] == pytest.approx(3 * widths[0], rel=0.01)  # relative widths 0.15 : 0.45
    assert sum(widths) == pytest.approx(TEXT_WIDTH, rel=0.01)


def test_no_column_is_narrower_than_its_longest_word() -> None:
    table = dataclasses.replace(sample_table(), widths=(0.02, 0.58, 0.2, 0.2))  # "Year": far too narrow
    data = write_docx(Document(META, (TableBlock(table),), ()), sample_theme())
    grid = [int(g.get(w("w"))) for g in part_xml(data, "word/document.xml").iter(w("gridCol"))]
    assert grid[0] >= 4 * 0.5 * 9 * 20 + 200  # four digits at 9 pt, plus the cell padding
    assert sum(grid) == pytest.approx(TEXT_WIDTH / 635, abs=2)  # still exactly the text width


def test_figure_has_alt_text_title_and_fits_the_text_width(brief: bytes, body: etree._Element) -> None:
    figure = sample_figure()
    doc_pr = body.find(".//wp:docPr", NS)
    assert doc_pr.get("descr") == figure.alt
    assert doc_pr.get("title") == figure.title
    extent = body.find(".//wp:extent", NS)
    assert int(extent.get("cx")) == Inches(6)  # 1200 px at 200 dpi: its print size
    with zipfile.ZipFile(io.BytesIO(brief)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert [z.read(n) for n in media] == [figure.png]  # embedded as it is, not re-encoded


def test_a_wide_figure_is_scaled_down_to_the_text_width() -> None:
    picture = io.BytesIO()
    Image.new("RGB", (4000, 2000), "white").save(picture, format="PNG")
    wide = dataclasses.replace(sample_figure(), image=Drawn(b"", picture.getvalue()))
    data = write_docx(Document(META, (FigureBlock(wide),), ()), sample_theme())
    extent = part_xml(data, "word/document.xml").find(".//wp:extent", NS)
    assert int(extent.get("cx")) == pytest.approx(TEXT_WIDTH, abs=Cm(0.01))  # stored in twips: rounding
    assert int(extent.get("cy")) == pytest.approx(int(extent.get("cx")) / 2, abs=1)  # the picture's own aspect


def test_captions_are_numbered_with_seq_fields(body: etree._Element) -> None:
    instructions = [t.text.strip() for t in body.iter(w("instrText"))]
    assert "SEQ Figure \\* ARABIC" in instructions
    assert "SEQ Table \\* ARABIC" in instructions


def test_ordered_lists_each_start_at_one() -> None:
    items = ((Text("a"),), (Text("b"),))
    doc = Document(META, (BulletList(items, ordered=True), Paragraph((Text("x"),)), BulletList(items, True)), ())
    data = write_docx(doc, sample_theme())
    num_ids = [n.get(w("val")) for n in part_xml(data, "word/document.xml").iter(w("numId"))]
    assert len(num_ids) == 2 and len(set(num_ids)) == 1  # the second list's own instance
    numbering = part_xml(data, "word/numbering.xml")
    num = numbering.find(f"w:num[@w:numId='{num_ids[0]}']", NS)
    assert num.find("w:lvlOverride/w:startOverride", NS).get(w("val")) == "1"


# ---------------------------------------------------------------- contents, header, footer


def test_table_of_contents_is_a_field_prefilled_with_the_headings(body: etree._Element) -> None:
    instructions = [t.text.strip() for t in body.iter(w("instrText"))]
    assert 'TOC \\o "1-2" \\h \\z \\u' in instructions
    entries = [p for p in body.iter(w("p")) if p.find("w:pPr/w:pStyle", NS) is not None
               and p.find("w:pPr/w:pStyle", NS).get(w("val")) == "TOC1"]
    assert ["".join(p.itertext()).replace(instructions[0], "").strip() for p in entries] == [
        "Joint exercises and training", "Sources"]
    anchors = [h.get(w("anchor")) for p in entries for h in p.findall("w:hyperlink", NS)]
    assert anchors == ["exercises", "sources"]
    kinds = [f.get(w("fldCharType")) for p in entries for f in p.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_settings_do_not_ask_to_update_fields(brief: bytes) -> None:
    settings = part_xml(brief, "word/settings.xml")
    assert settings.find("w:updateFields", NS) is None
    assert [f.get(w("id")) for f in settings.findall("w:footnotePr/w:footnote", NS)] == ["-1", "0"]


def test_header_has_the_marking_and_footer_page_n_of_m(tmp_path: Path, brief: bytes) -> None:
    section = docx.Document(str(save(tmp_path, brief))).sections[0]
    assert section.header.paragraphs[0].text == "For discussion"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Test Organisation\tPage ")
    instructions = [t.text.strip() for t in footer._p.iter(w("instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert section.different_first_page_header_footer  # page 1: the title block shows the marking
    assert "Page" in section.first_page_footer.paragraphs[0].text


def test_no_marking_no_header_and_no_headings_an_empty_contents_field() -> None:
    meta = dataclasses.replace(META, marking="")
    data = write_docx(Document(meta, (TableOfContents(), Paragraph((Text("Text."),))), ()), sample_theme())
    word = docx.Document(io.BytesIO(data))
    assert [p.text for p in word.paragraphs][:3] == ["Sample brief on widgets", "A test document",
                                                    "Analyst · 20 March 2025"]
    assert word.sections[0].header.is_linked_to_previous
    kinds = [f.get(w("fldCharType")) for f in part_xml(data, "word/document.xml").iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_page_setup_follows_the_theme(tmp_path: Path) -> None:
    a4 = docx.Document(str(save(tmp_path, write_docx(sample_document(), sample_theme()), "a4.docx"))).sections[0]
    assert (round(a4.page_width.cm, 2), round(a4.page_height.cm, 2), round(a4.left_margin.cm, 2)) == (21, 29.7, 2.5)
    letter_theme = dataclasses.replace(sample_theme(), page_size="Letter")
    letter = docx.Document(str(save(tmp_path, write_docx(sample_document(), letter_theme), "l.docx"))).sections[0]
    assert (letter.page_width, letter.page_height) == (Inches(8.5), Inches(11))


def test_logo_at_the_top_with_alt_text(tmp_path: Path) -> None:
    logo = (Path(__file__).resolve().parents[2] / "templates" / "default" / "logo.png").read_bytes()
    theme = dataclasses.replace(sample_theme(), logo=logo)
    body = part_xml(write_docx(sample_document(), theme), "word/document.xml")
    first = body.find("w:body/w:p", NS)
    assert first.find(".//wp:docPr", NS).get("descr") == "Test Organisation logo"


# ---------------------------------------------------------------- metadata and bytes


def test_core_properties_come_from_meta(tmp_path: Path, brief: bytes) -> None:
    props = docx.Document(str(save(tmp_path, brief))).core_properties
    assert props.title == META.title and props.subject == META.subject
    assert props.author == props.last_modified_by == "Test Organisation"
    assert props.keywords == "widgets, test"
    assert props.language == "en-GB"
    when = dt.datetime.fromtimestamp(META.timestamp, dt.UTC).replace(tzinfo=None)
    assert props.created.replace(tzinfo=None) == when and props.modified.replace(tzinfo=None) == when
    assert props.revision == 1
    assert props.comments == ""
    default_lang = part_xml(brief, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default_lang.get(w("val")) == "en-GB"
    app = part_xml(brief, "docProps/app.xml")
    assert app.findtext("{*}Company") == "Test Organisation"


def test_no_template_leftovers(brief: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(brief)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)
        assert b"python-docx" not in z.read("docProps/core.xml")
    assert len(brief) < 60_000


def test_same_model_same_bytes() -> None:
    assert write_docx(sample_document(), sample_theme()) == write_docx(sample_document(), sample_theme())


# ---------------------------------------------------------------- reference.docx


def test_builtin_reference_is_a_clean_styles_source(tmp_path: Path) -> None:
    data = reference_docx_bytes(sample_theme())
    assert data == reference_docx_bytes(sample_theme())
    word = docx.Document(str(save(tmp_path, data, "reference.docx")))
    assert set(REQUIRED_STYLES) <= {s.name for s in word.styles}
    assert word.core_properties.author == "Test Organisation"
    assert word.core_properties.created.year != 2013
    assert word.styles["Heading 1"].font.name == "Calibri"


def test_the_exported_reference_as_a_user_reference_gives_the_same_brief(tmp_path: Path) -> None:
    """The built-in reference is used without being saved and opened again: the brief must be the one written
    from the exported file."""
    path = save(tmp_path, reference_docx_bytes(sample_theme()), "reference.docx")
    doc = sample_document()
    assert write_docx(doc, dataclasses.replace(sample_theme(), reference_docx=path)) == write_docx(doc, sample_theme())


def test_a_users_reference_restyles_the_brief(tmp_path: Path) -> None:
    ref = docx.Document(io.BytesIO(reference_docx_bytes(sample_theme())))
    ref.styles["Heading 1"].font.color.rgb = RGBColor.from_string("008000")
    ref.styles["Lead"].font.size = docx.shared.Pt(14)
    ref.sections[0].left_margin = Cm(3)
    path = tmp_path / "reference.docx"
    ref.save(str(path))
    theme = dataclasses.replace(sample_theme(), reference_docx=path)
    word = docx.Document(str(save(tmp_path, write_docx(sample_document(), theme))))
    assert word.styles["Heading 1"].font.color.rgb == RGBColor.from_string("008000")
    assert word.styles["Lead"].font.size.pt == 14
    assert round(word.sections[0].left_margin.cm, 2) == 3
    assert not any(p.text.endswith("sample text in this style.") for p in word.paragraphs)


def test_reference_styles_are_matched_regardless_of_case(tmp_path: Path) -> None:
    """LibreOffice saves Word's "toc 1" and "footnote text" as "TOC 1" and "Footnote Text"."""
    ref = docx.Document(io.BytesIO(reference_docx_bytes(sample_theme())))
    ref.styles["toc 1"].name = "TOC 1"
    note_style = ref.styles["footnote text"]
    note_style.name, note_style.style_id = "Footnote Text", "Footnote"
    path = tmp_path / "reference.docx"
    ref.save(str(path))
    data = write_docx(sample_document(), dataclasses.replace(sample_theme(), reference_docx=path))
    notes = part_xml(data, "word/footnotes.xml")
    assert {s.get(w("val")) for s in notes.iter(w("pStyle"))} == {"Footnote"}


def test_a_previous_brief_as_reference_keeps_nothing_of_its_text(tmp_path: Path) -> None:
    """Its notes, pictures and links go; its header, footer and separators stay."""
    previous = save(tmp_path, write_docx(sample_document(), sample_theme()), "previous.docx")
    theme = dataclasses.replace(sample_theme(), reference_docx=previous)
    data = write_docx(sample_document(), theme)
    notes = part_xml(data, "word/footnotes.xml").findall("w:footnote", NS)
    assert [n.get(w("id")) for n in notes] == ["-1", "0", "1", "2"]
    body = part_xml(data, "word/document.xml")
    assert len(body.findall(".//w:footnoteReference", NS)) == 2
    assert len(body.findall(".//wp:docPr", NS)) == 1
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 1
    assert docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text == "For discussion"


def test_a_reference_lacking_styles_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "reference.docx"
    docx.Document().save(str(path))  # python-docx's plain template: none of our own styles
    theme = dataclasses.replace(sample_theme(), reference_docx=path)
    with pytest.raises(TemplateError) as err:
        write_docx(sample_document(), theme)
    message = str(err.value)
    assert "reference.docx lacks styles: " in message
    for name in ("Lead", "Box Title", "Box Text", "Source Note", "Small", "Marking", "footnote text", "toc 1"):
        assert name in message
    assert "Heading 1" not in message and "Caption" not in message
    assert message.count("\n") == 0


def test_a_reference_that_is_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "reference.docx"
    path.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        write_docx(sample_document(), dataclasses.replace(sample_theme(), reference_docx=path))


def test_a_box_without_title_has_no_empty_first_line(tmp_path: Path) -> None:
    doc = Document(META, (Box("callout", "", (Paragraph((Text("Only text."),)),)), Heading(1, (Text("H"),))), ())
    cell = docx.Document(io.BytesIO(write_docx(doc, sample_theme()))).tables[0].cell(0, 0)
    assert [p.text for p in cell.paragraphs] == ["Only text."]


# ---------------------------------------------------------------- as LibreOffice lays it out


def _pdf_pages(docx_path: Path, tmp_path: Path) -> list[str]:
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (docx_path.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.slow  # LibreOffice converts the brief
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice, poppler")
def test_libreoffice_shows_footnotes_at_page_foot_and_repeats_table_headers(tmp_path: Path) -> None:
    path = save(tmp_path, write_docx(sample_document(rows=60), sample_theme()))
    pages = _pdf_pages(path, tmp_path)
    assert len(pages) >= 2
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    note = first.index(next(line for line in first if "Lemon and Norov" in line))
    assert note > first.index(next(line for line in first if "Second point." in line))
    assert any("Kızılay (24 November 2022)" in line for line in first[note:])
    assert "Page 1 of" in first[-1]
    for page in pages[1:]:
        if "Exercise 4" in page or "Exercise 5" in page:
            lines = [line.split() for line in page.splitlines() if line.strip()]
            assert ["Year", "Exercise", "Format", "Personnel"] in lines  # the header row, repeated
    continued = [p for p in pages[1:] if "Exercise 59" in p]
    assert continued and "Personnel" in continued[0]
