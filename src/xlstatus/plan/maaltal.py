"""The Måltal sheet as data (pure): read its lines table from a grid of values, and what an
update writes below it — the same for the file (`arbejdsbog.maaltal` applies it with
openpyxl) and for live Excel (`excel.bog`).

- reading: `read_table(grid, …)` -> (Maaltal, `Layout`); the prices come from
  `plan.indstillinger` through the workbook's defined names;
- writing: `plan.celler` blocks — the table of a new sheet (`table_block`) and the derived
  blocks under it (`derived_block`: project × group, actual against target, money, month by
  month);
- `maaltal_plan(…)`: one update of an existing sheet as such blocks (with the price settings
  for Indstillinger when the workbook lacks them).

The sheet's layout is described in `arbejdsbog.maaltal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

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
    actual_vs_target,
    default_period,
    maalepunkter,
    project_matrix,
    savings,
    validate_maaltal,
)
from xlstatus.kerne.model import Extract
from xlstatus.kerne.noegler import spaced_key
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT, Tolerance
from xlstatus.plan.celler import (
    BOLD,
    HEAD_FILL,
    HEADING,
    ITALIC,
    Block,
    Look,
    cell_number,
    max_row,
    named_values,
    split_codes,
    text_of,
    value_at,
)
from xlstatus.plan.data import column_letter
from xlstatus.plan.indstillinger import (
    MUST_FILL,
    N_COSTS,
    N_MONTHS,
    N_PLACEHOLDER,
    N_PRICES,
    N_RAMP,
    N_START,
    has_settings,
    price_settings_block,
    read_price_settings,
)
from xlstatus.plan.indstillinger import SHEET as SETTINGS_SHEET
from xlstatus.plan.stil import DATE_FORMAT, FILL, FONT, FTP_FORMAT, KR_FORMAT, MONTH_FORMAT

SHEET = "Måltal"
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
PRICE_LABEL = "Pris pr. fuldtidsperson pr. år"
GROUP_FILL = "D9E1F2"
WIDTHS = {"A": 36, "B": 58, "C": 16, "D": 44, "E": 16, "F": 16, "G": 20, "H": 44, "I": 24, "J": 16}


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


def find_header(grid: list[list[object]]) -> int | None:
    for row in range(1, min(len(grid), 80) + 1):
        a = spaced_key(value_at(grid, row, C_GROUP))
        b = spaced_key(value_at(grid, row, C_TEXT))
        if a == "gruppe" and b == "linje":
            return row
    return None


def find_marker(grid: list[list[object]], text: str, after: int = 1) -> int | None:
    key = spaced_key(text)
    for row in range(after, len(grid) + 1):
        if spaced_key(value_at(grid, row, 1)).startswith(key):
            return row
    return None


TYPE_KEYS = {spaced_key(t): t for t in LINE_TYPES} | {"ovrig": "øvrig", "andet": "øvrig"}


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


def read_table(
    grid: list[list[object]], where: str, template: Maaltal, oekonomi: Oekonomi
) -> tuple[Maaltal, Layout]:
    """The lines table of the sheet `where` (as a grid of values) as a Maaltal with the
    economy `oekonomi`, and where it is. Problems are a TemplateError naming sheet, row and
    column."""
    header = find_header(grid)
    problems = Problems()
    if header is None:
        problems.error(
            "arket har ingen Måltal-tabel",
            file=where,
            expected="en overskriftsrække med 'Gruppe' og 'Linje' i kolonne A og B",
        )
        problems.raise_if_errors(f"Arket {where} kan ikke læses", TemplateError)
        raise AssertionError  # unreachable
    stop = find_marker(grid, MARK_MATRIX, header + 1)
    layout = Layout(header, header)
    groups = _read_groups(grid, where, header, (stop - 1) if stop else len(grid), layout, problems)
    title = text_of(value_at(grid, 1, 1)) or "Måltal"
    notes = tuple(
        text_of(value_at(grid, r, 1)) for r in range(3, header) if text_of(value_at(grid, r, 1))
    )
    for g in groups:
        layout.groups[g.navn] = (g.row, g.total_row)
    m = Maaltal(title, tuple(g.group() for g in groups), oekonomi, template.enhed, notes)
    known = {g.navn for g in groups}
    checked = replace(oekonomi, priser={k: v for k, v in oekonomi.priser.items() if k in known})
    problems.extend(validate_maaltal(replace(m, oekonomi=checked), where))
    problems.raise_if_errors(f"Arket {where} har fejl", TemplateError)
    return m, layout


def _read_groups(
    grid: list[list[object]], where: str, header: int, last: int, layout: Layout, problems
) -> list[_GroupRows]:
    """Group rows, line rows and total rows below `header`; sets `layout.end_row`."""
    groups: list[_GroupRows] = []
    current: _GroupRows | None = None
    for row in range(header + 1, last + 1):
        v = [value_at(grid, row, c) for c in range(1, len(HEADERS) + 1)]
        if all(x is None or (isinstance(x, str) and not x.strip()) for x in v[:C_FOR]):
            continue
        layout.end_row = row
        kind = spaced_key(v[C_TYPE - 1])
        if not kind and text_of(v[C_GROUP - 1]) and not text_of(v[C_TEXT - 1]):
            current = _GroupRows(text_of(v[C_GROUP - 1]), row)
            groups.append(current)
        elif (current is None or current.total_row is not None) and kind == spaced_key(TOTAL_LABEL):
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
                value=text_of(v[C_TEXT - 1]),
                expected="nye linjer indsættes over gruppens i alt-linje",
            )
        elif kind == spaced_key(TOTAL_LABEL):
            current.total_row = row
            current.total_tekst = text_of(v[C_TEXT - 1]) or TOTAL_LABEL
            current.total = _number_at(v[C_VALUE - 1], where, row, problems)
            current.maalgrupper = split_codes(v[C_CODES - 1])
        else:
            current.linjer.append(_read_line(v, row, kind, where, problems))
    return groups


def _read_line(v: list[object], row: int, kind: str, where: str, problems: Problems) -> Line:
    return Line(
        tekst=text_of(v[C_TEXT - 1]),
        type=TYPE_KEYS.get(kind, text_of(v[C_TYPE - 1])),
        fuldtidspersoner=_number_at(v[C_VALUE - 1], where, row, problems) or 0.0,
        projekt=text_of(v[C_PROJECT - 1]) or None,
        maalgrupper=split_codes(v[C_CODES - 1]),
        maal_for=text_of(v[C_FOR - 1]) or None,
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


# --------------------------------------------------------------------------- derived blocks


def derived_block(
    m: Maaltal,
    layout: Layout,
    results: list[Faktisk] | None,
    period: Periode | None,
    tolerance: Tolerance,
) -> tuple[Block, Money]:
    """Everything below the lines table, rebuilt from it: matrix, actual against target,
    money and the monthly schedule (from row `layout.end_row + 2`)."""
    b = Block()
    row, matrix_rows, price_row = _matrix(b, m, layout, layout.end_row + 2)
    row = _actual(b, m, layout, results, period, tolerance, row + 2)
    return b, _money_blocks(b, m, matrix_rows, price_row, row + 2)


def _matrix(b: Block, m: Maaltal, layout: Layout, row: int) -> tuple[int, dict[str, int], int]:
    """Projects × groups as SUMIFS over the lines table, totals and the price row; returns
    the last row, the row of each project (and of the total) and the price row."""
    b.put(row, 1, f"{MARK_MATRIX} (investeringslinjer, antal fuldtidspersoner)", font=HEADING)
    head = row + 1
    b.put(head, 1, "Projekt", font=BOLD, fill=HEAD_FILL)
    for col, g in enumerate(m.grupper, 2):
        b.put(head, col, g.navn, font=BOLD, fill=HEAD_FILL, wrap=True)
    total_col = 2 + len(m.grupper)
    b.put(head, total_col, TOTAL_LABEL, font=BOLD, fill=HEAD_FILL)
    b.heights[head] = 64
    projects = [p for p in project_matrix(m).index if p != TOTAL_LABEL]
    e, d, c = (column_letter(x) for x in (C_VALUE, C_PROJECT, C_TYPE))
    matrix_rows = {p: head + 1 + i for i, p in enumerate(projects)}
    for p, row in matrix_rows.items():
        b.put(row, 1, p)
        for col, g in enumerate(m.grupper, 2):
            h, t = layout.span(g)
            b.formula(
                row,
                col,
                f"=SUMIFS(${e}${h}:${e}${t},${d}${h}:${d}${t},$A{row},"
                f'${c}${h}:${c}${t},"investering")',
                number_format="General",
            )
        last = column_letter(total_col - 1)
        b.formula(row, total_col, f"=SUM(B{row}:{last}{row})", font=BOLD)
    row = head + len(projects) + 1
    b.put(row, 1, TOTAL_LABEL, font=BOLD, top=True)
    for col in range(2, total_col + 1):
        x = column_letter(col)
        formula = f"=SUM({x}{head + 1}:{x}{row - 1})" if projects else "=0"
        b.formula(row, col, formula, font=BOLD, top=True)
    matrix_rows[TOTAL_LABEL] = row
    row += 1
    b.put(row, 1, f"{PRICE_LABEL} (kr., fra Indstillinger)", font=ITALIC)
    for col in range(2, total_col):
        b.formula(
            row,
            col,
            f"=IFERROR(VLOOKUP({column_letter(col)}${head},{N_PRICES},2,FALSE),0)",
            number_format=KR_FORMAT,
            font=ITALIC,
        )
    return row, matrix_rows, row


def statustext_of(status: str) -> str:
    return f"{STATUS_SYMBOL[status]} {STATUS_TEXT[status]}"


def _actual(
    b: Block,
    m: Maaltal,
    layout: Layout,
    results: list[Faktisk] | None,
    period: Periode | None,
    tolerance: Tolerance,
    row: int,
) -> int:
    """Faktisk mod mål: period, legend, and per measured line its target (a formula over
    the lines table), the actual value, the difference and the status."""
    b.put(row, 1, f"{MARK_ACTUAL} (fuldtidspersoner i perioden; lavere er bedre)", font=HEADING)
    row += 1
    b.put(row, 1, "Periode", font=BOLD)
    if period is None:
        b.put(row, 2, "Ikke opdateret endnu – kør Opdater.", font=ITALIC)
    else:
        b.put(row, 2, period.first, number_format=DATE_FORMAT)
        b.put(row, 3, period.last, number_format=DATE_FORMAT)
        b.put(row, 4, f"{period.dage} dage; fuldtidspersoner = dage i målgrupperne ÷ {period.dage}")
    row += 1
    pct = f"{tolerance.goal * 100:g}".replace(".", ",")
    b.put(
        row,
        1,
        f"{statustext_of('groen')}: højst målet · {statustext_of('gul')}: højst "
        f"{pct} % over målet · {statustext_of('roed')}: mere end {pct} % over målet",
        font=ITALIC,
    )
    row += 1
    b.head(
        row, ("Gruppe", "Linje", "Mål", "Målgrupper i udtrækket", "Faktisk", "Forskel", "Status")
    )
    by_point = {(r.punkt.gruppe, r.punkt.tekst): r for r in results or []}
    for p in maalepunkter(m):
        row += 1
        b.put(row, 1, p.gruppe)
        b.put(row, 2, p.tekst)
        b.formula(row, 3, target_formula(p, layout), number_format="General")
        b.put(row, 4, "; ".join(p.maalgrupper))
        b.formula(row, 6, f'=IF(ISNUMBER(E{row}),E{row}-C{row},"")', number_format=FTP_FORMAT)
        r = by_point.get((p.gruppe, p.tekst))
        if r is None:
            continue
        b.put(row, 5, r.faktisk, number_format=FTP_FORMAT)
        b.put(row, 7, statustext_of(r.status))
        for col in (5, 6, 7):
            b.style(row, col, fill=FILL[r.status], font=Look(color=FONT[r.status], bold=col == 7))
    return row


def target_formula(p: Maalepunkt, layout: Layout) -> str:
    """A measured line's target: its lines in the table, or a whole group's sum."""
    e = column_letter(C_VALUE)
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
class Money:
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
        return f"$C${row}:${column_letter(self.last_col)}${row}"


def _money_blocks(
    b: Block, m: Maaltal, matrix_rows: dict[str, int], price_row: int, row: int
) -> Money:
    """Økonomi: per project effect, saving, cost, net return and break-even month, as
    formulas over the matrix, the prices and the monthly schedule below it."""
    calc = savings(m)
    money = Money([p.projekt for p in calc.projekter], row + 3, len(calc.maaneder), len(m.grupper))
    b.put(row, 1, f"{MARK_MONEY} – forventet besparelse mod investering (kr.)", font=HEADING)
    b.formula(
        row + 1,
        1,
        f'=IF({N_PLACEHOLDER}="nej","Priser og udgifter: fra arket '
        f'{SETTINGS_SHEET}.","OBS: Priser og udgifter er pladsholdertal – {MUST_FILL} '
        f'på arket {SETTINGS_SHEET}.")',
        font=Look(bold=True, color=FONT["roed"]),
    )
    b.put(
        row + 2,
        1,
        "Besparelse pr. år = −Σ effekt × pris (en stigning koster). Effekten "
        "indfases lineært over indfasningen og holder resten af perioden. Tjent ind = første "
        "måned, hvor den akkumulerede besparelse er mindst den akkumulerede udgift.",
        font=ITALIC,
    )
    b.head(money.head, MONEY_HEADS, wrap=True)
    b.heights[money.head] = 45
    for p in money.projects:
        _money_row(b, money, p, matrix_rows.get(p), price_row)
    r = money.total
    b.put(r, 1, TOTAL_LABEL, font=BOLD, top=True)
    for col in (2, 3, 4, 7, 8, 9):
        x = column_letter(col)
        formula = f"=SUM({x}{money.head + 1}:{x}{r - 1})" if money.projects else "=0"
        fmt = "General" if col == 2 else KR_FORMAT
        b.formula(r, col, formula, font=BOLD, top=True, number_format=fmt)
    _break_even(b, r, money, TOTAL_LABEL, font=BOLD, top=True)
    _schedule(b, money)
    return money


def _cost_lookup(r: int, col: int, fallback: str) -> str:
    """A cost-table value of the project in row r; blank or 0 -> fallback."""
    v = f"VLOOKUP($A{r},{N_COSTS},{col},FALSE)"
    return f"IFERROR(IF({v}>0,{v},{fallback}),{fallback})"


def _money_row(b: Block, money: Money, p: str, matrix_row: int | None, price_row: int) -> None:
    r = money.row(p)
    b.put(r, 1, p)
    if matrix_row:
        last_group, total = (column_letter(1 + money.groups + k) for k in (0, 1))
        b.formula(r, 2, f"={total}{matrix_row}", number_format="General")
        b.formula(
            r,
            3,
            f"=-SUMPRODUCT(B{matrix_row}:{last_group}{matrix_row},"
            f"$B${price_row}:${last_group}${price_row})",
            number_format=KR_FORMAT,
        )
    else:
        b.put(r, 2, 0)
        b.put(r, 3, 0, number_format=KR_FORMAT)
    b.formula(r, 4, f"=IFERROR(VLOOKUP($A{r},{N_COSTS},2,FALSE),0)", number_format=KR_FORMAT)
    start = _cost_lookup(r, 3, N_START)
    b.formula(r, 5, f"=DATE(YEAR({start}),MONTH({start}),1)", number_format=MONTH_FORMAT)
    b.formula(r, 6, "=" + _cost_lookup(r, 4, N_MONTHS), number_format="0")
    s, lc = money.sched(p), column_letter(money.last_col)
    b.formula(r, 7, f"=SUM(C{s + 1}:{lc}{s + 1})", number_format=KR_FORMAT)
    b.formula(r, 8, f"=SUM(C{s}:{lc}{s})", number_format=KR_FORMAT)
    b.formula(r, 9, f"=H{r}-G{r}", number_format=KR_FORMAT)
    _break_even(b, r, money, p)


def _break_even(b: Block, r: int, money: Money, p: str, **look) -> None:
    """Tjent ind: the first month with accumulated net ≥ 0 and accumulated saving > 0."""
    s = money.sched(p)
    net, acc = money.cols(s + 4), money.cols(s + 2)
    first = f'_xlfn.MINIFS({money.cols(money.sched_head)},{net},">=-0.000001",{acc},">0")'
    formula = f'=IF({first}=0,"{NOT_REACHED}",{first})'
    b.formula(r, 10, formula, number_format=MONTH_FORMAT, **look)


def _schedule(b: Block, money: Money) -> None:
    """Måned for måned: saving, cost and their running sums per project and in total."""
    head = money.sched_head
    b.put(head - 1, 1, f"{MARK_MONTHS} (kr.)", font=HEADING)
    b.put(head, 1, "Projekt", font=BOLD, fill=HEAD_FILL)
    b.put(head, 2, "Post", font=BOLD, fill=HEAD_FILL)
    for col in range(3, money.last_col + 1):
        prev = column_letter(col - 1)
        formula = (
            f"=DATE(YEAR({N_START}),MONTH({N_START}),1)" if col == 3 else f"=EDATE({prev}{head},1)"
        )
        b.formula(head, col, formula, font=BOLD, fill=HEAD_FILL, number_format=MONTH_FORMAT)
    for p in [*money.projects, TOTAL_LABEL]:
        s = money.sched(p)
        for i, post in enumerate(POSTS):
            b.put(s + i, 1, p, font=BOLD if p == TOTAL_LABEL else Look())
            b.put(s + i, 2, post)
        for col in range(3, money.last_col + 1):
            x, prev = column_letter(col), column_letter(col - 1)
            saving, cost = _schedule_formulas(money, p, x)
            b.formula(s, col, saving, number_format=KR_FORMAT)
            b.formula(s + 1, col, cost, number_format=KR_FORMAT)
            for i, base in ((2, s), (3, s + 1)):
                acc = f"={x}{base}" if col == 3 else f"={prev}{s + i}+{x}{base}"
                b.formula(s + i, col, acc, number_format=KR_FORMAT)
            b.formula(s + 4, col, f"={x}{s + 2}-{x}{s + 3}", number_format=KR_FORMAT)
        for col in range(1, money.last_col + 1):
            b.style(s, col, top=True)


def _schedule_formulas(money: Money, p: str, x: str) -> tuple[str, str]:
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


# --------------------------------------------------------------------------- one update


@dataclass
class MaaltalPlan:
    """One update of an existing Måltal sheet: clear from `clear_from` down and write
    `sheet` there; when the workbook lacks the price settings, write `settings` on
    Indstillinger and add the defined names `names`. Charts are the file adapter's."""

    clear_from: int
    sheet: Block
    money: Money
    results: list[Faktisk]
    settings: Block | None = None
    names: dict[str, str] = field(default_factory=dict)


