"""The fonts a chart is drawn in: the theme's body font, then its fallback chain (decision 75), as matplotlib's
font list, which it searches glyph by glyph. matplotlib's own font list is a cache made when it first ran: fonts
installed since (the Noto fonts of `scripts/system-deps.sh`, say) are missing from it, and matplotlib would warn
"Glyph N missing" and draw boxes. Those are added to it here from the files fontconfig names.
"""

from __future__ import annotations

from functools import lru_cache

from briefkit.fontchain import FontChain
from briefkit.scripts import COMPLEX, script_of
from briefkit.theme.model import Theme


def chart_families(theme: Theme) -> list[str]:
    """The body font's chain, then Carlito and DejaVu Sans (shipped with matplotlib), each one matplotlib knows."""
    wanted = [*FontChain(theme.fonts.body, theme.fonts).families(), "Carlito", "DejaVu Sans"]
    known = _known_families(tuple(dict.fromkeys(wanted)))
    return [f for f in dict.fromkeys(wanted) if f in known] or ["DejaVu Sans"]


@lru_cache(maxsize=16)
def _known_families(wanted: tuple[str, ...]) -> frozenset[str]:
    """The families of `wanted` matplotlib can draw with, after adding those fontconfig has and it lacks."""
    from matplotlib import font_manager

    from briefkit.theme.load import installed_families
    from briefkit.writers.textfit import font_file

    manager = font_manager.fontManager
    known = {f.name for f in manager.ttflist}
    usable, _listed = installed_families()
    files = {font_file(family, bold) for family in wanted if family not in known and family.lower() in usable
             for bold in (False, True)}
    for path in sorted(files):
        try:
            manager.addfont(path)  # every face of a collection (.ttc)
        except (OSError, RuntimeError, ValueError):
            continue
    return frozenset(f.name for f in manager.ttflist)


def needs_shaped_paths(texts: list[str]) -> bool:
    """Whether a chart's labels hold right-to-left script. matplotlib shapes and orders them (its text layout is
    libraqm's), but WeasyPrint draws SVG text letter by letter, left to right: such a chart's SVG carries its
    text as drawn outlines instead."""
    return any(ord(c) >= 0x0590 and script_of(c) in COMPLEX for text in texts for c in text)
