"""The font reader behind PPTX text fitting gives the widths fontTools reads, for every font on the machine."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefkit.writers.sfnt import FontFileError, SfntMetrics
from briefkit.writers.textfit import font_file, metrics

pytestmark = pytest.mark.slow  # reads every installed font: `make test-fast` leaves it out


def _installed() -> list[tuple[str, int]]:
    listed = subprocess.run(["fc-list", "--format", "%{file}|%{index}\n"], capture_output=True, text=True,
                            check=True).stdout.split("\n")
    faces = {(path, int(index)) for path, _, index in (line.rpartition("|") for line in listed if line)}
    return sorted(face for face in faces if face[0].lower().endswith((".ttf", ".otf", ".ttc")))


def test_every_installed_font_reads_as_fonttools_reads_it() -> None:
    faces = _installed()
    assert faces, "fc-list lists no TrueType or OpenType font"
    for path, index in faces:
        font = TTFont(path, fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        advances = {name: advance for name, (advance, _lsb) in font["hmtx"].metrics.items()}
        order = font.getGlyphOrder()
        ours = SfntMetrics(path, index)
        assert ours.units_per_em == font["head"].unitsPerEm, path
        for code in [*cmap, *range(0, 0x3000, 7), 0x10FFFF]:
            glyph = ours.glyph(code)
            if code in cmap:
                assert order[glyph] == cmap[code], (path, hex(code))
                assert ours.advance(glyph) == advances[cmap[code]], (path, hex(code))
            else:
                assert glyph == 0, (path, hex(code))  # drawn as .notdef
        assert ours.advance(0) == advances[order[0]], path


def test_a_missing_character_is_as_wide_as_the_missing_glyph_box() -> None:
    regular = metrics("Carlito")
    notdef = SfntMetrics(font_file("Carlito")).advance(0)
    assert regular.units("\U0001F600") == notdef  # an emoji Carlito does not have


def test_a_file_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all" * 10)
    with pytest.raises(FontFileError, match=r"fake\.ttf"):
        SfntMetrics(str(fake))
