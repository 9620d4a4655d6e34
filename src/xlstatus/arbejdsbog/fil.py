"""The workbook file adapter (openpyxl): load, read a view, apply a plan.

- `check_file` refuses, in Danish, what is not a workbook it can read: a folder, a
  password-protected (encrypted) or old .xls file, damaged zip data (every part's CRC is
  checked) – half-written XML is caught while loading;
- `check_preservable` refuses a workbook holding parts openpyxl would silently drop on
  saving (shapes, text boxes, threaded comments, slicers, form controls, sparklines …)
  and says in Danish what they are and where — nothing is changed;
- a month cell inside merged cells (not their top-left cell) is skipped and reported.

Locks and saving (`check_lock`, `save_atomic`, xlstatus's own lock) live in `gem.py`; the
names are re-exported here.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.gem import (  # re-exported: locks and saving live in gem.py
    backup_path,
    check_lock,
    permission_error,
    save_atomic,
)
from xlstatus.arbejdsbog.kolonner import _font_with, _rgb, insert_column
from xlstatus.kerne.errors import WorkbookError
from xlstatus.plan import stil, tekster
from xlstatus.plan.data import (
    DATA_COLUMNS,
    DATA_FORMATS,
    LOG_COLUMNS,
    LOG_FORMATS,
    RECORD_COLUMNS,
    CellWrite,
    DataRow,
    Note,
    OpdaterPlan,
    RecordRow,
    SheetView,
    WorkbookView,
    data_from_rows,
    record_from_rows,
)
from xlstatus.plan.indstillinger import read_settings
from xlstatus.plan.layout import MAX_COLS, MAX_ROWS

HEADER_FILL = "DDEBF7"
NOTE_SIZE = (110, 260)  # height, width in pixels

# --------------------------------------------------------------------------- preservation

# zip folders openpyxl does not write back, with the Danish name of what they hold
_LOST_PARTS = {
    "xl/threadedComments/": "kommentartråde (moderne kommentarer) – konverter dem til noter "
    "i Excel (Gennemse › Noter › Konverter til noter)",
    "xl/slicers/": "udsnitsværktøjer (slicers)",
    "xl/slicerCaches/": "udsnitsværktøjer (slicers)",
    "xl/timelines/": "tidslinjer",
    "xl/timelineCaches/": "tidslinjer",
    "xl/ctrlProps/": "formularkontrolelementer (knapper, afkrydsningsfelter, lister)",
    "xl/activeX/": "ActiveX-kontrolelementer",
    "xl/embeddings/": "indlejrede objekter (OLE)",
    "xl/richData/": "billeder i celler eller datatyper",
    "xl/model/": "en datamodel (Power Pivot)",
    "xl/queryTables/": "forespørgselstabeller (Power Query / eksterne data)",
    "xl/connections.xml": "dataforbindelser (Power Query / eksterne data)",
    "xl/charts/chartEx": "nye diagramtyper (fx vandfald, trætavle, histogram)",
    "xl/webextensions/": "Office-tilføjelsesprogrammer (fx xlwings Lite-koden i arbejdsbogen)",
}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SHEET_TAGS = {
    MAIN + "controls": "formularkontrolelementer (knapper, afkrydsningsfelter, lister)",
    MAIN + "oleObjects": "indlejrede objekter (OLE)",
    MAIN + "legacyDrawingHF": "billeder i sidehoved eller sidefod",
    MAIN + "picture": "et baggrundsbillede",
    MC + "AlternateContent": "formularkontrolelementer eller indlejrede objekter",
}
# the first element inside a worksheet's <extLst><ext> (openpyxl drops them all)
_EXT_TAGS = {
    "sparklineGroups": "minidiagrammer (sparklines)",
    "conditionalFormattings": "betinget formatering fra Excel 2010+ (fx datalinjer)",
    "dataValidations": "datavalidering, der henter lister fra andre ark",
    "slicerList": "udsnitsværktøjer (slicers)",
    "timelineRefs": "tidslinjer",
    "protectedRanges": "beskyttede områder",
    "ignoredErrors": None,  # harmless: which error triangles are hidden
    "webExtensions": "Office-tilføjelsesprogrammer på arket",
}
_DRAWING_TAGS = {
    XDR + "sp": "figurer eller tekstfelter",
    XDR + "grpSp": "grupperede figurer",
    XDR + "cxnSp": "forbindelseslinjer",
    MC + "AlternateContent": "udsnitsværktøjer, kontrolelementer eller nye diagramtyper",
}
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _pillow() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_of_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """zip path of a worksheet or of a drawing/VML it uses -> sheet name."""
    out: dict[str, str] = {}
    try:
        wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return out
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for s in wb.iter():
        if _local(s.tag) != "sheet":
            continue
        rid = next((v for k, v in s.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        out[part] = s.get("name", "")
        rel_path = posixpath.join(
            posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
        )
        if rel_path in z.namelist():
            for r in ElementTree.fromstring(z.read(rel_path)):
                t = r.get("Target", "")
                dep = posixpath.normpath(posixpath.join(posixpath.dirname(part), t))
                out[dep] = s.get("name", "")
    return out


# what a damaged file raises while its zip data or XML is read
BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ElementTree.ParseError,
    KeyError,
    ValueError,
    NotImplementedError,
    OSError,
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def damaged(path: Path, detail: str) -> WorkbookError:
    path = Path(path)
    backup = backup_path(path)
    hint = f" Den forrige udgave ligger i {backup.name}." if backup.exists() else ""
    return WorkbookError(
        f"Arbejdsbogen {path.name} er beskadiget og kan ikke læses ({detail}). Intet er "
        f"ændret.{hint} Excel kan ofte reparere filen, når den åbnes."
    )


def check_file(path: Path) -> None:
    """A Danish WorkbookError for what is not a readable .xlsx/.xlsm file (see module text)."""
    path = Path(path)
    if path.is_dir():
        raise WorkbookError(
            f"{path.name} er en mappe, ikke en arbejdsbog. Angiv stien til "
            "selve filen (fx Statusskema.xlsx). Intet er ændret."
        )
    if not path.exists():
        raise WorkbookError(
            f"Arbejdsbogen {path} findes ikke. Lav den med 'xlstatus ny {path.name}'."
        )
    try:
        with open(path, "rb") as f:
            head = f.read(len(OLE_MAGIC))
        if head == OLE_MAGIC:
            if ENCRYPTED in path.read_bytes():
                raise WorkbookError(
                    f"Arbejdsbogen {path.name} er beskyttet med adgangskode (krypteret), så "
                    "xlstatus kan ikke læse den. Fjern adgangskoden i Excel (Filer › "
                    "Oplysninger › Beskyt projektmappe) og prøv igen. Intet er ændret."
                )
            raise WorkbookError(
                f"Arbejdsbogen {path.name} er i det gamle Excel-format (.xls). Gem den som "
                "Excel-projektmappe (.xlsx) og prøv igen. Intet er ændret."
            )
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
    except PermissionError as exc:
        raise permission_error(path) from exc
    except BROKEN as exc:
        raise damaged(
            path, "filen er ikke en hel Excel-fil – fx en kopi, der ikke blev færdig"
        ) from exc
    if bad is not None:
        raise damaged(path, f"delen {bad} er ødelagt")


def lost_parts(path: Path) -> list[str]:
    """Danish descriptions of what openpyxl would drop from this workbook on saving."""
    try:
        with zipfile.ZipFile(path) as z:
            return _lost_in(z)
    except PermissionError as exc:
        raise permission_error(path) from exc
    except IsADirectoryError as exc:
        raise WorkbookError(f"{Path(path).name} er en mappe, ikke en arbejdsbog.") from exc
    except BROKEN as exc:
        raise damaged(path, "filens indhold er ufuldstændigt eller ødelagt") from exc


def _lost_in(z: zipfile.ZipFile) -> list[str]:
    found: list[str] = []

    def add(text: str, sheet: str | None = None) -> None:
        item = f"{text} (arket '{sheet}')" if sheet else text
        if item not in found:
            found.append(item)

    names = z.namelist()
    sheets = _sheet_of_parts(z)
    for name in names:
        for prefix, text in _LOST_PARTS.items():
            if name.startswith(prefix):
                add(text, sheets.get(name))
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            tags, exts = _sheet_tags(z.read(name))
            for tag in tags:
                if tag in _SHEET_TAGS:
                    add(_SHEET_TAGS[tag], sheets.get(name))
            for ext in exts:
                text = _EXT_TAGS.get(ext, f"udvidelser fra nyere Excel ({ext})")
                if text:
                    add(text, sheets.get(name))
        elif name.startswith("xl/drawings/") and name.endswith(".xml"):
            root = ElementTree.fromstring(z.read(name))
            for el in root.iter():
                tag = el.tag
                if tag in _DRAWING_TAGS:
                    add(_DRAWING_TAGS[tag], sheets.get(name))
                elif tag == XDR + "pic" and not _pillow():
                    add(
                        "billeder (xlstatus kan kun bevare billeder, når Pillow er installeret)",
                        sheets.get(name),
                    )
                elif tag == "graphicData" and el.get("uri") != _CHART_URI:
                    add("SmartArt eller andre grafiske objekter", sheets.get(name))
        elif name.startswith("xl/drawings/") and name.endswith(".vml"):
            text = z.read(name).decode("utf-8", errors="replace")
            for kind in re.findall(r'ObjectType="(\w+)"', text):
                if kind != "Note":
                    add(
                        "formularkontrolelementer (knapper, afkrydsningsfelter, lister)",
                        sheets.get(name),
                    )
    return found


def _sheet_tags(xml: bytes) -> tuple[set[str], set[str]]:
    """(qualified tags of a worksheet's elements outside the cell data, local names of the
    first element inside each <extLst><ext>)."""
    tags: set[str] = set()
    exts: set[str] = set()
    stack: list[str] = []
    for event, el in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        if event == "start":
            if "sheetData" not in stack:
                tags.add(el.tag)
                if len(stack) >= 2 and _local(stack[-1]) == "ext" and _local(stack[-2]) == "extLst":
                    exts.add(_local(el.tag))
            stack.append(_local(el.tag) if _local(el.tag) == "sheetData" else el.tag)
        else:
            stack.pop()
            el.clear()
    return tags, exts


def check_preservable(path: Path) -> None:
    lost = lost_parts(path)
    if lost:
        items = "\n".join(f"  - {x}" for x in lost)
        raise WorkbookError(
            f"Arbejdsbogen {Path(path).name} indeholder noget, som xlstatus ikke kan gemme "
            f"uden at miste det:\n{items}\nIntet er ændret. Fjern eller flyt det til en anden "
            "fil, eller opdater med Opdater-knappen i Excel."
        )


# --------------------------------------------------------------------------- load & view


def load(path: Path) -> Workbook:
    """Open a workbook for updating (after the lock and preservation checks)."""
    path = Path(path)
    check_file(path)
    check_preservable(path)
    try:
        return openpyxl.load_workbook(
            path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True, rich_text=True
        )
    except PermissionError as exc:
        raise permission_error(path) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise damaged(path, "filens indhold er ufuldstændigt eller ødelagt") from exc


def _plain(v: object) -> object:
    if isinstance(v, CellRichText):
        return str(v)
    if hasattr(v, "text") and hasattr(v, "ref"):  # ArrayFormula
        return "=" + str(v.text).lstrip("=")
    return v


def sheet_view(ws: Worksheet) -> SheetView:
    max_row = min(ws.max_row, MAX_ROWS)
    max_col = min(ws.max_column, MAX_COLS)
    grid: list[list[object]] = [[None] * max_col for _ in range(max_row)]
    notes: dict[tuple[int, int], Note] = {}
    formats: dict[tuple[int, int], str] = {}
    for (r, c), cell in ws._cells.items():
        if r > max_row or c > max_col:
            continue
        grid[r - 1][c - 1] = _plain(cell.value)
        if cell.comment is not None:
            notes[(r, c)] = Note(cell.comment.text, cell.comment.author or "")
        if cell.number_format and cell.number_format != stil.GENERAL:
            formats[(r, c)] = cell.number_format
    return SheetView(ws.title, grid, notes, formats)


def _rows(ws: Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def read_record(wb: Workbook) -> list[RecordRow]:
    if tekster.RECORD not in wb.sheetnames:
        return []
    return record_from_rows([[_plain(v) for v in r] for r in _rows(wb[tekster.RECORD])])


def read_data(wb: Workbook) -> list[DataRow]:
    if tekster.DATA not in wb.sheetnames:
        return []
    return data_from_rows(_rows(wb[tekster.DATA]))


def read_view(wb: Workbook) -> WorkbookView:
    sheets = [sheet_view(ws) for ws in wb.worksheets if ws.title not in tekster.SYSTEM_SHEETS]
    settings_rows = _rows(wb[tekster.SETTINGS]) if tekster.SETTINGS in wb.sheetnames else []
    return WorkbookView(sheets, read_record(wb), read_data(wb), read_settings(settings_rows))


# --------------------------------------------------------------------------- applying


def set_value(cell, value: object) -> None:
    """Write a value; text is always literal text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def merged_range(ws: Worksheet, row: int, col: int) -> str | None:
    """'D5:D6' when the cell lies inside merged cells without being their top-left cell."""
    if not isinstance(ws._cells.get((row, col)), MergedCell):
        return None
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.coord
    return None


