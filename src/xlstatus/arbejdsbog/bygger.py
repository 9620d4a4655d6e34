"""Build a new statusskema workbook from the templates (openpyxl).

One sheet per project in the familiar layout, then `Måltal`, `Data`, `Log`,
`Indstillinger`, `Vejledning` and the very hidden record `_xlstatus`.

Layout of a project sheet (rows):
1 title · 2 measurement line ("Seneste måling: …") · 4 header: the schema's heading,
`Startmåling dd-mm-yyyy`, one real-date column per month (`[$-406]mmm-yy`), the
milestone columns · 5… section rows and indicator rows · footnotes · legend.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.fil import (
    HEADER_FILL,
    apply_write,
    ensure_data_sheet,
    ensure_log_sheet,
    ensure_record_sheet,
    save_atomic,
    set_value,
)
from xlstatus.arbejdsbog.indstillinger import write_settings_sheet
from xlstatus.arbejdsbog.sider import FONT_NAME, LINE_HEIGHT, page_setup, text_lines
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.skema import Row, Schema
from xlstatus.plan import stil, tekster
from xlstatus.plan.indstillinger import Settings
from xlstatus.plan.skemaer import legend_writes, notes_writes
from xlstatus.skabelonfiler import load_schemas

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 4
LABEL_WIDTH = 42
START_WIDTH = 12
MILESTONE_WIDTH = 12.5
SECTION_FILL = "F2F2F2"
GRID = Side(style="thin", color="BFBFBF")
BORDER = Border(left=GRID, right=GRID, top=GRID, bottom=GRID)


def _safe_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    return name[:31]


def schema_columns(schema: Schema) -> tuple[int, dict[date, int], dict[date, int]]:
    """(start column, month -> column, milestone month -> column) of a built sheet."""
    start = 2
    months = {m: 3 + i for i, m in enumerate(schema.months)}
    first = 3 + len(schema.months)
    milestones = {ms.month: first + i for i, ms in enumerate(schema.milestones)}
    return start, months, milestones


def month_width(schema: Schema) -> float:
    """Column width that shows the widest value of the sheet's rows with its symbol."""
    widths = {"antal": 8.5, "uger": 8.5, "tekst": 8.5, "antal_andel": 14.0}
    best = 8.5
    for row in schema.rows:
        if row.fmt == "andel":
            best = max(best, 10.5 if row.decimals == 0 else 12.0)
        else:
            best = max(best, widths.get(row.fmt, 8.5))
    return best


def write_schema_sheet(ws: Worksheet, schema: Schema) -> None:
    """Fill an empty sheet with a project's schema: title, header, rows, notes, legend."""
    start_col, month_cols, milestone_cols = schema_columns(schema)
    last_col = max([start_col, *month_cols.values(), *milestone_cols.values()])
    _write_title(ws, schema)
    _write_header(ws, schema)
    r = HEADER_ROW + 1
    section = ""
    for row in schema.rows:
        if row.sektion and row.sektion != section:
            _write_section_row(ws, r, row.sektion, last_col)
            r += 1
        section = row.sektion
        _write_indicator_row(ws, r, row, last_col, start_col, milestone_cols)
        r += 1
    _write_footer(ws, schema, r + 1)
    _set_columns(ws, schema)


def _write_title(ws: Worksheet, schema: Schema) -> None:
    title = ws.cell(TITLE_ROW, 1)
    set_value(title, schema.titel)
    title.font = Font(name=FONT_NAME, bold=True, size=14)
    info = ws.cell(INFO_ROW, 1)
    set_value(info, tekster.NOT_UPDATED)
    info.font = Font(name=FONT_NAME, italic=True, color="595959")


