"""The committee copy as a plain .xlsx (openpyxl): `render_xlsx(copy) -> bytes`.

One sheet per `model.Page`, its blocks from the top: the title, headings, paragraphs
(merged across the page and wrapped), tables (borders, the header row grey and repeated on
every printed page, status fills and font colours, the symbol in the text), charts (native
Excel charts, two across and two down a printed page; their numbers to the right of the
print area). Every printed text is the model's `Cell.text`; a number is written as a
number with a format that prints exactly that text ("✖ -2,7 pct."), so the figures stay
numbers in Excel. No formulas, macros, links, names or notes; landscape A4, one page wide,
the title and month in the running header, "Side x af y" in the footer.
"""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Paragraph as DrawingParagraph
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.sider import FONT_NAME, LINE_HEIGHT, lines_needed
from xlstatus.arbejdsbog.sider import page_setup as sheet_page_setup
from xlstatus.udvalg import tekster
from xlstatus.udvalg.model import (
    STATUS_FILL,
    STATUS_FONT,
    Cell,
    Chart,
    CommitteeCopy,
    Heading,
    Page,
    Paragraph,
    Table,
)

LOCALE = "[$-406]"
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY, DARK = "A6A6A6", "404040"
CHART_COLS = 14  # a chart page: 14 columns of width 10
CHART_COL_WIDTH = 10.0
CHART_ROWS = 13  # rows of 15 pt per chart: two rows of charts and the intro on a page
CHARTS_ACROSS = 2
CHART_ROWS_PER_PAGE = 2
GAP_EMU = 60000
ABOUT_WIDTH = 110.0
_NUMBER = re.compile(
    r"^(?P<sym>[✔●✖] )?(?P<num>-?\d{1,3}(?:\.\d{3})*(?:,(?P<dec>\d+))?)(?P<pct> pct\.)?$"
)


def _font(**kw) -> Font:
    return Font(name=FONT_NAME, **kw)


def _esc(text: str) -> str:
    return text.replace("&", "&&")


# --------------------------------------------------------------------------- cells


def number_of(text: str) -> tuple[float, str] | None:
    """A printed number and the format that prints it so: '✖ -2,7 pct.' ->
    (-2.7, '[$-406]"✖ "0.0" pct."'); None for any other text."""
    m = _NUMBER.match(text)
    if not m:
        return None
    dec = len(m["dec"] or "")
    number = m["num"].replace(".", "").replace(",", ".")
    value: float = float(number) if dec else int(number)
    fmt = "#,##0" + ("." + "0" * dec if dec else "")
    sym = f'"{m["sym"]}"' if m["sym"] else ""
    pct = '" pct."' if m["pct"] else ""
    return value, LOCALE + sym + fmt + pct


def put(ws: Worksheet, r: int, c: int, cell: Cell) -> None:
    """One model cell: text or number, its look, borders."""
    x = ws.cell(r, c)
    parsed = None if cell.typed or cell.suppressed else number_of(cell.text)
    if parsed is not None:
        x.value, x.number_format = parsed[0], cell.number_format or parsed[1]
    else:
        x.value = cell.text if cell.text != "" else None
        x.data_type = "s" if cell.text else x.data_type
        x.number_format = "@"
    color = STATUS_FONT[cell.status] if cell.status else None
    x.font = _font(bold=cell.bold or (cell.header and cell.fill is not None), color=color)
    fill = STATUS_FILL[cell.status] if cell.status else cell.fill
    if fill:
        x.fill = PatternFill("solid", fgColor=fill)
    x.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=cell.wrap)
    x.border = BORDER


# --------------------------------------------------------------------------- blocks


class _Sheet:
    """Where the next block goes, and the sheet's geometry."""

    def __init__(self, ws: Worksheet, widths: list[float]) -> None:
        self.ws = ws
        self.widths = widths
        self.row = 1
        self.first_header: tuple[int, int] | None = None
        self.chart_slot = 0
        self.chart_top = 0
        self.data_col = len(widths) + 3
        self.breaks: list[int] = []
        self.section_pages = False
        self.sections = 0

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def span(self) -> float:
        return sum(self.widths)

    def line(self, text: str, font: Font, height_chars: float | None = None) -> None:
        ws, r = self.ws, self.row
        x = ws.cell(r, 1, text)
        x.data_type = "s"
        x.font = font
        x.alignment = Alignment(wrap_text=True, vertical="top")
        if self.ncols > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=self.ncols)
        size = (font.sz or 11) / 11
        lines = lines_needed(text, (height_chars or self.span) / size, bool(font.b))
        ws.row_dimensions[r].height = round(LINE_HEIGHT * size * max(1, lines) + 1, 1)
        self.row += 1


