"""Måltal's values where no spreadsheet engine has computed its formulas (issue 18, item 4).
Pure: the view in, the view out.

A workbook written by xlstatus carries formulas on the Måltal sheet and no cached values;
without Excel or LibreOffice they would print as nothing. The copy takes the figures from
xlstatus's own Måltal computation (`kerne.maaltal`) over the lines table the sheet holds —
the same numbers the formulas give (a test compares them with LibreOffice's):

- the lines table: `Sum af linjer` of each group (`Group.sum`) and `Kontrol`;
- `Projekter fordelt på grupper`: `project_matrix` (projects × groups, totals);
- `Faktisk mod mål`: `Mål` (`Maalepunkt.maal`) and `Forskel` (Faktisk − Mål).

The price row and `Økonomi` depend on prices and costs kept on Indstillinger under names;
where those formulas have no values they stay out of the copy (`maaltal_side` says so).
"""

from __future__ import annotations

from dataclasses import replace

from xlstatus.kerne.errors import XlstatusError
from xlstatus.plan.data import SheetView, WorkbookView

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


def computed_cells(sv: SheetView) -> dict[tuple[int, int], object]:
    """(row, col) -> xlstatus's value of every formula cell it can compute."""
    from xlstatus.kerne.maaltal import maalepunkter, project_matrix
    from xlstatus.kerne.noegler import spaced_key as name_key
    from xlstatus.plan.maaltal import MARK_ACTUAL, MARK_MATRIX, read_table
    from xlstatus.skabelonfiler import load_maaltal

    template = load_maaltal()
    m, layout = read_table(sv.grid, sv.name, template, template.oekonomi)
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
                break  # the price row: prices live on Indstillinger
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
    return out


def fill_values(view: WorkbookView, warnings: list[str]) -> WorkbookView:
    """The view with the Måltal sheet's uncomputed formula cells replaced by xlstatus's
    values (cells already holding values are left as they are)."""
    sv = next((s for s in view.sheets if s.name == SHEET), None)
    if sv is None or not any(is_formula(v) for row in sv.grid for v in row):
        return view
    try:
        values = computed_cells(sv)
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
