"""What the committee copy changes on a recognised statusskema sheet. Pure: grids in,
plain data out (the openpyxl adapter in `kopi` applies it).

For the copy's measurement month M:

- month columns after M are emptied (values, colours, notes);
- every column up to M, and the start measurement, is suppressed (`diskretion`): a hidden
  cell shows `.` without colour or note; a hidden share in `17 (.)` form keeps its count;
- the chart data of every targeted row (`grafer.chart_data`) uses the values as shown.

The counts behind a cell come from the cell itself (`antal`, `17 (17 pct.)`) or, for
shares and averages, from the `Data` table (antal, population) of that month.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from xlstatus.kerne.formatering import EMPTY, number_da
from xlstatus.kerne.skema import Row
from xlstatus.kerne.status import Tolerance
from xlstatus.plan.data import DataRow
from xlstatus.plan.layout import SheetLayout, is_blank
from xlstatus.plan.skemaer import parse_value
from xlstatus.udvalg.diskretion import HIDE, HIDE_SHARE, Figure, exempt, sum_groups, suppress
from xlstatus.udvalg.grafer import ChartData, chart_data

HIDDEN = "."
_COUNT = re.compile(r"^\s*[✔●✖]?\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*\(")
_DATA_DATE = re.compile(r"seneste dato:?\s*(\d{1,2})-(\d{1,2})-(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class CellChange:
    """A cell of the copy: `value` replaces the cell; `kind` says why.

    kind: 'skjul' (hidden: '.', no colour, no note), 'andel' (share hidden: the count
    stays), 'tom' (a month after M: emptied, no colour, no note)."""

    row: int
    col: int
    value: object
    kind: str


@dataclass
class SheetCopy:
    sheet: str
    layout: SheetLayout
    changes: list[CellChange] = field(default_factory=list)
    charts: list[ChartData] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return sum(c.kind in (HIDE, HIDE_SHARE) for c in self.changes)

    @property
    def schema(self):
        return self.layout.schema


def _cell(grid: list[list[object]], r: int, c: int) -> object:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


def count_in_text(value: object) -> int | None:
    """The count of an `antal_andel` text: '17 (17 pct.)' -> 17, '1.234 (5 pct.)' -> 1234."""
    if not isinstance(value, str):
        return None
    m = _COUNT.match(value)
    return int(m[1].replace(".", "")) if m else None


def has_value(value: object) -> bool:
    return not is_blank(value) and value not in (EMPTY, HIDDEN)


def filled_months(layout: SheetLayout, grid: list[list[object]]) -> set[date]:
    """Months with a value in any computed (non-manual) row of the sheet."""
    out = set()
    rows = [r for key, r in layout.rows.items() if not layout.schema.row(*key).manual]
    for month, c in layout.month_cols.items():
        if any(has_value(_cell(grid, r, c)) for r in rows):
            out.add(month)
    return out


def data_date(grids: list[list[list[object]]]) -> date | None:
    """The extract's latest date as the sheets' measurement line states it."""
    for grid in grids:
        for row in grid[:10]:
            for v in row[:3]:
                if isinstance(v, str) and (m := _DATA_DATE.search(v)):
                    try:
                        return date(int(m[3]), int(m[2]), int(m[1]))
                    except ValueError:
                        continue
    return None


def figure(
    row: Row, value: object, number_format: str | None, data: DataRow | None, start: bool = False
) -> Figure | None:
    """What suppression needs of one cell; None for an empty cell."""
    if not has_value(value):
        return None
    if exempt(row) or row.fmt == "tekst":
        return Figure(None, exempt=True)
    population = data.population if data is not None else None
    if row.fmt == "antal":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Figure(round(float(value)))
        x = parse_value(value, "antal", number_format)
        return Figure(round(x) if x is not None else None)
    if row.fmt == "antal_andel":
        count = count_in_text(value)
        if count is None and isinstance(value, int | float):
            count = round(float(value))
        if start and count is None:
            count = row.start_antal
        return Figure(count, population)
    # andel and uger: the persons/forløb behind the share or the average
    count = data.antal if data is not None else None
    return Figure(count, population if row.fmt == "andel" else None)


def hidden_value(row: Row, value: object, kind: str) -> object:
    """What a hidden cell shows: '.', or for a hidden share of `17 (17 pct.)` '17 (.)'."""
    if kind == HIDE_SHARE and row.fmt == "antal_andel":
        count = count_in_text(value)
        if count is not None:
            return f"{number_da(count)} ({HIDDEN})"
    return HIDDEN


def plan_sheet(
    layout: SheetLayout,
    grid: list[list[object]],
    formats: Mapping[tuple[int, int], str],
    data: Mapping[tuple[str, str, str, date], DataRow],
    month: date,
    threshold: int,
    tol: Tolerance = Tolerance(),
) -> SheetCopy:
    """Everything the committee copy of month `month` changes on one schema sheet."""
    schema = layout.schema
    out = SheetCopy(layout.sheet, layout)
    groups = sum_groups(schema)
    rows = [(row, layout.rows[row.key]) for row in schema.rows if row.key in layout.rows]
    columns: list[tuple[int, date | None]] = []
    if layout.start_col is not None:
        columns.append((layout.start_col, None))
    for m, c in sorted(layout.month_cols.items()):
        if m > month:
            for _row, r in rows:
                if not is_blank(_cell(grid, r, c)) or (r, c) in formats:
                    out.changes.append(CellChange(r, c, None, "tom"))
        else:
            columns.append((c, m))

    shown: dict[tuple[int, int], object] = {}
    for c, m in columns:
        figures: dict[tuple[str, str], Figure] = {}
        for row, r in rows:
            d = data.get((schema.projekt, row.sektion, row.label, m)) if m else None
            f = figure(row, _cell(grid, r, c), formats.get((r, c)), d, start=m is None)
            if f is not None:
                figures[row.key] = f
        hide = suppress(figures, groups, threshold)
        for row, r in rows:
            value = _cell(grid, r, c)
            kind = hide.get(row.key)
            if kind is not None:
                out.changes.append(CellChange(r, c, hidden_value(row, value, kind), kind))
                continue
            if has_value(value):
                shown[(r, c)] = value

    for row, r in rows:
        if not row.targeted:
            continue
        values: dict[date, float | None] = {}
        for m, c in layout.month_cols.items():
            v = shown.get((r, c))
            values[m] = parse_value(v, row.fmt, formats.get((r, c))) if v is not None else None
        start = None
        if layout.start_col is not None and (r, layout.start_col) in shown:
            v = shown[(r, layout.start_col)]
            start = parse_value(v, row.fmt, formats.get((r, layout.start_col)))
        out.charts.append(chart_data(schema, row, values, month, start, tol))
    return out


PRINT_WIDTH_PX = 1046  # A4 landscape inside 0,4" margins, at 96 dpi
MIN_SCALE = 0.8  # print at 80 % or more, so 11 pt text stays readable
MAX_MONTHS = 12
MIN_MONTHS = 3


def column_px(width: float | None) -> int:
    """A column's width in pixels (Calibri 11: 7 px per character plus padding)."""
    return int((width if width else 8.43) * 7 + 5)


def visible_months(
    month_widths: list[tuple[date, float | None]], fixed_px: int, month: date
) -> list[date]:
    """The months the printed table shows: the latest ones up to `month`, as many as fit
    on an A4 landscape page at 80 % or more beside the fixed columns (label, start,
    milestones), at least 3 and at most 12. The rest are folded away (outline)."""
    budget = PRINT_WIDTH_PX / MIN_SCALE - fixed_px
    chosen: list[date] = []
    for m, width in sorted(month_widths, reverse=True):
        if m > month:
            continue
        need = column_px(width)
        if len(chosen) >= MAX_MONTHS or (len(chosen) >= MIN_MONTHS and need > budget):
            break
        chosen.append(m)
        budget -= need
    return sorted(chosen)


def as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


__all__ = [
    "HIDDEN",
    "CellChange",
    "SheetCopy",
    "column_px",
    "count_in_text",
    "data_date",
    "figure",
    "filled_months",
    "has_value",
    "hidden_value",
    "plan_sheet",
    "visible_months",
]
