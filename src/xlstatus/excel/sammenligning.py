"""The Sammenligning sheet in live Excel (desktop, xlwings Lite, xlwings Server): Opdater's
step after Måltal, the same plan as the file route (`plan.sammenligning`).

Where the folder comes from (the Indstillinger row "Sammenligning"):

- desktop: the path as typed; a relative one from the workbook's folder;
- xlwings Lite: a folder under `/data` (Lite's own file system; Files → Import/Export);
  a relative path is taken from `/data`, and nothing outside it is read;
- xlwings Server: the host passes its own resolver (`server.sikkerhed.sammenligning_sti`:
  inside `xlstatus server --sammenligning MAPPE`, like the extract).

`forbered(book, state, extract, month, resolve)` reads and computes everything before any
change (a bad source is a KildeError then) and returns what `anvend` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.model import Extract
from xlstatus.plan import sammenligning as plan
from xlstatus.plan import tekster
from xlstatus.plan.data import CellWrite

LITE_DATA = "/data"
Resolver = Callable[[str], Path | None]


@dataclass
class Forberedt:
    note: str
    writes: list[CellWrite] = field(default_factory=list)
    new_sheet: bool = False
    clear_rows: int = 0


def lite_folder(typed: str) -> Path | None:
    """A folder under /data (Lite): relative from /data; '..' and other places refused."""
    if not str(typed).strip():
        return None
    raw = PurePosixPath(str(typed).strip().strip('"'))
    if ".." in raw.parts:
        raise _outside(typed)
    full = raw if raw.is_absolute() else PurePosixPath(LITE_DATA) / raw
    if full.parts[:2] != ("/", LITE_DATA.strip("/")):
        raise _outside(typed)
    return Path(str(full))


def _outside(typed: str) -> WorkbookError:
    return WorkbookError(
        f"Mappen '{typed}' ligger ikke under {LITE_DATA}: i xlwings Lite læses "
        f"sammenligningstal kun fra {LITE_DATA} (Files → Import/Export). Intet er ændret."
    )


def desktop_folder(book_folder: Path | None) -> Resolver:
    def resolve(typed: str) -> Path | None:
        if not str(typed).strip():
            return None
        p = Path(str(typed).strip().strip('"')).expanduser()
        if p.is_absolute() or book_folder is None:
            return p
        return book_folder / p

    return resolve


def forberedt_plan(
    grid: list[list[object]] | None,
    folder: Path,
    extract: Extract | None,
    month: date,
) -> Forberedt:
    """Read the sources, compute the tables and plan the sheet (no change to any book)."""
    from xlstatus.skabelonfiler import load_sammenligning
    from xlstatus.udtraek.sammenligning import laes_og_byg

    o = load_sammenligning()
    tabeller, info = laes_og_byg([folder], extract, month, o)
    kept = plan.kept_notes(grid or [])
    sheet = plan.sheet_plan(tabeller, info, kept, o.eget_omraade, o.forskel_mod or "")
    note = f"Arket Sammenligning er opdateret fra {folder} ({len(tabeller)} tabeller)."
    rows = max(len(grid or []), sheet.last_row)
    return Forberedt(note, sheet.writes, grid is None, rows)


def forbered(
    typed: str,
    grid: list[list[object]] | None,
    extract: Extract | None,
    month: date,
    resolve: Resolver,
) -> Forberedt:
    """The Sammenligning step of one Opdater: nothing (and the note) without a folder."""
    folder = resolve(typed)
    if folder is None:
        return Forberedt(tekster.SAMMENLIGNING_UROERT)
    return forberedt_plan(grid, folder, extract, month)


__all__ = ["Forberedt", "desktop_folder", "forbered", "lite_folder"]
