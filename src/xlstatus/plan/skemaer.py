"""What one Opdater run changes in a workbook, as plain data. Pure: no I/O, no workbook.

`make_plan(view, recognition, results, month, run)` takes

- a `WorkbookView`: each candidate sheet's cell values (a grid), notes and number
  formats, the record of what xlstatus last wrote (`RecordRow`, kept in the very hidden
  sheet `_xlstatus`), the `Data` table and the settings;
- the recognised layouts (`layout.recognise_workbook`) and the engine's `RowResult`s for
  month M (`indikatorer.compute_month`);

and returns an `OpdaterPlan`. A front end applies it in this order (see `fil.apply_plan`
for openpyxl; desktop Excel / xlwings implement the same five steps):

1. `inserts`: insert one empty column per `ColumnInsert` (in list order) at `col`,
   shifting everything right of it; copy width and cell styles from `style_from`, but
   not xlstatus's status fills/fonts, symbols or notes;
2. `writes`: for each `CellWrite` at (sheet, row, col) — coordinates are after all
   inserts — set the value when `set_value` (strings are always literal text, never
   formulas), the number format when not None, the status look when `style`
   (`stil.FILL`/`stil.FONT`; status None removes only xlstatus's own fills and font
   colours), and the note when not None ('' removes xlstatus's note; a note written by
   a person is never in a plan);
3. `data`: replace the rows of the `Data` table (`DATA_COLUMNS`) by `data`;
4. `record`: replace the rows of `_xlstatus` (`RECORD_COLUMNS`) by `record`;
5. `log`: append `log.cells()` as one row of the `Log` sheet (`LOG_COLUMNS`).

Rules (arbejdsbog.md, "Nothing is lost"): a month cell is written when it is empty,
still holds what xlstatus last wrote there, or already holds the computed value;
otherwise a person changed it and it is skipped (listed in `skipped`) unless
`overwrite`. `manuel` rows are never written. Every filled month cell of every targeted
row is coloured again by its value — the exact value xlstatus computed, or the value a
person typed, read the Danish way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from xlstatus.kerne.indikatorer import RowResult, targets_for
from xlstatus.kerne.skema import Row, Schema
from xlstatus.kerne.status import STATUS_TEXT, Tolerance, assess
from xlstatus.kerne.tid import month_label
from xlstatus.plan import overblik, stil, tekster, vandringer
from xlstatus.plan.data import (
    Analyser,
    CellWrite,
    ColumnInsert,
    DataRow,
    LogEntry,
    OpdaterPlan,
    RecordRow,
    RunInfo,
    SheetView,
    SkippedCell,
    WorkbookView,
    column_letter,
)
from xlstatus.plan.indstillinger import Settings
from xlstatus.plan.layout import Column, Recognition, SheetLayout, is_blank

# --------------------------------------------------------------------------- value helpers

_NUMBER = re.compile(r"-?\d[\d.]*(?:,\d+)?|-?\d+(?:\.\d+)?")


def same(a: object, b: object) -> bool:
    """Is cell value a the value b (numbers within rounding, text ignoring spaces)?"""
    if is_blank(a) and is_blank(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    if isinstance(a, datetime | date) or isinstance(b, datetime | date):
        return a == b
    return False


def _danish_number(text: str, fmt: str) -> float | None:
    t = text.strip().replace(" ", "").replace("\xa0", "")
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", t) and fmt == "antal":
        t = t.replace(".", "")
    try:
        return float(t)
    except ValueError:
        return None


def parse_value(value: object, fmt: str, number_format: str | None = None) -> float | None:
    """The compared value of a cell a person typed: a count, a share in percent or weeks.

    17 → 17; '87,9 pct.' → 87.9; '17 (17 pct.)' → 17 (the share); 0.25 shown as 25 % → 25;
    '18,8*' → 18.8; '–', '.', text without a number → None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        x = float(value)
        if fmt in ("andel", "antal_andel") and "%" in stil.strip_symbol(number_format):
            x *= 100
        return x
    if not isinstance(value, str):
        return None
    text = value.replace("✔", "").replace("●", "").replace("✖", "").strip()
    if fmt == "antal_andel":
        m = re.search(r"\(\s*(-?[\d.,]+)\s*(?:pct\.?|%)\s*\)", text)
        return _danish_number(m[1], "andel") if m else None
    m = re.search(r"-?[\d.,]*\d", text)
    if not m:
        return None
    x = _danish_number(m[0], fmt)
    if x is not None and fmt == "andel" and "%" in text and "pct" not in text:
        return x
    return x


