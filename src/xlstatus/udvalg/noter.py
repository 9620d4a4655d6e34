"""The status notes area in the committee copy: the project lead's text for the month,
read from the workbook's "Status og bemærkninger" area and printed under the schema.

The area's cells are emptied where they stand and the text is written again after the
copy's closing lines (legend, suppression rule, chart pointer), one merged and wrapped
row per line, so nothing overlaps and every line reads whole on the printed page."""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.sider import FONT_NAME, wrapped_lines
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.tid import month_label
from xlstatus.plan import stil
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.layout import SheetLayout, notes_cells
from xlstatus.udvalg.scan import cpr_like

LINE_HEIGHT = 15.0


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


def clear_area(ws: Worksheet, layout: SheetLayout) -> None:
    """Empty the area (heading, hint and text) where it stands in the copy."""
    start = layout.xlstatus_rows.get("noter")
    if start is None:
        return
    legend = layout.xlstatus_rows.get("forklaring")
    end = legend - 1 if legend is not None and legend > start else ws.max_row
    for (r, _), cell in list(ws._cells.items()):
        if start <= r <= end:
            cell.value = None
            cell.comment = None


def _visible_width(ws: Worksheet, first: int, last: int) -> float:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden |= set(range(dim.min, dim.max + 1))
    width = 0.0
    for c in range(first, last + 1):
        if c not in hidden:
            width += ws.column_dimensions[get_column_letter(c)].width or 8.43
    return width


def write_notes(ws: Worksheet, lines: list[str], row: int, layout: SheetLayout, month: date) -> int:
    """The heading and the lines from `row`, each merged across the table's width and
    wrapped; returns the last row written (row - 1 when there is no text)."""
    if not lines:
        return row - 1
    col = layout.label_col
    last = max([col, *(c.col for c in layout.columns if c.kind != "other" or c.header)])
    heading = ws.cell(row, col)
    fil.set_value(heading, f"{bog_tekster.NOTES_TITLE} – {month_label(month)}")
    heading.font = Font(name=FONT_NAME, bold=True, size=12)
    ws.row_dimensions[row].height = 20
    chars = _visible_width(ws, col, last) * 1.1
    for i, text in enumerate(lines, start=1):
        r = row + i
        cell = ws.cell(r, col)
        fil.set_value(cell, text)
        cell.number_format = stil.TEXT_FORMAT
        cell.font = Font(name=FONT_NAME)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if last > col:
            ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=last)
        ws.row_dimensions[r].height = LINE_HEIGHT * wrapped_lines(text, chars)
    return row + len(lines)


__all__ = ["check_notes", "clear_area", "notes_lines", "write_notes"]
