"""Rules that span files: references resolve, ids are unique, numbers match values, datasets match facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefkit.errors import Problem, display_path
from briefkit.factbase.dates import PartialDate
from briefkit.factbase.quantities import name_hint, quantities, same_number, scale_hint
from briefkit.factbase.schema import Cell, ChartSpec, Fact, Point, TableSpec
from briefkit.factbase.yamlfile import LMap, line_of

if TYPE_CHECKING:
    from pathlib import Path

    from briefkit.factbase.model import FactBase


@dataclass
class Origins:
    """Where each loaded item came from, so that a cross-file rule can point at a file and line."""

    where: dict[tuple[str, str], tuple[str, Any]] = field(default_factory=dict)

    def add(self, kind: str, ident: str, path: Path, data: Any, problems: list[Problem]) -> None:
        key = ("fact" if kind == "conflict" else kind, ident)
        shown = display_path(path)
        if key in self.where:
            first, _ = self.where[key]
            problems.append(Problem(shown, line_of(data, ("id",)), f"id {ident!r} is already used in {first}", "id"))
            return
        self.where[key] = (shown, data)

    def problem(self, kind: str, ident: str, loc: tuple[Any, ...], message: str, fld: str | None = None) -> Problem:
        key = ("fact" if kind == "conflict" else kind, ident)
        shown, data = self.where.get(key, ("?", None))
        line = line_of(data, loc) if isinstance(data, LMap) else None
        return Problem(shown, line, message, fld)


def check_factbase(fb: FactBase, origins: Origins) -> list[Problem]:
    out: list[Problem] = []
    out += _check_structure(fb, origins)
    for fact in fb.facts.values():
        out += _check_fact(fb, fact, origins)
    out += _check_conflicts(fb, origins)
    out += _check_datasets(fb, origins)
    out += _check_figures(fb, origins)
    out += _check_analysis(fb, origins)
    cited = {s for f in fb.facts.values() for s in f.source_ids}
    for sid in fb.sources:
        if sid not in cited:
            out.append(origins.problem("source", sid, ("id",), f"source {sid!r} is not cited by any fact", "id"))
    return out


def _check_structure(fb: FactBase, o: Origins) -> list[Problem]:
    out = []
    topics = set(fb.info.topics)
    in_sections = set()
    path = display_path(fb.root / "factbase.yaml")
    for section in fb.info.sections:
        for t in section.topics:
            if t not in topics:
                out.append(Problem(path, None, f"section {section.id!r} names unknown topic {t!r}", "sections"))
            in_sections.add(t)
    ids = {s.id for s in fb.info.sections}
    for role, named in fb.info.roles.items():
        for sid in named:
            if sid not in ids:
                out.append(Problem(path, None, f"role {role!r} names unknown section {sid!r}", "roles"))
    for t in sorted(topics - in_sections):
        out.append(Problem(path, None, f"topic {t!r} is in no section, so its facts would never be shown", "topics"))
    return out


def _check_fact(fb: FactBase, fact: Fact, o: Origins) -> list[Problem]:
    out = []

    def bad(loc: tuple[Any, ...], message: str, fld: str) -> None:
        out.append(o.problem("fact", fact.id, loc, message, fld))

    if fact.topic not in fb.info.topics:
        bad(("topic",), f"{fact.topic!r} is not a topic of factbase.yaml", "topic")
    for i, cite in enumerate(fact.sources):
        source = fb.sources.get(cite.source)
        if source is None:
            bad(("sources", i, "source"), f"unknown source {cite.source!r}", "sources.source")
            continue
        for name, text in (("date", fact.date), ("until", fact.until)):
            if text and PartialDate.parse(text).first_day > source.published.last_day:
                bad((name,), f"{text} is later than the publication of {source.id} ({source.date})", name)
    if fact.until and PartialDate.parse(fact.until).last_day < fact.when.first_day:
        bad(("until",), f"{fact.until} is before the fact's date {fact.date}", "until")
    names = [*fb.info.names, *fact.names]
    out += _numbers_match(fact.statement, fact.values, lambda m: bad(("statement",), m, "statement"), names)
    written = [q.value for q in quantities(fact.statement, names)]
    for i, v in enumerate(fact.values):
        if not any(same_number(v.value, w) for w in written):
            bad(("values", i, "value"), f"value {v.value:g} does not appear in the statement", "values")
        if v.derived:
            for ref in v.derived.from_:
                if ref not in fb.facts:
                    bad(("values", i, "derived"), f"derived from unknown fact {ref!r}", "values.derived")
    if fact.kind == "quote" and fact.quote is None:
        bad(("kind",), "a quote needs `quote: {speaker, text}`", "quote")
    if fact.quote and fact.quote.text not in fact.statement:
        bad(("quote", "text"), "the quoted text must appear word for word in the statement", "quote.text")
    if fact.statement.count('"') % 2:
        bad(("statement",), "unbalanced double quotes", "statement")
    return out


def _numbers_match(text: str, values: Iterable[Any], report: Any, names: list[str]) -> list[Problem]:
    values = list(values)
    for q in quantities(text, names):
        if not any(same_number(q.value, v.value) for v in values):
            hint = scale_hint(q, [v.value for v in values]) or name_hint(text, q)
            report(f"the number {q.text!r} has no matching entry in values{hint}")
    return []


def _check_conflicts(fb: FactBase, o: Origins) -> list[Problem]:
    out = []
    for c in fb.conflicts:
        if c.topic not in fb.info.topics:
            out.append(o.problem("conflict", c.id, ("topic",), f"{c.topic!r} is not a topic", "topic"))
        for i, f in enumerate(c.facts):
            if f not in fb.facts:
                out.append(o.problem("conflict", c.id, ("facts", i), f"unknown fact {f!r}", "facts"))
        if len(set(c.facts)) < 2:
            message = "a conflict links at least two different facts"
            out.append(o.problem("conflict", c.id, ("facts",), message, "facts"))
        if c.more_credible and c.more_credible not in c.facts:
            message = "must be one of the conflict's facts"
            out.append(o.problem("conflict", c.id, ("more_credible",), message, "more_credible"))
    return out


def _check_datasets(fb: FactBase, o: Origins) -> list[Problem]:
    out = []
    for name, ds in fb.datasets.items():
        columns = {c.name: c for c in ds.columns}
        for i, record in enumerate(ds.records):
            def bad(loc: tuple[Any, ...], message: str, fld: str, i: int = i, name: str = name) -> None:
                out.append(o.problem("dataset", name, ("records", i, *loc), message, fld))

            refs = record.get("facts")
            if not isinstance(refs, list) or not refs:
                bad((), "each record needs `facts:` listing the facts it comes from", "facts")
                continue
            cited = [fb.facts[f] for f in refs if isinstance(f, str) and f in fb.facts]
            for f in refs:
                if f not in fb.facts:
                    bad(("facts",), f"unknown fact {f!r}", "facts")
            for key, cell in record.items():
                if key == "facts":
                    continue
                column = columns.get(key)
                if column is None:
                    bad((key,), f"{key!r} is not a column of dataset {name!r}", key)
                    continue
                if cell is None or not cited:
                    continue
                problem = _cell_problem(column.type, cell, cited)
                if problem:
                    bad((key,), problem, key)
    return out


def _cell_problem(kind: str, cell: object, cited: list[Fact]) -> str | None:
    if kind in ("number", "money", "percent"):
        try:
            c = Cell.model_validate(cell) if isinstance(cell, dict) else Cell(value=cell)  # type: ignore[arg-type]
        except Exception:
            return f"{cell!r} is not a number or {{value, qualifier}}"
        matches = [v for f in cited for v in f.values if same_number(v.value, c.value)]
        if not matches:
            return f"{c.value:g} is not a value of the facts this record cites"
        if not any(v.qualifier == c.qualifier for v in matches):
            q = matches[0].qualifier
            return f"the fact gives {c.value:g} with qualifier {q!r}; write {{value: {c.value:g}, qualifier: {q}}}"
    elif kind == "year":
        years = {f.when.year for f in cited} | {PartialDate.parse(f.until).year for f in cited if f.until}
        if not isinstance(cell, int) or cell not in years:
            return f"{cell!r} is not the year of a fact this record cites ({', '.join(map(str, sorted(years)))})"
    elif kind == "date":
        try:
            d = PartialDate.parse(cell).iso()
        except ValueError as exc:
            return str(exc)
        if d not in {f.date for f in cited} | {f.until for f in cited if f.until}:
            return f"{d} is not the date of a fact this record cites"
    elif not isinstance(cell, (str, int, float)):
        return f"{cell!r} should be plain text"
    return None


def _check_figures(fb: FactBase, o: Origins) -> list[Problem]:
    out = []
    sections = {s.id for s in fb.info.sections}
    specs: list[tuple[str, ChartSpec | TableSpec, list[str | None]]]
    specs = [("chart", c, [c.x, c.y, c.series]) for c in fb.figures.charts]
    specs += [("table", t, [*t.columns, t.sort]) for t in fb.figures.tables]
    for kind, spec, cols in specs:
        ds = fb.datasets.get(spec.dataset) if spec.dataset else None
        if spec.dataset and ds is None:
            out.append(o.problem(kind, spec.id, ("dataset",), f"unknown dataset {spec.dataset!r}", "dataset"))
        if ds is not None:
            names = {c.name for c in ds.columns}
            for col in cols:
                if col and col not in names:
                    out.append(o.problem(kind, spec.id, (), f"{col!r} is not a column of {spec.dataset!r}", "columns"))
        if isinstance(spec, ChartSpec) and spec.family != "timeline" and not (spec.dataset and spec.x and spec.y):
            out.append(o.problem(kind, spec.id, (), "needs dataset, x and y", "family"))
        elif isinstance(spec, ChartSpec) and ds is not None and spec.family != "timeline" and spec.aggregate is None:
            out += _shared_bars(spec, ds, o)
        for s in spec.sections:
            if s not in sections:
                out.append(o.problem(kind, spec.id, ("sections",), f"unknown section {s!r}", "sections"))
    return out


def _shared_bars(spec: Any, ds: Any, o: Origins) -> list[Problem]:
    """Two records drawn as one bar (same category, same series) would be summed into a number no source gives:
    refused unless the chart asks for the sum by name (`aggregate: sum`)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for i, record in enumerate(ds.records):
        x = record.get(spec.x)
        if x in (None, "") or record.get(spec.y) is None:
            continue  # no bar, or a bar with no figure: nothing to add up
        key = (str(x.get("value") if isinstance(x, dict) else x), str(record.get(spec.series)) if spec.series else "")
        if key in seen:
            first = o.problem("dataset", ds.dataset, ("records", seen[key]), "")
            this = o.problem("dataset", ds.dataset, ("records", i), "")
            bar = key[0] + (f" ({key[1]})" if spec.series else "")
            message = (f"chart {spec.id!r}: records at {first.path}:{first.line} and line {this.line} share the bar "
                       f"{bar!r}, which would show their sum, a number no source gives; give `series:` a column "
                       "that tells them apart, or write `aggregate: sum` to show the sum by name")
            out.append(o.problem("chart", spec.id, ("x",), message, "x"))
        else:
            seen[key] = i
    return out


