"""Read a FACIT extract (udtraek.md): a folder of CSV files or one .xlsx workbook.

`read_extract` finds the tables, loads each one as raw text and hands it to
`parse_frame`, the validation and normalisation core (also used by front ends that
already hold a raw table, e.g. an extract pasted into a sheet). Every problem is
collected in a `Problems` list; bad data ends in one `ExtractError` holding them all.

All conversions are vectorised: values are parsed once per distinct value
(`pd.factorize`), so a table of a couple of million rows reads in seconds.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import re
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from xlstatus.kerne.errors import MAX_PROBLEMS, ExtractError, Problems, TemplateError
from xlstatus.kerne.model import (
    AFGANGSAARSAGER,
    AFSLUTNINGER,
    MAALGRUPPER,
    MARKERINGER,
    TABLES,
    TILBUD,
    Extract,
    PersonKeys,
    SourceFile,
    empty_table,
)
from xlstatus.kerne.noegler import alnum_key
from xlstatus.skabelonfiler import template_file

__all__ = ["Aliases", "check_rows", "load_aliases", "parse_frame", "read_extract"]

ALIAS_FILE = "kolonnealiaser.toml"

# (table, column) -> (section of the alias file, canonical codes)
CODE_COLUMNS: dict[tuple[str, str], tuple[str, list[str]]] = {
    ("forloeb", "maalgruppe"): ("maalgrupper", MAALGRUPPER),
    ("forloeb", "afgangsaarsag"): ("afgangsaarsager", AFGANGSAARSAGER),
    ("markeringer", "markering"): ("markeringer", MARKERINGER),
    ("markeringer", "afslutning"): ("afslutninger", AFSLUTNINGER),
    ("tilbud", "tilbud"): ("tilbud", TILBUD),
}
CODE_NAMES = {
    "maalgruppe": "målgruppe",
    "afgangsaarsag": "afgangsårsag",
    "markering": "markering",
    "afslutning": "afslutning",
    "tilbud": "tilbud",
}
# hour column -> (most the period holds: more is an error, more is implausible: a warning, period)
HOUR_LIMITS = {"timer": (744, 300, "i en måned"), "timer_pr_uge": (168, 60, "på en uge")}

DATE_FORMATS = (
    "%d-%m-%Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
)
FIRST_DAY = pd.Timestamp("1800-01-01")
LAST_DAY = pd.Timestamp("2199-12-31")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

EXPECTED = {
    "date": "dd-mm-åååå",
    "month": "åååå-mm, mm-åååå eller en dato i måneden",
    "decimal": "et tal, fx 7,5",
    "text": "en værdi",
}

# --------------------------------------------------------------------------- alias file


@dataclass(frozen=True)
class Aliases:
    """The alias file, folded for lookup."""

    tables: dict[str, str] = field(default_factory=dict)  # folded name -> table
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> folded -> column
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # section -> folded -> code


def load_aliases(path: str | Path | None = None) -> Aliases:
    """Read kolonnealiaser.toml (TemplateError when it is malformed)."""
    return _load_aliases(str(Path(path) if path else template_file(ALIAS_FILE)))


@lru_cache(maxsize=4)
def _load_aliases(path: str) -> Aliases:
    problems = Problems()
    name = Path(path).name
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
        problems.error("aliasfilen findes ikke", file=path, expected=ALIAS_FILE)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        data = {}
        problems.error(f"aliasfilen kan ikke læses: {exc}", file=path)

    def entries(section: str, canon: list[str]) -> list[tuple[str, str]]:
        """(canonical, alias) pairs of one section; the canonical names themselves first."""
        pairs = [(c, c) for c in canon]
        body = data.get(section, {})
        if not isinstance(body, dict):
            problems.error("afsnittet skal være en tabel", file=name, column=f"[{section}]")
            return pairs
        for key, values in body.items():
            if key not in canon:
                problems.error(
                    "ukendt navn i aliasfilen",
                    file=name,
                    column=f"[{section}]",
                    value=key,
                    expected="en af: " + ", ".join(canon),
                )
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems.error(
                    "aliaserne skal være en liste af tekster",
                    file=name,
                    column=f"[{section}] {key}",
                )
                continue
            pairs += [(key, v) for v in values]
        return pairs

    def index(section: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for canon, alias in pairs:
            key = alnum_key(alias)
            if out.get(key, canon) != canon:
                problems.error(
                    f"aliaset peger på både '{out[key]}' og '{canon}'",
                    file=name,
                    column=f"[{section}]",
                    value=alias,
                )
            out.setdefault(key, canon)
        return out

    known = {"tabeller", "kolonner"} | {s for s, _ in CODE_COLUMNS.values()}
    for section in data:
        if section not in known:
            problems.error(
                "ukendt afsnit i aliasfilen",
                file=name,
                value=section,
                expected=", ".join(sorted(known)),
            )
    tables = index("tabeller", entries("tabeller", list(TABLES)))
    all_columns = list(dict.fromkeys(c for spec in TABLES.values() for c in spec))
    column_pairs = entries("kolonner", all_columns)
    columns = {
        t: index(f"kolonner/{t}", [(c, a) for c, a in column_pairs if c in spec])
        for t, spec in TABLES.items()
    }
    codes = {s: index(s, entries(s, canon)) for s, canon in CODE_COLUMNS.values()}
    problems.raise_if_errors("Aliasfilen indeholder fejl", TemplateError)
    return Aliases(tables=tables, columns=columns, codes=codes)


# --------------------------------------------------------------------------- problem collection


@dataclass
class _Collector:
    """Errors of one table, reported in row order; at most MAX_PROBLEMS per check."""

    source: str
    items: list[tuple[int, int, str, str, object, str]] = field(default_factory=list)
    extra: int = 0

    def add(
        self,
        row: int,
        order: int,
        message: str,
        column: str,
        value: object = None,
        expected: str = "",
    ) -> None:
        self.items.append((row, order, message, column, value, expected))

    def rows(
        self,
        mask: np.ndarray,
        rows: np.ndarray,
        order: int,
        message: str,
        column: str,
        values: _Col | None,
        expected: str,
    ) -> None:
        bad = np.flatnonzero(mask)
        take = bad[:MAX_PROBLEMS]
        self.extra += len(bad) - len(take)
        for i in take:
            value = None if values is None else values.at(i)
            self.add(int(rows[i]), order, message, column, value, expected)

    def flush(self, problems: Problems) -> None:
        for row, _, message, column, value, expected in sorted(self.items, key=lambda x: x[:2]):
            problems.error(
                message, file=self.source, row=row, column=column, value=value, expected=expected
            )
        problems.dropped += self.extra


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --------------------------------------------------------------------------- cell values


def _cell_text(v: object) -> str:
    """One cell (str, number, date, None) as trimmed text; dates as yyyy-mm-dd."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool | np.bool_):
        return "SAND" if v else "FALSK"
    if isinstance(v, datetime | date):
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if isinstance(v, np.datetime64):
        return "" if np.isnat(v) else str(v)[:10]
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        f = float(v)
        if f != f:
            return ""
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        text = repr(f)
        return format(f, ".10f").rstrip("0").rstrip(".") if "e" in text else text
    return str(v).strip()


