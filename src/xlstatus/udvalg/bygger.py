"""Build the committee copy (`model.CommitteeCopy`) from a workbook VIEW. Pure: no openpyxl,
no xlwings, no files — the view is what `arbejdsbog.fil.read_view` gives for a file and
what `excel.bog.read_state` gives for a live or posted workbook (values only; a remote book
has no number formats and no fills, so every status is judged again from the value, as
Opdater judges it).

`build_copy(view, month)` makes, in order: per recognised schema sheet a page with its table
(start, the latest months that fit the printed page, milestones, Prognose) and a page of
charts for its targeted rows; Overblik; Vandringer; Måltal; Om tallene.

- One month: the copy's month M. Months after M are left out. Overblik, Vandringer and the
  Prognose column are the workbook's when they belong to M; else they are computed for M
  (`analyser.recompute`, from the extract the caller gives) or the copy stops
  (`WorkbookError`: "Klik Opdater for jan-26 først").
- Print-ready: texts meant for the screen or for editing are left out, numbers are Danish
  (1.212; "✖ -2,7 pct."), months read "aug-24" everywhere, a value a person typed over the
  computed one ends in "*" with the footnote `model.TYPED_FOOTNOTE`.
- Diskretion as before (`plan.plan_sheet`, `analyser`): a hidden value is ".".
- No CPR-like number in any text that goes into the copy (`scan.cpr_like`): the copy stops.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.formatering import EMPTY, number_da
from xlstatus.kerne.indikatorer import targets_for
from xlstatus.kerne.noegler import spaceless_key
from xlstatus.kerne.skema import Row, Schema
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT, Tolerance, assess
from xlstatus.kerne.tid import month_label, month_start
from xlstatus.plan import tekster as bog_tekster
from xlstatus.plan.data import RecordRow, SheetView, WorkbookView
from xlstatus.plan.layout import SheetLayout, is_blank, recognise_workbook
from xlstatus.plan.skemaer import parse_value, same
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udvalg import analyser, maaltal_side, tekster
from xlstatus.udvalg.diskretion import HIDE, HIDE_SHARE
from xlstatus.udvalg.grafer import ChartData
from xlstatus.udvalg.model import (
    HEADER_FILL,
    TYPED_FOOTNOTE,
    Block,
    Cell,
    Chart,
    CommitteeCopy,
    Heading,
    Page,
    Paragraph,
    Series,
    Table,
)
from xlstatus.udvalg.noter import check_notes, notes_lines
from xlstatus.udvalg.plan import (
    HIDDEN,
    SheetCopy,
    column_px,
    data_date,
    filled_months,
    plan_sheet,
    visible_months,
)
from xlstatus.udvalg.scan import cpr_like
from xlstatus.udvalg.visning import (
    SYMBOL_AT,
    is_number,
    screen_only,
    status_of_symbol,
    target_text,
    text_of,
    value_text,
    with_symbol,
)
from xlstatus.udvalg.visning import (
    cell_at as _cell,
)

LABEL_WIDTH = 44.0  # characters: the label column of a schema page
VALUE_WIDTH = 11.0  # a value column
# --------------------------------------------------------------------------- options


@dataclass
class Options:
    """What the caller knows besides the view."""

    workbook_name: str = ""
    # the extract, read on demand (only when the analyses must be computed for M)
    extract: Callable[[], object | None] | None = None
    visible: Callable[[str], bool] = lambda name: True
    made: date | None = None
    schemas: list[Schema] | None = None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the month


def choose_month(layouts: Iterable[SheetLayout], grids: Mapping[str, list], maaned: date | None):
    filled: set[date] = set()
    for lay in layouts:
        filled |= filled_months(lay, grids[lay.sheet])
    if not filled:
        raise WorkbookError(
            "Arbejdsbogen har endnu ingen tal i skemaerne. Kør Opdater først, "
            "og lav så udvalgets kopi."
        )
    latest = max(filled)
    if maaned is None:
        return latest
    month = month_start(maaned)
    if month not in filled:
        raise WorkbookError(
            f"Arbejdsbogen har ingen tal for {month_label(month)}. Seneste måling er "
            f"{month_label(latest)}. Kør Opdater for {month_label(month)} først, eller vælg "
            "en måned med tal."
        )
    return month


# --------------------------------------------------------------------------- checks


def check_cpr(view: WorkbookView, sheets: Iterable[str]) -> None:
    """Stop when anything that goes into the copy looks like a CPR number (named by cell,
    the number itself never repeated)."""
    from xlstatus.plan.data import column_letter

    where = []
    for name in sheets:
        sv = view.sheet(name)
        if cpr_like(name):
            where.append(f"arknavnet '{name}'")
        for r, row in enumerate(sv.grid, start=1):
            for c, v in enumerate(row, start=1):
                if isinstance(v, str | int) and not isinstance(v, bool) and cpr_like(str(v)):
                    where.append(f"'{name}'!{column_letter(c)}{r}")
        for (r, c), note in sv.notes.items():
            if note.ours and cpr_like(note.text):
                where.append(f"noten i '{name}'!{column_letter(c)}{r}")
    if where:
        raise WorkbookError(
            "Udvalgets kopi er ikke lavet: der står noget, der ligner et CPR-nummer, i "
            + ", ".join(where[:10])
            + (" …" if len(where) > 10 else "")
            + ". Fjern det fra arbejdsbogen og prøv igen."
        )


# --------------------------------------------------------------------------- schema pages


@dataclass
class _Ctx:
    view: WorkbookView
    month: date
    day: date | None
    threshold: int
    tol: Tolerance
    record: dict[tuple[str, str, str, date], RecordRow]
    typed: int = 0


def _header_text(col, month: date | None) -> str:
    if col.kind == "month" and col.month:
        return month_label(col.month)
    if col.kind == "milestone" and col.month:
        return f"Mindste mål {month_label(col.month)}"
    if col.kind == "start":
        return start_header(str(col.header or ""))
    return " ".join(str(col.header or "").split())


def start_header(text: str) -> str:
    """The start column's header, its date written as every page writes dates:
    'Den 10. Januar 2024' -> 'Startmåling 10-01-2024'."""
    from xlstatus.kerne.tid import MONTH_NAMES_DA

    text = " ".join(text.split())
    m = re.search(r"(\d{1,2})\.?\s+([a-zæøå]+)\s+(\d{4})", text, re.IGNORECASE)
    if m and m[2].lower() in MONTH_NAMES_DA:
        day = date(int(m[3]), MONTH_NAMES_DA.index(m[2].lower()) + 1, int(m[1]))
        return f"Startmåling {day:%d-%m-%Y}"
    m = re.search(r"\b([a-zæøå]+)\s+(\d{4})", text, re.IGNORECASE)
    if m and m[1].lower() in MONTH_NAMES_DA:
        return (
            f"Startmåling {month_label(date(int(m[2]), MONTH_NAMES_DA.index(m[1].lower()) + 1, 1))}"
        )
    return text or "Startmåling"


def _printed_columns(layout: SheetLayout, month: date) -> tuple[list, int]:
    """The table's columns on the printed page (start, the latest months up to M that fit,
    milestones, other headed columns such as Prognose) and how many months are shown."""
    months = sorted((m, c) for m, c in layout.month_cols.items() if m <= month)
    others = [
        c
        for c in layout.columns
        if c.kind in ("start", "milestone") or (c.kind == "other" and c.header)
    ]
    fixed = column_px(LABEL_WIDTH) + sum(column_px(VALUE_WIDTH) for _ in others)
    shown = set(visible_months([(m, VALUE_WIDTH) for m, _ in months], fixed, month))
    cols = [c for c in layout.columns if c in others or (c.kind == "month" and c.month in shown)]
    return sorted(cols, key=lambda c: c.col), len(shown)


def _month_cell(ctx: _Ctx, schema: Schema, row: Row, m: date, value: object, nf) -> Cell:
    """A filled month cell: its Danish text, status (symbol and colour), typed mark."""
    rec = ctx.record.get((schema.projekt, row.sektion, row.label, m))
    ours = rec is not None and same(value, rec.skrevet)
    typed = rec is not None and not ours and not row.manual
    exact = rec.vaerdi if ours and rec is not None else parse_value(value, row.fmt, nf)
    status = None
    if row.targeted and exact is not None:
        status = assess(exact, targets_for(schema, row), m, ctx.tol).status
    if isinstance(value, str):
        text = SYMBOL_AT.sub("", " ".join(value.split()))
    elif is_number(value):
        shown = parse_value(value, row.fmt, nf)
        text = value_text(row, shown) if shown is not None else text_of(value, nf)
    else:
        text = text_of(value, nf)
    if status and text not in (EMPTY, ""):
        text = with_symbol(text, status)
    else:
        status = None
    if typed:
        ctx.typed += 1
        text += "*"
    num = parse_value(value, row.fmt, nf) if is_number(value) else None
    return Cell(text, num if num is not None else text, None, status, align="center", typed=typed)


def _start_cell(row: Row, value: object, nf: str | None) -> Cell:
    if is_number(value):
        x = parse_value(value, row.fmt, nf)
        text = value_text(row, x) if x is not None else text_of(value, nf)
    else:
        text = text_of(value, nf)
    return Cell(text, value if is_number(value) else text, align="center")


def _target_cell(row: Row, value: object, nf: str | None) -> Cell:
    if is_number(value):
        x = float(value)  # type: ignore[arg-type]
        if row.fmt in ("andel", "antal_andel") and "%" in (nf or ""):
            x *= 100
        return Cell(target_text(row, x), x, align="center")
    return Cell(text_of(value, nf), align="center")


def _prognose_cell(row: Row, value: object, nf: str | None, status: str | None) -> Cell:
    """The workbook's Prognose cell as it is (its symbol and colour kept)."""
    own = status_of_symbol(value, nf) or status
    if is_number(value):
        text = target_text(row, float(value))  # type: ignore[arg-type]
    else:
        text = SYMBOL_AT.sub("", text_of(value, nf))
    if own and text not in ("", EMPTY):
        return Cell(with_symbol(text, own), value, status=own, align="center")  # type: ignore[arg-type]
    return Cell(text, align="center")