def apply_write(ws: Worksheet, w: CellWrite) -> bool:
    """Apply one CellWrite; False (nothing done) for a cell hidden inside merged cells:
    only their top-left cell can hold a value, and it belongs to its own row."""
    if merged_range(ws, w.row, w.col) is not None:
        return False
    cell = ws.cell(w.row, w.col)
    if w.set_value:
        set_value(cell, w.value)
    if w.number_format is not None:
        cell.number_format = w.number_format
    if w.style:
        if w.status is not None:
            cell.fill = PatternFill("solid", fgColor=stil.FILL[w.status])
            cell.font = _font_with(cell.font, color=stil.FONT[w.status])
        else:
            if _rgb(cell.fill.fgColor) in stil.FILL.values() and cell.fill.fill_type:
                cell.fill = PatternFill(fill_type=None)
            if _rgb(cell.font.color) in stil.FONT.values():
                cell.font = _font_with(cell.font, color=None)
    if w.bold:
        cell.font = _font_with(cell.font, bold=True)
    if w.note is not None:
        current = cell.comment
        if w.note == "":
            if current is not None and tekster.is_own_note(current.text, current.author):
                cell.comment = None
        elif current is None or tekster.is_own_note(current.text, current.author):
            cell.comment = Comment(w.note, tekster.NOTE_AUTHOR, *NOTE_SIZE)
    return True


