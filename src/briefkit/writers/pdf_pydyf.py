"""pydyf (the PDF serialiser under WeasyPrint 70, pydyf 0.13) without two repeats that cost the brief time.

- **Streams made twice.** To write the second half of the file /ID, pydyf hashes every object's bytes, which it
  makes again: every page's content, font and object stream is serialised and zlib-compressed at level 9 a second
  time. A stream's bytes are kept from the first time they are made (1.50 s → 1.43 s for the analyst PDF).
- **Every page's reference, for every tagged box.** `PDF.page_references` builds the references of all pages each
  time it is read, and WeasyPrint's tagging reads it once per tagged box: quadratic in pages. They are kept while
  the number of pages stands (9 s of profile, a fifth of writing, on a 350-page brief).

Nothing changes a stream or a page between the two uses (pydyf builds them before writing), so the bytes are the
same: `tests/writers/test_pdf.py` compares whole files written with and without `repeats_avoided`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf

from briefkit import patches

STREAMS, PAGES = "pydyf-stream-bytes", "pydyf-page-references"  # their rows in `patches.TABLE`


@contextmanager
def repeats_avoided() -> Iterator[None]:
    """Within this block, pydyf keeps each stream's bytes and the page references it has made, each where
    `patches` allows it (the checked pydyf, not switched off)."""
    made_data = pydyf.Stream.__dict__.get("data")
    made_refs = pydyf.PDF.__dict__.get("page_references")
    kept: dict[int, tuple[pydyf.Stream, bytes]] = {}  # by id(); the stream is held so its id is not reused
    refs: dict[int, tuple[pydyf.PDF, int, Any]] = {}  # by id(): the PDF, its page count then, the references

    def data(stream: pydyf.Stream) -> bytes:
        hit = kept.get(id(stream))
        if hit is None or hit[0] is not stream:
            hit = kept[id(stream)] = (stream, made_data.fget(stream))  # type: ignore[union-attr]
        return hit[1]

    def page_references(pdf: pydyf.PDF) -> Any:
        count = pdf.pages["Count"]
        hit = refs.get(id(pdf))
        if hit is None or hit[0] is not pdf or hit[1] != count:
            hit = refs[id(pdf)] = (pdf, count, made_refs.fget(pdf))  # type: ignore[union-attr]
        return hit[2]

    streams, pages = patches.active(STREAMS), patches.active(PAGES)  # both read the code they replace first
    if streams:
        pydyf.Stream.data = property(data)  # type: ignore[method-assign,assignment]
    if pages:
        pydyf.PDF.page_references = property(page_references)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        if streams:
            pydyf.Stream.data = made_data  # type: ignore[method-assign]
        if pages:
            pydyf.PDF.page_references = made_refs  # type: ignore[method-assign]
