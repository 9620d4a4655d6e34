"""The Måltal sheet of the workbook (openpyxl adapter): write it, read it back, update it.

Layout (anchors are found by their text in column A, so rows a person inserts are fine):

- Rows 1-…: title, how to edit, the seed's notes.
- The lines table, header row `Gruppe | Linje | Type | Projekt | Antal fuldtidspersoner |
  Sum af linjer | Kontrol | Målgrupper i udtrækket | Indgår i mål for`. Per group: a group
  row (name in A), its lines, and a total row (type `I alt`) with the typed/printed total in
  E, the live sum of the lines in F (`SUMIFS` over the group's rows, so a line inserted
  anywhere in the group counts) and a flag in G ("Afviger fra summen", red). This table is
  the person's: `update_maaltal_sheet` never writes into it.
- Below it, rebuilt on every update from what the table holds (so it is idempotent):
  `Projekter fordelt på grupper` (SUMIFS matrix with totals and the price row),
  `Faktisk mod mål` (period, target formula, actual value, difference, status),
  `Økonomi` (per project: effect, yearly saving, cost, net return, break-even month) and
  `Måned for måned` (the monthly schedule behind it), and two charts.

Prices, costs and the calculation period live on the `Indstillinger` sheet under workbook
defined names (`xlstatus_maaltal_*`), marked "Skal udfyldes af jer"; the formulas here refer
to those names, so a changed price shows at once.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, field, replace
from datetime import date

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as _Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.kerne.errors import Problems, TemplateError
from xlstatus.kerne.maaltal import (
    LINE_TYPES,
    TOTAL_LABEL,
    Faktisk,
    Group,
    Line,
    Maalepunkt,
    Maaltal,
    Oekonomi,
    Periode,
    Udgift,
    actual_vs_target,
    default_period,
    maalepunkter,
    name_key,
    project_matrix,
    savings,
    validate_maaltal,
)
from xlstatus.kerne.model import Extract
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT, Tolerance
from xlstatus.kerne.tid import cell_month
from xlstatus.plan.stil import DATE_FORMAT, FILL, FONT, LOCALE, MONTH_FORMAT
from xlstatus.skabelonfiler import load_maaltal

SHEET = "Måltal"
SETTINGS_SHEET = "Indstillinger"
HEADERS = (
    "Gruppe",
    "Linje",
    "Type",
    "Projekt",
    "Antal fuldtidspersoner",
    "Sum af linjer",
    "Kontrol",
    "Målgrupper i udtrækket",
    "Indgår i mål for",
)
C_GROUP, C_TEXT, C_TYPE, C_PROJECT, C_VALUE, C_SUM, C_FLAG, C_CODES, C_FOR = range(1, 10)
FLAG_TEXT = "Afviger fra summen"
NOT_A_NUMBER = "Ikke et tal"
MARK_MATRIX = "Projekter fordelt på grupper"
MARK_ACTUAL = "Faktisk mod mål"
MARK_MONEY = "Økonomi"
MARK_MONTHS = "Måned for måned"
NOT_REACHED = "Ikke i perioden"
MUST_FILL = "Skal udfyldes af jer"
PLACEHOLDER_NOTE = (
    "PLADSHOLDERTAL: tallene nedenfor er illustrative og ikke kommunens egne. Erstat dem med "
    "jeres priser pr. fuldtidsperson (netto efter statsrefusion) og projekternes udgifter, og "
    "sæt 'Pladsholdertal' til nej."
)

N_PRICES = "xlstatus_maaltal_priser"
N_COSTS = "xlstatus_maaltal_udgifter"
N_START = "xlstatus_maaltal_start"
N_MONTHS = "xlstatus_maaltal_maaneder"
N_RAMP = "xlstatus_maaltal_indfasning"
N_PLACEHOLDER = "xlstatus_maaltal_pladsholder"
SETTING_NAMES = (N_PRICES, N_COSTS, N_START, N_MONTHS, N_RAMP, N_PLACEHOLDER)


def Font(**kw: object) -> _Font:
    """A named font: without a name LibreOffice falls back to a serif font."""
    return _Font(name="Calibri", **kw)


KR_FORMAT = LOCALE + "#,##0"
FTP_FORMAT = LOCALE + "#,##0.0"
GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFCC99")  # Excel's "Input" style
INPUT_FONT = Font(color="3F3F76")
MUST_FILL_FILL = PatternFill("solid", fgColor="FFC000")
BOLD = Font(bold=True)
TOP = Border(top=Side(style="thin"))
WIDTHS = {"A": 36, "B": 58, "C": 16, "D": 44, "E": 16, "F": 16, "G": 20, "H": 44, "I": 24, "J": 16}


# --------------------------------------------------------------------------- small helpers


def _put(ws: Worksheet, row: int, col: int, value: object, **style: object):
    """Write a value; text from data never becomes a formula."""
    is_formula = bool(style.pop("formula", False))
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not is_formula:
        cell.data_type = "s"
    for key, v in style.items():
        setattr(cell, key, v)
    return cell


def _head(ws: Worksheet, row: int, texts: tuple[str, ...], wrap: bool = False) -> None:
    """A table's header row: bold on grey, from column A."""
    alignment = Alignment(wrap_text=True, vertical="top") if wrap else None
    for col, text in enumerate(texts, 1):
        cell = _put(ws, row, col, text, font=BOLD, fill=HEAD_FILL)
        if alignment:
            cell.alignment = alignment


def _formula(ws: Worksheet, row: int, col: int, text: str, **style: object):
    return _put(ws, row, col, text, formula=True, **style)