def _schema_rows(layout: SheetLayout) -> dict[int, Row]:
    by_key = {r.key: r for r in layout.schema.rows}
    return {r: by_key[key] for key, r in layout.rows.items() if key in by_key}


def _header_cells(layout: SheetLayout, grid, cols: list, month: date) -> list[Cell]:
    label = text_of(_cell(grid, layout.header_row, layout.label_col))
    cells = [Cell(label, header=True, bold=True, fill=HEADER_FILL)]
    for col in cols:
        cells.append(
            Cell(_header_text(col, month), header=True, bold=True, align="center", fill=HEADER_FILL)
        )
    return cells


def _table_body(
    ctx: _Ctx, layout: SheetLayout, sv: SheetView, plan: SheetCopy, cols: list, prog: dict
) -> list[list[Cell]]:
    grid, formats = sv.grid, sv.formats
    schema = layout.schema
    rows = _schema_rows(layout)
    sections = set(layout.section_rows.values())
    hidden = {(ch.row, ch.col): ch for ch in plan.changes if ch.kind in (HIDE, HIDE_SHARE)}
    month_col = layout.month_cols.get(ctx.month)
    gone = {r for (r, c) in hidden if c == month_col}  # the month's value hidden
    body: list[list[Cell]] = []
    for r in range(layout.header_row + 1, layout.last_row + 1):
        label = _cell(grid, r, layout.label_col)
        if is_blank(label) and all(is_blank(_cell(grid, r, c.col)) for c in cols):
            continue
        label_text = text_of(label)
        if r in sections and r not in rows:
            body.append([Cell(label_text, bold=True, header=True, colspan=1 + len(cols))])
            continue
        row = rows.get(r)
        cells = [Cell(label_text, header=True)]
        for col in cols:
            c, v, nf = col.col, _cell(grid, r, col.col), formats.get((r, col.col))
            if (r, c) in hidden:
                cells.append(
                    Cell(str(hidden[(r, c)].value), HIDDEN, suppressed=True, align="center")
                )
            elif is_blank(v) or row is None:
                cells.append(Cell(text_of(v, nf), align="center"))
            elif col.kind == "month" and col.month:
                cells.append(_month_cell(ctx, schema, row, col.month, v, nf))
            elif col.kind == "start":
                cells.append(_start_cell(row, v, nf))
            elif col.kind == "milestone":
                cells.append(_target_cell(row, v, nf))
            elif spaceless_key(col.header).startswith("prognose"):
                if r in gone:  # a projection of a hidden value is hidden too
                    cells.append(Cell(HIDDEN, HIDDEN, suppressed=True, align="center"))
                else:
                    cells.append(_prognose_cell(row, v, nf, prog.get(row.key)))
            else:
                cells.append(Cell(text_of(v, nf), align="center"))
        body.append(cells)
    return body


