"""Accessibility, for every audience: alt text written from the data on every picture and chart in all three
formats; a tagged PDF with title, language and bookmarks from the headings; Word headings in real styles and a
table of contents for the long audiences; table header rows marked as headers; slides read title first."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from docx import Document as DocxDocument
from lxml import etree
from pptx import Presentation
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefkit.charts import build_figure
from briefkit.factbase import load_factbase
from briefkit.meeting import load_meeting
from tests.conftest import SEEDS
from tests.quality.conftest import MEETING, Bundle
from tests.quality.expected import builtin_theme, expected
from tests.quality.pdflayout import outline_headings

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|emf|wmf)$|^(image|picture|chart)\s*\d*$", re.IGNORECASE)


@cache
def chart_alts() -> frozenset[str]:
    """The alt text the charts module writes from the data, for every chart of the fact base, as of today and as
    of the meeting's date (what the meeting builds show)."""
    full = load_factbase(SEEDS)
    meeting = load_meeting(MEETING, full.info.topics)
    alts = set()
    for fb in (full, full.select(meeting.when)):
        for spec in fb.figures.charts:
            alts.add(build_figure(spec, fb, builtin_theme()).alt)
    return frozenset(alts)


def logo_alt() -> str:
    return f"{expected().author} logo"


def _xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _slides(path: Path) -> Iterator[tuple[int, etree._Element]]:
    with zipfile.ZipFile(path) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        for name in names:
            yield int(re.findall(r"\d+", name)[0]), etree.fromstring(z.read(name))


