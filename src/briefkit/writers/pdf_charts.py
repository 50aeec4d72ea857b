"""Charts put into pages already laid out, so that the layout does not wait for them to be drawn (decision 26).

WeasyPrint needs only a picture's size to lay a page out, and its content only to write the PDF. The brief's HTML
therefore places each chart not yet drawn as an empty SVG of exactly its size (`Drawing.placeholder`); WeasyPrint
lays the pages out around it while the charts are drawn elsewhere, and `put_in_place` swaps each placeholder for
its chart before the PDF is written. The pages, and the bytes, are those of a layout with the charts themselves
(`tests/writers/test_pdf_charts.py`).
"""

from __future__ import annotations

import base64
from typing import Any
from xml.etree import ElementTree

from weasyprint.document import Document as WeasyDocument
from weasyprint.images import SVGImage

from briefkit.document.model import ChartImage

_SVG_DATA = "data:image/svg+xml;base64,"


def put_in_place(document: WeasyDocument, late: dict[bytes, ChartImage]) -> None:
    """Replace every placeholder in `document`'s pages by the chart `late` names for it, drawn now (or taken from
    the chart store, where another process may have drawn it meanwhile)."""
    if not late:
        return
    charts: dict[bytes, SVGImage] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            placeholder = getattr(box, "replacement", None)
            source = _source(placeholder)
            if source is None or source not in late:
                continue
            if source not in charts:
                tree = ElementTree.fromstring(late[source].draw("svg"))
                charts[source] = SVGImage(tree, placeholder._base_url, placeholder._url_fetcher, placeholder._context)
            box.replacement = charts[source]


def _source(image: Any) -> bytes | None:
    """The SVG an image was made from, when it came from a data: URL (the URL is also its base URL)."""
    url = getattr(image, "_base_url", None)
    if not isinstance(image, SVGImage) or not isinstance(url, str) or not url.startswith(_SVG_DATA):
        return None
    return base64.b64decode(url[len(_SVG_DATA):])
