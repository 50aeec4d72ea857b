"""The end-of-build summary in the terminal: files, sizes, measurements and (optionally) stage timings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefkit.build import AudienceResult


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB"


def print_summary(results: list[AudienceResult], seconds: float, timings: bool) -> None:
    from rich.console import Console  # here: importing rich before the build would delay its second process
    from rich.table import Table

    console = Console(stderr=False, highlight=False)
    table = Table(title=None, show_header=True, header_style="bold")
    table.add_column("file")
    table.add_column("size", justify="right")
    for r in results:
        for name, size in r.files:
            table.add_row(str(r.folder / name), _size(size))
    console.print(table)
    for r in results:
        measured = ", ".join(f"{v} {k.split('_')[1].removesuffix('s') if v == 1 else k.split('_')[1]}"
                             for k, v in r.measured.items())
        state = "up to date, nothing rebuilt" if r.reused else "built"
        console.print(f"{r.audience}: {state}" + (f" ({measured})" if measured else ""))
        for note in r.notes:
            console.print(f"  note: {note}", soft_wrap=True, markup=False)
        if r.left_out:
            console.print(f"  left out: {left_out_line(r.left_out)} (each with its reason in "
                          f"{r.folder / 'manifest.json'})", soft_wrap=True, markup=False)
        if timings:
            stages = Table(title=f"{r.audience}: seconds per stage", show_header=True)
            stages.add_column("stage")
            stages.add_column("seconds", justify="right")
            for stage, s in r.timings.items():
                stages.add_row(stage, f"{s:.3f}")
            console.print(stages)
    console.print(f"done in {seconds:.1f} s")


_CAUSES = {"weight": "by weight", "limits": "over the profile's limits", "section": "in sections not read",
           "parts": "not among this audience's parts", "as-of": "not yet reported as of the date",
           "no data": "with no data"}
_PLURAL = {"fact": "facts", "chart": "charts", "table": "tables", "conflict": "conflicts", "point": "analysis points"}


def left_out_line(left_out: tuple[dict[str, str], ...]) -> str:
    """'12 facts (weight: 9, limits: 3), 1 chart (...)': counts by kind, then by cause."""
    by_kind: dict[str, dict[str, int]] = {}
    for item in left_out:
        reason = item.get("cause", "limits")
        by_kind.setdefault(item["kind"], {}).setdefault(reason, 0)
        by_kind[item["kind"]][reason] += 1
    parts = []
    for kind, reasons in by_kind.items():
        total = sum(reasons.values())
        noun = ("analysis point" if kind == "point" else kind) if total == 1 else _PLURAL.get(kind, kind + "s")
        parts.append(f"{total} {noun} ({', '.join(f'{n} {_CAUSES.get(r, r)}' for r, n in reasons.items())})")
    return "; ".join(parts)