def _heading(s: _Sheet, h: Heading) -> None:
    if s.chart_slot:
        _end_charts(s)
    if s.section_pages and h.level <= 2 and s.sections:
        s.breaks.append(s.row - 1)  # each section (a Vandringer group) on its own page
    s.sections += h.level <= 2
    s.row += 0 if s.row <= 2 else 1
    s.line(h.text, _font(bold=True, size=13 if h.level <= 2 else 11))


def _paragraph(s: _Sheet, p: Paragraph) -> None:
    if s.chart_slot:
        _end_charts(s)
    font = {
        "note": _font(italic=True, color="595959"),
        "footnote": _font(size=9),
        "legend": _font(size=10),
    }.get(p.style, _font())
    s.line(p.text, font)


def _table_rows(s: _Sheet, rows: list[list[Cell]], widths: list[float]) -> None:
    ws = s.ws
    for cells in rows:
        r, c, lines = s.row, 1, 1
        for cell in cells:
            put(ws, r, c, cell)
            span = max(1, cell.colspan)
            if span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
                for k in range(c + 1, c + span):
                    ws.cell(r, k).border = BORDER
            width = sum(widths[c - 1 : c - 1 + span]) if widths else 10.0
            lines = max(lines, lines_needed(cell.text, width, cell.bold))
            c += span
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + 2
        s.row += 1


def _table(s: _Sheet, t: Table) -> None:
    if s.chart_slot:
        _end_charts(s)
    if t.caption:
        s.line(t.caption, _font(bold=True))
    widths = s.widths
    top = s.row
    _table_rows(s, t.header_rows, widths)
    if t.header_rows and s.first_header is None:
        s.first_header = (top, s.row - 1)
    _table_rows(s, t.body, widths)
    s.row += 1


# --------------------------------------------------------------------------- charts


def _title(lines: list[tuple[str, int, bool]]) -> Title:
    paras = []
    for text, size, bold in lines:
        props = CharacterProperties(sz=size, b=bold)
        paras.append(
            DrawingParagraph(
                pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)]
            )
        )
    return Title(tx=Text(rich=RichText(p=paras)), overlay=False)


