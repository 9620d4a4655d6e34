"""Måltal's values where no spreadsheet engine has computed its formulas (issue 18, item 4).
Pure: the view in, the view out.

A workbook written by xlstatus carries formulas on the Måltal sheet and no cached values;
without Excel or LibreOffice they would print as nothing. The copy takes the figures from
xlstatus's own Måltal computation (`kerne.maaltal`) over the lines table the sheet holds —
the same numbers the formulas give (a test compares them with LibreOffice's):

- the lines table: `Sum af linjer` of each group (`Group.sum`) and `Kontrol`;
- `Projekter fordelt på grupper`: `project_matrix` (projects × groups, totals);
- `Faktisk mod mål`: `Mål` (`Maalepunkt.maal`) and `Forskel` (Faktisk − Mål);
- given the prices and costs kept on Indstillinger (`Oekonomi`, read by the route that has
  the workbook's names): the price row and `Økonomi` (`kerne.maaltal.savings`).

The monthly schedule below (`Måned for måned`) is not printed, so it is not computed. Without
`oekonomi` the price row and Økonomi stay formulas (`maaltal_side` leaves them out, and says so).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from xlstatus.kerne.errors import XlstatusError
from xlstatus.plan.data import SheetView, WorkbookView

if TYPE_CHECKING:
    from xlstatus.kerne.maaltal import Maaltal, Oekonomi

SHEET = "Måltal"
FLAG_TEXT = "Afviger fra summen"
TOTAL = "I alt"


def is_formula(v: object) -> bool:
    return isinstance(v, str) and v.startswith("=")


def _find(grid: list[list[object]], text: str, after: int = 0) -> int | None:
    for r in range(after + 1, len(grid) + 1):
        v = grid[r - 1][0] if grid[r - 1] else None
        if isinstance(v, str) and v.strip().startswith(text):
            return r
    return None


def _num(v: object) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def computed_cells(
    sv: SheetView, oekonomi: Oekonomi | None = None
) -> dict[tuple[int, int], object]:
    """(row, col) -> xlstatus's value of every formula cell it can compute (the price row
    and Økonomi only given the workbook's prices and costs)."""
    from xlstatus.kerne.maaltal import maalepunkter, project_matrix
    from xlstatus.kerne.noegler import spaced_key as name_key
    from xlstatus.plan.maaltal import MARK_ACTUAL, MARK_MATRIX, PRICE_LABEL, read_table
    from xlstatus.skabelonfiler import load_maaltal

    template = load_maaltal()
    m, layout = read_table(sv.grid, sv.name, template, oekonomi or template.oekonomi)
    grid = sv.grid
    out: dict[tuple[int, int], object] = {}

    def cell(r: int, c: int) -> object:
        return grid[r - 1][c - 1] if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) else None

    for g in m.grupper:
        _, total_row = layout.groups.get(g.navn, (None, None))
        if total_row is None:
            continue
        out[(total_row, 6)] = g.sum
        typed = _num(cell(total_row, 5))
        if cell(total_row, 5) in (None, ""):
            out[(total_row, 7)] = ""
        elif typed is None:
            out[(total_row, 7)] = "Ikke et tal"
        else:
            out[(total_row, 7)] = "OK" if abs(g.sum - typed) <= 0.000001 else FLAG_TEXT
    mark = _find(grid, MARK_MATRIX)
    if mark is not None:
        matrix = project_matrix(m)
        head = mark + 1
        cols = {name_key(cell(head, c)): c for c in range(2, len(grid[head - 1]) + 1)}
        r = head + 1
        while r <= len(grid) and cell(r, 1) not in (None, ""):
            name = str(cell(r, 1))
            row = next((p for p in matrix.index if name_key(p) == name_key(name)), None)
            if row is None and not name.startswith(TOTAL):
                if oekonomi is not None and name.startswith(PRICE_LABEL):
                    for g in m.grupper:
                        if (c := cols.get(name_key(g.navn))) is not None:
                            out[(r, c)] = oekonomi.pris(g.navn)
                break
            for col_name in matrix.columns:
                c = cols.get(name_key(col_name))
                if c is not None:
                    out[(r, c)] = float(matrix.loc[row or TOTAL, col_name])
            r += 1
    mark = _find(grid, MARK_ACTUAL)
    if mark is not None:
        points = {(name_key(p.gruppe), name_key(p.tekst)): p for p in maalepunkter(m)}
        head = next((r for r in range(mark, mark + 5) if cell(r, 1) == "Gruppe"), None)
        r = (head or mark) + 1
        while head is not None and r <= len(grid) and cell(r, 1) not in (None, ""):
            p = points.get((name_key(cell(r, 1)), name_key(cell(r, 2))))
            if p is not None:
                out[(r, 3)] = p.maal
                actual = _num(cell(r, 5))
                out[(r, 6)] = actual - p.maal if actual is not None else ""
            r += 1
    if oekonomi is not None:
        out.update(_money_cells(grid, m))
    return out