def latest_month(record: list[RecordRow], projekt: str) -> date | None:
    months = [r.maaned for r in record if r.projekt == projekt]
    return max(months) if months else None


# --------------------------------------------------------------------------- planning


def insert_position(layout: SheetLayout, month: date) -> tuple[int, int]:
    """(column for a new month column, column to copy its look from — before the insert).

    Right after the last earlier month (or the start column), unless a later month or
    milestone comes first; else before the first later month or milestone; else after
    the last header column."""
    cols = layout.columns
    earlier = [c for c in cols if c.month and c.month < month and c.kind in ("month", "start")]
    later = [
        c
        for c in cols
        if c.month
        and c.kind in ("month", "milestone")
        and (c.month > month or (c.kind == "milestone" and c.month >= month))
    ]
    first_later = min((c.col for c in later), default=None)
    if earlier:
        last = max(earlier, key=lambda c: c.col)
        if first_later is None or last.col < first_later:
            return last.col + 1, last.col
    if first_later is not None:
        return first_later, first_later
    used = [c.col for c in cols if c.kind != "other" or c.header]
    end = max(used, default=layout.label_col)
    return end + 1, end


def _shift_layout(layout: SheetLayout, col: int, month: date) -> SheetLayout:
    columns: list[Column] = []
    for c in layout.columns:
        columns.append(Column(c.col + 1 if c.col >= col else c.col, c.kind, c.month, c.header))
    columns.append(Column(col, "month", month, month_label(month)))
    columns.sort(key=lambda c: c.col)
    return SheetLayout(
        sheet=layout.sheet,
        schema=layout.schema,
        score=layout.score,
        header_row=layout.header_row,
        label_col=layout.label_col,
        columns=tuple(columns),
        rows=layout.rows,
        section_rows=layout.section_rows,
        unknown=layout.unknown,
        last_row=layout.last_row,
        xlstatus_rows=layout.xlstatus_rows,
    )


def _shift_view(view: SheetView, col: int) -> SheetView:
    grid = [
        [*row[: col - 1], None, *row[col - 1 :]] if len(row) >= col else list(row)
        for row in view.grid
    ]

    def move(d: dict) -> dict:
        return {(r, c + 1 if c >= col else c): v for (r, c), v in d.items()}

    return SheetView(view.name, grid, move(view.notes), move(view.formats))


def _get(view: SheetView, r: int, c: int) -> object:
    if r - 1 < len(view.grid) and c - 1 < len(view.grid[r - 1]):
        return view.grid[r - 1][c - 1]
    return None


def _last_used_row(view: SheetView) -> int:
    last = 0
    for i, row in enumerate(view.grid, start=1):
        if any(not is_blank(v) for v in row):
            last = i
    return last


def legend_writes(sheet: str, row: int, col: int, info: str | None) -> list[CellWrite]:
    """The legend block: title, the three statuses (coloured, with symbol), explanation,
    and optionally the measurement line; one cell per row in column col."""
    out = [CellWrite(sheet, row, col, tekster.LEGEND_TITLE, True, stil.TEXT_FORMAT, bold=True)]
    for i, (status, text) in enumerate(stil.legend_items(), start=1):
        out.append(CellWrite(sheet, row + i, col, text, True, stil.TEXT_FORMAT, status, True))
    n = len(stil.STATUSES) + 1
    for i, line in enumerate(tekster.LEGEND_LINES):
        out.append(CellWrite(sheet, row + n + i, col, line, True, stil.TEXT_FORMAT))
    if info is not None:
        out.append(
            CellWrite(sheet, row + n + len(tekster.LEGEND_LINES), col, info, True, stil.TEXT_FORMAT)
        )
    return out


def notes_writes(sheet: str, row: int, col: int) -> list[CellWrite]:
    """The heading of the status notes area (bold) with its hint beside it; the rows below
    are the project lead's and never in a plan."""
    return [
        CellWrite(sheet, row, col, tekster.NOTES_TITLE, True, stil.TEXT_FORMAT, bold=True),
        CellWrite(sheet, row, col + 1, tekster.NOTES_HINT, True, stil.TEXT_FORMAT),
    ]


def _computed_text(row: Row, result: RowResult) -> str:
    value, _ = stil.cell_value(row, result.measurement)
    return tekster.value_text(row, value) if isinstance(value, int | float) else str(value)