def _below_table(layout: SheetLayout, grid) -> list[str]:
    """A person's lines below the table (footnotes typed in a hand-made workbook), without
    xlstatus's legend, info line and notes area."""
    skip: set[int] = set()
    for key in ("info", "forklaring"):
        if key in layout.xlstatus_rows:
            r = layout.xlstatus_rows[key]
            skip |= set(range(r, r + (6 if key == "forklaring" else 1)))
    if "noter" in layout.xlstatus_rows:
        start = layout.xlstatus_rows["noter"]
        legend = layout.xlstatus_rows.get("forklaring")
        end = legend - 1 if legend is not None and legend > start else len(grid)
        skip |= set(range(start, end + 1))
    out = []
    for r in range(layout.last_row + 1, len(grid) + 1):
        if r in skip:
            continue
        texts = [text_of(v) for v in (grid[r - 1] if r - 1 < len(grid) else []) if not is_blank(v)]
        line = " ".join(t for t in texts if t)
        if line and not screen_only(line) and line.casefold() not in _LEGEND_WORDS:
            out.append(line)
    return out


_LEGEND_WORDS = {
    bog_tekster.LEGEND_TITLE.casefold(),
    *(f"{STATUS_SYMBOL[s]} {STATUS_TEXT[s]}".casefold() for s in STATUS_TEXT),
    *(t.casefold() for t in bog_tekster.LEGEND_LINES),
}


