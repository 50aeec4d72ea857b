"""Override precedence, file by file and key by key: a theme holding only some files gets the built-in rest; a
template can extend the built-in one and replace one block; the example theme under examples/themes/ builds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader

from tests.conftest import ROOT, run_cli
from tests.themes.outputs import media, one, pdf_fill_colours, pdf_fonts, pdf_image_sizes, pdf_text, xml_parts

pytestmark = pytest.mark.slow  # each fixture builds a brief with a theme: `make test-fast` leaves it out

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
BUILTIN = ROOT / "templates" / "default"
MINISTRY = ROOT / "examples" / "themes" / "ministry"
CSS_COLOUR = "#7A1F5C"

PARTIAL_BRIEF = """{% extends "builtin/brief.md.j2" %}
{% block talking_points_first %}
# Lines to take

{% for p in sel.talking_points %}
- {{ p.text }}{{ cite(p) }}
{% endfor %}

{% endblock %}
"""


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A theme of three files: theme.yaml (two keys), a brief template replacing one block, a stylesheet.
    No deck template, no logo, no reference.docx or master.pptx: those come from the built-in theme."""
    root = tmp_path_factory.mktemp("partial")
    theme = root / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text("organisation: Partial Theme Unit\n"
                                      "fonts:\n  heading: {family: Caladea, office: Cambria}\n")
    (theme / "brief.md.j2").write_text(PARTIAL_BRIEF)
    css = (BUILTIN / "brief.css").read_text() + f"\nh2 {{ color: {CSS_COLOUR}; }}\n"
    (theme / "brief.css").write_text(css)
    r = run_cli("build", "--theme", str(theme), "--audience", "executive", "--out", str(root / "out"), env=EPOCH)
    assert r.code == 0, r.err
    return root / "out" / "executive"


def test_a_replaced_block_changes_only_that_block(partial: Path) -> None:
    word = DocxDocument(str(one(partial, ".docx")))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == ["Key judgments", "Lines to take"]
    assert len([p for p in word.paragraphs if p.style.name == "List Bullet"]) == 4  # the talking points
    text = pdf_text(one(partial, ".pdf"))
    assert "BOTTOM LINE" in text and "Key judgments" in text and "Figure 1:" in text  # built-in blocks kept


def test_a_missing_template_falls_back_to_the_built_in_one(partial: Path) -> None:
    titles = [s.shapes.title.text for s in Presentation(str(one(partial, ".pptx"))).slides]
    assert "Talking points" in titles  # the built-in deck, which the theme did not replace


def test_theme_yaml_keys_override_one_by_one(partial: Path) -> None:
    word = DocxDocument(str(one(partial, ".docx")))
    assert word.core_properties.author == "Partial Theme Unit"
    assert "Partial Theme Unit" in pdf_text(one(partial, ".pdf"))
    assert word.styles["Heading 1"].font.color.rgb == word.styles["Title"].font.color.rgb
    assert str(word.styles["Title"].font.color.rgb) == "1F3A5F"  # colours: the built-in ones


def test_the_theme_s_fonts_reach_all_three_formats(partial: Path) -> None:
    word = DocxDocument(str(one(partial, ".docx")))
    assert word.styles["Heading 1"].font.name == "Cambria" and word.styles["Normal"].font.name == "Calibri"
    theme = xml_parts(one(partial, ".pptx"))["ppt/theme/theme1.xml"]
    assert '<a:majorFont><a:latin typeface="Cambria"' in theme and '<a:minorFont><a:latin typeface="Calibri"' in theme
    fonts = pdf_fonts(one(partial, ".pdf"))
    assert any(f.startswith("Caladea") for f in fonts) and any(f.startswith("Carlito") for f in fonts)


def test_a_theme_file_wins_over_the_built_in_one(partial: Path) -> None:
    assert CSS_COLOUR in pdf_fill_colours(one(partial, ".pdf"))  # the theme's brief.css
    builtin_logo = (BUILTIN / "logo.png").read_bytes()
    assert builtin_logo in media(one(partial, ".docx"))  # no logo in the theme: the built-in one


# ---------------------------------------------------------------- the example theme


@pytest.fixture(scope="module")
def ministry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ministry")
    r = run_cli("build", "--theme", str(MINISTRY), "--audience", "minister,executive", "--jobs", "1",
                "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    return out


def test_the_example_theme_s_own_audience_builds_within_its_limits(ministry: Path) -> None:
    folder = ministry / "minister"
    assert len(PdfReader(str(one(folder, ".pdf"))).pages) == 1
    assert 3 <= len(Presentation(str(one(folder, ".pptx"))).slides) <= 4
    assert "OFFICIAL - FOR THE MINISTER" in pdf_text(one(folder, ".pdf"))
    r = run_cli("audiences", "--theme", str(MINISTRY))
    assert "minister" in [line.split()[0] for line in r.out.splitlines()]


def test_the_example_theme_s_look_and_block_apply(ministry: Path) -> None:
    folder = ministry / "executive"
    assert "#0B6E4F" in pdf_fill_colours(one(folder, ".pdf"))
    assert (520, 120) in pdf_image_sizes(one(folder, ".pdf"))
    word = DocxDocument(str(one(folder, ".docx")))
    assert next(p.text for p in word.paragraphs if p.style.name == "Heading 1") == "Our assessment"
    assert "The Desk judges that:" in [p.text for p in word.paragraphs]
    titles = [s.shapes.title.text for s in Presentation(str(one(folder, ".pptx"))).slides]
    assert "Our assessment" in titles and "Key judgments" not in titles
    with zipfile.ZipFile(one(folder, ".pptx")) as z:
        assert (MINISTRY / "logo.png").read_bytes() in [z.read(n) for n in z.namelist() if "/media/" in n]
