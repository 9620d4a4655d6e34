"""Opdater on a live workbook through xlwings: the xlwings adapter of `arbejdsbog.plan`.

The same steps as the command line (`arbejdsbog.opdater.Arbejdsbog.opdater`): read the
sheets into a `WorkbookView`, recognise them, compute month M with the engine, make the
`OpdaterPlan` – and apply that plan to an `xw.Book` instead of a file. Works with

- desktop Excel: `xw.Book.caller()` (COM, via the workbook's RunPython button);
- xlwings Server and xlwings Lite: a book built from the add-in's payload, whose writes
  become actions applied by the add-in after the script returns.

What a remote book (Server, Lite) cannot see: number formats, fill colours and the
author of notes – the add-in sends values and note addresses only. Cells xlstatus wrote
itself are known from its record sheet `_xlstatus`, so for them the plan is the same as
on the file. For a month cell a person typed, a remote run keeps the person's number
format (it cannot read it) and colours the cell; a note on such a cell is left alone.

Actions used are those every client applies: values, fill colour and number format
(also xlwings Server's VBA client); the Office.js clients (Lite, Server's add-in) also
get font colour, bold and notes. Conditional formats are never used.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from xlstatus.excel.sammenligning import (
    Forberedt,
    Resolver,
    desktop_folder,
    forbered,
    lite_folder,
)
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.indikatorer import compute_month, needed_tables, targets_for
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skema import Schema
from xlstatus.kerne.status import assess
from xlstatus.kerne.tid import month_start
from xlstatus.plan import overblik, stil, tekster, vandringer
from xlstatus.plan import sammenligning as sammenligning_plan
from xlstatus.plan.data import (
    DATA_COLUMNS,
    DATA_FORMATS,
    LOG_COLUMNS,
    LOG_FORMATS,
    RECORD_COLUMNS,
    CellWrite,
    ColumnInsert,
    Note,
    OpdaterPlan,
    SheetView,
    WorkbookView,
    data_from_rows,
    record_from_rows,
)
from xlstatus.plan.indstillinger import Settings, read_settings
from xlstatus.plan.koersel import check_extract_age, run_info
from xlstatus.plan.layout import MAX_COLS, MAX_ROWS, Recognition, is_blank, recognise_workbook
from xlstatus.plan.maaltal import SETTINGS_SHEET, SHEET, Block, maaltal_plan
from xlstatus.plan.overblik import analyser_inputs
from xlstatus.plan.skemaer import make_plan, same
from xlstatus.plan.vandringer import groups_for
from xlstatus.skabelonfiler import load_maaltal, load_schemas

FORMULA_START = ("=", "+", "-", "@")
OLD_EXTRACT_HINT = "skriv Ja ud for 'Tillad gammelt udtræk' på arket Indstillinger"
EXCEL_ROWS = 1048576


# --------------------------------------------------------------------------- the book


@dataclass(frozen=True)
class Capabilities:
    """What the book's client can apply (see the module text)."""

    remote: bool  # Server / Lite: writes become actions
    client: str  # 'desktop', 'Office.js' or 'VBA'
    notes: bool
    fonts: bool

    @property
    def lite(self) -> bool:
        return sys.platform == "emscripten"


def capabilities(book) -> Capabilities:
    api = book.api
    if isinstance(api, dict):  # a remote book built from a payload
        client = str(api.get("client", ""))
        office = client == "Office.js"
        notes = office and all("notes" in s for s in api.get("sheets", []))
        return Capabilities(True, client, notes, office)
    return Capabilities(False, "desktop", True, True)


def literal(value: object) -> object:
    """Text stays text: a leading apostrophe keeps '=…', '+…', '-…', '@…' from becoming
    a formula (Excel shows the text without the apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sheet_grid(sheet, max_rows: int | None = MAX_ROWS, max_cols: int | None = MAX_COLS):
    """The sheet's values from A1 to its last used cell (None for empty cells)."""
    last = sheet.used_range.last_cell
    rows, cols = last.row, last.column
    if max_rows:
        rows = min(rows, max_rows)
    if max_cols:
        cols = min(cols, max_cols)
    if rows == 1 and cols == 1:
        return [[sheet.range((1, 1)).value]]
    values = sheet.range((1, 1), (rows, cols)).options(ndim=2).value
    return [list(r) for r in values]


def sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def _sheet(book, name: str):
    return book.sheets[name]


@dataclass
class BookState:
    """The view of a live book plus what the adapter knows about its cells."""

    view: WorkbookView
    recognition: Recognition
    capabilities: Capabilities
    names: list[str]
    grids: dict[str, list[list[object]]]
    ours: set[tuple[str, int, int]] = field(default_factory=set)  # cells xlstatus wrote
    unknown_format: set[tuple[str, int, int]] = field(default_factory=set)
    note_cells: set[tuple[str, int, int]] = field(default_factory=set)


def _note_addresses(book, name: str, ev: Capabilities) -> set[tuple[int, int]]:
    from xlstatus.excel.payload import a1

    if not ev.remote:
        return set()
    for s in book.api["sheets"]:
        if s["name"] == name:
            return {a1(n["address"]) for n in s.get("notes") or []}
    return set()


def _desktop_notes(sheet) -> dict[tuple[int, int], Note]:
    out: dict[tuple[int, int], Note] = {}
    try:
        for c in sheet.api.Comments:
            out[(c.Parent.Row, c.Parent.Column)] = Note(str(c.Text()), str(c.Author))
    except Exception:
        pass
    return out


def read_state(book, schemas: list[Schema]) -> BookState:
    """Read the book as `arbejdsbog.fil.read_view` reads a file, then recognise its sheets."""
    ev = capabilities(book)
    names = sheet_names(book)
    grids: dict[str, list[list[object]]] = {}
    views = []
    for name in names:
        if name in tekster.SYSTEM_SHEETS:
            continue
        grids[name] = sheet_grid(_sheet(book, name))
        notes = {} if ev.remote else _desktop_notes(_sheet(book, name))
        views.append(SheetView(name, grids[name], notes, {}))
    extra = {}
    for name in (tekster.RECORD, tekster.DATA, tekster.SETTINGS):
        if name in names:
            extra[name] = sheet_grid(_sheet(book, name), None, None)
    settings = read_settings(extra.get(tekster.SETTINGS, []))
    record = record_from_rows(extra.get(tekster.RECORD, []))
    data = data_from_rows(extra.get(tekster.DATA, []))
    view = WorkbookView(views, record, data, settings, sheet_names=tuple(names))
    recognition = recognise_workbook([(s.name, s.grid) for s in view.sheets], schemas)
    state = BookState(view, recognition, ev, names, grids)
    _complete(book, state)
    return state


def _get(grid: list[list[object]], r: int, c: int) -> object:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


def _complete(book, state: BookState) -> None:
    """Number formats (and, on a remote book, note ownership) of the month cells.

    Desktop Excel: read them. Remote: a cell still holding what the record says xlstatus
    wrote has the format xlstatus gave it (with a status symbol when it was coloured) and
    any note on it is xlstatus's; any other filled cell has an unknown format, and a note
    on it is treated as a person's."""
    view, ev = state.view, state.capabilities
    record = {r.key: r for r in view.record}
    tol = view.settings.tolerance
    for layout in state.recognition.layouts:
        sv = view.sheet(layout.sheet)
        schema = layout.schema
        notes_here = _note_addresses(book, layout.sheet, ev)
        state.note_cells |= {(layout.sheet, r, c) for r, c in notes_here}
        sheet = _sheet(book, layout.sheet)
        for row in schema.rows:
            r = layout.rows.get(row.key)
            if r is None or row.manual:
                continue
            targets = targets_for(schema, row) if row.targeted else None
            for month, c in layout.month_cols.items():
                current = _get(sv.grid, r, c)
                rec = record.get((schema.projekt, row.sektion, row.label, month))
                ours = rec is not None and (is_blank(current) or same(current, rec.skrevet))
                if ours:
                    state.ours.add((layout.sheet, r, c))
                if not ev.remote:
                    if not is_blank(current) or ours:
                        nf = sheet.range((r, c)).number_format
                        if nf and nf != stil.GENERAL:
                            sv.formats[(r, c)] = nf
                    continue
                if ours and rec is not None:
                    base = (
                        stil.TEXT_FORMAT
                        if isinstance(rec.skrevet, str)
                        else stil.value_format(row.fmt, row.decimals)
                    )
                    status = None
                    if targets is not None:
                        status = assess(rec.vaerdi, targets, month, tol).status
                    sv.formats[(r, c)] = stil.with_status(base, status)
                    if (r, c) in notes_here:
                        sv.notes[(r, c)] = Note("", tekster.NOTE_AUTHOR)
                else:
                    if not is_blank(current):
                        state.unknown_format.add((layout.sheet, r, c))
                    if (r, c) in notes_here:
                        sv.notes[(r, c)] = Note("", "")