def legend_blocks() -> list[Block]:
    lines = [t for t in bog_tekster.LEGEND_LINES if not screen_only(t)]
    return [
        Heading(bog_tekster.LEGEND_TITLE, 3),
        Table(
            [],
            [
                [
                    Cell(f"{STATUS_SYMBOL[s]} {STATUS_TEXT[s]}", status=s, align="center")  # type: ignore[arg-type]
                    for s in ("groen", "gul", "roed")
                ]
            ],
            row_header_cols=0,
            col_widths=[16.0, 16.0, 16.0],
            name="Forklaring af farver og symboler",
        ),
        Paragraph(" ".join(lines), "legend"),
    ]


def schema_page(
    ctx: _Ctx, layout: SheetLayout, plan: SheetCopy, chart_page: str | None, prog: dict
) -> Page:
    sv = ctx.view.sheet(layout.sheet)
    cols, shown = _printed_columns(layout, ctx.month)
    before = ctx.typed
    header = _header_cells(layout, sv.grid, cols, ctx.month)
    body = _table_body(ctx, layout, sv, plan, cols, prog)
    widths = [LABEL_WIDTH] + [VALUE_WIDTH] * len(cols)
    blocks: list[Block] = [
        Paragraph(tekster.month_line(ctx.month, ctx.view.settings.maaledag, ctx.day), "note"),
        Table([header], body, 1, widths, name=f"Statusskema {layout.schema.titel}"),
    ]
    if ctx.typed > before:
        blocks.append(Paragraph(TYPED_FOOTNOTE, "footnote"))
    blocks += [Paragraph(t, "footnote") for t in _below_table(layout, sv.grid)]
    blocks += legend_blocks()
    if ctx.threshold > 0:
        blocks.append(Paragraph(tekster.suppression_line(ctx.threshold), "note"))
    all_months = sum(1 for m in layout.month_cols if m <= ctx.month)
    if shown < all_months:
        blocks.append(Paragraph(tekster.shown_months_line(shown, chart_page), "note"))
    elif chart_page:
        blocks.append(Paragraph(tekster.chart_pointer(chart_page), "note"))
    notes = notes_lines(sv.grid, layout)
    if notes:
        blocks.append(Heading(f"{bog_tekster.NOTES_TITLE} – {month_label(ctx.month)}", 2))
        blocks += [Paragraph(t, "normal") for t in notes]
    return Page(
        layout.schema.titel,
        layout.sheet[:31],
        blocks,
        "skema",
        tekster.header_right(ctx.month, ctx.day),
    )


# --------------------------------------------------------------------------- charts

_UNIT_WORDS = {"antal": ("personer", "antal"), "pct.": ("pct.", "pct", "%"), "uger": ("uger",)}


