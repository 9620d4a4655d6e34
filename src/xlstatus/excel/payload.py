"""The xlwings wire format, built from and replayed onto workbook files. No xlwings import.

xlwings Server and xlwings Lite hand a script a book built from a JSON *payload* that the
Excel add-in sends (every sheet's values from A1 to the last used cell, the defined names,
tables and notes), and apply the *actions* the script returns after it finishes. This
module builds that payload from a workbook file exactly as the Office.js add-in does
(dates as ISO strings, empty cells as "") and replays returned actions onto a cell model,
so the Excel front end can be exercised through xlwings' own engine without Excel:

    payload = book_payload("Statusskema.xlsx")      # what Excel would send
    book = xw.Book(json=payload)                    # xlwings' remote book
    ... custom_scripts_call(...) ...                # the script runs
    cells = replay(book.json()["actions"], payload) # what Excel would show afterwards
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

OFFICE_JS = "Office.js"
VBA = "VBA"


def xlwings_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xlwings")
    except PackageNotFoundError:  # pragma: no cover - xlwings is a dependency
        return "0"


def iso(value: date | datetime) -> str:
    """A date as Office.js sends it: `new Date(...).toISOString()` (UTC, milliseconds)."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def wire_value(value: object) -> object:
    """A cell value as the add-in sends it: '' for empty, ISO text for dates."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return iso(value)
    if isinstance(value, time):
        return value.isoformat()
    return value


def _sheet_values(ws) -> list[list[object]]:
    """A1 to the last used cell; [['']] for an empty sheet (as getUsedRange gives)."""
    rows, cols = ws.max_row or 1, ws.max_column or 1
    grid = [[""] * cols for _ in range(rows)]
    for row in ws.iter_rows(min_row=1, max_row=rows, max_col=cols):
        for cell in row:
            if cell.value is not None:
                grid[cell.row - 1][cell.column - 1] = wire_value(cell.value)
    return grid


def _tables(ws) -> list[dict[str, object]]:
    from openpyxl.utils.cell import get_column_letter as col
    from openpyxl.utils.cell import range_boundaries

    out = []
    for table in ws.tables.values():
        c1, r1, c2, r2 = range_boundaries(table.ref)
        header = bool(table.headerRowCount if table.headerRowCount is not None else 1)
        totals = bool(table.totalsRowCount)
        body_first = r1 + (1 if header else 0)
        body_last = r2 - (1 if totals else 0)
        style = table.tableStyleInfo.name if table.tableStyleInfo is not None else None
        out.append(
            {
                "name": table.displayName or table.name,
                "range_address": table.ref,
                "header_row_range_address": f"{col(c1)}{r1}:{col(c2)}{r1}" if header else None,
                "data_body_range_address": f"{col(c1)}{body_first}:{col(c2)}{body_last}",
                "total_row_range_address": f"{col(c1)}{r2}:{col(c2)}{r2}" if totals else None,
                "show_headers": header,
                "show_totals": totals,
                "table_style": style,
                "show_autofilter": table.autoFilter is not None,
            }
        )
    return out


def _names(wb) -> list[dict[str, object]]:
    """Workbook- and sheet-scoped names that refer to one range (as the add-in sends)."""
    titles = [ws.title for ws in wb.worksheets]
    out: list[dict[str, object]] = []

    def add(name: str, defn, scope: int | None) -> None:
        try:
            dests = list(defn.destinations)
        except (AttributeError, TypeError, ValueError):
            return
        if len(dests) != 1 or dests[0][0] not in titles:
            return
        sheet, address = dests[0]
        out.append(
            {
                "name": name,
                "sheet_index": titles.index(sheet),
                "address": address,
                "scope_sheet_name": None if scope is None else titles[scope],
                "scope_sheet_index": scope,
                "book_scope": scope is None,
            }
        )

    for name, defn in wb.defined_names.items():
        add(name, defn, None)
    for i, ws in enumerate(wb.worksheets):
        for name, defn in ws.defined_names.items():
            add(name, defn, i)
    return out


def book_payload(
    path: str | Path, client: str = OFFICE_JS, version: str | None = None
) -> dict[str, object]:
    """The JSON an xlwings add-in sends for the workbook at path.

    client 'Office.js' (xlwings Lite, xlwings Server's Office.js add-in) includes the
    sheets' notes (ExcelApi 1.18); 'VBA' (xlwings Server's VBA client) does not."""
    import openpyxl

    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            sheet: dict[str, object] = {
                "name": ws.title,
                "values": _sheet_values(ws),
                "pictures": [],
                "tables": _tables(ws),
            }
            if client == OFFICE_JS:
                sheet["notes"] = [
                    {"address": c.coordinate}
                    for row in ws.iter_rows()
                    for c in row
                    if c.comment is not None
                ]
            sheets.append(sheet)
        active = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
        return {
            "client": client,
            "version": version or xlwings_version(),
            "book": {"name": path.name, "active_sheet_index": active, "selection": "A1"},
            "names": _names(wb),
            "sheets": sheets,
        }
    finally:
        wb.close()


# --------------------------------------------------------------------------- replay


@dataclass
class Cell:
    """What a cell shows after the actions: value, fill, font colour, format, note."""

    value: object = None
    fill: str | None = None
    font_color: str | None = None
    number_format: str | None = None
    note: str | None = None
    bold: bool | None = None
    formula: bool = False
    value_set: bool = False  # the actions wrote a value (value None: emptied)


@dataclass
class Replay:
    """Sheets (by position) of cells touched by actions, plus alerts and other actions."""

    names: list[str]
    cells: dict[tuple[int, int, int], Cell] = field(default_factory=dict)
    alerts: list[tuple[str, str, str]] = field(default_factory=list)
    other: list[dict[str, object]] = field(default_factory=list)

    def cell(self, sheet: str | int, ref: str) -> Cell | None:
        """The cell at ref ('B4') of sheet (name or position), None when untouched."""
        s = self.names.index(sheet) if isinstance(sheet, str) else sheet
        row, col = a1(ref)
        return self.cells.get((s, row, col))

    def sheet_cells(self, sheet: str | int) -> dict[str, Cell]:
        s = self.names.index(sheet) if isinstance(sheet, str) else sheet
        return {ref_of(r, c): cell for (i, r, c), cell in self.cells.items() if i == s}


_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def a1(ref: str) -> tuple[int, int]:
    """'B4' or '$B$4' -> (4, 2), 1-based."""
    m = _A1.fullmatch(ref.split("!")[-1].split(":")[0])
    if not m:
        raise ValueError(f"ugyldig celleadresse: {ref!r}")
    col = 0
    for ch in m[1].upper():
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def ref_of(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _block(action: dict[str, object]) -> Iterable[tuple[int, int]]:
    r0, c0 = int(action["start_row"]) + 1, int(action["start_column"]) + 1
    for r in range(r0, r0 + int(action["row_count"])):
        for c in range(c0, c0 + int(action["column_count"])):
            yield r, c


def _shift(rp: Replay, sheet: int, block: tuple[int, int, int, int], right: bool) -> None:
    """Insert cells: those at or beyond the inserted block move right (or down)."""
    r0, c0, n_rows, n_cols = block
    moved = {}
    for (s, r, c), cell in rp.cells.items():
        if s == sheet and right and r0 <= r < r0 + n_rows and c >= c0:
            moved[(s, r, c + n_cols)] = cell
        elif s == sheet and not right and c0 <= c < c0 + n_cols and r >= r0:
            moved[(s, r + n_rows, c)] = cell
        else:
            moved[(s, r, c)] = cell
    rp.cells = moved


def replay(actions: list[dict[str, object]], payload: dict[str, object]) -> Replay:
    """Apply actions to a model of the payload's sheets (only cells the actions touch).

    Values are kept as sent (dates stay ISO text); a text that starts with an apostrophe
    is shown without it, as Excel does. Added sheets take their place in `names` and move
    the sheets after them one position right."""
    # xlwings' remote `sheets.add` also inserts the new sheet into the payload it was given:
    # start from the sheets before the run, then follow the addSheet actions
    added = {str(a["args"][1]) for a in actions if a["func"] == "addSheet"}  # type: ignore[index]
    rp = Replay(
        [
            str(s["name"])
            for s in payload["sheets"]  # type: ignore[index]
            if str(s["name"]) not in added
        ]
    )
    for action in actions:
        func = str(action["func"])
        args = action.get("args") or []
        sheet = action.get("sheet_position")
        if func in ("setValues", "setFormula"):
            values = action["values"]
            r0, c0 = int(action["start_row"]) + 1, int(action["start_column"]) + 1
            for i, row in enumerate(values):  # type: ignore[arg-type]
                for j, v in enumerate(row):
                    cell = rp.cells.setdefault((sheet, r0 + i, c0 + j), Cell())  # type: ignore[index]
                    if func == "setValues" and isinstance(v, str) and v.startswith("'"):
                        v = v[1:]
                    cell.value = None if v == "" else v
                    cell.formula = func == "setFormula"
                    cell.value_set = True
        elif func in ("setRangeColor", "setNumberFormat", "setFontProperty"):
            for r, c in _block(action):
                cell = rp.cells.setdefault((sheet, r, c), Cell())  # type: ignore[index]
                if func == "setRangeColor":
                    cell.fill = None if args[0] is None else str(args[0]).upper()
                elif func == "setNumberFormat":
                    cell.number_format = str(args[0])
                elif args[0] == "color":
                    cell.font_color = None if args[1] is None else str(args[1]).upper()
                elif args[0] == "bold":
                    cell.bold = bool(args[1])
        elif func in ("rangeClearContents", "rangeClear"):
            for r, c in _block(action):
                cell = rp.cells.setdefault((sheet, r, c), Cell())  # type: ignore[index]
                cell.value, cell.value_set, cell.formula = None, True, False
                if func == "rangeClear":  # the look goes too
                    cell.bold, cell.fill, cell.font_color = False, None, None
        elif func in ("addNote", "setNoteText"):
            row, col = a1(str(args[0]))
            rp.cells.setdefault((sheet, row, col), Cell()).note = str(args[1])  # type: ignore[index]
        elif func == "deleteNote":
            row, col = a1(str(args[0]))
            if (sheet, row, col) in rp.cells:
                rp.cells[(sheet, row, col)].note = None  # type: ignore[index]
        elif func == "rangeInsert" and args and args[0] in ("right", "down"):
            block = (
                int(action["start_row"]) + 1,
                int(action["start_column"]) + 1,
                int(action["row_count"]),
                int(action["column_count"]),
            )
            _shift(rp, sheet, block, args[0] == "right")  # type: ignore[arg-type]
        elif func == "addSheet":  # args: [0-based position, name]; later sheets move right
            at = int(args[0])
            rp.names.insert(at, str(args[1]))
            rp.cells = {(s + (s >= at), r, c): cell for (s, r, c), cell in rp.cells.items()}
            rp.other.append(action)
        elif func == "alert":
            rp.alerts.append((str(args[0]), str(args[1]), str(args[3] if len(args) > 3 else "")))
        else:
            rp.other.append(action)
    return rp
