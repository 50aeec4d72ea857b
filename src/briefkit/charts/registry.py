"""Which chart family is made how: the name in `figures.yaml` -> how its data is gathered and how it is drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefkit.charts.bar import barh_size, draw_bar, draw_barh
from briefkit.charts.data import Plot, plot_from_dataset
from briefkit.charts.stacked import draw_stacked
from briefkit.charts.style import column_size
from briefkit.charts.timeline import draw_timeline, plot_from_facts
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec
from briefkit.theme.model import Theme

if TYPE_CHECKING:  # matplotlib is imported only to draw: preparing a chart's data needs none of it
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Family:
    """A chart family: `prepare` gathers its numbers, `draw` makes the picture, `noun` names it in alt text, and
    `size` says how large `draw` will make it (inches), without drawing."""

    prepare: Callable[[ChartSpec, FactBase], Plot]
    draw: Callable[[Plot, Theme], Figure]
    noun: str
    size: Callable[[Plot], tuple[float, float]] = column_size


FAMILIES: dict[str, Family] = {
    "bar": Family(plot_from_dataset, draw_bar, "Bar chart"),
    "barh": Family(plot_from_dataset, draw_barh, "Horizontal bar chart", barh_size),
    "stacked-bar": Family(plot_from_dataset, draw_stacked, "Stacked bar chart"),
    "timeline": Family(plot_from_facts, draw_timeline, "Stacked bar chart"),
}


def family(name: str) -> Family:
    """The family of a chart spec; the schema admits only registered names, so a miss here is a bug."""
    return FAMILIES[name]
