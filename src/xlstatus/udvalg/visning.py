"""How the committee copy writes values, dates, months and statuses (Danish, for print),
and which texts are for the screen only. Pure; shared by the copy's page builders."""

from __future__ import annotations

import re
from datetime import date, datetime

from xlstatus.kerne.formatering import display, number_da
from xlstatus.kerne.skema import Row
from xlstatus.kerne.status import STATUS_SYMBOL
from xlstatus.kerne.tid import month_label

_MONTH_IN_INFO = re.compile(r"Måling:?\s*([a-zæøå]{3}-\d{2})", re.IGNORECASE)

SYMBOLS = "✔●✖"
SYMBOL_AT = re.compile(r"^\s*([✔●✖])\s*")
_MONTH_IN_INFO = re.compile(r"Måling:?\s*([a-zæøå]{3}-\d{2})", re.IGNORECASE)
# texts meant for the screen or for editing (never printed; arbejdsbog.md "print-ready")
SCREEN_TEXTS = (
    "hold musen",
    "klik ",
    "kør opdater",
    "opdater udfylder",
    "skrives om ved hver opdater",
    "ret tallene",
    "skal udfyldes af jer",
    "pladsholdertal",
    "skriv månedens status",
    "opdater ændrer",
    "endnu ikke opdateret",
)


def screen_only(text: str) -> bool:
    """Is this a text for the screen or for editing (a hint, an instruction)?"""
    t = " ".join(str(text).split()).casefold()
    return any(s in t for s in SCREEN_TEXTS)


def printable(text: str) -> str:
    """A text without its sentences meant for the screen (the rest kept)."""
    parts = re.split(r"(?<=[.!?])\s+", " ".join(str(text).split()))
    return " ".join(p for p in parts if p and not screen_only(p))


# --------------------------------------------------------------------------- values


def cell_at(grid: list[list[object]], r: int, c: int) -> object:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


def as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def plain_number(x: float, number_format: str | None = None) -> str:
    """A number the Danish way: whole numbers '1.212', else one or two decimals as the
    format asks ('0.0' → 1, '0.00' → 2; no format: 1)."""
    nf = number_format or ""
    if "%" in nf:
        decimals = nf.count("0", nf.find(".")) if "." in nf else 0
        return f"{number_da(x * 100, decimals)} pct."
    if "." in nf:
        after = nf.split(".", 1)[1]
        decimals = len(after) - len(after.lstrip("0#"))
        return number_da(x, min(decimals, 2))
    if float(x).is_integer() or "0" in nf:
        return number_da(round(x))
    return number_da(x, 1)


def text_of(value: object, number_format: str | None = None) -> str:
    """What a value reads as on the printed page."""
    if value is None:
        return ""
    d = as_date(value)
    if d is not None:
        nf = (number_format or "").lower()
        if "d" not in nf.replace("[$-406]", "") and (d.day == 1 or "m" in nf):
            return month_label(d)
        return f"{d:%d-%m-%Y}"
    if is_number(value):
        return plain_number(float(value), number_format)  # type: ignore[arg-type]
    return " ".join(str(value).split())


def status_of_symbol(text: object, number_format: str | None = None) -> str | None:
    """The status a cell shows by its symbol (in its text or in its number format)."""
    for s, sym in STATUS_SYMBOL.items():
        if isinstance(text, str) and text.strip().startswith(sym):
            return s
        if number_format and f'"{sym}' in number_format:
            return s
    return None


def with_symbol(text: str, status: str | None) -> str:
    """'✖ -2,7 pct.': the symbol first, the value with its own sign after it."""
    bare = SYMBOL_AT.sub("", text)
    return f"{STATUS_SYMBOL[status]} {bare}" if status else bare


def row_decimals(row: Row) -> int:
    return max(row.decimals, 1) if row.fmt == "uger" else row.decimals


def value_text(row: Row, x: float) -> str:
    """A row's value (count, share in percent, weeks) as the schema prints it."""
    if row.fmt == "antal":
        return number_da(round(x))
    fmt = "andel" if row.fmt == "antal_andel" else row.fmt
    return display(fmt, None, x, row_decimals(row))


def target_text(row: Row, x: float) -> str:
    """A milestone or a projected value: a share for share rows."""
    decimals = 0 if float(x).is_integer() else 1
    if row.fmt in ("andel", "antal_andel"):
        return display("andel", None, x, max(decimals, row.decimals if row.fmt == "andel" else 0))
    if row.fmt == "uger":
        return number_da(x, max(decimals, row.decimals, 1))
    return number_da(x, decimals)


def info_month(grid: list[list[object]]) -> date | None:
    """The month an analysis sheet states in its info line ('Måling: okt-25 …')."""
    from xlstatus.kerne.tid import MONTHS_DA

    m = _MONTH_IN_INFO.search(str(cell_at(grid, 2, 1) or ""))
    if not m or m[1][:3].lower() not in MONTHS_DA:
        return None
    return date(2000 + int(m[1][-2:]), MONTHS_DA.index(m[1][:3].lower()) + 1, 1)


__all__ = [
    "SYMBOL_AT",
    "as_date",
    "cell_at",
    "info_month",
    "is_number",
    "plain_number",
    "printable",
    "row_decimals",
    "screen_only",
    "status_of_symbol",
    "target_text",
    "text_of",
    "value_text",
    "with_symbol",
]
