"""The analyses in the committee copy: Overblik (Tidlig varsling), Vandringer and the
Prognose column, for the copy's own month. Pure (views and model pages).

- One month (issue 18, item 2): the workbook's analyses belong to the month of its last
  Opdater run (the month their info line states). When that is not the copy's month M,
  they are computed for M (`one_month`) with the same functions Opdater uses — the
  prognoses from the Data table (and the extract for months it lacks), the vandringer from
  the extract — written into a copy of the view. Without an extract the copy stops with a
  Danish message naming both months.
- Vandringer: each table's small counts are hidden (`diskretion.suppress`, the table's
  `I alt` as the sum its categories add up to); a share whose count is hidden goes too.
- Prognoses: a projection of a row whose value for M is hidden is hidden as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.formatering import number_da, pct_da
from xlstatus.kerne.noegler import spaceless_key
from xlstatus.kerne.skema import Row
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.data import CellWrite, SheetView, WorkbookView
from xlstatus.plan.layout import SheetLayout, is_blank
from xlstatus.udvalg import tekster
from xlstatus.udvalg.diskretion import HIDE, HIDE_SHARE, Figure, SumGroup, suppress
from xlstatus.udvalg.model import (
    HEADER_FILL,
    Block,
    Cell,
    Chart,
    Heading,
    Page,
    Paragraph,
    Series,
    Table,
)
from xlstatus.udvalg.plan import HIDDEN, SheetCopy
from xlstatus.udvalg.visning import info_month, printable, target_text, text_of, with_symbol

TOTAL = "I alt"


def _cell(grid: list[list[object]], r: int, c: int) -> object:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


# --------------------------------------------------------------------------- one month


def analyses_month(view: WorkbookView) -> date | None:
    """The month the workbook's analyses belong to (Overblik's, else Vandringer's)."""

    for name in (bog_tekster.OVERBLIK, bog_tekster.VANDRINGER):
        if any(s.name == name for s in view.sheets):
            m = info_month(view.sheet(name).grid)
            if m is not None:
                return m
    return None


def apply_writes(view: WorkbookView, writes: Sequence[CellWrite]) -> WorkbookView:
    """A copy of the view with the writes' values and number formats in it."""
    by_sheet: dict[str, list[CellWrite]] = {}
    for w in writes:
        by_sheet.setdefault(w.sheet, []).append(w)
    sheets = []
    for sv in view.sheets:
        todo = by_sheet.get(sv.name)
        if not todo:
            sheets.append(sv)
            continue
        grid = [list(r) for r in sv.grid]
        formats = dict(sv.formats)
        width = max([len(r) for r in grid] + [w.col for w in todo])
        for row in grid:
            row.extend([None] * (width - len(row)))
        for w in todo:
            while len(grid) < w.row:
                grid.append([None] * width)
            if w.set_value:
                grid[w.row - 1][w.col - 1] = w.value
            if w.number_format is not None:
                formats[(w.row, w.col)] = w.number_format
        sheets.append(SheetView(sv.name, grid, dict(sv.notes), formats))
    return replace(view, sheets=sheets)


def recompute(view: WorkbookView, layouts: Sequence[SheetLayout], month: date, extract):
    """The view with the Prognose column, Overblik and Vandringer of `month`, computed
    from the Data table and the extract as Opdater computes them."""
    from xlstatus.kerne.analyser import vandringer as compute_vandringer
    from xlstatus.plan import overblik, vandringer
    from xlstatus.skabelonfiler import load_schemas

    schemas = [lay.schema for lay in layouts]
    settings = view.settings
    history = overblik.computed_history(
        extract, schemas, view.data, month, settings.maaledag, settings.tolerance
    )
    values = overblik.history_values(view.data, [], month, history)
    writes: list[CellWrite] = []
    prognoses = []
    for lay in layouts:
        found = overblik.sheet_prognoses(lay, values, month)
        writes += overblik.prognose_writes(lay, view.sheet(lay.sheet), found)
        prognoses += found
    names = {s.name for s in view.sheets}
    if bog_tekster.OVERBLIK in names:
        writes += overblik.overblik_writes(prognoses, month)
    if bog_tekster.VANDRINGER in names:
        grid = view.sheet(bog_tekster.VANDRINGER).grid
        groups = vandringer.sheet_groups(grid) or vandringer.groups_for(
            settings.vandringer, load_schemas()
        )
        v = compute_vandringer(extract, month, settings.maaledag, maalgrupper=groups)
        writes += vandringer.vandringer_writes(v, groups)
    return apply_writes(view, writes)


def one_month(view: WorkbookView, layouts: Sequence[SheetLayout], month: date, opts):
    """The view whose analyses are the copy's month (see the module text)."""
    have = analyses_month(view)
    if have is None or have == month:
        return view
    extract = opts.extract() if opts.extract is not None else None
    if extract is None:
        raise WorkbookError(tekster.other_month(have, month))
    opts.warnings.append(tekster.recomputed_line(have, month))
    return recompute(view, layouts, month, extract)


