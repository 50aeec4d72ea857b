"""A drawn chart to bytes: SVG for the PDF, PNG at 200 dpi for the DOCX, identical bytes for identical input."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from briefkit.charts.style import DPI


def to_svg(fig: Figure) -> bytes:
    """No date in the metadata; clip-path ids come from the fixed `svg.hashsalt` of the house style."""
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def to_png(fig: Figure) -> bytes:
    """No software name or date in the metadata."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def warm_up() -> None:
    """Draw a small chart with text and throw it away. A process's first drawing loads the fonts and matplotlib's
    text engine (about 0.3 s); the PDF's process does it while the fact base is still being read, so that its
    first real chart is drawn at full speed."""
    from briefkit.charts.style import font_families, new_figure

    fig = new_figure()
    ax = fig.add_subplot()
    ax.bar(["2014", "2019"], [1, 2])
    ax.set_title("Warm-up 0123456789", family=font_families("Carlito"))
    to_svg(fig)
