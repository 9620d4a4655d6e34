"""Prognose on the schema sheets and the Tidlig varsling block of the Overblik sheet. Pure.

- The points of a row's prognosis (analyser.md §2) are its values of the last k months,
  taken from the workbook's own history – the `Data` table, which holds what Opdater
  computed each month as of that month's måledato – with this run's values for M; months
  the Data table lacks are computed by the engine in the file route (`computed_history`)
  and passed in. So the workbook's prognosis uses the numbers the workbook shows.
- Every schema sheet gets a column `Prognose (næste mål)` right of the table (after the
  milestones): the projected value at the next milestone, ✔ (met) / ✖ (missed) with the
  status colours, and a note ("Med udviklingen de seneste 6 måneder nås målet 92 i
  aug-25" / "… ikke inden jan-28").
- The Overblik sheet lists the rows projected to miss their next milestone, the largest
  shortfall relative to the target first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from xlstatus.kerne.analyser import MINDST_PUNKTER, STANDARD_PUNKTER, Prognose, prognose_for
from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.indikatorer import RowResult, compute_month
from xlstatus.kerne.model import Extract
from xlstatus.kerne.noegler import spaceless_key
from xlstatus.kerne.skema import Row, Schema
from xlstatus.kerne.status import Tolerance
from xlstatus.kerne.tid import add_months, month_label
from xlstatus.plan import stil, tekster
from xlstatus.plan.data import Analyser, CellWrite, DataRow, SheetView, WorkbookView
from xlstatus.plan.layout import SheetLayout, is_blank

RowKey = tuple[str, str, str]  # (projekt, sektion, label)
History = dict[RowKey, dict[date, float | None]]
SHEET = tekster.OVERBLIK
TITLE_ROW, INFO_ROW, SUMMARY_ROW, FIRST_EXPLAIN_ROW = 1, 2, 3, 4
HEADER_ROW = FIRST_EXPLAIN_ROW + len(tekster.OVERBLIK_EXPLAIN) + 1
MAX_ENTRIES = 40
WIDTHS = (30, 58, 11, 11, 13, 11, 30)


# --------------------------------------------------------------------------- the points


def layout_writes() -> list[CellWrite]:
    """The sheet's fixed texts (title, 'not updated', explanation, Tidlig varsling header)
    as plan writes: the file route (`analyseark`) and the Excel route both write these."""
    out = [
        CellWrite(SHEET, TITLE_ROW, 1, tekster.OVERBLIK_TITLE, True, bold=True),
        CellWrite(SHEET, INFO_ROW, 1, tekster.NOT_UPDATED, True),
    ]
    out += [
        CellWrite(SHEET, FIRST_EXPLAIN_ROW + i, 1, line, True)
        for i, line in enumerate(tekster.OVERBLIK_EXPLAIN)
    ]
    out += [
        CellWrite(SHEET, HEADER_ROW, 1 + i, text, True, bold=True)
        for i, text in enumerate(tekster.OVERBLIK_HEADERS)
    ]
    return out


def history_values(
    data: Sequence[DataRow],
    results: Sequence[RowResult],
    month: date,
    extra: Mapping[RowKey, Mapping[date, float | None]] | None = None,
) -> dict[RowKey, dict[date, float | None]]:
    """Each row's value per month: the Data table, then `extra` (months computed for this
    run), then this run's results for M."""
    out: dict[RowKey, dict[date, float | None]] = {}
    for d in data:
        out.setdefault((d.projekt, d.sektion, d.label), {})[d.maaned] = d.vaerdi
    for key, values in (extra or {}).items():
        out.setdefault(key, {}).update(values)
    for r in results:
        if r.month == month:
            key = (r.schema.projekt, r.row.sektion, r.row.label)
            out.setdefault(key, {})[month] = r.measurement.vaerdi
    return out


def computed_history(
    extract: Extract,
    schemas: Sequence[Schema],
    data: Sequence[DataRow],
    month: date,
    maaledag: int,
    tolerance: Tolerance,
    punkter: int = STANDARD_PUNKTER,
) -> History:
    """The values of the k-1 months before M that the Data table lacks, computed by the
    engine as of each month's måledato (only rows with milestones)."""
    have = {(d.projekt, d.maaned) for d in data}
    out: History = {}
    from xlstatus.kerne.indikatorer import has_data

    for i in range(1, punkter):
        mi = add_months(month, -i)
        if not has_data(extract, mi, maaledag):  # before the data: simply missing
            continue
        todo = [
            replace(s, rows=tuple(r for r in s.rows if r.targets and not r.manual))
            for s in schemas
            if (s.projekt, mi) not in have
        ]
        todo = [s for s in todo if s.rows]
        if not todo:
            continue
        for r in compute_month(extract, todo, mi, maaledag, tolerance):
            key = (r.schema.projekt, r.row.sektion, r.row.label)
            out.setdefault(key, {})[mi] = r.measurement.vaerdi
    return out


