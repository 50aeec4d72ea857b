"""A drawn chart to bytes: SVG for the PDF, PNG at 200 dpi for DOCX and PPTX, identical bytes for identical input."""

from __future__ import annotations

import io
import struct

from matplotlib.figure import Figure

from briefkit.charts.style import DPI


def to_svg(fig: Figure) -> bytes:
    """No date in the metadata; clip-path ids come from the fixed `svg.hashsalt` of the house style."""
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def to_png(fig: Figure) -> tuple[bytes, tuple[int, int]]:
    """The PNG and its size in pixels (read from its header, so it is what a writer will place)."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    data = out.getvalue()
    return data, png_size(data)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from the PNG's IHDR chunk (always the first, at a fixed offset)."""
    width, height = struct.unpack(">II", data[16:24])
    return width, height
