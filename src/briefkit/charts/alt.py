"""Alt text written from a chart's data, for readers who cannot see it: what kind of chart, what it measures,
and the numbers themselves (every category when there are few, else the span, the highest and the lowest)."""

from __future__ import annotations

import re

from briefkit.charts.data import Amount, Plot

MAX_LISTED = 12  # more categories than this are summarised, not read out one by one
MAX_TIES = 3


def alt_text(plot: Plot, noun: str) -> str:
    """'Bar chart of personnel by year: over 5,000 in 2014, about 10,000 in 2016 and 12,000 in 2019.'

    In a brief of another language, the same facts in a plainer form that its labels can say (`_labelled`)."""
    from briefkit.labels import current

    if current().language != "en":
        return _labelled(plot)
    head = f"{noun} of {_what(plot)}"
    if not plot.categories:
        return f"{head}: no figures."
    if len(plot.categories) <= MAX_LISTED:
        return f"{head}: {_listing(plot)}."
    return f"{head}, {_summary(plot)}."


def _labelled(plot: Plot) -> str:
    """'Столбчатая диаграмма: Поездок в день, Год. 2020: 8,100; 2023: 12,400.' Every category (the first
    MAX_LISTED, then how many more), each with its numbers."""
    from briefkit.labels import current

    words = current()
    head = words.text("chart_alt", kind=words[f"chart_{plot.family}"], measure=plot.measure.label,
                      category=plot.category_label)
    if not plot.categories:
        return f"{head} {words['no_figures']}"
    parts = []
    for i, category in enumerate(plot.categories[:MAX_LISTED]):
        shown = [(n, row[i]) for n, row in zip(plot.series, plot.amounts, strict=True) if row[i].value is not None]
        if len(plot.series) == 1:
            items = ", ".join(plot.measure.text(a) for _n, a in shown)
        else:
            items = ", ".join(f"{n} {plot.measure.text(a)}" for n, a in shown)
        parts.append(f"{category}: {items or words['no_figures']}")
    rest = len(plot.categories) - MAX_LISTED
    more = " " + words.text("and_more", count=rest) if rest > 0 else ""
    return f"{head} {'; '.join(parts)}.{more}"


def _what(plot: Plot) -> str:
    what = f"{_phrase(plot.measure.label, plot)} by {_phrase(plot.category_label, plot)}"
    if len(plot.series) > 1 and plot.series_label:
        what += f" and {_phrase(plot.series_label, plot)}"
    return what


def _listing(plot: Plot) -> str:
    if len(plot.series) == 1:
        return join([_single(a, c, plot) for a, c in zip(plot.amounts[0], plot.categories, strict=True)])
    stacked = plot.family in ("stacked-bar", "timeline")
    parts = []
    for i, category in enumerate(plot.categories):
        shown = [(n, row[i]) for n, row in zip(plot.series, plot.amounts, strict=True) if row[i].value]
        items = join([f"{n} {plot.measure.text(a)}" for n, a in shown])
        if not shown:
            parts.append(f"{category}: {'none' if stacked else 'no figures'}")
        elif stacked:
            parts.append(f"{category}: {plot.measure.text(plot.totals()[i])} in all ({items})")
        else:
            parts.append(f"{category}: {items}")
    return "; ".join(parts)


def _single(amount: Amount, category: str, plot: Plot) -> str:
    where = f"in {category}" if plot.years else f"for {category}"
    return f"{plot.measure.text(amount)} {where}" if amount.value is not None else f"no figure {where}"


def _summary(plot: Plot) -> str:
    """The span of the categories, the series, and where the bars (or stacks) are highest and lowest."""
    cats = plot.categories
    span = f"from {cats[0]} to {cats[-1]}" if plot.years else f"across {len(cats)} categories"
    if len(plot.series) > 1:
        span += f", in {len(plot.series)} series ({join(list(plot.series))})"
    points = _points(plot)
    if not points:
        return f"{span}: no figures"
    high = max(a.value for a, _ in points if a.value is not None)
    low = min(a.value for a, _ in points if a.value is not None)
    whose = "the total is" if len(plot.series) > 1 and plot.family in ("stacked-bar", "timeline") else "the bars are"
    text = f"{span}; {whose} highest, {_extreme(points, high, plot)}, and lowest, {_extreme(points, low, plot)}"
    missing = sum(1 for a in (plot.totals() if len(plot.series) > 1 else plot.amounts[0]) if a.value is None)
    if missing:
        text += f"; no figure for {_count(missing, plot)}"
    return text


def _points(plot: Plot) -> list[tuple[Amount, str]]:
    """What the summary compares: each bar, or each stack's total; labelled by where they stand."""
    if len(plot.series) == 1 or plot.family in ("stacked-bar", "timeline"):
        amounts = plot.totals() if len(plot.series) > 1 else plot.amounts[0]
        return [(a, c) for a, c in zip(amounts, plot.categories, strict=True) if a.value is not None]
    return [(a, f"{name} in {c}" if plot.years else f"{c} ({name})")
            for name, row in zip(plot.series, plot.amounts, strict=True)
            for a, c in zip(row, plot.categories, strict=True) if a.value is not None]


def _extreme(points: list[tuple[Amount, str]], value: float, plot: Plot) -> str:
    """'14 in 2019', or '0 in 2003, 2004, 2007 and 4 more years' when several share it."""
    where = [c for a, c in points if a.value == value]
    amount = next(a for a, _ in points if a.value == value)
    named = where[:MAX_TIES]
    rest = len(where) - len(named)
    places = join(named + ([f"{_count(rest, plot, 'more ')}"] if rest else []))
    grouped = len(plot.series) > 1 and plot.family not in ("stacked-bar", "timeline")
    preposition = "for" if grouped or not plot.years else "in"
    return f"{plot.measure.text(amount)} {preposition} {places}"


def _count(n: int, plot: Plot, more: str = "") -> str:
    """'1 year', '4 more years', '2 categories'."""
    noun = ("year" if n == 1 else "years") if plot.years else ("category" if n == 1 else "categories")
    return f"{n} {more}{noun}"


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; with semicolons when an item has its own commas or 'and' ('Equipment, arms
    and aid; The border and Other'), so that a listener can tell where each ends."""
    if len(items) <= 1:
        return "".join(items)
    if any(", " in i or " and " in i for i in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _phrase(label: str, plot: Plot) -> str:
    """A label as it reads mid-sentence: 'Personnel' -> 'personnel', but 'SCO', 'China's aid' and 'Tajik
    troops' keep their capitals (names the fact base itself capitalises mid-sentence)."""
    first = label.split(" ", 1)[0]
    bare = re.sub(r"['’]s$", "", first)
    if not bare or bare in plot.proper_nouns or (len(bare) > 1 and not bare[1:].islower()):
        return label
    return label[0].lower() + label[1:]
