"""Bar charts, vertical (`bar`) and horizontal (`barh`): one bar per category, side by side for several series,
each labelled with its figure and the source's qualifier."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from briefkit.charts import style
from briefkit.charts.data import Plot
from briefkit.theme.model import Theme

if TYPE_CHECKING:  # matplotlib is imported only to draw: preparing a chart's data needs none of it
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

GROUP = 0.72  # share of a category's slot the bars fill
NAME_WIDTH = 34  # characters per line of a category name beside horizontal bars: two lines for most names


def draw_bar(plot: Plot, theme: Theme) -> Figure:
    """Vertical bars: for years and short category names."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    room = _slot_points(plot, style.WIDTH * 72 - 60)
    _bars(ax, plot, theme, horizontal=False, room=room)
    two_lines = any("\n" in label for label in _all_labels(plot, room))
    style.value_axis(ax, plot.measure, (plot.bottom, plot.top), headroom=0.24 if two_lines else 0.14)
    style.category_axis(ax, plot.categories, plot.years)
    style.legend(fig, ax, len(plot.series))
    if not plot.categories:
        style.mark_empty(ax, theme.colours.muted)
    return fig


def draw_barh(plot: Plot, theme: Theme) -> Figure:
    """Horizontal bars: for long category names (exercises, facilities), read top to bottom in record order."""
    names = _names(plot)
    fig = style.new_figure(barh_size(plot)[1])
    ax = fig.add_subplot()
    _bars(ax, plot, theme, horizontal=True, room=1e9)
    widest = max((style.text_width(label) for label in _all_labels(plot, 1e9)), default=0.0)
    plot_width = style.WIDTH * 72 - style.text_width(max(names, key=len, default=""), style.TICK_PT) - 30
    headroom = max(0.1, (widest + 8) / plot_width)  # the longest bar's label must fit beside it
    style.value_axis(ax, plot.measure, (plot.bottom, plot.top), horizontal=True, headroom=headroom)
    style.category_axis(ax, names, plot.years, horizontal=True)
    style.legend(fig, ax, len(plot.series))
    if not plot.categories:
        style.mark_empty(ax, theme.colours.muted)
    return fig


def barh_size(plot: Plot) -> tuple[float, float]:
    """Width and height in inches: room for every row, each as tall as its longest wrapped name."""
    rows = len(plot.categories) * (1 + 0.4 * (len(plot.series) - 1))
    lines = max((n.count("\n") + 1 for n in _names(plot)), default=1)
    return style.WIDTH, style.figure_height_for_rows(rows, int(len(plot.series) > 1), lines)


def _names(plot: Plot) -> tuple[str, ...]:
    return tuple(textwrap.fill(c, NAME_WIDTH) for c in plot.categories)


def _bars(ax: Axes, plot: Plot, theme: Theme, horizontal: bool, room: float) -> None:
    count = len(plot.series)
    width = GROUP / count
    fills = style.series_fills(theme, plot.series)
    for i, (name, row) in enumerate(zip(plot.series, plot.amounts, strict=True)):
        offset = (i - (count - 1) / 2) * width
        positions = [c + offset for c in range(len(plot.categories))]
        values = [a.value or 0 for a in row]
        draw = ax.barh if horizontal else ax.bar
        bars = draw(positions, values, width * 0.92, label=name, color=fills[i], linewidth=0)
        labels = [style.bar_label(a, plot.measure, room) for a in row]
        if count > 1 and max(map(style.text_width, labels), default=0) > room * 1.25:
            labels = [""] * len(labels)  # side-by-side labels would overlap: the axis must do
        ax.bar_label(bars, labels=labels, padding=3, fontsize=style.DATA_LABEL_PT, color=theme.colours.text,
                     linespacing=1.0)
        if count == 1:  # with several series a gap only means no record of that series there
            _mark_missing(ax, positions, [a.value is None for a in row], theme, horizontal)


def _mark_missing(ax: Axes, positions: list[float], missing: list[bool], theme: Theme, horizontal: bool) -> None:
    """'no figure' where the source gives none, so a missing bar never reads as zero."""
    for position, absent in zip(positions, missing, strict=True):
        if not absent:
            continue
        xy = (0, position) if horizontal else (position, 0)
        offset = (4, 0) if horizontal else (0, 3)
        ax.annotate("no figure", xy, xytext=offset, textcoords="offset points", fontsize=style.DATA_LABEL_PT,
                    color=theme.colours.muted, ha="left" if horizontal else "center",
                    va="center" if horizontal else "bottom", style="italic")


def _slot_points(plot: Plot, axes_width: float) -> float:
    """The width in points a vertical bar's label may take before it would touch its neighbour's."""
    return axes_width / max(1, len(plot.categories)) / len(plot.series) - 2


def _all_labels(plot: Plot, room: float) -> list[str]:
    return [style.bar_label(a, plot.measure, room) for row in plot.amounts for a in row]
