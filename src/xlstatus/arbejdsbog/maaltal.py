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
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as _Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.stil import DATE_FORMAT, FILL, FONT, LOCALE, MONTH_FORMAT
from xlstatus.kerne.errors import Problems, TemplateError
from xlstatus.kerne.maaltal import (
    LINE_TYPES,
    TOTAL_LABEL,
    Faktisk,
    Group,
    Line,
    Maaltal,
    Oekonomi,
    Periode,
    Udgift,
    actual_vs_target,
    default_period,
    maalepunkter,
    name_key,
    parse_maaltal,
    project_matrix,
    savings,
    validate_maaltal,
)
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skabeloner import MAALTAL_FILE, template_file
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT, Tolerance
from xlstatus.kerne.tid import cell_month

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


def load_maaltal(path: Path | None = None) -> Maaltal:
    """The Måltal template (maaltal.toml, kerne.skabeloner) unless `path` is given."""
    path = path or template_file(MAALTAL_FILE)
    return parse_maaltal(path.read_text(encoding="utf-8"), path.name)


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

    def absolute(coord: str) -> str:
        m = re.fullmatch(r"([A-Z]+)(\d+)", coord)
        assert m
        return f"${m[1]}${m[2]}"

    ref = absolute(first) + (f":{absolute(last)}" if last else "")
    return f"{quote_sheetname(sheet)}!{ref}"


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
    wb = ws.parent
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
    _put(
        ws,
        r + 1,
        1,
        "PLADSHOLDERTAL: tallene nedenfor er illustrative og ikke kommunens "
        "egne. Erstat dem med jeres priser pr. fuldtidsperson (netto efter statsrefusion) og "
        "projekternes udgifter, og sæt 'Pladsholdertal' til nej.",
        font=Font(bold=True, color="9C0006"),
    )
    _put(ws, r + 2, 1, "Kilde")
    _put(ws, r + 2, 2, o.kilde or "")
    rows = [
        ("Pladsholdertal (ja/nej)", "ja" if o.pladsholder else "nej", None, N_PLACEHOLDER),
        ("Første måned i beregningen", o.start, MONTH_FORMAT, N_START),
        ("Antal måneder i beregningen", o.maaneder, "0", N_MONTHS),
        ("Indfasning af effekt (måneder)", o.indfasning, "0", N_RAMP),
    ]
    refs: dict[str, str] = {}
    for i, (label, value, fmt, name) in enumerate(rows):
        row = r + 3 + i
        _put(ws, row, 1, label)
        cell = _put(ws, row, 2, value, fill=INPUT_FILL, font=INPUT_FONT)
        if fmt:
            cell.number_format = fmt
        refs[name] = _ref(ws.title, cell.coordinate)
    dv = DataValidation(type="list", formula1='"ja,nej"', allow_blank=False)
    ws.add_data_validation(dv)
    dv.add(f"B{r + 3}")
    row = r + 8
    _head(ws, row, ("Gruppe", "Kr. pr. fuldtidsperson pr. år (netto efter refusion)"))
    first = row + 1
    for g in m.grupper:
        row += 1
        _put(ws, row, 1, g.navn)
        _put(ws, row, 2, o.pris(g.navn), fill=INPUT_FILL, font=INPUT_FONT, number_format=KR_FORMAT)
    refs[N_PRICES] = _ref(ws.title, f"A{first}", f"B{max(row, first)}")
    row += 2
    heads = (
        "Projekt",
        "Udgift pr. år (kr.)",
        "Første måned med udgift",
        "Antal måneder med udgift",
    )
    _head(ws, row, heads)
    first = row + 1
    for u in o.udgifter:
        row += 1
        _put(ws, row, 1, u.projekt)
        _put(ws, row, 2, u.udgift_pr_aar, fill=INPUT_FILL, font=INPUT_FONT, number_format=KR_FORMAT)
        _put(ws, row, 3, u.start, fill=INPUT_FILL, font=INPUT_FONT, number_format=MONTH_FORMAT)
        _put(ws, row, 4, u.maaneder, fill=INPUT_FILL, font=INPUT_FONT, number_format="0")
    for _ in range(3):  # room for more projects inside the named range
        row += 1
        for col in range(1, 5):
            _put(ws, row, col, None, fill=INPUT_FILL, font=INPUT_FONT)
        ws.cell(row=row, column=3).number_format = MONTH_FORMAT
    refs[N_COSTS] = _ref(ws.title, f"A{first}", f"D{row}")
    _put(
        ws,
        row + 1,
        1,
        "Tom første måned = beregningens første måned; tomt antal måneder = "
        "hele beregningsperioden. Besparelsen indfases lineært over indfasningen.",
        font=Font(italic=True),
    )
    for name, ref in refs.items():
        _define(wb, name, ref)
    for col, width in (("A", 40), ("B", 22), ("C", 22), ("D", 22)):
        current = ws.column_dimensions[col].width or 0
        ws.column_dimensions[col].width = max(current, width)
    return refs


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

    def span(self, gruppe: str, last_line: int) -> tuple[int, int]:
        head, total = self.groups[gruppe]
        return head, total or max(last_line, head)


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
    first_body = header + 1
    for g in m.grupper:
        row += 1
        head = row
        for col in range(1, len(HEADERS) + 1):
            _put(ws, row, col, None, fill=GROUP_FILL)
        _put(ws, row, C_GROUP, g.navn, font=BOLD, fill=GROUP_FILL)
        _put(ws, row, C_VALUE, m.enhed, font=Font(italic=True), fill=GROUP_FILL)
        for x in g.linjer:
            row += 1
            _put(ws, row, C_TEXT, x.tekst)
            _put(ws, row, C_TYPE, x.type)
            _put(ws, row, C_PROJECT, x.projekt)
            _put(ws, row, C_VALUE, x.fuldtidspersoner, number_format="General")
            _put(ws, row, C_CODES, "; ".join(x.maalgrupper) or None)
            _put(ws, row, C_FOR, x.maal_for or None)
        row += 1
        _put(ws, row, C_TEXT, g.total_tekst, font=BOLD, border=TOP)
        _put(ws, row, C_TYPE, TOTAL_LABEL, font=BOLD, border=TOP)
        _put(ws, row, C_VALUE, g.total, font=BOLD, border=TOP, number_format="General")
        e, c = get_column_letter(C_VALUE), get_column_letter(C_TYPE)
        _formula(
            ws,
            row,
            C_SUM,
            f'=SUMIFS({e}{head}:{e}{row},{c}{head}:{c}{row},"<>{TOTAL_LABEL}")',
            font=BOLD,
            border=TOP,
        )
        _formula(
            ws,
            row,
            C_FLAG,
            f'=IF({e}{row}="","",IF(ISNUMBER({e}{row}),IF(ABS(F{row}-'
            f'{e}{row})>0.000001,"{FLAG_TEXT}","OK"),"{NOT_A_NUMBER}"))',
            font=BOLD,
            border=TOP,
        )
        _put(ws, row, C_CODES, "; ".join(g.maalgrupper) or None, border=TOP)
        for col in (C_GROUP, C_PROJECT, C_FOR):
            ws.cell(row=row, column=col).border = TOP
    flags = f"G{first_body}:G{row}"
    ws.conditional_formatting.add(
        flags,
        FormulaRule(
            formula=[f'AND(G{first_body}<>"",G{first_body}<>"OK")'],
            fill=PatternFill("solid", fgColor=FILL["roed"], bgColor=FILL["roed"]),
            font=Font(bold=True, color=FONT["roed"]),
        ),
    )
    dv = DataValidation(
        type="list", formula1='"' + ",".join((*LINE_TYPES, TOTAL_LABEL)) + '"', allow_blank=True
    )
    dv.error = "Type skal være basis, investering, budgetforlig, øvrig eller I alt."
    ws.add_data_validation(dv)
    dv.add(f"C{first_body}:C{row}")
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return row


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
    last = (stop - 1) if stop else ws.max_row
    layout = Layout(header, header)
    groups: list[dict] = []
    current: dict | None = None
    for row in range(header + 1, last + 1):
        v = [ws.cell(row=row, column=c).value for c in range(1, len(HEADERS) + 1)]
        if all(x is None or (isinstance(x, str) and not x.strip()) for x in v[:C_FOR]):
            continue
        layout.end_row = row
        kind = name_key(v[C_TYPE - 1])

        def number(value: object, column: str, row: int = row) -> float | None:
            try:
                return cell_number(value)
            except ValueError:
                problems.error(
                    "ikke et tal",
                    file=where,
                    row=row,
                    column=column,
                    value=value,
                    expected="et tal, fx -2",
                )
                return None

        if kind == name_key(TOTAL_LABEL):
            if current is None or current["total_row"] is not None:
                problems.error(
                    "i alt-linjen hører ikke til nogen gruppe",
                    file=where,
                    row=row,
                    column=HEADERS[C_TYPE - 1],
                    expected="en gruppe ovenover",
                )
                continue
            current.update(
                total_row=row,
                total_tekst=_text(v[C_TEXT - 1]) or TOTAL_LABEL,
                total=number(v[C_VALUE - 1], HEADERS[C_VALUE - 1]),
                maalgrupper=_codes(v[C_CODES - 1]),
            )
        elif not kind and _text(v[C_GROUP - 1]) and not _text(v[C_TEXT - 1]):
            current = {
                "navn": _text(v[C_GROUP - 1]),
                "row": row,
                "linjer": [],
                "total_row": None,
                "total_tekst": TOTAL_LABEL,
                "total": None,
                "maalgrupper": (),
            }
            groups.append(current)
        else:
            if current is None or current["total_row"] is not None:
                problems.error(
                    "linjen står uden for en gruppe (efter gruppens i alt-linje)",
                    file=where,
                    row=row,
                    column=HEADERS[C_TEXT - 1],
                    value=_text(v[C_TEXT - 1]),
                    expected="nye linjer indsættes over gruppens i alt-linje",
                )
                continue
            maal_for = v[C_FOR - 1]
            current["linjer"].append(
                Line(
                    tekst=_text(v[C_TEXT - 1]),
                    type=TYPE_KEYS.get(kind, _text(v[C_TYPE - 1])),
                    fuldtidspersoner=number(v[C_VALUE - 1], HEADERS[C_VALUE - 1]) or 0.0,
                    projekt=_text(v[C_PROJECT - 1]) or None,
                    maalgrupper=_codes(v[C_CODES - 1]),
                    maal_for=_text(maal_for) or None,
                    line=row,
                )
            )
    title = _text(ws.cell(row=1, column=1).value) or "Måltal"
    notes = tuple(
        _text(ws.cell(row=r, column=1).value)
        for r in range(3, header)
        if _text(ws.cell(row=r, column=1).value)
    )
    grupper = tuple(
        Group(
            g["navn"], tuple(g["linjer"]), g["total_tekst"], g["total"], g["maalgrupper"], g["row"]
        )
        for g in groups
    )
    for g in groups:
        layout.groups[g["navn"]] = (g["row"], g["total_row"])
    template = load_maaltal()
    oekonomi = read_price_settings(ws.parent, template.oekonomi) if ws.parent else template.oekonomi
    m = Maaltal(title, grupper, oekonomi, template.enhed, notes)
    known = {g.navn for g in grupper}
    checked = replace(oekonomi, priser={k: v for k, v in oekonomi.priser.items() if k in known})
    problems.extend(validate_maaltal(replace(m, oekonomi=checked), where))
    problems.raise_if_errors(f"Arket {where} har fejl", TemplateError)
    return m, layout


