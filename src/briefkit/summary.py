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
        measured = ", ".join(f"{v} {k.replace('_', ' ').split(' ')[1]}" for k, v in r.measured.items())
        state = "up to date, nothing rebuilt" if r.reused else "built"
        console.print(f"{r.audience}: {state}" + (f" ({measured})" if measured else ""))
        if timings:
            stages = Table(title=f"{r.audience}: seconds per stage", show_header=True)
            stages.add_column("stage")
            stages.add_column("seconds", justify="right")
            for stage, s in r.timings.items():
                stages.add_row(stage, f"{s:.3f}")
            console.print(stages)
    console.print(f"done in {seconds:.1f} s")
