"""Measuring text with the real font's advance widths, so a writer can prove that text fits its box.

Takes paragraphs (text, size, weight, left margin) and a box in points; returns line counts, heights and
whether they fit, or chunks of paragraphs that each fit. Office applications wrap greedily at spaces and
give a line about 1.2 x the font size; we do the same, without kerning, so the estimate errs on the wide side.
The font file is the one fontconfig picks for the family (`fc-match`), as LibreOffice would.
"""

from __future__ import annotations

import bisect
import itertools
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache

from briefkit.writers.sfnt import SfntMetrics

LINE_HEIGHT = 1.2  # a line's height as a multiple of the font size


@dataclass(frozen=True)
class Para:
    """One paragraph to measure: `indent` is where its text starts (a bullet's hanging margin), in points;
    `space_before` is added above it unless it opens the box."""

    text: str
    size: float
    bold: bool = False
    indent: float = 0.0
    space_before: float = 0.0
    tag: int = -1  # the caller's own reference (e.g. the bullet's index), kept through `chunk_to_fit`


class FontMetrics:
    """Advance widths of one font file, in font units, with the character map to find them."""

    def __init__(self, path: str, index: int = 0) -> None:
        self._font = SfntMetrics(path, index)
        self._units = self._font.units_per_em
        self._cache: dict[str, int] = {}

    def _advance(self, char: str) -> int:
        """A character the font lacks is drawn as its .notdef glyph (glyph 0), and as wide."""
        if char not in self._cache:
            self._cache[char] = self._font.advance(self._font.glyph(ord(char)))
        return self._cache[char]

    def width(self, text: str, size: float) -> float:
        """The width of `text` set at `size` points, in points."""
        return self.points(self.units(text), size)

    def units(self, text: str) -> int:
        """The width of `text` in font units: whole numbers, so widths of parts add up exactly."""
        return sum(self._advance(c) for c in text)

    def points(self, units: int, size: float) -> float:
        return units * size / self._units


def font_file(family: str, bold: bool = False) -> str:
    """The font file fontconfig uses for `family` (what LibreOffice renders with on this machine)."""
    return _font_face(family, bold)[0]


@lru_cache(maxsize=64)
def _font_face(family: str, bold: bool) -> tuple[str, int]:
    """The file, and the font's place in it when the file is a collection (.ttc)."""
    pattern = f"{family}:bold" if bold else family
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", pattern], capture_output=True, text=True,
                             check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"fc-match could not find a font for {pattern!r}: {exc}") from exc
    path, _, index = out.stdout.strip().partition("\n")
    if not path:
        raise RuntimeError(f"fc-match found no font file for {pattern!r}")
    return path, int(index or 0)


@lru_cache(maxsize=64)
def metrics(family: str, bold: bool = False) -> FontMetrics:
    return FontMetrics(*_font_face(family, bold))


def text_width(text: str, size: float, family: str, bold: bool = False) -> float:
    return metrics(family, bold).width(text, size)


def wrap(text: str, width: float, size: float, family: str, bold: bool = False) -> list[str]:
    """Greedy word wrap of `text` to `width` points; a newline forces a break, a word wider than the line is
    broken between characters, as Office does."""
    font = metrics(family, bold)
    space = font.units(" ")
    lines: list[str] = []
    for segment in text.split("\n"):
        current, used = "", 0  # the line so far, and its width in font units (added word by word, exactly)
        for word in segment.split(" "):
            extra = font.units(word)
            if not current or font.points(used + space + extra, size) <= width:
                current, used = (f"{current} {word}", used + space + extra) if current else (word, extra)
            else:
                lines.append(current)
                current, used = word, extra
            while font.points(used, size) > width and len(current) > 1 and " " not in current:
                cut = _break_point(current, width, size, font)
                lines.append(current[:cut])
                current = current[cut:]
                used = font.units(current)
        lines.append(current)
    return lines


def _break_point(word: str, width: float, size: float, font: FontMetrics) -> int:
    """Where a word too wide for a line breaks: after its last hyphen that fits, else after the last
    character that fits."""
    cut, used = 1, font.units(word[0])
    while cut < len(word) and font.points(used + font.units(word[cut]), size) <= width:
        used += font.units(word[cut])
        cut += 1
    hyphen = word.rfind("-", 0, cut)
    return hyphen + 1 if hyphen > 0 else cut


def line_count(para: Para, width: float, family: str) -> int:
    return len(wrap(para.text, width - para.indent, para.size, family, para.bold))