# --------------------------------------------------------------------------- Prognose


def prognose_status(view: WorkbookView, layout: SheetLayout, month: date) -> dict:
    """row key -> 'groen'/'roed' for the Prognose cells of a book without number formats
    (xlwings Server/Lite send values only): the same prognosis, from the Data table."""
    from xlstatus.plan import overblik

    values = overblik.history_values(view.data, [], month)
    out = {}
    for rp in overblik.sheet_prognoses(layout, values, month):
        p = rp.prognose
        if p.har_prognose and p.fremskrevet is not None:
            out[rp.row.key] = "groen" if p.naar_maalet else "roed"
    return out


def hidden_rows(copy: SheetCopy, month: date) -> set[int]:
    """The sheet rows whose value for the copy's month is hidden."""
    col = copy.layout.month_cols.get(month)
    return {ch.row for ch in copy.changes if ch.col == col and ch.kind in (HIDE, HIDE_SHARE)}


def hidden_keys(copies: Sequence[SheetCopy], month: date) -> set[tuple[str, str]]:
    """(projekt, label key of 'Sektion: label') of every row hidden for the month."""
    from xlstatus.plan.overblik import row_label

    out = set()
    for copy in copies:
        gone = hidden_rows(copy, month)
        for row in copy.schema.rows:
            r = copy.layout.rows.get(row.key)
            if r in gone:
                out.add((copy.schema.projekt, spaceless_key(row_label(row))))
    return out


# --------------------------------------------------------------------------- Overblik


def _rows_by_label(copies: Sequence[SheetCopy]) -> dict[tuple[str, str], Row]:
    from xlstatus.plan.overblik import row_label

    return {
        (c.schema.projekt, spaceless_key(row_label(r))): r for c in copies for r in c.schema.rows
    }


def _num_text(row: Row | None, v: object) -> str:

    if isinstance(v, int | float) and not isinstance(v, bool) and row is not None:
        return target_text(row, float(v))
    return text_of(v)


def overblik_page(
    view: WorkbookView, copies: Sequence[SheetCopy], month: date, day: date | None
) -> Page:
    from xlstatus.plan.overblik import HEADER_ROW, MAX_ENTRIES

    grid = view.sheet(bog_tekster.OVERBLIK).grid
    blocks: list[Block] = []
    for r in range(2, HEADER_ROW):
        text = printable(text_of(_cell(grid, r, 1)))
        if text:
            blocks.append(Paragraph(text, "note" if r == 2 else "normal"))
    head = [
        Cell(text_of(_cell(grid, HEADER_ROW, c)), header=True, bold=True, fill=HEADER_FILL)
        for c in range(1, 8)
    ]
    rows = _rows_by_label(copies)
    gone = hidden_keys(copies, month)
    body: list[list[Cell]] = []
    for r in range(HEADER_ROW + 1, HEADER_ROW + 2 + MAX_ENTRIES):
        first = _cell(grid, r, 1)
        if is_blank(first):
            continue
        if all(is_blank(_cell(grid, r, c)) for c in range(2, 8)):
            blocks_after = Paragraph(text_of(first), "normal")
            if not body:
                blocks.append(blocks_after)
            else:
                body.append([Cell(text_of(first), colspan=7)])
            continue
        key = (str(first), spaceless_key(str(_cell(grid, r, 2) or "")))
        row = rows.get(key)
        hidden = key in gone
        cells = [Cell(text_of(first)), Cell(text_of(_cell(grid, r, 2)), header=True)]
        cells.append(Cell(text_of(_cell(grid, r, 3), "mmm-yy"), align="center"))
        cells.append(Cell(_num_text(row, _cell(grid, r, 4)), align="center"))
        for c in (5, 6):
            if hidden:
                cells.append(Cell(HIDDEN, suppressed=True, align="center"))
                continue
            text = _num_text(row, _cell(grid, r, c))
            if c == 5 and text:
                cells.append(Cell(with_symbol(text, "roed"), status="roed", align="center"))
            else:
                cells.append(Cell(text, align="center"))
        cells.append(Cell(text_of(_cell(grid, r, 7))))
        body.append(cells)
    if body:
        widths = [26.0, 52.0, 10.0, 10.0, 12.0, 10.0, 18.0]
        blocks.append(Table([head], body, 2, widths, name="Tidlig varsling"))
    return Page(
        bog_tekster.OVERBLIK_TITLE,
        bog_tekster.OVERBLIK,
        blocks,
        "overblik",
        tekster.header_right(month, day),
    )


# --------------------------------------------------------------------------- Vandringer


