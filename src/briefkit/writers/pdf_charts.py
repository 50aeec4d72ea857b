"""Charts put into pages already laid out, so that the layout does not wait for them to be drawn (decision 26).

WeasyPrint needs only a picture's size to lay a page out, and its content only to write the PDF. The brief's HTML
therefore places each chart not yet drawn as an empty SVG of exactly its size (`Drawing.placeholder`); WeasyPrint
lays the pages out around it while the charts are drawn elsewhere, and `put_in_place` swaps each placeholder for
its chart before the PDF is written. The pages, and the bytes, are those of a layout with the charts themselves
(`tests/writers/test_pdf_charts.py`).

The swap sets WeasyPrint 70's laid-out boxes' `replacement`: a patch (`patches.TABLE`, "weasyprint-late-charts"),
used only where `patches.active` allows it; elsewhere `pdf.py` lays the pages out with the charts themselves.
Whatever happens, `placeholders_left` reads the PDF about to be written (WeasyPrint's public `finisher`) and the
build fails if any placeholder would be printed.
"""

from __future__ import annotations

import base64
from typing import Any
from xml.etree import ElementTree

from briefkit import patches
from briefkit.charts import PLACEHOLDER_MARK
from briefkit.document.model import ChartImage

NAME = "weasyprint-late-charts"  # its row in `patches.TABLE`
_SVG_DATA = "data:image/svg+xml;base64,"
# What WeasyPrint writes into a page's content for the placeholder's mark (`Drawing.placeholder`): a rectangle of
# a size no chart or page draws. Found in a PDF about to be written, it means a placeholder was not replaced.
_MARK_OPERATOR = f"0 0 {PLACEHOLDER_MARK[0]} {PLACEHOLDER_MARK[1]} re".encode()


def usable() -> bool:
    return patches.active(NAME)


def put_in_place(document: Any, late: dict[bytes, ChartImage]) -> None:
    """Replace every placeholder in `document`'s pages (a WeasyPrint Document) by the chart `late` names for it,
    drawn now (or taken from the chart store, where another process may have drawn it meanwhile)."""
    if not late:
        return
    from weasyprint.images import SVGImage

    charts: dict[bytes, Any] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            placeholder = getattr(box, "replacement", None)
            source = _source(placeholder, SVGImage)
            if placeholder is None or source is None or source not in late:
                continue
            if source not in charts:
                tree = ElementTree.fromstring(late[source].draw("svg"))
                charts[source] = SVGImage(tree, placeholder._base_url, placeholder._url_fetcher, placeholder._context)
            box.replacement = charts[source]


def placeholders_left(pdf: Any) -> int:
    """How many placeholders the PDF about to be written (a pydyf PDF, as WeasyPrint's `finisher` receives it)
    would print: content streams are lists of operators until they are written."""
    found = 0
    for obj in pdf.objects:
        operators = getattr(obj, "stream", None)
        if isinstance(operators, list):
            found += sum(1 for op in operators if isinstance(op, bytes) and op == _MARK_OPERATOR)
    return found


def _source(image: Any, svg_image: type) -> bytes | None:
    """The SVG an image was made from, when it came from a data: URL (the URL is also its base URL)."""
    url = getattr(image, "_base_url", None)
    if not isinstance(image, svg_image) or not isinstance(url, str) or not url.startswith(_SVG_DATA):
        return None
    return base64.b64decode(url[len(_SVG_DATA):])