def chart_title(data: ChartData) -> str:
    """The row's title without a unit the chart states already ('… (uger)')."""
    title = data.title.strip()
    m = re.search(r"\s*\(([^()]*)\)\s*$", title)
    if m and m[1].strip().casefold() in _UNIT_WORDS.get(data.unit, ()):
        title = title[: m.start()].rstrip()
    return title


def _fmt_chart_value(data: ChartData, x: float) -> str:
    if data.unit == "pct.":
        return f"{number_da(x, data.decimals)} pct."
    if data.unit == "uger":
        return f"{number_da(x, max(data.decimals, 1))} uger"
    return number_da(x, data.decimals)


def chart_alt(data: ChartData, title: str, month: date) -> str:
    better = "højere er bedre" if data.direction == "højere" else "lavere er bedre"
    unit = "antal personer" if data.unit == "antal" else data.unit
    text = f"Søjlediagram: {title}, {unit} pr. måned ({better})."
    last = next(
        (
            (m, v, e, s)
            for m, v, e, s in reversed(
                list(zip(data.months, data.actual, data.expected, data.status, strict=True))
            )
            if v is not None and m <= month
        ),
        None,
    )
    if last is not None:
        m, v, e, s = last
        text += f" Seneste værdi {month_label(m)}: {_fmt_chart_value(data, v)}"
        if e is not None:
            text += f" mod forventet {_fmt_chart_value(data, e)}"
        if s:
            text += f" – {STATUS_TEXT[s].lower()}"
        text += "."
    goals = [(m, g) for m, g in zip(data.months, data.milestones, strict=True) if g is not None]
    nxt = next(((m, g) for m, g in goals if m >= month), goals[-1] if goals else None)
    if nxt is not None:
        text += f" Mindste mål {month_label(nxt[0])}: {_fmt_chart_value(data, nxt[1])}."
    return text


def model_chart(data: ChartData, month: date) -> Chart:
    title = chart_title(data)
    statuses = list(data.status)
    series = [
        Series("Faktisk", list(data.actual), "actual", statuses),
        Series("Forventet", list(data.expected), "target"),
        Series("Mindste mål", list(data.milestones), "other"),
    ]
    empty = None
    if all(v is None for v in data.actual):
        empty = tekster.empty_chart_line(title)
    return Chart(
        title,
        data.unit,
        "bar",
        list(data.labels),
        series,
        lower_is_better=data.direction == "lavere",
        alt_text=chart_alt(data, title, month),
        empty_text=empty,
    )


def chart_page(ctx: _Ctx, layout: SheetLayout, plan: SheetCopy, name: str) -> Page:
    blocks: list[Block] = [
        Paragraph(tekster.month_line(ctx.month, ctx.view.settings.maaledag, ctx.day), "note"),
        Paragraph(tekster.chart_sheet_intro(ctx.threshold), "legend"),
    ]
    charts = [model_chart(d, ctx.month) for d in plan.charts]
    # the charts first, two across and two down a page; the sentences instead of empty ones after
    blocks += [c for c in charts if c.empty_text is None] + [c for c in charts if c.empty_text]
    return Page(
        f"Grafer – {layout.schema.titel}",
        name,
        blocks,
        "grafer",
        tekster.header_right(ctx.month, ctx.day),
    )


# --------------------------------------------------------------------------- the copy


def _layouts(view: WorkbookView, opts: Options):
    names = set(view.sheet_names) or {s.name for s in view.sheets}
    sheets = [
        (s.name, s.grid)
        for s in view.sheets
        if s.name not in bog_tekster.SYSTEM_SHEETS and opts.visible(s.name) and s.name in names
    ]
    recognition = recognise_workbook(sheets, opts.schemas or load_schemas())
    if not recognition.layouts:
        raise WorkbookError(
            f"Arbejdsbogen {opts.workbook_name or ''} har ingen synlige ark, der ligner et af "
            "statusskemaerne. Der er ikke lavet nogen kopi.".replace("  ", " ")
        )
    return recognition


def _has(view: WorkbookView, name: str, opts: Options) -> bool:
    return any(s.name == name for s in view.sheets) and opts.visible(name)


