"""The PPTX writer, read back as PowerPoint would read it: python-pptx on real files, no mocks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

from briefkit.document.model import (
    Box,
    BulletList,
    ChartData,
    Deck,
    Link,
    Paragraph,
    Series,
    Slide,
    Strong,
    Text,
)
from briefkit.errors import TemplateError
from briefkit.writers import pptx_xml, textfit
from briefkit.writers.pptx import MAX_LABELS, master_pptx_bytes, write_pptx
from samples import META, sample_deck, sample_figure, sample_table, sample_theme

PT = 12700
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
LONG = ("Cooperation is shaped at least as much by local demand as by outside design, and the record of "
        "training, equipment and joint exercises over the past decade shows it; point {i}.")


def write(tmp_path: Path, deck: Deck | None = None, name: str = "deck.pptx", **theme_changes: object):
    path = tmp_path / name
    path.write_bytes(write_pptx(deck or sample_deck(), replace(sample_theme(), **theme_changes)))
    return Presentation(str(path))


def titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text for s in prs.slides]


def long_deck(bullets: int = 20) -> Deck:
    items = tuple((Text(LONG.format(i=i)),) for i in range(bullets))
    return Deck(META, (Slide("title", META.title), Slide("bullets", "Key judgments", bullets=items,
                                                         source_line="Sources: Carnegie (2025).")))


# ---------------------------------------------------------------- slides and titles


def test_every_model_slide_is_a_slide_with_its_title_in_the_title_placeholder(tmp_path: Path) -> None:
    prs = write(tmp_path)
    assert len(prs.slides) == 5
    assert titles(prs) == [META.title, "Bottom line", "Personnel in joint operations", "Joint exercises", "Sources"]
    for slide in prs.slides:
        assert slide.shapes.title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def test_slides_use_the_theme_layouts_and_a_16_9_page(tmp_path: Path) -> None:
    prs = write(tmp_path)
    assert [s.slide_layout.name for s in prs.slides] == [
        "Title Slide", "Title and Content", "Title Only", "Title Only", "Title and Content"]
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))


def test_title_slide_carries_subtitle_marking_and_meeting_box(tmp_path: Path) -> None:
    slide = write(tmp_path).slides[0]
    texts = {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}
    assert texts["Marking"] == META.marking
    assert texts["Meeting"] == "Meeting\nCounterpart: Minister of Defence"
    assert any(t.startswith("Analyst") for t in texts.values())
    assert not any(shape.is_placeholder and not shape.text_frame.text for shape in slide.shapes
                   if shape.has_text_frame), "an empty placeholder would say 'Click to add text'"


def test_logo_has_alt_text_not_a_file_name(tmp_path: Path) -> None:
    logo = (Path(__file__).parents[2] / "templates" / "default" / "logo.png").read_bytes()
    slide = write(tmp_path, logo=logo, logo_name="logo.png").slides[0]
    picture = next(s for s in slide.shapes if s.shape_type == 13)  # PICTURE
    assert picture._element.xpath("./p:nvPicPr/p:cNvPr/@descr") == ["Test Organisation logo"]


def test_section_slide_has_only_its_title(tmp_path: Path) -> None:
    deck = Deck(META, (Slide("title", META.title), Slide("section", "Joint exercises and training")))
    slide = write(tmp_path, deck).slides[1]
    assert slide.slide_layout.name == "Section Header"
    assert [s.text_frame.text for s in slide.shapes if s.has_text_frame] == ["Joint exercises and training"]


def test_speaker_notes_go_to_the_notes_slide(tmp_path: Path) -> None:
    slide = write(tmp_path).slides[1]
    assert slide.has_notes_slide
    assert slide.notes_slide.notes_text_frame.text == "Detail for the speaker.\nCitations: Carnegie."


def test_content_slides_have_a_source_line_and_a_live_slide_number(tmp_path: Path) -> None:
    slide = write(tmp_path).slides[2]
    sources = next(s for s in slide.shapes if s.name == "Sources")
    assert sources.text_frame.text == sample_figure().source_note
    fields = slide._element.xpath(".//a:fld[@type='slidenum']/a:t/text()")
    assert fields == ["3"]


def test_bullets_keep_bold_and_links(tmp_path: Path) -> None:
    items = ((Text("Tajikistan took part in "), Strong((Text("19"),)), Text(" exercises.")),
             (Link((Text("Carnegie"),), "https://carnegieendowment.org/"),))
    deck = Deck(META, (Slide("title", META.title), Slide("bullets", "Points", bullets=items)))
    body = next(s for s in write(tmp_path, deck).slides[1].placeholders if s.placeholder_format.idx == 1)
    first, second = body.text_frame.paragraphs
    assert [(r.text, bool(r.font.bold)) for r in first.runs] == [
        ("Tajikistan took part in ", False), ("19", True), (" exercises.", False)]
    assert second.runs[0].hyperlink.address == "https://carnegieendowment.org/"


# ---------------------------------------------------------------- charts


def chart_frames(slide):
    return [s for s in slide.shapes if s.has_chart]


def test_chart_is_native_with_the_figure_numbers_labels_and_alt_text(tmp_path: Path) -> None:
    slide = write(tmp_path).slides[2]
    (frame,) = chart_frames(slide)
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(chart.plots[0].categories) == ["2014", "2016", "2019"]
    assert list(chart.plots[0].series[0].values) == [5000, 10000, 12000]
    labels = [chart.plots[0].series[0].points[i].data_label.text_frame.text for i in range(3)]
    assert labels == ["over 5,000", "about 10,000", "12,000"]
    assert frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr") == [sample_figure().alt]
    assert not chart.has_title and not chart.has_legend
    assert chart.value_axis.axis_title.text_frame.text == "Personnel"
    assert chart.font.name == "Calibri"
    beside = next(s for s in slide.shapes if s.name == "Key points")
    assert beside.text_frame.text == "Sizes grew."


@pytest.mark.parametrize(("family", "series", "expected"), [
    ("barh", 1, XL_CHART_TYPE.BAR_CLUSTERED),
    ("stacked-bar", 2, XL_CHART_TYPE.COLUMN_STACKED),
    ("timeline", 2, XL_CHART_TYPE.COLUMN_STACKED),
    ("timeline", 1, XL_CHART_TYPE.COLUMN_CLUSTERED),
])
def test_chart_families_map_to_native_types(tmp_path: Path, family: str, series: int,
                                            expected: XL_CHART_TYPE) -> None:
    data = ChartData(family, ("2019", "2020"),  # type: ignore[arg-type]
                     tuple(Series(f"S{i}", (1.0 + i, None)) for i in range(series)), "Facts")
    figure = replace(sample_figure(), data=data)
    deck = Deck(META, (Slide("title", META.title), Slide("chart", "A chart", figure=figure)))
    chart = chart_frames(write(tmp_path, deck).slides[1])[0].chart
    assert chart.chart_type == expected
    assert chart.has_legend == (series > 1)
    colours = [str(s.format.fill.fore_color.rgb) for s in chart.plots[0].series]
    assert colours == [c.lstrip("#").upper() for c in sample_theme().palette[:series]]


def test_a_missing_value_is_not_drawn_as_zero(tmp_path: Path) -> None:
    data = ChartData("bar", ("2019", "2020"), (Series("S", (3.0, None)),), "Facts")
    figure = replace(sample_figure(), data=data)
    deck = Deck(META, (Slide("title", META.title), Slide("chart", "A chart", figure=figure)))
    chart = chart_frames(write(tmp_path, deck).slides[1])[0].chart
    assert list(chart.plots[0].categories) == ["2019", "2020\n(no figure)"]
    assert list(chart.plots[0].series[0].values) == [3.0, None]


@pytest.mark.parametrize(("bars", "labelled"), [(MAX_LABELS, True), (MAX_LABELS + 1, False)])
def test_bars_are_labelled_only_as_many_as_a_slide_can_show(tmp_path: Path, bars: int, labelled: bool) -> None:
    years = tuple(str(1900 + i) for i in range(bars))
    data = ChartData("bar", years, (Series("S", tuple(float(i + 1) for i in range(bars))),), "Facts",
                     labels=tuple(f"about {i + 1}" for i in range(bars)))
    figure = replace(sample_figure(), data=data)
    deck = Deck(META, (Slide("title", META.title), Slide("chart", "A chart", figure=figure)))
    chart = chart_frames(write(tmp_path, deck).slides[1])[0].chart
    assert len(chart._chartSpace.xpath(".//c:dLbl")) == (bars if labelled else 0)


# ---------------------------------------------------------------- tables


def test_table_is_native_with_a_marked_and_styled_header(tmp_path: Path) -> None:
    slide = write(tmp_path).slides[3]
    (frame,) = [s for s in slide.shapes if s.has_table]
    table = frame.table
    assert frame._element.xpath(".//a:tblPr/@firstRow") == ["1"]
    assert [c.text for c in table.rows[0].cells] == list(sample_table().header)
    header_cell = table.cell(0, 0)
    assert str(header_cell.fill.fore_color.rgb) == "1F3A5F"
    run = header_cell.text_frame.paragraphs[0].runs[0]
    assert run.font.bold and str(run.font.color.rgb) == "FFFFFF"
    assert [c.text for c in table.rows[2].cells] == list(sample_table().rows[1])


@pytest.mark.slow  # writes whole decks
def test_a_long_table_splits_with_the_header_repeated(tmp_path: Path) -> None:
    prs = write(tmp_path, sample_deck(table_rows=40))
    table_slides = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    assert len(table_slides) > 1
    rows = []
    for i, slide in enumerate(table_slides):
        assert slide.shapes.title.text_frame.text == "Joint exercises" + (" (continued)" if i else "")
        table = next(sh for sh in slide.shapes if sh.has_table)
        assert [c.text for c in table.table.rows[0].cells] == list(sample_table().header)
        assert table._element.xpath(".//a:tblPr/@firstRow") == ["1"]
        rows += [tuple(c.text for c in r.cells) for r in list(table.table.rows)[1:]]
        assert table.top + table.height <= prs.slide_height
    assert rows == list(sample_table(40).rows)


# ---------------------------------------------------------------- fitting text


def test_twenty_long_bullets_split_onto_continuation_slides(tmp_path: Path) -> None:
    prs = write(tmp_path, long_deck(20))
    names = titles(prs)[1:]
    assert len(names) > 2
    assert names == ["Key judgments"] + ["Key judgments (continued)"] * (len(names) - 1)
    written = []
    for slide in list(prs.slides)[1:]:
        body = next(s for s in slide.placeholders if s.placeholder_format.idx == 1)
        written += [p.text for p in body.text_frame.paragraphs]
        sizes = {r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs}
        assert len(sizes) == 1 and sizes.pop() >= 16
    assert written == [LONG.format(i=i) for i in range(20)]


def measured_overflow(shape) -> float:
    """How far the text of a shape runs past its box (pt; <= 0 fits), measured again from the written XML."""
    left, top, right, bottom = pptx_xml.inherited_insets(shape)
    paras = []
    for p in shape.text_frame.paragraphs:
        sizes = [int(r.get("sz")) / 100 for r in p._p.iter(qn("a:rPr")) if r.get("sz")]
        p_pr = p._p.pPr
        paras.append(textfit.Para(
            text="".join(t.text or "" for t in p._p.iter(qn("a:t"))), size=max(sizes),
            bold=any(r.get("b") == "1" for r in p._p.iter(qn("a:rPr"))) or shape.is_placeholder,
            indent=int(p_pr.get("marL", 0)) / PT if p_pr is not None else 0,
            space_before=p.space_before.pt if p.space_before is not None else 0))
    height = textfit.text_height(paras, (shape.width - left - right) / PT, "Carlito")
    return height - (shape.height - top - bottom) / PT


@pytest.mark.slow  # writes whole decks
def test_no_text_box_overflows_and_every_run_has_an_explicit_size(tmp_path: Path) -> None:
    deck = sample_deck(bullets=20, table_rows=40)
    deck = replace(deck, slides=deck.slides + long_deck(12).slides[1:])
    prs = write(tmp_path, deck)
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height, (number, shape.name)
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            assert all(r.get("sz") for r in shape._element.iter(qn("a:rPr"))), (number, shape.name)
            assert shape._element.find(f".//{qn('a:bodyPr')}/{qn('a:noAutofit')}") is not None, (number, shape.name)
            assert measured_overflow(shape) <= 0, (number, shape.name, shape.text_frame.text[:40])


def test_a_meeting_box_too_long_for_the_title_slide_gets_its_own_slide(tmp_path: Path) -> None:
    items = tuple((Text(LONG.format(i=i)),) for i in range(8))
    box = Box("meeting", "Meeting: consultations", (Paragraph((Text("Purpose."),)), BulletList(items)))
    deck = Deck(META, (Slide("title", META.title, box=box),))
    prs = write(tmp_path, deck)
    assert titles(prs)[:2] == [META.title, "Meeting: consultations"]
    assert not any(s.name == "Meeting" for s in prs.slides[0].shapes)


# ---------------------------------------------------------------- metadata and bytes


def test_core_properties_come_from_the_meta_not_the_template(tmp_path: Path) -> None:
    props = write(tmp_path).core_properties
    assert (props.title, props.author, props.subject) == (META.title, META.author, META.subject)
    assert props.keywords == "widgets, test"
    assert props.language == "en-GB"
    assert props.last_modified_by == META.author
    assert props.revision == 1
    assert int(props.created.timestamp()) == int(props.modified.timestamp()) == META.timestamp
    assert "python-pptx" not in (props.comments or "")


@pytest.mark.slow  # writes whole decks
def test_the_same_deck_gives_the_same_bytes() -> None:
    deck, theme = sample_deck(), sample_theme()
    assert write_pptx(deck, theme) == write_pptx(deck, theme)


# ---------------------------------------------------------------- masters


def test_built_in_master_is_16_9_in_the_theme_colours_and_fonts(tmp_path: Path) -> None:
    path = tmp_path / "master.pptx"
    path.write_bytes(master_pptx_bytes(sample_theme()))
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    assert len(prs.slides) == 0
    theme = etree.fromstring(pptx_xml.theme_part(prs.slide_master).blob)
    assert theme.xpath(".//a:clrScheme/a:dk2/a:srgbClr/@val", namespaces=NS) == ["1F3A5F"]
    assert theme.xpath(".//a:clrScheme/a:accent2/a:srgbClr/@val", namespaces=NS) == ["B5121B"]
    assert theme.xpath(".//a:majorFont/a:latin/@typeface", namespaces=NS) == ["Calibri"]
    assert prs.core_properties.author == "Test Organisation"
    assert prs.core_properties.created.year != 2013


@pytest.mark.slow  # writes whole decks
def test_the_exported_master_as_a_user_master_gives_the_same_deck(tmp_path: Path) -> None:
    path = tmp_path / "master.pptx"
    path.write_bytes(master_pptx_bytes(sample_theme()))
    deck = sample_deck()
    assert write_pptx(deck, replace(sample_theme(), master_pptx=path)) == write_pptx(deck, sample_theme())


def test_a_user_master_keeps_its_size_and_loses_its_own_slides(tmp_path: Path) -> None:
    user = Presentation()
    user.slides.add_slide(user.slide_layouts[0]).shapes.title.text = "An old slide"
    user.save(tmp_path / "user.pptx")
    prs = write(tmp_path, master_pptx=tmp_path / "user.pptx")
    assert prs.slide_width == Emu(9144000)
    assert "An old slide" not in titles(prs)
    assert titles(prs)[0] == META.title


def test_a_master_lacking_layouts_is_a_template_error_listing_them(tmp_path: Path) -> None:
    user = Presentation()
    for name in ("Section Header", "Title Only"):
        user.slide_layouts.remove(next(lay for lay in user.slide_layouts if lay.name == name))
    user.save(tmp_path / "master.pptx")
    with pytest.raises(TemplateError) as err:
        write_pptx(sample_deck(), replace(sample_theme(), master_pptx=tmp_path / "master.pptx"))
    message = str(err.value)
    assert "master.pptx lacks layouts: Section Header, Title Only (has: Title Slide, Title and Content" in message


def test_theme_layout_names_are_looked_up_in_the_master(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="lacks layouts: Big Chart"):
        write_pptx(sample_deck(), replace(sample_theme(), layouts={"chart": "Big Chart"}))


# ---------------------------------------------------------------- textfit


def test_textfit_wraps_with_the_font_metrics() -> None:
    narrow = textfit.wrap("iiii iiii iiii", 40, 20, "Carlito")
    wide = textfit.wrap("WWWW WWWW WWWW", 40, 20, "Carlito")
    assert len(narrow) < len(wide)
    assert textfit.wrap("a\nb", 500, 12, "Carlito") == ["a", "b"]
    assert textfit.wrap("Counter-terrorism", 60, 12, "Carlito")[0] == "Counter-"


def test_textfit_chunks_fit_and_keep_order() -> None:
    paras = [textfit.Para(LONG.format(i=i), 18, space_before=9, tag=i) for i in range(20)]
    chunks = textfit.chunk_to_fit(paras, 700, 360, "Carlito")
    assert [p.tag for chunk in chunks for p in chunk] == list(range(20))
    assert all(textfit.fits(chunk, 700, 360, "Carlito") for chunk in chunks)
    assert max(map(len, chunks)) - min(map(len, chunks)) <= 1  # evened out, no stray last slide
    assert not textfit.fits(paras, 700, 360, "Carlito")