def _write_header(ws: Worksheet, schema: Schema) -> None:
    start_col, month_cols, milestone_cols = schema_columns(schema)
    head_font = Font(name=FONT_NAME, bold=True)
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    headers: list[tuple[int, object, str]] = [
        (1, schema.overskrift or schema.titel, stil.TEXT_FORMAT),
        (start_col, f"Startmåling {schema.startmaaling:%d-%m-%Y}", stil.TEXT_FORMAT),
    ]
    headers += [(c, m, stil.MONTH_FORMAT) for m, c in month_cols.items()]
    headers += [(milestone_cols[ms.month], ms.header, stil.TEXT_FORMAT) for ms in schema.milestones]
    headers.append((_prognose_col(schema), tekster.PROGNOSE_HEADER, stil.TEXT_FORMAT))
    for c, value, nf in headers:
        cell = ws.cell(HEADER_ROW, c)
        set_value(cell, value)
        cell.number_format = nf
        cell.font = head_font
        cell.fill = head_fill
        cell.border = BORDER
        cell.alignment = wrap_center if c > 1 else Alignment(vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 45


def _prognose_col(schema: Schema) -> int:
    """The Prognose column: right after the last milestone (issue #12)."""
    start_col, month_cols, milestone_cols = schema_columns(schema)
    return max([start_col, *month_cols.values(), *milestone_cols.values()]) + 1


def _write_section_row(ws: Worksheet, r: int, sektion: str, last_col: int) -> None:
    for c in range(1, last_col + 1):
        cell = ws.cell(r, c)
        cell.fill = PatternFill("solid", fgColor=SECTION_FILL)
        cell.border = BORDER
    cell = ws.cell(r, 1)
    set_value(cell, sektion)
    cell.font = Font(name=FONT_NAME, bold=True)
    cell.alignment = Alignment(vertical="center", wrap_text=True, indent=0)
    lines = text_lines(sektion, LABEL_WIDTH, bold=True)
    if lines > 1:
        ws.row_dimensions[r].height = LINE_HEIGHT * lines


def _write_indicator_row(
    ws: Worksheet, r: int, row: Row, last_col: int, start_col: int, milestone_cols: dict[date, int]
) -> None:
    """Label, grid, start value and milestone targets of one schema row."""
    label = ws.cell(r, 1)
    set_value(label, row.label)
    label.alignment = Alignment(vertical="center", wrap_text=True, indent=1 if row.sektion else 0)
    lines = text_lines(row.label, LABEL_WIDTH - (2 if row.sektion else 0))
    if lines > 1:
        ws.row_dimensions[r].height = LINE_HEIGHT * lines
    if row.manual:
        label.comment = Comment(
            "Udfyldes manuelt – xlstatus skriver aldrig i denne række.",
            tekster.NOTE_AUTHOR,
            60,
            240,
        )
    for c in range(1, last_col + 1):
        cell = ws.cell(r, c)
        cell.border = BORDER
        if c > 1:
            cell.alignment = Alignment(horizontal="right", vertical="center")
    start = stil.start_value(row)
    if start is not None:
        cell = ws.cell(r, start_col)
        set_value(cell, start[0])
        cell.number_format = start[1]
    for month, value in row.targets:
        c = milestone_cols.get(month)
        if c is not None:
            cell = ws.cell(r, c)
            set_value(cell, int(value) if float(value).is_integer() else value)
            cell.number_format = stil.target_format(row, value)
            cell.font = Font(name=FONT_NAME, bold=True)


def _write_footer(ws: Worksheet, schema: Schema, r: int) -> None:
    """Footnotes from row r, then the legend and the status notes area, each after a blank
    row."""
    for note in schema.footnotes:
        cell = ws.cell(r, 1)
        set_value(cell, note)
        cell.font = Font(name=FONT_NAME, italic=True, size=9)
        r += 1
    r += 1
    legend = legend_writes(ws.title, r, 1, None)
    for w in legend:
        apply_write(ws, w)
    notes_row = max(w.row for w in legend) + 2
    for w in notes_writes(ws.title, notes_row, 1):
        apply_write(ws, w)
    ws.cell(notes_row, 2).font = Font(name=FONT_NAME, italic=True, color="595959")


def _set_columns(ws: Worksheet, schema: Schema) -> None:
    """Column widths, frozen panes, print setup and zoom."""
    start_col, month_cols, milestone_cols = schema_columns(schema)
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions[get_column_letter(start_col)].width = START_WIDTH
    for c in month_cols.values():
        ws.column_dimensions[get_column_letter(c)].width = month_width(schema)
    for c in milestone_cols.values():
        ws.column_dimensions[get_column_letter(c)].width = MILESTONE_WIDTH
    ws.column_dimensions[get_column_letter(_prognose_col(schema))].width = MILESTONE_WIDTH + 1.5
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, start_col + 1).coordinate
    page_setup(ws, f"{TITLE_ROW}:{HEADER_ROW}", "A:A")
    ws.sheet_view.zoomScale = 90