def _text_column(col: pd.Series) -> pd.Series:
    """A raw column as trimmed text (str dtype, '' for empty)."""
    if isinstance(col.dtype, pd.StringDtype) or (
        col.dtype == object and pd.api.types.infer_dtype(col, skipna=False) == "string"
    ):
        return col.astype(str).fillna("").str.strip()
    values = col.to_numpy(dtype=object, na_value=None)
    kinds = set(map(type, values))  # True == 1 == 1.0, yet their texts differ
    if any(issubclass(k, bool | np.bool_) for k in kinds) or (
        any(issubclass(k, int | np.integer) for k in kinds)
        and any(issubclass(k, float | np.floating) for k in kinds)
    ):
        return col.map(_cell_text).astype(str)  # told apart cell by cell
    codes, uniques = pd.factorize(values)  # each distinct value is made text once
    texts = np.array([_cell_text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(texts[codes], index=col.index, dtype=str)  # code -1: empty -> ""


Factor = tuple[np.ndarray, object]  # (each row's code, the distinct values)


@dataclass(frozen=True)
class _Col:
    """One text column: each row's code (int32) and the distinct trimmed texts (an object
    array of str). Every check works on the distinct texts; a row's text is looked up."""

    codes: np.ndarray
    uniques: np.ndarray

    @staticmethod
    def of(text: pd.Series) -> _Col:
        """From trimmed text (pd.factorize: codes in order of first appearance)."""
        codes, uniques = pd.factorize(text)
        return _Col(codes.astype(np.int32), np.asarray(uniques, dtype=object))

    @staticmethod
    def blank(n: int) -> _Col:
        return _Col(np.zeros(n, dtype=np.int32), np.array([""], dtype=object))

    def __len__(self) -> int:
        return len(self.codes)

    def at(self, i: int) -> str:
        return self.uniques[self.codes[i]]

    @cached_property
    def _blank(self) -> np.ndarray:
        return np.asarray(self.uniques == "", dtype=bool)

    def empty(self) -> np.ndarray:
        """Is the row's text ''?"""
        return self._blank[self.codes]

    def values(self) -> np.ndarray:
        """Every row's text (equal texts are one str object)."""
        return self.uniques[self.codes]

    def take(self, rows: np.ndarray) -> _Col:
        """The rows `rows` (a mask or positions), only the texts they use kept (in their
        order here, which need not be the order they first appear in: no check, value or
        message depends on that order)."""
        codes = self.codes[rows]
        used = np.bincount(codes, minlength=len(self.uniques)) > 0
        if used.all():  # (a dropped duplicate row uses only texts an earlier row uses)
            return _Col(codes, self.uniques)
        remap = (np.cumsum(used) - 1).astype(np.int32)
        return _Col(remap[codes], self.uniques[used])


def _uniques(col: _Col) -> tuple[np.ndarray, pd.Series]:
    return col.codes, pd.Series(col.uniques, dtype=str)


def _dates_of(u: pd.Series) -> pd.Series:
    """Distinct texts -> dates (datetime64[ns], NaT when empty or unreadable)."""
    index, u = u.index, u.reset_index(drop=True)
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]")
    todo = np.array(u != "", dtype=bool)
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(u[todo], format=fmt, errors="coerce")
        ok = parsed.notna() & (parsed >= FIRST_DAY) & (parsed <= LAST_DAY)
        idx = ok[ok].index
        out.loc[idx] = parsed[idx].dt.normalize().astype("datetime64[ns]")
        todo[idx] = False
    if todo.any():  # Excel serial numbers (days since 30-12-1899)
        rest = u[todo]
        num = pd.to_numeric(
            rest.where(rest.str.fullmatch(r"\d{1,6}(\.\d+)?"), None), errors="coerce"
        )
        num = num[(num >= 1) & (num < (LAST_DAY - EXCEL_EPOCH).days)]
        out.loc[num.index] = EXCEL_EPOCH + pd.to_timedelta(np.floor(num), unit="D")
    return out.set_axis(index)


def _parse_dates(s: _Col) -> tuple[np.ndarray, np.ndarray]:
    """Column of texts -> (datetime64[ns] values, mask of non-empty unreadable cells)."""
    codes, u = _uniques(s)
    d = _dates_of(u)
    bad = ((u != "") & d.isna()).to_numpy()
    return d.to_numpy()[codes], bad[codes]


def _parse_months(s: _Col) -> tuple[np.ndarray, np.ndarray]:
    """yyyy-mm, mm-yyyy, 'mar-24' or any date inside the month -> first day of month."""
    codes, u = _uniques(s)
    year = pd.Series(np.nan, index=u.index)
    month = pd.Series(np.nan, index=u.index)
    for pattern, yi, mi in ((r"(\d{4})[-/.](\d{1,2})", 0, 1), (r"(\d{1,2})[-/.](\d{4})", 1, 0)):
        m = u.str.extract(f"^{pattern}$").astype(float)
        hit = m[0].notna() & year.isna()
        year[hit], month[hit] = m.loc[hit, yi], m.loc[hit, mi]
    m = u.str.lower().str.extract(r"^([a-zæøå]{3})[a-zæøå]*\.?[-. /]?(\d{2}|\d{4})$")
    hit = m[0].isin(list(MONTH_ABBR)) & year.isna()
    yy = m.loc[hit, 1].astype(float)
    year[hit] = yy.where(yy >= 100, yy + 2000)
    month[hit] = m.loc[hit, 0].map(MONTH_ABBR).astype(float)
    valid = year.between(FIRST_DAY.year, LAST_DAY.year) & month.between(1, 12)
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]")
    if valid.any():
        parts = pd.DataFrame({"year": year[valid], "month": month[valid], "day": 1}).astype(int)
        out[valid] = pd.to_datetime(parts).astype("datetime64[ns]")
    rest = (~valid & (u != "")).to_numpy()
    if rest.any():
        d = _dates_of(u[rest]).to_numpy().astype("datetime64[M]").astype("datetime64[ns]")
        out[rest] = d
    bad = ((u != "") & out.isna()).to_numpy()
    return out.to_numpy()[codes], bad[codes]


def _parse_decimals(s: _Col) -> tuple[np.ndarray, np.ndarray]:
    """'7,5' or '7.5' -> 7.5 (NaN when empty); no thousands separators."""
    codes, u = _uniques(s)
    ok = u.str.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
    num = pd.to_numeric(u.where(ok, None).str.replace(",", ".", regex=False), errors="coerce")
    values = num.to_numpy(dtype="float64", copy=True)
    bad = (u != "").to_numpy() & ~np.isfinite(values)  # a 400-digit number is no number
    values[~np.isfinite(values)] = np.nan
    return values[codes], bad[codes]


