"""Stacked bars: one bar per category made of its series, the total written above each bar and a segment's own
figure inside it where it fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefkit.charts import style
from briefkit.charts.colours import text_on
from briefkit.charts.data import Amount, Plot
from briefkit.theme.model import Theme

if TYPE_CHECKING:  # matplotlib is imported only to draw: preparing a chart's data needs none of it
    from matplotlib.figure import Figure

WIDTH = 0.66  # share of a category's slot the bar fills
MIN_SEGMENT = 0.09  # a segment shorter than this share of the axis carries no label of its own


def draw_stacked(plot: Plot, theme: Theme) -> Figure:
    """Stacked vertical bars; the legend lists the series in the order they stack, bottom first."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    fills = style.series_fills(theme, plot.series)
    base = [0.0] * len(plot.categories)
    positions = list(range(len(plot.categories)))
    room = (style.WIDTH * 72 - 60) / max(1, len(plot.categories)) - 2
    top = plot.top
    for name, row, fill in zip(plot.series, plot.amounts, fills, strict=True):
        values = [a.value or 0 for a in row]
        # Only the segments there are: a timeline of 35 years and 6 topics is mostly zeros, and drawing them
        # (and their empty labels) was most of its drawing time, for nothing to see.
        shown = [i for i, v in enumerate(values) if v] or positions
        bars = ax.bar(shown, [values[i] for i in shown], WIDTH, bottom=[base[i] for i in shown], label=name,
                      color=fill, edgecolor="white", linewidth=0.6)
        labels = [_segment_label(row[i], plot, i, room) for i in shown]
        if any(labels):
            ax.bar_label(bars, labels=labels, label_type="center", fontsize=style.DATA_LABEL_PT,
                         color=text_on(fill, theme.colours.text))
        base = [b + v for b, v in zip(base, values, strict=True)]
    totals = plot.totals()
    for x, (total, height) in enumerate(zip(totals, base, strict=True)):
        text = style.bar_label(total, plot.measure, room) if len(plot.categories) <= 30 else ""
        if text and (total.value or plot.measure.kind != "count"):  # an empty year needs no "0" over it
            ax.annotate(text, (x, height), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                        fontsize=style.DATA_LABEL_PT, color=theme.colours.text, linespacing=1.0)
    two_lines = any("\n" in style.bar_label(t, plot.measure, room) for t in totals)
    style.value_axis(ax, plot.measure, (plot.bottom, top), headroom=0.24 if two_lines else 0.14)
    style.category_axis(ax, plot.categories, plot.years)
    style.legend(fig, ax, len(plot.series))
    if not plot.categories:
        style.mark_empty(ax, theme.colours.muted)
    return fig


def _segment_label(amount: Amount, plot: Plot, index: int, room: float) -> str:
    """A segment's own figure: only in stacked-bar charts (a timeline's counts are read from the totals), only
    where the stack has two or more parts (else it repeats the total), and only where it fits inside."""
    parts = sum(1 for row in plot.amounts if row[index].value)
    if plot.family != "stacked-bar" or parts < 2 or not amount.value or amount.value / plot.top < MIN_SEGMENT:
        return ""
    text = style.bar_label(amount, plot.measure, room)
    return text if "\n" not in text and style.text_width(text) <= room * WIDTH else ""
