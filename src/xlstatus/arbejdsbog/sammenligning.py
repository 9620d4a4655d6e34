"""The Sammenligning sheet in a workbook file (openpyxl): the adapter of `plan.sammenligning`.

`skriv_sammenligning(wb, tabeller, info, eget, mod)` adds the sheet when missing (after
Vandringer), keeps what a person typed in its Bemærkninger rows and in the columns after
`plan.sammenligning.MAX_COL`, clears xlstatus's own area and writes it again with its look.

The tables themselves come from `udtraek.sammenligning.laes_og_byg` (the sources first: a
bad source is a KildeError before anything is written).
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.fil import HEADER_FILL, apply_write
from xlstatus.arbejdsbog.sider import FONT_NAME, page_setup, text_lines
from xlstatus.kerne.sammenligning_tabel import Sammenligningstabel
from xlstatus.plan import sammenligning as plan
from xlstatus.plan import tekster

TITLE_FILL = "F2F2F2"
LINE = Side(style="thin", color="808080")
FIRST_WIDTH, AREA_WIDTH = 38.0, 13.0


def _sheet(wb: Workbook) -> Worksheet:
    if plan.SHEET in wb.sheetnames:
        return wb[plan.SHEET]
    after = [n for n in (tekster.VANDRINGER, tekster.OVERBLIK) if n in wb.sheetnames]
    if after:
        return wb.create_sheet(plan.SHEET, wb.sheetnames.index(after[0]) + 1)
    index = next(
        (wb.sheetnames.index(n) for n in tekster.ANALYSES_BEFORE if n in wb.sheetnames), None
    )
    return wb.create_sheet(plan.SHEET, index)


def _clear(ws: Worksheet) -> None:
    """Empty xlstatus's area (A … MAX_COL): values, looks and merges; a person's columns
    after it stay as they are."""
    for rng in list(ws.merged_cells.ranges):
        if rng.min_col <= plan.MAX_COL:
            ws.unmerge_cells(str(rng))
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=plan.MAX_COL):
        for cell in row:
            cell.value = None
            cell.font = Font(name=FONT_NAME)
            cell.fill = PatternFill(fill_type=None)
            cell.border = Border()
            cell.alignment = Alignment()
            cell.number_format = "General"
    for r in list(ws.row_dimensions):
        ws.row_dimensions[r].height = None


def _wide_text(ws: Worksheet, row: int, last_col: int, italic: bool = False) -> None:
    cell = ws.cell(row, 1)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = Font(name=FONT_NAME, italic=italic, size=10, color="404040" if italic else None)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    width = FIRST_WIDTH + AREA_WIDTH * (last_col - 1)
    ws.row_dimensions[row].height = 14.0 * text_lines(str(cell.value or ""), width)


def _style_block(ws: Worksheet, b: plan.Blok) -> None:
    last = b.last_col
    for c in range(1, last + 1):
        ws.cell(b.top, c).fill = PatternFill("solid", fgColor=TITLE_FILL)
        head = ws.cell(b.header, c)
        head.fill = PatternFill("solid", fgColor=HEADER_FILL)
        head.font = Font(name=FONT_NAME, bold=True)
        head.alignment = Alignment(horizontal="left" if c == 1 else "right", wrap_text=True,
                                   vertical="bottom")  # fmt: skip
        head.border = Border(bottom=LINE)
        ws.cell(b.last, c).border = Border(bottom=LINE)
    ws.cell(b.top, 1).font = Font(name=FONT_NAME, bold=True, size=12)
    ws.row_dimensions[b.top].height = 20
    heads = [str(ws.cell(b.header, c).value or "") for c in range(2, last + 1)]
    lines = max((text_lines(h, AREA_WIDTH - 1, bold=True) for h in heads), default=1)
    ws.row_dimensions[b.header].height = 15.0 * max(2, lines)
    for r in range(b.first, b.last + 1):
        for c in range(2, last + 1):
            ws.cell(r, c).alignment = Alignment(horizontal="right")
    for i, r in enumerate(b.text_rows):
        _wide_text(ws, r, last, italic=i == 0)
    ws.cell(b.note_row, 1).font = Font(name=FONT_NAME, bold=True)
    note = ws.cell(b.note_row, 2)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=b.note_row, start_column=2, end_row=b.note_row, end_column=last)
    text = str(note.value or "")
    ws.row_dimensions[b.note_row].height = 15.0 * max(1, text_lines(text, AREA_WIDTH * (last - 1)))


def skriv_sammenligning(
    wb: Workbook, tabeller: Sequence[Sammenligningstabel], info: str, eget: str, mod: str
) -> plan.ArkPlan:
    """Write the Sammenligning sheet, keeping what people typed."""
    ws = _sheet(wb)
    rows = [list(r) for r in ws.iter_rows(values_only=True, max_col=plan.MAX_COL)]
    kept = plan.kept_notes(rows)
    _clear(ws)
    result = plan.sheet_plan(tabeller, info, kept, eget, mod)
    for w in result.writes:
        apply_write(ws, w)
    ws.column_dimensions["A"].width = FIRST_WIDTH
    for c in range(2, plan.MAX_COL + 1):
        ws.column_dimensions[get_column_letter(c)].width = AREA_WIDTH
    ws.cell(plan.TITLE_ROW, 1).font = Font(name=FONT_NAME, bold=True, size=14)
    widest = max((b.last_col for b in result.blokke), default=6)
    for r in (plan.INFO_ROW, plan.EXPLAIN_ROW):
        _wide_text(ws, r, widest, italic=r == plan.INFO_ROW)
    for b in result.blokke:
        _style_block(ws, b)
    page_setup(ws, None, None, landscape=False)
    ws.sheet_view.showGridLines = False
    return result


__all__ = ["skriv_sammenligning"]