def _header(ws: Worksheet, columns: list[str], widths: list[float] | None = None) -> None:
    for c, name in enumerate(columns, start=1):
        cell = ws.cell(1, c)
        set_value(cell, name)
        cell.font = Font(name="Calibri", bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for c, w in enumerate(widths or [], start=1):
        ws.column_dimensions[ws.cell(1, c).column_letter].width = w
    ws.freeze_panes = "A2"


DATA_WIDTHS = [28, 40, 52, 11, 9, 11, 10, 11, 12, 12]
LOG_WIDTHS = [17, 14, 9, 60, 18, 12, 60, 13, 20, 80]


def ensure_data_sheet(wb: Workbook) -> Worksheet:
    if tekster.DATA in wb.sheetnames:
        return wb[tekster.DATA]
    ws = wb.create_sheet(tekster.DATA)
    _header(ws, DATA_COLUMNS, DATA_WIDTHS)
    table = Table(displayName=tekster.DATA_TABLE, ref=f"A1:{_letter(len(DATA_COLUMNS))}2")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    return ws


def ensure_log_sheet(wb: Workbook) -> Worksheet:
    if tekster.LOG in wb.sheetnames:
        return wb[tekster.LOG]
    ws = wb.create_sheet(tekster.LOG)
    _header(ws, LOG_COLUMNS, LOG_WIDTHS)
    return ws


def ensure_record_sheet(wb: Workbook) -> Worksheet:
    if tekster.RECORD in wb.sheetnames:
        return wb[tekster.RECORD]
    ws = wb.create_sheet(tekster.RECORD)
    for c, name in enumerate(RECORD_COLUMNS, start=1):
        set_value(ws.cell(1, c), name)
    ws.sheet_state = "veryHidden"
    return ws


def _letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def write_table_rows(
    ws: Worksheet, rows: list[list[object]], formats: list[str], first_row: int = 2
) -> int:
    """Replace the rows below the header (only in the table's columns); returns last row."""
    ncols = len(formats)
    old_last = ws.max_row
    for i, values in enumerate(rows):
        r = first_row + i
        for c, (v, nf) in enumerate(zip(values, formats, strict=True), start=1):
            cell = ws.cell(r, c)
            set_value(cell, v)
            cell.number_format = nf
    last = first_row + len(rows) - 1
    for r in range(last + 1, old_last + 1):
        for c in range(1, ncols + 1):
            if (r, c) in ws._cells:
                ws._cells[(r, c)].value = None
    return last


def write_data(wb: Workbook, rows: list[DataRow]) -> None:
    ws = ensure_data_sheet(wb)
    last = write_table_rows(ws, [d.cells() for d in rows], DATA_FORMATS)
    ref = f"A1:{_letter(len(DATA_COLUMNS))}{max(last, 2)}"
    for table in ws.tables.values():
        if table.displayName == tekster.DATA_TABLE or len(ws.tables) == 1:
            table.ref = ref
            if table.autoFilter is not None:
                table.autoFilter.ref = ref


def write_record(wb: Workbook, rows: list[RecordRow]) -> None:
    ws = ensure_record_sheet(wb)
    values = [[r.projekt, r.sektion, r.label, r.maaned, r.skrevet, r.vaerdi] for r in rows]
    write_table_rows(ws, values, ["@", "@", "@", "yyyy-mm-dd", stil.GENERAL, stil.GENERAL])


def append_log(wb: Workbook, plan: OpdaterPlan) -> None:
    if plan.log is None:
        return
    ws = ensure_log_sheet(wb)
    r = ws.max_row + 1
    while r > 2 and all(ws.cell(r - 1, c).value is None for c in range(1, len(LOG_COLUMNS) + 1)):
        r -= 1
    for c, (v, nf) in enumerate(zip(plan.log.cells(), LOG_FORMATS, strict=True), start=1):
        cell = ws.cell(r, c)
        set_value(cell, v)
        cell.number_format = nf
        cell.alignment = Alignment(vertical="top")


def apply_plan(wb: Workbook, plan: OpdaterPlan) -> None:
    """Apply an OpdaterPlan to an openpyxl workbook (the five steps in plan.py).

    A value for a cell inside merged cells is skipped and listed in `plan.merged`."""
    for ins in plan.inserts:
        insert_column(wb, wb[ins.sheet], ins.col, ins.style_from)
    for w in plan.writes:
        ws = wb[w.sheet]
        if not apply_write(ws, w) and w.set_value:
            plan.merged.append(
                (w.sheet, f"{_letter(w.col)}{w.row}", merged_range(ws, w.row, w.col) or "")
            )
    write_data(wb, plan.data)
    write_record(wb, plan.record)
    append_log(wb, plan)


__all__ = [
    "apply_plan",
    "apply_write",
    "backup_path",
    "check_file",
    "check_lock",
    "check_preservable",
    "load",
    "lost_parts",
    "permission_error",
    "read_view",
    "save_atomic",
    "set_value",
]