def paragraph_height(para: Para, width: float, family: str) -> float:
    """Height of the paragraph's lines alone, without the space before it."""
    return line_count(para, width, family) * LINE_HEIGHT * para.size


def text_height(paras: list[Para], width: float, family: str) -> float:
    """Height of paragraphs stacked in a box `width` points wide (the first one's space before is dropped)."""
    heights = [paragraph_height(p, width, family) for p in paras]
    return sum(heights) + sum(p.space_before for p in paras[1:])


def fits(paras: list[Para], width: float, height: float, family: str) -> bool:
    """Whether the paragraphs fit a box of `width` x `height` points (the box less its insets)."""
    return text_height(paras, width, family) <= height


def chunk_to_fit(paras: list[Para], width: float, height: float, family: str) -> list[list[Para]]:
    """Split paragraphs into as few chunks as fit the box, evened out so the last chunk is not a stray line.

    A paragraph taller than the box on its own is cut between lines into pieces that fit.
    """
    pieces = [piece for p in paras for piece in _cut_paragraph(p, width, height, family)]
    if not pieces:
        return []
    heights = [paragraph_height(p, width, family) for p in pieces]
    spaces = [p.space_before for p in pieces]
    return [pieces[a:b] for a, b in balanced_spans(heights, height, spaces)]


def balanced_spans(heights: list[float] | list[int], height: float,
                   spaces: list[float] | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of consecutive items, each no taller than `height`: as few spans as greedy filling
    needs, with the items spread evenly over them. `spaces[i]` is the gap above item i inside a span.

    O(n log n) in items: a deck table of 2,000 rows is paginated as fast, per row, as one of 200."""
    gaps = list(spaces) if spaces is not None else [0.0] * len(heights)
    if not heights:
        return []
    return _Spans([float(h) for h in heights], [float(g) for g in gaps], height).even()


def _cut_paragraph(para: Para, width: float, height: float, family: str) -> list[Para]:
    lines = wrap(para.text, width - para.indent, para.size, family, para.bold)
    per_box = max(1, int(height // (LINE_HEIGHT * para.size)))
    if len(lines) <= per_box:
        return [para]
    return [replace(para, text=" ".join(lines[i:i + per_box])) for i in range(0, len(lines), per_box)]


class _Spans:
    """Spans of consecutive items by prefix sums. `reach[s]` is the furthest end of a span starting at `s` that
    fits (at least one item, which may be taller than the box on its own), and `need[s]` the fewest spans that
    cover the items from `s` on: greedy filling, which is optimal for the count."""

    def __init__(self, heights: list[float], gaps: list[float], height: float) -> None:
        n = len(heights)
        self.n = n
        self.tops = list(itertools.accumulate(heights, initial=0.0))
        self.gaps = list(itertools.accumulate(gaps, initial=0.0))
        self.reach = [0] * n
        end = 0
        for start in range(n):
            end = max(end, start + 1)
            while end < n and self.height(start, end + 1) <= height:
                end += 1
            self.reach[start] = end
        self.need = [0] * (n + 1)
        for start in range(n - 1, -1, -1):
            self.need[start] = 1 + self.need[self.reach[start]]
        self.positions = [self.tops[i] + self.gaps[i] for i in range(n + 1)]  # item i's top in one long column

    def height(self, a: int, b: int) -> float:
        """Items a..b-1 stacked: their heights and the gaps above all but the first."""
        return self.tops[b] - self.tops[a] + self.gaps[b] - self.gaps[a + 1]

    def even(self) -> list[tuple[int, int]]:
        """`need[0]` spans, each ending as near as it can to an even share of what is left, while the rest can
        still be covered by the spans that remain."""
        spans, start, left = [], 0, self.need[0]
        while start < self.n:
            last = self.reach[start]
            if left == 1:
                end = last
            else:
                first = self._first_end(start + 1, last, left - 1)
                target = self.positions[start] + (self.positions[self.n] - self.positions[start]) / left
                end = min(self._near(first, last, target), key=lambda e: (abs(self.positions[e] - target), e))
            spans.append((start, end))
            start, left = end, left - 1
        return spans

    def _first_end(self, lo: int, hi: int, spans_left: int) -> int:
        """The smallest end in [lo, hi] after which `spans_left` spans still cover the rest (`need` only falls)."""
        while lo < hi:
            mid = (lo + hi) // 2
            if self.need[mid] <= spans_left:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _near(self, lo: int, hi: int, target: float) -> range:
        """The two ends in [lo, hi] on either side of `target` (positions only grow)."""
        at = bisect.bisect_left(self.positions, target, lo, hi + 1)
        return range(max(lo, at - 1), min(hi, at) + 1)
