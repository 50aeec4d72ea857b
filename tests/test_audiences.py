"""Audience profiles: every built-in one built and measured against its own limits, `briefkit audiences`, what each
profile puts in its brief, and a profile's mistakes and broken limits reported as one located line each."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader

from briefkit.audience import Audience, load_audience
from briefkit.factbase import load_factbase
from tests.conftest import ROOT, SEEDS, line_with, run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
PROFILES = ROOT / "templates" / "audiences"
BUILT_IN = sorted(p.stem for p in PROFILES.glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every built-in audience, built once with `--audience all` (limits checked by the build itself)."""
    out = tmp_path_factory.mktemp("audiences")
    r = run_cli("build", "--audience", "all", "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    return out


def one(folder: Path, suffix: str) -> Path:
    found = sorted(folder.glob(f"*{suffix}"))
    assert len(found) == 1, found
    return found[0]


def headings(docx: Path) -> list[str]:
    return [p.text for p in DocxDocument(str(docx)).paragraphs if p.style.name == "Heading 1"]


def slide_titles(pptx: Path) -> list[str]:
    return [s.shapes.title.text for s in Presentation(str(pptx)).slides if s.shapes.title is not None]


def test_at_least_three_built_in_profiles() -> None:
    assert {"analyst", "executive", "defence"} <= set(BUILT_IN)


@pytest.mark.slow  # a full build
@pytest.mark.parametrize("name", BUILT_IN)
def test_every_audience_is_within_its_limits_by_measurement(built: Path, name: str) -> None:
    profile = load_audience(PROFILES / f"{name}.yaml")
    folder = built / name
    pages = len(PdfReader(str(one(folder, "_brief.pdf"))).pages)
    slides = len(Presentation(str(one(folder, "_deck.pptx"))).slides)
    low, high = profile.limits.brief_pages
    assert low <= pages <= high, f"{name}: {pages} pages, limit {low}-{high}"
    low, high = profile.limits.deck_slides
    assert low <= slides <= high, f"{name}: {slides} slides, limit {low}-{high}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["measured"] == {"brief_pages": pages, "deck_slides": slides}


def test_the_issue_s_limits_hold_for_the_built_in_profiles() -> None:
    """The profiles may not drift from what the brief promises readers: an executive reads at most 2 pages and
    6 slides, an analyst 6 to 15 pages and 8 to 15 slides (14 pages before key judgments stated their
    confidence: decision 65)."""
    executive, analyst = load_audience(PROFILES / "executive.yaml"), load_audience(PROFILES / "analyst.yaml")
    assert executive.limits.brief_pages[1] <= 2 and executive.limits.deck_slides[1] <= 6
    assert analyst.limits.brief_pages == (6, 15) and analyst.limits.deck_slides == (8, 15)


@pytest.mark.slow  # a full build
def test_executive_gets_bottom_line_three_judgments_talking_points_and_one_chart(built: Path) -> None:
    folder = built / "executive"
    docx = one(folder, ".docx")
    assert headings(docx) == ["Key judgments", "Talking points"]
    word = DocxDocument(str(docx))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 3 + 4  # three judgments, four talking points
    text = "\n".join(p.extract_text() for p in PdfReader(str(one(folder, ".pdf"))).pages)
    assert "Bottom line" in text.replace("BOTTOM LINE", "Bottom line")
    assert len(re.findall(r"Figure \d+:", text)) == 1
    titles = slide_titles(one(folder, ".pptx"))
    assert titles[1:3] == ["Bottom line", "Key judgments"] and "Talking points" in titles


@pytest.mark.slow  # a full build
def test_defence_reads_exercises_equipment_and_the_border_first(built: Path) -> None:
    sections = {s.id: s.title for s in load_factbase(SEEDS).info.sections}
    first = [sections["exercises"], sections["equipment"], sections["facilities"]]
    assert headings(one(built / "defence", ".docx"))[1:4] == first  # after Key judgments
    titles = slide_titles(one(built / "defence", ".pptx"))
    assert [t for t in titles if t in first] == first


@pytest.mark.slow  # a full build
def test_analyst_reads_every_section_with_data(built: Path) -> None:
    shown = headings(one(built / "analyst", ".docx"))
    for section in load_factbase(SEEDS).info.sections:
        assert section.title in shown


def test_audiences_lists_every_profile_with_one_line() -> None:
    r = run_cli("audiences")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert [line.split()[0] for line in lines] == BUILT_IN
    for line, name in zip(lines, BUILT_IN, strict=True):
        assert line.split(None, 1)[1] == load_audience(PROFILES / f"{name}.yaml").description


# ---------------------------------------------------------------- a theme's own audiences, and limits broken


@pytest.fixture(scope="module")
def tight_theme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A theme holding one audience of its own: the executive profile with a limit no brief can meet."""
    theme = tmp_path_factory.mktemp("tight")
    (theme / "audiences").mkdir()
    text = (PROFILES / "executive.yaml").read_text()
    text = re.sub(r"brief_pages: \[\d+, \d+\]", "brief_pages: [1, 1]", text)
    text = text.replace("description: ", "description: One page only. ", 1)
    (theme / "audiences" / "tight.yaml").write_text(text)
    return theme


def test_a_theme_s_audiences_are_listed_with_the_built_in_ones(tight_theme: Path) -> None:
    r = run_cli("audiences", "--theme", str(tight_theme))
    assert r.code == 0, r.err
    names = [line.split()[0] for line in r.out.splitlines()]
    assert names == sorted([*BUILT_IN, "tight"])
    assert any(line.startswith("tight") and "One page only." in line for line in r.out.splitlines())


@pytest.mark.slow  # a full build
def test_a_broken_limit_fails_the_build_and_says_where(tight_theme: Path, tmp_path: Path) -> None:
    profile = tight_theme / "audiences" / "tight.yaml"
    r = run_cli("build", "--theme", str(tight_theme), "--audience", "tight", "--out", str(tmp_path / "out"),
                "--format", "pdf", env=EPOCH)
    assert r.code == 1
    assert "Traceback" not in r.err
    errors = [line for line in r.err.splitlines() if "limit" in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{profile}:{line_with(profile, 'brief_pages')}: limits.brief_pages: the tight "
                                "brief comes to 2 pages; the limit is 1 to 1; to shorten it, ")
    assert errors[0].endswith(f"; {tmp_path / 'out' / 'tight'} keeps its previous files (--no-limits builds it "
                              "anyway)")
    assert "(talking_points: 3)" in errors[0]  # what to cut, with the profile key that cuts it
    assert not (tmp_path / "out" / "tight").exists()
    r = run_cli("build", "--theme", str(tight_theme), "--audience", "tight", "--out", str(tmp_path / "out"),
                "--format", "pdf", "--no-limits", env=EPOCH)
    assert r.code == 0, r.err
    assert len(PdfReader(str(one(tmp_path / "out" / "tight", ".pdf"))).pages) == 2


# ---------------------------------------------------------------- profile mistakes


def _profile(tmp_path: Path, text: str) -> Path:
    theme = tmp_path / "theme"
    (theme / "audiences").mkdir(parents=True)
    path = theme / "audiences" / "mine.yaml"
    path.write_text(text)
    return path


BASE = "title: Mine\ndescription: Mine.\nparts: [bottom_line, sections]\n"


@pytest.mark.slow  # builds with a profile of the user's
@pytest.mark.parametrize(("extra", "needle", "message"), [
    ("limits:\n  brief_pages: [5, 2]\n", "brief_pages",
     "limits.brief_pages: [5, 2] is not a range: write [least, most], at least 1"),
    ("with_meeting:\n  talking_points: many\n", "talking_points",
     "with_meeting.talking_points: Input should be a valid integer, unable to parse string as an integer"),
    ("with_meeting:\n  name: other\n", "with_meeting", "with_meeting: a meeting cannot change name"),
    ("parts: [bottom_line, summary]\n", "parts: [bottom_line, summary]",
     "parts.1: Input should be 'bottom_line', 'judgments', 'toc', 'sections', 'conflicts', 'talking_points', "
     "'indicators' or 'sources'"),
])
def test_profile_mistakes_are_one_located_line(tmp_path: Path, extra: str, needle: str, message: str) -> None:
    text = BASE.replace("parts: [bottom_line, sections]\n", "") if extra.startswith("parts") else BASE
    path = _profile(tmp_path, text + extra)
    r = run_cli("build", "--theme", str(path.parent.parent), "--audience", "mine", "--out", str(tmp_path / "o"),
                cwd=tmp_path)
    assert r.code == 1
    assert "Traceback" not in r.err
    assert r.err.splitlines() == [f"theme/audiences/mine.yaml:{line_with(path, needle)}: {message}"]


@pytest.mark.slow  # a full build
def test_a_section_the_fact_base_lacks_is_a_note_not_an_error(tmp_path: Path) -> None:
    path = _profile(tmp_path, BASE + "sections: [exercises, warships]\n")
    r = run_cli("build", "--theme", str(path.parent.parent), "--audience", "mine", "--out", str(tmp_path / "o"),
                "--format", "docx", cwd=tmp_path)
    assert r.code == 0, r.err
    assert "  note: mine: the fact base has no warships; this audience reads exercises" in r.out.splitlines()


@pytest.mark.slow  # a full build
def test_each_audience_that_succeeds_is_published_and_each_failure_named(tight_theme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run_cli("build", "--theme", str(tight_theme), "--audience", "tight,executive", "--out", str(out),
                "--format", "pdf", env=EPOCH)
    assert r.code == 1
    assert "Traceback" not in r.err
    lines = r.err.splitlines()
    assert lines[-1] == "build: failed: tight; published: executive"
    assert any("limits.brief_pages: the tight brief comes to 2 pages" in line for line in lines)
    assert not (out / "tight").exists()
    assert one(out / "executive", ".pdf").stat().st_size > 0
    assert "executive: built" in r.out  # the summary of what was published


def test_with_meeting_replaces_values_key_by_key() -> None:
    executive = load_audience(PROFILES / "executive.yaml")
    meeting = executive.for_meeting()
    assert meeting.talking_points < executive.talking_points
    assert meeting.deck == executive.deck and meeting.limits == executive.limits
    nested = Audience(name="x", title="X", description="X.", parts=["sections"],
                      with_meeting={"deck": {"bullets_per_slide": 2}}).for_meeting()
    assert nested.deck.bullets_per_slide == 2 and nested.deck.section_slides  # the other deck keys are kept


def test_a_profile_copied_into_a_theme_wins_over_the_built_in_one(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(PROFILES, theme / "audiences")
    line = "description: Mine, not the built-in one."
    path = theme / "audiences" / "analyst.yaml"
    path.write_text(re.sub(r"^description: .*$", line, path.read_text(), flags=re.MULTILINE))
    r = run_cli("audiences", "--theme", str(theme))
    assert r.code == 0, r.err
    assert ["analyst", "Mine, not the built-in one."] in [line.split(None, 1) for line in r.out.splitlines()]