@dataclass
class _SheetRun:
    """The state of one recognised sheet while its part of the plan is made."""

    layout: SheetLayout
    sheet: SheetView
    written: dict[tuple[int, int], tuple[object, RowResult]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.layout.sheet

    @property
    def schema(self) -> Schema:
        return self.layout.schema


def _ensure_month_column(plan: OpdaterPlan, run: _SheetRun, month: date) -> None:
    """Insert month M's column when the sheet has none (layout and view shift with it)."""
    layout = run.layout
    if month in layout.month_cols:
        return
    col, style_from = insert_position(layout, month)
    style_from = style_from + 1 if style_from >= col else style_from
    plan.inserts.append(ColumnInsert(layout.sheet, col, month, layout.header_row, style_from))
    run.layout = _shift_layout(layout, col, month)
    run.sheet = _shift_view(run.sheet, col)
    plan.writes.append(
        CellWrite(layout.sheet, layout.header_row, col, month, True, stil.MONTH_FORMAT)
    )


def _write_month(
    plan: OpdaterPlan, run: _SheetRun, by_row: dict, record: dict, month: date, overwrite: bool
) -> None:
    """Month M's values: which cells are written, skipped (a person's) or overwritten."""
    schema, layout = run.schema, run.layout
    mcol = layout.month_cols[month]
    for row in schema.rows:
        r = layout.rows.get(row.key)
        if r is None:
            plan.missing_rows.append((layout.sheet, row.label))
            continue
        if row.manual:
            plan.manual.append((layout.sheet, row.label))
            continue
        result = by_row.get((schema.projekt, row.key))
        if result is None:
            continue
        new, _ = stil.cell_value(row, result.measurement)
        current = _get(run.sheet, r, mcol)
        rec = record.get((schema.projekt, row.sektion, row.label, month))
        ours = (
            is_blank(current)
            or same(current, new)
            or (rec is not None and same(current, rec.skrevet))
        )
        if not ours:
            skip = SkippedCell(
                layout.sheet,
                r,
                mcol,
                row.label,
                month,
                current,
                _computed_text(row, result),
                "ændret af en person",
            )
            if not overwrite:
                plan.skipped.append(skip)
                continue
            plan.overwritten.append(skip)
        run.written[(r, mcol)] = (new, result)
        plan.cells_written += 1
        if not same(current, new):
            plan.cells_changed += 1
        record[(schema.projekt, row.sektion, row.label, month)] = RecordRow(
            schema.projekt, row.sektion, row.label, month, new, result.measurement.vaerdi
        )


@dataclass(frozen=True)
class _RowContext:
    row: Row
    r: int
    targets: list
    last_target: date | None
    skipped: dict[tuple[int, int], SkippedCell]


def _cleared_write(run: _SheetRun, r: int, c: int) -> CellWrite | None:
    """A month cell whose value was deleted loses xlstatus's symbol, colour and note."""
    nf_now = run.sheet.formats.get((r, c))
    if (r, c) in run.written or not stil.is_status_format(nf_now):
        return None
    note_now = run.sheet.notes.get((r, c))
    return CellWrite(
        run.name,
        r,
        c,
        None,
        False,
        stil.strip_symbol(nf_now),
        None,
        True,
        "" if note_now and note_now.ours else None,
    )


def _cell_note(ctx: _RowContext, run: _SheetRun, c: int, mon: date, assessment) -> str | None:
    """The note of a coloured cell (None: leave the note as it is)."""
    note_now = run.sheet.notes.get((ctx.r, c))
    if note_now is not None and not note_now.ours:
        return None  # a person's note stays
    note = (
        tekster.status_note(ctx.row, mon, assessment, ctx.last_target)
        if assessment is not None
        else ""
    )
    if (ctx.r, c) in ctx.skipped:
        extra = tekster.person_note(ctx.skipped[(ctx.r, c)].computed)
        note = f"{note}\n{extra}" if note else extra
    if note == "" and note_now is None:
        return None
    return note


def _colour_write(
    ctx: _RowContext, run: _SheetRun, record: dict, mon: date, c: int, tol: Tolerance
) -> CellWrite | None:
    """The write that colours (and notes) one filled month cell, or None."""
    row, r = ctx.row, ctx.r
    fresh = run.written.get((r, c))
    current = fresh[0] if fresh else _get(run.sheet, r, c)
    nf_now = run.sheet.formats.get((r, c))
    if is_blank(current):
        return _cleared_write(run, r, c)
    rec = record.get((run.schema.projekt, row.sektion, row.label, mon))
    if fresh is not None:
        ours, exact = True, fresh[1].measurement.vaerdi
    elif rec is not None and same(current, rec.skrevet):
        ours, exact = True, rec.vaerdi
    else:
        ours, exact = False, parse_value(current, row.fmt, nf_now)
    if not row.targeted and fresh is None and not stil.is_status_format(nf_now):
        return None
    assessment = assess(exact, ctx.targets, mon, tol) if row.targeted else None
    status = assessment.status if assessment is not None else None
    if ours:
        base = (
            stil.TEXT_FORMAT
            if isinstance(current, str)
            else stil.value_format(row.fmt, row.decimals)
        )
    elif isinstance(current, str) and stil.strip_symbol(nf_now) == stil.GENERAL:
        base = stil.TEXT_FORMAT
    else:
        base = nf_now
    note = _cell_note(ctx, run, c, mon, assessment)
    return CellWrite(
        run.name,
        r,
        c,
        current,
        fresh is not None,
        stil.with_status(base, status),
        status,
        True,
        note,
    )


def _colour_sheet(plan: OpdaterPlan, run: _SheetRun, record: dict, tol: Tolerance) -> None:
    """Colour every filled month cell of the sheet again by its value."""
    schema, layout = run.schema, run.layout
    skipped = {(s.row, s.col): s for s in plan.skipped if s.sheet == layout.sheet}
    last_target = {row.key: row.targets[-1][0] for row in schema.rows if row.targets}
    for row in schema.rows:
        r = layout.rows.get(row.key)
        if r is None or row.manual:
            continue
        ctx = _RowContext(row, r, targets_for(schema, row), last_target.get(row.key), skipped)
        for mon, c in sorted(layout.month_cols.items()):
            w = _colour_write(ctx, run, record, mon, c, tol)
            if w is not None:
                plan.writes.append(w)


def _legend_and_info(
    plan: OpdaterPlan,
    run: _SheetRun,
    record: dict,
    month: date,
    settings: Settings,
    info_run: RunInfo,
) -> None:
    """The legend and the status notes area (each once, below everything on the sheet,
    nothing typed moves) and the measurement line (kept current)."""
    layout = run.layout
    latest = max([k[3] for k in record if k[0] == run.schema.projekt] or [month])
    info = tekster.info_text(latest, settings.maaledag, info_run.data_date)
    col = layout.label_col
    free = _last_used_row(run.sheet) + 2
    if "forklaring" not in layout.xlstatus_rows:
        legend = legend_writes(
            layout.sheet, free, col, info if "info" not in layout.xlstatus_rows else None
        )
        plan.writes += legend
        free = max(w.row for w in legend) + 2
    if "noter" not in layout.xlstatus_rows:
        plan.writes += notes_writes(layout.sheet, free, col)
    if "info" in layout.xlstatus_rows:
        r = layout.xlstatus_rows["info"]
        if _get(run.sheet, r, col) != info:
            plan.writes.append(CellWrite(layout.sheet, r, col, info, True))


def _analyses(
    plan: OpdaterPlan,
    view: WorkbookView,
    runs: list[_SheetRun],
    results: list[RowResult],
    month: date,
    analyser: Analyser,
) -> None:
    """The Prognose column of every sheet, and the Overblik and Vandringer sheets when the
    workbook has them (issue #12; see `overblik` and `vandringer`)."""

    values = overblik.history_values(view.data, results, month, analyser.history)
    prognoses = []
    for sheet_run in runs:
        found = overblik.sheet_prognoses(sheet_run.layout, values, month)
        plan.writes += overblik.prognose_writes(sheet_run.layout, sheet_run.sheet, found)
        prognoses += found
    if tekster.OVERBLIK in view.sheet_names:
        plan.writes += overblik.overblik_writes(prognoses, month)
    if tekster.VANDRINGER in view.sheet_names and analyser.vandringer is not None:
        plan.writes += vandringer.vandringer_writes(analyser.vandringer, analyser.groups)


def _data_rows(
    view: WorkbookView, results: list[RowResult], recognised: set[str], month: date
) -> list[DataRow]:
    """The Data table with this month's computed rows upserted (unsorted)."""
    data = {d.key: d for d in view.data}
    for res in results:
        if res.schema.projekt not in recognised or res.month != month:
            continue
        m, a = res.measurement, res.assessment
        row = DataRow(
            res.schema.projekt,
            res.row.sektion,
            res.row.label,
            month,
            m.antal,
            m.population,
            m.vaerdi,
            a.expected,
            a.next_target,
            STATUS_TEXT.get(a.status or "", ""),
        )
        data[row.key] = row
    return list(data.values())


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def make_plan(
    view: WorkbookView,
    recognition: Recognition,
    results: list[RowResult],
    month: date,
    run: RunInfo,
    overwrite: bool = False,
    schemas: list[Schema] | None = None,
    analyser: Analyser | None = None,
) -> OpdaterPlan:
    """Everything an Opdater run of month M changes; see the module text."""
    plan = OpdaterPlan(month=month, ignored_sheets=list(recognition.ignored))
    settings = view.settings
    record = {r.key: r for r in view.record}
    by_row = {(r.schema.projekt, r.row.key): r for r in results if r.month == month}
    recognised = {lay.schema.projekt for lay in recognition.layouts}
    if schemas is not None:
        plan.projects_without_sheet = [s.projekt for s in schemas if s.projekt not in recognised]

    runs = []
    for layout in recognition.layouts:
        sheet_run = _SheetRun(layout, view.sheet(layout.sheet))
        runs.append(sheet_run)
        plan.sheets.append((layout.sheet, layout.schema.projekt))
        if _fold(layout.sheet) in (_fold(layout.schema.ark), _fold(layout.schema.projekt)):
            plan.named_as_template.add(layout.sheet)
        plan.unknown_rows += [(layout.sheet, u.row, u.label) for u in layout.unknown]
        _ensure_month_column(plan, sheet_run, month)
        _write_month(plan, sheet_run, by_row, record, month, overwrite)
        _colour_sheet(plan, sheet_run, record, settings.tolerance)
        _legend_and_info(plan, sheet_run, record, month, settings, run)
    _analyses(plan, view, runs, results, month, analyser or Analyser())

    order = _row_order(schemas or [lay.schema for lay in recognition.layouts])

    def key(x: DataRow | RecordRow) -> tuple:
        return (order.get((x.projekt, x.sektion, x.label), (999, 999)), x.maaned)

    plan.data = sorted(_data_rows(view, results, recognised, month), key=key)
    plan.record = sorted(record.values(), key=key)
    plan.log = _log_entry(plan, run)
    return plan


def _row_order(schemas: list[Schema]) -> dict[tuple[str, str, str], tuple[int, int]]:
    return {
        (s.projekt, r.sektion, r.label): (i, j)
        for i, s in enumerate(schemas)
        for j, r in enumerate(s.rows)
    }


def _log_entry(plan: OpdaterPlan, run: RunInfo) -> LogEntry:
    notes: list[str] = []
    if plan.skipped:
        cells = ", ".join(f"{s.sheet}!{s.cell}" for s in plan.skipped[:20])
        notes.append(f"Sprunget over (ændret af en person): {cells}")
    if plan.overwritten:
        cells = ", ".join(f"{s.sheet}!{s.cell}" for s in plan.overwritten[:20])
        notes.append(f"Overskrevet (--overskriv): {cells}")
    if plan.inserts:
        notes.append(
            "Kolonne indsat: "
            + ", ".join(f"{i.sheet}!{column_letter(i.col)}" for i in plan.inserts)
        )
    if plan.unknown_rows:
        notes.append(
            "Ukendte rækker: " + ", ".join(f"{s}!A{r}" for s, r, _ in plan.unknown_rows[:20])
        )
    if plan.ignored_sheets:
        notes.append("Ark ikke opdateret: " + ", ".join(s for s, _ in plan.ignored_sheets))
    text = "; ".join(notes)
    warnings = f"{len(run.warnings)}" + (
        ": " + " | ".join(run.warnings[:5]) if run.warnings else ""
    )
    return LogEntry(
        tidspunkt=run.when.replace(microsecond=0),
        bruger=run.user,
        maaned=plan.month,
        udtraek=", ".join(run.files),
        hash=run.content_hash,
        raekker_laest=run.rows_read,
        advarsler=warnings[:1000],
        celler_aendret=plan.cells_changed,
        celler_sprunget_over=len(plan.skipped),
        bemaerkninger=text[:2000],
    )
