"""Choosing what a brief says for one audience (and meeting): a pure function of the fact base.

Everything decided here is decided once for all formats, so the DOCX, PDF and PPTX say the same things.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefkit.audience import Audience
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
    """What this audience reads, in order. Meeting topics move matching sections and points forward."""
    focus = set(meeting.topics) if meeting else set()
    ordered = _order_sections(fb.info.sections, audience, focus)
    want_sections = audience.parts.count("sections") > 0
    charts_left = audience.charts
    tables_left = audience.tables
    plans: list[SectionPlan] = []
    for section in ordered:
        facts = [f for f in fb.facts_for_topics(section.topics) if f.weight <= audience.max_weight]
        if audience.facts_per_section:
            keep = sorted(facts, key=lambda f: (f.weight, f.when.first_day))[: audience.facts_per_section]
            facts = [f for f in facts if f in keep]
        charts = [c for c in fb.figures.charts if section.id in c.sections and c.weight <= audience.max_figure_weight]
        tables = [t for t in fb.figures.tables if section.id in t.sections and t.weight <= audience.max_figure_weight]
        charts, charts_left = _take(charts, charts_left)
        tables, tables_left = _take(tables, tables_left)
        if not facts:
            continue
        plans.append(SectionPlan(section, fb.analysis.section_leads.get(section.id), tuple(facts), tuple(charts),
                                 tuple(tables), bool(focus & set(section.topics))))
    if not want_sections:
        # Audiences without sections still get their figures: the most important charts overall.
        charts = sorted(fb.figures.charts, key=lambda c: c.weight)
        chosen_charts = tuple(charts[: audience.charts or 0])
        chosen_tables = tuple(sorted(fb.figures.tables, key=lambda t: t.weight)[: audience.tables or 0])
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
        bottom_line=tuple(fb.analysis.bottom_line),
        judgments=tuple(_rank(fb.analysis.judgments, focus)[: audience.judgments]),
        sections=plans_out,
        talking_points=tuple(_rank(fb.analysis.talking_points, focus)[: audience.talking_points]),
        indicators=tuple(_rank(fb.analysis.indicators, focus)[: audience.indicators]),
        conflicts=conflicts,
        charts=chosen_charts,
        tables=chosen_tables,
    )


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
