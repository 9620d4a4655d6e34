"""Klargør til udvalg: the committee copy of the statusskema workbook (issue #4).

`klargoer(path, maaned, ud)` writes `<stem>_udvalg_<YYYY-MM>.xlsx` — a plain workbook of
values with the schemas, one chart per targeted row, Måltal and a page about the figures,
small counts suppressed — and its PDF (LibreOffice headless), and returns both paths.

One model, several renderers (issue 19): every route builds the same `model.CommitteeCopy`
from a workbook view (`bygger.build_copy`) and renders it (`xlsx.render_xlsx`, and the PDF
through `kopi.make_pdf`).

- `model` — the copy as data (pages, tables, cells, charts, the month; pure);
- `bygger` — the builder from a `WorkbookView` (pure);
- `analyser`, `maaltal_side`, `maaltal_vaerdier` — the Overblik/Vandringer/Prognose and
  Måltal pages for the copy's month (pure);
- `diskretion` — the suppression rule and the sum groups (pure);
- `grafer` — the data of each chart (pure);
- `plan` — what diskretion hides on a schema sheet (pure, over the sheet's values);
- `tekster` — Danish texts (pure);
- `scan` — the publication check: no CPR-like number, no formula, no macro, no link;
- `xlsx` — the .xlsx renderer (openpyxl);
- `kopi` — the file adapter: read a workbook file, save the files, make the PDF.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xlstatus.udvalg.kopi import CopyResult, save_copy


def klargoer(path: Path, maaned: date | None = None, ud: Path | None = None) -> tuple[Path, Path]:
    """Make the committee copy of the workbook at path for month `maaned` (default: the
    latest month with figures) in folder `ud` (default: beside the workbook; a path ending
    in .xlsx names the file). Returns (xlsx, pdf). WorkbookError in Danish on problems."""
    result = save_copy(path, maaned, ud)
    assert result.pdf is not None
    return result.xlsx, result.pdf


def klargoer_fil(
    path: str | Path,
    maaned: date | None = None,
    ud: str | Path | None = None,
    pdf: bool | None = True,
    udtraek: str | Path | None = None,
) -> CopyResult:
    """Like `klargoer`, returning the whole result (paths, warnings; str() names the files).
    pdf=None makes the PDF only when a PDF renderer (WeasyPrint or LibreOffice) is
    installed (`result.pdf` is None otherwise: desktop Excel can then save the copy as PDF
    itself); pdf=False never."""
    return save_copy(path, maaned, ud, pdf, udtraek)


__all__ = ["CopyResult", "klargoer", "klargoer_fil"]