def build_copy(view: WorkbookView, month: date | None = None, opts: Options | None = None):
    """The committee copy of the workbook `view` for month `month` (default: the latest
    month with figures). WorkbookError (Danish) when it cannot be made; nothing is
    changed either way."""
    opts = opts or Options()
    recognition = _layouts(view, opts)
    layouts = list(recognition.layouts)
    grids = {s.name: s.grid for s in view.sheets}
    m = choose_month(layouts, grids, month)
    settings = view.settings
    day = data_date([grids[lay.sheet] for lay in layouts])
    used = [lay.sheet for lay in layouts]
    used += [
        n
        for n in (
            bog_tekster.OVERBLIK,
            bog_tekster.VANDRINGER,
            bog_tekster.SAMMENLIGNING,
            bog_tekster.MAALTAL,
        )
        if _has(view, n, opts)
    ]
    for lay in layouts:
        check_notes(lay.sheet, grids[lay.sheet], lay)
    check_cpr(view, used)

    view = analyser.one_month(view, layouts, m, opts)  # Overblik, Vandringer, Prognose for M
    ctx = _Ctx(
        view, m, day, settings.diskretion, settings.tolerance, {r.key: r for r in view.record}
    )
    data = {d.key: d for d in view.data}
    pages: list[Page] = []
    plans: list[SheetCopy] = []
    hidden = charts = 0
    for lay in layouts:
        sv = view.sheet(lay.sheet)
        plan = plan_sheet(lay, sv.grid, sv.formats, data, m, ctx.threshold, ctx.tol)
        plans.append(plan)
        chart_name = tekster.chart_sheet_name(lay.sheet) if plan.charts else None
        prog = analyser.prognose_status(view, lay, m)
        pages.append(schema_page(ctx, lay, plan, chart_name, prog))
        hidden += plan.hidden
        if chart_name:
            pages.append(chart_page(ctx, lay, plan, chart_name))
            charts += len(plan.charts)
    if _has(view, bog_tekster.OVERBLIK, opts):
        pages.append(analyser.overblik_page(view, plans, m, day))
    if _has(view, bog_tekster.VANDRINGER, opts):
        page, n = analyser.vandringer_page(view, m, day, ctx.threshold)
        pages.append(page)
        hidden += n
    if _has(view, bog_tekster.SAMMENLIGNING, opts):
        from xlstatus.udvalg.sammenligning_side import sammenligning_page

        page = sammenligning_page(view.sheet(bog_tekster.SAMMENLIGNING), m, day)
        if page is not None:
            pages.append(page)
            charts += sum(1 for b in page.blocks if isinstance(b, Chart))
    if _has(view, bog_tekster.MAALTAL, opts):
        page = maaltal_side.maaltal_page(view.sheet(bog_tekster.MAALTAL), m, day, opts.warnings)
        if page is not None:
            pages.append(page)
    names = [p.sheet for p in pages] + [tekster.ABOUT_SHEET]
    pages.append(about_page(m, settings.maaledag, day, ctx.threshold, names, opts.made))
    footnotes = [TYPED_FOOTNOTE] if ctx.typed else []
    return CommitteeCopy(
        title="Statusskemaer – kopi til udvalget",
        municipality="Hedensted",
        month=m,
        month_label=month_label(m),
        pages=pages,
        source_name=opts.workbook_name,
        footnotes=footnotes,
        data_date=day,
        warnings=list(opts.warnings),
        hidden=hidden,
        charts=charts,
    )


def about_page(
    month: date, maaledag: int, day: date | None, threshold: int, sheets: list[str], made
) -> Page:
    made = made or date.today()
    blocks: list[Block] = []
    statuses: list[list[Cell]] = []
    for kind, text in tekster.about_lines(month, maaledag, day, threshold, sheets, made)[1:]:
        if kind.startswith("status:"):
            s = kind.split(":", 1)[1]
            statuses.append([Cell(text, status=s)])  # type: ignore[arg-type]
            continue
        if statuses:
            blocks.append(Table([], statuses, 0, [90.0], name="Farver og symboler"))
            statuses = []
        if kind == "h":
            blocks.append(Heading(text, 2))
        elif text:
            blocks.append(Paragraph(text))
    return Page(
        tekster.ABOUT_TITLE,
        tekster.ABOUT_SHEET,
        blocks,
        "om",
        tekster.header_right(month, day),
    )


__all__ = [
    "Options",
    "build_copy",
    "chart_alt",
    "chart_title",
    "choose_month",
]
