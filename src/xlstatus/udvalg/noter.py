"""The status notes area in the committee copy: the project lead's text for the month,
read from the workbook's "Status og bemærkninger" area and printed under the schema, after
its legend, one paragraph per line (`bygger.schema_page`). Pure."""

from __future__ import annotations

from xlstatus.kerne.errors import WorkbookError
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.data import column_letter as get_column_letter
from xlstatus.plan.layout import SheetLayout, notes_cells
from xlstatus.udvalg.scan import cpr_like


def notes_lines(grid: list[list[object]], layout: SheetLayout) -> list[str]:
    """The area's text, line by line (a row's cells joined; a cell's own lines kept)."""
    rows: dict[int, list[str]] = {}
    for r, _, text in notes_cells(grid, layout):
        rows.setdefault(r, []).append(text)
    out: list[str] = []
    for r in sorted(rows):
        joined = " ".join(rows[r])
        out += [ln.strip() for ln in joined.splitlines() if ln.strip()]
    return out


def check_notes(sheet: str, grid: list[list[object]], layout: SheetLayout) -> None:
    """Stop the copy when a CPR-like number is typed in the area (the number itself is
    never repeated; the cell is named)."""
    cells = [
        f"'{sheet}'!{get_column_letter(c)}{r}"
        for r, c, text in notes_cells(grid, layout)
        if cpr_like(text)
    ]
    if cells:
        raise WorkbookError(
            f"Udvalgets kopi er ikke lavet: i '{bog_tekster.NOTES_TITLE}' står der noget, der "
            f"ligner et CPR-nummer ({', '.join(cells)}). Ret teksten i arbejdsbogen og prøv "
            "igen."
        )


__all__ = ["check_notes", "notes_lines"]
