"""Charts: a chart spec and the fact base in, a `Figure` out (SVG, PNG, the data, alt text and source note).

Stages: `registry` picks the family; the family's `prepare` turns the dataset (or the facts) into a `Plot`
(`data`, `timeline`); its `draw` makes a matplotlib figure in the house style (`style`, `bar`, `stacked`);
`export` writes reproducible bytes; `alt` describes the numbers in words. A pure function of its inputs.
"""

from __future__ import annotations

import matplotlib

from briefkit.charts.alt import alt_text
from briefkit.charts.data import chart_data, fold_series
from briefkit.charts.export import to_png, to_svg
from briefkit.charts.registry import family
from briefkit.charts.style import MAX_SERIES, house_style
from briefkit.document.model import Figure
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec
from briefkit.theme.model import Theme

__all__ = ["build_figure"]


def build_figure(spec: ChartSpec, fb: FactBase, theme: Theme, number: int = 0) -> Figure:
    """The chart `spec` describes, drawn from `fb` in `theme`'s house style."""
    kind = family(spec.family)
    plot = fold_series(kind.prepare(spec, fb), MAX_SERIES)
    with matplotlib.rc_context(house_style(theme)):
        drawing = kind.draw(plot, theme)
        svg = to_svg(drawing)
        png, size = to_png(drawing)
    return Figure(
        id=spec.id,
        title=spec.title,
        caption=spec.caption,
        source_note=plot.source_note,
        alt=alt_text(plot, kind.noun),
        data=chart_data(plot),
        svg=svg,
        png=png,
        png_size=size,
        number=number,
    )
