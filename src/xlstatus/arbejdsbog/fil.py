"""The workbook file adapter (openpyxl): load, read a view, apply a plan, save safely.

- `check_lock` refuses a workbook that Excel or LibreOffice has open (their lock files
  `~$Name.xlsx` / `.~lock.Name.xlsx#`) before anything is read or computed;
- `check_preservable` refuses a workbook holding parts openpyxl would silently drop on
  saving (shapes, text boxes, threaded comments, slicers, form controls, sparklines …)
  and says in Danish what they are and where — nothing is changed;
- `save_atomic` writes a temporary file beside the workbook, copies the previous version
  to `Name.backup.xlsx` and renames the new one into place.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog import stil, tekster
from xlstatus.arbejdsbog.indstillinger import read_settings
from xlstatus.arbejdsbog.kolonner import _font_with, _rgb, insert_column
from xlstatus.arbejdsbog.layout import MAX_COLS, MAX_ROWS
from xlstatus.arbejdsbog.plan import (
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
from xlstatus.kerne.errors import WorkbookError

HEADER_FILL = "DDEBF7"
NOTE_SIZE = (110, 260)  # height, width in pixels

# --------------------------------------------------------------------------- locks


def _excel_owner(lock: Path) -> str:
    """The user name in Excel's owner file (~$Name.xlsx): a length byte, then the name."""
    try:
        data = lock.read_bytes()
        n = data[0]
        name = data[1 : 1 + n].decode("cp1252").strip()
        return name or "en anden bruger"
    except (OSError, IndexError, UnicodeDecodeError):
        return "en anden bruger"


def _libreoffice_owner(lock: Path) -> str:
    try:
        fields = lock.read_text(encoding="utf-8", errors="replace").split(",")
        return (fields[0].strip() or (fields[2].strip() if len(fields) > 2 else "")
                or "en anden bruger")  # fmt: skip
    except OSError:
        return "en anden bruger"


def check_lock(path: Path) -> None:
    """A WorkbookError (exit 1) when the workbook is open in Excel/LibreOffice or read-only."""
    path = Path(path)
    excel = [path.with_name("~$" + path.name)]
    if len(path.stem) > 2:
        excel.append(path.with_name("~$" + path.name[2:]))
    for lock in excel:
        if lock.exists():
            raise WorkbookError(
                f"Arbejdsbogen {path.name} er åben i Excel (låst af {_excel_owner(lock)}). "
                f"Luk den og prøv igen. (Er den ikke åben, så slet låsefilen {lock.name}.)"
            )
    lo = path.with_name(f".~lock.{path.name}#")
    if lo.exists():
        raise WorkbookError(
            f"Arbejdsbogen {path.name} er åben i LibreOffice (låst af {_libreoffice_owner(lo)}). "
            f"Luk den og prøv igen. (Er den ikke åben, så slet låsefilen {lo.name}.)"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise WorkbookError(
            f"Arbejdsbogen {path.name} er skrivebeskyttet og kan ikke opdateres. "
            "Fjern skrivebeskyttelsen (eller luk den i Excel) og prøv igen."
        )
    if not os.access(path.parent if str(path.parent) else Path("."), os.W_OK):
        raise WorkbookError(
            f"Mappen {path.parent} er skrivebeskyttet, så arbejdsbogen kan ikke gemmes der."
        )


def permission_error(path: Path) -> WorkbookError:
    return WorkbookError(
        f"Arbejdsbogen {Path(path).name} kan ikke gemmes: den er åben i Excel eller et andet "
        "program, eller filen er skrivebeskyttet. Luk den og prøv igen."
    )


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
}  # fmt: skip
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
    return out  # fmt: skip


def lost_parts(path: Path) -> list[str]:
    """Danish descriptions of what openpyxl would drop from this workbook on saving."""
    found: list[str] = []

    def add(text: str, sheet: str | None = None) -> None:
        item = f"{text} (arket '{sheet}')" if sheet else text
        if item not in found:
            found.append(item)

    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(f"Arbejdsbogen {Path(path).name} kan ikke læses som en "
                            f"Excel-fil (.xlsx): {exc}") from exc  # fmt: skip
    with z:
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
                        add("billeder (xlstatus kan kun bevare billeder, når Pillow er "
                            "installeret)", sheets.get(name))  # fmt: skip
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
    if not path.exists():
        raise WorkbookError(f"Arbejdsbogen {path} findes ikke. Lav den med "
                            f"'xlstatus ny {path.name}'.")  # fmt: skip
    check_preservable(path)
    try:
        return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm",
                                      keep_links=True, rich_text=True)  # fmt: skip
    except PermissionError as exc:
        raise permission_error(path) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise WorkbookError(f"Arbejdsbogen {path.name} kan ikke læses: {exc}") from exc


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


def apply_write(ws: Worksheet, w: CellWrite) -> None:
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


def write_table_rows(ws: Worksheet, rows: list[list[object]], formats: list[str],
                     first_row: int = 2) -> int:  # fmt: skip
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
    """Apply an OpdaterPlan to an openpyxl workbook (the five steps in plan.py)."""
    for ins in plan.inserts:
        insert_column(wb, wb[ins.sheet], ins.col, ins.style_from)
    for w in plan.writes:
        apply_write(wb[w.sheet], w)
    write_data(wb, plan.data)
    write_record(wb, plan.record)
    append_log(wb, plan)


# --------------------------------------------------------------------------- saving


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.backup{path.suffix}")


def save_atomic(wb: Workbook, path: Path, backup: bool = True) -> Path | None:
    """Save via a temporary file and a rename; the previous file becomes the backup."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.xlstatus-tmp{path.suffix}")
    if wb.vba_archive is not None:
        # openpyxl would write a sheet's notes over the drawing of another sheet's (a
        # duplicate zip entry); the drawings hold only notes (check_preservable refuses
        # form controls), so let it draw them afresh.
        for ws in wb.worksheets:
            ws.legacy_drawing = None
    try:
        wb.save(tmp)
        kept = None
        if backup and path.exists():
            kept = backup_path(path)
            shutil.copy2(path, kept)
        os.replace(tmp, path)
        return kept
    except PermissionError as exc:
        raise permission_error(path) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


__all__ = [
    "apply_plan", "apply_write", "check_lock", "check_preservable", "load", "lost_parts",
    "read_view", "save_atomic", "set_value",
]  # fmt: skip
