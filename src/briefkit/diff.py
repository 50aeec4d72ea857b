"""What changed between two records of what a build said (`said.py`): facts, judgments and conflicts added,
changed (with each change in words) and removed. `briefkit diff` prints it; `build --since` writes it into the
brief, the deck and the email (`news.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("facts", "judgments", "conflicts")
_SHOWN = 160  # characters of a changed text shown either side of the arrow


@dataclass(frozen=True)
class Change:
    kind: str  # facts, judgments, conflicts
    id: str
    status: str  # added, changed, removed
    details: tuple[str, ...] = ()  # for changed: one phrase per change, e.g. "confidence: moderate -> high"
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.details:
            out["changes"] = list(self.details)
        if self.old is not None:
            out["old"] = self.old
        if self.new is not None:
            out["new"] = self.new
        return out


@dataclass(frozen=True)
class Diff:
    old: dict[str, Any]
    new: dict[str, Any]
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def of(self, kind: str, status: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (status is None or c.status == status)]

    def judgment(self, ident: str) -> Change | None:
        return next((c for c in self.of("judgments") if c.id == ident), None)

    @property
    def empty(self) -> bool:
        return not self.changes

    def to_json(self) -> dict[str, Any]:
        return {"old": _label_json(self.old), "new": _label_json(self.new),
                **{kind: {status: [c.to_json() for c in self.of(kind, status)]
                          for status in ("added", "changed", "removed")} for kind in KINDS}}

    def to_text(self) -> str:
        lines = [f"old: {label(self.old)}", f"new: {label(self.new)}"]
        for kind in KINDS:
            counts = {s: len(self.of(kind, s)) for s in ("added", "changed", "removed")}
            lines.append("")
            lines.append(f"{kind.capitalize()}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
            for change in self.of(kind):
                mark = {"added": "+", "changed": "~", "removed": "-"}[change.status]
                item = change.new if change.new is not None else change.old
                lines.append(f"  {mark} {change.id}: {_headline(kind, item or {})}")
                lines.extend(f"      {d}" for d in change.details)
        return "\n".join(lines) + "\n"


def label(said: dict[str, Any]) -> str:
    """'analyst brief of 2025-03-01 (as of 2025-03)': which build a record is."""
    as_of = f" (as of {said['as_of']})" if said.get("as_of") else ""
    return f"{said.get('audience', '?')} brief of {said.get('date', '?')}{as_of}"


def _label_json(said: dict[str, Any]) -> dict[str, Any]:
    return {k: said.get(k) for k in ("subject", "audience", "date", "as_of")}


def _headline(kind: str, item: dict[str, Any]) -> str:
    text = item.get("statement") if kind == "facts" else item.get("text") if kind == "judgments" else item.get("note")
    return _short(str(text or ""))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1].rstrip() + "\u2026"


def compare(old: dict[str, Any], new: dict[str, Any]) -> Diff:
    changes: list[Change] = []
    old_facts = {f["id"]: f for f in old["facts"]}
    new_facts = {f["id"]: f for f in new["facts"]}
    for kind in KINDS:
        before = {item["id"]: item for item in old[kind]}
        after = {item["id"]: item for item in new[kind]}
        for ident, item in after.items():
            if ident not in before:
                changes.append(Change(kind, ident, "added", new=item))
            elif item.get("digest") != before[ident].get("digest"):
                details = _details(kind, before[ident], item, old_facts, new_facts)
                changes.append(Change(kind, ident, "changed", tuple(details), before[ident], item))
        changes += [Change(kind, ident, "removed", old=item) for ident, item in before.items() if ident not in after]
    return Diff(old, new, tuple(changes))


def _details(kind: str, old: dict[str, Any], new: dict[str, Any], old_facts: dict[str, Any],
             new_facts: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def field_change(name: str, shown: str | None = None) -> None:
        a, b = old.get(name), new.get(name)
        if a != b:
            out.append(f"{shown or name}: {_value(a)} -> {_value(b)}")

    if kind == "facts":
        for name in ("statement", "date", "until", "topic", "weight"):
            field_change(name)
        _listed(out, "sources", old.get("sources", []), new.get("sources", []))
    elif kind == "judgments":
        field_change("text")
        field_change("confidence")
        field_change("confidence_reason", "confidence reason")
        field_change("likelihood")
        _listed(out, "assumptions", old.get("assumptions", []), new.get("assumptions", []))
        _listed(out, "support", old.get("facts", []), new.get("facts", []))
        kept = [f for f in new.get("facts", []) if f in old.get("facts", [])]
        edited = [f for f in kept if (old_facts.get(f) or {}).get("digest") != (new_facts.get(f) or {}).get("digest")]
        if edited:
            out.append(f"support: {', '.join(edited)} changed")
    else:
        for name in ("about", "note", "more_credible"):
            field_change(name)
        _listed(out, "facts", old.get("facts", []), new.get("facts", []))
    if not out:
        out.append("changed in a detail the record does not show (values, tags, locators or quote)")
    return out


def _listed(out: list[str], name: str, old: list[Any], new: list[Any]) -> None:
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if added:
        out.append(f"{name}: + {', '.join(map(str, added))}")
    if removed:
        out.append(f"{name}: - {', '.join(map(str, removed))}")


def _value(value: object) -> str:
    if value is None:
        return "(none)"
    return f'"{_short(value)}"' if isinstance(value, str) and " " in value else str(value)