def _ref(sheet: str, first: str, last: str | None = None) -> str:
    """Absolute reference for a defined name: 'Sheet'!$A$1(:$B$2)."""
    return f"{quote_sheetname(sheet)}!{absolute_coordinate(first + (f':{last}' if last else ''))}"


def _define(wb: Workbook, name: str, ref: str) -> None:
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _named_cells(wb: Workbook, name: str) -> list[list[object]] | None:
    """Values of a workbook defined name's range (rows of values), or None."""
    dn = wb.defined_names.get(name)
    if dn is None:
        return None
    for title, coord in dn.destinations:
        if title not in wb.sheetnames:
            return None
        got = wb[title][coord.replace("$", "")]
        if not isinstance(got, tuple):
            return [[got.value]]
        if got and not isinstance(got[0], tuple):
            got = (got,)
        return [[c.value for c in row] for row in got]
    return None


_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _arithmetic(text: str) -> float:
    """The value of a formula of plain numbers and + - * / (e.g. '=650+10')."""

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        raise ValueError(text)

    try:
        return ev(ast.parse(text.lstrip("=").replace(";", ","), mode="eval").body)
    except (SyntaxError, ZeroDivisionError, RecursionError) as exc:
        raise ValueError(text) from exc


def cell_number(value: object) -> float | None:
    """A cell's number: numbers, Danish text ('1.212', '-1', '−1', '2,5'), or a formula of
    plain arithmetic ('=650+10'). None when blank; ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("−", "-").replace("\u00a0", "").replace(" ", "")
    if text.startswith("="):
        return _arithmetic(text)
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError as exc:
        raise ValueError(value) from exc


def _month_value(value: object) -> date | None:
    """A date, ISO string, serial number or 'ÅÅÅÅ-MM' (any client); None when blank."""
    if isinstance(value, int | float) and value == 0:
        return None
    return cell_month(value)


def _codes(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(p.strip() for p in re.split(r"[;,\n]", str(value)) if p.strip())


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# --------------------------------------------------------------------------- settings


def write_price_settings(
    ws_indstillinger: Worksheet, start_row: int, maaltal: Maaltal | None = None
) -> dict[str, str]:
    """Write the price table, investment costs and calculation period into `Indstillinger`
    from `start_row` down (columns A-D), marked "Skal udfyldes af jer".

    Returns defined name -> reference of every cell/range it defined."""
    ws = ws_indstillinger
    m = maaltal or load_maaltal()
    o = m.oekonomi
    r = start_row
    _put(
        ws,
        r,
        1,
        f"Måltal: priser og investeringer – {MUST_FILL}",
        font=Font(bold=True, size=12),
        fill=MUST_FILL_FILL,
    )
    _put(ws, r, 2, None, fill=MUST_FILL_FILL)
    _put(ws, r + 1, 1, PLACEHOLDER_NOTE, font=Font(bold=True, color="9C0006"))
    _put(ws, r + 2, 1, "Kilde")
    _put(ws, r + 2, 2, o.kilde or "")
    rows = [
        ("Pladsholdertal (ja/nej)", "ja" if o.pladsholder else "nej", None, N_PLACEHOLDER),
        ("Første måned i beregningen", o.start, MONTH_FORMAT, N_START),
        ("Antal måneder i beregningen", o.maaneder, "0", N_MONTHS),
        ("Indfasning af effekt (måneder)", o.indfasning, "0", N_RAMP),
    ]
    refs: dict[str, str] = {}
    for row, (label, value, fmt, name) in enumerate(rows, r + 3):
        _put(ws, row, 1, label)
        refs[name] = _ref(ws.title, _input(ws, row, 2, value, fmt).coordinate)
    dv = DataValidation(type="list", formula1='"ja,nej"', allow_blank=False)
    ws.add_data_validation(dv)
    dv.add(f"B{r + 3}")
    row = r + 8
    _head(ws, row, ("Gruppe", "Kr. pr. fuldtidsperson pr. år (netto efter refusion)"))
    for i, g in enumerate(m.grupper, row + 1):
        _put(ws, i, 1, g.navn)
        _input(ws, i, 2, o.pris(g.navn), KR_FORMAT)
    refs[N_PRICES] = _ref(ws.title, f"A{row + 1}", f"B{max(row + len(m.grupper), row + 1)}")
    refs[N_COSTS], row = _write_cost_table(ws, row + len(m.grupper) + 2, o.udgifter)
    _put(
        ws,
        row + 1,
        1,
        "Tom første måned = beregningens første måned; tomt antal måneder = "
        "hele beregningsperioden. Besparelsen indfases lineært over indfasningen.",
        font=Font(italic=True),
    )
    for name, ref in refs.items():
        _define(ws.parent, name, ref)
    for col, width in (("A", 40), ("B", 22), ("C", 22), ("D", 22)):
        ws.column_dimensions[col].width = max(ws.column_dimensions[col].width or 0, width)
    return refs


def _input(ws: Worksheet, row: int, col: int, value: object, fmt: str | None = None):
    """A cell for the user to fill in (Excel's Input style)."""
    cell = _put(ws, row, col, value, fill=INPUT_FILL, font=INPUT_FONT)
    if fmt:
        cell.number_format = fmt
    return cell


def _write_cost_table(ws: Worksheet, row: int, costs: tuple[Udgift, ...]) -> tuple[str, int]:
    """The investment costs from `row` (header) down, with three empty rows for more
    projects; returns the reference of the rows and the last row."""
    _head(
        ws,
        row,
        ("Projekt", "Udgift pr. år (kr.)", "Første måned med udgift", "Antal måneder med udgift"),
    )
    first = row + 1
    for u in costs:
        row += 1
        _put(ws, row, 1, u.projekt)
        for col, value, fmt in (
            (2, u.udgift_pr_aar, KR_FORMAT),
            (3, u.start, MONTH_FORMAT),
            (4, u.maaneder, "0"),
        ):
            _input(ws, row, col, value, fmt)
    for _ in range(3):  # room for more projects inside the named range
        row += 1
        for col in range(1, 5):
            _input(ws, row, col, None)
        ws.cell(row=row, column=3).number_format = MONTH_FORMAT
    return _ref(ws.title, f"A{first}", f"D{row}"), row


def _has_settings(wb: Workbook) -> bool:
    return all(name in wb.defined_names for name in SETTING_NAMES)


def _ensure_settings(wb: Workbook, maaltal: Maaltal) -> None:
    if _has_settings(wb):
        return
    if SETTINGS_SHEET in wb.sheetnames:
        ws = wb[SETTINGS_SHEET]
        start = ws.max_row + 3 if ws.max_row > 1 or ws["A1"].value is not None else 1
    else:
        ws = wb.create_sheet(SETTINGS_SHEET)
        start = 1
    write_price_settings(ws, start, maaltal)


def read_price_settings(wb: Workbook, fallback: Oekonomi | None = None) -> Oekonomi:
    """Prices, costs and period from the `xlstatus_maaltal_*` names (fallback: template)."""
    base = fallback or load_maaltal().oekonomi
    if not _has_settings(wb):
        return base
    problems = Problems()
    where = SETTINGS_SHEET

    def number(value: object, label: str) -> float | None:
        try:
            return cell_number(value)
        except ValueError:
            problems.error(f"'{label}' er ikke et tal", file=where, value=value, expected="tal")
            return None

    def month(value: object, label: str) -> date | None:
        try:
            return _month_value(value)
        except ValueError:
            problems.error(
                f"'{label}' er ikke en måned",
                file=where,
                value=value,
                expected="en dato eller ÅÅÅÅ-MM",
            )
            return None

    prices: dict[str, float] = {}
    for row in _named_cells(wb, N_PRICES) or []:
        name = _text(row[0])
        if name:
            prices[name] = number(row[1], f"Pris for {name}") or 0.0
    costs = []
    for row in _named_cells(wb, N_COSTS) or []:
        project = _text(row[0])
        if not project:
            continue
        months = number(row[3], f"Antal måneder for {project}") if len(row) > 3 else None
        costs.append(
            Udgift(
                projekt=project,
                udgift_pr_aar=number(row[1], f"Udgift for {project}") or 0.0,
                start=month(row[2], f"Første måned for {project}") if len(row) > 2 else None,
                maaneder=int(months) if months and months > 0 else None,
            )
        )

    def single(name: str) -> object:
        cells = _named_cells(wb, name)
        return cells[0][0] if cells and cells[0] else None

    flag = _text(single(N_PLACEHOLDER)).casefold()
    start = month(single(N_START), "Første måned i beregningen") or base.start
    n = number(single(N_MONTHS), "Antal måneder i beregningen")
    ramp = number(single(N_RAMP), "Indfasning af effekt (måneder)")
    problems.raise_if_errors("Arket Indstillinger har fejl i Måltal-priserne", TemplateError)
    return Oekonomi(
        priser=prices,
        udgifter=tuple(costs),
        start=start,
        maaneder=int(n) if n and n >= 1 else base.maaneder,
        indfasning=int(ramp) if ramp is not None and ramp >= 0 else base.indfasning,
        pladsholder=flag not in ("nej", "n", "no", "false", "0"),
        kilde=base.kilde,
    )


# --------------------------------------------------------------------------- the lines table


@dataclass
class Layout:
    """Where the lines table is on a sheet."""

    header_row: int
    end_row: int  # last row of the table
    groups: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # header, total

    def span(self, g: Group) -> tuple[int, int]:
        """First and last row of a group (its total row, else its last line)."""
        head, total = self.groups[g.navn]
        return head, total or max([head, *(x.line for x in g.linjer)])


def _write_table(ws: Worksheet, m: Maaltal) -> int:
    """Title, notes and the lines table; returns the table's last row."""
    _put(ws, 1, 1, m.titel, font=Font(bold=True, size=14))
    _put(
        ws,
        2,
        1,
        "Ret tallene i kolonne E (Antal fuldtidspersoner). Sum af linjer, kontrol, "
        "projektoversigt og økonomi regnes straks igen. Nye linjer indsættes inden for "
        "gruppen; Opdater udfylder de faktiske tal.",
        font=Font(italic=True),
    )
    row = 3
    for note in m.noter:
        _put(ws, row, 1, note, font=Font(italic=True, color="595959"))
        row += 1
    header = row + 1
    ws.row_dimensions[header].height = 32
    _head(ws, header, HEADERS, wrap=True)
    row = header
    for g in m.grupper:
        row = _write_group(ws, m, g, row + 1)
    _table_rules(ws, header, row)
    return row


def _write_group(ws: Worksheet, m: Maaltal, g: Group, head: int) -> int:
    """A group row, its lines and its total row with the live sum and the flag; returns the
    total row."""
    for col in range(1, len(HEADERS) + 1):
        _put(ws, head, col, None, fill=GROUP_FILL)
    _put(ws, head, C_GROUP, g.navn, font=BOLD, fill=GROUP_FILL)
    _put(ws, head, C_VALUE, m.enhed, font=Font(italic=True), fill=GROUP_FILL)
    row = head
    for x in g.linjer:
        row += 1
        _put(ws, row, C_TEXT, x.tekst)
        _put(ws, row, C_TYPE, x.type)
        _put(ws, row, C_PROJECT, x.projekt)
        _put(ws, row, C_VALUE, x.fuldtidspersoner, number_format="General")
        _put(ws, row, C_CODES, "; ".join(x.maalgrupper) or None)
        _put(ws, row, C_FOR, x.maal_for or None)
    row += 1
    total = {"font": BOLD, "border": TOP}
    _put(ws, row, C_TEXT, g.total_tekst, **total)
    _put(ws, row, C_TYPE, TOTAL_LABEL, **total)
    _put(ws, row, C_VALUE, g.total, **total, number_format="General")
    e, c = get_column_letter(C_VALUE), get_column_letter(C_TYPE)
    _formula(
        ws, row, C_SUM, f'=SUMIFS({e}{head}:{e}{row},{c}{head}:{c}{row},"<>{TOTAL_LABEL}")', **total
    )
    _formula(
        ws,
        row,
        C_FLAG,
        f'=IF({e}{row}="","",IF(ISNUMBER({e}{row}),IF(ABS(F{row}-'
        f'{e}{row})>0.000001,"{FLAG_TEXT}","OK"),"{NOT_A_NUMBER}"))',
        **total,
    )
    _put(ws, row, C_CODES, "; ".join(g.maalgrupper) or None, border=TOP)
    for col in (C_GROUP, C_PROJECT, C_FOR):
        ws.cell(row=row, column=col).border = TOP
    return row


def _table_rules(ws: Worksheet, header: int, last: int) -> None:
    """The red flag, the type list, widths, frozen header and print setup of the table."""
    first = header + 1
    red = PatternFill("solid", fgColor=FILL["roed"], bgColor=FILL["roed"])
    rule = FormulaRule(
        formula=[f'AND(G{first}<>"",G{first}<>"OK")'],
        fill=red,
        font=Font(bold=True, color=FONT["roed"]),
    )
    ws.conditional_formatting.add(f"G{first}:G{last}", rule)
    types = ",".join((*LINE_TYPES, TOTAL_LABEL))
    dv = DataValidation(type="list", formula1=f'"{types}"', allow_blank=True)
    dv.error = "Type skal være basis, investering, budgetforlig, øvrig eller I alt."
    ws.add_data_validation(dv)
    dv.add(f"C{first}:C{last}")
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _find_header(ws: Worksheet) -> int | None:
    for row in range(1, min(ws.max_row, 80) + 1):
        a = name_key(ws.cell(row=row, column=C_GROUP).value)
        b = name_key(ws.cell(row=row, column=C_TEXT).value)
        if a == "gruppe" and b == "linje":
            return row
    return None


def _find_marker(ws: Worksheet, text: str, after: int = 1) -> int | None:
    key = name_key(text)
    for row in range(after, ws.max_row + 1):
        if name_key(ws.cell(row=row, column=1).value).startswith(key):
            return row
    return None


TYPE_KEYS = {name_key(t): t for t in LINE_TYPES} | {"ovrig": "øvrig", "andet": "øvrig"}


@dataclass
class _GroupRows:
    """A group as read from the sheet: its row, lines and total row."""

    navn: str
    row: int
    linjer: list[Line] = field(default_factory=list)
    total_row: int | None = None
    total_tekst: str = TOTAL_LABEL
    total: float | None = None
    maalgrupper: tuple[str, ...] = ()

    def group(self) -> Group:
        return Group(
            self.navn, tuple(self.linjer), self.total_tekst, self.total, self.maalgrupper, self.row
        )


def _read_table(ws: Worksheet) -> tuple[Maaltal, Layout]:
    """The lines table as a Maaltal (economy from Indstillinger) and where it is."""
    header = _find_header(ws)
    where = ws.title
    problems = Problems()
    if header is None:
        problems.error(
            "arket har ingen Måltal-tabel",
            file=where,
            expected="en overskriftsrække med 'Gruppe' og 'Linje' i kolonne A og B",
        )
        problems.raise_if_errors(f"Arket {where} kan ikke læses", TemplateError)
        raise AssertionError  # unreachable
    stop = _find_marker(ws, MARK_MATRIX, header + 1)
    layout = Layout(header, header)
    groups = _read_groups(ws, header, (stop - 1) if stop else ws.max_row, layout, problems)
    title = _text(ws.cell(row=1, column=1).value) or "Måltal"
    notes = tuple(
        _text(ws.cell(row=r, column=1).value)
        for r in range(3, header)
        if _text(ws.cell(row=r, column=1).value)
    )
    for g in groups:
        layout.groups[g.navn] = (g.row, g.total_row)
    template = load_maaltal()
    oekonomi = read_price_settings(ws.parent, template.oekonomi) if ws.parent else template.oekonomi
    m = Maaltal(title, tuple(g.group() for g in groups), oekonomi, template.enhed, notes)
    known = {g.navn for g in groups}
    checked = replace(oekonomi, priser={k: v for k, v in oekonomi.priser.items() if k in known})
    problems.extend(validate_maaltal(replace(m, oekonomi=checked), where))
    problems.raise_if_errors(f"Arket {where} har fejl", TemplateError)
    return m, layout


def _read_groups(
    ws: Worksheet, header: int, last: int, layout: Layout, problems: Problems
) -> list[_GroupRows]:
    """Group rows, line rows and total rows below `header`; sets `layout.end_row`."""
    where = ws.title
    groups: list[_GroupRows] = []
    current: _GroupRows | None = None
    for row in range(header + 1, last + 1):
        v = [ws.cell(row=row, column=c).value for c in range(1, len(HEADERS) + 1)]
        if all(x is None or (isinstance(x, str) and not x.strip()) for x in v[:C_FOR]):
            continue
        layout.end_row = row
        kind = name_key(v[C_TYPE - 1])
        if not kind and _text(v[C_GROUP - 1]) and not _text(v[C_TEXT - 1]):
            current = _GroupRows(_text(v[C_GROUP - 1]), row)
            groups.append(current)
        elif (current is None or current.total_row is not None) and kind == name_key(TOTAL_LABEL):
            problems.error(
                "i alt-linjen hører ikke til nogen gruppe",
                file=where,
                row=row,
                column=HEADERS[C_TYPE - 1],
                expected="en gruppe ovenover",
            )
        elif current is None or current.total_row is not None:
            problems.error(
                "linjen står uden for en gruppe (efter gruppens i alt-linje)",
                file=where,
                row=row,
                column=HEADERS[C_TEXT - 1],
                value=_text(v[C_TEXT - 1]),
                expected="nye linjer indsættes over gruppens i alt-linje",
            )
        elif kind == name_key(TOTAL_LABEL):
            current.total_row = row
            current.total_tekst = _text(v[C_TEXT - 1]) or TOTAL_LABEL
            current.total = _number_at(v[C_VALUE - 1], where, row, problems)
            current.maalgrupper = _codes(v[C_CODES - 1])
        else:
            current.linjer.append(_read_line(v, row, kind, where, problems))
    return groups


def _read_line(v: list[object], row: int, kind: str, where: str, problems: Problems) -> Line:
    return Line(
        tekst=_text(v[C_TEXT - 1]),
        type=TYPE_KEYS.get(kind, _text(v[C_TYPE - 1])),
        fuldtidspersoner=_number_at(v[C_VALUE - 1], where, row, problems) or 0.0,
        projekt=_text(v[C_PROJECT - 1]) or None,
        maalgrupper=_codes(v[C_CODES - 1]),
        maal_for=_text(v[C_FOR - 1]) or None,
        line=row,
    )


def _number_at(value: object, where: str, row: int, problems: Problems) -> float | None:
    """A number in the table's value column; an error naming the cell when it is none."""
    try:
        return cell_number(value)
    except ValueError:
        problems.error(
            "ikke et tal",
            file=where,
            row=row,
            column=HEADERS[C_VALUE - 1],
            value=value,
            expected="et tal, fx -2",
        )
        return None


def read_maaltal_sheet(ws: Worksheet) -> Maaltal:
    """The Måltal a person sees on the sheet: its lines and typed totals (as edited), the
    prices and costs from `Indstillinger` (the template's when the workbook has none).

    A cell that is not a number, a line outside a group or an unknown type is a
    TemplateError naming the sheet, row and column."""
    return _read_table(ws)[0]


def find_maaltal_sheet(wb: Workbook, sheet_name: str = SHEET) -> Worksheet | None:
    """The Måltal sheet by its name (also 'Maaltal', any case and spacing), or None."""
    wanted = {name_key(sheet_name), name_key(SHEET), "maaltal"}
    for ws in wb.worksheets:
        if name_key(ws.title) in wanted:
            return ws
    return None


# --------------------------------------------------------------------------- derived blocks


def _clear_below(ws: Worksheet, row: int) -> None:
    if ws.max_row >= row:
        ws.delete_rows(row, ws.max_row - row + 1)
    for r in [r for r in ws.row_dimensions if r >= row]:
        del ws.row_dimensions[r]
    ws._charts = []  # openpyxl keeps charts in a private list


def _write_derived(
    ws: Worksheet,
    m: Maaltal,
    layout: Layout,
    results: list[Faktisk] | None,
    period: Periode | None,
    tolerance: Tolerance,
) -> None:
    """Rebuild everything below the lines table: matrix, actual against target, money."""
    _clear_below(ws, layout.end_row + 1)
    row, matrix_rows, price_row = _write_matrix(ws, m, layout, layout.end_row + 2)
    row = _write_actual(ws, m, layout, results, period, tolerance, row + 2)
    _write_money(ws, m, matrix_rows, price_row, row + 2)


def _write_matrix(
    ws: Worksheet, m: Maaltal, layout: Layout, row: int
) -> tuple[int, dict[str, int], int]:
    """Projects × groups as SUMIFS over the lines table, totals and the price row; returns
    the last row, the row of each project (and of the total) and the price row."""
    _put(
        ws,
        row,
        1,
        f"{MARK_MATRIX} (investeringslinjer, antal fuldtidspersoner)",
        font=Font(bold=True, size=12),
    )
    head = row + 1
    _put(ws, head, 1, "Projekt", font=BOLD, fill=HEAD_FILL)
    for col, g in enumerate(m.grupper, 2):
        _put(
            ws,
            head,
            col,
            g.navn,
            font=BOLD,
            fill=HEAD_FILL,
            alignment=Alignment(wrap_text=True, vertical="top"),
        )
    total_col = 2 + len(m.grupper)
    _put(ws, head, total_col, TOTAL_LABEL, font=BOLD, fill=HEAD_FILL)
    ws.row_dimensions[head].height = 64
    projects = [p for p in project_matrix(m).index if p != TOTAL_LABEL]
    e, d, c = (get_column_letter(x) for x in (C_VALUE, C_PROJECT, C_TYPE))
    matrix_rows = {p: head + 1 + i for i, p in enumerate(projects)}
    for p, row in matrix_rows.items():
        _put(ws, row, 1, p)
        for col, g in enumerate(m.grupper, 2):
            h, t = layout.span(g)
            _formula(
                ws,
                row,
                col,
                f"=SUMIFS(${e}${h}:${e}${t},${d}${h}:${d}${t},$A{row},"
                f'${c}${h}:${c}${t},"investering")',
                number_format="General",
            )
        last = get_column_letter(total_col - 1)
        _formula(ws, row, total_col, f"=SUM(B{row}:{last}{row})", font=BOLD)
    row = head + len(projects) + 1
    _put(ws, row, 1, TOTAL_LABEL, font=BOLD, border=TOP)
    for col in range(2, total_col + 1):
        x = get_column_letter(col)
        formula = f"=SUM({x}{head + 1}:{x}{row - 1})" if projects else "=0"
        _formula(ws, row, col, formula, font=BOLD, border=TOP)
    matrix_rows[TOTAL_LABEL] = row
    row += 1
    italic = Font(italic=True)
    _put(ws, row, 1, "Pris pr. fuldtidsperson pr. år (kr., fra Indstillinger)", font=italic)
    for col in range(2, total_col):
        _formula(
            ws,
            row,
            col,
            f"=IFERROR(VLOOKUP({get_column_letter(col)}${head},{N_PRICES},2,FALSE),0)",
            number_format=KR_FORMAT,
            font=Font(italic=True),
        )
    return row, matrix_rows, row


def _status_text(status: str) -> str:
    return f"{STATUS_SYMBOL[status]} {STATUS_TEXT[status]}"


def _write_actual(
    ws: Worksheet,
    m: Maaltal,
    layout: Layout,
    results: list[Faktisk] | None,
    period: Periode | None,
    tolerance: Tolerance,
    row: int,
) -> int:
    """Faktisk mod mål: period, legend, and per measured line its target (a formula over
    the lines table), the actual value, the difference and the status."""
    _put(
        ws,
        row,
        1,
        f"{MARK_ACTUAL} (fuldtidspersoner i perioden; lavere er bedre)",
        font=Font(bold=True, size=12),
    )
    row += 1
    _put(ws, row, 1, "Periode", font=BOLD)
    if period is None:
        _put(ws, row, 2, "Ikke opdateret endnu – kør Opdater.", font=Font(italic=True))
    else:
        _put(ws, row, 2, period.first, number_format=DATE_FORMAT)
        _put(ws, row, 3, period.last, number_format=DATE_FORMAT)
        _put(
            ws,
            row,
            4,
            f"{period.dage} dage; fuldtidspersoner = dage i målgrupperne ÷ {period.dage}",
        )
    row += 1
    pct = f"{tolerance.goal * 100:g}".replace(".", ",")
    _put(
        ws,
        row,
        1,
        f"{_status_text('groen')}: højst målet · {_status_text('gul')}: højst "
        f"{pct} % over målet · {_status_text('roed')}: mere end {pct} % over målet",
        font=Font(italic=True),
    )
    row += 1
    _head(
        ws,
        row,
        ("Gruppe", "Linje", "Mål", "Målgrupper i udtrækket", "Faktisk", "Forskel", "Status"),
    )
    by_point = {(r.punkt.gruppe, r.punkt.tekst): r for r in results or []}
    for p in maalepunkter(m):
        row += 1
        _put(ws, row, 1, p.gruppe)
        _put(ws, row, 2, p.tekst)
        _formula(ws, row, 3, _target_formula(p, layout), number_format="General")
        _put(ws, row, 4, "; ".join(p.maalgrupper))
        _formula(ws, row, 6, f'=IF(ISNUMBER(E{row}),E{row}-C{row},"")', number_format=FTP_FORMAT)
        r = by_point.get((p.gruppe, p.tekst))
        if r is None:
            continue
        _put(ws, row, 5, r.faktisk, number_format=FTP_FORMAT)
        _put(ws, row, 7, _status_text(r.status))
        fill = PatternFill("solid", fgColor=FILL[r.status])
        for col in (5, 6, 7):
            cell = ws.cell(row=row, column=col)
            cell.fill = fill
            cell.font = Font(color=FONT[r.status], bold=col == 7)
    return row


def _target_formula(p: Maalepunkt, layout: Layout) -> str:
    """A measured line's target: its lines in the table, or a whole group's sum."""
    e = get_column_letter(C_VALUE)
    head, total = layout.groups[p.gruppe]
    if p.samlet and total:
        return f"=F{total}"
    if p.samlet:
        return f"=SUM({e}{head}:{e}{max(x.line for x in p.linjer)})"
    return "=" + "+".join(f"{e}{x.line}" for x in p.linjer)


POSTS = ("Besparelse", "Udgift", "Akk. besparelse", "Akk. udgift", "Akk. netto")
MONEY_HEADS = (
    "Projekt",
    "Effekt (fuldtidspersoner)",
    "Besparelse pr. år ved fuld effekt",
    "Udgift pr. år",
    "Første måned",
    "Måneder med udgift",
    "Udgift i alt",
    "Besparelse i alt",
    "Nettoprovenu",
    "Tjent ind",
)


@dataclass(frozen=True)
class _Money:
    """Where the money blocks are: the summary (a row per project, header at `head`) and
    below it the monthly schedule (`POSTS` rows per project and the total, a column per
    month from column C)."""

    projects: list[str]
    head: int
    n: int  # months in the calculation
    groups: int  # columns of the project × group matrix (from B)

    def row(self, projekt: str) -> int:
        return self.head + 1 + self.projects.index(projekt)

    @property
    def total(self) -> int:
        return self.head + len(self.projects) + 1

    @property
    def sched_head(self) -> int:
        return self.total + 3

    def sched(self, projekt: str) -> int:
        """First schedule row of a project (or of the total)."""
        k = len(self.projects) if projekt == TOTAL_LABEL else self.projects.index(projekt)
        return self.sched_head + 1 + len(POSTS) * k

    @property
    def last_col(self) -> int:
        return 2 + self.n

    def cols(self, row: int) -> str:
        """The schedule's month columns of a row, absolute: $C$9:$AL$9."""
        return f"$C${row}:${get_column_letter(self.last_col)}${row}"


def _write_money(
    ws: Worksheet, m: Maaltal, matrix_rows: dict[str, int], price_row: int, row: int
) -> None:
    """Økonomi: per project effect, saving, cost, net return and break-even month, as
    formulas over the matrix, the prices and the monthly schedule below it."""
    calc = savings(m)
    money = _Money([p.projekt for p in calc.projekter], row + 3, len(calc.maaneder), len(m.grupper))
    _put(
        ws,
        row,
        1,
        f"{MARK_MONEY} – forventet besparelse mod investering (kr.)",
        font=Font(bold=True, size=12),
    )
    _formula(
        ws,
        row + 1,
        1,
        f'=IF({N_PLACEHOLDER}="nej","Priser og udgifter: fra arket '
        f'{SETTINGS_SHEET}.","OBS: Priser og udgifter er pladsholdertal – {MUST_FILL} '
        f'på arket {SETTINGS_SHEET}.")',
        font=Font(bold=True, color=FONT["roed"]),
    )
    _put(
        ws,
        row + 2,
        1,
        "Besparelse pr. år = −Σ effekt × pris (en stigning koster). Effekten "
        "indfases lineært over indfasningen og holder resten af perioden. Tjent ind = første "
        "måned, hvor den akkumulerede besparelse er mindst den akkumulerede udgift.",
        font=Font(italic=True),
    )
    _head(ws, money.head, MONEY_HEADS, wrap=True)
    ws.row_dimensions[money.head].height = 45
    for p in money.projects:
        _write_money_row(ws, money, p, matrix_rows.get(p), price_row)
    r = money.total
    _put(ws, r, 1, TOTAL_LABEL, font=BOLD, border=TOP)
    for col in (2, 3, 4, 7, 8, 9):
        x = get_column_letter(col)
        formula = f"=SUM({x}{money.head + 1}:{x}{r - 1})" if money.projects else "=0"
        _formula(
            ws,
            r,
            col,
            formula,
            font=BOLD,
            border=TOP,
            number_format="General" if col == 2 else KR_FORMAT,
        )
    _break_even(ws, r, money, TOTAL_LABEL, font=BOLD, border=TOP)
    _write_schedule(ws, money)
    _charts(ws, money)
    ws.print_area = f"A1:S{money.total}"  # the monthly schedule is for screens


def _cost_lookup(r: int, col: int, fallback: str) -> str:
    """A cost-table value of the project in row r; blank or 0 -> fallback."""
    v = f"VLOOKUP($A{r},{N_COSTS},{col},FALSE)"
    return f"IFERROR(IF({v}>0,{v},{fallback}),{fallback})"


def _write_money_row(
    ws: Worksheet, money: _Money, p: str, matrix_row: int | None, price_row: int
) -> None:
    r = money.row(p)
    _put(ws, r, 1, p)
    if matrix_row:
        last_group, total = (get_column_letter(1 + money.groups + k) for k in (0, 1))
        _formula(ws, r, 2, f"={total}{matrix_row}", number_format="General")
        _formula(
            ws,
            r,
            3,
            f"=-SUMPRODUCT(B{matrix_row}:{last_group}{matrix_row},"
            f"$B${price_row}:${last_group}${price_row})",
            number_format=KR_FORMAT,
        )
    else:
        _put(ws, r, 2, 0)
        _put(ws, r, 3, 0, number_format=KR_FORMAT)
    _formula(ws, r, 4, f"=IFERROR(VLOOKUP($A{r},{N_COSTS},2,FALSE),0)", number_format=KR_FORMAT)
    start = _cost_lookup(r, 3, N_START)
    _formula(ws, r, 5, f"=DATE(YEAR({start}),MONTH({start}),1)", number_format=MONTH_FORMAT)
    _formula(ws, r, 6, "=" + _cost_lookup(r, 4, N_MONTHS), number_format="0")
    s, lc = money.sched(p), get_column_letter(money.last_col)
    _formula(ws, r, 7, f"=SUM(C{s + 1}:{lc}{s + 1})", number_format=KR_FORMAT)
    _formula(ws, r, 8, f"=SUM(C{s}:{lc}{s})", number_format=KR_FORMAT)
    _formula(ws, r, 9, f"=H{r}-G{r}", number_format=KR_FORMAT)
    _break_even(ws, r, money, p)


def _break_even(ws: Worksheet, r: int, money: _Money, p: str, **style: object) -> None:
    """Tjent ind: the first month with accumulated net ≥ 0 and accumulated saving > 0."""
    s = money.sched(p)
    net, acc = money.cols(s + 4), money.cols(s + 2)
    first = f'_xlfn.MINIFS({money.cols(money.sched_head)},{net},">=-0.000001",{acc},">0")'
    _formula(
        ws, r, 10, f'=IF({first}=0,"{NOT_REACHED}",{first})', number_format=MONTH_FORMAT, **style
    )


def _write_schedule(ws: Worksheet, money: _Money) -> None:
    """Måned for måned: saving, cost and their running sums per project and in total."""
    head = money.sched_head
    _put(ws, head - 1, 1, f"{MARK_MONTHS} (kr.)", font=Font(bold=True, size=12))
    _put(ws, head, 1, "Projekt", font=BOLD, fill=HEAD_FILL)
    _put(ws, head, 2, "Post", font=BOLD, fill=HEAD_FILL)
    for col in range(3, money.last_col + 1):
        prev = get_column_letter(col - 1)
        formula = (
            f"=DATE(YEAR({N_START}),MONTH({N_START}),1)" if col == 3 else f"=EDATE({prev}{head},1)"
        )
        _formula(ws, head, col, formula, font=BOLD, fill=HEAD_FILL, number_format=MONTH_FORMAT)
    for p in [*money.projects, TOTAL_LABEL]:
        s = money.sched(p)
        for i, post in enumerate(POSTS):
            _put(ws, s + i, 1, p, font=BOLD if p == TOTAL_LABEL else Font())
            _put(ws, s + i, 2, post)
        for col in range(3, money.last_col + 1):
            x, prev = get_column_letter(col), get_column_letter(col - 1)
            saving, cost = _schedule_formulas(money, p, x)
            _formula(ws, s, col, saving, number_format=KR_FORMAT)
            _formula(ws, s + 1, col, cost, number_format=KR_FORMAT)
            for i, base in ((2, s), (3, s + 1)):
                acc = f"={x}{base}" if col == 3 else f"={prev}{s + i}+{x}{base}"
                _formula(ws, s + i, col, acc, number_format=KR_FORMAT)
            _formula(ws, s + 4, col, f"={x}{s + 2}-{x}{s + 3}", number_format=KR_FORMAT)
        for col in range(1, money.last_col + 1):
            ws.cell(row=s, column=col).border = TOP


def _schedule_formulas(money: _Money, p: str, x: str) -> tuple[str, str]:
    """Saving and cost of project p (or the total) in the month of column x."""
    if p == TOTAL_LABEL:
        if not money.projects:
            return "=0", "=0"
        first, last = money.sched(money.projects[0]), money.sched(TOTAL_LABEL) - 1
        values, posts = f"{x}${first}:{x}${last}", f"$B${first}:$B${last}"
        return (f'=SUMIFS({values},{posts},"Besparelse")', f'=SUMIFS({values},{posts},"Udgift")')
    r = money.row(p)
    mh = f"{x}${money.sched_head}"
    j = f"((YEAR({mh})-YEAR($E${r}))*12+MONTH({mh})-MONTH($E${r})+1)"
    return (
        f"=IF({j}<1,0,$C${r}/12*MIN(1,{j}/MAX(1,{N_RAMP})))",
        f"=IF(AND({j}>=1,{j}<=$F${r}),$D${r}/12,0)",
    )


def _charts(ws: Worksheet, money: _Money) -> None:
    """Accumulated saving and cost in total (line), cost and saving per project (bar)."""
    months = Reference(ws, min_col=3, max_col=money.last_col, min_row=money.sched_head)
    line = LineChart()
    line.title = "Akkumuleret besparelse og udgift i alt (kr.)"
    line.y_axis.title = "kr."
    line.y_axis.number_format = "#,##0"
    total = money.sched(TOTAL_LABEL)
    for row in (total + 2, total + 3):
        data = Reference(ws, min_col=2, max_col=money.last_col, min_row=row)
        line.add_data(data, from_rows=True, titles_from_data=True)
    line.set_categories(months)
    line.x_axis.number_format = "mmm-yy"
    line.height, line.width = 8, 18
    for axis in (line.x_axis, line.y_axis):
        axis.delete = False
    ws.add_chart(line, "K2")
    if money.projects:
        bar = BarChart()
        bar.type = "bar"
        bar.title = "Udgift og besparelse i beregningsperioden pr. projekt (kr.)"
        first, last = money.row(money.projects[0]), money.row(money.projects[-1])
        data = Reference(ws, min_col=7, max_col=8, min_row=money.head, max_row=last)
        bar.add_data(data, titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        bar.y_axis.number_format = "#,##0"
        bar.height, bar.width = 9, 18
        for axis in (bar.x_axis, bar.y_axis):
            axis.delete = False
        ws.add_chart(bar, "K20")


# --------------------------------------------------------------------------- entry points


def write_maaltal_sheet(
    wb: Workbook, maaltal: Maaltal | None = None, sheet_name: str = SHEET
) -> Worksheet:
    """Build the Måltal sheet from `maaltal` (default: the template), replacing an existing
    one in place. Writes the price settings into `Indstillinger` when the workbook has none."""
    m = maaltal or load_maaltal()
    index = None
    if sheet_name in wb.sheetnames:
        index = wb.sheetnames.index(sheet_name)
        del wb[sheet_name]
    ws = wb.create_sheet(sheet_name, index)
    wb.calculation.fullCalcOnLoad = True  # the sheet's formulas have no cached values yet
    _ensure_settings(wb, m)
    _write_table(ws, m)
    read, layout = _read_table(ws)
    _write_derived(ws, read, layout, None, None, Tolerance())
    return ws


def update_maaltal_sheet(
    wb: Workbook,
    extract: Extract,
    month: date,
    period: Periode | None = None,
    sheet_name: str = SHEET,
    tolerance: Tolerance = Tolerance(),
) -> list[Faktisk]:
    """Fill the actual-against-target block for `period` (default: year to date of
    `month`) and rebuild everything below the lines table from what the table holds now.

    The lines table (the person's) is not touched. Creates the sheet from the template
    when the workbook has none. Running it twice gives the same sheet."""
    ws = find_maaltal_sheet(wb, sheet_name) or write_maaltal_sheet(wb, None, sheet_name)
    m, layout = _read_table(ws)
    _ensure_settings(wb, m)
    m = replace(m, oekonomi=read_price_settings(wb, m.oekonomi))
    period = period or default_period(month)
    results = actual_vs_target(extract, m, period, tolerance)
    _write_derived(ws, m, layout, results, period, tolerance)
    wb.calculation.fullCalcOnLoad = True
    return results
