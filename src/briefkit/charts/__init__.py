"""Charts: a chart spec and the fact base in, a `Figure` out (its picture, the data, alt text and source note).

Stages: `registry` picks the family; the family's `prepare` turns the dataset (or the facts) into a `Plot`
(`data`, `timeline`); its `draw` makes a matplotlib figure in the house style (`style`, `bar`, `stacked`);
`export` writes reproducible bytes; `alt` describes the numbers in words. A pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from briefkit.cache import UNKEYED, Store, code_version, digest
from briefkit.charts.alt import alt_text
from briefkit.charts.data import Plot, chart_data, fold_series
from briefkit.charts.registry import family
from briefkit.charts.style import MAX_SERIES, names_fit_level, series_fills
from briefkit.document.model import Figure
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec
from briefkit.theme.model import Theme

__all__ = ["Drawing", "build_figure"]


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
        caption=spec.caption,
        source_note=plot.source_note,
        alt=alt_text(plot, kind.noun),
        data=replace(chart_data(plot), colours=tuple(series_fills(theme, plot.series))),
        image=Drawing(key, plot, theme, store.root if store else None, store),
        number=number,
    )


@dataclass(frozen=True)
class Drawing:
    """A chart ready to draw, drawn in one format when a writer asks: the PDF's SVG in the process laying out the
    PDF while the DOCX's PNG is drawn in the other, so neither waits for the other (decision 23).

    Drawing is the slow part of a chart, and a function of the plot, the theme and the code alone: `key` hashes
    exactly those, names the picture in the store, and is all of it that goes into an output's cache key."""

    key: str
    plot: Plot = field(metadata=UNKEYED)
    theme: Theme = field(metadata=UNKEYED)
    store_root: Path | None = field(default=None, metadata=UNKEYED)
    store: Store | None = field(default=None, metadata=UNKEYED, compare=False, repr=False)

    def draw(self, fmt: str) -> bytes:
        store = self.store or Store(self.store_root)  # in another process, a store of its own on the same folder
        name = f"{self.key}.{fmt}"
        kept = store.get("charts", name)
        if kept is not None and kept.keys() == {fmt}:
            return kept[fmt]
        import matplotlib

        from briefkit.charts.export import to_png, to_svg
        from briefkit.charts.style import house_style

        with matplotlib.rc_context(house_style(self.theme)):
            drawing = family(self.plot.family).draw(self.plot, self.theme)
            data = to_svg(drawing) if fmt == "svg" else to_png(drawing)
        store.put("charts", name, {fmt: data})
        return data

    def __getstate__(self) -> dict[str, object]:
        """Sent to another process without the Store object (its counters are this process's)."""
        return {**self.__dict__, "store": None}
