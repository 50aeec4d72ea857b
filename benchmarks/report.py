"""The Markdown tables of docs/performance.md, from a results file of `benchmarks/run.py` (and optionally an earlier
one to compare with): `python benchmarks/report.py benchmarks/results/latest.json [benchmarks/results/baseline.json]`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROWS = [
    ("cold_analyst", "cold build, analyst (DOCX, PDF, PPTX, email)"),
    ("cold_analyst_one_process", "  the same, `--jobs 1` (no second process)"),
    ("cold_analyst_two_processes", "  the same, `--jobs 2` (PDF in a second process)"),
    ("cold_analyst_no_patches", "  the same, `BRIEFKIT_NO_PATCHES=1` (no library patched)"),
    ("noop_analyst", "rebuild, nothing changed"),
    ("one_fact_analyst", "rebuild, one fact the brief and deck state reworded"),
    ("unshown_fact_analyst", "rebuild, one fact no analyst output shows reworded"),
    ("stylesheet_analyst", "rebuild, one rule added to brief.css (`--theme`)"),
    ("all_audiences", "`--audience all`, cold (3 audiences)"),
    ("help", "`briefkit --help`"),
]

# The first harness (baseline.json) called its edit of a fact no output shows "one_fact_analyst".
BEFORE = {"unshown_fact_analyst": "one_fact_analyst"}
NOT_BEFORE = {"one_fact_analyst"}


def main() -> None:
    latest = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    before = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")) if len(sys.argv) > 2 else None
    print(timings_table(latest, before))
    print()
    print(stages_table(latest))
    print()
    print(scaling_table(latest))


def timings_table(r: dict[str, Any], before: dict[str, Any] | None) -> str:
    pandoc = float(r["pandoc"]["total"])
    head = "| | seconds (median) | CPU seconds | / pandoc's three | peak MB |"
    rule = "|---|---:|---:|---:|---:|"
    if before:
        head += " before: seconds | before: CPU s |"
        rule += "---:|---:|"
    lines = [head, rule]
    for key, label in ROWS:
        if key not in r:
            continue
        row = r[key]
        line = (f"| {label} | {row['seconds']:.2f} | {row.get('cpu_seconds', 0):.2f} | "
                f"{row['seconds'] / pandoc:.2f} | {row['peak_mb']:.0f} |")
        if before:
            if "unshown_fact_analyst" in before:  # a run of this harness: the same keys
                old = before.get(key)
            else:
                old = before.get(BEFORE.get(key, key)) if key not in NOT_BEFORE else None
            line += (f" {old['seconds']:.2f} | {old.get('cpu_seconds', 0):.2f} |" if old else " | |")
        lines.append(line)
    p = r["pandoc"]
    lines.append(f"| pandoc {p['version']}: DOCX + PPTX + PDF (WeasyPrint) | {pandoc:.2f} "
                 f"({p['docx']:.2f} + {p['pptx']:.2f} + {p['pdf']:.2f}) | | 1.00 | {p['peak_mb']:.0f} |"
                 + (" | |" if before else ""))
    return "\n".join(lines)


def stages_table(r: dict[str, Any]) -> str:
    keys = [k for k in ("cold_analyst_one_process", "one_fact_analyst", "stylesheet_analyst") if k in r]
    names = list(dict.fromkeys(n for k in keys for n in r[k].get("stages", {})))
    lines = ["| stage | " + " | ".join(k.replace("_analyst", "").replace("_", " ") for k in keys) + " |",
             "|---|" + "---:|" * len(keys)]
    for name in names:
        cells = [f"{r[k]['stages'][name]:.3f}" if name in r[k].get("stages", {}) else "" for k in keys]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scaling_table(r: dict[str, Any]) -> str:
    if "scaling" not in r:
        return ""
    lines = ["| size | facts | formats | brief pages | check s (CPU s) | build s (CPU s) | build peak MB |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for name, row in r["scaling"].items():
        lines.append(f"| {name} | {row['facts']} | {row['formats']} | {row['measured'].get('brief_pages', '')} | "
                     f"{row['check']['seconds']:.1f} ({row['check']['cpu_seconds']:.1f}) | "
                     f"{row['build']['seconds']:.1f} ({row['build']['cpu_seconds']:.1f}) | "
                     f"{row['build']['peak_mb']:.0f} |")
    growth = r.get("scaling_growth", {})
    lines += ["", "| cost | per unit of size, x1 to x10 | per unit, x10 to x100 | later / earlier |",
              "|---|---:|---:|---:|"]
    for label, entry in growth.items():
        steps = entry.get("per_unit_step", [])
        if len(steps) < 2 or not label.startswith(("check_cpu", "build_cpu", "build_peak", "stage")):
            continue
        if label.startswith("stage") and max(abs(s) for s in steps) < 0.005:
            continue
        lines.append(f"| {label} | {steps[0]:.3f} | {steps[1]:.3f} | {entry.get('marginal_ratio', '')} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
