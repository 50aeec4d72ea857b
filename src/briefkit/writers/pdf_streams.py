"""Each PDF stream serialised and compressed once, not twice (pydyf 0.13, under WeasyPrint 70).

To write the second half of the file /ID, pydyf hashes every object's bytes, which it makes again: every page's
content, font and object stream is serialised and zlib-compressed at level 9 a second time. Inside `once()`, a
stream's bytes are kept from the first time they are made until the file is written. Nothing changes a stream
between the two (pydyf builds them before writing), so the bytes are the same: `tests/writers/test_pdf.py`
compares whole files written both ways. Measured on the analyst brief: 1.50 s → 1.43 s for the PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pydyf


@contextmanager
def once() -> Iterator[None]:
    made = pydyf.Stream.__dict__.get("data")
    if not isinstance(made, property):  # another pydyf: write as it does
        yield
        return
    kept: dict[int, tuple[pydyf.Stream, bytes]] = {}  # by id(); the stream is held so its id is not reused

    def data(stream: pydyf.Stream) -> bytes:
        hit = kept.get(id(stream))
        if hit is None or hit[0] is not stream:
            hit = kept[id(stream)] = (stream, made.fget(stream))
        return hit[1]

    pydyf.Stream.data = property(data)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        pydyf.Stream.data = made  # type: ignore[method-assign]