def analyser_inputs(
    view: WorkbookView,
    extract: Extract,
    schemas: Sequence[Schema],
    month: date,
    all_schemas: Sequence[Schema],
) -> Analyser:
    """What an Opdater run computes besides month M (every front end, so the button and
    the command line write the same): the vandringer of M for the groups on Indstillinger
    and the prognoses' months the Data table lacks."""
    from xlstatus.kerne.analyser import vandringer
    from xlstatus.plan.vandringer import groups_for

    settings = view.settings
    groups = groups_for(settings.vandringer, all_schemas)
    v = vandringer(extract, month, settings.maaledag, maalgrupper=groups)
    history = computed_history(
        extract, schemas, view.data, month, settings.maaledag, settings.tolerance
    )
    return Analyser(v, groups, history)


@dataclass(frozen=True)
class RowPrognose:
    layout: SheetLayout
    row: Row
    prognose: Prognose


def sheet_prognoses(
    layout: SheetLayout,
    values: Mapping[RowKey, Mapping[date, float | None]],
    month: date,
    punkter: int = STANDARD_PUNKTER,
) -> list[RowPrognose]:
    """The prognosis of every row with milestones that the sheet has."""
    schema = layout.schema
    out = []
    for row in schema.rows:
        if not row.targets or row.manual or row.key not in layout.rows:
            continue
        vals = values.get((schema.projekt, row.sektion, row.label), {})
        out.append(RowPrognose(layout, row, prognose_for(schema, row, month, vals, punkter)))
    return out


# --------------------------------------------------------------------------- texts


def _value(row: Row, v: float | None) -> str:
    return tekster.value_text(row, None if v is None else round(v, 1))


def prognose_note(row: Row, p: Prognose) -> str:
    """The note of a Prognose cell: projection, when the goal is met, slope."""
    from xlstatus.kerne.analyser import vurdering

    if not any(m > p.maaned for m, _ in row.targets):
        return "Prognose: ingen – rækken har intet mål efter denne måned."
    if not p.har_prognose or p.naeste_maal is None or p.naeste_maal_maaned is None:
        return (
            f"Prognose: ingen – kun {p.antal_punkter} målinger de seneste {p.maaneder} "
            f"måneder (mindst {MINDST_PUNKTER})."
        )
    target, when = _value(row, p.naeste_maal), month_label(p.naeste_maal_maaned)
    lines = [
        f"Prognose: {_value(row, p.fremskrevet)} i {when} (næste mål: {target})",
        f"Nås målet: {vurdering(p)}",
    ]
    lead = f"Med udviklingen de seneste {p.maaneder} måneder nås målet {target}"
    if p.maaned_maal_naas is None:
        limit = month_label(add_months(p.naeste_maal_maaned, 24))
        lines.append(f"{lead} ikke inden {limit}.")
    elif p.naar_maalet:
        lines.append(f"{lead} i {month_label(p.maaned_maal_naas)}.")
    elif p.maaned_maal_naas > p.naeste_maal_maaned:
        lines.append(
            f"{lead} først i {month_label(p.maaned_maal_naas)} – efter målets måned {when}."
        )
    else:  # the line meets the target now but moves away from it
        lines.append(f"Værdien er på vej væk fra målet {target}: det nås ikke i {when}.")
    slope = round(p.haeldning or 0.0, 1) + 0.0  # no "−0,0"
    sign = "+" if slope > 0 else ("−" if slope < 0 else "")
    lines.append(
        f"Ændring pr. måned: {sign}{number_da(abs(slope), 1)} ({p.antal_punkter} målinger)."
    )
    return "\n".join(lines)


def reached_text(p: Prognose) -> str:
    """The Overblik's 'Målet nås' cell: the wording of analyser.md §2."""
    from xlstatus.kerne.analyser import vurdering

    return vurdering(p)


# --------------------------------------------------------------------------- schema sheets


def prognose_column(layout: SheetLayout, sheet: SheetView) -> tuple[int, bool]:
    """(the Prognose column, whether its header is already there): the column whose
    header says so, else the first column right of the table that is empty in the
    header row and every table row."""
    for c in layout.columns:
        if spaceless_key(c.header).startswith("prognose"):
            return c.col, True
    used = [c.col for c in layout.columns if c.kind != "other" or c.header]
    col = max([layout.label_col, *used]) + 1

    def empty(c: int) -> bool:
        for r in range(layout.header_row, layout.last_row + 1):
            row = sheet.grid[r - 1] if r - 1 < len(sheet.grid) else []
            if c - 1 < len(row) and not is_blank(row[c - 1]):
                return False
        return True

    while not empty(col):
        col += 1
    return col, False


