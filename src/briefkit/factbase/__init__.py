"""The fact base: schema, loading with located errors, consistency checks and as-of selection."""

from briefkit.factbase.dates import PartialDate
from briefkit.factbase.load import load_factbase
from briefkit.factbase.model import FactBase

__all__ = ["FactBase", "PartialDate", "load_factbase"]
