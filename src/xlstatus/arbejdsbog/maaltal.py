"""The Måltal sheet of the workbook (openpyxl adapter): write it, read it back, update it.

What goes into the cells is `plan.maaltal` (pure, shared with live Excel); this module
applies its blocks with openpyxl and adds what only a file has: the red-flag rule, the
type and ja/nej lists, column widths, frozen panes, print setup and the two charts.

Layout (anchors are found by their text in column A, so rows a person inserts are fine):

- Rows 1-…: title, how to edit, the seed's notes.
- The lines table, header row `Gruppe | Linje | Type | Projekt | Antal fuldtidspersoner |
  Sum af linjer | Kontrol | Målgrupper i udtrækket | Indgår i mål for`. Per group: a group
  row (name in A), its lines, and a total row (type `I alt`) with the typed/printed total in
  E, the live sum of the lines in F (`SUMIFS` over the group's rows, so a line inserted
  anywhere in the group counts) and a flag in G ("Afviger fra summen", red). This table is
  the person's: `update_maaltal_sheet` never writes into it.
- Below it, rebuilt on every update from what the table holds (so it is idempotent):
  `Projekter fordelt på grupper` (SUMIFS matrix with totals and the price row),
  `Faktisk mod mål` (period, target formula, actual value, difference, status),
  `Økonomi` (per project: effect, yearly saving, cost, net return, break-even month) and
  `Måned for måned` (the monthly schedule behind it), and two charts.

Prices, costs and the calculation period live on the `Indstillinger` sheet under workbook
defined names (`xlstatus_maaltal_*`), marked "Skal udfyldes af jer"; the formulas here refer
to those names, so a changed price shows at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.celler import font_for, write_block
from xlstatus.arbejdsbog.indstillinger import ensure_price_settings, read_price_settings
from xlstatus.kerne.maaltal import (
    LINE_TYPES,
    TOTAL_LABEL,
    Faktisk,
    Maaltal,
    Periode,
    actual_vs_target,
    default_period,
)
from xlstatus.kerne.model import Extract
from xlstatus.kerne.noegler import spaced_key
from xlstatus.kerne.status import Tolerance
from xlstatus.plan.maaltal import (
    SHEET,
    WIDTHS,
    Layout,
    Look,
    Money,
    derived_block,
    read_table,
    table_block,
)
from xlstatus.plan.stil import FILL, FONT
from xlstatus.skabelonfiler import load_maaltal


def _grid(ws: Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --------------------------------------------------------------------------- the lines table


def _write_table(ws: Worksheet, m: Maaltal) -> int:
    """Title, notes and the lines table; returns the table's last row."""
    block, header, last = table_block(m)
    write_block(ws, block)
    _table_rules(ws, header, last)
    return last


def _table_rules(ws: Worksheet, header: int, last: int) -> None:
    """The red flag, the type list, widths, frozen header and print setup of the table."""
    first = header + 1
    red = PatternFill("solid", fgColor=FILL["roed"], bgColor=FILL["roed"])
    rule = FormulaRule(
        formula=[f'AND(G{first}<>"",G{first}<>"OK")'],
        fill=red,
        font=font_for(Look(bold=True, color=FONT["roed"])),
    )
    ws.conditional_formatting.add(f"G{first}:G{last}", rule)
    types = ",".join((*LINE_TYPES, TOTAL_LABEL))
    dv = DataValidation(type="list", formula1=f'"{types}"', allow_blank=True)
    dv.error = "Type skal være basis, investering, budgetforlig, øvrig eller I alt."
    ws.add_data_validation(dv)
    dv.add(f"C{first}:C{last}")
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _read_table(ws: Worksheet) -> tuple[Maaltal, Layout]:
    """The lines table as a Maaltal (economy from Indstillinger) and where it is."""
    template = load_maaltal()
    oekonomi = read_price_settings(ws.parent, template.oekonomi) if ws.parent else template.oekonomi
    return read_table(_grid(ws), ws.title, template, oekonomi)


def read_maaltal_sheet(ws: Worksheet) -> Maaltal:
    """The Måltal a person sees on the sheet: its lines and typed totals (as edited), the
    prices and costs from `Indstillinger` (the template's when the workbook has none).

    A cell that is not a number, a line outside a group or an unknown type is a
    TemplateError naming the sheet, row and column."""
    return _read_table(ws)[0]