def maaltal_plan(
    grids: dict[str, list[list[object]]],
    refs: dict[str, str],
    extract: Extract,
    month: date,
    template: Maaltal,
    period: Periode | None = None,
    tolerance: Tolerance = Tolerance(),
    sheet: str = SHEET,
) -> MaaltalPlan:
    """What `arbejdsbog.maaltal.update_maaltal_sheet` does to an existing sheet, as data:
    `grids` holds the Måltal sheet and (when the book has it) Indstillinger as values,
    `refs` the workbook's defined names."""
    grid = grids[sheet]
    settings, names = None, {}
    if not has_settings(refs) and SETTINGS_SHEET in grids:
        own = grids[SETTINGS_SHEET]
        last = max_row(own)
        start = last + 3 if last > 1 or value_at(own, 1, 1) is not None else 1
        settings, names, _ = price_settings_block(SETTINGS_SHEET, start, template)
        grids = {**grids, SETTINGS_SHEET: _overlay(own, settings)}
        refs = {**refs, **names}
    named = named_values(refs, grids)
    oekonomi = template.oekonomi
    if has_settings(refs):
        oekonomi = read_price_settings(named, oekonomi)
    m, layout = read_table(grid, sheet, template, oekonomi)
    period = period or default_period(month)
    results = actual_vs_target(extract, m, period, tolerance)
    block, money = derived_block(m, layout, results, period, tolerance)
    return MaaltalPlan(layout.end_row + 1, block, money, results, settings, names)