def _check_analysis(fb: FactBase, o: Origins) -> list[Problem]:
    out = []
    a = fb.analysis
    groups: list[tuple[str, Sequence[Point]]] = [
        ("bottom_line", a.bottom_line), ("judgments", a.judgments),
        ("talking_points", a.talking_points), ("indicators", a.indicators),
    ]
    sections = {s.id for s in fb.info.sections}
    for key in a.section_leads:
        if key not in sections:
            loc: tuple[Any, ...] = ("section_leads", key)
            out.append(o.problem("analysis", "analysis", loc, f"{key!r} is not a section", "section_leads"))
    groups.append(("section_leads", list(a.section_leads.values())))
    for group, points in groups:
        for i, p in enumerate(points):
            loc = (group, i) if group != "section_leads" else (group, list(a.section_leads)[i])

            def bad(sub: tuple[Any, ...], message: str, fld: str, loc: tuple[Any, ...] = loc) -> None:
                out.append(o.problem("analysis", "analysis", (*loc, *sub), message, fld))

            cited = [fb.facts[f] for f in p.facts if f in fb.facts]
            for j, f in enumerate(p.facts):
                if f not in fb.facts:
                    bad(("facts", j), f"unknown fact {f!r}", f"{group}.facts")
            for t in p.topics:
                if t not in fb.info.topics:
                    bad(("topics",), f"{t!r} is not a topic", f"{group}.topics")
            values = [v for f in cited for v in f.values]
            names = [*fb.info.names, *p.names, *(n for f in cited for n in f.names)]
            for q in quantities(p.text, names):
                if not any(same_number(q.value, v.value) for v in values):
                    hint = scale_hint(q, [v.value for v in values]) or name_hint(p.text, q)
                    bad(("text",), f"the number {q.text!r} is not a value of the facts cited{hint}", f"{group}.text")
    return out
