"""A brief with Chinese, Japanese, Korean, Arabic, Hebrew and Cyrillic in its title, statements, a table cell and a
chart's labels: every format draws every character with a real glyph of a font that has it (issue 17)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from tests.scripts.outputs import convert, fonts_drawing, glyph_problems, needs_soffice, text_of

FACTS = ROOT / "tests" / "scripts" / "multiscript"
SAMPLES = {  # a word of each script, as the fact base writes it in the title, a statement and a table cell
    "chinese": "地铁公安",
    "japanese": "鉄道警察",
    "kana": "の鉄道警察隊",
    "korean": "지하철경찰",
    "arabic": "شرطة",
    "hebrew": "משטרת",
    "cyrillic": "полиция",
}
CELLS = ("北京", "東京", "서울", "القاهرة", "ירושלים")  # the table's cells and the chart's category labels
EXPECTED_FONTS = {"地": "Noto-Sans-CJK", "の": "Noto-Sans-CJK-JP", "지": "Noto-Sans-CJK", "ش": "Noto-Sans-Arabic",
                  "מ": "Noto-Sans-Hebrew", "п": "Carlito"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("six-scripts")
    result = run_cli("build", "--facts", str(FACTS), "--out", str(out), "--no-limits",
                     env={"SOURCE_DATE_EPOCH": "1742428800"})
    assert result.code == 0, result.err
    assert "Glyph" not in result.err and "missing" not in result.err, result.err  # nothing leaks from matplotlib
    return out / "analyst"


def _one(folder: Path, pattern: str) -> Path:
    (path,) = folder.glob(pattern)
    return path


def test_pdf_draws_every_character_with_its_own_glyph(built: Path) -> None:
    pdf = _one(built, "*_brief.pdf")
    assert glyph_problems(pdf) == []
    text = text_of(pdf)
    drawn = set(text)
    for name, word in SAMPLES.items():
        assert set(word) <= drawn, f"{name} text {word!r} not drawn"
    for cell in CELLS:
        assert set(cell) <= drawn
    fonts = fonts_drawing(pdf, "".join(EXPECTED_FONTS))
    for char, family in EXPECTED_FONTS.items():
        assert any(family in f for f in fonts[char]), (char, fonts[char])


def test_pdf_marks_languages_and_directions(built: Path) -> None:
    """WeasyPrint reads `lang` to pick Japanese or Korean forms and shapes Arabic by its rules; a paragraph that
    starts in Arabic reads right to left. The HTML it was given is rebuilt here from the same model."""
    from briefkit.writers.scripts_html import mark_scripts

    html = mark_scripts("<p>北京 and شرطة مترو القاهرة, ソウル 지하철</p><li>الشرطة في القاهرة</li>", "en-GB")
    assert '<span lang="zh-CN">北京 </span>' in html
    assert '<span lang="ar-SA" dir="rtl">شرطة مترو القاهرة</span>' in html
    assert '<span lang="ja-JP">ソウル </span><span lang="ko-KR">지하철</span>' in html
    assert '<li dir="rtl">' in html and "<p>" in html


def test_chart_labels_are_drawn_from_the_fallback_fonts_and_shaped(built: Path) -> None:
    """The chart's SVG (as the PDF embeds it) holds right-to-left labels as outlines matplotlib shaped; the glyph
    ids it used name their fonts, and none is .notdef."""
    svgs = list(built.parent.glob("*/charts/*.svg"))  # the chart store beside the outputs
    assert svgs
    svg = svgs[0].read_text(encoding="utf-8")
    glyphs = re.findall(r'<path id="([^"]+)-([0-9a-f]+)"', svg)
    fonts = {font for font, _glyph in glyphs}
    assert {"NotoSansArabic-Regular", "NotoSansHebrew-Regular"} <= fonts, fonts
    assert any(font.startswith("NotoSansCJK") for font in fonts), fonts
    assert not [g for g in glyphs if int(g[1], 16) == 0], "a label drawn with glyph 0"


def test_docx_declares_east_asian_and_complex_fonts_and_right_to_left(built: Path) -> None:
    with zipfile.ZipFile(_one(built, "*_brief.docx")) as z:
        body = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert re.search(r'<w:rFonts w:eastAsia="Noto Sans CJK SC" w:hint="eastAsia"/><w:lang [^>]*w:eastAsia="zh-CN"',
                     body)
    assert 'w:eastAsia="Noto Sans CJK KR"' in body and 'w:eastAsia="ko-KR"' in body
    assert 'w:eastAsia="Noto Sans CJK JP"' in body and 'w:eastAsia="ja-JP"' in body
    arabic = re.search(r'<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)<w:t[^>]*>شرطة مترو', body)
    assert arabic, "no run of Arabic"
    assert 'w:cs="Noto Sans Arabic"' in arabic.group(1) and "<w:rtl/>" in arabic.group(1)
    assert 'w:bidi="ar-SA"' in arabic.group(1)
    assert 'w:cs="Noto Sans Hebrew"' in body and 'w:bidi="he-IL"' in body
    assert re.search(r"<w:p><w:pPr>(?:(?!</w:pPr>).)*<w:bidi/>(?:(?!</w:p>).)*الشرطة في القاهرة", body)
    assert "<w:szCs " in styles and "<w:bCs" in styles  # sizes and bold reach Arabic and Hebrew too


def test_pptx_declares_east_asian_and_complex_fonts_and_right_to_left(built: Path) -> None:
    with zipfile.ZipFile(_one(built, "*_deck.pptx")) as z:
        slides = "".join(z.read(n).decode() for n in z.namelist() if re.match(r"ppt/slides/slide\d+\.xml", n))
        charts = "".join(z.read(n).decode() for n in z.namelist() if re.match(r"ppt/charts/chart\d+\.xml", n))
    assert re.search(r'<a:rPr [^>]*lang="zh-CN" altLang="en-GB"[^>]*>(?:(?!</a:rPr>).)*'
                     r'<a:ea typeface="Noto Sans CJK SC"/>', slides)
    assert re.search(r'lang="ar-SA" altLang="en-GB"[^>]*>(?:(?!</a:rPr>).)*<a:cs typeface="Noto Sans Arabic"/>',
                     slides)
    assert '<a:cs typeface="Noto Sans Hebrew"/>' in slides and 'lang="ko-KR"' in slides
    assert re.search(r'<a:pPr [^>]*rtl="1"[^>]*>(?:(?!</a:p>).)*الشرطة في القاهرة', slides)
    assert "<a:ea typeface=" in charts and "<a:cs typeface=" in charts  # the native chart's category names


@needs_soffice
def test_docx_and_pptx_opened_by_libreoffice_draw_every_character(built: Path, tmp_path: Path) -> None:
    docx, pptx = _one(built, "*_brief.docx"), _one(built, "*_deck.pptx")
    for pdf in convert([docx, pptx], tmp_path):
        assert glyph_problems(pdf) == [], pdf.name
        drawn = set(text_of(pdf))
        for name, word in SAMPLES.items():
            assert set(word) <= drawn, f"{pdf.name}: {name} text {word!r} not drawn"
        for cell in CELLS:
            assert set(cell) <= drawn, f"{pdf.name}: {cell!r}"
        fonts = fonts_drawing(pdf, "地지شמ")
        assert any("CJK" in f for f in fonts["地"]) and any("CJK" in f for f in fonts["지"]), fonts
        assert any("Arabic" in f for f in fonts["ش"]) and any("Hebrew" in f for f in fonts["מ"]), fonts


def test_the_same_inputs_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    """Fonts chosen per run, runs cut by script, labels: nothing depends on the order of a set or the clock."""
    result = run_cli("build", "--facts", str(FACTS), "--out", str(tmp_path), "--no-limits",
                     env={"SOURCE_DATE_EPOCH": "1742428800"})
    assert result.code == 0, result.err
    for path in built.glob("*_*.*"):
        assert (tmp_path / "analyst" / path.name).read_bytes() == path.read_bytes(), path.name
