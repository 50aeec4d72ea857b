"""What a build said: its facts, key judgments and conflicts, with ids and content digests, kept in the bundle as
`said.json` so two bundles can be compared without the fact base (`briefkit diff`, `build --since BUNDLE`).

The record holds enough of each item to show a change in words (a fact's statement, date and sources; a
judgment's text, support, confidence and likelihood), and a digest of all of it to see that something changed.
A judgment's `support` digest covers the digests of the facts it cites, so a changed fact marks its judgments.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefkit.errors import BriefkitError, Problem, UsageError, display_path

if TYPE_CHECKING:
    from briefkit.factbase.model import FactBase

SAID_NAME = "said.json"
FORMAT = 1
MAX_BYTES = 50_000_000  # a record is read whole; a bigger file is not one of ours


def _digest(value: object) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def record(fb: FactBase, audience: str, date_iso: str) -> dict[str, Any]:
    """The record of `fb` (already selected as of the brief's date) for one audience's build."""
    facts = []
    digests: dict[str, str] = {}
    for fact in fb.facts.values():
        content = fact.model_dump(mode="json", by_alias=True, exclude_none=True)
        digests[fact.id] = _digest(content)
        facts.append({"id": fact.id, "digest": digests[fact.id], "statement": fact.statement, "date": fact.date,
                      **({"until": fact.until} if fact.until else {}), "topic": fact.topic, "weight": fact.weight,
                      "sources": fact.source_ids})
    judgments = []
    for judgment in fb.analysis.judgments:
        confidence = getattr(judgment, "confidence", None)
        item = {"id": judgment.id, "text": judgment.text, "facts": list(judgment.facts),
                "support": _digest([digests.get(f, "") for f in judgment.facts]),
                "confidence": confidence.level if confidence else None,
                "confidence_reason": confidence.reason if confidence else None,
                "likelihood": getattr(judgment, "likelihood", None),
                "assumptions": list(getattr(judgment, "assumptions", []) or [])}
        item["digest"] = _digest({k: v for k, v in item.items() if k != "id"})
        judgments.append(item)
    conflicts = []
    for conflict in fb.conflicts:
        content = conflict.model_dump(mode="json", exclude_none=True)
        conflicts.append({"id": conflict.id, "digest": _digest(content), "about": conflict.about,
                          "facts": list(conflict.facts), "more_credible": conflict.more_credible,
                          "note": conflict.note})
    return {"briefkit_said": FORMAT, "subject": fb.info.subject, "audience": audience,
            "as_of": fb.as_of.iso() if fb.as_of else None, "date": date_iso,
            "facts": facts, "judgments": judgments, "conflicts": conflicts}


def to_bytes(said: dict[str, Any]) -> bytes:
    return (json.dumps(said, indent=1, ensure_ascii=False) + "\n").encode()


def read(path: Path, option: str | None = None) -> dict[str, Any]:
    """The record of a bundle given as its folder, its manifest.json or its said.json; one-line errors."""
    shown = display_path(path)

    def fail(message: str) -> BriefkitError:
        return UsageError(Problem(option, None, f"{shown}: {message}")) if option else \
            UsageError(Problem(shown, None, message))

    if path.is_dir():
        file = path / SAID_NAME
    elif path.name == SAID_NAME:
        file = path
    elif path.is_file():
        file = path.with_name(SAID_NAME)  # a manifest.json: its record lies beside it
    else:
        raise fail("not found; give a bundle folder (OUT/AUDIENCE) or its manifest.json")
    if not file.is_file():
        raise fail(f"has no {SAID_NAME}: it was built by an older briefkit, or is not a bundle; build it again")
    try:
        if file.stat().st_size > MAX_BYTES:
            raise fail(f"{SAID_NAME} is larger than {MAX_BYTES:,} bytes; it is not one of briefkit's")
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{SAID_NAME} cannot be read: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or data.get("briefkit_said") != FORMAT or not all(
            isinstance(data.get(k), list) for k in ("facts", "judgments", "conflicts")):
        raise fail(f"{SAID_NAME} is not a record briefkit {FORMAT} understands")
    for kind in ("facts", "judgments", "conflicts"):
        if not all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in data[kind]):
            raise fail(f"{SAID_NAME} is not a record briefkit {FORMAT} understands ({kind} without ids)")
    return data