def _overlay(grid: list[list[object]], block: Block) -> list[list[object]]:
    """A grid with a block's values written into it."""
    rows = max([len(grid), *(r for r, _ in block.cells)])
    cols = max([len(max(grid, key=len, default=[])), *(c for _, c in block.cells)])
    out = [[value_at(grid, r, c) for c in range(1, cols + 1)] for r in range(1, rows + 1)]
    for (r, c), cell in block.cells.items():
        out[r - 1][c - 1] = cell.value
    return out


# --------------------------------------------------------------------------- a new sheet


def table_block(m: Maaltal) -> tuple[Block, int, int]:
    """Title, notes and the lines table of a new Måltal sheet; returns the cells, the
    header row and the table's last row."""
    b = Block()
    b.put(1, 1, m.titel, font=Look(bold=True, size=14))
    b.put(
        2,
        1,
        "Ret tallene i kolonne E (Antal fuldtidspersoner). Sum af linjer, kontrol, "
        "projektoversigt og økonomi regnes straks igen. Nye linjer indsættes inden for "
        "gruppen; Opdater udfylder de faktiske tal.",
        font=ITALIC,
    )
    row = 3
    for note in m.noter:
        b.put(row, 1, note, font=Look(italic=True, color="595959"))
        row += 1
    header = row + 1
    b.heights[header] = 32
    b.head(header, HEADERS, wrap=True)
    row = header
    for g in m.grupper:
        row = _group_rows(b, m, g, row + 1)
    return b, header, row


