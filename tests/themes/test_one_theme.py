"""A theme extending built-in blocks with `{{ super() }}`, and a user's reference.docx whose heading style carries
to the PDF and deck (or one line says which format keeps which style)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.shared import RGBColor
from pptx import Presentation

from tests.conftest import EXAMPLE, run_cli
from tests.themes.outputs import one, pdf_fonts, pdf_text

pytestmark = pytest.mark.slow  # each test builds with a theme: `make test-fast` leaves it out

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01

ADDED_SECTION = """{% extends "builtin/brief.md.j2" %}
{% block indicators %}
# Questions for the next review

- Which counters does the council use?

{{ super() }}
{% endblock %}
"""


def test_super_gives_the_parent_block_as_markdown(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "brief.md.j2").write_text(ADDED_SECTION)
    r = run_cli("build", "--facts", str(EXAMPLE), "--theme", str(theme), "--out", str(tmp_path / "out"),
                "--format", "docx,pdf", env=EPOCH)
    assert r.code == 0, r.err
    doc = DocxDocument(str(one(tmp_path / "out" / "analyst", ".docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings.index("Questions for the next review") + 1 == headings.index("Indicators to watch")
    assert not [p.text for p in doc.paragraphs if p.text.startswith(("#", "- ", "\\"))]  # no raw Markdown
    text = pdf_text(one(tmp_path / "out" / "analyst", ".pdf"))
    assert "# Indicators" not in text and "Indicators to watch" in text


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A theme of a theme.yaml naming only a reference.docx whose Heading 1 is Caladea in dark red."""
    theme = tmp_path / "theme"
    theme.mkdir()
    r = run_cli("theme", "export", str(tmp_path / "exported"))
    assert r.code == 0, r.err
    doc = DocxDocument(str(tmp_path / "exported" / "reference.docx"))
    doc.styles["Heading 1"].font.name = "Caladea"
    doc.styles["Heading 1"].font.color.rgb = RGBColor(0x7B, 0x2C, 0x2C)
    doc.save(str(theme / "reference.docx"))
    (theme / "theme.yaml").write_text("name: mine\nreference_docx: reference.docx\n")
    return theme


def test_reference_heading_style_carries_to_pdf_and_deck(reference: Path, tmp_path: Path) -> None:
    r = run_cli("build", "--facts", str(EXAMPLE), "--theme", str(reference), "--out", str(tmp_path / "out"),
                env=EPOCH)
    assert r.code == 0, r.err
    assert f"{reference / 'reference.docx'}: its heading style (#7B2C2C, Caladea) is used in the PDF and deck too" \
        in r.err.splitlines()
    folder = tmp_path / "out" / "analyst"
    assert any("Caladea" in font for font in pdf_fonts(one(folder, ".pdf")))
    deck = Presentation(str(one(folder, ".pptx")))
    title = deck.slides[0].shapes.title.text_frame.paragraphs[0].runs[0].font
    theme_xml = deck.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
    assert "Caladea" in theme_xml or title.name == "Caladea"


def test_a_style_theme_yaml_sets_is_kept_and_the_mismatch_said_in_one_line(reference: Path, tmp_path: Path) -> None:
    (reference / "theme.yaml").write_text("name: mine\nreference_docx: reference.docx\ncolours: {primary: '#1F3A5F'}\n"
                                          "fonts: {heading: {family: Carlito, office: Calibri}}\n")
    r = run_cli("build", "--facts", str(EXAMPLE), "--theme", str(reference), "--out", str(tmp_path / "out"),
                "--format", "pdf", env=EPOCH)
    assert r.code == 0, r.err
    lines = [line for line in r.err.splitlines() if "reference.docx" in line]
    assert lines == [f"{reference / 'reference.docx'}: headings are #7B2C2C in the DOCX but colours.primary "
                     "(#1F3A5F) in the PDF and deck, as theme.yaml sets it; headings are in Caladea in the DOCX but "
                     "Carlito in the PDF and deck, as theme.yaml's fonts.heading sets it"]
