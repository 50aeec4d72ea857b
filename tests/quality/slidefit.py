"""Does the text on a slide fit its box? Measured from the PPTX file alone, with the advance widths of the font file
that fontconfig gives for the font the runs name (Calibri -> Carlito, its metric twin), as a viewer lays it out:
greedy wrapping at spaces, lines 1.2 x their size, the paragraph's space before, the box's insets.

Independent of briefkit's own `textfit`: it reads back what was written (each run's size, weight and font, each
paragraph's indent and spacing), so it also catches a writer that measured one thing and wrote another.
"""

from __future__ import annotations

import subprocess
from functools import cache

from fontTools.ttLib import TTFont
from lxml import etree

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
EMU_PER_PT = 12700
DEFAULT_INSETS = (91440, 45720, 91440, 45720)  # left, top, right, bottom: DrawingML's defaults
LINE = 1.2  # a line's height as a multiple of its largest size
Char = tuple[str, float, str, bool]  # character, size, font family, bold


@cache
def _advances(family: str, bold: bool) -> tuple[dict[int, int], int]:
    path = subprocess.run(["fc-match", "-f", "%{file}", f"{family}:bold" if bold else family],
                          capture_output=True, text=True, check=True, timeout=30).stdout.strip()
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def _width(chars: list[Char]) -> float:
    total = 0.0
    for char, size, family, bold in chars:
        advances, units = _advances(family, bold)
        total += advances.get(ord(char), units // 2) * size / units
    return total


def _lines(paragraph: etree._Element, font: str) -> list[list[Char]]:
    """The paragraph's characters with their run's look, split at explicit line breaks."""
    lines: list[list[Char]] = [[]]
    for child in paragraph:
        tag = etree.QName(child).localname
        if tag == "br":
            lines.append([])
        elif tag in ("r", "fld"):
            rpr = child.find("a:rPr", NS)
            size = int(rpr.get("sz", 1800)) / 100 if rpr is not None else 18.0
            bold = rpr is not None and rpr.get("b") in ("1", "true")
            latin = rpr.find("a:latin", NS) if rpr is not None else None
            family = latin.get("typeface") if latin is not None else font
            lines[-1].extend((c, size, family, bold) for c in "".join(t.text or "" for t in child.iterfind("a:t", NS)))
    return lines


def _wrapped(chars: list[Char], room: float) -> int:
    """Lines after greedy wrapping at spaces; a word wider than the line breaks between characters."""
    words: list[list[Char]] = [[]]
    for char in chars:
        if char[0] == " ":
            words.append([])
        else:
            words[-1].append(char)
    lines, used = 1, 0.0
    for word in words:
        space = _width([(" ", *word[0][1:])]) if word else 0.0
        w = _width(word)
        if used and used + space + w > room:
            lines += 1
            used = w
        else:
            used += (space if used else 0.0) + w
        while used > room and len(word) > 1:  # an unbreakable word wider than the line
            lines += 1
            used -= room
    return lines


def overflow(body: etree._Element, box_width: int, box_height: int, font: str = "Calibri",
             insets: tuple[int, int, int, int] | None = None) -> float:
    """Points by which the text of a txBody is taller than its box less its insets (the body's own, or `insets`
    for a table cell); <= 0 when it fits."""
    bpr = body.find("a:bodyPr", NS)
    left, top, right, bottom = insets or tuple(
        int(bpr.get(key, default)) if bpr is not None else default
        for key, default in zip(("lIns", "tIns", "rIns", "bIns"), DEFAULT_INSETS, strict=True))
    room = (box_width - left - right) / EMU_PER_PT
    needed = 0.0
    for n, paragraph in enumerate(body.iterfind("a:p", NS)):
        ppr = paragraph.find("a:pPr", NS)
        indent = int(ppr.get("marL", 0)) / EMU_PER_PT if ppr is not None else 0.0
        end = paragraph.find("a:endParaRPr", NS)
        sizes = [int(r.get("sz")) / 100 for r in paragraph.iterfind("a:r/a:rPr", NS) if r.get("sz")]
        size = max(sizes) if sizes else (int(end.get("sz", 1800)) / 100 if end is not None else 18.0)
        before = paragraph.find("a:pPr/a:spcBef/a:spcPts", NS)
        if n and before is not None:
            needed += int(before.get("val")) / 100
        for line in _lines(paragraph, font):
            needed += _wrapped(line, room - indent) * LINE * size
    return needed - (box_height - top - bottom) / EMU_PER_PT
