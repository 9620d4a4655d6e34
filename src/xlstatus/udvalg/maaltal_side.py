"""The Måltal page of the committee copy, from the Måltal sheet's values. Pure.

The sheet's printed part is everything above `Måned for måned` (the monthly schedule stays
out, as do the charts built on it): the lines table, `Projekter fordelt på grupper`,
`Faktisk mod mål` and `Økonomi`. Each becomes a real table (a header row, one row per
line), so no two columns run together on paper; a group row reads as a bold row; a total
row says "I alt" once; the sheet's instructions and placeholder warnings are left out.

The values are the sheet's own (Excel's or LibreOffice's) or, where its formulas carry no
values, xlstatus's (`maaltal_vaerdier.fill_values`, applied by every route first). A row
still without values (a formula text left: the price row, Økonomi) stays out, a table
without any gets a sentence instead, and the person is told.
"""

from __future__ import annotations

from datetime import date

from xlstatus.plan.data import SheetView
from xlstatus.plan.layout import is_blank
from xlstatus.udvalg import tekster
from xlstatus.udvalg.model import HEADER_FILL, Block, Cell, Heading, Page, Paragraph, Table
from xlstatus.udvalg.visning import printable, screen_only, status_of_symbol, text_of, with_symbol

MARK_MONTHS = "Måned for måned"
MARKS = ("Projekter fordelt på grupper", "Faktisk mod mål", "Økonomi")  # the tables' titles
MAX_COLS = 10
TOTAL_TYPE = "I alt"
WIDTHS = [22.0, 24.0, 11.0, 20.0, 12.0, 10.0, 10.0, 20.0, 16.0, 10.0]


def _row(grid: list[list[object]], r: int) -> list[object]:
    row = list(grid[r - 1]) if r - 1 < len(grid) else []
    return (row + [None] * MAX_COLS)[:MAX_COLS]


def _end(grid: list[list[object]]) -> int:
    for r in range(1, len(grid) + 1):
        if str(_row(grid, r)[0] or "").strip().startswith(MARK_MONTHS):
            return r - 1
    return len(grid)


def _cells(sv: SheetView, r: int, width: int, header: bool) -> list[Cell]:

    out = []
    for c, v in enumerate(_row(sv.grid, r)[:width], start=1):
        nf = sv.formats.get((r, c))
        text = text_of(v, nf)
        status = None if header else status_of_symbol(v, nf)
        if status:
            text = with_symbol(text, status)
        number = isinstance(v, int | float) and not isinstance(v, bool)
        out.append(
            Cell(
                text,
                v if number else (text or None),
                status=status,  # type: ignore[arg-type]
                header=header or c == 1,
                bold=header,
                fill=HEADER_FILL if header else None,
                align="right" if number else ("center" if header else "left"),
            )
        )
    return out


def _table(sv: SheetView, rows: list[int], name: str) -> Table:
    width = max(
        max((c for c, v in enumerate(_row(sv.grid, r), start=1) if not is_blank(v)), default=1)
        for r in rows
    )
    header = _cells(sv, rows[0], width, True)
    body: list[list[Cell]] = []
    for r in rows[1:]:
        values = _row(sv.grid, r)
        cells = _cells(sv, r, width, False)
        if not is_blank(values[0]) and all(is_blank(v) for v in values[1:4]):
            # a group row of the lines table: its name, bold, across the table
            body.append([Cell(cells[0].text, bold=True, header=True, colspan=width)])
            continue
        if str(values[2] or "").strip() == TOTAL_TYPE and width > 2:
            first = [Cell(c.text, c.value, bold=True, header=c.header) for c in cells[:2]]
            rest = [Cell(c.text, c.value, None, c.status, True, c.align) for c in cells[3:]]
            cells = [*first, Cell(""), *rest]
        body.append(cells)
    return Table([header], body, 1, WIDTHS[:width], name=name)


def maaltal_page(sv: SheetView, month: date, day: date | None, warnings: list[str]) -> Page | None:
    """The page, or None (and a warning) when the sheet's formulas have no values."""

    grid = sv.grid
    dropped = 0
    end = _end(grid)
    title = text_of(_row(grid, 1)[0]) or "Måltal"
    blocks: list[Block] = []
    run: list[int] = []
    heading = ""

    def flush() -> None:
        nonlocal run, heading, dropped
        rows = [r for r in run if not any(_formula(v) for v in _row(grid, r))]
        dropped += len(run) - len(rows)
        if len(rows) == 1:  # a line of facts (Periode …): a sentence, not a table
            values = enumerate(_row(grid, rows[0]), start=1)
            texts = [text_of(v, sv.formats.get((rows[0], c))) for c, v in values if not is_blank(v)]
            blocks.append(Paragraph(" · ".join(texts), "normal"))
        elif len(rows) > 1:
            blocks.append(_table(sv, rows, heading or title))
        elif run:
            blocks.append(Paragraph(tekster.MAALTAL_TABLE_MISSING, "note"))
        run = []

    for r in range(2, end + 1):
        values = _row(grid, r)
        filled = [v for v in values if not is_blank(v)]
        if not filled:
            flush()
            continue
        if len(filled) == 1 and not is_blank(values[0]):
            flush()
            text = text_of(values[0])
            if screen_only(text) or text.startswith("="):
                text = printable(text) if not text.startswith("=") else ""
            if not text:
                continue
            if text.startswith(MARKS) and _next_is_table(grid, r, end):
                heading = text
                blocks.append(Heading(text, 2))
            else:
                blocks.append(Paragraph(text, "note"))
            continue
        run.append(r)
    flush()
    if dropped:
        warnings.append(tekster.MAALTAL_MISSING)
    return Page(title, "Måltal", blocks, "maaltal", tekster.header_right(month, day))


def _formula(v: object) -> bool:
    """A formula no engine has computed (its text is all the view has)."""
    return isinstance(v, str) and v.startswith("=")


def _next_is_table(grid: list[list[object]], r: int, end: int) -> bool:
    """Does a table (a row of several cells) follow this line before an empty row?"""
    for x in range(r + 1, end + 1):
        filled = [v for v in _row(grid, x) if not is_blank(v)]
        if not filled:
            return False
        if len(filled) > 1:
            return True
    return False


__all__ = ["maaltal_page"]
