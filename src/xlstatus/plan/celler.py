"""Cells as data, pure: a `Block` of `BlockCell`s (value or formula, number format, a
`Look`) that a writer applies — openpyxl in `arbejdsbog.celler`, live Excel in `excel.bog` —
and reading cells back: numbers the Danish way, months, defined names over grids of values.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from xlstatus.kerne.tid import cell_month

HEAD_FILL = "D9D9D9"

# --------------------------------------------------------------------------- blocks of cells


@dataclass(frozen=True)
class Look:
    """A cell's font (Calibri; None fields are left as they are)."""

    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None
    color: str | None = None  # RRGGBB


BOLD = Look(bold=True)
ITALIC = Look(italic=True)
HEADING = Look(bold=True, size=12)


@dataclass
class BlockCell:
    value: object = None
    formula: bool = False  # value is a formula ('=…'); other text is always literal
    number_format: str | None = None  # None: leave it
    font: Look | None = None  # None: leave it
    fill: str | None = None  # RRGGBB, solid
    top: bool = False  # a thin border above
    wrap: bool = False  # wrap text, aligned to the top


@dataclass
class Block:
    """Cells to write on one sheet, in the order they were first written, and row heights."""

    cells: dict[tuple[int, int], BlockCell] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)

    def put(self, row: int, col: int, value: object, formula: bool = False, **look) -> BlockCell:
        """Write a value (a formula when `formula`) and, when given, its look."""
        cell = self.cells.setdefault((row, col), BlockCell())
        cell.value, cell.formula = value, formula
        return self.style(row, col, **look)

    def formula(self, row: int, col: int, text: str, **look) -> BlockCell:
        return self.put(row, col, text, formula=True, **look)

    def style(self, row: int, col: int, **look) -> BlockCell:
        """Set only the look of a cell (its value stays)."""
        cell = self.cells.setdefault((row, col), BlockCell())
        for key, value in look.items():
            setattr(cell, key, value)
        return cell

    def head(self, row: int, texts: tuple[str, ...], wrap: bool = False) -> None:
        """A table's header row: bold on grey, from column A."""
        for col, text in enumerate(texts, 1):
            self.put(row, col, text, font=BOLD, fill=HEAD_FILL, **({"wrap": True} if wrap else {}))

    def values(self) -> dict[tuple[int, int], object]:
        return {k: c.value for k, c in self.cells.items()}


def sheet_ref(sheet: str, first: str, last: str | None = None) -> str:
    """Absolute reference for a defined name: 'Sheet'!$A$1(:$B$2)."""

    def absolute(coord: str) -> str:
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", coord).groups()
        return f"${col}${row}"

    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{absolute(first)}" + (f":{absolute(last)}" if last else "")


_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def named_values(
    refs: dict[str, str], grids: dict[str, list[list[object]]]
) -> Callable[[str], list[list[object]] | None]:
    """Values of a defined name's range (rows of values) from sheets as grids, or None."""

    def named(name: str) -> list[list[object]] | None:
        m = _REF.match(refs.get(name, ""))
        if m is None:
            return None
        sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
        if sheet not in grids:
            return None
        c1, r1 = _col_index(m.group(3)), int(m.group(4))
        c2, r2 = (_col_index(m.group(5)), int(m.group(6))) if m.group(5) else (c1, r1)
        grid = grids[sheet]
        return [[value_at(grid, r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    return named


def value_at(grid: list[list[object]], r: int, c: int) -> object:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


def max_row(grid: list[list[object]]) -> int:
    """The last row holding a value (0 for an empty sheet)."""
    for r in range(len(grid), 0, -1):
        if any(v is not None for v in grid[r - 1]):
            return r
    return 0


# --------------------------------------------------------------------------- cell values


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


def month_value(value: object) -> date | None:
    """A date, ISO string, serial number or 'ÅÅÅÅ-MM' (any client); None when blank."""
    if isinstance(value, int | float) and value == 0:
        return None
    return cell_month(value)


def split_codes(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(p.strip() for p in re.split(r"[;,\n]", str(value)) if p.strip())


def text_of(value: object) -> str:
    return "" if value is None else str(value).strip()