def write_guide_sheet(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(tekster.GUIDE)
    for r, (kind, text) in enumerate(tekster.GUIDE_LINES, start=1):
        cell = ws.cell(r, 1)
        set_value(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "title":
            cell.font = Font(name=FONT_NAME, bold=True, size=14)
        elif kind == "h":
            cell.font = Font(name=FONT_NAME, bold=True, size=12)
        elif kind == "code":
            cell.font = Font(name="Consolas")
        for status, symbol in (("groen", "✔"), ("gul", "●"), ("roed", "✖")):
            if text.startswith(symbol):
                cell.fill = PatternFill("solid", fgColor=stil.FILL[status])
                cell.font = Font(name=FONT_NAME, color=stil.FONT[status])
    ws.column_dimensions["A"].width = 80
    for r, (kind, text) in enumerate(tekster.GUIDE_LINES, start=1):
        size = {"title": 14, "h": 12}.get(kind, 11)
        lines = text_lines(text, 80 * 11 / size)
        ws.row_dimensions[r].height = max(LINE_HEIGHT * lines, 1.4 * size)
    page_setup(ws, None, None, landscape=False)
    return ws


def write_maaltal_sheet(wb: Workbook) -> None:
    """The Måltal sheet (arbejdsbog.maaltal), or a titled sheet if it wrote none."""
    from xlstatus.arbejdsbog.maaltal import write_maaltal_sheet as write

    write(wb)
    if tekster.MAALTAL not in wb.sheetnames:
        ws = wb.create_sheet(tekster.MAALTAL)
        cell = ws.cell(1, 1)
        set_value(cell, "Måltal – Investeringsprojekter i Udvalget for Beskæftigelse 2024-2025")
        cell.font = Font(name=FONT_NAME, bold=True, size=14)
        page_setup(ws, "1:1")


def build_workbook(schemas: list[Schema] | None = None, settings: Settings | None = None):
    """A new statusskema workbook (openpyxl Workbook, not saved)."""
    schemas = load_schemas() if schemas is None else schemas
    settings = settings or Settings()
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.language = "da-DK"
    wb.properties.title = "Statusskemaer – investeringsprojekter"
    wb.properties.creator = "xlstatus"
    for schema in schemas:
        write_schema_sheet(wb.create_sheet(_safe_title(schema.ark)), schema)
    write_settings_sheet(wb, settings)  # first: the Måltal sheet adds its prices below
    write_maaltal_sheet(wb)
    ensure_data_sheet(wb)
    ensure_log_sheet(wb)
    for name in (tekster.DATA, tekster.LOG):
        page_setup(wb[name], "1:1")
    write_guide_sheet(wb)
    ensure_record_sheet(wb)
    from xlstatus.arbejdsbog.analyseark import ensure_analysis_sheets
    from xlstatus.plan.vandringer import groups_for

    ensure_analysis_sheets(wb, groups_for(settings.vandringer, schemas))
    order = [_safe_title(s.ark) for s in schemas] + [
        tekster.OVERBLIK,
        tekster.VANDRINGER,
        tekster.MAALTAL,
        tekster.DATA,
        tekster.LOG,
        tekster.SETTINGS,
        tekster.GUIDE,
    ]
    rest = [n for n in wb.sheetnames if n not in order]
    wb._sheets = [wb[n] for n in order + rest]
    wb.active = 0
    return wb


def create_workbook(
    path: Path,
    settings: Settings | None = None,
    replace: bool = False,
    schemas: list[Schema] | None = None,
) -> Path:
    """Build and save a new workbook at path (refuses to replace one unless told to)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(f"Arbejdsbogen skal have endelsen .xlsx (fik {path.name}).")
    if path.exists() and not replace:
        raise WorkbookError(
            f"Arbejdsbogen {path} findes allerede. Brug 'xlstatus opdater' for "
            "at opdatere den, eller vælg et andet navn."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = build_workbook(schemas, settings)
    save_atomic(wb, path, backup=replace)
    return path