def _axis_text(size: int = 800) -> RichText:
    props = CharacterProperties(sz=size)
    return RichText(p=[DrawingParagraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart_data(s: _Sheet, chart: Chart) -> tuple[int, int, int, int]:
    """The chart's numbers right of the print area: (header row, first, last, column)."""
    ws = s.ws
    col = s.data_col
    s.data_col += len(chart.series) + 2
    head = 1
    ws.cell(head, col, chart.title).data_type = "s"  # the table behind the chart, named
    for i, label in enumerate(chart.categories):
        ws.cell(head + 1 + i, col, label).data_type = "s"
    for j, series in enumerate(chart.series):
        ws.cell(head, col + 1 + j, series.name)
        for i, v in enumerate(series.values):
            if v is not None:
                x = ws.cell(head + 1 + i, col + 1 + j, v)
                x.number_format = LOCALE + ("0" if float(v).is_integer() else "0.0")
    return head, head + 1, head + len(chart.categories), col


def native_chart(s: _Sheet, chart: Chart) -> BarChart:
    """Bars (actual, coloured by status) + dashed line (expected) + diamonds (milestones)."""
    ws = s.ws
    head, first, last, col = _chart_data(s, chart)
    bar = BarChart()
    bar.type = "bar" if chart.kind == "hbar" else "col"
    if chart.kind == "hbar":
        bar.x_axis.scaling.orientation = "maxMin"  # the first category at the top, as the table
    bar.gapWidth = 60
    bar.add_data(Reference(ws, min_col=col + 1, min_row=head, max_row=last), titles_from_data=True)
    cats = Reference(ws, min_col=col, min_row=first, max_row=last)
    bar.set_categories(cats)
    actual = bar.series[0]
    actual.graphicalProperties = GraphicalProperties(solidFill=GREY)
    actual.graphicalProperties.line = LineProperties(solidFill="7F7F7F")
    for i, status in enumerate(chart.series[0].statuses):
        if status is None:
            continue
        point = DataPoint(idx=i)
        point.graphicalProperties = GraphicalProperties(solidFill=STATUS_FILL[status])
        point.graphicalProperties.line = LineProperties(solidFill=STATUS_FONT[status], w=12700)
        actual.dPt.append(point)
    if len(chart.series) >= 3:
        line = LineChart()
        line.add_data(
            Reference(ws, min_col=col + 2, max_col=col + 3, min_row=head, max_row=last),
            titles_from_data=True,
        )
        line.set_categories(cats)
        expected, goals = line.series
        expected.smooth = False
        expected.marker.symbol = "none"
        expected.graphicalProperties = GraphicalProperties(
            ln=LineProperties(solidFill=DARK, prstDash="dash", w=22225)
        )
        goals.smooth = False
        goals.marker.symbol = "diamond"
        goals.marker.size = 9
        goals.marker.graphicalProperties = GraphicalProperties(solidFill="000000")
        goals.marker.graphicalProperties.line = LineProperties(solidFill="000000")
        goals.graphicalProperties = GraphicalProperties(ln=LineProperties(noFill=True))
        bar += line
    lines = [(t, 1000, True) for t in textwrap.wrap(chart.title, 75)]
    if any(x.role == "target" for x in chart.series):  # a direction only against a target
        better = "lavere er bedre" if chart.lower_is_better else "højere er bedre"
        lines.append((f"{chart.unit}, {better}", 900, False))
    bar.title = _title(lines)
    bar.y_axis.title = chart.unit
    bar.y_axis.scaling.min = 0
    bar.y_axis.number_format = LOCALE + "General"
    bar.y_axis.majorGridlines.spPr = GraphicalProperties(ln=LineProperties(solidFill="D9D9D9"))
    for axis in (bar.x_axis, bar.y_axis):
        axis.delete = False
        axis.txPr = _axis_text(800)
    bar.legend.position = "b"
    bar.display_blanks = "gap"
    return bar


def _chart(s: _Sheet, chart: Chart) -> None:
    if chart.empty_text:
        if s.chart_slot:
            _end_charts(s)
        s.line(chart.empty_text, _font(italic=True))
        return
    if s.chart_slot == 0:
        s.chart_top = s.row
        for r in range(s.row, s.row + CHART_ROWS * CHART_ROWS_PER_PAGE):
            s.ws.row_dimensions[r].height = 15
    span = s.ncols // CHARTS_ACROSS
    k = s.chart_slot
    r0 = s.chart_top - 1 + (k // CHARTS_ACROSS) * CHART_ROWS
    c0 = (k % CHARTS_ACROSS) * span
    bar = native_chart(s, chart)
    bar.anchor = TwoCellAnchor(
        editAs="oneCell",
        _from=AnchorMarker(col=c0, row=r0, colOff=GAP_EMU, rowOff=GAP_EMU),
        to=AnchorMarker(col=c0 + span, row=r0 + CHART_ROWS - 1, colOff=0, rowOff=0),
    )
    s.ws.add_chart(bar)
    s.chart_slot += 1
    if s.chart_slot % CHARTS_ACROSS == 0:
        for r in range(r0 + 1 + CHART_ROWS, r0 + 1 + 2 * CHART_ROWS):
            s.ws.row_dimensions[r].height = 15
    if s.chart_slot == CHARTS_ACROSS * CHART_ROWS_PER_PAGE:
        _end_charts(s, page_break=True)


def _end_charts(s: _Sheet, page_break: bool = False) -> None:
    rows = -(-s.chart_slot // CHARTS_ACROSS)
    s.row = s.chart_top + rows * CHART_ROWS
    s.chart_slot = 0
    if page_break:
        s.breaks.append(s.row - 1)


# --------------------------------------------------------------------------- pages


def longest_word(text: str, bold: bool = False) -> float:
    """The width (characters) the longest word of a text needs: no word broken inside."""
    longest = max((len(w) for w in text.split()), default=0)
    return longest * (1.25 if bold else 1.1) + 2


def table_widths(t: Table) -> list[float]:
    """The table's column widths, each at least as wide as its longest word."""
    widths = list(t.col_widths)
    for row in [*t.header_rows, *t.body]:
        c = 0
        for cell in row:
            if cell.colspan == 1:
                while len(widths) <= c:
                    widths.append(10.0)
                widths[c] = max(widths[c], longest_word(cell.text, cell.bold or cell.header))
            c += max(1, cell.colspan)
    return widths


def page_widths(page: Page) -> list[float]:
    """The sheet's column widths: the widest of its tables' widths per column."""
    if page.kind == "grafer":
        return [CHART_COL_WIDTH] * CHART_COLS
    widths: list[float] = []
    for b in page.blocks:
        if isinstance(b, Table):
            for i, w in enumerate(table_widths(b)):
                if i < len(widths):
                    widths[i] = max(widths[i], w)
                else:
                    widths.append(w)
    return widths or [ABOUT_WIDTH]


def page_setup(ws: Worksheet, page: Page, copy: CommitteeCopy, titles: tuple[int, int] | None):
    """The workbook's page setup (A4 landscape, one page wide, centred; the about page on
    one page), with the committee's header and footer."""
    title_rows = f"{titles[0]}:{titles[1]}" if titles is not None else None
    fit_height = 1 if page.kind == "om" else 0
    sheet_page_setup(ws, title_rows, fit_height=fit_height, margin=0.75, centered=True)
    ws.oddHeader.left.text = _esc(tekster.COMMITTEE)
    ws.oddHeader.center.text = "&B" + _esc(page.title)
    ws.oddHeader.right.text = _esc(page.header_right or copy.month_label)
    ws.oddFooter.left.text = _esc(tekster.FOOTER_LEFT)
    ws.oddFooter.center.text = "&A"
    head, foot = ws.oddHeader, ws.oddFooter
    for item in (head.left, head.right, foot.left, foot.center, foot.right):
        item.size = 8
    ws.oddHeader.center.size = 10
    ws.sheet_view.showGridLines = False


def render_page(wb: Workbook, page: Page, copy: CommitteeCopy) -> Worksheet:
    ws = wb.create_sheet(page.sheet[:31])
    widths = page_widths(page)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    s = _Sheet(ws, widths)
    s.section_pages = page.kind == "vandringer"
    s.line(page.title, _font(bold=True, size=14))
    for block in page.blocks:
        if isinstance(block, Heading):
            _heading(s, block)
        elif isinstance(block, Paragraph):
            _paragraph(s, block)
        elif isinstance(block, Table):
            _table(s, block)
        elif isinstance(block, Chart):
            _chart(s, block)
    if s.chart_slot:
        _end_charts(s)
    last = max(1, s.row - 1)
    ws.print_area = f"A1:{get_column_letter(s.ncols)}{last}"
    if s.breaks:
        ws.row_breaks = RowBreak()
        for r in s.breaks:
            if r < last:
                ws.row_breaks.append(Break(id=r))
    tables = [b for b in page.blocks if isinstance(b, Table) and b.header_rows]
    page_setup(ws, page, copy, s.first_header if len(tables) == 1 else None)
    return ws


_LONG_NUMBER = re.compile(rb"<v>(-?\d+\.\d{7,}(?:[eE][-+]?\d+)?)</v>")


def _short_numbers(data: bytes) -> bytes:
    """openpyxl writes 87.9 as 87.90000000000001: write the shortest form instead."""
    return _LONG_NUMBER.sub(lambda m: b"<v>" + repr(float(m[1])).encode() + b"</v>", data)


def _tidy(raw: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and item.filename.endswith(".xml"):
                data = _short_numbers(data)
            zout.writestr(item, data)
    return out.getvalue()


def render_xlsx(copy: CommitteeCopy) -> bytes:
    """The copy as the bytes of a plain .xlsx (see the module text)."""
    wb = Workbook()
    wb.remove(wb.active)
    for page in copy.pages:
        render_page(wb, page, copy)
    wb.properties = DocumentProperties(
        creator="xlstatus",
        lastModifiedBy="xlstatus",
        language="da-DK",
        title=copy.document_title,
        created=datetime.now().replace(microsecond=0),
    )
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return _tidy(buf.getvalue())


__all__ = ["number_of", "render_xlsx"]