# --------------------------------------------------------------------------- the extract


def extract_from_book(book, state: BookState, needed: dict[str, str]) -> Extract:
    """The FACIT extract for a run: the sheet FACIT-udtræk when it holds data, else the
    path on Indstillinger (a folder of CSV files or an .xlsx; relative to the workbook)."""
    from xlstatus.udtraek.ark import extract_from_grid, find_blocks, is_extract_sheet

    for name in state.names:
        if is_extract_sheet(name):
            grid = sheet_grid(_sheet(book, name), None, None)
            blocks = find_blocks(grid)
            filled = [b for b in blocks if _has_data(grid, b)]
            if filled:  # a block without records counts as a missing table
                return extract_from_grid(grid, name, set(needed), needed, filled)
    setting = state.view.settings.udtraek
    if not setting:
        raise WorkbookError(_no_extract_text(state.capabilities))
    if state.capabilities.lite and not Path(setting).exists():
        # Lite sees only what is imported through its Files menu (/data/…) or, in desktop
        # Excel on Windows, a mounted local folder - nothing else on the computer
        raise WorkbookError(
            "I xlwings Lite kan Python kun læse filer, der er hentet ind med xlwings Lites "
            f"menu → Files → Import/Export (de ligger under /data). Stien på arket "
            f"Indstillinger ({setting}) findes ikke der. Hent udtrækket ind og skriv fx "
            "/data/udtraek på Indstillinger, eller indsæt udtrækket på arket FACIT-udtræk "
            "(én blok pr. tabel), og klik Opdater igen. Intet er ændret."
        )
    from xlstatus.udtraek.lager import read_extract_cached

    path = Path(setting)
    if not path.is_absolute():
        base = _book_folder(book)
        if base is not None:
            path = base / path
    return read_extract_cached(path, set(needed), needed)  # shared with the cell functions


def _has_data(grid: list[list[object]], block: tuple[str, int, int, int, int | None]) -> bool:
    """Does a block hold any record below its header row?"""
    _, title, col, end, last_col = block
    filled = (
        r for r in islice(grid, title, end) if any(not is_blank(v) for v in r[col - 1 : last_col])
    )
    return next(filled, None) is not None and next(filled, None) is not None


def _book_folder(book) -> Path | None:
    try:
        full = book.fullname
    except Exception:
        return None
    p = Path(str(full))
    return p.parent if p.parent != Path(".") and p.parent.exists() else None


def _no_extract_text(ev: Capabilities) -> str:
    where = (
        "indsæt udtrækket på arket FACIT-udtræk (én blok pr. tabel)"
        if ev.lite
        else "skriv stien til udtrækket (en mappe med CSV-filer eller én .xlsx-fil) på arket "
        "Indstillinger, eller indsæt udtrækket på arket FACIT-udtræk (én blok pr. tabel)"
    )
    return f"Der er ikke angivet noget FACIT-udtræk: {where}. Intet er ændret."


# --------------------------------------------------------------------------- the run


def run_user(book, ev: Capabilities) -> str:
    """Who runs Opdater, for the Log: Excel's user name on the desktop."""
    if env := os.environ.get("XLSTATUS_BRUGER"):
        return env
    if not ev.remote:
        try:
            return str(book.app.api.UserName)
        except Exception:
            pass
        with suppress(OSError, KeyError):
            return getpass.getuser()
        return "ukendt"
    return "xlwings Lite" if ev.lite else "xlwings Server"


@dataclass
class OpdaterRun:
    plan: OpdaterPlan
    extract: Extract
    state: BookState


