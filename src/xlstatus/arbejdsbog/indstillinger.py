"""The `Indstillinger` sheet of the workbook file (openpyxl adapter), its one writer: the
settings table (`write_settings_sheet`) and below it Måltal's prices (`write_price_settings`,
read back by `read_price_settings`). What goes into the cells is `plan.indstillinger`."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.celler import write_block
from xlstatus.arbejdsbog.fil import HEADER_FILL, set_value
from xlstatus.arbejdsbog.sider import FONT_NAME, LINE_HEIGHT, page_setup, text_lines
from xlstatus.kerne.maaltal import Maaltal, Oekonomi
from xlstatus.plan import tekster
from xlstatus.plan.indstillinger import (
    SETTINGS,
    Settings,
    has_settings,
    price_settings_block,
    settings_rows,
)
from xlstatus.plan.indstillinger import SHEET as SETTINGS_SHEET
from xlstatus.plan.indstillinger import read_price_settings as read_named_price_settings
from xlstatus.skabelonfiler import load_maaltal


def _define(wb: Workbook, name: str, ref: str) -> None:
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def named_cells(wb: Workbook, name: str) -> list[list[object]] | None:
    """Values of a workbook defined name's range (rows of values), or None."""
    dn = wb.defined_names.get(name)
    if dn is None:
        return None
    for title, coord in dn.destinations:
        if title not in wb.sheetnames:
            return None
        got = wb[title][coord.replace("$", "")]
        if not isinstance(got, tuple):
            return [[got.value]]
        if got and not isinstance(got[0], tuple):
            got = (got,)
        return [[c.value for c in row] for row in got]
    return None


def write_price_settings(
    ws_indstillinger: Worksheet, start_row: int, maaltal: Maaltal | None = None
) -> dict[str, str]:
    """Write the price table, investment costs and calculation period into `Indstillinger`
    from `start_row` down (columns A-D), marked "Skal udfyldes af jer".

    Returns defined name -> reference of every cell/range it defined."""
    ws = ws_indstillinger
    block, refs, choice = price_settings_block(ws.title, start_row, maaltal or load_maaltal())
    write_block(ws, block)
    dv = DataValidation(type="list", formula1='"ja,nej"', allow_blank=False)
    ws.add_data_validation(dv)
    dv.add(f"B{choice}")
    for name, ref in refs.items():
        _define(ws.parent, name, ref)
    for col, width in (("A", 40), ("B", 22), ("C", 22), ("D", 22)):
        ws.column_dimensions[col].width = max(ws.column_dimensions[col].width or 0, width)
    return refs


def ensure_price_settings(wb: Workbook, maaltal: Maaltal) -> None:
    if has_settings(wb.defined_names):
        return
    if SETTINGS_SHEET in wb.sheetnames:
        ws = wb[SETTINGS_SHEET]
        start = ws.max_row + 3 if ws.max_row > 1 or ws["A1"].value is not None else 1
    else:
        ws = wb.create_sheet(SETTINGS_SHEET)
        start = 1
    write_price_settings(ws, start, maaltal)


def read_price_settings(wb: Workbook, fallback: Oekonomi | None = None) -> Oekonomi:
    """Prices, costs and period from the `xlstatus_maaltal_*` names (fallback: template)."""
    base = fallback or load_maaltal().oekonomi
    if not has_settings(wb.defined_names):
        return base
    return read_named_price_settings(lambda name: named_cells(wb, name), base)


def write_settings_sheet(wb: Workbook, settings: Settings) -> Worksheet:
    ws = wb.create_sheet(tekster.SETTINGS)
    rows = settings_rows(settings)
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c)
            set_value(cell, v)
            cell.alignment = Alignment(vertical="top", wrap_text=c == 3)
            if r == 1:
                cell.font = Font(name=FONT_NAME, bold=True)
                cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for i, s in enumerate(SETTINGS, start=2):
        ws.cell(i, 2).number_format = s.number_format
        ws.cell(i, 2).alignment = Alignment(horizontal="left", vertical="top")
        ref = f"{quote_sheetname(ws.title)}!$B${i}"
        wb.defined_names[s.name] = DefinedName(s.name, attr_text=ref)
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 70
    for r in range(2, len(rows) + 1):
        lines = text_lines(str(ws.cell(r, 3).value or ""), 70)
        ws.row_dimensions[r].height = LINE_HEIGHT * lines
    ws.freeze_panes = "A2"
    page_setup(ws, "1:1")
    return ws
