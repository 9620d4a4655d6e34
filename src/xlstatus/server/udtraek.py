"""The extract of a server run, in this order: the sheet FACIT-udtræk when it holds data
(read by the Excel front end as everywhere), a path on Indstillinger when it lies inside
the server's extract folder, else the server's own extract (`xlstatus server --udtraek`)."""

from __future__ import annotations

from pathlib import Path

from xlstatus.excel.bog import read_state, sheet_grid
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.indikatorer import needed_tables
from xlstatus.kerne.model import Extract
from xlstatus.plan.layout import is_blank
from xlstatus.server.sikkerhed import tilladt_sti, udtraek_sti
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.ark import find_blocks, is_extract_sheet
from xlstatus.udtraek.lager import read_extract_cached


def les(path: Path) -> Extract:
    """Read an extract the server may read, kept (shared with the cell functions) until one
    of its files changes (`udtraek.lager`)."""
    tables = needed_tables(load_schemas())
    return read_extract_cached(path, set(tables), tables)


def serverens() -> Extract:
    """The server's own extract (`--udtraek`); WorkbookError when none is set up."""
    path = udtraek_sti()
    if path is None:
        raise WorkbookError(
            "Der er ikke angivet noget FACIT-udtræk: serveren har ingen udtræksmappe "
            "(--udtraek), og arbejdsbogen har intet udtræk på arket FACIT-udtræk. Bed IT om "
            "at sætte udtræksmappen op, eller indsæt udtrækket på arket FACIT-udtræk. "
            "Intet er ændret."
        )
    return les(path)


def _pasted(book, names: list[str]) -> bool:
    """Does the workbook's sheet FACIT-udtræk hold any record?"""
    for name in names:
        if not is_extract_sheet(name):
            continue
        grid = sheet_grid(book.sheets[name], None, None)
        for _, title, col, end, last in find_blocks(grid):
            rows = [r for r in grid[title:end] if any(not is_blank(v) for v in r[col - 1 : last])]
            if len(rows) > 1:
                return True
    return False


def vaelg(book) -> Extract | None:
    """The extract for Opdater on `book` (None: the pasted one, read by the front end)."""
    state = read_state(book, load_schemas())
    if _pasted(book, state.names):
        return None
    typed = state.view.settings.udtraek
    if typed:
        return les(tilladt_sti(typed))
    return serverens()
