"""Turning a dataset and a table spec into a format-neutral `Table` (cells already written as text)."""

from __future__ import annotations

from briefkit.citations import sources_line
from briefkit.document.model import Table
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import Column, TableSpec
from briefkit.formatting import cell as format_cell
from briefkit.formatting import heading

_NUMERIC = {"number", "money", "percent"}


def build_table(spec: TableSpec, fb: FactBase, number: int = 0) -> Table:
    dataset = fb.datasets[spec.dataset]
    columns = {c.name: c for c in dataset.columns}
    chosen = [columns[name] for name in spec.columns]
    records = list(dataset.records)
    sort = spec.sort
    if sort:
        records.sort(key=lambda r: _sort_key(r.get(sort)))
    rows = tuple(tuple(_text(r.get(c.name), c) for c in chosen) for r in records)
    cited = [s for r in records for f in _facts(r) if f in fb.facts for s in fb.facts[f].source_ids]
    return Table(
        id=spec.id,
        title=spec.title,
        caption=spec.caption,
        source_note=sources_line(cited, fb.sources),
        header=tuple(heading(c.label, c.unit, c.type) for c in chosen),
        rows=rows,
        numeric=tuple(c.type in _NUMERIC for c in chosen),
        widths=_widths(chosen, rows),
        number=number,
    )


def _text(value: object, column: Column) -> str:
    if value is None or value == "":
        return "\u2013"  # an en dash: the source gives nothing
    if column.type in _NUMERIC:
        if isinstance(value, dict):
            return format_cell(float(value["value"]), column.type, str(value.get("qualifier", "exact")),
                               column.currency)
        return format_cell(float(value), column.type, "exact", column.currency)  # type: ignore[arg-type]
    return str(value)


def _sort_key(value: object) -> tuple[int, object]:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None:
        return (1, "")
    return (0, value if isinstance(value, (int, float)) else str(value))


def _widths(columns: list[Column], rows: tuple[tuple[str, ...], ...]) -> tuple[float, ...]:
    """Relative widths from the longest word and the typical length of each column, so text wraps evenly."""
    weights = []
    for i, column in enumerate(columns):
        texts = [heading(column.label, column.unit, column.type)] + [r[i] for r in rows]
        longest_word = max((len(w) for t in texts for w in t.split()), default=4)
        typical = sum(len(t) for t in texts) / len(texts)
        weights.append(max(longest_word, min(typical, 40), 4))
    total = sum(weights)
    return tuple(round(w / total, 4) for w in weights)


def _facts(record: dict[str, object]) -> list[str]:
    facts = record.get("facts")
    return [str(f) for f in facts] if isinstance(facts, list) else []
