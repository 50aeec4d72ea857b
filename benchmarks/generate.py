"""Make a synthetic fact base N times the size of a real one (same schema, plausible content) for scaling runs.

Each fact is copied N times with a new id, a date shifted back by whole years (never past its sources), and the
copies are spread over the same topics, so every stage sees N times the work.
"""

from __future__ import annotations

import argparse
import copy as copying
import re
import shutil
from pathlib import Path

from ruamel.yaml import YAML


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    return y


def scale_factbase(src: Path, dest: Path, factor: int) -> Path:
    """Write a copy of `src` with every fact, conflict and dataset row repeated `factor` times."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    yaml = _yaml()
    renames: dict[str, list[str]] = {}
    for path in sorted((dest / "facts").glob("*.yaml")):
        data = yaml.load(path)
        facts, conflicts = list(data.get("facts") or []), list(data.get("conflicts") or [])
        new_facts, new_conflicts = [], []
        for copy in range(factor):
            for fact in facts:
                clone = _clone(fact, copy)
                renames.setdefault(fact["id"], []).append(clone["id"])
                if copy:
                    clone["date"] = _shift(str(fact["date"]), copy)
                    if clone.get("until"):
                        clone["until"] = _shift(str(fact["until"]), copy)
                new_facts.append(clone)
            for conflict in conflicts:
                clone = _clone(conflict, copy)
                clone["facts"] = [f"{f}-x{copy}" if copy else f for f in conflict["facts"]]
                if conflict.get("more_credible"):
                    best = conflict["more_credible"]
                    clone["more_credible"] = f"{best}-x{copy}" if copy else best
                new_conflicts.append(clone)
        data["facts"] = new_facts
        if conflicts:
            data["conflicts"] = new_conflicts
        yaml.dump(data, path)
    for path in sorted((dest / "datasets").glob("*.yaml")):
        data = yaml.load(path)
        rows = []
        for copy in range(factor):
            for row in data["records"]:
                clone = copying.deepcopy(row)
                clone["facts"] = [f"{f}-x{copy}" if copy else f for f in row["facts"]]
                for key, column in ((c["name"], c) for c in data["columns"]):
                    if column.get("type") == "year" and isinstance(clone.get(key), int) and copy:
                        clone[key] = clone[key] - copy
                    if column.get("type") == "date" and clone.get(key) and copy:
                        clone[key] = _shift(str(clone[key]), copy)
                    if column.get("type") == "text" and isinstance(clone.get(key), str) and copy and key in (
                            "name", "event", "item", "project", "category", "activity", "provider", "supplier"):
                        clone[key] = f"{clone[key]} ({copy + 1})"
                rows.append(clone)
        data["records"] = rows
        yaml.dump(data, path)
    return dest


def _clone(item: dict, copy: int) -> dict:
    clone = copying.deepcopy(item)  # shared sub-objects would be written as YAML anchors, which the loader refuses
    if copy:
        clone["id"] = f"{item['id']}-x{copy}"
    return clone


def _shift(date: str, years: int) -> str:
    m = re.match(r"^(\d{4})(.*)$", date)
    assert m, date
    year = int(m.group(1)) - years
    rest = m.group(2)
    if rest == "-02-29":
        rest = "-02-28"
    return f"{year:04d}{rest}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("factor", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "seeds")
    args = parser.parse_args()
    print(scale_factbase(args.src, args.dest, args.factor))


if __name__ == "__main__":
    main()