def opdater_book(
    book,
    month: date | None = None,
    overwrite: bool = False,
    extract: Extract | None = None,
    when: datetime | None = None,
    user: str | None = None,
    sammenligning: Resolver | None = None,
) -> OpdaterRun:
    """Plan and apply an Opdater run on a live book (every error before any change).
    `sammenligning` maps the Indstillinger row "Sammenligning" to a folder (a host's own
    rule, as the server's; by default the desktop's or Lite's, `excel.sammenligning`)."""
    schemas = load_schemas()
    state = read_state(book, schemas)
    if not state.recognition.layouts:
        raise WorkbookError(
            f"Arbejdsbogen {book.name} har ingen ark, der ligner et af statusskemaerne "
            "(rækkernes tekster blev ikke genkendt). Intet er ændret."
        )
    recognised = [lay.schema for lay in state.recognition.layouts]
    settings: Settings = state.view.settings
    if extract is None:
        needed = needed_tables(recognised)
        if settings.sammenligning:
            needed.setdefault("forloeb", "Sammenligning: egne tal fra FACIT")
        extract = extract_from_book(book, state, needed)
    month = month_start(month or date.today())
    check_extract_age(
        extract, month, settings.maaledag, settings.tillad_gammelt_udtraek, OLD_EXTRACT_HINT
    )
    results = compute_month(extract, recognised, month, settings.maaledag, settings.tolerance)
    run = run_info(
        extract, month, settings.maaledag, when, user or run_user(book, state.capabilities)
    )
    ark = analysis_sheets(book, state, groups_for(settings.vandringer, schemas))
    analyser = analyser_inputs(state.view, extract, recognised, month, schemas)  # issue #12
    plan = make_plan(
        state.view, state.recognition, results, month, run, overwrite, schemas, analyser
    )
    maaltal = maaltal_writes(book, state, extract, month)  # computed before any change
    sam = sammenligning_step(book, state, extract, month, sammenligning)
    with _screen_paused(book, state.capabilities):
        add_analysis_sheets(book, ark, state)
        apply_plan(book, plan, state, ark.writes)
        apply_writes(book, maaltal, state)
        apply_sammenligning(book, sam, state)
    plan.notes.append(sam.note)
    return OpdaterRun(plan, extract, state)


def sammenligning_step(
    book, state: BookState, extract: Extract, month: date, resolve: Resolver | None
) -> Forberedt:
    """The Sammenligning sheet's writes, computed before any change."""
    if resolve is None:
        resolve = lite_folder if state.capabilities.lite else desktop_folder(_book_folder(book))
    grid = None
    if tekster.SAMMENLIGNING in state.names:
        grid = sheet_grid(_sheet(book, tekster.SAMMENLIGNING), None, None)
    return forbered(state.view.settings.sammenligning, grid, extract, month, resolve)


def apply_sammenligning(book, sam: Forberedt, state: BookState) -> None:
    """Add or empty xlstatus's area of the sheet (A … MAX_COL), then write the plan."""
    if not sam.writes:
        return
    name = tekster.SAMMENLIGNING
    if sam.new_sheet:
        after = next((n for n in (tekster.VANDRINGER, tekster.OVERBLIK) if n in state.names), None)
        index = state.names.index(after) + 1 if after else len(state.names)
        book.sheets.add(name, after=book.sheets[index - 1])
        state.names.insert(index, name)
    else:
        rng = _sheet(book, name).range((1, 1), (max(1, sam.clear_rows), sammenligning_plan.MAX_COL))
        try:
            rng.clear()
        except Exception:  # a client without Range.clear: the values go, the look stays
            rng.clear_contents()
    apply_writes(book, [from_plan(w, state) for w in sam.writes], state)


@contextmanager
def _screen_paused(book, ev: Capabilities):
    """Desktop Excel: no screen updates while writing (much faster through COM)."""
    if ev.remote:
        yield
        return
    app = book.app
    with suppress(Exception):
        app.screen_updating = False
    try:
        yield
    finally:
        with suppress(Exception):
            app.screen_updating = True


# --------------------------------------------------------------------------- Overblik, Vandringer


@dataclass
class Analyseark:
    """The analysis sheets a run adds (`new`) or lays out again (`relayout`) and their
    fixed texts: the same `layout_writes` the file route's `analyseark` writes. Charts
    and styling are the file route's only (openpyxl); see `tekster.NO_CHART`."""

    new: list[str] = field(default_factory=list)
    relayout: list[str] = field(default_factory=list)
    writes: list[CellWrite] = field(default_factory=list)


