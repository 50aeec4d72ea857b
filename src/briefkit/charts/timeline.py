"""The timeline: how many of the fact base's facts fall in each year, stacked by the brief section (or, with
`series: topic`, the topic) they belong to. Generic: it needs no dataset, only fact dates and the sections."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from briefkit.charts.bar import draw_bar
from briefkit.charts.data import OTHER, Amount, Measure, Plot, proper_nouns
from briefkit.charts.stacked import draw_stacked
from briefkit.citations import sources_line
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec, Fact
from briefkit.theme.model import Theme

if TYPE_CHECKING:  # matplotlib is imported only to draw: preparing a chart's data needs none of it
    from matplotlib.figure import Figure

MEASURE = "Facts recorded"
MAX_LISTED_SOURCES = 6  # beyond this the source note points to the list of sources instead of naming them


def plot_from_facts(spec: ChartSpec, fb: FactBase) -> Plot:
    """Facts counted in the year they happened (a period's first year), every year from the first to the last,
    zeros included, so quiet years show as gaps rather than vanish."""
    facts = list(fb.facts.values())
    group = _grouping(spec, fb)
    names = [*dict.fromkeys(group.values()), OTHER]
    counts = Counter((f.when.year, group.get(f.topic, OTHER)) for f in facts)
    years = range(min(f.when.year for f in facts), max(f.when.year for f in facts) + 1) if facts else range(0)
    names = [n for n in names if any(counts[(y, n)] for y in years)] or [MEASURE]
    amounts = tuple(tuple(Amount(counts[(y, n)]) for y in years) for n in names)
    return Plot(
        family="timeline", categories=tuple(str(y) for y in years), category_label="Year", years=True,
        series=tuple(names), amounts=amounts, measure=Measure(MEASURE, "count"), source_note=_source_note(facts, fb),
        series_label="topic" if spec.series == "topic" else "section", proper_nouns=proper_nouns(fb),
    )


def draw_timeline(plot: Plot, theme: Theme) -> Figure:
    return draw_stacked(plot, theme) if len(plot.series) > 1 else draw_bar(plot, theme)


def _grouping(spec: ChartSpec, fb: FactBase) -> dict[str, str]:
    """topic -> series name: the topic's own name, or the title of the first section that gathers it."""
    if spec.series == "topic":
        return dict(fb.info.topics)
    grouping: dict[str, str] = {}
    for section in fb.info.sections:
        for topic in section.topics:
            grouping.setdefault(topic, section.title)
    return grouping


def _source_note(facts: list[Fact], fb: FactBase) -> str:
    """The sources by name when they are few; otherwise how many, pointing to the list at the end of the brief."""
    cited = sorted({s for f in facts for s in f.source_ids if s in fb.sources})
    if len(cited) <= MAX_LISTED_SOURCES:
        return sources_line(cited, fb.sources)
    from briefkit.labels import current

    return current().text("compiled_from", facts=len(facts), sources=len(cited))
