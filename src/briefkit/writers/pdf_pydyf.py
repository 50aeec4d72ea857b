"""pydyf (the PDF serialiser under WeasyPrint 70, pydyf 0.13) without a step that grows with the square of the pages.

`PDF.page_references` builds the references of all pages each time it is read, and WeasyPrint's tagging reads it
once per tagged box: quadratic in pages. They are kept while the number of pages stands (decision 45 has the
measurements). Nothing changes a page between two reads but adding one, which changes the count, so the bytes are
the same: `tests/writers/test_pdf.py` compares whole files written both ways.

A patch: used only where `patches` allows it (row "pydyf-page-references").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf

from briefkit import patches

PAGES = "pydyf-page-references"  # its row in `patches.TABLE`


@contextmanager
def repeats_avoided() -> Iterator[None]:
    """Within this block, pydyf keeps the page references it has made, where `patches` allows it."""
    if not patches.active(PAGES):  # reads the code it replaces first
        yield
        return
    made_refs = pydyf.PDF.__dict__["page_references"]
    refs: dict[int, tuple[pydyf.PDF, int, Any]] = {}  # by id(): the PDF, its page count then, the references

    def page_references(pdf: pydyf.PDF) -> Any:
        count = pdf.pages["Count"]
        hit = refs.get(id(pdf))
        if hit is None or hit[0] is not pdf or hit[1] != count:
            hit = refs[id(pdf)] = (pdf, count, made_refs.fget(pdf))
        return hit[2]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = made_refs
