"""A second, independent fact base (shipping on the Northern Sea Route, tests/factbases/arctic) built for every
audience as a new user would: every number in every output is a number of the fact base, what a brief leaves out
is listed with its reason, a chart never adds records up unless it says so, and examples/minimal and a fresh
`briefkit new` skeleton build for every audience too."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pypdf import PdfReader

from briefkit.audience import load_audience
from briefkit.charts import build_figure
from briefkit.charts.timeline import plot_from_facts
from briefkit.factbase import load_factbase
from briefkit.factbase.model import FactBase
from briefkit.factbase.quantities import quantities, same_number
from briefkit.theme.load import load_theme
from tests.conftest import EXAMPLE, ROOT, line_with, replace_in, run_cli

pytestmark = pytest.mark.slow  # builds every audience of other fact bases: `make test-fast` leaves it out

ARCTIC = ROOT / "tests" / "factbases" / "arctic"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
AUDIENCES = sorted(p.stem for p in (ROOT / "templates" / "audiences").glob("*.yaml"))
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_STRUCTURE = re.compile(r"\b(?:Figure|Table|Page|Slide) \d+(?: of \d+)?:?")


@pytest.fixture(scope="module")
def arctic() -> FactBase:
    return load_factbase(ARCTIC)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The arctic fact base, every audience, one command."""
    out = tmp_path_factory.mktemp("arctic")
    r = run_cli("build", "--facts", str(ARCTIC), "--audience", "all", "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    return out, r.out


def one(folder: Path, suffix: str) -> Path:
    found = sorted(folder.glob(f"*{suffix}"))
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- what the outputs say, as readers' software reads it


def pdf_text(path: Path) -> str:
    """The PDF's running text, tables and captions: not the footnote markers and notes (smaller type: the notes'
    locators are checked as the fact base's own strings), running heads and feet, or the charts' pictures (their
    numbers are checked in the deck's native charts, made from the same data)."""
    pieces: list[str] = []
    for page in PdfReader(str(path)).pages:
        drawn: list[tuple[str, float, float]] = []  # text, the scale it was drawn at, its size in points
        page.extract_text(visitor_text=lambda text, cm, tm, font, size, drawn=drawn: drawn.append(
            (text, cm[0], abs(size * tm[3] * cm[3]))))
        scales = [scale for _, scale, _ in drawn]
        page_scale = max(set(scales), key=scales.count)  # most text is the page's; a chart's has its own
        pieces += [text for text, scale, size in drawn if scale == page_scale and size >= 8.5
                   and not re.fullmatch(r"\s*\d+\.\s*", text)]  # a numbered list's markers
    return " ".join(pieces)


def docx_text(path: Path) -> str:
    doc = DocxDocument(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pptx_text(path: Path) -> str:
    """Every slide's text (titles, bullets, tables, speaker notes) and its native charts' data: categories,
    values and data labels, as the chart part stores them."""
    parts: list[str] = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
                continue  # the slide's number, not a claim
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            if name.startswith("ppt/charts/chart") and name.endswith(".xml"):
                root = ET.fromstring(deck.read(name))
                parts += [v.text or "" for v in root.iter(f"{_C}v")]
                parts += [t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t")]
    return "\n".join(parts)


def allowed_numbers(fb: FactBase) -> set[float]:
    """The numbers a brief may state: the facts' values, the datasets' cells, how many conflicts it shows, and
    the timeline's counts of facts per year (a count the chart names: "Facts recorded")."""
    numbers = {float(v.value) for f in fb.facts.values() for v in f.values}
    for ds in fb.datasets.values():
        for record in ds.records:
            for cell in record.values():
                value = cell.get("value") if isinstance(cell, dict) else cell
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    numbers.add(float(value))
    numbers.add(float(len(fb.conflicts)))
    for chart in fb.figures.charts:
        if chart.family == "timeline":
            plot = plot_from_facts(chart, fb)
            numbers |= {float(a.value) for row in plot.amounts for a in row if a.value is not None}
            numbers |= {float(a.value) for a in plot.totals() if a.value is not None}
    return numbers


def stray_numbers(text: str, fb: FactBase, extra: set[float] = frozenset()) -> list[str]:
    names = [*fb.info.names, *(n for f in fb.facts.values() for n in f.names)]
    allowed = allowed_numbers(fb) | set(extra)
    text = _STRUCTURE.sub(" ", text.replace("\u00a0", " ").replace("\u2212", "-"))
    return [q.text for q in quantities(text, names) if not any(same_number(q.value, a) for a in allowed)]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_number_in_every_output_is_a_number_of_the_fact_base(built: tuple[Path, str], arctic: FactBase,
                                                                    audience: str) -> None:
    folder = built[0] / audience
    pdf = one(folder, "_brief.pdf")
    pages = set(map(float, range(1, len(PdfReader(str(pdf)).pages) + 1)))  # the contents' page numbers
    assert stray_numbers(pdf_text(pdf), arctic, pages) == []
    assert stray_numbers(docx_text(one(folder, "_brief.docx")), arctic) == []
    assert stray_numbers(pptx_text(one(folder, "_deck.pptx")), arctic) == []


def test_the_number_check_would_catch_an_invented_number(arctic: FactBase) -> None:
    """The check above is not vacuous: a sum of two records, a rounded figure and a negative read as positive
    are all caught."""
    assert stray_numbers("PSM made 176 transit voyages.", arctic) == ["176"]
    assert stray_numbers("Cargo was 37.8 million tonnes.", arctic) == ["37.8 million"]
    assert stray_numbers("Sabetta averages -26 °C and Dudinka 29 °C.", arctic) == ["29"]
    assert stray_numbers("Ships of Project 22220 and Arc 7 carriers.", arctic) == []


def test_the_charts_draw_the_dataset_s_records_and_nothing_else(built: tuple[Path, str], arctic: FactBase) -> None:
    """The monitor's two 2023 counts are two bars (series: scope), never their sum; the PDF's chart says so."""
    spec = next(c for c in arctic.figures.charts if c.id == "transits-2023")
    figure = build_figure(spec, arctic, load_theme(None, ROOT / "templates" / "default"))
    assert {s.name: s.values for s in figure.data.series} == {"summer and autumn": (79, None),
                                                               "whole year": (97, 90)}
    drawn: list[str] = []
    for page in PdfReader(str(one(built[0] / "analyst", "_brief.pdf"))).pages:
        page.extract_text(visitor_text=lambda text, *_: drawn.append(text.strip()))
    assert {"79", "97", "90"} <= set(drawn) and "176" not in drawn


# ---------------------------------------------------------------- what the brief leaves out is known


@pytest.mark.parametrize("audience", AUDIENCES)
def test_left_out_facts_are_listed_with_their_reasons(built: tuple[Path, str], arctic: FactBase,
                                                      audience: str) -> None:
    folder = built[0] / audience
    manifest = json.loads((folder / "manifest.json").read_text())
    left = {(x["kind"], x["id"]): x for x in manifest["left_out"]}
    assert all(x["reason"] and x["cause"] for x in left.values())
    text = " ".join(docx_text(one(folder, "_brief.docx")).split())
    for fact in arctic.facts.values():
        shown = " ".join(fact.statement.split()) in text
        assert shown != (("fact", fact.id) in left), (audience, fact.id, shown)
    for conflict in arctic.conflicts:
        listed = ("conflict", conflict.id) in left
        statements = [" ".join(arctic.facts[f].statement.split()) in text for f in conflict.facts]
        if audience == "executive":  # no sections, no differences: every conflict is listed as left out
            assert listed, conflict.id
        else:  # shown whole, or not at all, and listed exactly when not shown
            assert all(statements) != listed and (all(statements) or not any(statements)), conflict.id
    shown_figures = {c.id for c in arctic.figures.charts if c.title in text}
    for chart in arctic.figures.charts:
        assert (chart.id in shown_figures) != (("chart", chart.id) in left), (audience, chart.id)


def test_the_summary_says_what_each_audience_left_out(built: tuple[Path, str]) -> None:
    out, summary = built
    for audience in AUDIENCES:
        line = next(line for line in summary.splitlines() if line.strip().startswith("left out:")
                    and f"{out / audience}" in line)
        assert "facts" in line and "manifest.json" in line


def test_the_differences_section_claims_only_what_the_brief_shows(built: tuple[Path, str]) -> None:
    text = " ".join(docx_text(one(built[0] / "analyst", "_brief.docx")).split())
    assert "Both versions stay in the brief above" not in text
    assert "Each version is given in its section above" in text
    deck = pptx_text(one(built[0] / "analyst", "_deck.pptx"))
    differences = next(block for block in deck.split("\n") if "voyages according to" in block)
    assert "97 voyages according to Solberg and Drozdov (2024)" in differences and "90 voyages according" in differences


# ---------------------------------------------------------------- every audience on every fact base


def test_audiences_take_their_sections_by_role_and_their_titles_from_the_fact_base(built: tuple[Path, str],
                                                                                   arctic: FactBase) -> None:
    doc = DocxDocument(str(one(built[0] / "defence", "_brief.docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    titles = {s.id: s.title for s in arctic.info.sections}
    assert [h for h in headings if h in titles.values()] == [titles[s] for s in arctic.info.roles["defence"]]
    deck = Presentation(str(one(built[0] / "defence", "_deck.pptx")))
    first = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "Maritime security brief" in first and "Defence cooperation" not in first


def test_examples_minimal_builds_for_every_audience_and_says_what_it_falls_back_to(tmp_path: Path) -> None:
    r = run_cli("build", "--facts", str(EXAMPLE), "--audience", "all", "--out", str(tmp_path), env=EPOCH)
    assert r.code == 0, r.err
    notes = [line for line in r.out.splitlines() if "note: defence:" in line]
    assert notes == ["  note: defence: the fact base has none of the sections this audience asks for "
                     "(role:defence); it reads every section instead"]
    low, high = load_audience(ROOT / "templates" / "audiences" / "analyst.yaml").limits.brief_pages
    assert f"under the {low} to {high} the profile expects" in r.out  # a short brief is a warning, and published
    for audience in AUDIENCES:
        assert one(tmp_path / audience, "_brief.pdf").stat().st_size > 0


def test_a_new_skeleton_checks_and_builds_for_every_audience(tmp_path: Path) -> None:
    dest = tmp_path / "My Subject"
    r = run_cli("new", str(dest))
    assert r.code == 0, r.err
    assert {p.name for p in dest.rglob("*.yaml")} >= {"factbase.yaml", "sources.yaml", "figures.yaml",
                                                       "analysis.yaml"}
    assert "short_name: my-subject" in (dest / "factbase.yaml").read_text()
    assert all(p.read_text().lstrip().startswith("#") for p in dest.glob("*.yaml"))  # commented for a first day
    r = run_cli("check", "--facts", str(dest))
    assert r.code == 0, r.err
    r = run_cli("build", "--facts", str(dest), "--audience", "all", "--out", str(tmp_path / "out"), env=EPOCH)
    assert r.code == 0, r.err
    r = run_cli("new", str(dest))
    assert r.code == 2 and r.err.strip().endswith("already exists and is not empty; give a new folder")


# ---------------------------------------------------------------- a chart never adds up silently


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "arctic"
    shutil.copytree(ARCTIC, dest)
    return dest


def test_a_repeated_category_is_refused_by_check_at_its_lines(copy: Path) -> None:
    figures = copy / "figures.yaml"
    replace_in(figures, "    series: scope", "    # series: scope")
    r = run_cli("check", "--facts", str(copy), cwd=copy.parent)
    assert r.code == 1
    dataset = copy / "datasets" / "transits-2023.yaml"
    assert r.err.splitlines() == [
        f"arctic/figures.yaml:{line_with(figures, 'x: counter')}: x: chart 'transits-2023': records at "
        f"arctic/datasets/transits-2023.yaml:{line_with(dataset, 'summer and autumn')} and line "
        f"{line_with(dataset, 'scope: whole year, voyages: 97')} share the bar 'PSM', which would show their sum, "
        "a number no source gives; give `series:` a column that tells them apart, or write `aggregate: sum` to "
        "show the sum by name"]


def test_a_named_aggregate_says_sum_of_in_legend_and_caption(copy: Path, tmp_path: Path) -> None:
    replace_in(copy / "figures.yaml", "    series: scope", "    aggregate: sum")
    r = run_cli("build", "--facts", str(copy), "--out", str(tmp_path / "out"), "--format", "docx", env=EPOCH)
    assert r.code == 0, r.err
    text = docx_text(one(tmp_path / "out" / "analyst", "_brief.docx"))
    assert "Each bar shows the sum of its records (PSM: 79 + 97)." in text
    spec = next(c for c in load_factbase(copy).figures.charts if c.id == "transits-2023")
    figure = build_figure(spec, load_factbase(copy), load_theme(None, ROOT / "templates" / "default"))
    assert [(s.name, s.values) for s in figure.data.series] == [("Sum of transit voyages", (176, 90))]
    assert figure.data.value_label == "Sum of transit voyages"  # the legend and axis name the sum


def test_table_headers_carry_their_declared_units(built: tuple[Path, str]) -> None:
    doc = DocxDocument(str(one(built[0] / "analyst", "_brief.docx")))
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Ship", "In service", "Power (MW)"] in headers
    assert ["Port", "January mean temperature (°C)"] in headers


# ---------------------------------------------------------------- prose an editor would pass


def test_references_read_as_an_editor_would_write_them(built: tuple[Path, str]) -> None:
    text = docx_text(one(built[0] / "analyst", "_brief.docx"))
    assert "No author named" not in text
    assert "Online at https://example.org/imp/nsr-cargo. Academic analysis" in text
    assert "\u201cArctic Ice Bulletin, October 2024.\u201d Arctic Ice Bulletin" in text
    assert "?.\u201d" not in text


def test_slide_source_lines_cover_the_chart_on_the_slide(built: tuple[Path, str]) -> None:
    deck = Presentation(str(one(built[0] / "analyst", "_deck.pptx")))
    slide = next(s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text == "Traffic on the route")
    text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    assert "Lowe (2024)" in text  # the 2020 bar of the cargo chart comes from Lowe; no bullet on the slide does


def test_a_theme_s_own_audiences_build_on_the_new_subject(tmp_path: Path) -> None:
    r = run_cli("build", "--facts", str(ARCTIC), "--theme", str(ROOT / "examples" / "themes" / "ministry"),
                "--audience", "minister", "--out", str(tmp_path), "--format", "docx", env=EPOCH)
    assert r.code == 0, r.err
    assert "left out:" in r.out
