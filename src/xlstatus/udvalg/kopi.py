"""The committee copy as a file (openpyxl adapter): read the workbook, build the copy,
save it atomically, check it, and print it to PDF with LibreOffice headless.

What the copy holds (arbejdsbog.md, "Klargør til udvalg"):

- the recognised statusskema sheets (in the workbook's order), each followed by a sheet
  `Grafer – <ark>` with one native chart per targeted row, then `Måltal`, then
  `Om tallene` (month, data date, how to read, the suppression rule);
- values only: every formula becomes its value. Cached values are used when the workbook
  was saved by Excel; a workbook written by xlstatus (no cached values) is recalculated
  once by LibreOffice headless (xlsx → xlsx) and the values are read from that;
- not: Data, Log, Indstillinger, Vejledning, the record `_xlstatus`, xlwings.conf, an
  extract sheet, other sheets, hidden sheets, defined names, external links, macros,
  pivot tables, data validation, hyperlinks, images, a person's notes;
- kept: colours, symbols, number formats, the legend, xlstatus's status notes (without
  the computed value of a cell a person overwrote), footnotes; month columns after the
  measurement month are empty;
- every page: the schema's title in the header, the month and the data date at the right,
  "Side x af y" in the footer; landscape A4, one page wide.
"""

from __future__ import annotations

import os
import re
import tempfile
import textwrap
import zipfile
from collections.abc import Iterable
from copy import copy as clone
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.comments import Comment
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import CustomPropertyList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus import libreoffice
from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.sider import FONT_NAME, page_setup
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.tid import month_label, month_start
from xlstatus.plan import stil
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.data import CellWrite
from xlstatus.plan.layout import Recognition, recognise_workbook
from xlstatus.plan.overblik import HEADER_ROW
from xlstatus.plan.skemaer import legend_writes
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udvalg import tekster
from xlstatus.udvalg.analyser import (
    analysis_sheets,
    hidden_rows,
    overblik_print_area,
    prognose_cells,
    suppress_overblik,
    suppress_prognose_column,
    suppress_vandringer,
)
from xlstatus.udvalg.diskretion import HIDE, HIDE_SHARE
from xlstatus.udvalg.grafer import ChartData
from xlstatus.udvalg.noter import check_notes, clear_area, notes_lines, write_notes
from xlstatus.udvalg.plan import (
    SheetCopy,
    column_px,
    data_date,
    filled_months,
    plan_sheet,
    visible_months,
)
from xlstatus.udvalg.scan import cpr_like, scan_xlsx
from xlstatus.udvalg.sider import maaltal_pages, wrap_headers

