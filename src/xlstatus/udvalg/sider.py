"""Readable printed pages in the committee copy (openpyxl): the Måltal sheet on as many
pages as it needs, and schema headers that wrap instead of running into each other.

- Måltal: its columns are made narrower (long texts wrap instead of widening the page),
  the texts that stand alone on a row span the table's width, every row gets the height
  its wrapped text needs, and a page break goes before a table that would not fit on the
  page any more – so the page is scaled to the width only and the type stays readable.
- Schema headers (a workbook typed by hand has narrow columns and long headers such as
  "Status 10. januar 2024" or "Mindste mål August 2024..."): wrapped, centred, and the
  header row as tall as its longest header needs.
"""

from __future__ import annotations

from copy import copy as clone

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.sider import wrapped_lines
from xlstatus.plan.layout import SheetLayout

LINE_PT = 15.0
MAX_TEXT_WIDTH = 24.0  # Måltal: widest column in the copy (characters)
PAGE_WIDTH_PT = 785.0  # A4 landscape minus the copy's margins
PAGE_HEIGHT_PT = 470.0  # … minus margins, header and footer
DEFAULT_WIDTH = 8.43


def _width(ws: Worksheet, c: int) -> float:
    return ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH


def lines_needed(text: str, width: float, bold: bool = False) -> int:
    """How many lines a text wraps to in a column of `width` characters (an estimate)."""
    per_line = max(1.0, width * (1.0 if bold else 1.1) - 1)
    return sum(wrapped_lines(part, per_line) for part in str(text).split("\n"))


def _wrap(cell) -> None:
    al = clone(cell.alignment) if cell.has_style else Alignment()
    al.wrap_text = True
    if al.vertical is None:
        al.vertical = "top"
    cell.alignment = al


def _row_cells(ws: Worksheet, r: int, last_col: int) -> list:
    return [
        ws.cell(r, c)
        for c in range(1, last_col + 1)
        if not isinstance(ws.cell(r, c), MergedCell) and ws.cell(r, c).value not in (None, "")
    ]


def fit_row(ws: Worksheet, r: int, last_col: int, span: float) -> float:
    """Wrap the row's texts and set its height; returns the height (points)."""
    cells = _row_cells(ws, r, last_col)
    if not cells:
        return ws.row_dimensions[r].height or LINE_PT
    alone = len(cells) == 1 and cells[0].column == 1 and isinstance(cells[0].value, str)
    lines = 1
    for cell in cells:
        if not isinstance(cell.value, str):
            continue
        width = span if alone else _width(ws, cell.column)
        lines = max(lines, lines_needed(cell.value, width, bool(cell.font and cell.font.b)))
        _wrap(cell)
    if lines > 1:
        for cell in cells:
            if not cell.alignment or cell.alignment.vertical is None:
                al = clone(cell.alignment) if cell.has_style else Alignment()
                al.vertical = "top"
                cell.alignment = al
    if alone and lines_needed(cells[0].value, _width(ws, 1)) > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
    size = max((cell.font.sz or 11) for cell in cells if cell.font) if cells else 11
    height = round(max(LINE_PT * lines * max(size, 11) / 11, ws.row_dimensions[r].height or 0), 1)
    ws.row_dimensions[r].height = height
    return height


def _table_starts(ws: Worksheet, first: int, last: int) -> list[int]:
    """Rows that begin a table: a bold text in column A after an empty row."""
    out = []
    for r in range(first + 1, last + 1):
        above, cell = ws.cell(r - 1, 1).value, ws.cell(r, 1)
        if above in (None, "") and isinstance(cell.value, str) and cell.font and cell.font.b:
            out.append(r)
    return out


def maaltal_pages(ws: Worksheet, last_row: int, last_col: int) -> int:
    """Lay the Måltal sheet's rows 1…last_row out on readable pages; returns the number of
    pages (estimated)."""
    for c in range(1, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = min(_width(ws, c), MAX_TEXT_WIDTH)
    span = sum(_width(ws, c) for c in range(1, last_col + 1))
    scale = min(1.0, PAGE_WIDTH_PT / (span * 5.6 + 5))
    budget = PAGE_HEIGHT_PT / scale
    heights = {r: fit_row(ws, r, last_col, span) for r in range(1, last_row + 1)}
    starts = set(_table_starts(ws, 1, last_row))
    ws.row_breaks = RowBreak()
    used, pages = 0.0, 1
    r = 1
    while r <= last_row:
        if r in starts and used > 0:
            end = min((s for s in starts if s > r), default=last_row + 1)
            block = sum(heights[x] for x in range(r, end))
            if used + block > budget:
                ws.row_breaks.append(Break(id=r - 1))
                used, pages = 0.0, pages + 1
        used += heights[r]
        if used > budget:  # a table longer than a page: the spreadsheet breaks it
            used, pages = heights[r], pages + 1
        r += 1
    return pages


def wrap_headers(ws: Worksheet, layout: SheetLayout) -> None:
    """Wrap the schema's header cells (and a year or month above them, as in `August` over
    `2024`) and make those rows tall enough for every header to read whole."""
    cols = [c.col for c in layout.columns if c.kind != "other" or c.header]
    for r in (layout.header_row - 1, layout.header_row):
        if r < 1:
            continue
        lines = 0
        for c in cols:
            cell = ws.cell(r, c)
            if isinstance(cell, MergedCell) or cell.value in (None, ""):
                continue
            al = clone(cell.alignment) if cell.has_style else Alignment()
            al.wrap_text, al.vertical = True, "center"
            al.horizontal = al.horizontal or "center"
            cell.alignment = al
            text = cell.value if isinstance(cell.value, str) else "x"
            lines = max(lines, lines_needed(text, _width(ws, c), True))
        if lines:
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, LINE_PT * lines + 3)


__all__ = ["fit_row", "lines_needed", "maaltal_pages", "wrap_headers"]
