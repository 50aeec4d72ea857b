"""Where text lands on a PDF's pages, read back as a reader's viewer lays it out: poppler's `pdftotext -bbox-layout`
for the lines (a word's box is as tall as its font size) and the PDF's outline for where each heading starts.

Used to find a heading or a caption stranded at the foot of a page, with nothing of what it introduces below it.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

_NS = {"x": "http://www.w3.org/1999/xhtml"}
CAPTION = re.compile(r"^(Figure|Table) \d+:")


@dataclass(frozen=True)
class Line:
    """One visual line: words at the same height on one page, left to right."""

    page: int  # 0-based
    text: str
    top: float  # points from the top of the page
    bottom: float
    size: float  # the largest font size on the line

    def __str__(self) -> str:
        return f"page {self.page + 1}, y={self.top:.0f}: {self.text!r} ({self.size:.1f} pt)"


@dataclass(frozen=True)
class Heading:
    page: int
    top: float  # points from the top of the page
    title: str


def page_lines(pdf: Path) -> list[list[Line]]:
    """Every page's lines, top to bottom; words closer than 2 pt in height are on one line."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True,
                         timeout=120).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for number, page in enumerate(root.iterfind(".//x:page", _NS)):
        words = sorted(
            ((float(w.get("yMin")), float(w.get("yMax")), float(w.get("xMin")), w.text or "")
             for w in page.iterfind(".//x:word", _NS)),
        )
        lines: list[list[tuple[float, float, float, str]]] = []
        for word in words:
            if lines and abs(lines[-1][0][1] - word[1]) < 2:
                lines[-1].append(word)
            else:
                lines.append([word])
        pages.append([Line(number, " ".join(w[3] for w in sorted(ws, key=lambda w: w[2])),
                           min(w[0] for w in ws), max(w[1] for w in ws), max(w[1] - w[0] for w in ws))
                      for ws in lines])
    return pages


def outline_headings(pdf: Path) -> list[Heading]:
    """The PDF's bookmarks in order, each with the page and height its destination points at."""
    reader = PdfReader(str(pdf))
    heights = [float(page.mediabox.height) for page in reader.pages]
    found: list[Heading] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            page = reader.get_destination_page_number(item)
            top = heights[page] - float(item.top) if item.top is not None else 0.0
            found.append(Heading(page, top, str(item.title)))

    walk(reader.outline)
    return found


def _normal(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def heading_lines(heading: Heading, pages: list[list[Line]]) -> list[Line]:
    """The lines the heading's words take, from its destination down (a long heading wraps)."""
    want = _normal(heading.title)
    got = ""
    taken: list[Line] = []
    for line in pages[heading.page]:
        if line.bottom < heading.top - 1:
            continue
        text = _normal(line.text)
        if not taken and not want.startswith(text[: max(1, min(len(text), len(want)))]):
            continue
        taken.append(line)
        got += text
        if got.startswith(want) or len(got) >= len(want):
            break
    if not taken or not got.startswith(want):
        raise AssertionError(f"heading {heading.title!r} not found on page {heading.page + 1} below y={heading.top}")
    return taken


def stranded(pdf: Path, min_size: float, follow: int = 2, table_follow: int = 4) -> list[str]:
    """Headings and figure/table captions with fewer than `follow` (`table_follow` after a table's caption) lines
    of text of at least `min_size` pt below them on their page: the reader meets the title, turns the page, and
    finds what it introduces there. The last heading of the document is exempt only if nothing follows it."""
    pages = page_lines(pdf)
    problems = []
    starts: list[tuple[str, Line]] = []
    for heading in outline_headings(pdf):
        lines = heading_lines(heading, pages)
        starts.append((f"heading {heading.title!r}", lines[-1]))
    for page in pages:
        for line in page:
            match = CAPTION.match(line.text)
            if match:
                starts.append((f"caption {line.text!r}", line))
    for label, last in starts:
        below = [line for line in pages[last.page] if line.top > last.bottom - 0.5 and line.size > min_size - 0.1]
        later = any(line.size > min_size - 0.1 for page in pages[last.page + 1:] for line in page)
        need = table_follow if label.startswith("caption 'Table") else follow
        if len(below) < need and (below or later):
            problems.append(f"{label} at the foot of page {last.page + 1}: {len(below)} line(s) follow it there")
    return problems


@dataclass(frozen=True)
class Notes:
    """Footnote numbers on one page: those called in the text and those whose note is printed there."""

    called: frozenset[int]
    printed: frozenset[int]


def footnotes(pdf: Path) -> list[Notes]:
    """Per page: a call is a number set small and raised just after a larger word (a superscript); a note is a
    small number with a full stop at the left edge of the notes ("12."), where a wrapped note's lines do not start."""
    pages = []
    for page in PdfReader(str(pdf)).pages:
        chunks: list[tuple[float, float, float, str]] = []  # size, x, y, text

        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float,
                  chunks: list[tuple[float, float, float, str]] = chunks) -> None:
            if text.strip():
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                chunks.append((size * tm[3] * cm[3], x, y, text.strip()))

        page.extract_text(visitor_text=visit)
        called = {int(text) for (size0, _, y0, _), (size, _, y, text) in itertools.pairwise(chunks)
                  if re.fullmatch(r"[1-9]\d{0,3}", text) and size < 0.8 * size0 and 1 < y - y0 < 0.6 * size0}
        markers = [(x, int(text[:-1])) for size, x, _, text in chunks
                   if size < 0.8 * max(c[0] for c in chunks) and re.fullmatch(r"\d{1,4}\.", text)]
        edge = min((x for x, _ in markers), default=0.0)
        printed = {n for x, n in markers if x < edge + 2}
        pages.append(Notes(frozenset(called), frozenset(printed)))
    return pages