ERRORS = {
    "#NAME?",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#N/A",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}
DECIMALS = 6  # floats are rounded: shown values stay the same, no long digit runs
NOTE_SIZE = (110, 260)
# the charts sheet: 14 columns of width 10 (≈ 27,8 cm), two charts across, two down a page
CHART_COLS = 14
CHART_COL_WIDTH = 10
CHART_BLOCK_ROWS = 15  # rows of 15 pt: a chart is 14 rows (≈ 7,4 cm) high
GAP_EMU = 60000  # ≈ 1,7 mm between charts
CHART_FIRST_ROW = 5
CHARTS_ACROSS = 2
CHART_ROWS_PER_PAGE = 2
MAALTAL_COLS = 10  # the printed Måltal tables: columns A…J
GREY = "A6A6A6"
DARK = "404040"


@dataclass
class UdvalgKopi:
    """The result: the two files and what a person should know about the copy."""

    xlsx: Path
    pdf: Path | None
    maaned: date
    data_date: date | None
    sheets: list[str] = field(default_factory=list)
    hidden: int = 0
    charts: int = 0
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        files = self.xlsx.name + (f" og {self.pdf.name}" if self.pdf else "")
        return f"{files} i {self.xlsx.parent}"

    def report_lines(self) -> list[str]:
        lines = [f"Udvalgets kopi for {month_label(self.maaned)} er lavet: {self.xlsx}"]
        if self.pdf is not None:
            lines.append(f"PDF: {self.pdf}")
        lines.append(f"Ark: {', '.join(self.sheets)}.")
        lines.append(f"{self.charts} grafer; {self.hidden} celler skjult af diskretionshensyn.")
        lines += self.warnings
        return lines


# --------------------------------------------------------------------------- reading


def _load(path: Path, data_only: bool = False) -> Workbook:
    try:
        return openpyxl.load_workbook(
            path, data_only=data_only, keep_vba=False, keep_links=False, rich_text=False
        )
    except PermissionError as exc:
        raise WorkbookError(f"Arbejdsbogen {path.name} kan ikke læses: adgang nægtet.") from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise WorkbookError(f"Arbejdsbogen {path.name} kan ikke læses: {exc}") from exc


def _formula_cells(ws: Worksheet) -> list[tuple[int, int]]:
    return [(r, c) for (r, c), cell in ws._cells.items() if cell.data_type == "f"]


def formula_values(path: Path, sheets: list[Worksheet]) -> tuple[dict, set[str]]:
    """The value of every formula cell on the given sheets: the cached value Excel saved,
    else LibreOffice's (the workbook recalculated once, headless). Returns the values and
    the sheets whose formulas could not be calculated (no cached values, no LibreOffice)."""
    wanted = [(ws.title, r, c) for ws in sheets for r, c in _formula_cells(ws)]
    if not wanted:
        return {}, set()
    cached = _load(path, data_only=True)
    values = {k: cached[k[0]].cell(k[1], k[2]).value for k in wanted}
    missing = {k for k, v in values.items() if v is None}
    if not missing:
        return values, set()
    if not libreoffice.available():
        by_sheet = {k[0] for k in missing}
        return values, {n for n in by_sheet if all(values[k] is None for k in wanted if k[0] == n)}
    with tempfile.TemporaryDirectory(prefix="xlstatus-udvalg-") as tmp:
        fresh = _load(libreoffice.convert(path, "xlsx", tmp), data_only=True)
        for k in missing:
            if k[0] in fresh.sheetnames:
                values[k] = fresh[k[0]].cell(k[1], k[2]).value
    return values, set()


def _visible(ws: Worksheet) -> bool:
    return ws.sheet_state == "visible"


# --------------------------------------------------------------------------- cell helpers


def _rgb(color: object) -> str | None:
    rgb = getattr(color, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) and len(rgb) >= 6 else None


def _plain_look(cell) -> None:
    """Remove xlstatus's status look: fill, font colour and symbol."""
    fill = cell.fill
    if fill is not None and fill.fill_type and _rgb(fill.fgColor) in stil.FILL.values():
        cell.fill = PatternFill(fill_type=None)
    if _rgb(cell.font.color) in stil.FONT.values():
        font = clone(cell.font)
        font.color = None
        cell.font = font
    cell.number_format = stil.strip_symbol(cell.number_format)


def _round(value: object) -> object:
    if isinstance(value, float) and not isinstance(value, bool):
        r = round(value, DECIMALS)
        return int(r) if r.is_integer() and abs(r) < 1e15 else r
    return value


def _is_error(value: object) -> bool:
    return isinstance(value, str) and value.strip() in ERRORS


def _font(**kw) -> Font:
    return Font(name=FONT_NAME, **kw)


def _esc(text: str) -> str:
    """Text for a header/footer: '&' is a code there."""
    return text.replace("&", "&&")


# --------------------------------------------------------------------------- page setup


def committee_page_setup(
    ws: Worksheet,
    title: str,
    month: date,
    day: date | None,
    rows: str | None,
    landscape: bool = True,
    fit_height: int = 0,
) -> None:
    """The one page setup (`sider.page_setup`), centred, with the title and month in the
    header and the committee's footer."""
    page_setup(ws, rows, None, landscape, fit_height, margin=0.75, centered=True)
    for part in (
        ws.oddHeader,
        ws.evenHeader,
        ws.firstHeader,
        ws.oddFooter,
        ws.evenFooter,
        ws.firstFooter,
    ):
        for item in (part.left, part.center, part.right):
            item.text = None
    ws.oddHeader.left.text = _esc(tekster.COMMITTEE)
    ws.oddHeader.center.text = "&B" + _esc(title)
    ws.oddHeader.right.text = _esc(tekster.header_right(month, day))
    ws.oddFooter.left.text = _esc(tekster.FOOTER_LEFT)
    ws.oddFooter.center.text = "&A"
    ws.oddFooter.right.text = "Side &P af &N"
    for item in (
        ws.oddHeader.left,
        ws.oddHeader.right,
        ws.oddFooter.left,
        ws.oddFooter.center,
        ws.oddFooter.right,
    ):
        item.size = 8
    ws.oddHeader.center.size = 10


# --------------------------------------------------------------------------- sheets


def _clean_sheet(
    ws: Worksheet, values: dict[tuple[str, int, int], object], warnings: list[str]
) -> None:
    """Values instead of formulas, rounded floats, nothing hidden, nothing linked."""
    errors = 0
    for (r, c), cell in list(ws._cells.items()):
        if cell.data_type == "f":
            v = values.get((ws.title, r, c))
            if _is_error(v):
                v, errors = "–", errors + 1
            fil.set_value(cell, _round(v))
        elif isinstance(cell.value, float):
            cell.value = _round(cell.value)
        elif _is_error(cell.value):
            fil.set_value(cell, "–")
            errors += 1
        if not isinstance(cell, MergedCell):
            cell.hyperlink = None
    if errors:
        warnings.append(
            f"Arket '{ws.title}': {errors} celler med en fejl (fx #NAVN?) vises som '–' i kopien."
        )
    ws._hyperlinks = []
    ws.data_validations.dataValidation = []
    ws._pivots = []
    ws._images = []
    ws.sheet_state = "visible"
    for dim in ws.row_dimensions.values():
        dim.hidden = False
    for dim in ws.column_dimensions.values():
        dim.hidden = False
    ws.protection.sheet = False
    # conditional formats that point at other sheets or names would break without them
    keep = type(ws.conditional_formatting)()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            formulas = " ".join(rule.formula or [])
            if "!" in formulas or "xlstatus" in formulas.lower() or "xlwings" in formulas.lower():
                continue
            keep.add(str(cf.sqref), rule)
    ws.conditional_formatting = keep


def _keep_notes(ws: Worksheet, allowed: set[tuple[int, int]]) -> int:
    """Keep xlstatus's status notes on allowed cells (without the computed value of a cell a
    person overwrote); remove every other note. Returns how many person notes went."""
    removed = 0
    for (r, c), cell in ws._cells.items():
        note = cell.comment
        if note is None:
            continue
        ours = note.author == bog_tekster.NOTE_AUTHOR
        if not ours:
            removed += 1
        if not ours or (r, c) not in allowed:
            cell.comment = None
            continue
        lines = [
            ln
            for ln in str(note.text).splitlines()
            if "xlstatus beregnede" not in ln
            and not ln.startswith("Værdien er indtastet af en person")
        ]
        text = "\n".join(lines)
        cell.comment = Comment(text, bog_tekster.NOTE_AUTHOR, *NOTE_SIZE) if text else None
    return removed


def _legend_end(ws: Worksheet, first: int, col: int) -> int:
    r = first
    while ws.cell(r + 1, col).value not in (None, ""):
        r += 1
    return r


def _fold(ws: Worksheet, layout, month: date) -> int:
    """Fold away (outline, collapsed) the month columns the printed page has no room for;
    returns how many months stay visible (0: nothing folded)."""
    months = sorted(layout.month_cols.items())
    table = [c.col for c in layout.columns if c.kind != "other" or c.header]
    last = max(layout.label_col, *table, *(c for _, c in months))
    month_set = {c for _, c in months}
    width = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, last + 1)}
    fixed = sum(column_px(width[c]) for c in range(1, last + 1) if c not in month_set)
    shown = set(visible_months([(m, width[c]) for m, c in months], fixed, month))
    fold = [c for m, c in months if m not in shown]
    if not fold:
        return 0
    runs: list[list[int]] = []
    for c in fold:
        if runs and runs[-1][-1] == c - 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    for run in runs:
        w = width[run[0]]
        ws.column_dimensions.group(
            get_column_letter(run[0]), get_column_letter(run[-1]), outline_level=1, hidden=True
        )
        ws.column_dimensions[get_column_letter(run[0])].width = w
        ws.column_dimensions[get_column_letter(run[-1] + 1)].collapsed = True  # the + button
    ws.sheet_format.outlineLevelCol = 1
    return len(shown)