def read_maaltal_sheet(ws: Worksheet) -> Maaltal:
    """The Måltal a person sees on the sheet: its lines and typed totals (as edited), the
    prices and costs from `Indstillinger` (the template's when the workbook has none).

    A cell that is not a number, a line outside a group or an unknown type is a
    TemplateError naming the sheet, row and column."""
    return _read_table(ws)[0]


def find_maaltal_sheet(wb: Workbook, sheet_name: str = SHEET) -> Worksheet | None:
    """The Måltal sheet: by name (also 'Maaltal', any case), else by its table header."""
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
    start = layout.end_row + 2
    _clear_below(ws, layout.end_row + 1)
    row, matrix_rows, price_row, group_cols = _write_matrix(ws, m, layout, start)
    row = _write_actual(ws, m, layout, results, period, tolerance, row + 2)
    _write_money(ws, m, matrix_rows, price_row, group_cols, row + 2)


def _group_span(m: Maaltal, layout: Layout, g: Group) -> tuple[int, int]:
    last_line = max((x.line for x in g.linjer), default=layout.groups[g.navn][0])
    return layout.span(g.navn, last_line)


def _write_matrix(ws: Worksheet, m: Maaltal, layout: Layout, row: int):
    _put(
        ws,
        row,
        1,
        f"{MARK_MATRIX} (investeringslinjer, antal fuldtidspersoner)",
        font=Font(bold=True, size=12),
    )
    head = row + 1
    _put(ws, head, 1, "Projekt", font=BOLD, fill=HEAD_FILL)
    group_cols: dict[str, int] = {}
    for j, g in enumerate(m.grupper):
        group_cols[g.navn] = 2 + j
        _put(
            ws,
            head,
            2 + j,
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
    matrix_rows: dict[str, int] = {}
    row = head
    for p in projects:
        row += 1
        matrix_rows[p] = row
        _put(ws, row, 1, p)
        for g in m.grupper:
            h, t = _group_span(m, layout, g)
            _formula(
                ws,
                row,
                group_cols[g.navn],
                f"=SUMIFS(${e}${h}:${e}${t},${d}${h}:${d}${t},$A{row},"
                f'${c}${h}:${c}${t},"investering")',
                number_format="General",
            )
        last = get_column_letter(total_col - 1)
        _formula(ws, row, total_col, f"=SUM(B{row}:{last}{row})", font=BOLD)
    row += 1
    _put(ws, row, 1, TOTAL_LABEL, font=BOLD, border=TOP)
    for col in range(2, total_col + 1):
        letter = get_column_letter(col)
        formula = f"=SUM({letter}{head + 1}:{letter}{row - 1})" if projects else "=0"
        _formula(ws, row, col, formula, font=BOLD, border=TOP)
    matrix_rows[TOTAL_LABEL] = row
    row += 1
    price_row = row
    _put(
        ws,
        row,
        1,
        "Pris pr. fuldtidsperson pr. år (kr., fra Indstillinger)",
        font=Font(italic=True),
    )
    for g in m.grupper:
        col = group_cols[g.navn]
        letter = get_column_letter(col)
        _formula(
            ws,
            row,
            col,
            f"=IFERROR(VLOOKUP({letter}${head},{N_PRICES},2,FALSE),0)",
            number_format=KR_FORMAT,
            font=Font(italic=True),
        )
    return row, matrix_rows, price_row, group_cols


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
    heads = ("Gruppe", "Linje", "Mål", "Målgrupper i udtrækket", "Faktisk", "Forskel", "Status")
    _head(ws, row, heads)
    by_point = {(r.punkt.gruppe, r.punkt.tekst): r for r in results or []}
    e = get_column_letter(C_VALUE)
    for p in maalepunkter(m):
        row += 1
        _put(ws, row, 1, p.gruppe)
        _put(ws, row, 2, p.tekst)
        head, total = layout.groups[p.gruppe]
        if p.samlet and total:
            target = f"=F{total}"
        elif p.samlet:
            target = f"=SUM({e}{head}:{e}{max(x.line for x in p.linjer)})"
        else:
            target = "=" + "+".join(f"{e}{x.line}" for x in p.linjer)
        _formula(ws, row, 3, target, number_format="General")
        _put(ws, row, 4, "; ".join(p.maalgrupper))
        r = by_point.get((p.gruppe, p.tekst))
        _formula(ws, row, 6, f'=IF(ISNUMBER(E{row}),E{row}-C{row},"")', number_format=FTP_FORMAT)
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


def _write_money(
    ws: Worksheet,
    m: Maaltal,
    matrix_rows: dict[str, int],
    price_row: int,
    group_cols: dict[str, int],
    row: int,
) -> None:
    calc = savings(m)
    projects = [p.projekt for p in calc.projekter]
    n = len(calc.maaneder)
    _put(
        ws,
        row,
        1,
        f"{MARK_MONEY} – forventet besparelse mod investering (kr.)",
        font=Font(bold=True, size=12),
    )
    row += 1
    _formula(
        ws,
        row,
        1,
        f'=IF({N_PLACEHOLDER}="nej","Priser og udgifter: fra arket '
        f'{SETTINGS_SHEET}.","OBS: Priser og udgifter er pladsholdertal – {MUST_FILL} '
        f'på arket {SETTINGS_SHEET}.")',
        font=Font(bold=True, color=FONT["roed"]),
    )
    row += 1
    _put(
        ws,
        row,
        1,
        "Besparelse pr. år = −Σ effekt × pris (en stigning koster). Effekten "
        "indfases lineært over indfasningen og holder resten af perioden. Tjent ind = første "
        "måned, hvor den akkumulerede besparelse er mindst den akkumulerede udgift.",
        font=Font(italic=True),
    )
    row += 1
    heads = (
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
    _head(ws, row, heads, wrap=True)
    summary_head = row
    ws.row_dimensions[row].height = 45
    summary: dict[str, int] = {}
    for p in projects:
        row += 1
        summary[p] = row
    summary_total = row + 1
    # the monthly schedule's rows, needed by the summary's formulas
    sched_title = summary_total + 2
    sched_head = sched_title + 1
    posts = ("Besparelse", "Udgift", "Akk. besparelse", "Akk. udgift", "Akk. netto")
    sched: dict[str, int] = {}
    r = sched_head
    for p in [*projects, TOTAL_LABEL]:
        sched[p] = r + 1
        r += len(posts)
    first_col, last_col = 3, 2 + n
    fc, lc = get_column_letter(first_col), get_column_letter(last_col)
    months = f"${fc}${sched_head}:${lc}${sched_head}"
    first_group = get_column_letter(min(group_cols.values()))
    last_group = get_column_letter(max(group_cols.values()))

    def lookup(r: int, col: int, fallback: str) -> str:
        """A cost-table value of the project in row r; blank or 0 -> fallback."""
        v = f"VLOOKUP($A{r},{N_COSTS},{col},FALSE)"
        return f"IFERROR(IF({v}>0,{v},{fallback}),{fallback})"

    for p in projects:
        r = summary[p]
        _put(ws, r, 1, p)
        mr = matrix_rows.get(p)
        total_col = get_column_letter(2 + len(group_cols))
        if mr:
            _formula(ws, r, 2, f"={total_col}{mr}", number_format="General")
            _formula(
                ws,
                r,
                3,
                f"=-SUMPRODUCT({first_group}{mr}:{last_group}{mr},"
                f"${first_group}${price_row}:${last_group}${price_row})",
                number_format=KR_FORMAT,
            )
        else:
            _put(ws, r, 2, 0)
            _put(ws, r, 3, 0, number_format=KR_FORMAT)
        _formula(ws, r, 4, f"=IFERROR(VLOOKUP($A{r},{N_COSTS},2,FALSE),0)", number_format=KR_FORMAT)
        start = lookup(r, 3, N_START)
        _formula(ws, r, 5, f"=DATE(YEAR({start}),MONTH({start}),1)", number_format=MONTH_FORMAT)
        _formula(ws, r, 6, "=" + lookup(r, 4, N_MONTHS), number_format="0")
        s = sched[p]
        _formula(ws, r, 7, f"=SUM({fc}{s + 1}:{lc}{s + 1})", number_format=KR_FORMAT)
        _formula(ws, r, 8, f"=SUM({fc}{s}:{lc}{s})", number_format=KR_FORMAT)
        _formula(ws, r, 9, f"=H{r}-G{r}", number_format=KR_FORMAT)
        _break_even(ws, r, months, s)
    r = summary_total
    _put(ws, r, 1, TOTAL_LABEL, font=BOLD, border=TOP)
    first_p, last_p = summary_head + 1, summary_total - 1
    for col in (2, 3, 4, 7, 8, 9):
        letter = get_column_letter(col)
        formula = f"=SUM({letter}{first_p}:{letter}{last_p})" if projects else "=0"
        _formula(
            ws,
            r,
            col,
            formula,
            font=BOLD,
            border=TOP,
            number_format="General" if col == 2 else KR_FORMAT,
        )
    _break_even(ws, r, months, sched[TOTAL_LABEL], font=BOLD, border=TOP)

    _put(ws, sched_title, 1, f"{MARK_MONTHS} (kr.)", font=Font(bold=True, size=12))
    _put(ws, sched_head, 1, "Projekt", font=BOLD, fill=HEAD_FILL)
    _put(ws, sched_head, 2, "Post", font=BOLD, fill=HEAD_FILL)
    for k in range(n):
        col = first_col + k
        formula = (
            f"=DATE(YEAR({N_START}),MONTH({N_START}),1)"
            if k == 0
            else f"=EDATE({get_column_letter(col - 1)}{sched_head},1)"
        )
        _formula(
            ws, sched_head, col, formula, font=BOLD, fill=HEAD_FILL, number_format=MONTH_FORMAT
        )
    ramp = f"MAX(1,{N_RAMP})"
    for p in [*projects, TOTAL_LABEL]:
        s = sched[p]
        for i, post in enumerate(posts):
            _put(ws, s + i, 1, p, font=BOLD if p == TOTAL_LABEL else Font())
            _put(ws, s + i, 2, post)
        for k in range(n):
            col = first_col + k
            x = get_column_letter(col)
            prev = get_column_letter(col - 1)
            if p == TOTAL_LABEL:
                if projects:
                    rng = f"{x}${sched[projects[0]]}:{x}${sched[TOTAL_LABEL] - 1}"
                    posts_rng = f"$B${sched[projects[0]]}:$B${sched[TOTAL_LABEL] - 1}"
                    bes = f'=SUMIFS({rng},{posts_rng},"Besparelse")'
                    udg = f'=SUMIFS({rng},{posts_rng},"Udgift")'
                else:
                    bes = udg = "=0"
            else:
                r = summary[p]
                mh = f"{x}${sched_head}"
                j = f"((YEAR({mh})-YEAR($E${r}))*12+MONTH({mh})-MONTH($E${r})+1)"
                bes = f"=IF({j}<1,0,$C${r}/12*MIN(1,{j}/{ramp}))"
                udg = f"=IF(AND({j}>=1,{j}<=$F${r}),$D${r}/12,0)"
            _formula(ws, s, col, bes, number_format=KR_FORMAT)
            _formula(ws, s + 1, col, udg, number_format=KR_FORMAT)
            for i, base in ((2, s), (3, s + 1)):
                acc = f"={x}{base}" if k == 0 else f"={prev}{s + i}+{x}{base}"
                _formula(ws, s + i, col, acc, number_format=KR_FORMAT)
            _formula(ws, s + 4, col, f"={x}{s + 2}-{x}{s + 3}", number_format=KR_FORMAT)
        for col in range(1, last_col + 1):
            ws.cell(row=s, column=col).border = TOP
    _charts(ws, projects, summary, summary_head, sched, sched_head, first_col, last_col)
    ws.print_area = f"A1:S{summary_total}"  # the monthly schedule is for screens


def _break_even(ws: Worksheet, r: int, months: str, s: int, **style: object) -> None:
    """Tjent ind: the first month with accumulated net ≥ 0 and accumulated saving > 0."""
    row_of = months.split(":")[0]
    first_col = re.match(r"\$([A-Z]+)\$", row_of)[1]  # type: ignore[index]
    last_col = re.match(r".*:\$([A-Z]+)\$", months)[1]  # type: ignore[index]
    net = f"${first_col}${s + 4}:${last_col}${s + 4}"
    acc = f"${first_col}${s + 2}:${last_col}${s + 2}"
    first = f'_xlfn.MINIFS({months},{net},">=-0.000001",{acc},">0")'
    _formula(
        ws, r, 10, f'=IF({first}=0,"{NOT_REACHED}",{first})', number_format=MONTH_FORMAT, **style
    )


def _charts(ws, projects, summary, summary_head, sched, sched_head, first_col, last_col) -> None:
    months = Reference(ws, min_col=first_col, max_col=last_col, min_row=sched_head)
    line = LineChart()
    line.title = "Akkumuleret besparelse og udgift i alt (kr.)"
    line.y_axis.title = "kr."
    line.y_axis.number_format = "#,##0"
    total = sched[TOTAL_LABEL]
    for row in (total + 2, total + 3):
        data = Reference(ws, min_col=2, max_col=last_col, min_row=row)
        line.add_data(data, from_rows=True, titles_from_data=True)
    line.set_categories(months)
    line.x_axis.number_format = "mmm-yy"
    line.height, line.width = 8, 18
    for axis in (line.x_axis, line.y_axis):
        axis.delete = False
    ws.add_chart(line, "K2")
    if projects:
        bar = BarChart()
        bar.type = "bar"
        bar.title = "Udgift og besparelse i beregningsperioden pr. projekt (kr.)"
        first, last = summary[projects[0]], summary[projects[-1]]
        data = Reference(ws, min_col=7, max_col=8, min_row=summary_head, max_row=last)
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
