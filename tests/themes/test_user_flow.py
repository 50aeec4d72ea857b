"""A new user's first theme, end to end through the CLI: export the built-in theme, change the primary colour, the
logo and one sentence of the brief template, rebuild, and find every change in all three outputs and their charts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from PIL import Image

from tests.conftest import replace_in, run_cli
from tests.themes.outputs import media, one, pdf_fill_colours, pdf_image_sizes, pdf_text, pixels_of, xml_parts

pytestmark = pytest.mark.slow  # exports a theme, edits it and builds with it: `make test-fast` leaves it out

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
OLD, NEW = "#1F3A5F", "#0B6E4F"
SENTENCE = ("The sources disagree on", "Our sources part ways on")


@dataclass(frozen=True)
class Flow:
    theme: Path
    built: Path
    logo: bytes


def _logo() -> bytes:
    image = Image.new("RGB", (400, 120), "#FFFFFF")
    image.paste((11, 110, 79), (0, 0, 120, 120))
    image.paste((255, 204, 0), (30, 30, 90, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Flow:
    root = tmp_path_factory.mktemp("flow")
    theme = root / "mytheme"
    r = run_cli("theme", "export", str(theme))
    assert r.code == 0, r.err
    replace_in(theme / "theme.yaml", f'primary: "{OLD}"', f'primary: "{NEW}"')
    logo = _logo()
    (theme / "logo.png").write_bytes(logo)
    replace_in(theme / "locales" / "en.yaml", *SENTENCE)  # a sentence briefkit writes, reworded
    r = run_cli("build", "--theme", str(theme), "--out", str(root / "out"), env=EPOCH)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    return Flow(theme, root / "out" / "analyst", logo)


def test_export_writes_every_file_of_the_theme(flow: Flow) -> None:
    names = {p.relative_to(flow.theme).as_posix() for p in flow.theme.rglob("*") if p.is_file()}
    assert {"brief.md.j2", "deck.md.j2", "brief.css", "logo.png", "reference.docx", "master.pptx",
            "theme.yaml"} <= names
    assert {"audiences/analyst.yaml", "audiences/executive.yaml", "audiences/defence.yaml"} <= names
    assert {"locales/en.yaml", "locales/ru.yaml", "locales/zh.yaml"} <= names
    yaml = (flow.theme / "theme.yaml").read_text()
    assert "\nreference_docx: reference.docx" in yaml and "\nmaster_pptx: master.pptx" in yaml


def test_export_refuses_a_folder_with_files(flow: Flow) -> None:
    r = run_cli("theme", "export", str(flow.theme))
    assert r.code == 2
    assert r.err.splitlines() == [f"{flow.theme}: exists and is not an empty folder; choose a new folder"]


def test_the_pdf_takes_the_new_colour_everywhere(flow: Flow) -> None:
    colours = pdf_fill_colours(one(flow.built, ".pdf"))
    assert NEW in colours  # headings, rules, the first series of every chart
    assert OLD not in colours


def test_the_docx_takes_the_new_colour_in_its_styles_and_charts(flow: Flow) -> None:
    path = one(flow.built, ".docx")
    parts = xml_parts(path)
    assert NEW[1:] in parts["word/styles.xml"]
    assert not [name for name, xml in parts.items() if OLD[1:] in xml.upper()]
    charts = [png for png in media(path) if png != flow.logo]
    assert charts
    assert all(pixels_of(png, OLD) == 0 for png in charts)
    assert sum(pixels_of(png, NEW) > 0 for png in charts) >= len(charts) - 1  # a chart may draw no first series


def test_the_deck_takes_the_new_colour_in_master_and_charts(flow: Flow) -> None:
    parts = xml_parts(one(flow.built, ".pptx"))
    assert f'<a:dk2><a:srgbClr val="{NEW[1:]}"/></a:dk2>' in parts["ppt/theme/theme1.xml"]
    charts = [xml for name, xml in parts.items() if name.startswith("ppt/charts/")]
    assert charts and all(NEW[1:] in xml for xml in charts)
    assert not [name for name, xml in parts.items() if OLD[1:] in xml.upper()]


def test_all_three_show_the_new_logo(flow: Flow) -> None:
    assert flow.logo in media(one(flow.built, ".docx"))
    assert flow.logo in media(one(flow.built, ".pptx"))
    sizes = pdf_image_sizes(one(flow.built, ".pdf"))
    assert (400, 120) in sizes and (360, 90) not in sizes  # the new logo, not the built-in one


def test_the_changed_sentence_is_in_the_brief(flow: Flow) -> None:
    old, new = SENTENCE
    word = " ".join(p.text for p in DocxDocument(str(one(flow.built, ".docx"))).paragraphs)
    pdf = pdf_text(one(flow.built, ".pdf"))
    for text in (word, pdf):
        assert new in text and old not in text


def test_the_brief_does_not_carry_the_theme_s_stamp(flow: Flow) -> None:
    for suffix in (".docx", ".pptx"):
        assert "docProps/custom.xml" not in xml_parts(one(flow.built, suffix))