def analysis_sheets(book, state: BookState, groups: Sequence[str]) -> Analyseark:
    """What `ensure_analysis_sheets` does to a file, planned for a live book (no change
    yet); the book's view then lists the sheets so the plan fills them."""
    out = Analyseark()
    if tekster.OVERBLIK not in state.names:
        out.new.append(tekster.OVERBLIK)
        out.writes += overblik.layout_writes()
    if tekster.VANDRINGER in state.names:
        rows = sheet_grid(_sheet(book, tekster.VANDRINGER), None, None)
        if vandringer.sheet_groups(rows) != tuple(groups):
            out.relayout.append(tekster.VANDRINGER)
    else:
        out.new.append(tekster.VANDRINGER)
    if tekster.VANDRINGER in out.new + out.relayout:
        out.writes += vandringer.layout_writes(groups)
        out.writes += [
            CellWrite(tekster.VANDRINGER, b.chart_top, 1, tekster.NO_CHART, True)
            for b in vandringer.blocks(groups)
        ]
    state.view.sheet_names = tuple(dict.fromkeys([*state.names, *out.new]))
    return out


def add_analysis_sheets(book, ark: Analyseark, state: BookState) -> None:
    """Add the missing sheets where the file route puts them (before Måltal, Data, …);
    empty a sheet whose target groups changed (its old charts stay: see NO_CHART)."""
    for name in ark.new:
        index = next(
            (state.names.index(n) for n in tekster.ANALYSES_BEFORE if n in state.names),
            len(state.names),
        )
        if index == 0:
            book.sheets.add(name, before=book.sheets[0])
        else:  # xlwings' remote `before=` lands one sheet too early; `after=` does not
            book.sheets.add(name, after=book.sheets[index - 1])
        state.names.insert(index, name)
    for name in ark.relayout:
        _sheet(book, name).used_range.clear_contents()


# --------------------------------------------------------------------------- applying


def apply_plan(book, plan: OpdaterPlan, state: BookState, layout: Sequence[CellWrite] = ()) -> None:
    """The five steps of `arbejdsbog.plan` on an xw.Book (`layout`: the fixed texts of
    analysis sheets just added, written before – and overwritten by – the plan's writes)."""
    for ins in plan.inserts:
        insert_column(book, ins, state)
    writes = [*layout, *plan.writes]
    apply_writes(book, [from_plan(w, state) for w in writes], state)
    write_table(
        book,
        tekster.DATA,
        DATA_COLUMNS,
        [d.cells() for d in plan.data],
        DATA_FORMATS,
        state,
        table=tekster.DATA_TABLE,
    )
    write_table(
        book,
        tekster.RECORD,
        RECORD_COLUMNS,
        [[r.projekt, r.sektion, r.label, r.maaned, r.skrevet, r.vaerdi] for r in plan.record],
        ["@", "@", "@", "yyyy-mm-dd", stil.GENERAL, stil.GENERAL],
        state,
        hidden=True,
    )
    append_log(book, plan, state)


def insert_column(book, ins: ColumnInsert, state: BookState) -> None:
    """Insert a whole column; Excel copies the look of the column on the left."""
    sheet = _sheet(book, ins.sheet)
    origin = (
        "format_from_left_or_above" if ins.style_from < ins.col else "format_from_right_or_below"
    )
    sheet.range((1, ins.col), (EXCEL_ROWS, ins.col)).insert("right", origin)
    # cells right of the insert moved: keep the adapter's cell sets in step
    for name in ("ours", "unknown_format", "note_cells"):
        cells = getattr(state, name)
        setattr(
            state,
            name,
            {(s, r, c + 1 if s == ins.sheet and c >= ins.col else c) for s, r, c in cells},
        )
    if not state.capabilities.remote:
        try:
            src = sheet.range((1, ins.style_from))
            sheet.range((1, ins.col)).column_width = src.column_width
        except Exception:
            pass


@dataclass
class CellChange:
    """One cell's changes, as the adapter applies them (batched into ranges)."""

    sheet: str
    row: int
    col: int
    value: object = None
    set_value: bool = False  # value is final: text already literal, formulas start with =
    number_format: str | None = None
    fill: str | None = None  # '#RRGGBB'
    font_color: str | None = None
    bold: bool = False
    clear_look: bool = False  # desktop: remove xlstatus's own fill and font colour
    note: str | None = None  # text to set; '' removes xlstatus's note
    note_action: str = ""  # 'add', 'set', 'delete' (remote) or 'desktop'


