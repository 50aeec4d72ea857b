"""The house style of every chart, in one place: fonts, sizes, colours, axes, labels, legend and figure size.

Chart families decide what to draw; this module decides how it looks, from the theme alone.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from cycler import cycler

from briefkit.charts.colours import series_colours
from briefkit.charts.data import OTHER, Amount, Measure
from briefkit.formatting import QUALIFIER_WORDS, number
from briefkit.theme.model import Theme

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn: its data and words need none of it
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

CM = 1 / 2.54  # inches
WIDTH = 16 * CM  # the brief's text column: a chart is placed at 100%, so 9 pt here is 9 pt on the page
HEIGHT = 6.8 * CM  # vertical bars: wide enough for 20 years, short enough to sit beside its paragraph
BAR_ROW = 0.62 * CM  # horizontal bars: height per bar, so names stay legible however many there are
DPI = 200

TICK_PT = 8.5
DATA_LABEL_PT = 7.5
AXIS_LABEL_PT = 8
LEGEND_PT = 8.5
MAX_SERIES = 6  # more colours than this are no longer told apart; families group the rest as "Other"


_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


def house_style(theme: Theme, fallbacks: bool = True) -> dict[RcKeyType, Any]:
    """matplotlib rcParams for `theme`; used with `matplotlib.rc_context` so nothing global changes. Without
    `fallbacks`, the first font installed alone (see `Drawing._draw`)."""
    c = theme.colours
    from briefkit.charts.fonts import chart_families

    families = chart_families(theme)
    return {
        # The theme's font renders; its fallback chain, Carlito and DejaVu Sans cover any glyph it lacks.
        "font.family": families if fallbacks else families[:1],
        "font.size": TICK_PT,
        "text.color": c.text,
        "axes.labelcolor": c.muted,
        "axes.edgecolor": mix(c.text, 0.55),
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,  # each family turns on the grid of its value axis only
        "axes.axisbelow": True,
        "axes.facecolor": "white",
        "axes.prop_cycle": cycler(color=series_colours(theme.palette, MAX_SERIES)),
        "axes.titlelocation": "left",
        "axes.titlesize": AXIS_LABEL_PT,
        "axes.titlecolor": c.muted,
        "axes.titlepad": 8,
        "grid.color": mix(c.muted, 0.25),
        "grid.linewidth": 0.6,
        "xtick.color": c.text,
        "ytick.color": c.text,
        "xtick.labelsize": TICK_PT,
        "ytick.labelsize": TICK_PT,
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "xtick.major.pad": 5,
        "ytick.major.pad": 5,
        "legend.frameon": False,
        "legend.fontsize": LEGEND_PT,
        "legend.handlelength": 1.0,
        "legend.handleheight": 1.0,
        "legend.columnspacing": 1.4,
        "figure.facecolor": "white",
        "figure.dpi": DPI,
        "savefig.facecolor": "white",
        "savefig.dpi": DPI,
        # Text stays text in the SVG ("none", not "path"): the PDF keeps the numbers and names selectable and
        # searchable, and the file is a tenth of the size. The one risk, a reader lacking the font, does not
        # arise: the SVG is read only by WeasyPrint on the machine that drew it, which has Carlito (matplotlib
        # found it there), and WeasyPrint embeds the font in the PDF. DOCX and PPTX get the PNG.
        "svg.fonttype": "none",
        "svg.hashsalt": "briefkit",  # clip-path ids from a fixed salt, not a random one: reproducible bytes
        # The PNG is drawn from the layout made for the SVG, whose text is measured unhinted: hinted PNG text came
        # out wider than its place (a long category name touched the edge) and took 20% longer to draw.
        "text.hinting": "no_hinting",
    }


def column_size(plot: object) -> tuple[float, float]:
    """Width and height in inches of a chart of vertical bars: the text column's width, a fixed height."""
    return WIDTH, HEIGHT


