"""The Overblik (Tidlig varsling) and Vandringer pages of the committee copy (openpyxl).

- Vandringer: each table's small counts are hidden as elsewhere (`diskretion.suppress`,
  the table's `I alt` as the sum its categories add up to, so one hidden count cannot be
  recovered by subtraction); a share whose count is hidden is hidden too. The charts
  point at the same cells, so a hidden count has no bar.
- Prognoses (the Prognose column of a schema sheet and the Tidlig varsling list): a
  projection of a row whose value for the copy's month is hidden is hidden as well.
- Both pages: landscape A4, one page wide, the committee's header and footer.
"""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog import fil
from xlstatus.kerne.noegler import spaceless_key
from xlstatus.plan import stil
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.data import SheetView
from xlstatus.plan.overblik import HEADER_ROW, MAX_ENTRIES, prognose_column, row_label
from xlstatus.plan.vandringer import SLOTS, TABLE_COLS, blocks, sheet_groups
from xlstatus.udvalg.diskretion import HIDE, HIDE_SHARE, Figure, SumGroup, suppress
from xlstatus.udvalg.plan import HIDDEN, SheetCopy
from xlstatus.udvalg.sider import fit_row

TOTAL = "I alt"


def _count(v: object) -> int | None:
    return int(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _hide(ws: Worksheet, r: int, c: int) -> None:
    cell = ws.cell(r, c)
    fil.set_value(cell, HIDDEN)
    cell.number_format = stil.TEXT_FORMAT
    cell.alignment = Alignment(horizontal="right")


def suppress_vandringer(ws: Worksheet, threshold: int) -> int:
    """Hide the small counts (and their shares) of every Vandringer table; returns how
    many counts were hidden."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    hidden = 0
    for block in blocks(sheet_groups(rows)):
        for col in TABLE_COLS.values():
            figures: dict[object, Figure] = {}
            for i in range(SLOTS):
                n = _count(ws.cell(block.first + i, col + 1).value)
                if n is not None:
                    figures[block.first + i] = Figure(n)
            figures[TOTAL] = Figure(_count(ws.cell(block.total, col + 1).value))
            group = SumGroup(TOTAL, tuple(k for k in figures if k != TOTAL))
            for key, kind in suppress(figures, [group], threshold).items():
                if kind != HIDE:
                    continue
                r = block.total if key == TOTAL else int(key)  # type: ignore[call-overload]
                _hide(ws, r, col + 1)
                _hide(ws, r, col + 2)
                hidden += 1
    return hidden


def hidden_rows(copy: SheetCopy, month: date) -> set[tuple[str, str]]:
    """(sektion, label) of the rows whose value for the copy's month is hidden."""
    col = copy.layout.month_cols.get(month)
    gone = {ch.row for ch in copy.changes if ch.col == col and ch.kind in (HIDE, HIDE_SHARE)}
    return {key for key, r in copy.layout.rows.items() if r in gone}


def prognose_cells(copy: SheetCopy, grid: list[list[object]]) -> set[tuple[int, int]]:
    """The Prognose cells of a schema sheet (to keep their notes in the copy)."""
    col, found = prognose_column(copy.layout, SheetView(copy.sheet, grid))
    if not found:
        return set()
    return {
        (r, col)
        for row, r in copy.layout.rows.items()
        if any(x.key == row and x.targets for x in copy.schema.rows)
    }


def suppress_prognose_column(
    ws: Worksheet, copy: SheetCopy, grid: list[list[object]], rows: set[tuple[str, str]]
) -> None:
    """Hide the projection of every hidden row in the schema sheet's Prognose column."""
    col, found = prognose_column(copy.layout, SheetView(copy.sheet, grid))
    if not found:
        return
    for key in rows:
        r = copy.layout.rows[key]
        cell = ws.cell(r, col)
        if cell.value in (None, ""):
            continue
        _hide(ws, r, col)
        cell.comment = None
        cell.fill = PatternFill(fill_type=None)


def suppress_overblik(ws: Worksheet, copies: list[SheetCopy], month: date) -> int:
    """Hide the projection (Fremskrevet, Mangler) of Tidlig varsling rows whose value for
    the month is hidden on their schema sheet; returns how many."""
    gone: set[tuple[str, str]] = set()
    for copy in copies:
        by_key = {r.key: r for r in copy.schema.rows}
        for key in hidden_rows(copy, month):
            gone.add((copy.schema.projekt, spaceless_key(row_label(by_key[key]))))
    n = 0
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + MAX_ENTRIES):
        project, label = ws.cell(r, 1).value, ws.cell(r, 2).value
        if (project, spaceless_key(label or "")) in gone:
            for c in (5, 6):
                _hide(ws, r, c)
                ws.cell(r, c).fill = PatternFill(fill_type=None)
            n += 1
    return n


def overblik_print_area(ws: Worksheet) -> str:
    """The printed part of Overblik (up to the last entry); the entries' rows get the
    height their wrapped texts need."""
    last = HEADER_ROW + 1
    for r in range(HEADER_ROW + 1, HEADER_ROW + 2 + MAX_ENTRIES):
        if ws.cell(r, 1).value not in (None, ""):
            last = r
    span = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, 8))
    for r in range(HEADER_ROW + 1, last + 1):
        fit_row(ws, r, 7, span)
    return f"A1:G{last}"


def analysis_sheets(names: list[str]) -> list[str]:
    return [n for n in (bog_tekster.OVERBLIK, bog_tekster.VANDRINGER) if n in names]


__all__ = [
    "analysis_sheets",
    "hidden_rows",
    "overblik_print_area",
    "prognose_cells",
    "suppress_overblik",
    "suppress_prognose_column",
    "suppress_vandringer",
]