def _group_rows(b: Block, m: Maaltal, g: Group, head: int) -> int:
    """A group row, its lines and its total row with the live sum and the flag; returns the
    total row."""
    for col in range(1, len(HEADERS) + 1):
        b.put(head, col, None, fill=GROUP_FILL)
    b.put(head, C_GROUP, g.navn, font=BOLD, fill=GROUP_FILL)
    b.put(head, C_VALUE, m.enhed, font=ITALIC, fill=GROUP_FILL)
    row = head
    for x in g.linjer:
        row += 1
        b.put(row, C_TEXT, x.tekst)
        b.put(row, C_TYPE, x.type)
        b.put(row, C_PROJECT, x.projekt)
        b.put(row, C_VALUE, x.fuldtidspersoner, number_format="General")
        b.put(row, C_CODES, "; ".join(x.maalgrupper) or None)
        b.put(row, C_FOR, x.maal_for or None)
    row += 1
    total = {"font": BOLD, "top": True}
    b.put(row, C_TEXT, g.total_tekst, **total)
    b.put(row, C_TYPE, TOTAL_LABEL, **total)
    b.put(row, C_VALUE, g.total, **total, number_format="General")
    e, c = column_letter(C_VALUE), column_letter(C_TYPE)
    b.formula(
        row, C_SUM, f'=SUMIFS({e}{head}:{e}{row},{c}{head}:{c}{row},"<>{TOTAL_LABEL}")', **total
    )
    b.formula(
        row,
        C_FLAG,
        f'=IF({e}{row}="","",IF(ISNUMBER({e}{row}),IF(ABS(F{row}-'
        f'{e}{row})>0.000001,"{FLAG_TEXT}","OK"),"{NOT_A_NUMBER}"))',
        **total,
    )
    b.put(row, C_CODES, "; ".join(g.maalgrupper) or None, top=True)
    for col in (C_GROUP, C_PROJECT, C_FOR):
        b.style(row, col, top=True)
    return row