def find_maaltal_sheet(wb: Workbook, sheet_name: str = SHEET) -> Worksheet | None:
    """The Måltal sheet by its name (also 'Maaltal', any case and spacing), or None."""
    wanted = {spaced_key(sheet_name), spaced_key(SHEET), "maaltal"}
    for ws in wb.worksheets:
        if spaced_key(ws.title) in wanted:
            return ws
    return None


# --------------------------------------------------------------------------- derived blocks


def _clear_below(ws: Worksheet, row: int) -> None:
    if ws.max_row >= row:
        ws.delete_rows(row, ws.max_row - row + 1)
    for r in [r for r in ws.row_dimensions if r >= row]:
        del ws.row_dimensions[r]
    ws._charts = []  # openpyxl keeps charts in a private list


def _write_derived(
    ws: Worksheet,
    m: Maaltal,
    layout: Layout,
    results: list[Faktisk] | None,
    period: Periode | None,
    tolerance: Tolerance,
) -> None:
    """Rebuild everything below the lines table: matrix, actual against target, money."""
    _clear_below(ws, layout.end_row + 1)
    block, money = derived_block(m, layout, results, period, tolerance)
    write_block(ws, block)
    _charts(ws, money)
    ws.print_area = f"A1:S{money.total}"  # the monthly schedule is for screens


def _charts(ws: Worksheet, money: Money) -> None:
    """Accumulated saving and cost in total (line), cost and saving per project (bar)."""
    months = Reference(ws, min_col=3, max_col=money.last_col, min_row=money.sched_head)
    line = LineChart()
    line.title = "Akkumuleret besparelse og udgift i alt (kr.)"
    line.y_axis.title = "kr."
    line.y_axis.number_format = "#,##0"
    total = money.sched(TOTAL_LABEL)
    for row in (total + 2, total + 3):
        data = Reference(ws, min_col=2, max_col=money.last_col, min_row=row)
        line.add_data(data, from_rows=True, titles_from_data=True)
    line.set_categories(months)
    line.x_axis.number_format = "mmm-yy"
    line.height, line.width = 8, 18
    for axis in (line.x_axis, line.y_axis):
        axis.delete = False
    ws.add_chart(line, "K2")
    if money.projects:
        bar = BarChart()
        bar.type = "bar"
        bar.title = "Udgift og besparelse i beregningsperioden pr. projekt (kr.)"
        first, last = money.row(money.projects[0]), money.row(money.projects[-1])
        data = Reference(ws, min_col=7, max_col=8, min_row=money.head, max_row=last)
        bar.add_data(data, titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        bar.y_axis.number_format = "#,##0"
        bar.height, bar.width = 9, 18
        for axis in (bar.x_axis, bar.y_axis):
            axis.delete = False
        ws.add_chart(bar, "K20")


# --------------------------------------------------------------------------- entry points


def write_maaltal_sheet(
    wb: Workbook, maaltal: Maaltal | None = None, sheet_name: str = SHEET
) -> Worksheet:
    """Build the Måltal sheet from `maaltal` (default: the template), replacing an existing
    one in place. Writes the price settings into `Indstillinger` when the workbook has none."""
    m = maaltal or load_maaltal()
    index = None
    if sheet_name in wb.sheetnames:
        index = wb.sheetnames.index(sheet_name)
        del wb[sheet_name]
    ws = wb.create_sheet(sheet_name, index)
    wb.calculation.fullCalcOnLoad = True  # the sheet's formulas have no cached values yet
    ensure_price_settings(wb, m)
    _write_table(ws, m)
    read, layout = _read_table(ws)
    _write_derived(ws, read, layout, None, None, Tolerance())
    return ws


def update_maaltal_sheet(
    wb: Workbook,
    extract: Extract,
    month: date,
    period: Periode | None = None,
    sheet_name: str = SHEET,
    tolerance: Tolerance = Tolerance(),
) -> list[Faktisk]:
    """Fill the actual-against-target block for `period` (default: year to date of
    `month`) and rebuild everything below the lines table from what the table holds now.

    The lines table (the person's) is not touched. Creates the sheet from the template
    when the workbook has none. Running it twice gives the same sheet."""
    ws = find_maaltal_sheet(wb, sheet_name) or write_maaltal_sheet(wb, None, sheet_name)
    m, layout = _read_table(ws)
    ensure_price_settings(wb, m)
    m = replace(m, oekonomi=read_price_settings(wb, m.oekonomi))
    period = period or default_period(month)
    results = actual_vs_target(extract, m, period, tolerance)
    _write_derived(ws, m, layout, results, period, tolerance)
    wb.calculation.fullCalcOnLoad = True
    return results
