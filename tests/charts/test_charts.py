"""Charts: the numbers a chart shows, its words (alt text, source note) and its files (SVG, PNG), from a small
hand-made fact base."""

from __future__ import annotations

import io
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import matplotlib
import pytest
from PIL import Image

from briefkit.charts import build_figure
from briefkit.charts.colours import is_grey, series_colours, text_on
from briefkit.charts.data import OTHER, Amount, combine, fold_series, plot_from_dataset
from briefkit.charts.registry import family
from briefkit.charts.style import house_style
from briefkit.document.model import Figure, png_size
from briefkit.errors import FactbaseError
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import Analysis, ChartSpec, Dataset, Fact, FactbaseInfo, Figures, Point, Source
from briefkit.theme.model import Colours, FontChoice, Theme
from tests.samples import sample_theme

SVG = "{http://www.w3.org/2000/svg}"

# ---------------------------------------------------------------- a small fact base


def _source(ident: str, authors: list[str], publisher: str, date: str) -> Source:
    return Source(id=ident, title=f"A report called {ident}", authors=authors, publisher=publisher, date=date,
                  kind="article", reliability="A test source.")


def _fact(ident: str, date: str, topic: str, sources: list[str], values: tuple[tuple[float, str], ...] = (),
          statement: str = "") -> Fact:
    return Fact(
        id=ident, statement=statement or f"Something happened between China and Tajikistan ({ident}).", date=date,
        topic=topic, sources=[{"source": s, "locator": "p. 1"} for s in sources],
        values=[{"value": v, "unit": "people", "qualifier": q} for v, q in values],
    )


SOURCES = [
    _source("carnegie-2025", ["Edward Lemon", "Ruslan Norov"], "Carnegie Endowment", "2025-03-20"),
    _source("kizilay-2022", ["Ahmet Kızılay"], "A journal", "2022-11"),
    _source("oe-watch-2020", [], "OE Watch", "2020"),
]
FACTS = [
    _fact("ops-2014", "2014-05", "exercises", ["kizilay-2022"], ((5000, "over"),)),
    _fact("ex-2016", "2016-10", "exercises", ["carnegie-2025"], ((10000, "about"),)),
    _fact("ex-2019", "2019-08", "exercises", ["kizilay-2022", "carnegie-2025"], ((12000, "exact"),)),
    _fact("tr-2019", "2019", "training", ["oe-watch-2020"], ((300, "exact"),),
          statement="In 2019 Chinese instructors trained 300 Tajik officers."),
    _fact("aid-2016", "2016", "aid", ["oe-watch-2020"]),
    _fact("border-2021", "2021-01", "border", ["carnegie-2025"]),
    _fact("misc-2012", "2012", "misc", ["oe-watch-2020"]),
]
PERSONNEL = Dataset(dataset="personnel", title="Personnel in joint operations", columns=[
    {"name": "year", "type": "year", "label": "Year"},
    {"name": "personnel", "type": "number", "label": "Personnel", "unit": "people"},
], records=[
    {"year": 2019, "personnel": 12000, "facts": ["ex-2019"]},
    {"year": 2014, "personnel": {"value": 5000, "qualifier": "over"}, "facts": ["ops-2014"]},
    {"year": 2016, "personnel": {"value": 10000, "qualifier": "about"}, "facts": ["ex-2016"]},
])
EXERCISES = Dataset(dataset="exercises", title="Joint exercises", columns=[
    {"name": "year", "type": "year", "label": "Year"},
    {"name": "name", "type": "text", "label": "Exercise"},
    {"name": "format", "type": "text", "label": "Format"},
    {"name": "personnel", "type": "number", "label": "Personnel", "unit": "people"},
    {"name": "cost", "type": "money", "label": "Cost", "currency": "USD"},
    {"name": "share", "type": "percent", "label": "Share of troops"},
], records=[
    {"year": 2019, "name": "Cooperation-2019", "format": "bilateral", "personnel": 12000, "cost": 21000000,
     "share": 70, "facts": ["ex-2019"]},
    {"year": 2014, "name": "Joint border operation", "format": "bilateral",
     "personnel": {"value": 5000, "qualifier": "over"}, "cost": {"value": 8500000, "qualifier": "about"},
     "share": 35.5, "facts": ["ops-2014"]},
    {"year": 2016, "name": "Counter-terrorism drill in the Pamirs", "format": "SCO",
     "personnel": {"value": 10000, "qualifier": "about"}, "cost": None, "share": {"value": 12, "qualifier": "over"},
     "facts": ["ex-2016"]},
    {"year": 2019, "name": "Peace Mission 2019", "format": "SCO", "personnel": 300, "cost": 479000, "share": 5,
     "facts": ["tr-2019"]},
    {"year": None, "name": "Undated drill", "format": "SCO", "personnel": 50, "facts": ["aid-2016"]},
])


