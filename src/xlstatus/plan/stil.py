"""Colours, number formats and cell values of a statusskema. Pure; no workbook objects.

Every front end (openpyxl files, desktop Excel, xlwings Server/Lite) shows a status the
same way: Excel's Good/Neutral/Bad fill and font colour, and a symbol in front of the
value through its number format (`"✔ "0`), so the status can be read in a grey-scale
print too and the value stays a number. Number formats carry the Danish locale tag
`[$-406]`, so month headers read `feb-24`/`maj-24` and decimals use a comma in Excel and
LibreOffice alike.
"""

from __future__ import annotations

import re

from xlstatus.kerne.formatering import EMPTY, display
from xlstatus.kerne.indikatorer import Measurement
from xlstatus.kerne.skema import Row
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT

LOCALE = "[$-406]"
MONTH_FORMAT = LOCALE + "mmm-yy"
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
TEXT_FORMAT = "@"
GENERAL = "General"

FILL: dict[str, str] = {"groen": "C6EFCE", "gul": "FFEB9C", "roed": "FFC7CE"}
FONT: dict[str, str] = {"groen": "006100", "gul": "9C5700", "roed": "9C0006"}
STATUSES = ("groen", "gul", "roed")

_SYMBOL_PREFIX = re.compile(r'^(\[\$-406\])?"[✔●✖] ?"(\* )?')


def decimals_format(decimals: int) -> str:
    return "0" if decimals <= 0 else "0." + "0" * decimals


def value_format(fmt: str, decimals: int = 0, note: str = "") -> str:
    """The number format of a value in display format fmt (no status symbol)."""
    suffix = f'"{note}"' if note else ""
    if fmt == "antal":
        return LOCALE + "#,##0" + suffix
    if fmt == "andel":
        return LOCALE + decimals_format(decimals) + '" pct."' + suffix
    if fmt == "uger":
        return LOCALE + decimals_format(decimals or 1) + suffix
    return TEXT_FORMAT


def target_format(row: Row, value: float) -> str:
    """Number format of a milestone target: a share for antal_andel/andel rows."""
    decimals = 0 if float(value).is_integer() else 1
    if row.fmt in ("andel", "antal_andel"):
        return value_format("andel", decimals)
    if row.fmt == "uger":
        return value_format("uger", max(decimals, row.decimals))
    return value_format("antal") if decimals == 0 else value_format("uger", 1)


def strip_symbol(number_format: str | None) -> str:
    """A number format without the status symbol xlstatus put in front of it."""
    nf = number_format or GENERAL
    m = _SYMBOL_PREFIX.match(nf)
    if not m:
        return nf
    return (m.group(1) or "") + nf[m.end() :] if nf[m.end() :] else GENERAL


def with_status(number_format: str | None, status: str | None) -> str:
    """number_format with the status symbol at the cell's left edge (or without any).

    Formats with several sections (`0;-0;…`) are left as they are: the symbol is
    then only in the note and the legend."""
    base = strip_symbol(number_format)
    if status is None or ";" in base:
        return base
    symbol = f'"{STATUS_SYMBOL[status]} "'
    if base.startswith(LOCALE):
        return LOCALE + symbol + base[len(LOCALE) :]
    return symbol + base


def is_status_format(number_format: str | None) -> bool:
    return bool(_SYMBOL_PREFIX.match(number_format or ""))


def cell_value(row: Row, m: Measurement) -> tuple[object, str]:
    """The value xlstatus writes into a month cell and its number format (no symbol).

    antal → whole number; andel → the exact share in percent (shown rounded as
    '87,9 pct.'); uger → weeks; antal_andel → the Danish text '17 (17 pct.)'. No value
    (empty population) → the text '–'.
    """
    if row.fmt == "antal_andel":
        return display("antal_andel", m.antal, m.vaerdi, row.decimals), TEXT_FORMAT
    if m.vaerdi is None:
        return EMPTY, TEXT_FORMAT
    if row.fmt == "antal":
        return round(m.vaerdi), value_format("antal")
    return float(m.vaerdi), value_format(row.fmt, row.decimals)


def start_value(row: Row) -> tuple[object, str] | None:
    """The Startmåling cell of a row (value, number format), None when empty."""
    note = row.start_note
    if row.start is None:
        if row.start_antal is not None:
            return int(row.start_antal), value_format("antal", note=note)
        return (note, TEXT_FORMAT) if note else None
    if row.fmt == "antal_andel":
        count = row.start_antal
        text = (
            display("antal_andel", count, row.start, row.decimals)
            if count is not None
            else (display("andel", None, row.start, row.decimals))
        )
        return text + note, TEXT_FORMAT
    if row.fmt == "antal":
        return round(row.start), value_format("antal", note=note)
    decimals = row.decimals if row.fmt == "andel" else max(row.decimals, 1)
    if row.fmt == "andel" and not float(row.start).is_integer():
        decimals = max(decimals, 1)
    return float(row.start), value_format(row.fmt, decimals, note)


def legend_items() -> list[tuple[str, str]]:
    """(status, text) of the three legend cells: '✔ På sporet', …"""
    return [(s, f"{STATUS_SYMBOL[s]} {STATUS_TEXT[s]}") for s in STATUSES]


KR_FORMAT = LOCALE + "#,##0"  # kroner
FTP_FORMAT = LOCALE + "#,##0.0"  # fuldtidspersoner