def _count(v: object) -> int | None:
    return int(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def vandringer_hidden(grid, block, threshold: int) -> set[tuple[int, int]]:
    """(row, count column) of every hidden count of one group's two tables."""
    from xlstatus.plan.vandringer import SLOTS, TABLE_COLS

    out: set[tuple[int, int]] = set()
    for col in TABLE_COLS.values():
        figures: dict[object, Figure] = {}
        for i in range(SLOTS):
            n = _count(_cell(grid, block.first + i, col + 1))
            if n is not None:
                figures[block.first + i] = Figure(n)
        figures[TOTAL] = Figure(_count(_cell(grid, block.total, col + 1)))
        group = SumGroup(TOTAL, tuple(k for k in figures if k != TOTAL))
        for key, kind in suppress(figures, [group], threshold).items():
            if kind == HIDE:
                out.add((block.total if key == TOTAL else int(key), col + 1))  # type: ignore[call-overload]
    return out


def flow_chart(grid, block, col: int, gone: set[tuple[int, int]], title: str) -> Chart:
    """A bar chart of one table's counts (a hidden count has no bar)."""
    from xlstatus.plan.vandringer import SLOTS

    labels, values = [], []
    for r in range(block.first, block.first + SLOTS):
        label = text_of(_cell(grid, r, col))
        n = _count(_cell(grid, r, col + 1))
        if not label or n is None:
            continue
        labels.append(label)
        values.append(None if (r, col + 1) in gone else float(n))
    shown = [(lab, v) for lab, v in zip(labels, values, strict=True) if v is not None]
    alt = f"Liggende søjlediagram: {title}, antal forløb pr. kategori." + "".join(
        f" {lab}: {number_da(v)}." for lab, v in shown[:3]
    )
    empty = None if shown else tekster.empty_chart_line(title)
    return Chart(title, "forløb", "hbar", labels, [Series("Antal", values)], False, alt, empty)


def flow_charts(grid, block, gone: set[tuple[int, int]]) -> list[Chart]:
    from xlstatus.plan.vandringer import TABLE_COLS

    out = []
    for col in TABLE_COLS.values():
        head = str(_cell(grid, block.header, col) or "")
        out.append(flow_chart(grid, block, col, gone, f"{block.maalgruppe}: {head.lower()}"))
    return out


def vandringer_page(
    view: WorkbookView, month: date, day: date | None, threshold: int
) -> tuple[Page, int]:
    """The Vandringer page and how many counts it hides."""
    from xlstatus.plan.vandringer import FIRST_BLOCK, SLOTS, TABLE_COLS, blocks, sheet_groups

    grid = view.sheet(bog_tekster.VANDRINGER).grid
    out: list[Block] = []
    for r in range(2, FIRST_BLOCK - 1):
        text = printable(text_of(_cell(grid, r, 1)))
        if text:
            out.append(Paragraph(text, "note" if r == 2 else "normal"))
    n_hidden = 0
    for block in blocks(sheet_groups(grid)):
        gone = vandringer_hidden(grid, block, threshold)
        n_hidden += len(gone)
        head = []
        for col in TABLE_COLS.values():
            for i in range(3):
                text = text_of(_cell(grid, block.header, col + i))
                align = "left" if i == 0 else "center"
                head.append(Cell(text, header=True, bold=True, fill=HEADER_FILL, align=align))
        body = []
        for r in [*range(block.first, block.first + SLOTS), block.total]:
            cells: list[Cell] = []
            for col in TABLE_COLS.values():
                label, count, share = (_cell(grid, r, col + i) for i in range(3))
                bold = r == block.total
                if (r, col + 1) in gone:
                    cells += [
                        Cell(text_of(label), bold=bold),
                        Cell(HIDDEN, suppressed=True, align="center"),
                        Cell(HIDDEN, suppressed=True, align="center"),
                    ]
                    continue
                n = _count(count)
                cells += [
                    Cell(text_of(label), bold=bold),
                    Cell(number_da(n) if n is not None else "", n, bold=bold, align="center"),
                    Cell(
                        pct_da(float(share), 1) if _count(share) is not None else "",  # type: ignore[arg-type]
                        share if _count(share) is not None else None,  # type: ignore[arg-type]
                        bold=bold,
                        align="center",
                    ),
                ]
            if any(c.text for c in cells):
                body.append(cells)
        out.append(Heading(text_of(_cell(grid, block.top, 1)), 2))
        out.append(
            Table([head], body, 0, [30.0, 9.0, 10.0] * 2, name=f"Vandringer {block.maalgruppe}")
        )
        out += flow_charts(grid, block, gone)
    if threshold > 0:
        out.append(Paragraph(tekster.suppression_line(threshold), "note"))
    title = text_of(_cell(grid, 1, 1)) or bog_tekster.VANDRINGER_TITLE
    page = Page(title, bog_tekster.VANDRINGER, out, "vandringer", tekster.header_right(month, day))
    return page, n_hidden


__all__ = [
    "analyses_month",
    "apply_writes",
    "hidden_keys",
    "hidden_rows",
    "one_month",
    "overblik_page",
    "prognose_status",
    "recompute",
    "vandringer_hidden",
    "vandringer_page",
]
