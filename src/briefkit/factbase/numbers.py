"""Kept for code that imports from here: the number reader lives in `briefkit.factbase.quantities`."""

from __future__ import annotations

from briefkit.factbase.quantities import Quantity, quantities, same_number, scale_hint, visible_numbers

__all__ = ["Quantity", "quantities", "same_number", "scale_hint", "visible_numbers"]