def from_plan(w: CellWrite, state: BookState) -> CellChange:
    """A plan's CellWrite as the adapter applies it on this book (see the module text)."""
    key = (w.sheet, w.row, w.col)
    ev = state.capabilities
    out = CellChange(w.sheet, w.row, w.col)
    if w.set_value:
        out.value, out.set_value = literal(w.value), True
        state.unknown_format.discard(key)
    if w.number_format is not None and key not in state.unknown_format:
        out.number_format = w.number_format
    if w.style and w.status is not None:
        out.fill = "#" + stil.FILL[w.status]
        out.font_color = "#" + stil.FONT[w.status] if ev.fonts else None
    elif w.style and not ev.remote:
        out.clear_look = True
    # remote: the add-ins cannot clear a fill; a cell that loses its status keeps its
    # colour until a person clears it (its number format drops the status symbol)
    out.bold = w.bold and ev.fonts
    if w.note is not None and ev.notes:
        if not ev.remote:
            out.note, out.note_action = w.note, "desktop"
        else:
            has = key in state.note_cells
            mine = key in state.ours or (w.set_value and key not in state.unknown_format)
            if w.note == "" and has and mine:
                out.note, out.note_action = "", "delete"
                state.note_cells.discard(key)
            elif w.note and not has:
                out.note, out.note_action = w.note, "add"
                state.note_cells.add(key)
            elif w.note and has and mine and w.set_value:
                out.note, out.note_action = w.note, "set"
            # an unchanged xlstatus cell keeps its note (its text follows from the same
            # value); a person's note is never touched
    if w.set_value:
        state.ours.add(key)
    return out


def _runs(items: list[CellChange], attr: str):
    """(sheet, row, first col, last col, value) runs of equal `attr` in adjacent cells."""
    cells = sorted(
        (w.sheet, w.row, w.col, getattr(w, attr))
        for w in items
        if getattr(w, attr) not in (None, False)
    )
    run: list = []
    for sheet, row, col, value in cells:
        if run and run[0] == sheet and run[1] == row and run[3] == col - 1 and run[4] == value:
            run[3] = col
            continue
        if run:
            yield tuple(run)
        run = [sheet, row, col, col, value]
    if run:
        yield tuple(run)


def _blocks(runs, same_value: bool = True):
    """Row runs (sheet, row, c1, c2, value) stacked into rectangles (sheet, r1, c1, r2, c2,
    [value of each row]) where consecutive rows span the same columns (and, with
    `same_value`, carry the same value): a month column is one range, not one per row."""
    key = (
        (lambda r: (r[0], r[2], r[3], str(r[4]), r[1]))
        if same_value
        else (lambda r: (r[0], r[2], r[3], r[1]))
    )
    block: list = []
    for sheet, row, c1, c2, value in sorted(runs, key=key):
        if (
            block
            and (block[0], block[2], block[4]) == (sheet, c1, c2)
            and block[3] == row - 1
            and (not same_value or block[5][0] == value)
        ):
            block[3] = row
            block[5].append(value)
            continue
        if block:
            yield tuple(block)
        block = [sheet, row, c1, row, c2, [value]]
    if block:
        yield tuple(block)


def apply_writes(book, writes: list[CellChange], state: BookState) -> None:
    """Apply cell changes with as few range operations as possible."""
    last: dict[tuple[str, int, int], CellChange] = {}
    for w in writes:
        last[(w.sheet, w.row, w.col)] = w
    items = list(last.values())
    # number formats first: a value then shows (and is read) in its format
    for sheet, r1, c1, r2, c2, nf in _blocks(_runs(items, "number_format")):
        _sheet(book, sheet).range((r1, c1), (r2, c2)).number_format = nf[0]
    as_formula = state.capabilities.client != "VBA"  # VBA's Range.Value takes English formulas

    def is_formula(w: CellChange) -> bool:
        return as_formula and isinstance(w.value, str) and w.value.startswith("=")

    for formulas in (False, True):
        cells = sorted(
            (w.sheet, w.row, w.col, w.value)
            for w in items
            if w.set_value and is_formula(w) == formulas
        )
        runs: list = []  # (sheet, row, c1, c2, the row's values)
        for sheet, row, col, value in cells:
            if runs and runs[-1][:2] == [sheet, row] and runs[-1][3] == col - 1:
                runs[-1][3] = col
                runs[-1][4].append(value)
            else:
                runs.append([sheet, row, col, col, [value]])
        for sheet, r1, c1, r2, c2, rows in _blocks(map(tuple, runs), same_value=False):
            rng = _sheet(book, sheet).range((r1, c1), (r2, c2))
            if formulas:
                rng.formula = rows
            else:
                rng.value = rows
    for w in items:
        if w.clear_look:
            _clear_status_look(_sheet(book, w.sheet).range((w.row, w.col)))
    for sheet, r1, c1, r2, c2, color in _blocks(_runs(items, "fill")):
        _sheet(book, sheet).range((r1, c1), (r2, c2)).color = color[0]
    for sheet, r1, c1, r2, c2, color in _blocks(_runs(items, "font_color")):
        _sheet(book, sheet).range((r1, c1), (r2, c2)).font.color = color[0]
    for sheet, r1, c1, r2, c2, _ in _blocks(_runs(items, "bold")):
        _sheet(book, sheet).range((r1, c1), (r2, c2)).font.bold = True
    for w in items:
        if not w.note_action:
            continue
        rng = _sheet(book, w.sheet).range((w.row, w.col))
        if w.note_action == "desktop":
            _set_desktop_note(book, rng, w.note or "")
        elif w.note_action == "add":
            rng.add_note(w.note)
        elif w.note_action == "set":
            rng.note.text = w.note
        elif w.note_action == "delete":
            rng.note.delete()


