"""Page layout, for every audience: no heading or caption alone at the foot of a PDF page, nothing wider than the
text (pictures included), and the DOCX laid out on the same page and text area as the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

from docx import Document as DocxDocument
from docx.shared import Emu
from lxml import etree
from pypdf import PdfReader

from briefkit.paths import builtin_templates
from briefkit.writers.pdf import render_pdf, theme_css
from tests.quality.conftest import Bundle
from tests.quality.expected import builtin_theme
from tests.quality.pdflayout import footnotes, stranded

PT = 12700  # EMU


def _content_size() -> float:
    """Text at least this large is what a heading introduces (body, tables); smaller is notes and page furniture."""
    return builtin_theme().fonts.size_pt - 2


def test_no_heading_or_caption_is_left_at_a_page_foot(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        assert stranded(bundle.pdf, _content_size()) == [], bundle


def _lonely_heading_pdf(extra_css: str, tmp_path: Path) -> Path:
    filler = "".join(f"<p>Paragraph {i} " + "of words that fill the page " * 12 + "</p>" for i in range(9))
    block = '<div style="height: 190mm; break-inside: avoid"><p>' + "What the heading introduces. " * 30 + "</p></div>"
    html = f'<html lang="en"><body><h2>Earlier</h2>{filler}<h2>Lonely heading</h2>{block}</body></html>'
    path = tmp_path / "lonely.pdf"
    path.write_bytes(render_pdf(html, theme_css(builtin_theme()) + extra_css, builtin_templates() / "default"))
    return path


def test_the_check_finds_a_heading_left_alone(tmp_path: Path) -> None:
    """With the stylesheet's `break-after: avoid` switched off, the same page strands the heading and the check
    says so; with it, the heading moves to the page of what it introduces."""
    lonely = stranded(_lonely_heading_pdf("h2 { break-after: auto; }", tmp_path), _content_size())
    assert lonely and "Lonely heading" in lonely[0] and "page 1" in lonely[0]
    assert stranded(_lonely_heading_pdf("", tmp_path), _content_size()) == []


def _text_area(docx: Path) -> tuple[float, float, float, float]:
    """Left and right edge of the DOCX text area, and the page size, in points."""
    section = DocxDocument(str(docx)).sections[0]
    return (section.left_margin / PT, (section.page_width - section.right_margin) / PT,
            section.page_width / PT, section.page_height / PT)


def test_docx_and_pdf_share_page_and_text_area(bundles: list[Bundle]) -> None:
    """Every word the PDF prints (chart labels included) lies within the DOCX's text area; the PDF's text starts
    at its left edge and reaches its right one: one text column, so lines wrap alike in both formats."""
    for bundle in bundles:
        left, right, width, height = _text_area(bundle.docx)
        page = PdfReader(str(bundle.pdf)).pages[0].mediabox
        assert (round(float(page.width)), round(float(page.height))) == (round(width), round(height)), bundle
        words = _word_edges(bundle.pdf)
        assert min(x0 for x0, _ in words) >= left - 1, bundle
        assert max(x1 for _, x1 in words) <= right + 1, bundle
        assert abs(min(x0 for x0, _ in words) - left) < 1, bundle
        assert max(x1 for _, x1 in words) > right - 15, bundle


def _word_edges(pdf: Path) -> list[tuple[float, float]]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    return [(float(w.get("xMin")), float(w.get("xMax"))) for w in root.iter("{*}word")]


def test_docx_pictures_are_never_wider_than_the_text(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        left, right, _, _ = _text_area(bundle.docx)
        doc = DocxDocument(str(bundle.docx))
        assert doc.inline_shapes
        for shape in doc.inline_shapes:
            assert Emu(shape.width).pt <= right - left + 0.5, (bundle, Emu(shape.width).pt, right - left)


def test_every_note_is_printed_on_the_page_of_its_call(bundles: list[Bundle]) -> None:
    """No footnote lost, none printed before its call; one printed a page late is tolerated only where WeasyPrint
    cannot move the line with the call (a list item held together by widows and orphans), and is rare."""
    late = 0
    for bundle in bundles:
        pages = footnotes(bundle.pdf)
        first_call: dict[int, int] = {}
        printed_on: dict[int, int] = {}
        for number, page in enumerate(pages):
            for note in page.called:
                first_call.setdefault(note, number)
            for note in page.printed:
                assert note not in printed_on, (bundle, note, "printed twice")
                printed_on[note] = number
        assert sorted(printed_on) == list(range(1, len(printed_on) + 1)), bundle  # numbered 1..n, none missing
        for note, page in printed_on.items():
            assert note in first_call, (bundle, note, "printed but never called")
            assert first_call[note] <= page <= first_call[note] + 1, (bundle, note, first_call[note] + 1, page + 1)
            late += page > first_call[note]
    assert late <= len(bundles), late
