"""The Overblik and Vandringer sheets as workbook files (openpyxl): their fixed layout,
look, charts and print setup. The values come as plan writes (`overblik`, `vandringer`).

`ensure_analysis_sheets(wb, groups)` is called by `ny` and by every file-based Opdater:
it adds a sheet a workbook lacks (hand-typed and older workbooks) and lays the
Vandringer sheet out again when Indstillinger lists other target groups.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.fil import HEADER_FILL, set_value
from xlstatus.arbejdsbog.sider import FONT_NAME, page_setup
from xlstatus.kerne.analyser import AFGANG, TILGANG
from xlstatus.plan import overblik, tekster, vandringer
from xlstatus.plan.data import CellWrite

GROUP_FILL = "F2F2F2"
COLOURS = {TILGANG: "4472C4", AFGANG: "ED7D31"}
V_WIDTHS = (34, 9, 10, 3, 34, 9, 10)
LINE = Side(style="thin", color="808080")


def _place(wb: Workbook, name: str) -> Worksheet:
    """A new sheet before Måltal/Data/Log/… (after the schema sheets)."""
    index = next(
        (wb.sheetnames.index(n) for n in tekster.ANALYSES_BEFORE if n in wb.sheetnames), None
    )
    return wb.create_sheet(name, index)


def _values(ws: Worksheet, writes: Sequence[CellWrite]) -> None:
    """The sheet's fixed texts (shared with the Excel route; see `layout_writes`)."""
    for w in writes:
        set_value(ws.cell(w.row, w.col), w.value)


