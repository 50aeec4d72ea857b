"""The writers as the build runs them, one job per format with one signature: the model, the theme and the folder
the writer may read resources from in; the bytes, what the audience limits count in them (pages, slides) and the
seconds they took out (`Written`). `formats.FORMATS` names each format's job.

These are the jobs sent to helper processes (`background`). Unpickling a job imports the module that defines it,
so this one imports nothing heavy: defined in `compose`, they made a helper import the whole composing side
(Jinja, markdown-it, the fact base's models) before it could start on the PDF.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from briefkit.document.model import Deck, Document
    from briefkit.theme.model import Theme


class Written(NamedTuple):
    """One format's output: its bytes, its count (pages, slides; None for a format the limits do not count) and
    the seconds the writer took."""

    data: bytes
    measured: int | None  # not `count`, which would hide tuple.count
    seconds: float


def write_docx(document: Document, theme: Theme, folder: Path) -> Written:
    """The DOCX and the seconds it took; the limits count no page of it (Word lays its pages out itself).
    `folder` is not read: the styles come from the theme's reference.docx."""
    from briefkit.writers.docx import write_docx as write

    start = time.perf_counter()
    data = write(document, theme)
    return Written(data, None, time.perf_counter() - start)


def write_pdf(document: Document, theme: Theme, folder: Path) -> Written:
    """The PDF, its page count and the seconds it took; images and fonts may be read from `folder` only."""
    from briefkit.writers.pdf import write_pdf_pages

    start = time.perf_counter()
    data, pages = write_pdf_pages(document, theme, folder)
    return Written(data, pages, time.perf_counter() - start)


def write_pptx(deck: Deck, theme: Theme, folder: Path) -> Written:
    """The PPTX, its slide count (read back as PowerPoint would count them) and the seconds both took. `folder`
    is not read: the master comes from the theme's master.pptx."""
    from briefkit.writers.pptx import write_pptx as write

    start = time.perf_counter()
    data = write(deck, theme)
    return Written(data, count_slides(data), time.perf_counter() - start)


def count_slides(pptx: bytes) -> int:
    from pptx import Presentation

    return len(Presentation(io.BytesIO(pptx)).slides)
