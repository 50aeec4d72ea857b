"""Which font draws a character: the theme's body or heading font when it has the character, else the first font
of the theme's fallback chain for the character's script that has it (decision 75).

Every format asks this one place: the PDF lists the same fonts in its font stack, the DOCX and PPTX name the font of
each run's script in its east-Asian or complex-script slot, the deck's text fitting measures a character with the
font that draws it, the charts give matplotlib the same list, and the glyph check reports what no font here has.
Coverage is read from each font file's character map once per process (`writers/sfnt.py`).
"""

from __future__ import annotations

from functools import lru_cache

from briefkit.scripts import runs, script_of
from briefkit.theme.model import FontChoice, Fonts, Theme
from briefkit.writers.textfit import FontMetrics, metrics

# Characters no font needs to draw: controls, format marks (joiners, direction marks), variation selectors, spaces.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs", "Cn"})


def _drawn(char: str) -> bool:
    import unicodedata

    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False
    return unicodedata.category(char) not in _INVISIBLE


class FontChain:
    """The fonts that draw text set in `primary` (the body or heading font), script by script."""

    def __init__(self, primary: FontChoice, fonts: Fonts, bold: bool = False) -> None:
        self.primary = primary
        self.fonts = fonts
        self.bold = bold
        self._hash = hash((primary, fonts, bold))  # looked up by the caches below on every character

    def candidates(self, script: str) -> tuple[FontChoice, ...]:
        """The fonts tried for a character of `script`, in order."""
        return (self.primary, *(f for f in self.fonts.chain(script) if f != self.primary))

    def font_for(self, char: str) -> FontChoice | None:
        """The font that draws `char`, None when no font of the chain has it. Invisible characters need none:
        they are given the primary font."""
        return _font_for(self, char)

    def metrics_for(self, char: str) -> FontMetrics:
        """The widths of the font that draws `char` (the primary font's .notdef when none has it)."""
        font = self.font_for(char) or self.primary
        return metrics(font.family, self.bold)

    def measurer(self, bold: bool) -> ChainMetrics:
        """Widths for `writers/textfit.py`: each character in the font that draws it."""
        return chain_metrics(FontChain(self.primary, self.fonts, bold))

    def run_font(self, script: str, text: str) -> FontChoice:
        """The font for a run of one script: the first of its candidates that has every character it draws, else
        the one that draws its first character."""
        drawn = [c for c in text if _drawn(c)]
        for font in self.candidates(script):
            if all(_has(font.family, c) for c in drawn):
                return font
        return next((f for c in drawn if (f := self.font_for(c)) is not None), self.primary)

    def families(self) -> list[str]:
        """Every family of the chain, primary first, each once: a font stack for CSS or matplotlib."""
        every = [self.primary, *(f for _script, chain in self.fonts.fallback for f in chain)]
        return list(dict.fromkeys(f.family for f in every))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FontChain) and (self.primary, self.fonts, self.bold) == (
            other.primary, other.fonts, other.bold)


@lru_cache(maxsize=65536)
def _font_for(chain: FontChain, char: str) -> FontChoice | None:
    if not _drawn(char):
        return chain.primary
    script = script_of(char)
    for font in chain.candidates("other" if script == "common" else script):
        if _has(font.family, char):
            return font
    if script == "common":  # a digit or a mark: any script's font may have it
        for _script, fonts in chain.fonts.fallback:
            for font in fonts:
                if _has(font.family, char):
                    return font
    return None


@lru_cache(maxsize=262144)
def _has(family: str, char: str) -> bool:
    """A font that is not installed draws nothing (fontconfig would answer for it with another font's file)."""
    return family.lower() in _installed() and metrics(family).has(char)


@lru_cache(maxsize=1)
def _installed() -> frozenset[str]:
    from briefkit.theme.load import installed_families

    return frozenset(installed_families()[0])


class ChainMetrics:
    """Widths of text drawn through a chain: each character measured in the font that draws it. Units are
    1/65536 em, whole numbers, so the widths of parts add up exactly as `FontMetrics` units do."""

    EM = 65536

    def __init__(self, chain: FontChain) -> None:
        self.chain = chain
        self._cache: dict[str, int] = {}

    def _advance(self, char: str) -> int:
        if char not in self._cache:
            font = self.chain.metrics_for(char)
            self._cache[char] = round(font.units(char) * self.EM / font.units_per_em)
        return self._cache[char]

    def units(self, text: str) -> int:
        return sum(self._advance(c) for c in text)

    def points(self, units: int, size: float) -> float:
        return units * size / self.EM

    def width(self, text: str, size: float) -> float:
        return self.points(self.units(text), size)


@lru_cache(maxsize=64)
def chain_metrics(chain: FontChain) -> ChainMetrics:
    return ChainMetrics(chain)


@lru_cache(maxsize=16)
def _measured(primary: FontChoice, fonts: Fonts) -> FontChain:
    return FontChain(primary, fonts)


def measured(theme: Theme, role: str = "body") -> FontChain:
    """The font text set in the theme's `role` font ("body" or "heading") is measured with: its chain."""
    return _measured(getattr(theme.fonts, role), theme.fonts)


def office_runs(text: str, chain: FontChain) -> list[tuple[str, str, FontChoice]]:
    """`text` cut where the script changes, as (script, piece, the font that draws the piece)."""
    return [(script, piece, chain.run_font(script, piece)) for script, piece in runs(text)]


def is_drawn(char: str) -> bool:
    """Whether a character is drawn with a glyph (not a space, a control or an invisible format mark)."""
    return _drawn(char)
