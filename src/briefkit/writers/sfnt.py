"""Advance widths read straight from a TrueType or OpenType file: its 'cmap', 'hmtx', 'hhea' and 'head' tables.

Text fitting needs a character's glyph and that glyph's width, a few hundred times per deck. fontTools parses
whole tables into Python objects and costs 0.07 s to import and load two faces (measured); this reads the few
bytes each lookup needs. `tests/writers/test_sfnt.py` checks it against fontTools for every installed font.
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Callable
from pathlib import Path

# The character maps looked for, best first (as fontTools' getBestCmap): full Unicode, then the BMP.
_CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class FontFileError(ValueError):
    """The file is not a TrueType or OpenType font this reader understands."""


class SfntMetrics:
    """Glyph advances of one font, in font units, looked up character by character without parsing whole tables."""

    def __init__(self, path: str, index: int = 0) -> None:
        self._data = data = Path(path).read_bytes()
        try:
            tables = _tables(data, index)
            self.units_per_em = _u16(data, tables[b"head"] + 18)
            self._hmetrics = _u16(data, tables[b"hhea"] + 34)
            self._hmtx = tables[b"hmtx"]
            self._lookup = _cmap_lookup(data, tables[b"cmap"])
        except (KeyError, struct.error, IndexError) as exc:
            raise FontFileError(f"{path}: not a font file with character widths ({exc})") from None

    def glyph(self, codepoint: int) -> int:
        """The glyph for a character, 0 (.notdef) if the font has none."""
        return self._lookup(codepoint)

    def advance(self, glyph: int) -> int:
        """A glyph's advance width in font units (glyphs past the last full metric share its advance)."""
        return _u16(self._data, self._hmtx + 4 * min(glyph, self._hmetrics - 1))


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from(">H", data, at)[0]


def _tables(data: bytes, index: int) -> dict[bytes, int]:
    base = 0
    if data[:4] == b"ttcf":  # a collection: the font at `index`
        base = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    if data[base:base + 4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise KeyError("no TrueType or OpenType header")
    count = _u16(data, base + 4)
    records = (struct.unpack_from(">4sII", data, base + 12 + 16 * i) for i in range(count))
    return {tag: offset for tag, _checksum, offset in records}


def _cmap_lookup(data: bytes, cmap: int) -> Callable[[int], int]:
    count = _u16(data, cmap + 2)
    found: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        found.setdefault((platform, encoding), cmap + offset)
    for key in _CMAP_PREFERENCE:
        if key in found:
            return _subtable_lookup(data, found[key])
    raise KeyError("no Unicode character map")


def _subtable_lookup(data: bytes, at: int) -> Callable[[int], int]:
    fmt = _u16(data, at)
    if fmt == 4:
        seg_x2 = _u16(data, at + 6)
        segs = seg_x2 // 2
        ends = struct.unpack_from(f">{segs}H", data, at + 14)
        starts = struct.unpack_from(f">{segs}H", data, at + 16 + seg_x2)
        deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 2 * seg_x2)
        range_at = at + 16 + 3 * seg_x2
        ranges = struct.unpack_from(f">{segs}H", data, range_at)

        def lookup4(c: int) -> int:
            i = bisect.bisect_left(ends, c)
            if c > 0xFFFF or i == segs or starts[i] > c:
                return 0
            if ranges[i] == 0:
                return (c + deltas[i]) & 0xFFFF
            glyph = _u16(data, range_at + 2 * i + ranges[i] + 2 * (c - starts[i]))
            return (glyph + deltas[i]) & 0xFFFF if glyph else 0

        return lookup4
    if fmt in (12, 13):
        groups = struct.unpack_from(">I", data, at + 12)[0]
        triples = [struct.unpack_from(">III", data, at + 16 + 12 * i) for i in range(groups)]
        group_ends = [t[1] for t in triples]

        def lookup12(c: int) -> int:
            i = bisect.bisect_left(group_ends, c)
            if i == groups or triples[i][0] > c:
                return 0
            start, _end, glyph = triples[i]
            return glyph + (c - start) if fmt == 12 else glyph

        return lookup12
    if fmt == 6:
        first, entries = struct.unpack_from(">HH", data, at + 6)
        return lambda c: _u16(data, at + 10 + 2 * (c - first)) if first <= c < first + entries else 0
    if fmt == 0:
        return lambda c: data[at + 6 + c] if c < 256 else 0
    raise KeyError(f"character map format {fmt}")
