"""A broken theme is one clear report, before any work: every problem on its own `path:line: message` line, what is
missing listed by name, exit code 1, no traceback and no output folder."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import docx
import pptx
import pytest

from briefkit.writers.docx import REQUIRED_STYLES
from tests.conftest import line_with, run_cli

pytestmark = pytest.mark.slow  # each test runs `briefkit build` with a broken theme: `make test-fast` leaves it out

LINE = re.compile(r"^\S+?(:\d+)?: .+$")


def build(theme: Path, *extra: str) -> tuple[int, list[str]]:
    r = run_cli("build", "--theme", "theme", "--audience", "executive", "--out", "out", *extra, cwd=theme.parent)
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert not (theme.parent / "out" / "executive").exists()
    problems = [line for line in r.err.splitlines() if not line.startswith("executive: ")]
    assert all(LINE.match(line) for line in problems), problems
    return r.code, problems


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    folder = tmp_path / "theme"
    folder.mkdir()
    return folder


def test_every_mistake_in_theme_yaml_is_reported_at_its_line(theme: Path) -> None:
    yaml = theme / "theme.yaml"
    yaml.write_text('colours:\n  primary: "#12345"\n  palette: [primary, blue]\n  shade: "#123456"\n'
                    "colour: {}\nlogo: ../logo.png\n")
    code, problems = build(theme)
    assert code == 1
    assert problems == [
        "theme/theme.yaml:2: colours.primary: '#12345' is not a colour; write it as #RRGGBB, e.g. \"#1F3A5F\" "
        "(quoted in YAML)",
        "theme/theme.yaml:3: colours.palette: 'blue' is neither #RRGGBB nor one of primary, accent, text, muted, box",
        "theme/theme.yaml:4: colours.shade: unknown key; known here: primary, accent, text, muted, box, palette",
        "theme/theme.yaml:5: colour: unknown key; known here: name, organisation, colours, fonts, logo, page_size, "
        "reference_docx, master_pptx, layouts, email",
        "theme/theme.yaml:6: logo: '../logo.png' must be a file name inside the theme folder (no folders)",
    ]


def test_missing_and_unusable_files_are_all_reported_together(theme: Path) -> None:
    docx.Document().save(str(theme / "plain.docx"))  # Word's defaults: none of our own styles
    prs = pptx.Presentation()
    prs.slide_layouts[5].name = "Heading Only"  # so "Title Only" is missing
    prs.save(str(theme / "plain.pptx"))
    yaml = theme / "theme.yaml"
    yaml.write_text("logo: crest.png\nreference_docx: plain.docx\nmaster_pptx: plain.pptx\n"
                    "layouts:\n  chart: Chart Layout\nfonts:\n  body: {family: No Such Sans}\n")
    code, problems = build(theme)
    assert code == 1
    assert len(problems) == 4
    assert problems[0] == f"theme/theme.yaml:{line_with(yaml, 'logo:')}: logo: logo file 'crest.png' not found in " \
                          "the theme folder"
    assert problems[1].startswith(f"theme/theme.yaml:{line_with(yaml, 'No Such Sans')}: fonts.body.family: font "
                                  "'No Such Sans' is not installed on this machine")
    missing_styles = [s for s in REQUIRED_STYLES if s not in {st.name for st in docx.Document().styles}]
    assert problems[2] == f"theme/plain.docx: reference.docx lacks styles: {', '.join(missing_styles)}"
    assert problems[3].startswith("theme/plain.pptx: master.pptx lacks layouts: Chart Layout, Title Only (has: ")


def test_a_logo_that_is_not_a_png(theme: Path) -> None:
    (theme / "logo.png").write_text("not a picture")
    code, problems = build(theme)
    assert (code, problems) == (1, ["theme/logo.png: the logo must be a PNG image"])


def test_a_template_syntax_error_is_found_before_building(theme: Path) -> None:
    (theme / "deck.md.j2").write_text('{% extends "builtin/deck.md.j2" %}\n{% block sources %}\n{% if %}\n')
    code, problems = build(theme)
    assert code == 1
    assert problems == ["theme/deck.md.j2:3: Expected an expression, got 'end of statement block'"]


def test_a_theme_folder_that_does_not_exist(tmp_path: Path) -> None:
    r = run_cli("build", "--theme", "nowhere", "--out", "out", cwd=tmp_path)
    assert (r.code, r.err.splitlines()) == (1, ["nowhere: theme folder not found"])


def test_a_master_that_is_not_a_presentation(theme: Path) -> None:
    (theme / "master.pptx").write_text("not a presentation")
    (theme / "theme.yaml").write_text("master_pptx: master.pptx\n")
    code, problems = build(theme)
    assert code == 1
    assert len(problems) == 1 and problems[0].startswith("theme/master.pptx: master.pptx cannot be opened")


def test_an_email_address_that_would_add_headers_is_refused_at_its_line(theme: Path) -> None:
    """theme.yaml's addresses go into the draft email's headers: a line break there would write a Bcc of its own."""
    yaml = theme / "theme.yaml"
    yaml.write_text('email:\n  from: "briefs@example.org\\nBcc: leak@example.net"\n'
                    "  to:\n    - desk@example.org\n    - 'a@example.org, b@example.org'\n")
    code, problems = build(theme)
    assert code == 1
    assert problems == [
        "theme/theme.yaml:2: email.from: 'briefs@example.org\\nBcc: leak@example.net' is not one email address: "
        "holds a line break or control character (list each recipient on its own line)",
        "theme/theme.yaml:5: email.to.1: 'a@example.org, b@example.org' is not one email address: holds a list "
        "separator (, or ;): one address only (list each recipient on its own line)",
    ]


_BDF = """STARTFONT 2.1
FONT -briefkit-Bitmap Test-Medium-R-Normal--10-100-75-75-P-60-ISO10646-1
SIZE 10 75 75
FONTBOUNDINGBOX 6 10 0 -2
STARTPROPERTIES 3
FAMILY_NAME "Bitmap Test"
FONT_ASCENT 8
FONT_DESCENT 2
ENDPROPERTIES
CHARS 1
STARTCHAR A
ENCODING 65
SWIDTH 600 0
DWIDTH 6 0
BBX 6 10 0 -2
BITMAP
""" + "00\n" * 10 + "ENDCHAR\nENDFONT\n"


def test_a_font_installed_only_as_a_bitmap_font_is_a_theme_error(theme: Path, tmp_path: Path) -> None:
    """fontconfig lists bitmap (and Type 1) fonts, but no writer can use one: the deck's text fitting could not
    measure it and the build stopped with an internal error. It is now a located theme error, before any work."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "bitmap-test.bdf").write_text(_BDF, encoding="ascii")
    config = tmp_path / "fonts.conf"  # the system's fonts and this one, without a rule that would hide bitmaps
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>/usr/share/fonts</dir><dir>{fonts}</dir>'
                      f"<cachedir>{tmp_path / 'font-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    env = {"FONTCONFIG_FILE": str(config)}
    listed = subprocess.run(["fc-list", "--format", "%{fontformat} %{family}\n"], capture_output=True, text=True,
                            env={**os.environ, **env}, check=True).stdout
    assert "BDF Bitmap Test" in listed.splitlines()  # fontconfig does list it
    yaml = theme / "theme.yaml"
    yaml.write_text("fonts:\n  body: {family: Bitmap Test, office: Calibri}\n", encoding="utf-8")
    r = run_cli("build", "--theme", "theme", "--audience", "executive", "--out", "out", cwd=tmp_path, env=env)
    assert r.code == 1
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert r.err.splitlines()[-1] == (
        f"theme/theme.yaml:{line_with(yaml, 'Bitmap Test')}: fonts.body.family: font 'Bitmap Test' is installed "
        "only as a bitmap or Type 1 font, which the PDF, the charts and the deck cannot use; install its TrueType "
        "or OpenType version or choose another")
    assert not (tmp_path / "out" / "executive").exists()
