"""The PDF and PPTX writers as the build runs them: bytes, what the audience limits count in them (pages,
slides), and the seconds they took.

These are the jobs sent to helper processes (`background`). Unpickling a job imports the module that defines it,
so this one imports nothing heavy: defined in `compose`, they made a helper import the whole composing side
(Jinja, markdown-it, the fact base's models) before it could start on the PDF.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefkit.document.model import Deck, Document
    from briefkit.theme.model import Theme


def write_pdf(document: Document, theme: Theme, base: Path) -> tuple[bytes, int, float]:
    """The PDF, its page count and the seconds it took."""
    from briefkit.writers.pdf import write_pdf_pages

    start = time.perf_counter()
    data, pages = write_pdf_pages(document, theme, base)
    return data, pages, time.perf_counter() - start


def write_pptx(deck: Deck, theme: Theme) -> tuple[bytes, int, float]:
    """The PPTX, its slide count (read back as PowerPoint would count them) and the seconds both took."""
    from briefkit.writers.pptx import write_pptx as write

    start = time.perf_counter()
    data = write(deck, theme)
    return data, count_slides(data), time.perf_counter() - start


def count_slides(pptx: bytes) -> int:
    from pptx import Presentation

    return len(Presentation(io.BytesIO(pptx)).slides)


# The formats written here, and the count of each that the audience limits check (in report order).
WRITERS = {"pdf": write_pdf, "pptx": write_pptx}
MEASURES = {"pdf": "brief_pages", "pptx": "deck_slides"}
