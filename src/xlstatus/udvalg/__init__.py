"""Klargør til udvalg: the committee copy of the statusskema workbook (issue #4).

`klargoer(path, maaned, ud)` writes `<stem>_udvalg_<YYYY-MM>.xlsx` — a plain workbook of
values with the schemas, one chart per targeted row, Måltal and a page about the figures,
small counts suppressed — and its PDF (LibreOffice headless), and returns both paths.

- `diskretion` — the suppression rule and the sum groups (pure);
- `grafer` — the data of each chart (pure);
- `plan` — what the copy changes on a schema sheet (pure, over the sheet's values);
- `tekster` — Danish texts (pure);
- `scan` — the publication check: no CPR-like number, no formula, no macro, no link;
- `kopi` — the openpyxl/LibreOffice adapter.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xlstatus.udvalg.kopi import UdvalgKopi, lav_kopi


def klargoer(path: Path, maaned: date | None = None, ud: Path | None = None) -> tuple[Path, Path]:
    """Make the committee copy of the workbook at path for month `maaned` (default: the
    latest month with figures) in folder `ud` (default: beside the workbook; a path ending
    in .xlsx names the file). Returns (xlsx, pdf). WorkbookError in Danish on problems."""
    result = lav_kopi(path, maaned, ud)
    assert result.pdf is not None
    return result.xlsx, result.pdf


def klargoer_fil(
    path: str | Path,
    maaned: date | None = None,
    ud: str | Path | None = None,
    pdf: bool | None = True,
) -> UdvalgKopi:
    """Like `klargoer`, returning the whole result (paths, warnings; str() names the files).
    pdf=None makes the PDF only when LibreOffice is installed (`result.pdf` is None
    otherwise: desktop Excel can then save the copy as PDF itself); pdf=False never."""
    return lav_kopi(path, maaned, ud, pdf)


__all__ = ["UdvalgKopi", "klargoer", "klargoer_fil", "lav_kopi"]
