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