def _struct(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every structure element of a tagged PDF, depth first."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                yield node
            kids = node.get("/K")
            kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
            stack.extend(reversed([k.get_object() for k in kids]))


def _docx_alts(path: Path) -> list[str]:
    return [d.get("descr", "") for d in _xml(path, "word/document.xml").iterfind(".//wp:docPr", NS)]


def _pdf_alts(path: Path) -> list[str]:
    return [str(e.get("/Alt", "")) for e in _struct(PdfReader(str(path))) if e["/S"] == "/Figure"]


def _pptx_alts(path: Path) -> list[str]:
    alts = []
    for _, slide in _slides(path):
        for frame in slide.iterfind(".//p:pic/p:nvPicPr/p:cNvPr", NS):
            alts.append(frame.get("descr", ""))
        for frame in slide.iterfind(".//p:graphicFrame", NS):
            if frame.find(".//c:chart", NS) is not None:
                alts.append(frame.find("p:nvGraphicFramePr/p:cNvPr", NS).get("descr", ""))
    return alts


def _check_alts(alts: list[str], where: str) -> list[str]:
    """Every alt is the logo's or a chart's as written from its data; returns the chart ones in order."""
    assert alts, f"{where}: no pictures"
    for alt in alts:
        assert alt.strip() and not FILE_NAME.search(alt.strip()), f"{where}: alt {alt!r}"
        assert alt == logo_alt() or alt in chart_alts(), f"{where}: alt not written from the data: {alt[:80]!r}"
    return [a for a in alts if a != logo_alt()]


def test_every_picture_and_chart_has_alt_text_from_the_data(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        docx = _check_alts(_docx_alts(bundle.docx), f"{bundle} DOCX")
        pdf = _check_alts(_pdf_alts(bundle.pdf), f"{bundle} PDF")
        pptx = _check_alts(_pptx_alts(bundle.pptx), f"{bundle} PPTX")
        assert docx == pdf, bundle  # the brief's two formats describe the same charts in the same order
        assert docx, bundle
        assert set(pptx) <= set(docx) and pptx, bundle  # the deck shows some of the brief's charts


def test_pdf_is_tagged_with_title_and_language(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        reader = PdfReader(str(bundle.pdf))
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        kinds = [e["/S"] for e in _struct(reader)]
        assert kinds.count("/H1") == 1, bundle  # the title
        assert {"/Document", "/P", "/Figure", "/L", "/LI"} <= set(kinds), bundle
        assert root["/Lang"] == expected().language
        assert reader.metadata.title == expected().title


def _docx_headings(path: Path) -> list[tuple[int, str]]:
    doc = DocxDocument(str(path))
    return [(int(p.style.name[-1]), p.text) for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


def test_pdf_bookmarks_are_the_headings(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        reader = PdfReader(str(bundle.pdf))
        outline = [h.title for h in outline_headings(bundle.pdf)]
        headings = [e for e in _struct(reader) if e["/S"] in ("/H2", "/H3")]
        assert outline and len(outline) == len(headings), bundle
        assert outline == [text for _, text in _docx_headings(bundle.docx)], bundle


def test_docx_headings_use_real_styles_with_outline_levels(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        headings = _docx_headings(bundle.docx)
        assert headings and headings[0][0] == 1, bundle
        styles = _xml(bundle.docx, "word/styles.xml")
        for level, style_id in ((0, "Heading1"), (1, "Heading2")):
            lvl = styles.find(f".//w:style[@w:styleId='{style_id}']/w:pPr/w:outlineLvl", NS)
            assert lvl is not None and lvl.get(f"{{{NS['w']}}}val") == str(level), (bundle, style_id)
        body = _xml(bundle.docx, "word/document.xml")
        direct = body.xpath(".//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'Heading')]]/w:r/w:rPr/w:sz", namespaces=NS)
        assert not direct, bundle  # headings look as their style says, not by direct formatting


def test_long_briefs_have_a_table_of_contents_field(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        body = _xml(bundle.docx, "word/document.xml")
        fields = [t.text for t in body.iterfind(".//w:instrText", NS) if t.text and t.text.strip().startswith("TOC")]
        if not bundle.long:
            assert not fields, bundle
            continue
        assert len(fields) == 1, bundle
        levels = int(re.search(r'\\o "1-(\d)"', fields[0]).group(1))
        listed = body.xpath(".//w:p[w:pPr/w:pStyle[@w:val='TOC1' or @w:val='TOC2']]", namespaces=NS)
        headings = [h for h in _docx_headings(bundle.docx) if h[0] <= levels]
        assert len(listed) == len(headings), bundle  # the cached result lists them before any field update
        text = subprocess.run(["pdftotext", "-layout", str(bundle.pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        contents = text[text.index("CONTENTS"):].splitlines()[1:]
        entries = itertools.takewhile(lambda line: not line.strip() or re.search(r"\S\s{3,}\d+$", line), contents)
        pdf_entries = [line for line in entries if line.strip()]  # each a title, then its page at the margin
        assert len(pdf_entries) == len(listed), bundle  # the PDF's contents list the same headings


def test_table_header_rows_are_marked(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        body = _xml(bundle.docx, "word/document.xml")
        data_tables = [t for t in body.iterfind(".//w:tbl", NS)
                       if "Layout box" not in (t.find("w:tblPr/w:tblDescription", NS).get(f"{{{NS['w']}}}val")
                                               if t.find("w:tblPr/w:tblDescription", NS) is not None else "")]
        header_cells = 0
        for table in data_tables:
            first = table.find("w:tr", NS)
            assert first.find("w:trPr/w:tblHeader", NS) is not None, bundle
            assert table.find("w:tblPr/w:tblLook", NS).get(f"{{{NS['w']}}}firstRow") == "1", bundle
            assert all(tr.find("w:trPr/w:tblHeader", NS) is None for tr in table.findall("w:tr", NS)[1:])
            header_cells += len(first.findall("w:tc", NS))
        th = [e for e in _struct(PdfReader(str(bundle.pdf))) if e["/S"] == "/TH"]
        assert len(th) == header_cells, bundle  # the PDF's tables mark the same header cells
        for _, slide in _slides(bundle.pptx):
            for tbl in slide.iterfind(".//a:tbl", NS):
                assert tbl.find("a:tblPr", NS).get("firstRow") == "1", bundle


def test_slides_read_title_first(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        prs = Presentation(str(bundle.pptx))
        for number, slide in enumerate(prs.slides, start=1):
            shapes = list(slide.shapes)
            assert shapes and shapes[0].is_placeholder, (bundle, number)
            assert shapes[0].placeholder_format.idx == 0 and shapes[0].text_frame.text.strip(), (bundle, number)
            assert slide.shapes.title is not None and slide.shapes.title.shape_id == shapes[0].shape_id
