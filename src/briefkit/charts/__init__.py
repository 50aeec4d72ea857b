"""Charts: a chart spec and the fact base in, a `Figure` out (its picture, the data, alt text and source note).

Stages: `registry` picks the family; the family's `prepare` turns the dataset (or the facts) into a `Plot`
(`data`, `timeline`); its `draw` makes a matplotlib figure in the house style (`style`, `bar`, `stacked`);
`export` writes reproducible bytes; `alt` describes the numbers in words. A pure function of its inputs.
"""

from __future__ import annotations

import warnings
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from briefkit.cache import UNKEYED, Store, code_version, digest
from briefkit.charts.alt import alt_text
from briefkit.charts.data import Plot, chart_data, fold_series
from briefkit.charts.registry import family
from briefkit.charts.style import MAX_SERIES, names_fit_level, series_fills
from briefkit.document.model import Figure
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec
from briefkit.theme.model import Theme

__all__ = ["PLACEHOLDER", "PLACEHOLDER_MARK", "Drawing", "build_figure", "draw_in_turn"]

PLACEHOLDER = "briefkit chart to draw: "  # the description of a placeholder, before the chart's key
# A placeholder draws one rectangle of this size (points; too small to see), which no chart or page draws: a PDF
# writer can tell that a placeholder was printed instead of its chart (`writers/pdf_charts.placeholders_left`).
PLACEHOLDER_MARK = ("0.0173", "0.0091")


def build_figure(spec: ChartSpec, fb: FactBase, theme: Theme, number: int = 0, store: Store | None = None) -> Figure:
    """The chart `spec` describes, from `fb`, in `theme`'s house style: its words and data now, its picture when
    a writer asks for it (`Drawing`). With a `store`, pictures are kept under a hash of what they are drawn from."""
    kind = family(spec.family)
    plot = fold_series(kind.prepare(spec, fb), MAX_SERIES)
    if plot.family == "bar" and not plot.years and not names_fit_level(plot.categories):
        # Names too long to stand under their bars would have to be turned: beside horizontal bars they read level.
        kind, plot = family("barh"), replace(plot, family="barh")
    key = digest("chart", plot, theme, code_version())
    return Figure(
        id=spec.id,
        title=spec.title,
        caption=spec.caption + (f" Each bar shows the sum of its records ({'; '.join(plot.sums)})."
                                if plot.sums else ""),
        source_note=plot.source_note,
        alt=alt_text(plot, kind.noun),
        data=replace(chart_data(plot), colours=tuple(series_fills(theme, plot.series))),
        image=Drawing(key, plot, theme, kind.size(plot), store.root if store else None, store),
        number=number,
    )


