"""Long words, URLs and titles stay inside the page in all three formats: a 150-character title, a section title
of one 200-character word (in the contents too, where it must not overprint its page number) and a URL glued to
its note call. Checked on where every word is drawn (`pdftotext -bbox`), the PDF as written and the DOCX and PPTX
as LibreOffice lays them out."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import replace_in, run_cli
from tests.robustness.conftest import EPOCH, facts_copy

pytestmark = pytest.mark.slow  # a full analyst build, read again through LibreOffice: `make test-fast` leaves it out

TITLE = ("Cycling in Exampleville and the surrounding municipalities of the greater metropolitan region, with a "
         "title that runs on and on")
WORD = "Spending" * 25
URL = ("https://www.exampleville.example.org/reports/transport/cycling/2023/counters/"
       "annual-summary-of-all-automatic-counters-final-version.pdf")
_WORD_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("long")
    facts = facts_copy(work / "facts")
    replace_in(facts / "analysis.yaml", "title: Cycling in Exampleville", f"title: {TITLE[:150]}")
    replace_in(facts / "factbase.yaml", "{id: money, title: Spending,", f"{{id: money, title: {WORD},")
    replace_in(facts / "facts" / "usage.yaml", "cycle trips a day in 2023.", f"cycle trips a day in 2023 (see {URL}).")
    r = run_cli("build", "--facts", str(facts), "--audience", "analyst", "--no-limits", "--out", str(work / "out"),
                cwd=work, env=EPOCH)
    assert r.code == 0, r.err
    return work / "out" / "analyst"


def words_outside(pdf: Path) -> list[str]:
    """Words drawn past a page edge, and contents entries whose text runs into their page number."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for page in html.split("</page>"):
        size = _PAGE.search(page)
        if not size:
            continue
        width, height = float(size.group(1)), float(size.group(2))
        for x0, y0, x1, y1, word in _WORD_BOX.findall(page):
            if float(x0) < 0 or float(y0) < 0 or float(x1) > width + 0.5 or float(y1) > height + 0.5:
                outside.append(f"{word[:40]} ({x0}-{x1} of {width})")
    return outside


def test_the_pdf_keeps_every_word_inside_the_page(built: Path) -> None:
    pdf = next(built.glob("*.pdf"))
    assert words_outside(pdf) == []
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    boxes = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD_BOX.findall(html)]
    numbers = [b for b in boxes if re.fullmatch(r"\d+", b[4]) and b[2] > 480]  # page numbers of the contents
    for x0, y0, x1, y1, word in boxes:
        for nx0, ny0, _nx1, ny1, _n in numbers:
            overlaps = x0 < nx0 < x1 or x0 < nx0 - 1 < x1
            same_line = min(y1, ny1) - max(y0, ny0) > 1
            assert not (overlaps and same_line and word != _n), f"{word[:30]} overprints a page number"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed; make test "
                                                               "installs it")
@pytest.mark.parametrize("suffix", [".docx", ".pptx"])
def test_the_office_files_keep_every_word_inside_the_page(built: Path, tmp_path: Path, suffix: str) -> None:
    source = next(built.glob(f"*{suffix}"))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], capture_output=True, check=True, timeout=300)
    assert words_outside(tmp_path / (source.stem + ".pdf")) == []
