"""Recognise a statusskema sheet from its cell values. Pure functions over a grid.

A grid is the sheet's values as `list[list[object]]` (row-major, `grid[r-1][c-1]` is
the cell in Excel row r, column c). Works for sheets xlstatus built and for sheets
people typed from the seed's drafts:

- rows are matched by (section, label), ignoring case, white space, the kind of dash
  and a trailing period; the sheet is the project whose labels it matches best;
- the header row is the row with most month / start / milestone headers; a header may
  be a real date or text in any of the seeds' forms (`feb-24`, `Februar 2024`, `Febr.`,
  `marts`, `Jan.`, `Startmåling 10-01-2024`, `Status 10. januar 2024`, `Den 10. Januar
  2024`, `Mindste mål pr. aug-24`, `Mål ultimo 2024`, `Slutmål januar 2026`, `...`),
  with a bare year completed by the cell above it (`August` over `2024`);
- a plain month header ("August 2024") is a milestone column when it is a milestone
  month and follows a `...` placeholder, a milestone or a later month; the first dated
  column is the start measurement when its month is the start measurement's month.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from xlstatus.kerne.noegler import DASH_TABLE, spaceless_key
from xlstatus.kerne.skema import Schema
from xlstatus.kerne.tid import MONTH_NAMES_DA, cell_date, month_start

PLACEHOLDERS = {"...", "…", "..", "....", "…."}
MAX_ROWS = 2000
MAX_COLS = 200
HEADER_SCAN_ROWS = 30

ENGLISH = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
FOOTNOTE_PREFIXES = ("*", "datakild", "datahentes", "kilde:")
XLSTATUS_PREFIXES = ("forklaring", "senestemåling")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class Header:
    """What a header cell says.

    kind: 'month' (month column; `year_known` False for 'marts'), 'start', 'milestone',
    'placeholder' ('...'), 'year' (a bare year, completed by the cell above), 'other'
    or 'empty'."""

    kind: str
    month: date | None = None
    year_known: bool = True
    text: str = ""


def _month_number(name: str) -> int | None:
    """'febr' -> 2, 'marts' -> 3, 'maj' -> 5, 'oct' -> 10 (at least three letters)."""
    name = name.rstrip(".")
    if len(name) < 3:
        return None
    for names in (MONTH_NAMES_DA, ENGLISH):
        for i, full in enumerate(names):
            if full.startswith(name):
                return i + 1
    return None


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def _parse_when(t: str) -> tuple[date | None, bool, bool]:
    """A compact (space-free, lower-case) date or month expression.

    Returns (month, year_known, has_day)."""
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", t)) and 1 <= int(m[2]) <= 12:
        return date(int(m[1]), int(m[2]), 1), True, m[3] is not None
    m = re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{2}|\d{4})", t)
    if m and 1 <= int(m[2]) <= 12:
        return date(_year(m[3]), int(m[2]), 1), True, True
    m = re.fullmatch(r"(\d{1,2})\.?([a-zæøå]+)\.?(\d{4})", t)
    if m and (n := _month_number(m[2])):
        return date(int(m[3]), n, 1), True, True
    m = re.fullmatch(r"([a-zæøå]+)\.?[-./]?(\d{2}|\d{4})?", t)
    if m and (n := _month_number(m[1])):
        if m[2]:
            return date(_year(m[2]), n, 1), True, False
        return date(2000, n, 1), False, False
    m = re.fullmatch(r"(\d{1,2})[-./](\d{2}|\d{4})", t)  # 02-2024, 2/24
    if m and 1 <= int(m[1]) <= 12:
        return date(_year(m[2]), int(m[1]), 1), True, False
    return None, False, False


def parse_header(value: object) -> Header:
    """Classify one header cell (a real date or any of the seeds' text forms)."""
    if is_blank(value):
        return Header("empty")
    if isinstance(value, datetime | date):
        d = value.date() if isinstance(value, datetime) else value
        return Header("month", month_start(d), True, str(value))
    if isinstance(value, bool):
        return Header("other", text=str(value))
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return Header("year", date(int(value), 1, 1), True, str(int(value)))
        if 30000 <= value <= 80000:  # an Excel date serial that lost its format
            d = date(1899, 12, 30) + timedelta(days=int(value))
            return Header("month", month_start(d), True, str(value))
        return Header("other", text=str(value))
    return _text_header(str(value))


@lru_cache(maxsize=8192)
def _text_header(value: str) -> Header:
    """A header cell's text classified (cached: every Opdater reads the same headers)."""
    if (day := cell_date(value)) is not None:  # '2024-02-01T00:00:00.000Z' (Office.js)
        return Header("month", month_start(day), True, value)
    text = unicodedata.normalize("NFC", value).replace("\xa0", " ").strip()
    t = text.translate(DASH_TABLE).casefold()
    if t in PLACEHOLDERS or re.fullmatch(r"[.…\s]+", t):
        return Header("placeholder", text=text)
    c = re.sub(r"\s+", "", t)
    c = re.sub(r"(\.\.\.|…)+$", "", c)  # 'Mindste mål August 2024...'
    if re.fullmatch(r"\d{4}", c):
        return Header("year", date(int(c), 1, 1), True, text)
    if m := re.fullmatch(r"(startmåling|status|den)[:.]?(.*)", c):
        rest = m[2]
        when, known, has_day = _parse_when(rest)
        if m[1] == "startmåling" and (not rest or when):
            return Header("start", when, known, text)
        if m[1] != "startmåling" and when and has_day:
            return Header("start", when, known, text)
    if m := re.fullmatch(r"(mindstemål|slutmål|mål)(?:pr\.?|per)?[:.]?(.*)", c):
        rest = m[2]
        if mm := re.fullmatch(r"(?:ultimo|udgangenaf)(\d{4})", rest):
            return Header("milestone", date(int(mm[1]) + 1, 1, 1), True, text)
        if re.fullmatch(r"\d{4}", rest):  # 'Mål 2024' = the goal for the year: primo jan-25
            return Header("milestone", date(int(rest) + 1, 1, 1), True, text)
        when, known, _ = _parse_when(rest)
        if when:
            return Header("milestone", when, known, text)
        return Header("other", text=text)
    when, known, has_day = _parse_when(c)
    if when:
        return Header("month", when, known, text)
    return Header("other", text=text)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    col: int  # 1-based
    kind: str  # 'start' | 'month' | 'milestone' | 'placeholder' | 'other'
    month: date | None
    header: str


def _combined_headers(grid: list[list[object]], header_row: int, label_col: int) -> list[Header]:
    """Header of each column; a bare year or empty cell is completed by the cell above."""
    row = grid[header_row - 1]
    above = grid[header_row - 2] if header_row >= 2 else []
    out = []
    for c in range(len(row)):
        h = parse_header(row[c])
        up = above[c] if c < len(above) else None
        if c + 1 != label_col and h.kind in ("year", "other") and not is_blank(up):
            joined = parse_header(f"{str(up).strip()} {row[c]}")
            if joined.kind not in ("other", "empty"):
                h = joined
        out.append(h)
    return out


def _infer_years(items: list[tuple[int, Header]], fallback_year: int) -> dict[int, date]:
    """Months of the dated headers, years of 'marts'/'Jan.' taken from the neighbours."""
    months: dict[int, date] = {}
    known = [(i, h.month) for i, (_, h) in enumerate(items) if h.year_known and h.month]
    for i, (col, h) in enumerate(items):
        if h.month is None:
            continue
        if h.year_known:
            months[col] = h.month
            continue
        left = [(j, m) for j, m in known if j < i]
        right = [(j, m) for j, m in known if j > i]
        if left:
            _, ref = left[-1]
            year = ref.year + (1 if h.month.month < ref.month else 0)
        elif right:
            _, ref = right[0]
            year = ref.year - (1 if h.month.month > ref.month else 0)
        else:
            year = fallback_year
        months[col] = date(year, h.month.month, 1)
        known.append((i, months[col]))
        known.sort()
    return months


def classify_columns(
    grid: list[list[object]], header_row: int, label_col: int, schema: Schema | None = None
) -> list[Column]:
    """Every column right of the label column, classified for the given schema."""
    headers = _combined_headers(grid, header_row, label_col)
    dated = [(c + 1, h) for c, h in enumerate(headers) if c + 1 > label_col and h.month]
    fallback = schema.startmaaling.year if schema else 2024
    months = _infer_years(dated, fallback)
    milestone_months = {m.month for m in schema.milestones} if schema else set()
    start_month = month_start(schema.startmaaling) if schema else None
    out: list[Column] = []
    seen_months: set[date] = set()
    latest: date | None = None
    first_dated = True
    for c, h in enumerate(headers, start=1):
        if c <= label_col:
            continue
        text = "" if h.kind == "empty" else h.text
        kind, month = h.kind, months.get(c)
        if kind == "month" and month is not None:
            prev = out[-1].kind if out else ""
            later = latest is not None and month <= latest
            if first_dated and month == start_month and (not schema or month < schema.months[0]):
                kind = "start"
            elif month in milestone_months and (prev in ("placeholder", "milestone") or later):
                kind = "milestone"
            elif month in seen_months:
                kind = "other"
        if kind in ("year", "empty"):
            kind = "other"
        if month is not None:
            first_dated = False
        if kind == "month" and month is not None:
            seen_months.add(month)
            latest = month if latest is None else max(latest, month)
        out.append(Column(c, kind, month if kind != "other" else None, text))
    return out


def find_header_row(grid: list[list[object]], label_col: int = 1) -> int | None:
    """The row (1-based) with most month/start/milestone headers (at least two)."""
    best, best_score = None, 1
    for r in range(1, min(len(grid), HEADER_SCAN_ROWS) + 1):
        cols = classify_columns(grid, r, label_col)
        score = sum(c.kind in ("month", "start", "milestone") for c in cols)
        score += 0.5 * sum(c.kind == "placeholder" for c in cols)
        if score > best_score:
            best, best_score = r, score
    return best


# --------------------------------------------------------------------------- rows & sheets


@dataclass(frozen=True)
class UnknownRow:
    row: int
    label: str


@dataclass(frozen=True)
class SheetLayout:
    """A recognised statusskema sheet (all rows and columns 1-based)."""

    sheet: str
    schema: Schema
    score: float
    header_row: int
    label_col: int
    columns: tuple[Column, ...]
    rows: dict[tuple[str, str], int]  # (sektion, label) -> row
    section_rows: dict[str, int]
    unknown: tuple[UnknownRow, ...]
    last_row: int  # the last row of the table (before footnotes / legend)
    xlstatus_rows: dict[str, int] = field(default_factory=dict)  # 'forklaring'/'info' -> row

    @property
    def month_cols(self) -> dict[date, int]:
        return {c.month: c.col for c in self.columns if c.kind == "month" and c.month}

    @property
    def start_col(self) -> int | None:
        return next((c.col for c in self.columns if c.kind == "start"), None)

    @property
    def milestone_cols(self) -> dict[date, int]:
        return {c.month: c.col for c in self.columns if c.kind == "milestone" and c.month}


def _cell(grid: list[list[object]], r: int, c: int) -> object:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


def _label_col(grid: list[list[object]]) -> int:
    counts = [0, 0, 0]
    for row in grid[:MAX_ROWS]:
        for c in range(min(3, len(row))):
            v = row[c]
            if isinstance(v, str) and len(v.strip()) > 3 and not parse_header(v).month:
                counts[c] += 1
    return counts.index(max(counts)) + 1


def _is_footnote(key: str, schema: Schema) -> bool:
    notes = {spaceless_key(f) for f in schema.footnotes}
    return key.startswith(FOOTNOTE_PREFIXES) or key in notes


NOTES_KEY = "statusogbemærkninger"


def xlstatus_row_kind(key: str) -> str | None:
    """'forklaring' (legend), 'info' (measurement line) or 'noter' (the status notes area's
    heading) for a label-column text xlstatus writes, else None."""
    if key.startswith("forklaring"):
        return "forklaring"
    if key.startswith("senestemåling"):
        return "info"
    if key.startswith(NOTES_KEY):
        return "noter"
    return None


def notes_cells(grid: list[list[object]], layout: SheetLayout) -> list[tuple[int, int, str]]:
    """The text typed in the status notes area: (row, col, text) of every non-blank cell
    below its heading, up to the legend (when the legend follows) or the sheet's end."""
    start = layout.xlstatus_rows.get("noter")
    if start is None:
        return []
    legend = layout.xlstatus_rows.get("forklaring")
    end = legend - 1 if legend is not None and legend > start else len(grid)
    out = []
    for r in range(start + 1, end + 1):
        for c, v in enumerate(grid[r - 1] if r - 1 < len(grid) else [], start=1):
            if c >= layout.label_col and not is_blank(v):
                out.append((r, c, str(v).strip()))
    return out


def match_score(labels: set[str], schema: Schema) -> tuple[float, int]:
    """(share of the schema's row labels found, how many)."""
    wanted = {spaceless_key(r.label) for r in schema.rows}
    found = len(wanted & labels)
    return (found / len(wanted) if wanted else 0.0), found


def sheet_labels(grid: list[list[object]]) -> set[str]:
    out = set()
    for row in grid[:MAX_ROWS]:
        for v in row[:3]:
            if isinstance(v, str) and v.strip():
                out.add(spaceless_key(v))
    return out


def best_schema(grid: list[list[object]], schemas: list[Schema]) -> tuple[Schema, float] | None:
    """The project whose labels the sheet matches best (≥ 40 % and ≥ 2 labels)."""
    labels = sheet_labels(grid)
    scored = []
    for s in schemas:
        share, found = match_score(labels, s)
        if found >= min(2, len(s.rows)) and share >= 0.4:
            scored.append((share, found, -schemas.index(s), s))
    if not scored:
        return None
    share, _, _, s = max(scored, key=lambda t: t[:3])
    return s, share


def recognise_sheet(sheet: str, grid: list[list[object]], schema: Schema, score: float = 1.0):
    """The layout of a sheet already known to be `schema`'s; None without a header row."""
    grid = [list(r[:MAX_COLS]) for r in grid[:MAX_ROWS]]
    label_col = _label_col(grid)
    header_row = find_header_row(grid, label_col)
    if header_row is None:
        return None
    columns = tuple(classify_columns(grid, header_row, label_col, schema))
    sections = {spaceless_key(s): s for s in schema.sections}
    by_key = {(spaceless_key(r.sektion), spaceless_key(r.label)): r for r in schema.rows}
    by_label: dict[str, list] = {}
    for r in schema.rows:
        by_label.setdefault(spaceless_key(r.label), []).append(r)
    rows: dict[tuple[str, str], int] = {}
    section_rows: dict[str, int] = {}
    unknown: list[UnknownRow] = []
    xl_rows: dict[str, int] = {}
    section = ""
    last_row = header_row
    ended = False
    for r in range(1, header_row):
        value = _cell(grid, r, label_col)
        if isinstance(value, str) and (kind := xlstatus_row_kind(spaceless_key(value))):
            xl_rows.setdefault(kind, r)
    for r in range(header_row + 1, len(grid) + 1):
        value = _cell(grid, r, label_col)
        if not isinstance(value, str) or not value.strip():
            continue
        key = spaceless_key(value)
        if (kind := xlstatus_row_kind(key)) and (
            "noter" not in xl_rows or key == "forklaring:"  # a person's text below the heading
        ):
            xl_rows.setdefault(kind, r)
            ended = True
            continue
        if ended:
            continue
        if _is_footnote(key, schema):
            ended = True
            continue
        if key in sections and (section, key) not in by_key:
            section = key
            section_rows[sections[key]] = r
            last_row = r
            continue
        row = by_key.get((section, key))
        if row is None and len(by_label.get(key, [])) == 1:
            row = by_label[key][0]
        if row is None and key in by_label:  # same label in several sections: use order
            row = next((x for x in by_label[key] if x.key not in rows), None)
        if row is None or row.key in rows:
            unknown.append(UnknownRow(r, str(value).strip()))
        else:
            rows[row.key] = r
        last_row = r
    return SheetLayout(
        sheet=sheet,
        schema=schema,
        score=score,
        header_row=header_row,
        label_col=label_col,
        columns=columns,
        rows=rows,
        section_rows=section_rows,
        unknown=tuple(unknown),
        last_row=last_row,
        xlstatus_rows=xl_rows,
    )


@dataclass(frozen=True)
class Recognition:
    layouts: tuple[SheetLayout, ...]
    ignored: tuple[tuple[str, str], ...]  # (sheet, reason in Danish)


def recognise_workbook(sheets: list[tuple[str, list[list[object]]]], schemas: list[Schema]):
    """Each schema's best sheet; other sheets that look like a schema are reported."""
    candidates = []
    for name, grid in sheets:
        hit = best_schema(grid, schemas)
        if hit:
            candidates.append((hit[1], name, grid, hit[0]))
    taken: dict[str, str] = {}
    layouts: list[SheetLayout] = []
    ignored: list[tuple[str, str]] = []
    for score, name, grid, schema in sorted(candidates, key=lambda t: -t[0]):
        if schema.projekt in taken:
            ignored.append(
                (
                    name,
                    f"ligner også '{schema.projekt}', som opdateres på arket "
                    f"'{taken[schema.projekt]}'",
                )
            )
            continue
        layout = recognise_sheet(name, grid, schema, score)
        if layout is None:
            ignored.append(
                (name, f"ligner '{schema.projekt}', men har ingen overskriftsrække med måneder")
            )
            continue
        taken[schema.projekt] = name
        layouts.append(layout)
    order = {name: i for i, (name, _) in enumerate(sheets)}
    layouts.sort(key=lambda lay: order[lay.sheet])
    return Recognition(tuple(layouts), tuple(ignored))
