"""The deck as PPTX: slides on the master's layouts, native editable charts and tables, text measured to fit.

Takes a `Deck` and a `Theme`; returns the .pptx bytes. The master is the user's `master.pptx` when the theme
names one, else the built-in master (`master_pptx_bytes`): python-pptx's default template made 16:9 and given
the theme's colours and fonts. Each model slide becomes one or more pages: every text is measured with
`textfit` against the theme font's metrics, and what does not fit at a readable size moves to a continuation
slide titled "... (continued)" instead of shrinking or spilling. Font sizes are written on every run and
autofit is off, so PowerPoint and LibreOffice show what was measured.

The writer is split by what each part knows: `pptx_master` (the built-in master), `pptx_layouts` (opening a
master, its layouts, where things go), `pptx_geometry` (units, sizes, boxes), `pptx_lines` (text measured),
`pptx_paginate` (model slides cut into pages, pure), `pptx_frames` (text written into frames), `pptx_slides`,
`pptx_charts` and `pptx_tables` (drawing pages), and `pptx_package` (properties and the zip).
"""

from __future__ import annotations

from briefkit.document.model import Deck
from briefkit.theme.model import Theme
from briefkit.writers.pptx_charts import MAX_LABELS
from briefkit.writers.pptx_layouts import Context, open_master, resolve_layouts
from briefkit.writers.pptx_master import master_pptx_bytes
from briefkit.writers.pptx_package import normalize_workbooks, save, set_metadata
from briefkit.writers.pptx_paginate import paginate
from briefkit.writers.pptx_slides import render_page

__all__ = ["MAX_LABELS", "master_pptx_bytes", "write_pptx"]


def write_pptx(deck: Deck, theme: Theme) -> bytes:
    """The deck as .pptx bytes, byte-identical for the same deck and theme."""
    prs = open_master(theme)
    ctx = Context(prs, theme, deck.meta, resolve_layouts(prs, theme))
    pages = [page for slide in deck.slides for page in paginate(slide, ctx)]
    for number, page in enumerate(pages, start=1):
        render_page(page, number, ctx)
    set_metadata(prs, deck.meta, len(pages))
    normalize_workbooks(prs, deck.meta.timestamp)
    return save(prs, deck.meta.timestamp)
