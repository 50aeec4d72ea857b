"""The meeting (--meeting) and the as-of date (--as-of): what they change in the selection, and what a reader
sees in the built files: the meeting box on page 1 and the title slide, and a brief written as of a past date."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader

from briefkit.audience import load_audience
from briefkit.charts.registry import family
from briefkit.citations import short_citation
from briefkit.factbase import PartialDate, load_factbase
from briefkit.meeting import load_meeting
from briefkit.selection import select
from tests.conftest import ROOT, SEEDS, line_with, run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
DUSHANBE = ROOT / "examples" / "meetings" / "dushanbe.yaml"
PROFILES = ROOT / "templates" / "audiences"


@pytest.fixture(scope="module")
def fb():
    return load_factbase(SEEDS)


@pytest.fixture(scope="module")
def meeting(fb):
    return load_meeting(DUSHANBE, fb.info.topics)


def profile(name: str):
    return load_audience(PROFILES / f"{name}.yaml")


# ---------------------------------------------------------------- what the meeting changes in the selection


def test_sections_on_the_meeting_s_topics_come_first_in_their_own_order(fb, meeting) -> None:
    plain = [p.section.id for p in select(fb, profile("analyst"), None).sections]
    weighted = select(fb, profile("analyst").for_meeting(), meeting).sections
    on_topic = [p.section.id for p in weighted if p.weighted]
    assert on_topic == [s for s in plain if set(fb.info.sections[plain.index(s)].topics) & set(meeting.topics)]
    assert [p.section.id for p in weighted] == on_topic + [s for s in plain if s not in on_topic]
    assert on_topic[:3] == ["exercises", "facilities", "operations"]


def test_sections_off_the_meeting_s_topics_keep_fewer_facts(fb, meeting) -> None:
    analyst = profile("analyst")
    for plan in select(fb, analyst, meeting).sections:
        limit = analyst.facts_per_section if plan.weighted else analyst.facts_off_topic
        assert len(plan.facts) <= limit
    without = {p.section.id: len(p.facts) for p in select(fb, analyst, None).sections}
    assert any(len(p.facts) < without[p.section.id] for p in select(fb, analyst, meeting).sections if not p.weighted)


def test_talking_points_on_the_meeting_s_topics_come_first(fb, meeting) -> None:
    chosen = select(fb, profile("executive").for_meeting(), meeting).talking_points
    about = [bool(set(p.topics) & set(meeting.topics)) for p in chosen]
    assert about == sorted(about, reverse=True) and about[0]
    assert chosen != select(fb, profile("executive"), None).talking_points


def test_key_judgments_keep_the_analysts_order_whatever_the_meeting(fb, meeting) -> None:
    assert select(fb, profile("executive"), meeting).judgments == select(fb, profile("executive"), None).judgments


def test_a_brief_without_sections_shows_the_chart_about_the_meeting(fb, meeting) -> None:
    sections = {s.id: set(s.topics) for s in fb.info.sections}
    chart = select(fb, profile("executive"), meeting).charts[0]
    assert set().union(*(sections[s] for s in chart.sections)) & set(meeting.topics)
    assert select(fb, profile("executive"), None).charts[0].weight == 1


@pytest.mark.parametrize("as_of", ["2016-12", "2019", "2020-12-31", "2023-06", None])
def test_no_chart_or_table_without_data_is_chosen(fb, as_of: str | None) -> None:
    known = fb.select(PartialDate.parse(as_of) if as_of else None)
    for name in ("analyst", "defence", "executive"):
        sel = select(known, profile(name), None)
        for spec in sel.charts:
            plot = family(spec.family).prepare(spec, known)
            assert any(a.value for row in plot.amounts for a in row), (as_of, name, spec.id)
        for spec in sel.tables:
            assert known.datasets[spec.dataset].records, (as_of, name, spec.id)


# ---------------------------------------------------------------- the meeting brief as built


@pytest.fixture(scope="module")
def meeting_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("meeting")
    r = run_cli("build", "--audience", "executive", "--meeting", str(DUSHANBE), "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    return out / "executive"


@pytest.mark.slow  # a full build
def test_page_one_opens_with_the_meeting_box(meeting_brief: Path, meeting) -> None:
    reader = PdfReader(str(next(meeting_brief.glob("*.pdf"))))
    assert len(reader.pages) <= 2
    page1 = " ".join(reader.pages[0].extract_text().split())
    for text in (meeting.title.upper(), meeting.counterpart, "15 April 2025", meeting.place, meeting.purpose,
                 *meeting.objectives, *meeting.raise_, *meeting.avoid):
        assert " ".join(text.split()) in page1, text
    assert page1.index(meeting.title.upper()) < page1.index("BOTTOM LINE")
    word = "\n".join(p.text for t in DocxDocument(str(next(meeting_brief.glob("*.docx")))).tables
                     for row in t.rows for c in row.cells for p in c.paragraphs)
    assert word.index(f"Meeting: {meeting.title}") < word.index("Bottom line")


@pytest.mark.slow  # a full build
def test_the_title_slide_names_the_meeting(meeting_brief: Path, meeting) -> None:
    prs = Presentation(str(next(meeting_brief.glob("*.pptx"))))
    assert len(prs.slides) <= 6
    title = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    for text in (f"Meeting: {meeting.title}", meeting.counterpart, "15 April 2025", meeting.purpose):
        assert text in title


@pytest.mark.slow  # a full build
def test_the_as_of_date_defaults_to_the_meeting_s(meeting_brief: Path) -> None:
    manifest = json.loads((meeting_brief / "manifest.json").read_text())
    assert manifest["as_of"] == "2025-04-15"
    assert all("_2025-04-15_" in f["path"] for f in manifest["files"] if f["path"] not in ("manifest.json", "said.json"))


# ---------------------------------------------------------------- as of a past date


AS_OF = "2020-12-31"


@pytest.fixture(scope="module")
def past_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("asof")
    r = run_cli("build", "--audience", "analyst", "--as-of", AS_OF, "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    return out / "analyst"


@pytest.mark.slow  # a full build
def test_a_past_brief_cites_only_sources_published_by_then(past_brief: Path, fb) -> None:
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(str(next(past_brief.glob("*.pdf")))).pages).split())
    cutoff = PartialDate.parse(AS_OF).last_day
    for source in fb.sources.values():
        name = short_citation(source)
        assert (name in text) == (source.published.last_day <= cutoff), name
    assert f"None as of {PartialDate.parse(AS_OF).last_day.day} December 2020" in text  # no bottom line then
    manifest = json.loads((past_brief / "manifest.json").read_text())
    assert manifest["as_of"] == AS_OF
    assert manifest["measured"]["brief_pages"] < profile("analyst").limits.brief_pages[0]  # only maximums hold


@pytest.mark.slow  # a full build
def test_a_past_brief_recomputes_charts_tables_and_conflicts(past_brief: Path, fb) -> None:
    known = fb.select(PartialDate.parse(AS_OF))
    word = DocxDocument(str(next(past_brief.glob("*.docx"))))
    years = [int(y) for t in word.tables for row in t.rows[1:] for c in row.cells
             for y in re.findall(r"\b(19\d\d|20\d\d)\b", c.text)]
    assert years and max(years) <= 2020
    prs = Presentation(str(next(past_brief.glob("*.pptx"))))
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    year_axes = [[int(c) for c in ch.plots[0].categories] for ch in charts
                 if all(str(c).isdigit() for c in ch.plots[0].categories)]
    assert year_axes and max(max(axis) for axis in year_axes) <= 2020
    text = " ".join(p.text for p in word.paragraphs)
    match = re.search(r"The sources disagree on (\d+|one) points? this brief covers", text)
    assert match is not None
    shown = 1 if match.group(1) == "one" else int(match.group(1))
    left = json.loads((past_brief / "manifest.json").read_text())["left_out"]
    as_of = {x["id"] for x in left if x["kind"] == "conflict" and x["cause"] == "as-of"}
    not_shown = {x["id"] for x in left if x["kind"] == "conflict" and x["cause"] != "as-of"}
    assert as_of == {c.id for c in fb.conflicts} - {c.id for c in known.conflicts} and as_of
    assert shown + len(not_shown) == len(known.conflicts)  # every conflict known then: shown whole, or listed


def test_as_of_before_any_source_is_one_clear_error(tmp_path: Path, fb) -> None:
    first = min(fb.sources.values(), key=lambda s: s.published.last_day)
    r = run_cli("build", "--as-of", "2010", "--out", str(tmp_path))
    assert r.code == 1
    assert "Traceback" not in r.err
    assert r.err.splitlines()[-1] == (f"--as-of: no source had been published by 2010; the first, {first.id}, "
                                      f"was published {first.published.iso()}")
    assert not (tmp_path / "analyst").exists()


def test_a_brief_with_nothing_to_say_as_of_then_is_an_error_not_an_empty_file(tmp_path: Path) -> None:
    r = run_cli("build", "--audience", "executive", "--as-of", AS_OF, "--out", str(tmp_path))
    assert r.code == 1
    assert "Traceback" not in r.err
    assert re.fullmatch(r"--as-of: as of 2020-12-31 the executive brief would say nothing: all it reads rests on "
                        r"facts reported later; it can be written as of \d{4}-\d\d-\d\d or later",
                        r.err.splitlines()[-1])


def test_meeting_mistakes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "meeting.yaml"
    path.write_text(DUSHANBE.read_text().replace("topics: [border,", "topics: [borders,"))
    r = run_cli("build", "--meeting", str(path), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.code == 1
    assert r.err.splitlines()[0].startswith(f"meeting.yaml:{line_with(path, 'topics: [borders')}: topics: unknown topics "
                                            "borders; the fact base has: ")