def apply_sheet(
    ws: Worksheet,
    copy: SheetCopy,
    month: date,
    maaledag: int,
    day: date | None,
    threshold: int,
    chart_sheet: str | None,
    notes: list[str] | None = None,
    keep_notes: set[tuple[int, int]] | None = None,
) -> int:
    """Apply the plan to a schema sheet, the status notes `notes` printed last (xlstatus's
    notes kept on the month cells and `keep_notes`); returns the person notes removed."""
    layout = copy.layout
    clear_area(ws, layout)
    changed = {(ch.row, ch.col) for ch in copy.changes}
    for ch in copy.changes:
        cell = ws.cell(ch.row, ch.col)
        _plain_look(cell)
        cell.comment = None
        if ch.kind in (HIDE, HIDE_SHARE):
            fil.set_value(cell, ch.value)
            cell.number_format = stil.TEXT_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="center")
        else:
            cell.value = None
    months_shown = [c for m, c in layout.month_cols.items() if m <= month]
    allowed = {(r, c) for r in layout.rows.values() for c in months_shown} - changed
    allowed |= keep_notes or set()
    removed = _keep_notes(ws, allowed)

    col = layout.label_col
    if "info" in layout.xlstatus_rows:
        fil.set_value(
            ws.cell(layout.xlstatus_rows["info"], col), tekster.month_line(month, maaledag, day)
        )
    if "forklaring" in layout.xlstatus_rows:
        end = _legend_end(ws, layout.xlstatus_rows["forklaring"], col)
    else:
        start = ws.max_row + 2
        for w in legend_writes(ws.title, start, col, tekster.month_line(month, maaledag, day)):
            fil.apply_write(ws, w)
        end = _legend_end(ws, start, col)
    ws._charts = []
    wrap_headers(ws, layout)
    shown = _fold(ws, layout, month)
    extra: list[tuple[str, Font, str | None]] = []
    if threshold > 0:
        extra.append((tekster.suppression_line(threshold), _font(italic=True), None))
    if shown:
        extra.append((tekster.folded_line(shown, chart_sheet), _font(italic=True), None))
    if chart_sheet:
        extra.append(
            (
                tekster.chart_pointer(chart_sheet),
                _font(color="0563C1", underline="single"),
                f"'{chart_sheet}'!A1",
            )
        )
    for i, (text, font, link) in enumerate(extra, start=1):
        fil.apply_write(ws, CellWrite(ws.title, end + i, col, text, True, stil.TEXT_FORMAT))
        cell = ws.cell(end + i, col)
        cell.font = font
        cell.alignment = Alignment(wrap_text=False, vertical="center")
        if link:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link, display=text)
    write_notes(ws, notes or [], end + len(extra) + 2, layout, month)
    committee_page_setup(
        ws,
        layout.schema.titel,
        month,
        day,
        f"1:{layout.header_row}",
        fit_height=1 if ws.max_row <= 45 else 0,
    )
    return removed


