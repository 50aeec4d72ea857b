"""The fact base: schema, loading with located errors, consistency checks and as-of selection.

The names below are imported on first use (PEP 562): building the schema's models is most of the start-up time
of a `briefkit build` that finds its outputs current and needs no fact base at all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefkit.factbase.dates import PartialDate
    from briefkit.factbase.load import load_factbase
    from briefkit.factbase.model import FactBase

__all__ = ["FactBase", "PartialDate", "load_factbase"]
_HOMES = {"PartialDate": "briefkit.factbase.dates", "load_factbase": "briefkit.factbase.load",
          "FactBase": "briefkit.factbase.model"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
