"""Choosing what a brief says for one audience (and meeting): a pure function of the fact base.

Everything decided here is decided once for all formats, so the DOCX, PDF and PPTX say the same things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from briefkit.audience import Audience
from briefkit.errors import BuildError, Problem
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec, Conflict, Fact, Point, Section, TableSpec
from briefkit.meeting import Meeting

P = TypeVar("P", bound=Point)


@dataclass(frozen=True)
class SectionPlan:
    section: Section
    lead: Point | None
    facts: tuple[Fact, ...]
    charts: tuple[ChartSpec, ...]
    tables: tuple[TableSpec, ...]
    weighted: bool  # raised by the meeting's topics


@dataclass(frozen=True)
class LeftOut:
    """Something of the fact base this brief does not show, and why (for the summary and the manifest)."""

    kind: str  # fact, chart, table, conflict, point
    id: str
    reason: str
    cause: str = "limits"  # weight, limits, section, parts, as-of, no data, incomplete: what the summary counts


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
    notes: tuple[str, ...] = ()  # what the audience asked for that this fact base lacks, and what it got instead
    left_out: tuple[LeftOut, ...] = ()

    def has(self, part: str) -> bool:
        return part in self.audience.parts


def select(fb: FactBase, audience: Audience, meeting: Meeting | None) -> Selection:
    """What this audience reads, in order, and what it leaves out and why. Meeting topics move matching sections,
    figures and points forward."""
    focus = set(meeting.topics) if meeting else set()
    ordered, notes = resolve_sections(fb, audience)
    if focus:  # stable: sections the meeting is about come first, each group keeping its order
        ordered.sort(key=lambda s: not (focus & set(s.topics)))
    want_sections = "sections" in audience.parts
    left: list[LeftOut] = []
    charts_left = audience.charts
    tables_left = audience.tables
    shown_charts: list[ChartSpec] = []
    shown_tables: list[TableSpec] = []
    specs: list[ChartSpec | TableSpec] = [*fb.figures.charts, *fb.figures.tables]
    for spec in specs:
        kind = "chart" if isinstance(spec, ChartSpec) else "table"
        has_data = _chart_has_data(spec, fb) if isinstance(spec, ChartSpec) else _table_has_data(spec, fb)
        if spec.weight > audience.max_figure_weight:
            left.append(LeftOut(kind, spec.id, f"weight {spec.weight}; this audience shows figures of weight "
                                               f"{audience.max_figure_weight} or less", "weight"))
        elif not has_data:
            left.append(LeftOut(kind, spec.id, "no records to show" + (f" as of {fb.as_of.iso()}" if fb.as_of else ""),
                                "as-of" if fb.as_of else "no data"))
        elif isinstance(spec, ChartSpec):
            shown_charts.append(spec)
        else:
            shown_tables.append(spec)
    plans: list[SectionPlan] = []
    caps: dict[str, int] = {}
    for section in ordered:
        facts = [f for f in fb.facts_for_topics(section.topics) if f.weight <= audience.max_weight]
        cap = audience.facts_per_section
        if focus and audience.facts_off_topic and not focus & set(section.topics):
            cap = audience.facts_off_topic  # a section off the meeting's topics keeps only its weightiest facts
        if cap:
            keep = sorted(facts, key=lambda f: (f.weight, f.when.first_day))[:cap]
            facts = [f for f in facts if f in keep]
            caps[section.id] = cap
        if not facts:
            continue
        charts, charts_left = _take([c for c in shown_charts if section.id in c.sections], charts_left)
        tables, tables_left = _take([t for t in shown_tables if section.id in t.sections], tables_left)
        plans.append(SectionPlan(section, fb.analysis.section_leads.get(section.id), tuple(facts), tuple(charts),
                                 tuple(tables), bool(focus & set(section.topics))))
    if want_sections:
        plans = _whole_conflicts(fb, plans, caps)
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
    shown_facts = {f.id for p in plans_out for f in p.facts}
    if "conflicts" not in audience.parts:
        conflicts: tuple[Conflict, ...] = ()
    elif want_sections:
        conflicts = tuple(c for c in fb.conflicts if all(f in shown_facts for f in c.facts))
    else:
        conflicts = tuple(fb.conflicts)  # shown whole in their own section: each version with its source
    chosen = {
        "bottom_line": tuple(fb.analysis.bottom_line[: audience.bottom_line]),
        # Key judgments keep the analysts' order whatever the meeting: the first one is the overall judgment.
        "judgments": tuple(_rank(fb.analysis.judgments, set())[: audience.judgments]),
        "talking_points": tuple(_rank(fb.analysis.talking_points, focus)[: audience.talking_points]),
        "indicators": tuple(_rank(fb.analysis.indicators, focus)[: audience.indicators]),
    }
    left += _left_out(fb, audience, plans_out, chosen_charts, chosen_tables, conflicts, chosen, shown_charts,
                      shown_tables, {s.id for s in ordered} if want_sections else None)
    return Selection(
        audience=audience,
        meeting=meeting,
        bottom_line=chosen["bottom_line"],
        judgments=chosen["judgments"],
        sections=plans_out,
        talking_points=chosen["talking_points"],
        indicators=chosen["indicators"],
        conflicts=conflicts,
        charts=chosen_charts,
        tables=chosen_tables,
        notes=tuple(notes),
        left_out=tuple(left),
    )


def resolve_sections(fb: FactBase, audience: Audience) -> tuple[list[Section], list[str]]:
    """The sections an audience reads, in its order: ids, `role:NAME` (the fact base's `roles:`) and `*` (the
    rest). What the fact base lacks is skipped; if nothing named is there, every section is read. Either way a
    note says so (a profile is written for many fact bases: a missing section is no error)."""
    sections = fb.info.sections
    if audience.sections == "all":
        return list(sections), []
    by_id = {s.id: s for s in sections}
    roles = fb.info.roles
    named: list[str] = []
    missing: list[str] = []
    for item in audience.sections:
        if item.startswith("role:"):
            role = item.removeprefix("role:")
            if role in roles:
                named.extend(roles[role])
            else:
                missing.append(item)
        elif item == "*" or item in by_id:
            named.append(item)
        else:
            missing.append(item)
    rest = [s for s in sections if s.id not in named]
    chosen: list[Section] = []
    for item in dict.fromkeys(named):
        for section in rest if item == "*" else [by_id[item]] if item in by_id else []:
            if all(section.id != c.id for c in chosen):
                chosen.append(section)
    notes = []
    if not chosen:
        notes.append(f"{audience.name}: the fact base has none of the sections this audience asks for "
                     f"({', '.join(audience.sections)}); it reads every section instead")
        return list(sections), notes
    if missing:
        notes.append(f"{audience.name}: the fact base has no {', '.join(missing)}; this audience reads "
                     f"{', '.join(s.id for s in chosen)}")
    return chosen, notes


def _whole_conflicts(fb: FactBase, plans: list[SectionPlan], caps: dict[str, int]) -> list[SectionPlan]:
    """A conflict is shown whole or not at all: where the brief shows one version, the others join it (in the
    section of their topic if the brief has it, else beside the version shown), whatever their weight. So that
    the brief does not grow, a section over its cap (`caps`, by section id) then gives up its least weighty facts
    that are no version of a conflict."""
    shown = {f.id for p in plans for f in p.facts}
    extra: dict[int, list[Fact]] = {}
    sides: set[str] = set()
    for conflict in fb.conflicts:
        versions = [f for f in conflict.facts if f in fb.facts]
        if not any(f in shown for f in versions):
            continue
        sides.update(versions)
        anchor = next(i for i, p in enumerate(plans) if any(f.id in versions for f in p.facts))
        for fid in versions:
            if fid in shown:
                continue
            fact = fb.facts[fid]
            home = next((i for i, p in enumerate(plans) if fact.topic in p.section.topics), anchor)
            extra.setdefault(home, []).append(fact)
            shown.add(fid)
    if not extra:
        return plans
    out = []
    for i, p in enumerate(plans):
        if i in extra:
            facts = [*p.facts, *extra[i]]
            cap = caps.get(p.section.id, 0)
            if cap and len(facts) > cap:
                spare = sorted((f for f in facts if f.id not in sides), key=lambda f: (-f.weight, f.when.first_day))
                drop = {f.id for f in spare[: len(facts) - cap]}
                facts = [f for f in facts if f.id not in drop]
                facts = _fewer_conflicts(fb, facts, cap)
                # a conflict that left took all its versions: the weightiest facts given up take their place
                refill = [f for f in reversed(spare) if f.id in drop][: max(0, cap - len(facts))]
                facts += refill
            facts = sorted(facts, key=lambda f: (f.when.first_day, f.weight))
            p = SectionPlan(p.section, p.lead, tuple(facts), p.charts, p.tables, p.weighted)
        out.append(p)
    return out


def _fewer_conflicts(fb: FactBase, facts: list[Fact], cap: int) -> list[Fact]:
    """When a section's conflicts alone have more versions than its cap, the least weighty conflicts leave it
    whole (every version), until the cap is met or one conflict is left: none is ever shown in part."""
    here = {f.id for f in facts}
    inside = [c for c in fb.conflicts if set(c.facts) <= here]
    inside.sort(key=lambda c: (min(fb.facts[f].weight for f in c.facts), -len(c.facts)))  # weightiest first
    while len(facts) > cap and len(inside) > 1:
        dropped = inside.pop()
        kept = {f for c in inside for f in c.facts}
        facts = [f for f in facts if f.id not in dropped.facts or f.id in kept]
    return facts


def _left_out(fb: FactBase, audience: Audience, plans: tuple[SectionPlan, ...], charts: tuple[ChartSpec, ...],
              tables: tuple[TableSpec, ...], conflicts: tuple[Conflict, ...], points: dict[str, tuple[Point, ...]],
              shown_charts: list[ChartSpec], shown_tables: list[TableSpec], read: set[str] | None) -> list[LeftOut]:
    """Every fact, figure, conflict and analysis point of the fact base this brief does not show, with why."""
    out: list[LeftOut] = []
    shown = {f.id for p in plans for f in p.facts}
    planned = {p.section.id for p in plans}
    want_sections = read is not None
    homes = {t: [s.id for s in fb.info.sections if t in s.topics] for t in fb.info.topics}
    for fact in fb.facts.values():
        if fact.id in shown:
            continue
        if read is None:
            reason, cause = "this audience's brief has no sections; its points cite facts without stating them", "parts"
        elif not set(homes.get(fact.topic, [])) & read:
            reason = f"its section ({', '.join(homes.get(fact.topic, []))}) is not one this audience reads"
            cause = "section"
        elif fact.weight > audience.max_weight:
            reason = f"weight {fact.weight}; this audience reads facts of weight {audience.max_weight} or less"
            cause = "weight"
        else:
            reason = f"facts_per_section: only the {audience.facts_per_section} weightiest facts of a section"
            cause = "limits"
        out.append(LeftOut("fact", fact.id, reason, cause))
    for kind, shown_specs, chosen in (("chart", shown_charts, charts), ("table", shown_tables, tables)):
        for spec in shown_specs:
            if spec in chosen:
                continue
            limit = audience.charts if kind == "chart" else audience.tables
            if want_sections and not set(spec.sections) & planned:
                reason = "its section is not in this brief" if spec.sections else "it names no section to go in"
                cause = "section"
            else:
                reason, cause = f"this audience shows at most {limit} {kind}{'' if limit == 1 else 's'}", "limits"
            out.append(LeftOut(kind, spec.id, reason, cause))
    shown_conflicts = {c.id for c in conflicts}
    for conflict in fb.conflicts:
        if conflict.id in shown_conflicts:
            continue
        if "conflicts" not in audience.parts:
            out.append(LeftOut("conflict", conflict.id, "this audience has no part for conflicts", "parts"))
        else:
            version_topics = {fb.facts[f].topic for f in conflict.facts if f in fb.facts}
            read_topics = {t for s in fb.info.sections if read is not None and s.id in read for t in s.topics}
            unread = read is not None and not read_topics & version_topics
            why = ("its section is not one this audience reads" if unread else
                   "its versions were left out by weight or limits (see the facts), so it is not shown in part")
            out.append(LeftOut("conflict", conflict.id, why, "section" if unread else "limits"))
    a = fb.analysis
    for part, every in (("bottom_line", a.bottom_line), ("judgments", a.judgments),
                        ("talking_points", a.talking_points), ("indicators", a.indicators)):
        for p in every:
            if part not in audience.parts:
                out.append(LeftOut("point", p.id, f"this audience has no {part} part", "parts"))
            elif p not in points[part]:
                out.append(LeftOut("point", p.id, f"this audience reads {len(points[part])} {part}", "limits"))
    return out


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


def _rank(points: Sequence[P], focus: set[str]) -> list[P]:
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
    points: dict[str, Sequence[Point]] = {"bottom_line": a.bottom_line, "judgments": a.judgments,
                                          "talking_points": a.talking_points}
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


def what_to_cut(sel: Selection) -> dict[str, str]:
    """What a brief (or deck) over its length could lose, lightest first, with the profile key that drops it."""
    a = sel.audience
    facts = [f for p in sel.sections for f in p.facts]
    options = []
    sides = {f for c in sel.conflicts for f in c.facts}
    facts = [f for f in facts if f.id not in sides]  # versions of a conflict stay, whatever their weight
    if facts:
        heaviest = max(f.weight for f in facts)
        count = sum(1 for f in facts if f.weight == heaviest)
        if heaviest > 1:
            options.append(f"drop its {count} facts of weight {heaviest} (max_weight: {heaviest - 1})")
        per = max(len(p.facts) for p in sel.sections)
        if per > 1:
            options.append(f"keep fewer facts per section (facts_per_section: {max(1, per - 2)}; now up to {per})")
    figures: list[ChartSpec | TableSpec] = [*sel.charts, *sel.tables]
    if figures:
        heaviest = max(f.weight for f in figures)
        ids = [f.id for f in figures if f.weight == heaviest]
        if heaviest > 1:
            options.append(f"leave out {', '.join(ids)} (max_figure_weight: {heaviest - 1})")
        else:
            options.append(f"show fewer figures (charts: {max(0, len(sel.charts) - 1)})")
    if len(sel.talking_points) > 1:
        options.append(f"fewer talking points (talking_points: {len(sel.talking_points) - 1})")
    d = a.deck
    slides = [f"{key}: false" for key, on in (("deck.tables", d.tables), ("deck.section_slides", d.section_slides),
                                                ("deck.talking_points_slide", d.talking_points_slide)) if on]
    deck = f"drop slides ({', '.join(slides)})" if slides else ""
    if len(sel.sections) > 1:
        deck += ("; or " if deck else "") + f"read fewer sections (sections: now {len(sel.sections)})"
    return {"brief_pages": "; or ".join(options), "deck_slides": deck}
