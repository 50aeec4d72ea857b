"""Chart slides: the figure as a native, editable PowerPoint chart from its numbers, styled like the drawn
chart (colours, labels, round ticks), with the slide's bullets beside it."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide as PptxSlide
from pptx.util import Pt

from briefkit.document.model import ChartData, Figure
from briefkit.fontchain import measured
from briefkit.theme.model import Theme
from briefkit.writers import pptx_xml as px
from briefkit.writers import textfit
from briefkit.writers.pptx_frames import rgb, write_bullets
from briefkit.writers.pptx_geometry import CATEGORY_SIZES, CHART_TEXT_SIZE, INCH, PT, Rect
from briefkit.writers.pptx_paginate import Page, chart_split

if TYPE_CHECKING:
    from briefkit.writers.pptx_layouts import Context


def fill_chart_slide(slide: PptxSlide, page: Page, ctx: Context) -> None:
    figure = page.slide.figure
    assert figure is not None
    rect = ctx.content_rect("chart", page.slide.source_line)
    chart_rect, text_rect = chart_split(rect) if page.bullets else (rect, None)
    _add_chart(slide, figure, chart_rect, ctx)
    if text_rect is not None:
        box = slide.shapes.add_textbox(*px.emu(text_rect.x, text_rect.y, text_rect.w, text_rect.h))
        box.name = "Key points"
        write_bullets(box.text_frame, replace(page, kind="bullets"), ctx)


_CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked-bar": XL_CHART_TYPE.COLUMN_STACKED,
}


def _chart_type(data: ChartData) -> XL_CHART_TYPE:
    if data.family == "timeline":
        return XL_CHART_TYPE.COLUMN_STACKED if len(data.series) > 1 else XL_CHART_TYPE.COLUMN_CLUSTERED
    return _CHART_TYPES[data.family]


@dataclass(frozen=True)
class _CategoryLabels:
    names: list[str]
    size: float
    skip: int  # show every n-th label
    width: int = int(2.2 * INCH)  # EMU the names are wrapped to beside horizontal bars


def _chart_categories(data: ChartData, chart_width: int, chart_height: int, family: textfit.Family) -> _CategoryLabels:
    """Category names wrapped to their slot, at a size that lets their longest word fit (as the drawn charts
    do); single words such as years are never broken: a long run of them shows every 2nd, 5th or 10th.
    Beside horizontal bars a name must also fit the height of its row, or it runs into the next one.
    With one series, a category the sources give no figure for says so: no bar must not read as zero."""
    names = list(data.categories)
    if len(data.series) == 1:
        names = [f"{c}\n(no figure)" if v is None else c for c, v in zip(names, data.series[0].values, strict=True)]
    column_slot = 0.85 * (chart_width - 1.1 * INCH) / PT / max(1, len(names))
    slot = 2.2 * INCH / PT if data.family == "barh" else column_slot
    if all(len(n.split()) == 1 for n in names):
        widest = max((textfit.text_width(n, CHART_TEXT_SIZE, family) for n in names), default=0.0)
        skip = next((k for k in (1, 2, 5, 10, 20) if slot * k >= widest * 1.2), 20)
        return _CategoryLabels(names, CHART_TEXT_SIZE, 1 if data.family == "barh" else skip)
    if data.family == "barh":
        # A row's share of the plot, less the value axis, its title and the viewer's padding; names keep a gap.
        row = 0.85 * (chart_height - 1.4 * INCH) / PT / max(1, len(names))
        choices = [(size, width * INCH / PT) for size in CATEGORY_SIZES for width in (2.2, 2.8)]
        size, slot = next(((s, w) for s, w in choices
                           if max(len(_wrap_name(n, w, s, family)) for n in names) * textfit.LINE_HEIGHT * s <= row),
                          choices[-1])
        wrapped = ["\n".join(_wrap_name(n, slot, size, family)) for n in names]
        widest = max((textfit.text_width(line, size, family) for n in wrapped for line in n.split("\n")), default=0)
        return _CategoryLabels(wrapped, size, 1, int(widest * PT * 1.06))
    words = [w for name in names for w in name.split()]
    size = next((s for s in CATEGORY_SIZES if all(textfit.text_width(w, s, family) <= slot for w in words)),
                CATEGORY_SIZES[-1])
    return _CategoryLabels(["\n".join(_wrap_name(n, slot, size, family)) for n in names], size, 1)


def _wrap_name(name: str, width: float, size: float, family: textfit.Family) -> list[str]:
    return [line for part in name.split("\n") for line in textfit.wrap(part, width, size, family)]


def _add_chart(slide: PptxSlide, figure: Figure, rect: Rect, ctx: Context) -> None:
    """A native, editable chart from the figure's numbers, with the figure's alt text."""
    data = figure.data
    chart_data = CategoryChartData(number_format=data.number_format)
    labels = _chart_categories(data, rect.w, rect.h, measured(ctx.theme, "body"))
    chart_data.categories = labels.names
    for series in data.series:
        chart_data.add_series(series.name, series.values)
    # python-pptx 1.0 annotates add_chart as taking its deprecated ChartData subclass and returning the Chart;
    # it takes any chart data and returns the graphic frame holding the chart.
    x, y, cx, cy = px.emu(rect.x, rect.y, rect.w, rect.h)
    frame = cast(GraphicFrame, slide.shapes.add_chart(_chart_type(data), x, y, cx, cy, chart_data))  # type: ignore[arg-type]
    frame.name = f"Figure {figure.number}" if figure.number else "Figure"
    px.unsigned_axis_ids(frame.chart)
    px.set_alt_text(frame, figure.alt)
    _style_chart(frame.chart, data, ctx.theme)
    frame.chart.category_axis.tick_labels.font.size = Pt(labels.size)
    px.level_category_labels(frame.chart.category_axis, labels.skip)
    if data.family == "barh":  # the names' column as wide as they were wrapped to, the value axis below
        label = (labels.width + 0.15 * INCH) / rect.w
        bottom = (2 * textfit.LINE_HEIGHT * CHART_TEXT_SIZE * PT + 0.35 * INCH) / rect.h
        px.set_plot_area(frame.chart, label, 0.02, 1 - label - 0.08, 1 - 0.02 - bottom)


def _style_chart(chart: Chart, data: ChartData, theme: Theme) -> None:
    chart.has_title = False  # the slide title names the chart
    chart.font.size = Pt(CHART_TEXT_SIZE)
    chart.font.name = theme.fonts.body.office
    chart.font.color.rgb = rgb(theme.colours.text)
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 60 if len(data.series) == 1 else 80
    fills = data.colours or theme.palette  # the drawn chart's colours: the deck's chart matches the brief's
    for i, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(fills[i % len(fills)])
        series.invert_if_negative = False
    _style_axes(chart, data, theme)
    _label_chart(chart, data, theme)
    chart.has_legend = len(data.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_TEXT_SIZE)


def _style_axes(chart: Chart, data: ChartData, theme: Theme) -> None:
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb("#D9D9D9")
    values.major_gridlines.format.line.width = Pt(0.75)
    values.format.line.fill.background()
    values.major_tick_mark = XL_TICK_MARK.NONE
    step = _tick_step(data)
    values.major_unit = step
    values.tick_labels.number_format = _tick_format(data.number_format, step)
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.size = Pt(CHART_TEXT_SIZE)
    values.tick_labels.font.color.rgb = rgb(theme.colours.muted)
    if all(v is None or v >= 0 for s in data.series for v in s.values):
        values.minimum_scale = 0
    if data.value_label:
        values.has_title = True
        frame = values.axis_title.text_frame
        frame.text = data.value_label
        font = frame.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT_SIZE), False
        font.color.rgb = rgb(theme.colours.muted)
    categories = chart.category_axis
    categories.major_tick_mark = XL_TICK_MARK.NONE
    categories.format.line.color.rgb = rgb("#A6A6A6")
    categories.tick_labels.font.size = Pt(CHART_TEXT_SIZE)
    if any(v is not None and v < 0 for s in data.series for v in s.values):
        categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # names beside the plot, not on bars below 0
    if data.family == "barh":
        categories.reverse_order = True  # first category on top, read top to bottom
        px.value_axis_crosses_at_max(values)  # and the value axis stays at the bottom


def _tick_step(data: ChartData) -> float:
    """A round step giving about five value ticks (1, 2, 2.5 or 5 times a power of ten), as the drawn charts
    have; left to the viewer, a wide axis gets a tick every tenth and the labels run together."""
    stacked = _chart_type(data) == XL_CHART_TYPE.COLUMN_STACKED
    columns = zip(*(s.values for s in data.series), strict=True)
    ends = [sum(v or 0 for v in c) if stacked else max((abs(v or 0) for v in c), default=0) for c in columns]
    raw = max(map(abs, ends), default=0) / 5 or 1.0  # negative bars (temperatures) span the axis too
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _tick_format(number_format: str, step: float) -> str:
    """The data's number format, without its decimal when every tick is a whole number in the shown unit."""
    unit = 1_000_000 if ",," in number_format else 1
    return number_format.replace(".0", "") if float(step / unit).is_integer() else number_format