def _title(lines: list[tuple[str, int, bool]]) -> Title:
    paras = []
    for text, size, bold in lines:
        props = CharacterProperties(sz=size, b=bold)
        paras.append(
            Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
        )
    return Title(tx=Text(rich=RichText(p=paras)), overlay=False)


def _axis_text(size: int = 800) -> RichText:
    props = CharacterProperties(sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart(
    ws: Worksheet, data: ChartData, head: int, first: int, last: int, col: int, label_col: int
) -> BarChart:
    """Bars (actual, coloured by status) + dashed line (expected) + diamonds (milestones)."""
    bar = BarChart()
    bar.type = "col"
    bar.gapWidth = 60
    bar.add_data(Reference(ws, min_col=col, min_row=head, max_row=last), titles_from_data=True)
    cats = Reference(ws, min_col=label_col, min_row=first, max_row=last)
    bar.set_categories(cats)
    actual = bar.series[0]
    actual.graphicalProperties = GraphicalProperties(solidFill=GREY)
    actual.graphicalProperties.line = LineProperties(solidFill="7F7F7F")
    for i, status in enumerate(data.status):
        if status is None:
            continue
        point = DataPoint(idx=i)
        point.graphicalProperties = GraphicalProperties(solidFill=stil.FILL[status])
        point.graphicalProperties.line = LineProperties(solidFill=stil.FONT[status], w=12700)
        actual.dPt.append(point)

    line = LineChart()
    line.add_data(
        Reference(ws, min_col=col + 1, max_col=col + 2, min_row=head, max_row=last),
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

    wrapped = textwrap.wrap(data.title, 75)
    bar.title = _title([(t, 1000, True) for t in wrapped] + [(data.subtitle, 900, False)])
    bar.y_axis.title = data.unit
    bar.y_axis.scaling.min = 0
    bar.y_axis.number_format = stil.LOCALE + "General"
    bar.y_axis.majorGridlines.spPr = GraphicalProperties(ln=LineProperties(solidFill="D9D9D9"))
    for axis in (bar.x_axis, bar.y_axis):
        axis.delete = False
        axis.txPr = _axis_text(800)
    bar.legend.position = "b"
    bar.display_blanks = "gap"
    return bar


def write_chart_sheet(
    ws: Worksheet, copy: SheetCopy, month: date, maaledag: int, day: date | None, threshold: int
) -> None:
    schema = copy.schema
    charts = copy.charts
    for c in range(1, CHART_COLS + 1):
        ws.column_dimensions[get_column_letter(c)].width = CHART_COL_WIDTH
    fil.set_value(ws.cell(1, 1), f"Grafer – {schema.titel}")
    ws.cell(1, 1).font = _font(bold=True, size=14)
    fil.set_value(ws.cell(2, 1), tekster.month_line(month, maaledag, day))
    ws.cell(2, 1).font = _font(italic=True, color="595959")
    fil.set_value(ws.cell(3, 1), tekster.chart_sheet_intro(threshold))
    ws.cell(3, 1).font = _font(size=9)

    across = CHARTS_ACROSS if len(charts) > 1 else 1
    span = CHART_COLS // across
    block = CHART_BLOCK_ROWS if across > 1 else 2 * CHART_BLOCK_ROWS - 2
    n_rows = (len(charts) + across - 1) // across
    last_chart_row = CHART_FIRST_ROW + n_rows * block - 1
    for r in range(CHART_FIRST_ROW, last_chart_row + 1):
        ws.row_dimensions[r].height = 15

    # the data behind the charts, below them (not printed)
    top = last_chart_row + 3
    fil.set_value(ws.cell(top, 1), tekster.CHART_HEADING)
    ws.cell(top, 1).font = _font(bold=True)
    title_row, head, first = top + 1, top + 2, top + 3
    months = charts[0].months if charts else ()
    fil.set_value(ws.cell(head, 1), "Måned")
    for i, label in enumerate(charts[0].labels if charts else ()):
        fil.set_value(ws.cell(first + i, 1), label)
    last = first + len(months) - 1
    for k, data in enumerate(charts):
        col = 2 + 3 * k
        fil.set_value(ws.cell(title_row, col), data.title)
        ws.cell(title_row, col).alignment = Alignment(wrap_text=False)
        for j, name in enumerate(tekster.SERIES):
            cell = ws.cell(head, col + j)
            fil.set_value(cell, name)
            cell.font = _font(bold=True)
        fmt = stil.LOCALE + ("0" if data.decimals == 0 else "0.0")
        for i in range(len(months)):
            for j, series in enumerate((data.actual, data.expected, data.milestones)):
                v = series[i]
                if v is not None:
                    cell = ws.cell(first + i, col + j)
                    cell.value = _round(v)
                    cell.number_format = fmt if j == 0 else stil.LOCALE + "0.0"
        chart = _chart(ws, data, head, first, last, col, 1)
        r0 = CHART_FIRST_ROW - 1 + (k // across) * block
        c0 = (k % across) * span
        chart.anchor = TwoCellAnchor(
            editAs="oneCell",
            _from=AnchorMarker(col=c0, row=r0, colOff=GAP_EMU, rowOff=GAP_EMU),
            to=AnchorMarker(col=c0 + span, row=r0 + block - 1, colOff=0, rowOff=0),
        )
        ws.add_chart(chart)

    ws.row_breaks = RowBreak()
    for page in range(1, (n_rows + CHART_ROWS_PER_PAGE - 1) // CHART_ROWS_PER_PAGE):
        ws.row_breaks.append(Break(id=CHART_FIRST_ROW - 1 + page * CHART_ROWS_PER_PAGE * block))
    ws.print_area = f"A1:{get_column_letter(CHART_COLS)}{last_chart_row}"
    committee_page_setup(ws, schema.titel, month, day, "1:2")
    ws.page_setup.fitToHeight = 0
    ws.sheet_view.showGridLines = False


def write_about_sheet(
    ws: Worksheet, month: date, maaledag: int, day: date | None, threshold: int, sheets: list[str]
) -> None:
    ws.column_dimensions["A"].width = 110
    lines = tekster.about_lines(month, maaledag, day, threshold, sheets, date.today())
    for r, (kind, text) in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        fil.set_value(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "title":
            cell.font = _font(bold=True, size=14)
        elif kind == "h":
            cell.font = _font(bold=True, size=12)
        elif kind.startswith("status:"):
            status = kind.split(":", 1)[1]
            cell.fill = PatternFill("solid", fgColor=stil.FILL[status])
            cell.font = _font(color=stil.FONT[status])
        else:
            cell.font = _font()
        per_line = 110 * (11 / 14 if kind == "title" else 1.15)
        n = max(1, -(-len(text) // int(per_line)))
        ws.row_dimensions[r].height = max(15.0 * n, 20.0 if kind in ("title", "h") else 15.0)
    committee_page_setup(ws, tekster.ABOUT_SHEET, month, day, None, landscape=True, fit_height=1)
    ws.sheet_view.showGridLines = False


def _maaltal_setup(ws: Worksheet, month: date, day: date | None) -> None:
    """Måltal in the copy: Calibri throughout; the printed pages are the tables above the
    month-by-month schedule (the charts and the schedule stay in the file), on as many
    pages as they need at a readable size (`sider.maaltal_pages`)."""
    from xlstatus.plan.maaltal import MARK_MONTHS

    for cell in ws._cells.values():
        if cell.has_style and cell.font.name is None:
            font = clone(cell.font)
            font.name = FONT_NAME
            cell.font = font
    end = ws.max_row
    for r in range(1, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "").strip().startswith(MARK_MONTHS):
            end = r - 2
            break
    end = max(end, 1)
    maaltal_pages(ws, end, MAALTAL_COLS)
    ws.print_area = f"A1:{get_column_letter(MAALTAL_COLS)}{end}"
    title = str(ws.cell(1, 1).value or "Måltal")
    committee_page_setup(ws, title, month, day, None, fit_height=0)


# --------------------------------------------------------------------------- the copy


def _check_cpr(wb: Workbook, sheets: Iterable[str]) -> None:
    where = []
    for name in sheets:
        ws = wb[name]
        if cpr_like(name):
            where.append(f"arknavnet '{name}'")
        for cell in ws._cells.values():
            v = cell.value
            if isinstance(v, str | int) and not isinstance(v, bool) and cpr_like(str(v)):
                where.append(f"'{name}'!{cell.coordinate}")
            note = cell.comment
            if note is not None and note.author == bog_tekster.NOTE_AUTHOR and cpr_like(note.text):
                where.append(f"noten i '{name}'!{cell.coordinate}")
    if where:
        raise WorkbookError(
            "Udvalgets kopi er ikke lavet: der står noget, der ligner et CPR-nummer, i "
            + ", ".join(where[:10])
            + (" …" if len(where) > 10 else "")
            + ". Fjern det fra arbejdsbogen og prøv igen."
        )


def output_paths(path: Path, month: date, ud: Path | None) -> tuple[Path, Path]:
    """`<ud or the workbook's folder>/<stem>_udvalg_<YYYY-MM>.xlsx` and `.pdf`; `ud` may
    also name the .xlsx file itself."""
    stem = tekster.file_stem(path.stem, month)
    if ud is not None and Path(ud).suffix.lower() == ".xlsx":
        xlsx = Path(ud)
    else:
        folder = Path(ud) if ud is not None else path.parent
        xlsx = folder / f"{stem}.xlsx"
    return xlsx, xlsx.with_suffix(".pdf")


def choose_month(
    recognition: Recognition, grids: dict[str, list[list[object]]], maaned: date | None
) -> date:
    filled = set()
    for lay in recognition.layouts:
        filled |= filled_months(lay, grids[lay.sheet])
    if not filled:
        raise WorkbookError(
            "Arbejdsbogen har endnu ingen tal i skemaerne. Kør Opdater først, "
            "og lav så udvalgets kopi."
        )
    latest = max(filled)
    if maaned is None:
        return latest
    month = month_start(maaned)
    if month not in filled:
        raise WorkbookError(
            f"Arbejdsbogen har ingen tal for {month_label(month)}. Seneste måling er "
            f"{month_label(latest)}. Kør Opdater for {month_label(month)} først, eller vælg "
            "en måned med tal."
        )
    return month


@dataclass
class _CopiedBook:
    """The workbook being copied, read and recognised."""

    path: Path
    wb: Workbook
    recognition: Recognition
    grids: dict[str, list[list[object]]]
    formats: dict[str, dict]
    data: dict
    settings: object


def _open_source(path: Path) -> _CopiedBook:
    if not path.exists():
        raise WorkbookError(f"Arbejdsbogen {path} findes ikke.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"Arbejdsbogen skal være en .xlsx- eller .xlsm-fil (fik {path.name}).")
    wb = _load(path)
    view = fil.read_view(wb)
    sheets = [s for s in view.sheets if _visible(wb[s.name])]
    recognition = recognise_workbook([(s.name, s.grid) for s in sheets], load_schemas())
    if not recognition.layouts:
        raise WorkbookError(
            f"Arbejdsbogen {path.name} har ingen synlige ark, der ligner et af "
            "statusskemaerne. Der er ikke lavet nogen kopi."
        )
    return _CopiedBook(
        path,
        wb,
        recognition,
        {s.name: s.grid for s in view.sheets},
        {s.name: s.formats for s in view.sheets},
        {d.key: d for d in view.data},
        view.settings,
    )


def _keep_sheets(src: _CopiedBook, result: UdvalgKopi) -> list[str]:
    """Drop every sheet the copy does not hold; returns the kept ones in order."""
    wb = src.wb
    keep = [lay.sheet for lay in src.recognition.layouts]
    extra = [*analysis_sheets(wb.sheetnames), bog_tekster.MAALTAL]
    keep += [n for n in extra if n in wb.sheetnames and _visible(wb[n])]
    ordered = [n for n in wb.sheetnames if n in keep]
    for lay in src.recognition.layouts:
        check_notes(lay.sheet, src.grids[lay.sheet], lay)
    _check_cpr(wb, ordered)
    values, uncalculated = formula_values(src.path, [wb[n] for n in ordered])
    if bog_tekster.MAALTAL in uncalculated:
        ordered.remove(bog_tekster.MAALTAL)
        result.warnings.append(
            "Måltal er ikke med i kopien: arkets formler kan kun regnes ud "
            "af Excel eller LibreOffice (gem arbejdsbogen i Excel, eller "
            "installer LibreOffice)."
        )
    expected_gone = {*bog_tekster.SYSTEM_SHEETS, "xlwings.conf"}
    dropped = [n for n in wb.sheetnames if n not in ordered and n not in expected_gone]
    for name in list(wb.sheetnames):
        if name not in ordered:
            del wb[name]
    if dropped:
        result.warnings.append("Disse ark er ikke med i kopien: " + ", ".join(dropped) + ".")
    lost = [x for x in _lost(src.path) if x]
    if lost:
        result.warnings.append("Ikke med i kopien: " + "; ".join(lost) + ".")
    for name in ordered:
        _clean_sheet(wb[name], values, result.warnings)
    return ordered


def _schema_sheets(
    src: _CopiedBook, result: UdvalgKopi, month: date, day: date | None
) -> tuple[int, list[SheetCopy]]:
    """Each schema sheet (and its charts sheet); returns person notes removed and plans."""
    wb, settings = src.wb, src.settings
    threshold = settings.diskretion
    person_notes = 0
    copies = []
    for lay in src.recognition.layouts:
        grid = src.grids[lay.sheet]
        copy = plan_sheet(
            lay, grid, src.formats[lay.sheet], src.data, month, threshold, settings.tolerance
        )
        copies.append(copy)
        ws = wb[lay.sheet]
        chart_name = _free_name(wb, tekster.chart_sheet_name(lay.sheet)) if copy.charts else None
        person_notes += apply_sheet(
            ws,
            copy,
            month,
            settings.maaledag,
            day,
            threshold,
            chart_name,
            notes_lines(grid, lay),
            prognose_cells(copy, grid),
        )
        suppress_prognose_column(ws, copy, grid, hidden_rows(copy, month))
        result.hidden += copy.hidden
        if chart_name:
            cws = wb.create_sheet(chart_name, wb.sheetnames.index(lay.sheet) + 1)
            write_chart_sheet(cws, copy, month, settings.maaledag, day, threshold)
            result.charts += len(copy.charts)
    return person_notes, copies


def _analysis_pages(
    wb: Workbook,
    copies: list[SheetCopy],
    month: date,
    day: date | None,
    threshold: int,
    result: UdvalgKopi,
) -> int:
    """The Overblik and Vandringer pages; returns person notes removed."""
    removed = 0
    if bog_tekster.OVERBLIK in wb.sheetnames:
        ws = wb[bog_tekster.OVERBLIK]
        removed += _keep_notes(ws, set())
        suppress_overblik(ws, copies, month)
        committee_page_setup(
            ws, bog_tekster.OVERBLIK_TITLE, month, day, f"{HEADER_ROW}:{HEADER_ROW}"
        )
        ws.print_area = overblik_print_area(ws)
    if bog_tekster.VANDRINGER in wb.sheetnames:
        ws = wb[bog_tekster.VANDRINGER]
        removed += _keep_notes(ws, set())
        result.hidden += suppress_vandringer(ws, threshold)
        committee_page_setup(ws, bog_tekster.VANDRINGER, month, day, None, landscape=False)
    return removed


def build_copy(path: Path, maaned: date | None = None) -> tuple[Workbook, UdvalgKopi]:
    """The committee copy of the workbook at path, in memory (not saved)."""
    src = _open_source(Path(path))
    wb, settings = src.wb, src.settings
    month = choose_month(src.recognition, src.grids, maaned)
    threshold = settings.diskretion
    day = data_date([src.grids[lay.sheet] for lay in src.recognition.layouts])
    result = UdvalgKopi(src.path, None, month, day)
    _keep_sheets(src, result)
    person_notes, copies = _schema_sheets(src, result, month, day)
    person_notes += _analysis_pages(wb, copies, month, day, threshold, result)
    if bog_tekster.MAALTAL in wb.sheetnames:
        ws = wb[bog_tekster.MAALTAL]
        person_notes += _keep_notes(ws, set())
        _maaltal_setup(ws, month, day)
    if person_notes:
        result.warnings.append(
            f"{person_notes} noter skrevet af medarbejdere er ikke med i "
            "kopien (de kan indeholde personoplysninger)."
        )
    about = wb.create_sheet(tekster.ABOUT_SHEET)
    write_about_sheet(about, month, settings.maaledag, day, threshold, list(wb.sheetnames))
    _clean_workbook(wb, month)
    result.sheets = list(wb.sheetnames)
    return wb, result


def _free_name(wb: Workbook, name: str) -> str:
    n, candidate = 2, name
    while candidate in wb.sheetnames:
        candidate = f"{name[:28]} {n}"
        n += 1
    return candidate


def _lost(path: Path) -> list[str]:
    try:
        return fil.lost_parts(path)
    except WorkbookError:
        return []


def _clean_workbook(wb: Workbook, month: date) -> None:
    wb.defined_names.clear()
    for ws in wb.worksheets:
        ws.defined_names.clear()
        ws.sheet_view.tabSelected = False
    wb._external_links = []
    wb.vba_archive = None
    wb.custom_doc_props = CustomPropertyList()
    wb.calculation.fullCalcOnLoad = False
    wb.properties = DocumentProperties(
        creator="xlstatus",
        lastModifiedBy="xlstatus",
        language="da-DK",
        title=f"Statusskemaer – kopi til udvalget, {month_label(month)}",
        created=datetime.now().replace(microsecond=0),
    )
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True


_LONG_NUMBER = re.compile(rb"<v>(-?\d+\.\d{7,}(?:[eE][-+]?\d+)?)</v>")


def _short_numbers(data: bytes) -> bytes:
    """openpyxl writes 87.9 as 87.90000000000001 ('%.16g'); write the shortest form that
    reads back as the same number (Python's repr), so no long digit runs are in the file."""
    return _LONG_NUMBER.sub(lambda m: b"<v>" + repr(float(m[1])).encode() + b"</v>", data)


def _tidy(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and item.filename.endswith(".xml"):
                data = _short_numbers(data)
            zout.writestr(item, data)


def save_copy(wb: Workbook, xlsx: Path) -> None:
    """Save atomically (temporary files beside it, then a rename) after checking the file;
    an unsafe copy is never put in place."""
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    fil.check_lock(xlsx)
    raw = xlsx.with_name(f".{xlsx.stem}.xlstatus-raw.xlsx")
    tmp = xlsx.with_name(f".{xlsx.stem}.xlstatus-tmp.xlsx")
    try:
        wb.save(raw)
        _tidy(raw, tmp)
        problems = scan_xlsx(tmp)
        if problems:
            raise WorkbookError(
                "Udvalgets kopi er ikke gemt, fordi den indeholder:\n"
                + "\n".join(f"  {p}" for p in problems)
            )
        os.replace(tmp, xlsx)
    except PermissionError as exc:
        raise fil.permission_error(xlsx) from exc
    finally:
        for f in (raw, tmp):
            f.unlink(missing_ok=True)


def make_pdf(xlsx: Path, pdf: Path) -> Path:
    """The PDF of the copy, from LibreOffice headless, written via a temporary folder."""
    with tempfile.TemporaryDirectory(prefix=".xlstatus-pdf-", dir=xlsx.parent) as tmp:
        made = libreoffice.convert(xlsx, "pdf", tmp)
        if cpr_like(libreoffice.pdf_text(made, layout=False)):
            raise WorkbookError(
                "PDF'en er ikke gemt: den indeholder noget, der ligner et CPR-nummer."
            )
        try:
            os.replace(made, pdf)
        except PermissionError as exc:
            raise WorkbookError(
                f"{pdf.name} kan ikke gemmes: den er åben i et andet program. Luk den og prøv igen."
            ) from exc
    return pdf


def lav_kopi(
    path: str | Path,
    maaned: date | None = None,
    ud: str | Path | None = None,
    pdf: bool | None = True,
) -> UdvalgKopi:
    """Build, save and check the committee copy and its PDF (pdf=None: only when LibreOffice
    is installed, else `result.pdf` is None and a warning says so); see the module text."""
    path = Path(path)
    wb, result = build_copy(path, maaned)
    xlsx, pdf_path = output_paths(path, result.maaned, Path(ud) if ud else None)
    if xlsx.resolve() == path.resolve():
        raise WorkbookError("Kopien må ikke erstatte arbejdsbogen selv: vælg et andet navn.")
    save_copy(wb, xlsx)
    result.xlsx = xlsx
    if pdf is None and not libreoffice.available():
        result.warnings.append(
            "Der er ikke lavet nogen PDF: LibreOffice er ikke installeret "
            "(eller brug Excels Gem som PDF på kopien)."
        )
    elif pdf or pdf is None:
        result.pdf = make_pdf(xlsx, pdf_path)
    return result


__all__ = ["UdvalgKopi", "build_copy", "lav_kopi", "make_pdf", "output_paths", "save_copy"]