@dataclass(frozen=True)
class Drawing:
    """A chart ready to draw, drawn when a writer asks for it or ahead of that by `draw_in_turn`, and kept in the
    chart store, which also carries it to the PDF's process (decisions 23 and 26).

    Drawing is the slow part of a chart, and a function of the plot, the theme and the code alone: `key` hashes
    exactly those, names the picture in the store, and is all of it that goes into an output's cache key."""

    key: str
    plot: Plot = field(metadata=UNKEYED)
    theme: Theme = field(metadata=UNKEYED)
    size: tuple[float, float] = field(default=(0.0, 0.0), metadata=UNKEYED)  # inches, as `draw` will make it
    store_root: Path | None = field(default=None, metadata=UNKEYED)
    store: Store | None = field(default=None, metadata=UNKEYED, compare=False, repr=False)

    def draw(self, fmt: str) -> bytes:
        """The picture in `fmt` ("svg" or "png"), from the store when it holds it, else drawn and kept there."""
        return draw_in_turn([self], (fmt,))[0][fmt]

    def _kept(self, fmt: str) -> bytes | None:
        kept = self._store.get("charts", f"{self.key}.{fmt}")
        return kept[fmt] if kept is not None and kept.keys() == {fmt} else None

    def _draw(self) -> tuple[_Laid, bytes]:
        """Build the matplotlib figure and lay it out, which is done by saving it as SVG: a PNG is always written
        from that same layout, so its bytes do not depend on which format was asked for first.

        Drawn in the theme's font alone first: matplotlib lays every label out through each font of its list,
        and the fallbacks cost 0.04 s over a brief's charts (measured) for labels that seldom need them. Only
        when matplotlib reports a character that font lacks is the chart drawn again with the fallbacks."""
        from briefkit.charts.export import to_svg

        for fallbacks in (False, True):
            with self._house_style(fallbacks), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                drawing = family(self.plot.family).draw(self.plot, self.theme)
                svg = to_svg(drawing)
                drawing.set_layout_engine("none")  # laid out: the PNG keeps these positions and skips the work
            missing = [w for w in caught if _MISSING_GLYPH in str(w.message)]
            if fallbacks or not missing:
                break
        for w in caught:  # what matplotlib said besides, said again outside the catch
            if _MISSING_GLYPH not in str(w.message):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        self._store.put("charts", f"{self.key}.svg", {"svg": svg})  # made anyway: the PDF will want it
        return _Laid(drawing, fallbacks), svg

    def _png(self, laid: _Laid) -> bytes:
        from briefkit.charts.export import to_png

        with self._house_style(laid.fallbacks):
            png = to_png(laid.figure)
        self._store.put("charts", f"{self.key}.png", {"png": png})
        return png

    def _house_style(self, fallbacks: bool) -> AbstractContextManager[Any]:
        """matplotlib's settings for this theme, for building and for saving (saving reads some of them too)."""
        import matplotlib

        from briefkit.charts.style import house_style

        return matplotlib.rc_context(house_style(self.theme, fallbacks))

    @property
    def _store(self) -> Store:
        return self.store or Store(self.store_root)  # in another process, a store of its own on the same folder

    def placeholder(self) -> bytes:
        """An empty SVG whose size is written exactly as matplotlib writes the chart's (points, `%f` without
        trailing zeros): WeasyPrint lays the pages out around it while the chart is drawn (decision 26)."""
        width, height = (f"{inches * 72:f}".rstrip("0").rstrip(".") for inches in self.size)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
                f'viewBox="0 0 {width} {height}"><desc>{PLACEHOLDER}{self.key}</desc>'
                f'<rect width="{PLACEHOLDER_MARK[0]}" height="{PLACEHOLDER_MARK[1]}"/></svg>').encode()

    def __getstate__(self) -> dict[str, object]:
        """Sent to another process without the Store object (its counters are this process's)."""
        return {**self.__dict__, "store": None}


_MISSING_GLYPH = "missing from font(s)"  # how matplotlib warns of a character its fonts lack


@dataclass(frozen=True)
class _Laid:
    """A chart's matplotlib figure, laid out, and whether it needed the fallback fonts."""

    figure: Any
    fallbacks: bool


def draw_in_turn(drawings: list[Drawing], formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """Every chart's SVG, then every chart's PNG (as `formats` asks), into the store and returned: the SVGs are
    wanted soonest (another process is laying out the PDF around their places). Each chart is built and laid out
    once for both. What the store holds already is not drawn again."""
    pictures: list[dict[str, bytes]] = [{} for _ in drawings]
    built: dict[int, _Laid] = {}
    for i, drawing in enumerate(drawings):
        kept = {fmt: data for fmt in formats if (data := drawing._kept(fmt)) is not None}
        pictures[i].update(kept)
        if len(kept) < len(formats):
            built[i], svg = drawing._draw()
            if "svg" in formats:
                pictures[i]["svg"] = svg
    if "png" in formats:
        for i, laid in built.items():
            if "png" not in pictures[i]:
                pictures[i]["png"] = drawings[i]._png(laid)
    return pictures
