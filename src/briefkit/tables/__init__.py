"""Tables built from the fact base's datasets: header, formatted cells, widths and source note."""

from briefkit.tables.build import build_table

__all__ = ["build_table"]
