"""The deck's native charts as a strict OOXML validator reads them: axis ids are xsd:unsignedInt, and every
reference to an axis (a plot's axes, an axis's crossing axis) names an axis of the same chart. And below 2^31:
LibreOffice reads the ids as signed 32-bit numbers (with the same bits read unsigned, it drew horizontal bars from
the right-hand side, seen in the rendered deck).

python-pptx's templates write negative ids; a validator reported 24 errors in the analyst deck (4 charts x 6).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from briefkit.document.model import ChartData, Deck, Series, Slide
from briefkit.writers.pptx import write_pptx
from conftest import EXAMPLE, run_cli
from samples import META, sample_figure, sample_theme

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
AXES = ("catAx", "valAx", "dateAx", "serAx")
UNSIGNED_INT = re.compile(r"[0-9]+")  # xsd:unsignedInt: digits only, at most 4294967295


def axis_problems(name: str, xml: bytes) -> list[str]:
    """Every way the chart's axis ids break the schema or point nowhere, as readable lines."""
    root = etree.fromstring(xml)
    problems = []
    for element in root.iter(f"{{{C}}}axId", f"{{{C}}}crossAx"):
        val = element.get("val", "")
        if not UNSIGNED_INT.fullmatch(val) or int(val) > 2**32 - 1:
            problems.append(f"{name}: {etree.QName(element).localname} {val!r} is not an unsignedInt")
        elif int(val) > 2**31 - 1:  # LibreOffice reads them as signed 32-bit: bars then grow from the wrong side
            problems.append(f"{name}: {etree.QName(element).localname} {val!r} overflows a signed 32-bit reader")
    plot_area = root.find(f"{{{C}}}chart/{{{C}}}plotArea")
    assert plot_area is not None, name
    axes = [child for child in plot_area if etree.QName(child).localname in AXES]
    ids = [axis.find(f"{{{C}}}axId").get("val") for axis in axes]
    if len(set(ids)) != len(ids):
        problems.append(f"{name}: axis ids repeat: {ids}")
    for axis, own in zip(axes, ids, strict=True):
        crossed = axis.find(f"{{{C}}}crossAx").get("val")
        if crossed not in ids or crossed == own:
            problems.append(f"{name}: axis {own} crosses {crossed}, not another axis of the chart")
    plots = [child for child in plot_area if etree.QName(child).localname.endswith("Chart")]
    assert plots, name
    for plot in plots:
        for ref in plot.findall(f"{{{C}}}axId"):
            if ref.get("val") not in ids:
                problems.append(f"{name}: {etree.QName(plot).localname} uses axis {ref.get('val')}, not in the chart")
    return problems


def chart_parts(pptx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return {n: z.read(n) for n in z.namelist() if re.fullmatch(r"ppt/charts/chart[0-9]+\.xml", n)}


def test_the_rule_catches_what_python_pptx_writes_by_itself() -> None:
    """The check is not vacuous: python-pptx's own chart, untouched, fails it."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    prs = Presentation()
    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("s", (1, 2))
    prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, 0, 0, 10, 10, data)
    out = io.BytesIO()
    prs.save(out)
    (name, xml), = chart_parts(out.getvalue()).items()
    assert any("is not an unsignedInt" in p for p in axis_problems(name, xml))


@pytest.mark.parametrize("family", ["bar", "barh", "stacked-bar", "timeline"])
def test_every_chart_family_has_valid_axis_ids(family: str) -> None:
    figure = sample_figure()
    series = (Series("Army", (1, 2, 3)), Series("Police", (2, None, 1))) if family != "bar" else figure.data.series
    data = ChartData(family=family, categories=("2014", "2016", "2019"), series=series, value_label="Personnel")
    deck = Deck(META, (Slide("chart", "A chart", figure=replace(figure, data=data)),))
    parts = chart_parts(write_pptx(deck, sample_theme()))
    assert len(parts) == 1
    assert [p for name, xml in parts.items() for p in axis_problems(name, xml)] == []


@pytest.mark.parametrize(("label", "facts"), [("analyst", None), ("minimal", EXAMPLE)])
def test_every_chart_of_a_built_deck_has_valid_axis_ids_and_references(tmp_path: Path, label: str,
                                                                        facts: Path | None) -> None:
    args = ["build", "--format", "pptx", "--out", str(tmp_path), "--no-limits"]
    result = run_cli(*args, *(["--facts", str(facts)] if facts else []))
    assert result.code == 0, result.err
    (deck,) = (tmp_path / "analyst").glob("*.pptx")
    parts = chart_parts(deck.read_bytes())
    assert parts, f"the {label} deck has no chart to check"
    assert [p for name, xml in parts.items() for p in axis_problems(name, xml)] == []
