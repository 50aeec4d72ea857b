"""Choosing what a brief says for one audience (and meeting): a pure function of the fact base.

Everything decided here is decided once for all formats, so the DOCX, PDF and PPTX say the same things.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefkit.audience import Audience
from briefkit.errors import BuildError, Problem
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec, Conflict, Fact, Point, Section, TableSpec
from briefkit.meeting import Meeting


@dataclass(frozen=True)
class SectionPlan:
    section: Section
    lead: Point | None
    facts: tuple[Fact, ...]
    charts: tuple[ChartSpec, ...]
    tables: tuple[TableSpec, ...]
    weighted: bool  # raised by the meeting's topics


@dataclass(frozen=True)
class Selection:
    audience: Audience
    meeting: Meeting | None
    bottom_line: tuple[Point, ...]
    judgments: tuple[Point, ...]
    sections: tuple[SectionPlan, ...]
    talking_points: tuple[Point, ...]
    indicators: tuple[Point, ...]
    conflicts: tuple[Conflict, ...]
    charts: tuple[ChartSpec, ...]  # in the order they appear
    tables: tuple[TableSpec, ...]

    def has(self, part: str) -> bool:
        return part in self.audience.parts


def select(fb: FactBase, audience: Audience, meeting: Meeting | None) -> Selection:
    """What this audience reads, in order. Meeting topics move matching sections, figures and points forward."""
    focus = set(meeting.topics) if meeting else set()
    ordered = _order_sections(fb.info.sections, audience, focus)
    want_sections = "sections" in audience.parts
    charts_left = audience.charts
    tables_left = audience.tables
    shown_charts = [c for c in fb.figures.charts if c.weight <= audience.max_figure_weight and _chart_has_data(c, fb)]
    shown_tables = [t for t in fb.figures.tables if t.weight <= audience.max_figure_weight and _table_has_data(t, fb)]
    plans: list[SectionPlan] = []
    for section in ordered:
        facts = [f for f in fb.facts_for_topics(section.topics) if f.weight <= audience.max_weight]
        cap = audience.facts_per_section
        if focus and audience.facts_off_topic and not focus & set(section.topics):
            cap = audience.facts_off_topic  # a section off the meeting's topics keeps only its weightiest facts
        if cap:
            keep = sorted(facts, key=lambda f: (f.weight, f.when.first_day))[:cap]
            facts = [f for f in facts if f in keep]
        if not facts:
            continue
        charts, charts_left = _take([c for c in shown_charts if section.id in c.sections], charts_left)
        tables, tables_left = _take([t for t in shown_tables if section.id in t.sections], tables_left)
        plans.append(SectionPlan(section, fb.analysis.section_leads.get(section.id), tuple(facts), tuple(charts),
                                 tuple(tables), bool(focus & set(section.topics))))
    if not want_sections:
        # Audiences without sections still get their figures: the most important, those on the meeting's first.
        topics_of = {s.id: set(s.topics) for s in fb.info.sections}

        def rank(spec: ChartSpec | TableSpec) -> tuple[bool, int]:
            about = set().union(*(topics_of.get(s, set()) for s in spec.sections))
            return (not (focus & about), spec.weight)

        chosen_charts = tuple(sorted(shown_charts, key=rank)[: audience.charts or 0])
        chosen_tables = tuple(sorted(shown_tables, key=rank)[: audience.tables or 0])
        plans_out: tuple[SectionPlan, ...] = ()
    else:
        chosen_charts = tuple(c for p in plans for c in p.charts)
        chosen_tables = tuple(t for p in plans for t in p.tables)
        plans_out = tuple(plans)
    shown_topics = {t for p in plans_out for t in p.section.topics} if want_sections else set(fb.info.topics)
    conflicts = tuple(c for c in fb.conflicts if c.topic in shown_topics)
    return Selection(
        audience=audience,
        meeting=meeting,
        bottom_line=tuple(fb.analysis.bottom_line[: audience.bottom_line]),
        # Key judgments keep the analysts' order whatever the meeting: the first one is the overall judgment.
        judgments=tuple(_rank(fb.analysis.judgments, set())[: audience.judgments]),
        sections=plans_out,
        talking_points=tuple(_rank(fb.analysis.talking_points, focus)[: audience.talking_points]),
        indicators=tuple(_rank(fb.analysis.indicators, focus)[: audience.indicators]),
        conflicts=conflicts,
        charts=chosen_charts,
        tables=chosen_tables,
    )


def _chart_has_data(spec: ChartSpec, fb: FactBase) -> bool:
    """A chart is shown only with at least one value to draw: as of an early date its dataset may be empty."""
    from briefkit.charts.registry import family

    plot = family(spec.family).prepare(spec, fb)
    return bool(plot.categories) and any(a.value for row in plot.amounts for a in row)


def _table_has_data(spec: TableSpec, fb: FactBase) -> bool:
    dataset = fb.datasets.get(spec.dataset)
    return dataset is not None and bool(dataset.records)


def _take(items: list, left: int | None) -> tuple[list, int | None]:
    if left is None:
        return items, None
    return items[:left], max(0, left - len(items))


def _order_sections(sections: list[Section], audience: Audience, focus: set[str]) -> list[Section]:
    by_id = {s.id: s for s in sections}
    if audience.sections == "all":
        chosen = list(sections)
    else:
        named = [by_id[i] for i in audience.sections if i in by_id]
        rest = [s for s in sections if s.id not in audience.sections]
        chosen = []
        for i in audience.sections:
            if i == "*":
                chosen.extend(rest)
            elif i in by_id:
                chosen.append(by_id[i])
        if not chosen:
            chosen = named
    if focus:
        # Stable: sections the meeting is about come first, each group keeping its order.
        chosen.sort(key=lambda s: not (focus & set(s.topics)))
    return chosen


def _rank(points: list[Point], focus: set[str]) -> list[Point]:
    """Points about the meeting's topics first, then by weight; otherwise the fact base's order."""
    indexed = list(enumerate(points))
    indexed.sort(key=lambda ip: (not (focus & set(ip[1].topics)) if focus else False, ip[1].weight, ip[0]))
    return [p for _, p in indexed]


def check_as_of(full: FactBase, known: FactBase, audience: Audience, meeting: Meeting | None, where: str) -> None:
    """As of a date before the fact base's first source, or before anything this audience reads was reported,
    there is no brief to write: say so, and from when there is, rather than build an empty one."""
    day = known.as_of.iso() if known.as_of else "then"
    if not known.sources:
        first = min(full.sources.values(), key=lambda s: s.published.last_day)
        raise BuildError(Problem(where, None, f"no source had been published by {day}; the first, "
                                              f"{first.id}, was published {first.published.iso()}"))
    sel = select(known, audience, meeting)
    said = {"bottom_line": sel.bottom_line, "judgments": sel.judgments, "sections": sel.sections,
            "talking_points": sel.talking_points}
    if any(items for part, items in said.items() if part in audience.parts):
        return
    a = full.analysis
    points = {"bottom_line": a.bottom_line, "judgments": a.judgments, "talking_points": a.talking_points}
    dates = [max(_known_from(full, full.facts[f]) for f in p.facts)
             for part, items in points.items() if part in audience.parts for p in items]
    if "sections" in audience.parts:
        dates += [_known_from(full, f) for f in full.facts.values() if f.weight <= audience.max_weight]
    earliest = min(dates).isoformat() if dates else "a later date"
    raise BuildError(Problem(where, None, f"as of {day} the {audience.name} brief would say nothing: all it reads "
                                          f"rests on facts reported later; it can be written as of {earliest} or "
                                          "later"))


def _known_from(fb: FactBase, fact: Fact) -> dt.date:
    """The first day `FactBase.select` keeps `fact`: its sources are all out and it has happened."""
    return max(fb.fact_known_on(fact).last_day, fact.when.first_day)
