"""Charts: a chart spec and the fact base in, a `Figure` out (SVG, PNG, the data, alt text and source note).

Stages: `registry` picks the family; the family's `prepare` turns the dataset (or the facts) into a `Plot`
(`data`, `timeline`); its `draw` makes a matplotlib figure in the house style (`style`, `bar`, `stacked`);
`export` writes reproducible bytes; `alt` describes the numbers in words. A pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import replace

import matplotlib

from briefkit.cache import Store, code_version, digest
from briefkit.charts.alt import alt_text
from briefkit.charts.data import chart_data, fold_series
from briefkit.charts.export import png_size, to_png, to_svg
from briefkit.charts.registry import family
from briefkit.charts.style import MAX_SERIES, house_style, names_fit_level, series_fills
from briefkit.document.model import Figure
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec
from briefkit.theme.model import Theme

__all__ = ["build_figure"]


def build_figure(spec: ChartSpec, fb: FactBase, theme: Theme, number: int = 0, store: Store | None = None) -> Figure:
    """The chart `spec` describes, drawn from `fb` in `theme`'s house style.

    Drawing is the slow part, and a function of the plot, the theme and the code alone: with a `store`, the SVG
    and PNG are kept under a hash of exactly those, and an unchanged chart is not drawn again."""
    kind = family(spec.family)
    plot = fold_series(kind.prepare(spec, fb), MAX_SERIES)
    if plot.family == "bar" and not plot.years and not names_fit_level(plot.categories):
        # Names too long to stand under their bars would have to be turned: beside horizontal bars they read level.
        kind, plot = family("barh"), replace(plot, family="barh")
    key = digest("chart", spec.family, plot, theme, code_version()) if store else ""
    drawn = store.get("charts", key) if store else None
    if drawn is not None and drawn.keys() == {"svg", "png"}:
        svg, png = drawn["svg"], drawn["png"]
        size = png_size(png)
    else:
        with matplotlib.rc_context(house_style(theme)):
            drawing = kind.draw(plot, theme)
            svg = to_svg(drawing)
            png, size = to_png(drawing)
        if store:
            store.put("charts", key, {"svg": svg, "png": png})
    return Figure(
        id=spec.id,
        title=spec.title,
        caption=spec.caption,
        source_note=plot.source_note,
        alt=alt_text(plot, kind.noun),
        data=replace(chart_data(plot), colours=tuple(series_fills(theme, plot.series))),
        svg=svg,
        png=png,
        png_size=size,
        number=number,
    )
