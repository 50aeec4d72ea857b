"""Reading built files back as readers' software does: glyph ids from a PDF's text trace (PyMuPDF), and office
files converted to PDF by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

pymupdf = pytest.importorskip("pymupdf", reason="PyMuPDF reads the glyph ids (pip install -e '.[test]')")


def glyph_problems(pdf: Path) -> list[str]:
    """Every drawn character whose glyph is .notdef (0), and every glyph that stands for three or more different
    characters (a font's box drawn for whatever it lacks). Two are allowed: Arabic's lam-alef and Latin's fi are
    one glyph for two letters.

    A glyph id means one glyph only within one embedded font. LibreOffice embeds a large font as several subsets
    under one name, and the text trace names fonts without their subset tags: for such a name, glyphs are
    compared within one span (which one font draws) instead of across the document."""
    problems: list[str] = []
    chars_of: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    with pymupdf.open(pdf) as doc:
        subsets: dict[str, set[int]] = defaultdict(set)
        for page in doc:
            for xref, _ext, _type, basefont, *_rest in page.get_fonts():
                subsets[basefont.split("+", 1)[-1]].add(xref)
        shared = {name for name, xrefs in subsets.items() if len(xrefs) > 1}
        for number, page in enumerate(doc, start=1):
            for n, span in enumerate(page.get_texttrace()):
                font = span["font"]
                ambiguous = any(name.startswith(font) for name in shared)
                for code, glyph, _origin, _bbox in span["chars"]:
                    char = chr(code) if code > 0 else ""
                    if not char.strip() or glyph < 0:  # -1: the second letter of a ligature (fi), no glyph of its own
                        continue
                    if glyph == 0:
                        problems.append(f"page {number}: {char!r} (U+{code:04X}) drawn as glyph 0 in {font}")
                    chars_of[(font, glyph, (number << 20) + n if ambiguous else 0)].add(char)
    for (font, glyph, _span), chars in chars_of.items():
        if len(chars) > 2:
            problems.append(f"glyph {glyph} of {font} stands for {len(chars)} characters: {''.join(sorted(chars))}")
    return problems


def text_of(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return "\n".join(page.get_text() for page in doc)


def fonts_drawing(pdf: Path, chars: str) -> dict[str, set[str]]:
    """For each of `chars` found in the PDF, the fonts that draw it."""
    found: dict[str, set[str]] = defaultdict(set)
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for span in page.get_texttrace():
                for code, _glyph, _origin, _bbox in span["chars"]:
                    if code > 0 and chr(code) in chars:
                        found[chr(code)].add(span["font"])
    return found


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is missing: scripts/system-deps.sh --test installs it")


def convert(paths: list[Path], out: Path) -> list[Path]:
    """Office files to PDF with LibreOffice, headless, with a profile of its own."""
    profile = out / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, paths)], check=True, capture_output=True, timeout=300)
    return [out / (p.stem + ".pdf") for p in paths]