# --------------------------------------------------------------------------- Måltal (step 5)


def _defined_names(book) -> dict[str, str]:
    """Workbook-scoped names -> 'Sheet'!$A$1:$B$2 (only names that refer to one range)."""
    from openpyxl.utils import quote_sheetname

    out: dict[str, str] = {}
    for n in book.names:
        try:
            rng = n.refers_to_range
            name = n.name
        except Exception:
            continue
        if "!" in str(name):
            continue
        out[str(name)] = f"{quote_sheetname(rng.sheet.name)}!{rng.get_address(True, True)}"
    return out


def maaltal_writes(book, state: BookState, extract: Extract, month: date) -> list[CellChange]:
    """Step 5 (the Måltal sheet) from its plan (`plan.maaltal.maaltal_plan`, what the file
    route writes too): the blocks under the lines table, and the price settings on
    Indstillinger with their defined names when the book lacks them. Charts are left as
    they are in the workbook."""
    if SHEET not in state.names:
        return []
    grids = {
        name: sheet_grid(_sheet(book, name), None, None)
        for name in (SHEET, SETTINGS_SHEET)
        if name in state.names
    }
    plan = maaltal_plan(
        grids,
        _defined_names(book),
        extract,
        month,
        load_maaltal(),
        tolerance=state.view.settings.tolerance,
    )
    out = block_writes(SHEET, grids[SHEET], plan.sheet, plan.clear_from, state)
    if plan.settings is not None:
        out += block_writes(SETTINGS_SHEET, grids[SETTINGS_SHEET], plan.settings, None, state)
    for name, ref in plan.names.items():
        try:
            book.names.add(name, "=" + ref)
        except Exception:
            print(f"Navnet {name} kunne ikke oprettes", file=sys.stderr)
    return out


_DATE_DEFAULT = "yyyy-mm-dd h:mm:ss"  # the format a date had when nothing else was set


def block_writes(
    sheet: str, grid: list[list[object]], block: Block, clear_from: int | None, state: BookState
) -> list[CellChange]:
    """A block's cells as writes where they change the sheet; from `clear_from` down, a
    value the block does not write is cleared."""
    fonts = state.capabilities.fonts
    out: list[CellChange] = []
    for (r, c), cell in sorted(block.cells.items()):
        old = _get(grid, r, c)
        w = CellChange(sheet, r, c)
        if cell.formula or old != cell.value or type(old) is not type(cell.value):
            w.set_value = True
            w.value = cell.value if cell.formula else literal(cell.value)
        before = _DATE_DEFAULT if isinstance(old, date) else stil.GENERAL
        if cell.number_format is not None and cell.number_format != before:
            w.number_format = cell.number_format
        w.fill = "#" + cell.fill if cell.fill else None
        if cell.font is not None and fonts:
            w.font_color = "#" + cell.font.color if cell.font.color else None
            w.bold = bool(cell.font.bold)
        if w.set_value or w.number_format or w.fill or w.font_color or w.bold:
            out.append(w)
    if clear_from is not None:
        for r in range(clear_from, len(grid) + 1):
            for c, old in enumerate(grid[r - 1], start=1):
                if old is not None and (r, c) not in block.cells:
                    w = CellChange(sheet, r, c, None, set_value=True)
                    w.number_format = stil.GENERAL if isinstance(old, date) else None
                    out.append(w)
    return sorted(out, key=lambda w: (w.row, w.col))