MAX_LABELS = 36  # bars a slide can label legibly; past this the value axis alone is read (and python-pptx's
# per-point labels cost time growing with the square of the points: 3 s for a chart of 1,500 bars)


def _label_chart(chart: Chart, data: ChartData, theme: Theme) -> None:
    """Bar labels: the qualified wording when the data has it ('over 5,000'), else the number format."""
    plot = chart.plots[0]
    stacked = _chart_type(data) == XL_CHART_TYPE.COLUMN_STACKED
    if len(data.categories) * len(data.series) > MAX_LABELS:
        return  # too many to read: the axis does the work
    if len(data.series) == 1 and len(data.labels) == len(data.categories):
        _custom_labels(chart, data, theme)
        return
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = data.number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.font.size = Pt(CHART_TEXT_SIZE - 1)
    if stacked:
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.color.rgb = rgb("#FFFFFF")
    else:
        labels.position = XL_LABEL_POSITION.OUTSIDE_END


def _custom_labels(chart: Chart, data: ChartData, theme: Theme) -> None:
    series = chart.plots[0].series[0]
    for i, (label, value) in enumerate(zip(data.labels, data.series[0].values, strict=True)):
        if value is None or not label:
            continue
        point_label = series.points[i].data_label
        point_label.position = XL_LABEL_POSITION.OUTSIDE_END
        frame = point_label.text_frame
        frame.text = label
        font = frame.paragraphs[0].runs[0].font
        font.size = Pt(CHART_TEXT_SIZE)
        font.color.rgb = rgb(theme.colours.text)

