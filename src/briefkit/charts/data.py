"""The numbers behind a chart: a dataset turned into categories, series of qualified amounts and display labels.

Takes a `ChartSpec` and the `FactBase`; returns a `Plot`, which the drawing modules, the alt text and the
`ChartData` handed to writers are all made from, so the picture, its description and a native PPTX chart cannot
disagree. Labels use `briefkit.formatting` and the source note `briefkit.citations`, as tables do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from briefkit.citations import sources_line
from briefkit.document.model import ChartData, Series
from briefkit.errors import FactbaseError
from briefkit.factbase.dates import PartialDate
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec, Column, Dataset
from briefkit.formatting import cell as format_cell
from briefkit.formatting import heading

OTHER = "Other"  # the series that gathers what does not fit in the legend
_NUMERIC = ("number", "money", "percent")
_LOWER_BOUNDS = {"over", "more-than", "at-least"}
_UPPER_BOUNDS = {"almost", "nearly", "up-to", "fewer-than"}
_CURRENCY_NAMES = {"USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling"}
_EXCEL_SIGNS = {"USD": '"$"', "EUR": '"€"', "GBP": '"£"'}


@dataclass(frozen=True)
class Amount:
    """One bar or segment: the value a source gives (None when it gives nothing) and how precise it says it is."""

    value: float | None
    qualifier: str = "exact"


@dataclass(frozen=True)
class Measure:
    """What the value axis measures and how its numbers are written (`kind`: number, money, percent, count)."""

    label: str
    kind: str = "number"
    currency: str | None = None
    unit: str | None = None  # the column's declared unit, named on the axis

    def text(self, amount: Amount) -> str:
        """'over 5,000', '$21 million', 'about 70%'; '' when the source gives no figure."""
        if amount.value is None:
            return ""
        kind = "number" if self.kind == "count" else self.kind
        return format_cell(amount.value, kind, amount.qualifier, self.currency)

    @property
    def axis_label(self) -> str:
        if self.kind == "money" and self.currency:
            return f"{self.label} ({_CURRENCY_NAMES.get(self.currency, self.currency)})"
        return heading(self.label, self.unit, self.kind)


@dataclass(frozen=True)
class Plot:
    """Everything a chart shows: categories along one axis, one row of amounts per series, and its source."""

    family: str
    categories: tuple[str, ...]
    category_label: str
    years: bool  # categories are years: alt text says "in 2014", and axes may thin their labels
    series: tuple[str, ...]
    amounts: tuple[tuple[Amount, ...], ...]  # amounts[series][category]
    measure: Measure
    source_note: str
    series_label: str = ""
    proper_nouns: frozenset[str] = frozenset()  # words the alt text must not lower-case
    sums: tuple[str, ...] = ()  # bars that are sums of several records (`aggregate: sum`), with their parts

    def labels(self, series: int = 0) -> tuple[str, ...]:
        return tuple(self.measure.text(a) for a in self.amounts[series])

    def totals(self) -> tuple[Amount, ...]:
        """Per category, the sum of the series (what a stacked bar's height shows)."""
        return tuple(combine(row[i] for row in self.amounts) for i in range(len(self.categories)))

    @property
    def top(self) -> float:
        """The end of the longest bar (a stack's total for stacked families); at least zero."""
        return max([0.0, *self._ends()])

    @property
    def bottom(self) -> float:
        """The end of the most negative bar; zero when none is negative, so the axis starts at zero."""
        return min([0.0, *self._ends()])

    def _ends(self) -> list[float]:
        if self.family in ("stacked-bar", "timeline"):
            values = [a.value for a in self.totals()]
        else:
            values = [a.value for row in self.amounts for a in row]
        return [float(v) for v in values if v is not None]


def combine(amounts: Iterable[Amount]) -> Amount:
    """The sum of amounts, qualified as honestly as the parts allow: 'over 5,000' + '12,000' is 'over 17,000';
    mixed lower bounds give 'at least', mixed upper bounds 'up to', anything else 'about'. None if all are None."""
    given = [a for a in amounts if a.value is not None]
    if not given:
        return Amount(None)
    total = sum((float(a.value) for a in given if a.value is not None), 0.0)
    qualifiers = {a.qualifier for a in given} - {"exact"}
    if not qualifiers:
        qualifier = "exact"
    elif len(qualifiers) == 1:
        qualifier = qualifiers.pop()
    elif qualifiers <= _LOWER_BOUNDS:
        qualifier = "at-least"
    elif qualifiers <= _UPPER_BOUNDS:
        qualifier = "up-to"
    else:
        qualifier = "about"
    return Amount(int(total) if total.is_integer() else total, qualifier)


def plot_from_dataset(spec: ChartSpec, fb: FactBase) -> Plot:
    """Categories from the x column (record order; sorted for years, dates and numbers), one series per value of
    the series column (record order), amounts from the y column; records sharing a category and series are summed."""
    dataset = _dataset(spec, fb)
    x, y = _column(spec, fb, dataset, spec.x, "x"), _column(spec, fb, dataset, spec.y, "y")
    if y.type not in _NUMERIC:
        raise _spec_error(spec, fb, f"y column {y.name!r} is {y.type}; a chart needs a number, money or percent "
                          "column", "y")
    group = _column(spec, fb, dataset, spec.series, "series") if spec.series else None
    records = [r for r in dataset.records if r.get(x.name) not in (None, "")]
    categories = _categories(records, x)
    names = list(dict.fromkeys(_series_name(r, group) for r in records)) if group else [y.label]
    cells: dict[tuple[str, str], list[Amount]] = {}
    for r in records:
        key = (_category(r[x.name], x), _series_name(r, group) if group else y.label)
        cells.setdefault(key, []).append(_amount(r.get(y.name)))
    shared = {key: parts for key, parts in cells.items() if sum(a.value is not None for a in parts) > 1}
    if shared and spec.aggregate != "sum":  # `check` refuses this with the records' lines; never drawn silently
        category, _ = next(iter(shared))
        raise _spec_error(spec, fb, f"several records share the bar {category!r}; write `aggregate: sum` to show "
                          "their sum by name, or give `series:` a column that tells them apart", "x")
    label = y.label if not shared else f"Sum of {y.label[:1].lower() + y.label[1:]}"
    names = [label if n == y.label and not group else n for n in names]
    cells = {(c, label if s == y.label and not group else s): v for (c, s), v in cells.items()}
    amounts = tuple(tuple(combine(cells.get((c, s), [])) for c in categories) for s in names)
    part = Measure(y.label, y.type, y.currency or ("USD" if y.type == "money" else None))
    sums = tuple(f"{c}{f' ({s})' if group else ''}: " + " + ".join(part.text(a) for a in parts)
                 for (c, s), parts in shared.items())
    cited = [s for r in records for f in _facts(r) if f in fb.facts for s in fb.facts[f].source_ids]
    return Plot(
        family=spec.family, categories=tuple(categories), category_label=x.label, years=x.type == "year",
        series=tuple(names), amounts=amounts, series_label=group.label if group else "",
        measure=Measure(label, y.type, y.currency or ("USD" if y.type == "money" else None), y.unit),
        source_note=sources_line(cited, fb.sources), proper_nouns=proper_nouns(fb), sums=sums,
    )


def fold_series(plot: Plot, limit: int) -> Plot:
    """At most `limit` series: the largest `limit - 1` keep their place, the rest are summed as "Other".
    More colours than a handful cannot be told apart, least of all by colour-blind readers."""
    if len(plot.series) <= limit:
        return plot
    size = [combine(row).value or 0 for row in plot.amounts]
    named = [i for i, name in enumerate(plot.series) if name != OTHER]
    keep = sorted(sorted(named, key=lambda i: -size[i])[: limit - 1])
    rest = [plot.amounts[i] for i in range(len(size)) if i not in keep]
    other = tuple(combine(row[c] for row in rest) for c in range(len(plot.categories)))
    return replace(plot, series=(*(plot.series[i] for i in keep), OTHER),
                   amounts=(*(plot.amounts[i] for i in keep), other))


def chart_data(plot: Plot) -> ChartData:
    """The writers' view of a plot: plain values for native charts, the Excel number format, display labels
    (a single series' labels, or each stack's total; none for grouped bars, whose labels are per bar)."""
    stacked = plot.family in ("stacked-bar", "timeline")
    if len(plot.series) == 1:
        labels = plot.labels(0)
    elif stacked:
        labels = tuple(plot.measure.text(a) for a in plot.totals())
    else:
        labels = ()
    return ChartData(
        family=plot.family,  # type: ignore[arg-type]
        categories=plot.categories,
        series=tuple(Series(name, tuple(a.value for a in row)) for name, row in zip(plot.series, plot.amounts,
                                                                                     strict=True)),
        value_label=plot.measure.axis_label,
        number_format=excel_format(plot),
        labels=labels,
    )


def excel_format(plot: Plot) -> str:
    """The number format a spreadsheet or native chart uses for these values: '#,##0', '"$"#,##0,,"m"', '0"%"'."""
    values = [a.value for row in plot.amounts for a in row if a.value is not None]
    kind = plot.measure.kind
    if kind == "money" and plot.top >= 1_000_000:
        whole = all(float(v / 1_000_000).is_integer() for v in values)
        sign = _EXCEL_SIGNS.get(plot.measure.currency or "", "")
        return f'{sign}#,##0{"" if whole else ".0"},,"m"'
    whole = all(float(v).is_integer() for v in values)
    base = "#,##0" if whole else "#,##0.0"
    if kind == "money":
        return _EXCEL_SIGNS.get(plot.measure.currency or "", "") + base
    if kind == "percent":
        return base + '"%"'
    return base


def proper_nouns(fb: FactBase) -> frozenset[str]:
    """Capitalised words that the fact base writes capitalised mid-sentence (China, Tajik, SCO): names that a
    generated sentence must keep as they are."""
    words: set[str] = set()
    texts = [f.statement for f in fb.facts.values()] + [fb.info.subject]
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            for word in re.findall(r"[\w'’-]+", sentence)[1:]:
                if word[:1].isupper():
                    words.add(re.sub(r"['’]s$", "", word))
    return frozenset(words)


def _dataset(spec: ChartSpec, fb: FactBase) -> Dataset:
    if not spec.dataset or spec.dataset not in fb.datasets:
        raise _spec_error(spec, fb, f"unknown dataset {spec.dataset!r}", "dataset")
    return fb.datasets[spec.dataset]


def _column(spec: ChartSpec, fb: FactBase, dataset: Dataset, name: str | None, role: str) -> Column:
    for column in dataset.columns:
        if column.name == name:
            return column
    raise _spec_error(spec, fb, f"{role} column {name!r} is not a column of dataset {dataset.dataset!r}", role)


def _spec_error(spec: ChartSpec, fb: FactBase, message: str, field: str) -> FactbaseError:
    return FactbaseError.at(fb.root / "figures.yaml", f"chart {spec.id!r}: {message}", field=field)


def _categories(records: list[dict[str, object]], x: Column) -> list[str]:
    values = list(dict.fromkeys(_category(r[x.name], x) for r in records))
    if x.type in ("year", "date", "number", "money", "percent"):
        keys = {_category(r[x.name], x): _sort_key(r[x.name], x) for r in records}
        values.sort(key=lambda v: keys[v])
    return values


def _category(value: object, x: Column) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if x.type == "year" and isinstance(value, (int, float)):
        return str(int(value))
    if x.type == "date":
        return PartialDate.parse(value).human()
    return str(value)


def _sort_key(value: object, x: Column) -> tuple[object, ...]:
    if isinstance(value, dict):
        value = value.get("value")
    if x.type == "date":
        return (PartialDate.parse(value).first_day,)
    return (float(value),) if isinstance(value, (int, float)) else (float("inf"), str(value))


def _series_name(record: dict[str, object], group: Column | None) -> str:
    from briefkit.labels import current

    value = record.get(group.name) if group else None
    return current()["not_stated"] if value in (None, "") else str(value)


def _amount(value: object) -> Amount:
    if isinstance(value, dict):
        number = value.get("value")
        qualifier = str(value.get("qualifier", "exact"))
        return Amount(number if isinstance(number, (int, float)) else None, qualifier)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Amount(value)
    return Amount(None)


def _facts(record: dict[str, object]) -> list[str]:
    facts = record.get("facts")
    return [str(f) for f in facts] if isinstance(facts, list) else []
