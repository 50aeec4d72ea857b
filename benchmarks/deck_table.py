"""How the deck's time grows with the rows of one table: 200 to 2,000 rows should cost about the same per row.

Writes a deck of one table slide (the PPTX writer paginates it over as many slides as it needs) for each row count,
in a fresh process each, and prints seconds and seconds per 1,000 rows. `make bench` records the same numbers in
benchmarks/results/latest.json under "deck_table"; run alone: `.venv/bin/python benchmarks/deck_table.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROWS = tuple(int(n) for n in os.environ.get("BENCH_TABLE_ROWS", "200,500,1000,2000").split(","))

_ONE = r"""
import sys, time
from briefkit.document.model import Deck, Meta, Slide, Table
from briefkit.paths import builtin_templates
from briefkit.theme.load import load_theme
from briefkit.writers.pptx import write_pptx

rows = int(sys.argv[1])
theme = load_theme(None, builtin_templates() / "default")
meta = Meta(title="Deck table", subtitle="", author="bench", subject="", keywords=(), language="en-GB",
            date_iso="2026-01-01", date_human="1 January 2026", timestamp=1767225600, audience="", marking="")
table = Table(id="t", title="Rows", caption="A long table", source_note="Source: generated.",
              header=("Year", "Place", "Count", "Note"),
              rows=tuple((str(1900 + i % 120), f"Place {i}", f"{i * 37 % 10000:,}",
                          "a longer note that wraps" * (1 + i % 3)) for i in range(rows)),
              numeric=(False, False, True, False))
deck = Deck(meta, (Slide("title", "Deck table"), Slide("table", "Rows", table=table)))
start = time.perf_counter()
data = write_pptx(deck, theme)
print(time.perf_counter() - start, len(data))
"""


def measure(rows: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _ONE, str(rows)], capture_output=True, text=True, check=True,
                         timeout=1800).stdout.split()
    seconds = float(out[0])
    return {"rows": rows, "seconds": round(seconds, 3), "seconds_per_1000_rows": round(seconds * 1000 / rows, 3),
            "bytes": int(out[1])}


def main() -> list[dict[str, float]]:
    results = [measure(rows) for rows in ROWS]
    for r in results:
        print(f"{r['rows']:>6} rows  {r['seconds']:8.2f} s  {r['seconds_per_1000_rows']:6.2f} s per 1,000 rows")
    return results


if __name__ == "__main__":
    measured = main()
    if "--json" in sys.argv:
        print(json.dumps(measured))
