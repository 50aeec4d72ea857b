"""The loaded fact base and the queries the rest of briefkit asks of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from briefkit.factbase.dates import PartialDate
from briefkit.factbase.schema import Analysis, Conflict, Dataset, Fact, FactbaseInfo, Figures, Point, Source

P = TypeVar("P", bound=Point)


@dataclass(frozen=True)
class FactBase:
    """Everything under one fact-base folder, validated. Immutable: selections return new instances."""

    root: Path
    info: FactbaseInfo
    sources: dict[str, Source]
    facts: dict[str, Fact]
    conflicts: list[Conflict]
    datasets: dict[str, Dataset]
    figures: Figures
    analysis: Analysis
    as_of: PartialDate | None = None
    digest: str = field(default="")
    warnings: tuple[Any, ...] = ()  # Problems that do not stop a build: empty or unread files (factbase/survey.py)

    def facts_for_topics(self, topics: list[str]) -> list[Fact]:
        """Facts of the given topics, oldest first (stable on ties, in file order)."""
        chosen = [f for f in self.facts.values() if f.topic in topics]
        return sorted(chosen, key=lambda f: (f.when.first_day, f.weight))

    def fact_known_on(self, fact: Fact) -> PartialDate:
        """A fact is known once every source it cites has been published (the conservative reading)."""
        return max((self.sources[s].published for s in fact.source_ids), key=lambda d: d.last_day)

    def select(self, as_of: PartialDate | None) -> FactBase:
        """The fact base as it stood on `as_of`: later sources, their facts and what rests on them drop out."""
        if as_of is None:
            return self
        cutoff = as_of.last_day
        sources = {k: s for k, s in self.sources.items() if s.published.last_day <= cutoff}
        facts = {
            k: f for k, f in self.facts.items() if all(s in sources for s in f.source_ids)
            and f.when.first_day <= cutoff
        }
        conflicts = [c for c in self.conflicts if sum(1 for f in c.facts if f in facts) >= 2]
        conflicts = [c.model_copy(update={"facts": [f for f in c.facts if f in facts]}) for c in conflicts]
        datasets = {}
        for name, ds in self.datasets.items():
            records = [r for r in ds.records if all(f in facts for f in _record_facts(r))]
            datasets[name] = ds.model_copy(update={"records": records})

        def keep(points: Sequence[P]) -> list[P]:
            return [p for p in points if all(f in facts for f in p.facts)]

        a = self.analysis
        analysis = a.model_copy(update={
            "bottom_line": keep(a.bottom_line),
            "judgments": keep(a.judgments),
            "talking_points": keep(a.talking_points),
            "indicators": keep(a.indicators),
            "section_leads": {k: p for k, p in a.section_leads.items() if all(f in facts for f in p.facts)},
        })
        chosen = replace(self, sources=sources, facts=facts, conflicts=conflicts, datasets=datasets,
                         analysis=analysis, as_of=as_of)
        return replace(chosen, digest=content_digest(chosen))

    def to_json(self) -> dict[str, object]:
        """The shape `briefkit facts --format json` prints (other tools rely on it)."""
        return {
            "subject": self.info.subject,
            "as_of": self.as_of.iso() if self.as_of else None,
            "facts_digest": self.digest,
            "sources": [s.model_dump(exclude_none=True) for s in self.sources.values()],
            "facts": [f.model_dump(exclude_none=True, by_alias=True) for f in self.facts.values()],
            "conflicts": [c.model_dump(exclude_none=True) for c in self.conflicts],
        }


def _record_facts(record: dict[str, object]) -> list[str]:
    facts = record.get("facts")
    return [str(f) for f in facts] if isinstance(facts, list) else []


def content_digest(fb: FactBase) -> str:
    """A hash of everything the outputs depend on in the fact base (not of file layout or comments)."""
    payload = {
        "info": fb.info.model_dump(),
        "sources": [s.model_dump() for s in fb.sources.values()],
        "facts": [f.model_dump(by_alias=True) for f in fb.facts.values()],
        "conflicts": [c.model_dump() for c in fb.conflicts],
        "datasets": [d.model_dump() for d in fb.datasets.values()],
        "figures": fb.figures.model_dump(),
        "analysis": fb.analysis.model_dump(),
        "as_of": fb.as_of.iso() if fb.as_of else None,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()
