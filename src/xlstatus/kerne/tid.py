"""Time rules of the statusskemas (indikatorer.md, "Time"). Pure functions."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

MONTHS_DA = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTH_NAMES_DA = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(d: date, n: int) -> date:
    """d plus n calendar months, keeping the day and clipping it to the month's end."""
    index = d.year * 12 + d.month - 1 + n
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def maaledato(month: date, maaledag: int = 1) -> date:
    """The measurement date of month column M: day `maaledag` of M (clipped to its end)."""
    if not 1 <= maaledag <= 31:
        raise ValueError(f"måledag skal være 1-31, ikke {maaledag}")
    last = calendar.monthrange(month.year, month.month)[1]
    return date(month.year, month.month, min(maaledag, last))


def previous_months(month: date, n: int = 1) -> tuple[date, date]:
    """First and last day of the n whole calendar months before M."""
    first = add_months(month_start(month), -n)
    last = date.fromordinal(month_start(month).toordinal() - 1)
    return first, last


def month_range(first: date, last: date) -> list[date]:
    """Every month from first to last, inclusive (as first-of-month dates)."""
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def parse_month(text: str) -> date:
    """'2024-02' (or '02-2024') -> date(2024, 2, 1); ValueError in Danish otherwise."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text) or None
    if m:
        year, month = int(m[1]), int(m[2])
    elif m2 := re.fullmatch(r"\s*(\d{1,2})-(\d{4})\s*", text):
        year, month = int(m2[2]), int(m2[1])
    else:
        raise ValueError(f"'{text}' er ikke en måned på formen ÅÅÅÅ-MM")
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' er ikke en måned på formen ÅÅÅÅ-MM")
    return date(year, month, 1)


def month_label(month: date) -> str:
    """Danish short label as Excel's mmm-yy shows it: 'feb-24'."""
    return f"{MONTHS_DA[month.month - 1]}-{month.year % 100:02d}"


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def age_on(birth: date, day: date) -> int:
    """Completed years since birth on day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (1900 date system, leap bug included)
EXCEL_LAST_SERIAL = 2958465  # 31-12-9999
_ISO = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
)


def cell_date(value: object) -> date | None:
    """A date as any Excel client hands it over, else None: a date/datetime (desktop,
    openpyxl), an ISO string such as '2024-01-01T00:00:00.000Z' (xlwings Server's task
    pane for date-formatted cells) or a serial number (cell functions, the VBA client,
    a cell that lost its date format). Text like '2025-03' is not a date here."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value <= EXCEL_LAST_SERIAL:
            return date.fromordinal(EXCEL_EPOCH.toordinal() + int(value))
        return None
    if isinstance(value, str) and (m := _ISO.fullmatch(value)):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def cell_month(value: object) -> date | None:
    """The month of a cell holding a date in any form `cell_date` reads, or text
    'ÅÅÅÅ-MM'; None when blank; ValueError (Danish) when it is neither."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day = cell_date(value)
    if day is not None:
        return month_start(day)
    return parse_month(str(value))
