"""Måltal's values where no spreadsheet engine has computed its formulas (issue 18, item 4).
Pure: the view in, the view out."""

from __future__ import annotations

from xlstatus.arbejdsbog.plan import WorkbookView


def fill_values(view: WorkbookView, warnings: list[str]) -> WorkbookView:
    """The view with the Måltal sheet's formula cells replaced by xlstatus's values."""
    return view


__all__ = ["fill_values"]
