"""End to end: build the real bundle through the CLI, then open each file as a reader's software would."""

from __future__ import annotations

import email
import hashlib
import json
import re
import zipfile
from email import policy
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader

from briefkit.factbase import load_factbase
from briefkit.factbase.numbers import quantities
from conftest import SEEDS, run_cli

pytestmark = pytest.mark.slow  # every test reads the bundle of one full build, or builds again: `make test-fast` leaves it out

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    r = run_cli("build", "--audience", "analyst", "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    return out / "analyst"


def _one(folder: Path, suffix: str) -> Path:
    found = sorted(folder.glob(f"*{suffix}"))
    assert len(found) == 1, found
    return found[0]


def docx_text(path: Path) -> str:
    doc = DocxDocument(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def deck_text(path: Path) -> str:
    prs = Presentation(str(path))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


def test_files_are_named_for_what_they_are(bundle: Path) -> None:
    names = sorted(p.name for p in bundle.iterdir())
    assert names == [
        "china-tajikistan_analyst_2026-01-01_brief.docx",
        "china-tajikistan_analyst_2026-01-01_brief.pdf",
        "china-tajikistan_analyst_2026-01-01_deck.pptx",
        "china-tajikistan_analyst_2026-01-01_email.eml",
        "manifest.json",
        "said.json",  # what the brief said, for `briefkit diff` and `build --since` (decision 66)
    ]


def test_manifest_lists_every_file_with_its_digest(bundle: Path) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["audience"] == "analyst"
    assert manifest["facts_digest"] == load_factbase(SEEDS).digest
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {p.name for p in bundle.iterdir()} - {"manifest.json"}
    for name, entry in listed.items():
        data = (bundle / name).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_docx_has_sections_footnotes_charts_and_tables(bundle: Path) -> None:
    path = _one(bundle, ".docx")
    doc = DocxDocument(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    fb = load_factbase(SEEDS)
    for section in fb.info.sections:
        assert section.title in headings
    for title in ("Key judgments", "Where sources differ", "Sources"):
        assert title in headings
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml").decode()
    refs = len(re.findall(r"<w:footnoteReference ", body))
    defined = len(re.findall(r'<w:footnote w:id="[1-9]\d*"', notes))
    assert refs == defined >= 80
    assert body.count("<c:chart") + body.count("<pic:pic") >= 4 + 1  # charts plus the logo
    assert len(doc.tables) >= 3 + 1  # data tables plus the bottom-line box


def test_pdf_has_the_same_headings_and_numbers(bundle: Path) -> None:
    pdf = _one(bundle, ".pdf")
    reader = PdfReader(str(pdf))
    assert 6 <= len(reader.pages) <= 15
    text = pdf_text(pdf)
    for title in ("Key judgments", "Where sources differ", "Facilities and the border"):
        assert title in text
    assert reader.metadata.title == "China's security engagement in Tajikistan"


def _numbers(text: str) -> set[float]:
    return {q.value for q in quantities(text.replace("\u00a0", " "))}


def test_key_numbers_equal_the_fact_base(bundle: Path) -> None:
    text = docx_text(_one(bundle, ".docx"))
    fb = load_factbase(SEEDS)
    shown = [f for f in fb.facts.values() if f.statement[:60] in text]
    assert len(shown) >= 60
    found = _numbers(text)
    for fact in shown:
        for value in fact.values:
            assert value.value in found, (fact.id, value.value)


def test_every_number_in_the_deck_is_in_the_brief(bundle: Path) -> None:
    deck = _numbers(deck_text(_one(bundle, ".pptx")))
    brief = _numbers(docx_text(_one(bundle, ".docx"))) | _numbers(pdf_text(_one(bundle, ".pdf")))
    missing = {n for n in deck if n not in brief and n > 31}  # small integers are slide and page furniture
    assert not missing


def test_deck_matches_the_brief(bundle: Path) -> None:
    prs = Presentation(str(_one(bundle, ".pptx")))
    assert 8 <= len(prs.slides) <= 15
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert len(titles) == len(prs.slides)
    assert "Bottom line" in titles and "Key judgments" in titles and "Sources" in titles
    charts = [sh for s in prs.slides for sh in s.shapes if getattr(sh, "has_chart", False) and sh.has_chart]
    assert charts
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert sum(1 for n in notes if n.strip()) >= len(prs.slides) - 1


def test_email_carries_the_three_files(bundle: Path) -> None:
    msg = email.message_from_bytes(_one(bundle, ".eml").read_bytes(), policy=policy.default)
    assert "China's security engagement in Tajikistan" in msg["Subject"]
    attached = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
    for suffix in (".docx", ".pdf", ".pptx"):
        path = _one(bundle, suffix)
        assert attached[path.name] == path.read_bytes()
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Bottom line" in body


def test_two_builds_are_byte_identical(bundle: Path, tmp_path: Path) -> None:
    r = run_cli("build", "--audience", "analyst", "--out", str(tmp_path), env=EPOCH)
    assert r.code == 0, r.err
    for path in bundle.iterdir():
        assert (tmp_path / "analyst" / path.name).read_bytes() == path.read_bytes(), path.name


def test_no_op_rebuild_reuses_outputs(bundle: Path) -> None:
    out = bundle.parent
    before = {p.name: p.stat().st_mtime_ns for p in bundle.iterdir()}
    r = run_cli("build", "--audience", "analyst", "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    assert "up to date" in r.out + r.err
    assert {p.name: p.stat().st_mtime_ns for p in bundle.iterdir()} == before


def test_sizes_are_small(bundle: Path) -> None:
    for path in bundle.iterdir():
        assert path.stat().st_size < (10_000_000 if path.suffix == ".eml" else 5_000_000)