def _set_desktop_note(book, rng, text: str) -> None:
    """Desktop Excel: notes carry the author 'xlstatus' (Excel's user name while adding),
    so later runs – and the command line – know they are xlstatus's own."""
    xl = rng.api
    current = xl.Comment
    if current is not None and not tekster.is_own_note(str(current.Text()), str(current.Author)):
        return  # a person's note stays
    if text == "":
        if current is not None:
            current.Delete()
        return
    if current is not None:
        if str(current.Text()) != text:
            current.Text(text)
        return
    app = book.app.api
    name = app.UserName
    try:
        app.UserName = tekster.NOTE_AUTHOR
        xl.AddComment(text)
    finally:
        app.UserName = name


def _hex(color: object) -> str | None:
    if isinstance(color, tuple) and len(color) == 3:
        return "{:02X}{:02X}{:02X}".format(*color)
    if isinstance(color, str):
        return color.lstrip("#").upper()
    return None


def _clear_status_look(rng) -> None:
    """Desktop: remove xlstatus's fill and font colour, never a person's own colours."""
    if _hex(rng.color) in stil.FILL.values():
        rng.color = None
    if _hex(rng.font.color) in stil.FONT.values():
        rng.font.color = (0, 0, 0)


def _ensure_sheet(book, name: str, header: list[str], state: BookState, hidden: bool = False):
    if name in state.names:
        return _sheet(book, name), False
    sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    state.names.append(name)
    sheet.range((1, 1), (1, len(header))).value = [header]
    if not state.capabilities.remote:
        if hidden:
            sheet.api.Visible = 2  # xlSheetVeryHidden
        else:
            sheet.range((1, 1), (1, len(header))).font.bold = True
    return sheet, True


def _last_row(grid: list[list[object]], ncols: int) -> int:
    last = 1
    for i, row in enumerate(grid, start=1):
        if any(not is_blank(v) for v in row[:ncols]):
            last = i
    return last


def write_table(
    book,
    name: str,
    header: list[str],
    rows: list[list[object]],
    formats: list[str],
    state: BookState,
    table: str | None = None,
    hidden: bool = False,
) -> None:
    """Replace the rows below the header row (only in the table's columns)."""
    sheet, new = _ensure_sheet(book, name, header, state, hidden)
    ncols = len(header)
    old_last = 1 if new else _last_row(sheet_grid(sheet, None, ncols), ncols)
    last = 1 + len(rows)
    if rows:  # formats first: text columns ('@') keep hashes and codes as text
        for c, nf in enumerate(formats, start=1):
            sheet.range((2, c), (last, c)).number_format = nf
        sheet.range((2, 1), (last, ncols)).value = [[literal(v) for v in r] for r in rows]
    if old_last > last:
        sheet.range((last + 1, 1), (old_last, ncols)).clear_contents()
    if table is None:
        return
    ref = sheet.range((1, 1), (max(last, 2), ncols))
    existing = {t.name: t for t in sheet.tables}
    if table in existing:
        existing[table].resize(ref)
    elif len(existing) == 1:
        next(iter(existing.values())).resize(ref)
    elif not existing:
        sheet.tables.add(source=ref, name=table, table_style_name="TableStyleMedium2")


def append_log(book, plan: OpdaterPlan, state: BookState) -> None:
    if plan.log is None:
        return
    sheet, new = _ensure_sheet(book, tekster.LOG, LOG_COLUMNS, state)
    ncols = len(LOG_COLUMNS)
    r = 2 if new else _last_row(sheet_grid(sheet, None, ncols), ncols) + 1
    for c, nf in enumerate(LOG_FORMATS, start=1):
        sheet.range((r, c)).number_format = nf
    sheet.range((r, 1), (r, ncols)).value = [[literal(v) for v in plan.log.cells()]]


__all__ = [
    "BookState",
    "Capabilities",
    "OpdaterRun",
    "apply_plan",
    "capabilities",
    "extract_from_book",
    "literal",
    "opdater_book",
    "read_state",
    "sheet_grid",
]