def make_factbase(*datasets: Dataset, facts: list[Fact] | None = None) -> FactBase:
    info = FactbaseInfo(
        subject="China's security engagement in Tajikistan", short_name="test", language="en-GB",
        topics={"exercises": "Joint exercises", "training": "Training", "aid": "Aid", "border": "The border",
                "misc": "Miscellany"},
        sections=[
            {"id": "exercises", "title": "Exercises and training", "topics": ["exercises", "training"]},
            {"id": "aid", "title": "Aid", "topics": ["aid"]},
            {"id": "border", "title": "The border", "topics": ["border", "exercises"]},
        ],
    )
    point = Point(id="p", text="A point that cites a fact.", facts=["ex-2019"])
    return FactBase(
        root=Path("facts"), info=info, sources={s.id: s for s in SOURCES},
        facts={f.id: f for f in (FACTS if facts is None else facts)}, conflicts=[],
        datasets={d.dataset: d for d in datasets}, figures=Figures(),
        analysis=Analysis(title="Test", bottom_line=[point], judgments=[point]),
    )


def chart(family_name: str, **kw: str) -> ChartSpec:
    return ChartSpec(id=kw.pop("id", "chart"), family=family_name, title=kw.pop("title", "A chart"),
                     caption="What the chart shows.", **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fb() -> FactBase:
    return make_factbase(PERSONNEL, EXERCISES)


@pytest.fixture(scope="module")
def personnel(fb: FactBase) -> Figure:
    return build_figure(chart("bar", dataset="personnel", x="year", y="personnel", title="Personnel"), fb,
                        sample_theme(), number=3)


def svg_texts(svg: bytes) -> list[str]:
    """Every text the SVG shows, line by line (matplotlib writes one <text> per line with fonttype 'none')."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


# ---------------------------------------------------------------- the numbers


def test_categories_values_and_labels_come_from_the_dataset(personnel: Figure) -> None:
    data = personnel.data
    assert data.family == "bar"
    assert data.categories == ("2014", "2016", "2019")  # years sorted, whatever the record order
    assert [s.name for s in data.series] == ["Personnel"]
    assert data.series[0].values == (5000, 10000, 12000)
    assert data.labels == ("over 5,000", "about 10,000", "12,000")
    assert data.value_label == "Personnel (people)"  # the unit the column declares
    assert data.number_format == "#,##0"


def test_text_categories_keep_record_order_and_missing_values_stay_missing(fb: FactBase) -> None:
    fig = build_figure(chart("barh", dataset="exercises", x="name", y="cost"), fb, sample_theme())
    assert fig.data.categories == ("Cooperation-2019", "Joint border operation",
                                   "Counter-terrorism drill in the Pamirs", "Peace Mission 2019", "Undated drill")
    assert fig.data.series[0].values == (21000000, 8500000, None, 479000, None)
    assert fig.data.labels == ("$21 million", "about $8.5 million", "", "$479,000", "")
    assert fig.data.value_label == "Cost (US dollars)"
    assert fig.data.number_format == '"$"#,##0.0,,"m"'
    assert "no figure for Counter-terrorism drill in the Pamirs" in fig.alt


def test_records_without_a_category_are_left_out(fb: FactBase) -> None:
    plot = plot_from_dataset(chart("bar", dataset="exercises", x="year", y="personnel", series="format"), fb)
    assert plot.categories == ("2014", "2016", "2019")  # the undated drill has no place on a year axis
    assert "Miscellany" not in plot.source_note


def test_records_sharing_a_bar_are_refused_unless_summed_by_name(fb: FactBase) -> None:
    """Two 2019 records (12,000 and 300) on one bar would show 12,300, which no source gives."""
    with pytest.raises(FactbaseError, match="several records share the bar '2019'; write `aggregate: sum`"):
        plot_from_dataset(chart("bar", dataset="exercises", x="year", y="personnel"), fb)
    fig = build_figure(chart("bar", dataset="exercises", x="year", y="personnel", aggregate="sum"), fb,
                       sample_theme())
    assert fig.data.series[0].values == (5000, 10000, 12300)
    assert fig.data.series[0].name == "Sum of personnel" and fig.data.value_label == "Sum of personnel (people)"
    assert "sum of its records (2019: 12,000 + 300)" in fig.caption


def test_series_column_gives_one_series_each_and_stacks_total(fb: FactBase) -> None:
    fig = build_figure(chart("stacked-bar", dataset="exercises", x="year", y="personnel", series="format"), fb,
                       sample_theme())
    data = fig.data
    assert [s.name for s in data.series] == ["bilateral", "SCO"]
    assert data.series[0].values == (5000, None, 12000)
    assert data.series[1].values == (None, 10000, 300)
    assert data.labels == ("over 5,000", "about 10,000", "12,300")  # each stack's total


def test_grouped_bars_have_no_per_category_label(fb: FactBase) -> None:
    fig = build_figure(chart("bar", dataset="exercises", x="year", y="personnel", series="format"), fb,
                       sample_theme())
    assert fig.data.labels == ()
    assert "2019: bilateral 12,000 and SCO 300" in fig.alt


def test_percent_values(fb: FactBase) -> None:
    fig = build_figure(chart("bar", dataset="exercises", x="name", y="share"), fb, sample_theme())
    assert fig.data.labels[:3] == ("70%", "35.5%", "over 12%")
    assert fig.data.number_format == '#,##0.0"%"'
    assert "35.5%" in svg_texts(fig.svg)


@pytest.mark.parametrize(("parts", "expected"), [
    ([Amount(5000, "over"), Amount(12000)], Amount(17000, "over")),
    ([Amount(5000, "over"), Amount(10, "at-least")], Amount(5010, "at-least")),
    ([Amount(5, "almost"), Amount(10, "up-to")], Amount(15, "up-to")),
    ([Amount(5000, "over"), Amount(10, "about")], Amount(5010, "about")),
    ([Amount(1.5), Amount(None)], Amount(1.5)),
    ([Amount(None), Amount(None)], Amount(None)),
])
def test_sums_keep_an_honest_qualifier(parts: list[Amount], expected: Amount) -> None:
    assert combine(parts) == expected


def test_many_series_fold_into_other_and_keep_the_totals(fb: FactBase) -> None:
    plot = plot_from_dataset(chart("stacked-bar", dataset="exercises", x="year", y="personnel", series="name"), fb)
    folded = fold_series(plot, 3)
    assert folded.series == ("Cooperation-2019", "Counter-terrorism drill in the Pamirs", OTHER)
    assert folded.totals() == plot.totals()


def test_a_chart_of_a_text_column_is_a_user_error(fb: FactBase) -> None:
    with pytest.raises(FactbaseError) as err:
        build_figure(chart("bar", id="bad-chart", dataset="exercises", x="year", y="format"), fb, sample_theme())
    message = str(err.value)
    assert "figures.yaml" in message and "'bad-chart'" in message and "'format'" in message


# ---------------------------------------------------------------- the words


def test_alt_text_reads_out_every_figure_with_its_qualifier(personnel: Figure) -> None:
    assert personnel.alt == (
        "Bar chart of personnel by year: over 5,000 in 2014, about 10,000 in 2016 and 12,000 in 2019.")


def test_alt_text_summarises_long_runs(fb: FactBase) -> None:
    records = [{"year": 2000 + i, "aid": 100 * i + (900 if i == 7 else 0), "facts": ["tr-2019"]} for i in range(20)]
    records[3]["aid"] = None
    aid = Dataset(dataset="aid", title="Aid", columns=[
        {"name": "year", "type": "year", "label": "Year"},
        {"name": "aid", "type": "money", "label": "Chinese aid", "currency": "USD"},
    ], records=records)
    fig = build_figure(chart("bar", dataset="aid", x="year", y="aid"), make_factbase(aid), sample_theme())
    assert fig.alt.startswith("Bar chart of Chinese aid by year, from 2000 to 2019;")  # "Chinese" keeps its capital
    assert fig.alt.endswith("the bars are highest, $1,900 in 2019, and lowest, $0 in 2000; no figure for 1 year.")


def test_source_note_names_the_sources_of_the_records_shown(personnel: Figure, fb: FactBase) -> None:
    assert personnel.source_note == "Sources: Kızılay (2022); Lemon and Norov (2025)."
    one = Dataset(dataset="one", title="One", columns=PERSONNEL.columns, records=[PERSONNEL.records[1]])
    fig = build_figure(chart("bar", dataset="one", x="year", y="personnel"), make_factbase(one), sample_theme())
    assert fig.source_note == "Source: Kızılay (2022)."


def test_figure_carries_the_spec_words_and_number(personnel: Figure) -> None:
    assert (personnel.id, personnel.title, personnel.caption, personnel.number) == (
        "chart", "Personnel", "What the chart shows.", 3)


# ---------------------------------------------------------------- the timeline


def test_timeline_counts_facts_per_year_by_section_with_empty_years() -> None:
    fig = build_figure(chart("timeline"), make_factbase(), sample_theme())
    data = fig.data
    assert data.family == "timeline"
    assert data.categories == tuple(str(y) for y in range(2012, 2022))
    series = {s.name: s.values for s in data.series}
    assert list(series) == ["Exercises and training", "Aid", "The border", OTHER]  # brief order; topic in no section
    assert series["Exercises and training"] == (0, 0, 1, 0, 1, 0, 0, 2, 0, 0)  # first section gathering the topic
    assert series["The border"] == (0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert series[OTHER] == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert data.labels[1] == "0"
    assert "2013: none" in fig.alt and "2016: 2 in all" in fig.alt
    assert fig.source_note == 'Sources: Kızılay (2022); Lemon and Norov (2025); “A report called oe-watch-2020” (2020).'


def test_timeline_by_topic_and_its_summary_for_many_years() -> None:
    facts = [_fact(f"f-{y}", str(y), "aid" if y % 2 else "border", ["carnegie-2025"]) for y in range(1995, 2025)]
    fig = build_figure(chart("timeline", series="topic"), make_factbase(facts=facts), sample_theme())
    assert [s.name for s in fig.data.series] == ["Aid", "The border"]
    assert len(fig.data.categories) == 30
    assert fig.alt.startswith("Stacked bar chart of facts recorded by year and topic, from 1995 to 2024, in 2 series")


# ---------------------------------------------------------------- the drawing


def test_value_axis_starts_at_zero_and_legend_only_for_several_series(fb: FactBase) -> None:
    theme = sample_theme()
    with matplotlib.rc_context(house_style(theme)):
        for spec, legends in [(chart("bar", dataset="personnel", x="year", y="personnel"), 0),
                              (chart("bar", dataset="exercises", x="year", y="personnel", series="format"), 1),
                              (chart("stacked-bar", dataset="exercises", x="year", y="personnel", series="format"), 1)]:
            kind = family(spec.family)
            drawn = kind.draw(kind.prepare(spec, fb), theme)
            assert drawn.axes[0].get_ylim()[0] == 0
            assert len(drawn.legends) == legends
        barh = family("barh")
        drawn = barh.draw(barh.prepare(chart("barh", dataset="exercises", x="name", y="cost"), fb), theme)
        assert drawn.axes[0].get_xlim()[0] == 0


def test_files_are_reproducible(fb: FactBase) -> None:
    spec = chart("stacked-bar", dataset="exercises", x="year", y="personnel", series="format")
    first, second = (build_figure(spec, fb, sample_theme()) for _ in range(2))
    assert first.svg == second.svg
    assert first.png == second.png
    assert b"<dc:date>" not in first.svg
    assert b"Software" not in first.png[:200]


def test_svg_is_valid_with_text_kept_as_text(personnel: Figure) -> None:
    root = ET.fromstring(personnel.svg)
    assert root.tag == f"{SVG}svg"
    texts = svg_texts(personnel.svg)
    assert {"over 5,000", "about 10,000", "12,000", "2014", "Personnel (people)"} <= set(texts)
    assert "Carlito" in personnel.svg.decode()
    width = float(re.sub(r"pt$", "", root.attrib["width"]))
    assert width == pytest.approx(16 / 2.54 * 72, abs=0.5)  # the text column's width


def test_money_axis_in_millions_and_labels_exact(fb: FactBase) -> None:
    fig = build_figure(chart("barh", dataset="exercises", x="name", y="cost"), fb, sample_theme())
    texts = svg_texts(fig.svg)
    assert "$10m" in texts and "$21m" in texts and "about $8.5m" in texts
    assert "$479,000" in texts  # never rounded to $0.5m
    assert "no figure" in texts


def test_png_is_200_dpi_at_column_width(personnel: Figure) -> None:
    image = Image.open(io.BytesIO(personnel.png))
    assert image.format == "PNG"
    assert image.size == png_size(personnel.png)
    assert abs(image.size[0] - round(16 / 2.54 * 200)) <= 1
    assert round(image.info["dpi"][0]) == 200


def test_theme_colours_and_font_reach_the_chart(fb: FactBase) -> None:
    colours = Colours(primary="#005A32", palette=("#005A32", "#E08214", "#8073AC"))
    theme = Theme(name="green", organisation="Green Institute", colours=colours, fonts=sample_theme().fonts)
    fig = build_figure(chart("bar", dataset="exercises", x="year", y="personnel", series="format"), fb, theme)
    svg = fig.svg.decode().lower()
    assert "#005a32" in svg and "#e08214" in svg and "#1f3a5f" not in svg


# ---------------------------------------------------------------- colours


def test_series_colours_start_with_the_house_colour_and_keep_greys_for_last() -> None:
    palette = Colours().palette
    chosen = series_colours(palette, 7)
    assert chosen[0] == palette[0]
    assert sorted(chosen) == sorted(palette)
    assert is_grey(chosen[-1]) and not any(is_grey(c) for c in chosen[:-1])
    red, green = "#B5121B", "#4F7F52"  # hard to tell apart for red-green colour-blind readers
    assert abs(chosen.index(red) - chosen.index(green)) > 1
    assert series_colours(palette, 9)[7:] == chosen[:2]  # more series than colours: the order repeats


def test_label_colour_reads_on_its_fill() -> None:
    assert text_on("#1F3A5F", "#1E1E1E") == "#FFFFFF"
    assert text_on("#D89B2B", "#1E1E1E") == "#1E1E1E"


# ---------------------------------------------------------------- edges


def test_a_dataset_emptied_by_an_as_of_date_gives_an_honest_empty_chart() -> None:
    empty = PERSONNEL.model_copy(update={"records": []})
    fig = build_figure(chart("bar", dataset="personnel", x="year", y="personnel"), make_factbase(empty),
                       sample_theme())
    assert fig.alt == "Bar chart of personnel by year: no figures."
    assert fig.source_note == ""
    assert "No figures to show" in svg_texts(fig.svg)


def test_negative_values_extend_the_axis_below_zero() -> None:
    change = Dataset(dataset="change", title="Change", columns=[
        {"name": "year", "type": "year", "label": "Year"},
        {"name": "change", "type": "percent", "label": "Change in trade"},
    ], records=[{"year": 2014 + i, "change": v, "facts": ["ex-2019"]} for i, v in enumerate([12, -8.5, 3])])
    spec = chart("bar", dataset="change", x="year", y="change")
    kind = family("bar")
    with matplotlib.rc_context(house_style(sample_theme())):
        low, high = kind.draw(kind.prepare(spec, make_factbase(change)), sample_theme()).axes[0].get_ylim()
    assert low < -8.5 and high > 12
    assert "-8.5% in 2015" in build_figure(spec, make_factbase(change), sample_theme()).alt


def test_a_theme_font_that_is_not_installed_falls_back_quietly(fb: FactBase, caplog: pytest.LogCaptureFixture) -> None:
    theme = sample_theme()
    theme = replace(theme, fonts=replace(theme.fonts, body=FontChoice(family="No Such Font 123", office="Calibri")))
    with caplog.at_level(logging.WARNING):
        fig = build_figure(chart("bar", dataset="personnel", x="year", y="personnel"), fb, theme)
    assert not caplog.records
    assert "Carlito" in fig.svg.decode()


def test_the_fallback_fonts_are_used_only_for_a_chart_that_needs_them(fb: FactBase) -> None:
    """Drawn in the theme's font alone, unless a label has a character it lacks: then with the fallbacks, and
    matplotlib's warning about the missing glyph is not passed on."""
    import warnings

    spec = chart("barh", dataset="exercises", x="name", y="cost")
    plain = build_figure(spec, fb, sample_theme())
    armenian = "Երևան"  # Carlito has no Armenian; DejaVu Sans has
    exercises = fb.datasets["exercises"]
    renamed = exercises.model_copy(update={"records": [{**r, "name": f"{r['name']} {armenian}"}
                                                       for r in exercises.records]})
    other = replace(fb, datasets={**fb.datasets, "exercises": renamed})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning left over would fail here
        needing = build_figure(spec, other, sample_theme())
        svg, png = needing.svg.decode(), needing.png
    assert "Carlito" in plain.svg.decode() and "DejaVu Sans" not in plain.svg.decode()
    assert "DejaVu Sans" in svg and any(armenian in text for text in svg_texts(needing.svg))
    assert png_size(png)[0] > 0


@pytest.mark.parametrize("spec", [
    chart("bar", dataset="personnel", x="year", y="personnel"),
    chart("barh", dataset="exercises", x="name", y="cost"),
    chart("stacked-bar", dataset="exercises", x="year", y="personnel", series="format"),
    chart("timeline", series="topic"),
], ids=["bar", "barh", "stacked-bar", "timeline"])
def test_a_placeholder_has_exactly_the_size_of_its_chart(fb: FactBase, spec: ChartSpec) -> None:
    """The PDF is laid out around the placeholder: any difference in size would move the pages."""
    fig = build_figure(spec, fb, sample_theme())
    size = ("width", "height", "viewBox")
    drawn, placeholder = ET.fromstring(fig.svg), ET.fromstring(fig.image.placeholder())
    assert [placeholder.get(a) for a in size] == [drawn.get(a) for a in size]


def test_the_pictures_do_not_depend_on_which_format_is_drawn_first(fb: FactBase, tmp_path: Path) -> None:
    """The PDF's process may ask for the SVG first, a build without it for the PNG first: same bytes either way."""
    from briefkit.cache import Store

    spec = chart("stacked-bar", dataset="exercises", x="year", y="personnel", series="format")
    png_first = build_figure(spec, fb, sample_theme(), store=Store(tmp_path / "a"))
    svg_first = build_figure(spec, fb, sample_theme(), store=Store(tmp_path / "b"))
    png, svg = png_first.png, svg_first.svg
    assert (png_first.svg, svg_first.png) == (svg, png)