def _map_codes(s: _Col, lookup: dict[str, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes -> (canonical values or None, factorize codes, unknown-value mask per unique)."""
    codes, u = _uniques(s)
    mapped = np.array([lookup.get(alnum_key(x)) if x else None for x in u], dtype=object)
    unknown = np.array([bool(x) and m is None for x, m in zip(u, mapped, strict=True)], dtype=bool)
    return mapped[codes], codes, unknown


def _normalise_cpr(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """10 digits or ddmmyy-xxxx -> ddmmyy-xxxx; 9 digits get their leading 0 back.

    Anything else is a pseudonymous id and is kept as given. Returns (keys, restored mask).
    """
    nine = s.str.fullmatch(r"\d{9}")
    ten = s.str.fullmatch(r"\d{10}")
    fix = nine | ten
    if not fix.any():
        return s, nine.to_numpy()  # s itself: every key is as given
    out = s.where(~nine, "0" + s)
    out = out.where(~fix, out.str.slice(0, 6) + "-" + out.str.slice(6))
    return out, nine.to_numpy()


def birth_dates(cpr: pd.Series) -> np.ndarray:
    """Birth date of every ddmmyy-xxxx key by the CPR office's century table (else NaT).

    7th digit 0-3: 1900s; 4 or 9: 2000s if yy <= 36, else 1900s; 5-8: 2000s if yy <= 57,
    else 1800s. A day above 60 is a substitute CPR number (day + 60).
    """
    cpr = pd.Series(cpr, dtype=str)
    is_cpr = cpr.str.fullmatch(r"\d{6}-\d{4}").to_numpy(dtype=bool, na_value=False)
    key = cpr.str.slice(0, 8).where(is_cpr, "")  # ddmmyy-d decides the date
    codes, u = _uniques(_Col.of(key))
    ok = (u != "").to_numpy()
    c = u[ok]
    day = c.str.slice(0, 2).astype(int).to_numpy()
    month = c.str.slice(2, 4).astype(int).to_numpy()
    yy = c.str.slice(4, 6).astype(int).to_numpy()
    d7 = c.str.slice(7, 8).astype(int).to_numpy()
    century = np.select(
        [d7 <= 3, np.isin(d7, (4, 9)), d7 <= 8],
        [1900, np.where(yy <= 36, 2000, 1900), np.where(yy <= 57, 2000, 1800)],
    )
    day = np.where(day > 60, day - 60, day)
    parts = pd.DataFrame({"year": century + yy, "month": month, "day": day})
    dates = np.full(len(u), np.datetime64("NaT"), dtype="datetime64[ns]")
    dates[ok] = pd.to_datetime(parts, errors="coerce").to_numpy().astype("datetime64[ns]")
    return dates[codes]


# --------------------------------------------------------------------------- the core


def parse_frame(
    raw: pd.DataFrame,
    table: str,
    source_name: str,
    problems: Problems,
    header_row: int = 1,
    aliases: Aliases | None = None,
) -> pd.DataFrame:
    """Validate and normalise one raw table (its columns are the header texts).

    `raw` holds text or cell values (numbers, dates, None) as read; its first data row
    is Excel row `header_row + 1`. Errors and warnings go into `problems`, naming
    `source_name`, the Excel row, the column and the value. Returns the canonical
    table of `model.TABLES[table]` (its `attrs['raekker']` = data rows read); when
    there are errors the returned table is incomplete and must not be used.
    """
    frame, _, _ = _parse(raw, table, source_name, problems, header_row, aliases or load_aliases())
    return frame


@dataclass
class _Grid:
    """A raw table as text columns: the header texts, each column as a `_Col`, and the
    Excel row of every row below the header (blank rows and duplicates still in)."""

    headers: list[str]
    columns: list[_Col]
    rows: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.headers)

    @staticmethod
    def of(raw: pd.DataFrame, header_row: int) -> _Grid:
        """From raw cells (text, numbers, dates, None) whose first row is Excel row
        `header_row + 1`; its columns are the header cells."""
        headers = [_cell_text(c) for c in raw.columns]
        columns = [_Col.of(_text_column(raw.iloc[:, j])) for j in range(raw.shape[1])]
        return _Grid(headers, columns, header_row + 1 + np.arange(len(raw)))


def _parse(
    raw: pd.DataFrame | _Grid,
    table: str,
    source: str,
    problems: Problems,
    header_row: int,
    aliases: Aliases,
) -> tuple[pd.DataFrame, int, Factor | None]:
    """(table, data rows read, person of each row with the CPR keys – None without cpr)."""
    grid = raw if isinstance(raw, _Grid) else _Grid.of(raw, header_row)
    del raw  # the raw cells are not needed any more: let a large grid go before converting
    errors = _Collector(source)
    headers, found = _match_headers(grid.headers, table, header_row, aliases, errors)
    text, excel_rows, n_read = _data_rows(grid, source, problems)
    del grid
    n = len(excel_rows)

    def column(col: str, text: list[_Col] = text) -> _Col:
        return text[found[col][0]] if col in found else _Col.blank(n)

    def shown(col: str) -> str:
        return headers[found[col][0]] if col in found else col

    cols = _Columns(table, source, excel_rows, errors, problems, aliases)
    out = {col: cols.convert(col, column(col), shown(col), col in found) for col in TABLES[table]}
    if "startdato" in out and "slutdato" in out:
        before = np.asarray(out["slutdato"] < out["startdato"])  # NaT compares False
        errors.rows(
            before,
            excel_rows,
            cols.order["slutdato"],
            "slutdato ligger før startdato",
            shown("slutdato"),
            column("slutdato"),
            "en dato på eller efter startdato",
        )
    del text, column  # only the converted columns are needed now: let the text go
    frame = _frame(table, out, n)
    errors.flush(problems)
    frame, person = _finish(table, frame, excel_rows, problems, source, shown, cols.person)
    frame.attrs["raekker"] = n_read
    return frame, n_read, person


def _match_headers(
    headers: list[str], table: str, header_row: int, aliases: Aliases, errors: _Collector
) -> tuple[list[str], dict[str, list[int]]]:
    """Header texts and, per canonical column, the positions that mean it (via aliases)."""
    spec = TABLES[table]
    found: dict[str, list[int]] = {}
    for j, h in enumerate(headers):
        col = aliases.columns[table].get(alnum_key(h)) if h else None
        if col:
            found.setdefault(col, []).append(j)
    order = {c: i for i, c in enumerate(spec)}
    for col, js in found.items():
        if len(js) > 1:
            errors.add(
                header_row,
                order[col],
                "flere kolonner betyder det samme",
                col,
                " | ".join(headers[j] for j in js),
                "kun én af dem",
            )
    for col, (_, required) in spec.items():
        if required and col not in found:
            errors.add(
                header_row,
                order[col],
                "kolonnen mangler",
                col,
                None,
                f"en kolonne med overskriften '{col}' (eller et af dens navne i "
                f"{ALIAS_FILE}); fundne kolonner: "
                + (", ".join(h for h in headers if h) or "ingen"),
            )
    return headers, found


def _data_rows(grid: _Grid, source: str, problems: Problems) -> tuple[list[_Col], np.ndarray, int]:
    """The text columns without blank rows and exact duplicates (judged on the whole row).

    Returns (the columns, the Excel row of each row, number of non-blank rows read)."""
    text, excel_rows = grid.columns, grid.rows
    keep = np.zeros(len(excel_rows), dtype=bool)
    for col in text:
        keep |= ~col.empty()
    if not keep.all():
        text, excel_rows = [col.take(keep) for col in text], excel_rows[keep]
    n_read = len(excel_rows)
    if n_read:
        dup = _duplicated([col.codes for col in text], n_read)
        if dup.any():
            what = _plural(
                int(dup.sum()), "række er en nøjagtig dublet", "rækker er nøjagtige dubletter"
            )
            problems.warn(
                f"{what} af en tidligere række og er sprunget over (første dublet vist)",
                file=source,
                row=int(excel_rows[dup][0]),
            )
            text, excel_rows = [col.take(~dup) for col in text], excel_rows[~dup]
    return text, excel_rows, n_read


def _duplicated(columns: list[np.ndarray], n: int) -> np.ndarray:
    """Rows equal to an earlier row (as `DataFrame.duplicated`).

    First the leading columns whose key fits in int64 without re-factorizing: a row can
    only be a duplicate where that partial key repeats, so only those rows (every one of
    them, in order) are judged on all columns."""
    key = np.zeros(n, dtype=np.int64)
    fitted = 0
    for codes in columns:
        card = int(codes.max(initial=-1)) + 2
        if (int(key.max(initial=0)) + 1) * card >= 2**62:
            break
        key = key * card + codes
        fitted += 1
    if fitted == len(columns):
        return pd.Series(key).duplicated(keep="first").to_numpy()
    if not fitted:
        return _duplicated_all(columns, n)
    maybe = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
    out = np.zeros(n, dtype=bool)
    if len(maybe):
        out[maybe] = _duplicated_all([codes[maybe] for codes in columns], len(maybe))
    return out


def _duplicated_all(columns: list[np.ndarray], n: int) -> np.ndarray:
    """`_duplicated` from one int64 key per row: the columns' factorize codes in mixed
    radix, re-factorized before they could overflow."""
    key = np.zeros(n, dtype=np.int64)
    for codes in columns:
        card = int(codes.max(initial=-1)) + 2
        if (int(key.max(initial=0)) + 1) * card >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * card + codes
    return pd.Series(key).duplicated(keep="first").to_numpy()


@dataclass
class _Columns:
    """Converts the text columns of one table to the model's values, collecting problems."""

    table: str
    source: str
    rows: np.ndarray  # Excel row of every data row
    errors: _Collector
    problems: Problems
    aliases: Aliases
    person: Factor | None = None  # (person of each row, the CPR keys), made by _cpr

    @property
    def order(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(TABLES[self.table])}

    def convert(self, col: str, s: _Col, name: str, present: bool) -> object:
        kind, required = TABLES[self.table][col]
        o = self.order[col]
        if required and present:
            expected = (
                "en af: " + ", ".join(CODE_COLUMNS[(self.table, col)][1])
                if kind == "code"
                else EXPECTED.get(kind, "en værdi")
            )
            self.errors.rows(s.empty(), self.rows, o, "feltet er tomt", name, None, expected)
        if kind in ("date", "month"):
            values, bad = (_parse_dates if kind == "date" else _parse_months)(s)
            what = "datoen" if kind == "date" else "måneden"
            self.errors.rows(bad, self.rows, o, f"{what} kan ikke læses", name, s, EXPECTED[kind])
            return values
        if kind == "decimal":
            values, bad = _parse_decimals(s)
            self.errors.rows(
                bad, self.rows, o, "tallet kan ikke læses", name, s, EXPECTED["decimal"]
            )
            if col in HOUR_LIMITS:
                self._check_hours(col, values, s, name, o)
            return values
        if kind == "code":
            return _check_codes(
                s,
                self.table,
                col,
                name,
                self.rows,
                o,
                self.errors,
                self.problems,
                self.aliases,
                self.source,
            )
        if col == "cpr":
            return self._cpr(s, name)
        if col == "cvr":
            return _check_cvr(s, name, self.rows, self.problems, self.source)
        return s.values()

    def _check_hours(self, col: str, values: np.ndarray, s: _Col, name: str, order: int) -> None:
        """Negative or more hours than the period holds: errors; implausibly many: a warning."""
        limit, plausible, period = HOUR_LIMITS[col]
        self.errors.rows(
            values < 0, self.rows, order, "antallet af timer er negativt", name, s, "et tal ≥ 0"
        )
        self.errors.rows(
            values > limit,
            self.rows,
            order,
            f"flere timer, end der er {period}",
            name,
            s,
            f"et tal fra 0 til {limit}",
        )
        odd = np.flatnonzero((values > plausible) & (values <= limit))
        if len(odd):
            self.problems.warn(
                f"{_plural(len(odd), 'række', 'rækker')} har over {plausible} timer {period} – "
                "usandsynligt mange; tallene bruges, som de står (første vist)",
                file=self.source,
                row=int(self.rows[odd[0]]),
                column=name,
                value=s.at(odd[0]),
                expected=f"højst {plausible} timer {period}",
            )

    def _cpr(self, s: _Col, name: str) -> np.ndarray:
        """Normalised keys, worked out once per distinct value; equal keys share one object."""
        codes, u = _uniques(s)
        keys_u, restored_u = _normalise_cpr(u)
        if keys_u is u:  # nothing to normalise: the distinct texts are the distinct keys
            key_codes, keys = np.arange(len(u), dtype=np.int32), s.uniques
        else:
            key_codes, keys = pd.factorize(keys_u, use_na_sentinel=False)
            keys = np.asarray(keys, dtype=object)
        self.person = (key_codes[codes], keys)
        keys = keys[self.person[0]]
        restored = restored_u[codes]
        if restored.any():
            self.problems.warn(
                f"{_plural(int(restored.sum()), 'CPR-nummer', 'CPR-numre')} havde kun 9 cifre "
                "(et regneark har fjernet det foranstillede 0); nullet er sat på igen "
                "(første vist)",
                file=self.source,
                row=int(self.rows[restored][0]),
                column=name,
            )
        return keys


def _check_codes(
    s: _Col,
    table: str,
    col: str,
    name: str,
    rows: np.ndarray,
    order: int,
    errors: _Collector,
    problems: Problems,
    aliases: Aliases,
    source: str,
) -> np.ndarray:
    section, canon = CODE_COLUMNS[(table, col)]
    values, codes, unknown = _map_codes(s, aliases.codes[section])
    if not unknown.any():
        return values
    bad_pos = np.flatnonzero(unknown[codes]) if len(codes) else np.array([], dtype=int)
    which, first, count = np.unique(codes[bad_pos], return_index=True, return_counts=True)
    what = CODE_NAMES[col]
    for _, f, c in sorted(zip(which, first, count, strict=True), key=lambda x: x[1]):
        pos = bad_pos[f]
        value = s.at(pos)
        if col == "markering":
            problems.warn(
                f"ukendt markering – {_plural(int(c), 'række', 'rækker')} med denne kode er "
                "sprunget over (første vist)",
                file=source,
                row=int(rows[pos]),
                column=name,
                value=value,
                expected="en af: " + ", ".join(canon),
            )
        else:
            more = "" if c == 1 else f" – {c} rækker har denne værdi, den første er vist"
            errors.add(
                int(rows[pos]),
                order,
                f"ukendt {what}{more}",
                name,
                value,
                "en af: " + ", ".join(canon),
            )
    return values


def _check_cvr(
    col: _Col, name: str, rows: np.ndarray, problems: Problems, source: str
) -> pd.Series:
    """Drop spaces and a 'DK' prefix; warn (once) about values that are not 8 digits."""
    s = pd.Series(col.values(), dtype=str)
    cvr = s.str.replace(r"\s+", "", regex=True).str.replace(r"^(?i:dk)-?", "", regex=True)
    odd = ((cvr != "") & ~cvr.str.fullmatch(r"\d{8}")).to_numpy()
    if odd.any():
        first = int(np.flatnonzero(odd)[0])
        problems.warn(
            f"{_plural(int(odd.sum()), 'CVR-nummer', 'CVR-numre')} har ikke 8 cifre "
            "(første vist); de bruges som de står",
            file=source,
            row=int(rows[first]),
            column=name,
            value=s.iat[first],
            expected="8 cifre",
        )
    return cvr


def _frame(table: str, out: dict[str, object], n: int) -> pd.DataFrame:
    """The canonical table with the model's dtypes."""
    cols: dict[str, pd.Series] = {}
    for col, (kind, _) in TABLES[table].items():
        v = out[col]
        if kind in ("date", "month"):
            cols[col] = pd.Series(np.asarray(v, dtype="datetime64[ns]"))
        elif kind == "decimal":
            cols[col] = pd.Series(np.asarray(v, dtype="float64"))
        elif kind == "text":
            shared = v if isinstance(v, np.ndarray) else _shared_text(v)
            cols[col] = pd.Series(shared, dtype=object)
        else:
            cols[col] = pd.Series(np.asarray(v, dtype=object), dtype=object)
    if not n:
        return empty_table(table)
    return pd.DataFrame(cols, copy=False)  # the columns are new: no second copy


def _shared_text(v: object) -> np.ndarray:
    """Text values as an object array in which equal values are one str object (a person's
    CPR key is stored once, not once per row: less memory, and hashing it later is cheap)."""
    codes, uniques = pd.factorize(pd.Series(v, copy=False), use_na_sentinel=False)
    return np.asarray(uniques, dtype=object)[codes]


def _finish(
    table: str,
    frame: pd.DataFrame,
    rows: np.ndarray,
    problems: Problems,
    source: str,
    shown: Callable[[str], str],
    person: Factor | None = None,
) -> tuple[pd.DataFrame, Factor | None]:
    """Table rules after conversion: birth dates, dropped markings, summed hours. `person`
    (each row's person, the keys) follows the rows."""
    if person is not None and len(person[0]) != len(frame):
        person = None  # an empty table
    if table == "forloeb" and len(frame):
        codes, persons = person or pd.factorize(frame["cpr"], use_na_sentinel=False)
        derived = birth_dates(pd.Series(np.asarray(persons, dtype=object)).astype(str))[codes]
        given = frame["foedselsdato"].to_numpy()
        frame["foedselsdato"] = np.where(np.isnat(given), derived, given)
        stray = (frame["afgangsaarsag"].notna() & frame["slutdato"].isna()).to_numpy()
        if stray.any():
            first = int(np.flatnonzero(stray)[0])
            problems.warn(
                f"{_plural(int(stray.sum()), 'række', 'rækker')} har en afgangsårsag uden "
                "slutdato; afgangsårsagen er ignoreret (første vist)",
                file=source,
                row=int(rows[first]),
                column=shown("afgangsaarsag"),
                value=frame["afgangsaarsag"].iat[first],
                expected="en slutdato",
            )
            frame.loc[stray, "afgangsaarsag"] = None
    elif table == "markeringer" and len(frame):
        known = frame["markering"].notna().to_numpy()
        frame = frame[known].reset_index(drop=True)
        person = None if person is None else (person[0][known], person[1])
    elif table == "loentimer" and len(frame):
        frame, person = _sum_hours(frame, rows, problems, source, shown("timer"), person)
    return frame, person


def _sum_hours(
    frame: pd.DataFrame,
    rows: np.ndarray,
    problems: Problems,
    source: str,
    name: str,
    person: Factor | None,
) -> tuple[pd.DataFrame, Factor]:
    """One row per person and month, the hours summed (groups in order of first row),
    grouped on the integer person keys rather than the text."""
    codes, keys = person or pd.factorize(frame["cpr"], use_na_sentinel=False)
    keys = np.asarray(keys, dtype=object)
    by = pd.DataFrame({"p": codes, "maaned": frame["maaned"], "timer": frame["timer"]})
    summed = by.groupby(["p", "maaned"], sort=False, as_index=False, dropna=False)["timer"]
    summed = summed.sum(min_count=1)
    p = summed["p"].to_numpy()
    out = pd.DataFrame({"cpr": keys[p], "maaned": summed["maaned"], "timer": summed["timer"]})
    _check_summed_hours(frame, out, rows, problems, source, name)
    used = np.bincount(p, minlength=len(keys)) > 0  # every person has a row: all used
    if not used.all():
        out_codes, out_keys = pd.factorize(out["cpr"], use_na_sentinel=False)
        return out, (out_codes, np.asarray(out_keys, dtype=object))
    return out, (p.astype(np.int32), keys)


def _check_summed_hours(
    frame: pd.DataFrame,
    summed: pd.DataFrame,
    rows: np.ndarray,
    problems: Problems,
    source: str,
    name: str,
) -> None:
    """Warn when several rows for one person and month add up to more than a month holds.

    A warning, not an error: each row is possible, and corrections can pile up in one month."""
    limit, _, period = HOUR_LIMITS["timer"]
    if not (summed["timer"] > limit).any():
        return
    rows_ok = frame[~(frame["timer"] > limit)]  # a single row above the limit is an error
    over = rows_ok.groupby(["cpr", "maaned"], sort=False, as_index=False)["timer"].sum()
    over = over[over["timer"] > limit]
    if over.empty:
        return
    first = frame.reset_index(drop=True).merge(
        over[["cpr", "maaned"]], on=["cpr", "maaned"], how="left", indicator=True
    )
    pos = int(np.flatnonzero((first["_merge"] == "both").to_numpy())[0])
    total = f"{over['timer'].iat[0]:g}".replace(".", ",")
    problems.warn(
        f"{_plural(len(over), 'person har', 'personer har')} rækker, der tilsammen giver over "
        f"{limit} timer {period} (første vist); tallene bruges, som de står",
        file=source,
        row=int(rows[pos]),
        column=name,
        value=total,
        expected=f"højst {limit} timer {period} i alt pr. person",
    )


# --------------------------------------------------------------------------- file readers


@dataclass
class _Raw:
    """One loaded table: the raw frame and where it came from."""

    frame: pd.DataFrame | _Grid
    header_row: int
    label: str
    sha256: str

    def take_frame(self) -> pd.DataFrame | _Grid:
        """The raw frame, no longer held here (so parsing can free it early)."""
        frame, self.frame = self.frame, pd.DataFrame()
        return frame


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _sniff(text: str) -> str:
    """The delimiter of the header line: ';', tab or ',' (';' when in doubt)."""
    for line in text[:65536].splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (";", "\t", ",")}
            best = max(counts, key=lambda d: counts[d])  # first of equals wins: ; tab ,
            return best if counts[best] else ";"
    return ";"


SEP_NAMES = {";": "semikolon", "\t": "tabulator", ",": "komma"}


def _split_header(grid: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """First non-blank row is the header; returns (raw frame, Excel row of the header)."""
    first = 0
    while first < len(grid) and not any(_cell_text(v) for v in grid.iloc[first]):
        first += 1
    if first >= len(grid) or not grid.shape[1]:
        return pd.DataFrame(), 1
    header = [_cell_text(v) for v in grid.iloc[first]]
    body = grid.iloc[first + 1 :].reset_index(drop=True)
    return body.set_axis(header, axis=1), first + 1


def _load_csv(path: Path, problems: Problems, arrow: bool = True) -> _Raw | None:
    """One CSV file: by pyarrow straight into text columns when it can (`arrow`, and the
    file is well-formed unquoted text), else by Python's csv module with every check."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(f"filen kan ikke læses ({_os_reason(exc)})", file=path.name)
        return None
    sha = hashlib.sha256(data).hexdigest()
    if arrow and (read := _arrow_csv(data)) is not None:
        del data  # pyarrow holds its own copy: let the file's bytes go before converting
        grid, header_row = _arrow_columns(read)
        release_memory()
        return _Raw(grid, header_row, path.name, sha)
    text = _decode(data)
    sep = _sniff(text)
    records, failure = _records(text, sep)
    if not _check_records(records, failure, text, sep, path.name, problems):
        return None
    frame, header_row = _split_header(_grid_of(records))
    return _Raw(frame, header_row, path.name, sha)


def _records(text: str, sep: str) -> tuple[list[list[str]], str | None]:
    """Every CSV record (a blank line is []), and why reading stopped early (else None).

    Strict: a quote that never closes or text after a closing quote stops the reading,
    instead of swallowing the rest of the file into one value."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a long field is judged, not a crash
    records: list[list[str]] = []
    try:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True
        )
        records.extend(reader)  # records read before an error are kept
    except csv.Error as exc:
        return records, str(exc)
    finally:
        csv.field_size_limit(limit)
    return records, None


def _grid_of(records: list[list[str]]) -> pd.DataFrame:
    """Records as a grid of text, short records padded with ''."""
    lens = set(map(len, records))
    width = max(lens, default=0)
    if not width:
        return pd.DataFrame()
    if len(lens) > 1:
        records = [r if len(r) == width else r + [""] * (width - len(r)) for r in records]
    return pd.DataFrame(records, columns=range(width), dtype=object)


def _careful_grid(text: str, sep: str) -> pd.DataFrame:
    """Every record as text, blank lines kept (so row numbers are as Excel shows them)."""
    return _grid_of(_records(text, sep)[0])


def _check_records(
    records: list[list[str]],
    failure: str | None,
    text: str,
    sep: str,
    name: str,
    problems: Problems,
) -> bool:
    """Report records that cannot be trusted; False when the table must not be used."""
    expected = (
        f"felter adskilt af {SEP_NAMES[sep]}; et felt, der indeholder skilletegnet, "
        "skal stå i anførselstegn, og et anførselstegn i et felt skrives dobbelt "
        '("")'
    )
    bad = 0

    def report(row: int, message: str) -> None:
        nonlocal bad
        bad += 1
        if bad <= MAX_PROBLEMS:
            problems.error(message, file=name, row=row, expected=expected)

    lens = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    filled = next((i for i, r in enumerate(records) if any(x.strip() for x in r)), None)
    width = int(lens[filled]) if filled is not None else 0
    cut = not text.endswith(("\n", "\r"))
    for i in np.flatnonzero(lens != width):
        rec = records[i]
        if i < (filled or 0) or not any(x.strip() for x in rec):
            continue  # a blank line
        if len(rec) < width and cut and i == len(records) - 1 and failure is None:
            report(
                i + 1,
                f"filen slutter midt i rækken ({len(rec)} af {width} felter og intet "
                "linjeskift) – blev kopieringen af filen afbrudt?",
            )
        elif len(rec) < width or any(x.strip() for x in rec[width:]):
            report(i + 1, f"rækken har {len(rec)} felter, men overskriften har {width}")
    lines = text.count("\n") + (not text.endswith("\n"))
    multiline = lines != len(records)  # else no field holds a line break: skip the scan
    for i, rec in enumerate(records if multiline else ()):
        if any("\n" in x and sep in x for x in rec):
            report(
                i + 1,
                "et felt strækker sig over flere linjer og indeholder skilletegnet – "
                "mangler der et afsluttende anførselstegn?",
            )
    if failure is not None:
        if "end of data" in failure:
            why = "et anførselstegn lukkes aldrig, så resten af filen kan ikke læses"
        elif "expected after" in failure:
            why = "rækken kan ikke læses: tegn efter et afsluttende anførselstegn"
        else:
            why = "rækken kan ikke læses som CSV"
        report(len(records) + 1, why)
    problems.dropped += max(0, bad - MAX_PROBLEMS)
    return not bad


def _fast_grid(text: str, sep: str) -> pd.DataFrame | None:
    """The same grid as `_careful_grid`, by pyarrow (several times faster).

    Only for unquoted text; blank lines are put back so row numbers stay as Excel shows
    them. None when the text needs the careful parser (quotes, ragged or blank-ish rows)."""
    if not text.strip():
        return None
    return _arrow_grid(text.encode("utf-8"), sep)


def _fast_grid_utf8(data: bytes) -> pd.DataFrame | None:
    """`_fast_grid` without decoding and re-encoding a large UTF-8 file: pyarrow checks the
    UTF-8 itself (None when the file is not UTF-8, or small, or needs the careful parser)."""
    if len(data) < 1 << 20 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    sep = _sniff(data[start : start + 4 * 65536 + 4].decode("utf-8", errors="ignore"))
    return _arrow_grid(data, sep, start)  # the sniff is the same as _sniff(text)


def _arrow_grid(data: bytes, sep: str, start: int = 0) -> pd.DataFrame | None:
    """UTF-8 bytes from `start` on -> grid of text by pyarrow (None: quotes, bad UTF-8,
    ragged rows), blank lines put back as rows of ''."""
    got = _arrow_table(data, sep, start)
    if got is None:
        return None
    table, blank = got
    grid = table.to_pandas().set_axis(range(table.num_columns), axis=1)
    if blank is not None:
        grid.index = np.flatnonzero(~blank)
        grid = grid.reindex(range(len(blank)), fill_value="")
    return grid


def _pyarrow():
    """pyarrow (None where it is missing), allocating from the C library's heap: unlike its
    default pools (mimalloc, jemalloc) that heap can be handed back (`release_memory`)."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())
    return pa


def release_memory() -> None:
    """Hand freed memory back to the OS (glibc's malloc_trim, through pyarrow): a large
    file's bytes, its text and its Python strings are freed table by table, but the heap
    keeps the pages - at 5.6 M rows that made the peak 1.2 GB instead of 0.96 GB."""
    if (pa := _pyarrow()) is not None:
        pa.system_memory_pool().release_unused()


def _arrow_table(data: bytes, sep: str, start: int = 0):
    """UTF-8 bytes from `start` on -> (pyarrow table of text, blank-line mask or None when
    no line is blank); None: quotes, bad UTF-8, ragged rows. The bytes are not copied."""
    if (pa := _pyarrow()) is None:  # not in every Python (xlwings Lite): then the careful
        return None  # parser does it all
    import pyarrow.csv as pacsv

    first = re.compile(rb"[^\r\n]").search(data, start)
    if data.find(b'"', start) >= 0 or not re.compile(rb"\S").search(data, start) or not first:
        return None
    blank = None  # the per-line mask is built only when there are blank lines
    if data.startswith((b"\n", b"\r\n"), start) or re.compile(rb"\n\r?\n").search(data, start):
        lines = data[start:].split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        blank = np.fromiter((not line.strip(b"\r") for line in lines), bool, len(lines))
    end = data.find(b"\n", first.start())
    width = data[first.start() : end if end >= 0 else len(data)].count(sep.encode()) + 1
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[start:]),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if blank is not None and table.num_rows != int((~blank).sum()):
        return None
    return table, blank


@dataclass
class _Arrow:
    """A CSV file read by pyarrow: its table of text (the header row in it) and the mask of
    its blank lines (None: no line is blank)."""

    table: object
    blank: np.ndarray | None


def _arrow_csv(data: bytes) -> _Arrow | None:
    """A CSV file's bytes read by pyarrow; None when pyarrow is missing or the file needs
    the careful parser. A large UTF-8 file is handed over as it is; a small or non-UTF-8
    one is decoded first."""
    if len(data) >= 1 << 20 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        sep = _sniff(data[start : start + 4 * 65536 + 4].decode("utf-8", errors="ignore"))
        got = _arrow_table(data, sep, start)
    else:
        text = _decode(data)
        got = _arrow_table(text.encode("utf-8"), _sniff(text)) if text.strip() else None
    return None if got is None else _Arrow(*got)


def _arrow_columns(read: _Arrow) -> tuple[_Grid, int]:
    """(The text columns below the header, the header's Excel row): each column trimmed and
    dictionary-encoded in pyarrow.compute, no Python per row. The table is let go column
    by column (`read.table` shrinks), so a large file is not held twice."""
    n, blank = read.table.num_rows, read.blank
    lines = np.flatnonzero(~blank) + 1 if blank is not None else np.arange(1, n + 1)
    cols = []
    while read.table.num_columns:
        cols.append(_arrow_col(read.table.column(0)))
        read.table = read.table.remove_column(0)
        release_memory()  # the column's text is freed: hand it back before the next one
    filled = np.zeros(n, dtype=bool)
    for col in cols:
        filled |= ~col.empty()
    if not filled.any():
        return _Grid([], [], np.arange(0)), 1
    first = int(np.argmax(filled))
    body = np.arange(first + 1, n)
    grid = _Grid([col.at(first) for col in cols], [col.take(body) for col in cols], lines[body])
    return grid, int(lines[first])


def _arrow_col(column) -> _Col:
    """A pyarrow text column -> trimmed, dictionary-encoded `_Col` (codes by first
    appearance, as pd.factorize)."""
    import pyarrow.compute as pc

    arr = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    enc = pc.dictionary_encode(pc.utf8_trim_whitespace(arr))  # = str.strip (tested)
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return _Col(codes, enc.dictionary.to_numpy(zero_copy_only=False).astype(object))


def _os_reason(exc: OSError) -> str:
    """Why a file could not be read, in Danish (the OS's own text is English)."""
    if isinstance(exc, PermissionError):
        return "adgang nægtet – er filen åben i et andet program?"
    if isinstance(exc, IsADirectoryError):
        return "det er en mappe, ikke en fil"
    if isinstance(exc, FileNotFoundError):
        return "filen findes ikke (længere)"
    if isinstance(exc, TimeoutError):
        return "drevet svarer ikke – er netværksforbindelsen væk?"
    if exc.errno == errno.EIO:
        return "læsefejl på drevet – er netværksforbindelsen væk?"
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno or "ukendt"))
    return f"styresystemet afviste at læse den (fejlkode {code})"


def _csv_tables(folder: Path, aliases: Aliases, problems: Problems) -> dict[str, Path]:
    found: dict[str, Path] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    except OSError as exc:
        problems.error(f"mappen kan ikke læses ({_os_reason(exc)})", file=str(folder))
        return found
    for p in files:
        table = aliases.tables.get(alnum_key(p.stem))
        if table is None:
            continue
        if table in found:
            problems.error(
                f"tabellen '{table}' findes i to filer",
                file=str(folder),
                value=f"{found[table].name} | {p.name}",
                expected="kun én fil pr. tabel",
            )
            continue
        found[table] = p
    return found


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx or an old .xls
XLSX_EXPECTED = "en .xlsx-fil gemt af Excel (uden adgangskode)"


def _not_xlsx(data: bytes) -> str | None:
    """Why these bytes cannot be an .xlsx file (None when they may be one)."""
    if not data:
        return "filen er tom"
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            return "filen er beskyttet med adgangskode – gem en kopi uden adgangskode"
        return "filen er i det gamle .xls-format – gem den som .xlsx"
    if not data.startswith(b"PK"):
        return "filen er beskadiget eller ikke en .xlsx-fil"
    return None


def _xlsx_tables(path: Path, data: bytes, aliases: Aliases, problems: Problems):
    import openpyxl

    if why := _not_xlsx(data):
        problems.error(why, file=path.name, expected=XLSX_EXPECTED)
        return None, {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any failure inside a damaged file means: damaged
        problems.error(
            "filen er beskadiget og kan ikke læses som Excel-projektmappe",
            file=path.name,
            expected=XLSX_EXPECTED,
        )
        return None, {}
    found: dict[str, object] = {}
    for ws in wb.worksheets:
        table = aliases.tables.get(alnum_key(ws.title))
        if table is None:
            continue
        if table in found:
            problems.error(
                f"tabellen '{table}' findes i to ark",
                file=path.name,
                value=f"{found[table].title} | {ws.title}",
                expected="kun ét ark pr. tabel",
            )
            continue
        found[table] = ws
    return wb, found


def _load_sheet(ws, path: Path, sha: str, problems: Problems) -> _Raw | None:
    label = f"{path.name}, ark '{ws.title}'"
    try:
        with warnings.catch_warnings():  # openpyxl's English notes on odd cells reach no user
            warnings.simplefilter("ignore")
            ws.reset_dimensions()
            rows = [tuple(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    except Exception:  # half-written XML, bad zip data (CRC, zlib)
        problems.error("arket er beskadiget og kan ikke læses", file=label, expected=XLSX_EXPECTED)
        return None
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame(
        [r + (None,) * (width - len(r)) for r in rows], columns=range(width), dtype=object
    )
    frame, header_row = _split_header(grid)
    return _Raw(frame, header_row, label, sha)


# --------------------------------------------------------------------------- the extract


def check_rows(table: str, n: int, label: str, indicator: str | None, problems: Problems) -> None:
    """A needed table with a header but no rows (`indicator`: who needs it, '' if unnamed).

    `forloeb` without rows is an error (every schema counts from it, so it means a failed
    export); another table is an empty population, with a warning."""
    if n or indicator is None:
        return
    used = f" (bruges af indikatoren '{indicator}')" if indicator else ""
    if table == "forloeb":
        problems.error(
            f"tabellen '{table}' har ingen rækker{used}",
            file=label,
            expected="en række pr. forløb under overskriftsrækken",
        )
    else:
        problems.warn(f"tabellen '{table}' har ingen rækker{used}; dens tal bliver 0", file=label)


@dataclass
class _TableLoaders:
    """Where the tables of an extract come from: one loader per table found."""

    loaders: dict[str, Callable[[], _Raw | None]] = field(default_factory=dict)
    missing_where: str = "{t}"
    workbook: object = None

    def close(self) -> None:
        if self.workbook is not None:
            self.workbook.close()


def _open(p: Path, aliases: Aliases, problems: Problems, arrow: bool = True) -> _TableLoaders:
    """Find the tables of a folder of CSV files or an .xlsx file."""
    src = _TableLoaders()
    xlsx = p.suffix.lower() in (".xlsx", ".xlsm")
    expected = "en mappe med CSV-filer eller én .xlsx-fil"
    if not p.exists():
        problems.error("udtrækket findes ikke", file=str(p), expected=expected)
    elif p.is_dir() and xlsx:
        problems.error("udtrækket er en mappe, ikke en .xlsx-fil", file=str(p), expected=expected)
    elif p.is_dir():
        for table, f in _csv_tables(p, aliases, problems).items():
            src.loaders[table] = lambda f=f: _load_csv(f, problems, arrow)
        src.missing_where = "en fil med navnet {t}.csv i mappen"
    elif xlsx:
        try:
            data = p.read_bytes()
        except OSError as exc:
            problems.error(f"filen kan ikke læses ({_os_reason(exc)})", file=p.name)
            return src
        sha = hashlib.sha256(data).hexdigest()
        src.workbook, sheets = _xlsx_tables(p, data, aliases, problems)
        for table, ws in sheets.items():
            src.loaders[table] = lambda ws=ws: _load_sheet(ws, p, sha, problems)
        src.missing_where = "et ark med navnet '{t}' i projektmappen"
    else:
        hint = " (angiv mappen, som CSV-filerne ligger i)" if p.suffix.lower() == ".csv" else ""
        problems.error(f"udtrækket har et ukendt format{hint}", file=str(p), expected=expected)
    return src


def read_extract(
    path: str | Path,
    tables: set[str] | None = None,
    needed_by: dict[str, str] | None = None,
    *,
    arrow: bool = True,
) -> Extract:
    """Read and validate a FACIT extract: a folder of `<table>.csv` files or one .xlsx.

    `tables` must be present (a missing one is an error naming the indicator from
    `needed_by`); other tables are read when present and are empty otherwise. Raises
    ExtractError holding every problem; warnings end up in `Extract.warnings`.
    `arrow=False` reads CSV files without pyarrow, as where it is missing (xlwings Lite):
    the same extract and the same problems, only slower.
    """
    required = set(tables or ())
    if unknown := required - set(TABLES):
        raise ValueError(f"ukendte tabeller: {sorted(unknown)}")
    needed_by = needed_by or {}
    aliases = load_aliases()
    problems = Problems()
    p = Path(path)
    src = _open(p, aliases, problems, arrow)
    if problems.errors:
        src.close()
        problems.raise_if_errors("Udtrækket kan ikke læses", ExtractError)
    try:
        frames, sources, keys = _read_tables(src, p, required, needed_by, aliases, problems)
    finally:
        src.close()
        release_memory()
    problems.raise_if_errors("Udtrækket indeholder fejl", ExtractError)
    return Extract(
        **frames,
        person_keys=keys,
        present=frozenset(frames),
        warnings=list(problems.warnings),
        sources=sources,
        location=str(p),
    )


def _read_tables(
    src: _TableLoaders,
    p: Path,
    required: set[str],
    needed_by: dict[str, str],
    aliases: Aliases,
    problems: Problems,
) -> tuple[dict[str, pd.DataFrame], list[SourceFile], PersonKeys | None]:
    """Load and parse every table found; a table without a header counts as absent."""
    frames: dict[str, pd.DataFrame] = {}
    sources: list[SourceFile] = []
    persons: dict[str, tuple[pd.DataFrame, Factor]] = {}
    for table in TABLES:
        indicator = needed_by.get(table, "") if table in required else None
        used = f", men bruges af indikatoren '{indicator}'" if indicator else ""
        if table not in src.loaders:
            if indicator is not None:
                problems.error(
                    f"tabellen '{table}' mangler i udtrækket{used}",
                    file=str(p),
                    expected=src.missing_where.format(t=table),
                )
            continue
        raw = src.loaders[table]()
        if raw is None:
            continue
        if not raw.frame.shape[1]:  # no header at all: an empty file or sheet
            if indicator is not None:
                used = f", men tabellen bruges af indikatoren '{indicator}'" if indicator else ""
                problems.error(
                    f"tabellen '{table}' er tom{used}",
                    file=raw.label,
                    expected="en overskriftsrække og rækker med data",
                )
            continue
        frame, n, person = _parse(
            raw.take_frame(), table, raw.label, problems, raw.header_row, aliases
        )
        release_memory()
        check_rows(table, n, raw.label, indicator, problems)
        frames[table] = frame
        if person is not None:
            persons[table] = (frame, person)
        sources.append(SourceFile(raw.label, raw.sha256, n))
    return frames, sources, person_keys(persons)


def person_keys(parts: dict[str, tuple[pd.DataFrame, Factor]]) -> PersonKeys | None:
    """One integer key per person over every table, from each table's own keys (only the
    distinct keys are hashed again, not every row)."""
    if not parts:
        return None
    uniques = [np.asarray(keys, dtype=object) for _, (_, keys) in parts.values()]
    key, cpr = pd.factorize(np.concatenate(uniques), use_na_sentinel=False)
    codes, start = {}, 0
    for (table, (frame, (rows, _))), u in zip(parts.items(), uniques, strict=True):
        codes[table] = (frame, key[start : start + len(u)][rows].astype(np.int32))
        start += len(u)
    return PersonKeys(np.asarray(cpr, dtype=object), codes)
