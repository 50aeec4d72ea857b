"""A user's own Office files in a theme: a corporate .pptx as the master (its layouts renamed, mapped in theme.yaml),
and the exported reference.docx edited in a word processor: its edit kept, the rest following theme.yaml."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.shared import RGBColor
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches

from briefkit.theme.stamp import PROPERTY, follow_theme, recorded
from tests.conftest import replace_in, run_cli
from tests.samples import sample_theme
from tests.themes.outputs import one, xml_parts

pytestmark = pytest.mark.slow  # builds with a user's reference DOCX and master PPTX: `make test-fast` leaves it out

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
CORPORATE = {"title": "Corp Cover", "section": "Corp Divider", "bullets": "Corp Text", "chart": "Corp Title Only",
             "table": "Corp Title Only", "sources": "Corp Text"}
RENAMED = {"Title Slide": "Corp Cover", "Section Header": "Corp Divider", "Title and Content": "Corp Text",
           "Title Only": "Corp Title Only"}


def corporate_master(path: Path) -> None:
    """A corporate template as a company would have it: 4:3, its own layout names and a band on the master."""
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = RENAMED.get(layout.name, layout.name)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])  # python-pptx draws on slides; move it to the master
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Inches(0.3))
    band.name = "Corporate band"
    prs.slide_master.shapes._spTree.append(band._element)
    prs.part.drop_rel(prs.slides._sldIdLst[0].rId)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[0])
    prs.save(str(path))


@pytest.fixture(scope="module")
def corporate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corporate")
    theme = root / "theme"
    theme.mkdir()
    corporate_master(theme / "corporate.pptx")
    layouts = "".join(f"  {kind}: {name}\n" for kind, name in CORPORATE.items())
    (theme / "theme.yaml").write_text(f"master_pptx: corporate.pptx\nlayouts:\n{layouts}")
    r = run_cli("build", "--theme", str(theme), "--audience", "executive", "--format", "pptx",
                "--out", str(root / "out"), env=EPOCH)
    assert r.code == 0, r.err
    return root / "out" / "executive"


def test_the_deck_is_built_on_the_corporate_layouts(corporate: Path) -> None:
    prs = Presentation(str(one(corporate, ".pptx")))
    used = [s.slide_layout.name for s in prs.slides]
    assert used[0] == "Corp Cover"
    assert set(used) <= set(CORPORATE.values()) and "Corp Text" in used and "Corp Title Only" in used
    assert "Corporate band" in [s.name for s in prs.slide_master.shapes]
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))  # the master's 4:3, not ours


def test_the_corporate_master_keeps_its_own_colours(corporate: Path, tmp_path: Path) -> None:
    corporate_master(tmp_path / "again.pptx")
    ours = xml_parts(tmp_path / "again.pptx")["ppt/theme/theme1.xml"]
    built = xml_parts(one(corporate, ".pptx"))["ppt/theme/theme1.xml"]
    assert built == ours  # no stamp: briefkit changes nothing in a file it did not make


# ---------------------------------------------------------------- the exported reference.docx, edited


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Export, then: Heading 1 made dark red in the reference.docx (as in Word, which re-saves the whole file),
    and in theme.yaml a new primary colour and heading font."""
    root = tmp_path_factory.mktemp("edited")
    theme = root / "theme"
    assert run_cli("theme", "export", str(theme)).code == 0
    word = DocxDocument(str(theme / "reference.docx"))
    word.styles["Heading 1"].font.color.rgb = RGBColor.from_string("AA0000")
    word.save(str(theme / "reference.docx"))
    replace_in(theme / "theme.yaml", 'primary: "#1F3A5F"', 'primary: "#0B6E4F"')
    replace_in(theme / "theme.yaml", "heading: {family: Carlito, office: Calibri}",
               "heading: {family: Caladea, office: Cambria}")
    r = run_cli("build", "--theme", str(theme), "--audience", "executive", "--format", "docx",
                "--out", str(root / "out"), env=EPOCH)
    assert r.code == 0, r.err
    return root / "out" / "executive"


def test_a_style_edited_in_the_reference_docx_keeps_the_edit(edited: Path) -> None:
    styles = DocxDocument(str(one(edited, ".docx"))).styles
    assert str(styles["Heading 1"].font.color.rgb) == "AA0000"


def test_styles_not_edited_follow_theme_yaml(edited: Path) -> None:
    styles = DocxDocument(str(one(edited, ".docx"))).styles
    assert str(styles["Title"].font.color.rgb) == "0B6E4F"
    assert str(styles["Caption"].font.color.rgb) == "0B6E4F"
    assert styles["Title"].font.name == "Cambria" and styles["Heading 1"].font.name == "Cambria"
    assert styles["Normal"].font.name == "Calibri"  # the body font did not change
    theme = xml_parts(one(edited, ".docx"))["word/theme/theme1.xml"]
    assert re.search(r'<a:majorFont>\s*<a:latin typeface="Cambria"', theme)
    assert re.search(r'<a:minorFont>\s*<a:latin typeface="Calibri"', theme)


def test_the_stamp_survives_a_re_save_and_a_file_without_it_is_left_alone(tmp_path: Path) -> None:
    assert run_cli("theme", "export", str(tmp_path / "t")).code == 0
    data = (tmp_path / "t" / "reference.docx").read_bytes()
    out = io.BytesIO()
    DocxDocument(io.BytesIO(data)).save(out)  # as a word processor re-saves it
    assert recorded(out.getvalue())["colours"]["primary"] == "#1F3A5F"
    assert PROPERTY not in xml_parts_of(follow_theme(out.getvalue(), sample_theme()))
    plain = io.BytesIO()
    DocxDocument().save(plain)
    assert follow_theme(plain.getvalue(), sample_theme()) == plain.getvalue()


def xml_parts_of(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith((".xml", ".rels")))