def _title(ws: Worksheet, explain: Sequence[str], first: int, widths: Sequence[float]) -> None:
    cell = ws.cell(1, 1)
    cell.font = Font(name=FONT_NAME, bold=True, size=14)
    info = ws.cell(2, 1)
    info.font = Font(name=FONT_NAME, italic=True, color="595959")
    info.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(widths))
    ws.row_dimensions[2].height = 30
    for i, line in enumerate(explain):
        r = first + i
        cell = ws.cell(r, 1)
        cell.font = Font(name=FONT_NAME, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(widths))
        ws.row_dimensions[r].height = 14.0 * max(1, -(-len(line) // int(sum(widths) * 1.2)))


def _header_cells(
    ws: Worksheet, r: int, c: int, texts: Sequence[str], left: Sequence[int] = (0,)
) -> None:
    for i in range(len(texts)):
        cell = ws.cell(r, c + i)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        # a left-aligned text after a right-aligned number keeps a space between them
        indent = 1 if i in left and i > 0 and i - 1 not in left else 0
        cell.alignment = Alignment(
            horizontal="left" if i in left else "right", wrap_text=True, indent=indent
        )
        cell.border = Border(bottom=LINE)


def _text(size: int) -> RichText:
    props = CharacterProperties(sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart_title(text: str) -> Title:
    props = CharacterProperties(sz=1100, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _chart(ws: Worksheet, block: vandringer.Block, retning: str) -> BarChart:
    col = vandringer.TABLE_COLS[retning]
    chart = BarChart()
    chart.type = "bar"
    chart.gapWidth = 50
    chart.add_data(
        Reference(ws, min_col=col + 1, min_row=block.header, max_row=block.last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=col, min_row=block.first, max_row=block.last))
    chart.series[0].graphicalProperties = GraphicalProperties(solidFill=COLOURS[retning])
    chart.dataLabels = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )
    chart.dataLabels.txPr = _text(800)
    word = tekster.VANDRINGER_HEADERS[retning][0]
    chart.title = _chart_title(f"{block.maalgruppe}: {word.lower()}")
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # the largest category at the top
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorGridlines = None
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text(800)
    chart.anchor = TwoCellAnchor(
        editAs="oneCell",
        _from=AnchorMarker(col=col - 1, row=block.chart_top - 1),
        to=AnchorMarker(col=col + 2, row=block.chart_top - 1 + vandringer.CHART_ROWS),
    )
    return chart


def _vandringer_block(ws: Worksheet, block: vandringer.Block) -> None:
    last_col = len(V_WIDTHS)
    for c in range(1, last_col + 1):
        ws.cell(block.top, c).fill = PatternFill("solid", fgColor=GROUP_FILL)
    head = ws.cell(block.top, 1)
    head.font = Font(name=FONT_NAME, bold=True, size=12)
    ws.row_dimensions[block.top].height = 20
    for retning in (TILGANG, AFGANG):
        col = vandringer.TABLE_COLS[retning]
        _header_cells(ws, block.header, col, tekster.VANDRINGER_HEADERS[retning])
        for r in range(block.first, block.total + 1):
            ws.cell(r, col + 1).number_format = vandringer.COUNT_FORMAT
            ws.cell(r, col + 2).number_format = vandringer.SHARE_FORMAT
        for c in range(col, col + 3):
            ws.cell(block.total, c).border = Border(top=LINE)
            ws.cell(block.total, c).font = Font(name=FONT_NAME, bold=True)
        ws.add_chart(_chart(ws, block, retning))
    for r in range(block.chart_top, block.chart_top + vandringer.CHART_ROWS):
        ws.row_dimensions[r].height = 15


def write_vandringer_sheet(ws: Worksheet, groups: Sequence[str]) -> None:
    """The Vandringer sheet's layout for the given target groups (values: plan writes)."""
    for i, w in enumerate(V_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _values(ws, vandringer.layout_writes(groups))
    _title(ws, tekster.VANDRINGER_EXPLAIN, vandringer.FIRST_EXPLAIN_ROW, V_WIDTHS)
    ws.row_breaks = RowBreak()
    for i, block in enumerate(vandringer.blocks(groups)):
        _vandringer_block(ws, block)
        if i:
            ws.row_breaks.append(Break(id=block.top - 1))
    page_setup(ws, None, None, landscape=False)  # a target group to a page
    ws.sheet_view.showGridLines = False


def write_overblik_sheet(ws: Worksheet) -> None:
    """The Overblik sheet's layout: title, explanation and the Tidlig varsling header."""
    for i, w in enumerate(overblik.WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _values(ws, overblik.layout_writes())
    _title(ws, tekster.OVERBLIK_EXPLAIN, overblik.FIRST_EXPLAIN_ROW, overblik.WIDTHS)
    _header_cells(ws, overblik.HEADER_ROW, 1, tekster.OVERBLIK_HEADERS, (0, 1, 6))
    first = overblik.HEADER_ROW + 1
    for r in range(first, first + overblik.MAX_ENTRIES):
        for c in (1, 2):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
        for c in range(3, len(overblik.WIDTHS) + 1):
            last = c == len(overblik.WIDTHS)  # "Målet nås", text after the numbers
            ws.cell(r, c).alignment = Alignment(vertical="top", indent=1 if last else 0)
    ws.freeze_panes = ws.cell(overblik.HEADER_ROW + 1, 1).coordinate
    page_setup(ws, f"{overblik.HEADER_ROW}:{overblik.HEADER_ROW}", None)
    ws.sheet_view.showGridLines = False


def ensure_analysis_sheets(wb: Workbook, groups: Sequence[str]) -> None:
    """Add the Overblik and Vandringer sheets when missing; lay Vandringer out again when
    its target groups differ from `groups` (its values are rewritten by Opdater anyway)."""
    if tekster.OVERBLIK not in wb.sheetnames:
        write_overblik_sheet(_place(wb, tekster.OVERBLIK))
    if tekster.VANDRINGER in wb.sheetnames:
        ws = wb[tekster.VANDRINGER]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if vandringer.sheet_groups(rows) == tuple(groups):
            return
        index = wb.sheetnames.index(tekster.VANDRINGER)
        del wb[tekster.VANDRINGER]
        write_vandringer_sheet(wb.create_sheet(tekster.VANDRINGER, index), groups)
        return
    write_vandringer_sheet(_place(wb, tekster.VANDRINGER), groups)


__all__ = ["ensure_analysis_sheets", "write_overblik_sheet", "write_vandringer_sheet"]