def prognose_writes(
    layout: SheetLayout, sheet: SheetView, prognoses: Sequence[RowPrognose]
) -> list[CellWrite]:
    """The Prognose column of one schema sheet (header once, then one cell per row)."""
    col, has_header = prognose_column(layout, sheet)
    out = []
    if not has_header:
        out.append(
            CellWrite(
                layout.sheet,
                layout.header_row,
                col,
                tekster.PROGNOSE_HEADER,
                True,
                stil.TEXT_FORMAT,
                bold=True,
            )
        )
    for rp in prognoses:
        r, p, row = layout.rows[rp.row.key], rp.prognose, rp.row
        note = prognose_note(row, p)
        if not p.har_prognose or p.fremskrevet is None:
            out.append(
                CellWrite(layout.sheet, r, col, "–", True, stil.TEXT_FORMAT, None, True, note)
            )
            continue
        value = round(p.fremskrevet, 1)
        value = int(value) if float(value).is_integer() else value
        status = "groen" if p.naar_maalet else "roed"
        nf = stil.with_status(stil.target_format(row, value), status)
        out.append(CellWrite(layout.sheet, r, col, value, True, nf, status, True, note))
    return out


# --------------------------------------------------------------------------- Overblik


def misses(prognoses: Sequence[RowPrognose]) -> list[RowPrognose]:
    """Rows projected to miss their next milestone, the largest relative shortfall first."""

    def how_far(rp: RowPrognose) -> float:
        p = rp.prognose
        short = p.mangler or 0.0
        return short / abs(p.naeste_maal) if p.naeste_maal else short

    found = [rp for rp in prognoses if rp.prognose.har_prognose and not rp.prognose.naar_maalet]
    return sorted(found, key=lambda rp: (-how_far(rp), rp.layout.schema.projekt, rp.row.label))


def row_label(row: Row) -> str:
    """'Sektion: label' (a section that ends with a colon keeps just that one)."""
    if not row.sektion:
        return row.label
    sep = " " if row.sektion.rstrip().endswith(":") else ": "
    return f"{row.sektion.rstrip()}{sep}{row.label}"


def _entry(r: int, rp: RowPrognose | None) -> list[CellWrite]:
    if rp is None:
        return [
            CellWrite(
                SHEET, r, c, None, True, stil.GENERAL if c > 2 else stil.TEXT_FORMAT, None, True
            )
            for c in range(1, len(WIDTHS) + 1)
        ]
    p, row = rp.prognose, rp.row
    label = row_label(row)
    value_nf = stil.target_format(row, p.naeste_maal or 0)

    def num(v: float | None) -> float | None:
        return None if v is None else round(v, 1)

    return [
        CellWrite(SHEET, r, 1, rp.layout.schema.projekt, True, stil.TEXT_FORMAT),
        CellWrite(SHEET, r, 2, label, True, stil.TEXT_FORMAT),
        CellWrite(SHEET, r, 3, p.naeste_maal_maaned, True, stil.MONTH_FORMAT),
        CellWrite(SHEET, r, 4, p.naeste_maal, True, value_nf),
        CellWrite(
            SHEET, r, 5, num(p.fremskrevet), True, stil.with_status(value_nf, "roed"), "roed", True
        ),
        CellWrite(SHEET, r, 6, num(p.mangler), True, value_nf),
        CellWrite(SHEET, r, 7, reached_text(p), True, stil.TEXT_FORMAT),
    ]


def overblik_writes(
    prognoses: Sequence[RowPrognose], month: date, punkter: int = STANDARD_PUNKTER
) -> list[CellWrite]:
    """The Tidlig varsling block of month M (the rows below the list are emptied)."""
    found = misses(prognoses)
    with_line = [rp for rp in prognoses if rp.prognose.har_prognose]
    info = (
        f"Måling: {month_label(month)}. Prognose: en ret linje gennem de seneste "
        f"{punkter} måneders værdier, aflæst i næste mindste måls måned."
    )
    summary = (
        f"{len(found)} af {len(with_line)} rækker med en prognose når ikke deres "
        "næste mål med den nuværende udvikling."
    )
    out = [
        CellWrite(SHEET, INFO_ROW, 1, info, True, stil.TEXT_FORMAT),
        CellWrite(SHEET, SUMMARY_ROW, 1, summary, True, stil.TEXT_FORMAT, bold=True),
    ]
    first = HEADER_ROW + 1
    for i in range(MAX_ENTRIES):
        out += _entry(first + i, found[i] if i < len(found) else None)
    more = f"… og {len(found) - MAX_ENTRIES} rækker mere." if len(found) > MAX_ENTRIES else None
    out.append(CellWrite(SHEET, first + MAX_ENTRIES, 1, more, True, stil.TEXT_FORMAT))
    if not found:
        out.append(CellWrite(SHEET, first, 1, tekster.OVERBLIK_NONE, True, stil.TEXT_FORMAT))
    return out


__all__ = [
    "RowPrognose",
    "analyser_inputs",
    "computed_history",
    "history_values",
    "layout_writes",
    "misses",
    "overblik_writes",
    "prognose_column",
    "prognose_note",
    "prognose_writes",
    "sheet_prognoses",
]
