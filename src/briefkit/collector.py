"""Pausing Python's cyclic garbage collector while many long-lived objects are made.

Each full collection walks every object alive; while a stage makes millions of objects that all live on (the
loaded fact base, WeasyPrint's boxes for every page), collections keep walking the growing heap again, and the
stage costs more per item the larger its input. Paused, the garbage of such a stage is collected once, after it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
