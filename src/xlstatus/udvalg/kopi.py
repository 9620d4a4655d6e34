"""The committee copy of a workbook FILE (the adapter): read the file into a workbook view,
build the copy (`bygger.build_copy`, the same model every route builds), render it
(`xlsx.render_xlsx`), check it, save it atomically, and make its PDF (`make_pdf`).

Values, not formulas: a formula cell's cached value (the workbook was saved by Excel); a
workbook written by xlstatus has none, and its own formulas (the Måltal sheet's) xlstatus
computes itself (`maaltal_vaerdier`, with the prices and costs on Indstillinger) – no
spreadsheet engine needed. Only a formula a person typed in such a file is recalculated by
LibreOffice, when it is installed ("–" otherwise). An error value (#NAME? of a cell
function without the add-in) prints as "–".

Not in the copy: Data, Log, Indstillinger, Vejledning, the record `_xlstatus`,
xlwings.conf, an extract sheet, other and hidden sheets, names, links, macros, images,
a person's notes (the warning says how many).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.workbook.workbook import Workbook

from xlstatus import libreoffice
from xlstatus.arbejdsbog import fil
from xlstatus.kerne.errors import WorkbookError, XlstatusError
from xlstatus.kerne.tid import month_label
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.data import SheetView, WorkbookView
from xlstatus.udvalg import tekster
from xlstatus.udvalg.bygger import Options
from xlstatus.udvalg.bygger import build_copy as build_model
from xlstatus.udvalg.filer import accessible_pdf, make_pdf, render_files
from xlstatus.udvalg.maaltal_vaerdier import SHEET as MAALTAL
from xlstatus.udvalg.maaltal_vaerdier import fill_values, is_formula
from xlstatus.udvalg.model import CommitteeCopy

if TYPE_CHECKING:
    from xlstatus.kerne.maaltal import Oekonomi

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
DECIMALS = 9
ANALYSIS_SHEETS = (
    bog_tekster.OVERBLIK,
    bog_tekster.VANDRINGER,
    bog_tekster.SAMMENLIGNING,
    bog_tekster.MAALTAL,
)


@dataclass
class CopyResult:
    """The result: the two files and what a person should know about the copy."""

    xlsx: Path
    pdf: Path | None
    maaned: date
    data_date: date | None
    sheets: list[str] = field(default_factory=list)
    hidden: int = 0
    charts: int = 0
    warnings: list[str] = field(default_factory=list)
    model: CommitteeCopy | None = None

    @classmethod
    def of(cls, copy: CommitteeCopy, xlsx: Path) -> CopyResult:
        """The result of the copy `copy` saved as `xlsx` (its PDF not yet made)."""
        sheets = [p.sheet for p in copy.pages]
        return cls(xlsx, None, copy.month, copy.data_date, sheets, copy.hidden, copy.charts,
                   list(copy.warnings), copy)  # fmt: skip

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


def _is_error(value: object) -> bool:
    return isinstance(value, str) and value.strip() in ERRORS


def _round(value: object) -> object:
    if isinstance(value, float):
        r = round(value, DECIMALS)
        return int(r) if r.is_integer() and abs(r) < 1e15 else r
    return value


def formula_values(
    path: Path, wb: Workbook, sheets: list[str]
) -> dict[tuple[str, int, int], object]:
    """The cached value (Excel's) of every formula cell on the given sheets; None where the
    file has none (written by xlstatus: `maaltal_vaerdier` computes those)."""
    wanted = [
        (n, r, c) for n in sheets for (r, c), cell in wb[n]._cells.items() if cell.data_type == "f"
    ]
    if not wanted or not _has_cached_values(path):
        return {}
    cached = _load(path, data_only=True)
    return {k: cached[k[0]].cell(k[1], k[2]).value for k in wanted}


def _has_cached_values(path: Path) -> bool:
    """Whether a spreadsheet program saved the file (openpyxl writes no calcChain and no
    cached values; Excel and LibreOffice do): saves reading it a second time."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            app = z.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return True
    return "openpyxl" not in app.casefold()


def _with_values(sv: SheetView, values: dict, warnings: list[str]) -> SheetView:
    """The sheet's grid with formula results instead of formulas ('–' for an error)."""
    grid = [list(r) for r in sv.grid]
    errors = 0
    for (name, r, c), v in values.items():
        if name != sv.name or r > len(grid) or c > len(grid[r - 1]):
            continue
        if v is None:
            continue
        if _is_error(v):
            v, errors = "–", errors + 1
        grid[r - 1][c - 1] = _round(v)
    for row in grid:
        for i, v in enumerate(row):
            if _is_error(v):
                row[i], errors = "–", errors + 1
            elif isinstance(v, float):
                row[i] = _round(v)
    if errors:
        warnings.append(
            f"Arket '{sv.name}': {errors} celler med en fejl (fx #NAVN?) vises som '–' i kopien."
        )
    return SheetView(sv.name, grid, sv.notes, sv.formats)


@dataclass
class Source:
    """A workbook file read as the view the builder takes."""

    path: Path
    view: WorkbookView
    visible: Callable[[str], bool]
    warnings: list[str]
    oekonomi: Oekonomi | None = None  # Måltal's prices and costs (Indstillinger's names)


def read_source(path: Path) -> Source:
    if not path.exists():
        raise WorkbookError(f"Arbejdsbogen {path} findes ikke.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"Arbejdsbogen skal være en .xlsx- eller .xlsm-fil (fik {path.name}).")
    wb = _load(path)
    view = fil.read_view(wb)
    extra = [fil.sheet_view(wb[n]) for n in ANALYSIS_SHEETS if n in wb.sheetnames]
    sheets = [*view.sheets, *extra]
    warnings: list[str] = []
    names = [s.name for s in sheets]
    values = formula_values(path, wb, names)
    sheets = [_with_values(s, values, warnings) for s in sheets]
    view = replace(view, sheets=sheets, sheet_names=tuple(wb.sheetnames))
    oekonomi = _price_settings(wb, warnings)
    view = fill_values(view, warnings, oekonomi)
    view = _engine_values(path, view, warnings)

    def visible(name: str) -> bool:
        return name in wb.sheetnames and wb[name].sheet_state == "visible"

    return Source(path, view, visible, warnings, oekonomi)


def _engine_values(path: Path, view: WorkbookView, warnings: list[str]) -> WorkbookView:
    """Formulas a person typed, in a file saved without their values (by Opdater): their
    values from LibreOffice when it is installed (the file recalculated once), else '–'.
    Måltal's own formulas left (the monthly schedule) are not printed and need neither."""
    left = {
        (sv.name, r, c)
        for sv in view.sheets
        if sv.name != MAALTAL
        for r, row in enumerate(sv.grid, start=1)
        for c, v in enumerate(row, start=1)
        if is_formula(v)
    }
    if not left:
        return view
    values: dict[tuple[str, int, int], object] = {k: "–" for k in left}
    if libreoffice.available():
        with tempfile.TemporaryDirectory(prefix="xlstatus-udvalg-") as tmp:
            fresh = _load(libreoffice.convert(path, "xlsx", tmp), data_only=True)
            for name, r, c in left:
                if name in fresh.sheetnames:
                    values[(name, r, c)] = fresh[name].cell(r, c).value
    else:
        cells = "1 celle med en formel" if len(left) == 1 else f"{len(left)} celler med formler"
        warnings.append(
            f"{cells}, som hverken Excel eller LibreOffice har regnet ud, vises som '–' i kopien."
        )
    return replace(view, sheets=[_with_values(sv, values, warnings) for sv in view.sheets])


def _price_settings(wb: Workbook, warnings: list[str]) -> Oekonomi | None:
    """The prices and costs Måltal's formulas use, or None (then Økonomi stays out)."""
    from xlstatus.arbejdsbog.indstillinger import read_price_settings
    from xlstatus.plan.indstillinger import has_settings

    if "Måltal" not in wb.sheetnames or not has_settings(wb.defined_names):
        return None
    try:
        return read_price_settings(wb)
    except XlstatusError as exc:
        warnings.append(f"Måltal-priserne på Indstillinger kan ikke læses: {exc}")
        return None


def _extract_reader(path: Path, view: WorkbookView, udtraek: str | Path | None):
    """Read the extract on demand: --udtraek, else the workbook's Udtræk setting."""

    def read():
        from xlstatus.udtraek.laes import read_extract

        where = udtraek or view.settings.udtraek
        if not where:
            return None
        p = Path(where)
        p = p if p.is_absolute() else path.parent / p
        if not p.exists():
            return None
        return read_extract(p)

    return read


def _notes_left_out(src: Source, sheets: list[str]) -> int:
    return sum(1 for n in sheets for note in src.view.sheet(n).notes.values() if not note.ours)


def _sheet_warnings(src: Source, copy: CommitteeCopy, used: list[str]) -> list[str]:
    out = []
    expected_gone = {*bog_tekster.SYSTEM_SHEETS, "xlwings.conf"}
    dropped = [n for n in src.view.sheet_names if n not in used and n not in expected_gone]
    if dropped:
        out.append("Disse ark er ikke med i kopien: " + ", ".join(dropped) + ".")
    try:
        lost = [x for x in fil.lost_parts(src.path) if x]
    except WorkbookError:
        lost = []
    if lost:
        out.append("Ikke med i kopien: " + "; ".join(lost) + ".")
    n = _notes_left_out(src, [s for s in used if any(v.name == s for v in src.view.sheets)])
    if n:
        out.append(
            f"{n} noter skrevet af medarbejdere er ikke med i kopien (de kan indeholde "
            "personoplysninger)."
        )
    return out


def model_of(
    path: str | Path, maaned: date | None = None, udtraek: str | Path | None = None
) -> CommitteeCopy:
    """The committee copy (the model) of the workbook file at path."""
    src = read_source(Path(path))
    view = src.view
    opts = Options(
        workbook_name=src.path.name,
        extract=_extract_reader(src.path, view, udtraek),
        visible=src.visible,
        warnings=src.warnings,
    )
    copy = build_model(view, maaned, opts)
    used = [p.sheet for p in copy.pages]
    used += [s for s in ANALYSIS_SHEETS if src.visible(s) and s not in used]
    used += [s.name for s in view.sheets if any(p.sheet == s.name[:31] for p in copy.pages)]
    return replace(copy, warnings=[*copy.warnings, *_sheet_warnings(src, copy, used)])


# --------------------------------------------------------------------------- files


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


def save_bytes(data: bytes, target: Path) -> None:
    """Save atomically (a temporary file beside it, then a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fil.check_lock(target)
    tmp = target.with_name(f".{target.stem}.xlstatus-tmp{target.suffix}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except PermissionError as exc:
        raise WorkbookError(
            f"{target.name} kan ikke gemmes: den er åben i et andet program. Luk den og prøv igen."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def save_copy(
    path: str | Path,
    maaned: date | None = None,
    ud: str | Path | None = None,
    pdf: bool | None = True,
    udtraek: str | Path | None = None,
) -> CopyResult:
    """Build, check and save the committee copy and its PDF (pdf=None: only when a PDF
    renderer is installed, else `result.pdf` is None and a warning says so)."""
    path = Path(path)
    copy = model_of(path, maaned, udtraek)
    xlsx, pdf_path = output_paths(path, copy.month, Path(ud) if ud else None)
    if xlsx.resolve() == path.resolve():
        raise WorkbookError("Kopien må ikke erstatte arbejdsbogen selv: vælg et andet navn.")
    data, pdf_data = render_files(copy, pdf)
    save_bytes(data, xlsx)
    result = CopyResult.of(copy, xlsx)
    if pdf_data is not None:
        save_bytes(pdf_data, pdf_path)
        result.pdf = pdf_path
    elif pdf is None:
        result.warnings.append(
            "Der er ikke lavet nogen PDF: hverken xlstatus' PDF-modul "
            '(pip install "xlstatus[pdf]") eller LibreOffice er installeret '
            "(eller brug Excels Gem som PDF på kopien)."
        )
    return result


def build_copy(
    path: str | Path, maaned: date | None = None, udtraek: str | Path | None = None
) -> tuple[Workbook, CopyResult]:
    """The committee copy of the workbook at path, in memory: the rendered .xlsx opened
    with openpyxl, and the result (for tests and checks; nothing is saved)."""
    from xlstatus.udvalg.xlsx import render_xlsx

    path = Path(path)
    copy = model_of(path, maaned, udtraek)

    data = render_xlsx(copy)
    xlsx, _ = output_paths(path, copy.month, None)
    result = CopyResult.of(copy, xlsx)
    return openpyxl.load_workbook(io.BytesIO(data)), result


__all__ = [
    "CopyResult",
    "accessible_pdf",
    "build_copy",
    "make_pdf",
    "model_of",
    "output_paths",
    "read_source",
    "render_files",
    "save_copy",
]