def new_figure(height: float = HEIGHT) -> Figure:
    """A figure the width of the text column; constrained layout keeps labels and legend inside it."""
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def mix(colour: str, amount: float, base: str = "#FFFFFF") -> str:
    """`colour` blended toward `base` (white): amount 1 is the colour, 0 is the base. For grid and rule tints."""
    a = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    b = [int(base.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(y + (x - y) * amount):02X}" for x, y in zip(a, b, strict=True))


def value_axis(ax: Axes, measure: Measure, span: tuple[float, float], horizontal: bool = False,
               headroom: float = 0.14) -> None:
    """The value axis: from zero (a bar's length is its value; below zero only for negative values), nice ticks,
    a light grid, no line of its own, and the measure named above the plot (below it for horizontal bars).
    `span` is (most negative end, longest end); `headroom` keeps the data labels inside the plot."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    low, high = span
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_locator(MaxNLocator(nbins=5, integer=measure.kind == "count", min_n_ticks=3))
    axis.set_major_formatter(FuncFormatter(tick_formatter(measure, max(high, -low))))
    limits = (low * (1 + headroom), high * (1 + headroom)) if (low or high) else (0.0, 1.0)
    (ax.set_xlim if horizontal else ax.set_ylim)(*limits)
    ax.grid(True, axis="x" if horizontal else "y")
    ax.spines["bottom" if horizontal else "left"].set_visible(False)
    if low < 0:  # the baseline is at zero, not at the foot of the plot
        ax.spines["left" if horizontal else "bottom"].set_visible(False)
        (ax.axvline if horizontal else ax.axhline)(0, color=ax.spines["left"].get_edgecolor(), linewidth=0.8)
    if horizontal:
        ax.set_xlabel(measure.axis_label, fontsize=AXIS_LABEL_PT, loc="right")
    else:
        ax.set_title(measure.axis_label)


def mark_empty(ax: Axes, colour: str) -> None:
    """An honest empty chart (every record dropped, e.g. by an as-of date): a note, not a bare grid."""
    ax.set_yticks([])
    ax.set_xticks([])
    ax.text(0.5, 0.5, "No figures to show", transform=ax.transAxes, ha="center", va="center", color=colour,
            fontsize=TICK_PT, style="italic")


def tick_formatter(measure: Measure, top: float) -> Any:
    """Tick text for the measure: '$10m' for millions of money, '70%' for percent, '12,000' otherwise."""
    sign = _SIGNS.get(measure.currency or "", "")

    def fmt(v: float, _pos: object = None) -> str:
        if v == 0:
            return "0"
        if measure.kind == "money" and top >= 1_000_000:
            return f"{sign}{number(v / 1_000_000)}m"
        return _plain(v, measure, sign)

    return fmt


def figure_text(value: float, measure: Measure) -> str:
    """A data label's figure, exact as the source gives it: '$21m' and '$8.5m' (as the axis writes money) but
    '$479,000' and '$1,234,567' where millions would round the figure."""
    sign = _SIGNS.get(measure.currency or "", "")
    millions = value / 1_000_000
    if measure.kind == "money" and abs(value) >= 1_000_000 and round(millions, 2) == millions:
        return f"{sign}{number(millions)}m"
    return _plain(value, measure, sign)


def _plain(value: float, measure: Measure, sign: str) -> str:
    if measure.kind == "money":
        return f"{sign}{number(value)}" if sign else f"{number(value)} {measure.currency}"
    if measure.kind == "percent":
        return f"{number(value)}%"
    return number(value)


def category_axis(ax: Axes, categories: tuple[str, ...], years: bool, horizontal: bool = False) -> None:
    """Category names, all of them and level: long names wrap to the width of their slot (turned only when even
    wrapping cannot fit them); long runs of years show every second or fifth year, so labels never collide."""
    positions = list(range(len(categories)))
    if horizontal:
        ax.set_yticks(positions, categories)
        ax.invert_yaxis()  # the first record on top, as a table reads
        ax.set_ylim(len(categories) - 0.5, -0.6)
        return
    names = level_names(categories)
    turned = not years and not names_fit_level(categories)
    ax.set_xticks(positions, list(categories) if turned else names)
    ax.set_xlim(-0.6, len(categories) - 0.4)
    step = 1 if len(categories) <= 16 or not years else 2 if len(categories) <= 30 else 5
    for i, label in enumerate(ax.get_xticklabels()):
        label.set_visible(i % step == 0)
        if turned:
            label.set_rotation(30)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")


def level_names(categories: tuple[str, ...]) -> list[str]:
    """Category names under vertical bars, each wrapped to the width of its slot."""
    slot = (WIDTH * 72 - 60) / max(1, len(categories))
    return [textwrap.fill(c, max(6, int(slot / (TICK_PT * 0.52)))) for c in categories]


def names_fit_level(categories: tuple[str, ...]) -> bool:
    """Whether every name fits under its vertical bar in at most three lines (else it would have to be turned)."""
    return all(n.count("\n") <= 2 for n in level_names(categories))


def legend(fig: Figure, ax: Axes, count: int) -> None:
    """A legend only when there is more than one series: one row under the plot, in reading order."""
    if count < 2:
        return
    handles, names = ax.get_legend_handles_labels()
    columns = count if sum(len(n) for n in names) < 90 else min(count, 3)
    # matplotlib fills a legend column by column; reorder so that it reads row by row, in stacking order.
    order = [i for c in range(columns) for i in range(c, len(names), columns)]
    fig.legend([handles[i] for i in order], [names[i] for i in order], loc="outside lower center", ncols=columns)


def figure_height_for_rows(rows: float, legend_rows: int = 0, name_lines: int = 1) -> float:
    """Horizontal bars: room for every row, each as tall as its longest wrapped name, plus the axis and legend."""
    row = max(BAR_ROW, (name_lines * 1.2 * TICK_PT + 2) / 72)
    return max(4.5 * CM, rows * row + 1.6 * CM + legend_rows * 0.6 * CM)


def series_fills(theme: Theme, names: tuple[str, ...]) -> list[str]:
    """One fill per series in the colour-blind-safe order; a folded "Other" series is a neutral grey."""
    fills = series_colours(theme.palette, len(names))
    return [mix(theme.colours.muted, 0.45) if name == OTHER else fill for name, fill in zip(names, fills, strict=True)]


def text_width(text: str, size: float = DATA_LABEL_PT) -> float:
    """An estimate of a one-line label's width in points (Carlito averages about half an em per character)."""
    return max((len(line) for line in text.splitlines()), default=0) * size * 0.52


def bar_label(amount: Amount, measure: Measure, room: float) -> str:
    """The label on a bar: the figure as the axis writes it ('$8.5m', '12,000', '70%') after the source's
    qualifier ('over 5,000'); the qualifier goes on its own line when the one-line label is wider than `room` pt."""
    if amount.value is None:
        return ""
    figure = figure_text(amount.value, measure)
    word = QUALIFIER_WORDS.get(amount.qualifier, "")
    if not word:
        return figure
    one_line = f"{word} {figure}"
    return one_line if text_width(one_line) <= room else f"{word}\n{figure}"