def _money_cells(grid: list[list[object]], m: Maaltal) -> dict[tuple[int, int], object]:
    """Økonomi's summary: a row per project and the total, as `plan.maaltal` lays it out."""
    from xlstatus.kerne.maaltal import savings
    from xlstatus.kerne.noegler import spaced_key as name_key
    from xlstatus.kerne.tid import month_start
    from xlstatus.plan.maaltal import MARK_MONEY, NOT_REACHED

    mark = _find(grid, MARK_MONEY)
    if mark is None:
        return {}
    head = next((r for r in range(mark, mark + 5) if _text(grid, r) == "Projekt"), None)
    if head is None:
        return {}
    calc = savings(m)
    o = m.oekonomi
    costs = {name_key(u.projekt): u for u in o.udgifter}
    projects = {name_key(x.projekt): x for x in calc.projekter}
    out: dict[tuple[int, int], object] = {}
    r = head + 1
    while r <= len(grid) and _text(grid, r):
        name = name_key(_text(grid, r))
        x = calc.total if name == name_key(TOTAL) else projects.get(name)
        if x is None:
            break
        values: list[object] = [x.effekt_i_alt, x.aarlig_besparelse, x.udgift_pr_aar]
        if x is calc.total:
            values += [None, None]
        else:
            u = costs.get(name)
            start = month_start(u.start) if u and u.start else month_start(o.start)
            values += [datetime(start.year, start.month, 1), (u and u.maaneder) or o.maaneder]
        values += [x.udgift_i_alt, x.besparelse_i_alt, x.nettoprovenu]
        reached = x.tjent_ind
        values.append(datetime(reached.year, reached.month, 1) if reached else NOT_REACHED)
        out.update({(r, c): v for c, v in enumerate(values, start=2) if v is not None})
        r += 1
    return out


def _text(grid: list[list[object]], r: int) -> str:
    v = grid[r - 1][0] if r - 1 < len(grid) and grid[r - 1] else None
    return v.strip() if isinstance(v, str) else ""


def fill_values(
    view: WorkbookView, warnings: list[str], oekonomi: Oekonomi | None = None
) -> WorkbookView:
    """The view with the Måltal sheet's uncomputed formula cells replaced by xlstatus's
    values (cells already holding values are left as they are)."""
    sv = next((s for s in view.sheets if s.name == SHEET), None)
    if sv is None or not any(is_formula(v) for row in sv.grid for v in row):
        return view
    try:
        values = computed_cells(sv, oekonomi)
    except XlstatusError as exc:
        warnings.append(f"Måltal-arket kan ikke læses, så dets tal er ikke regnet ud: {exc}")
        return view
    grid = [list(r) for r in sv.grid]
    for (r, c), v in values.items():
        if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) and is_formula(grid[r - 1][c - 1]):
            grid[r - 1][c - 1] = v
    filled = SheetView(sv.name, grid, sv.notes, sv.formats)
    return replace(view, sheets=[filled if s is sv else s for s in view.sheets])


__all__ = ["computed_cells", "fill_values", "is_formula"]
