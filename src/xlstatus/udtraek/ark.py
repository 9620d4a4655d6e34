"""A FACIT extract pasted into a sheet (`FACIT-udtræk`): one block per table. No I/O.

Works wherever Python gets the sheet's values – desktop Excel, xlwings Server and xlwings
Lite (which has no file system) – and in cell functions, which get the range's values.

A block is a title row holding only the table's name in its first filled cell
(`forloeb`, `Forløb`, `Løntimer`, … – any name from kolonnealiaser.toml),
followed by the table as FACIT exports it: a header row and one row per record. The
block ends at the next title row (blank rows inside a block are ignored, as in a CSV
file). Columns may start in any column; every problem names the sheet, the Excel row and
the column, as for a file.

    forloeb
    cpr          maalgruppe   startdato    slutdato …
    0101801234   A-dagpenge   03-01-2024
    …
    (blank row)
    markeringer
    cpr          markering    startdato …
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import pandas as pd

from xlstatus.kerne.errors import ExtractError, Problems
from xlstatus.kerne.model import TABLES, Extract, SourceFile
from xlstatus.kerne.noegler import alnum_key
from xlstatus.udtraek.laes import check_rows, load_aliases, parse_frame

SHEET = "FACIT-udtræk"
SHEET_ALIASES = {
    alnum_key(SHEET),
    alnum_key("FACIT-udtraek"),
    alnum_key("udtræk"),
    alnum_key("FACIT"),
}


def is_extract_sheet(name: str) -> bool:
    return alnum_key(name) in SHEET_ALIASES


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _json_default(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


def _digest(rows: list[list[object]]) -> str:
    """A content hash of rows of cells: a date as its ISO text, a whole float as an int
    (a value typed as 3 and one read back as 3.0 hash alike)."""
    plain = [[int(v) if isinstance(v, float) and v.is_integer() else v for v in r] for r in rows]
    data = json.dumps(plain, default=_json_default, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _rows(grid: object) -> list[list[object]]:
    """The grid as a list of rows (a single value or a single row is one row)."""
    if not isinstance(grid, list | tuple):
        return [[grid]]
    if not grid or not all(isinstance(r, list | tuple) for r in grid):
        return [list(grid)]
    return [list(r) for r in grid]


def _may_be_title(value: object, digit_first: bool) -> bool:
    """Can this first filled cell of a row name a table? Only text can, and text starting
    with a digit only when some table's name does."""
    if not isinstance(value, str):
        return False
    return digit_first or not ("0" <= value.lstrip()[:1] <= "9")


def find_blocks(grid: list[list[object]]) -> list[tuple[str, int, int, int, int | None]]:
    """(table, title row, first column, last row, last column or None) of every block.

    A title row holds only table names. Blocks may stand under each other (a block ends
    at the next title row) or side by side (a block ends before the next title to its
    right in the same row)."""
    aliases = load_aliases()
    digit_first = any(key[:1].isdigit() for key in aliases.tables)
    rows: list[tuple[int, list[tuple[str, int]]]] = []
    for i, row in enumerate(grid, start=1):
        first = next((j for j, v in enumerate(row) if _filled(v)), None)
        if first is None or not _may_be_title(row[first], digit_first):
            continue  # a record's first cell (a CPR number, a date) is no table's name
        filled = [(j, v) for j, v in enumerate(row[first:], start=first + 1) if _filled(v)]
        if not all(isinstance(v, str) for _, v in filled):
            continue
        tables = [aliases.tables.get(alnum_key(v)) for _, v in filled]
        if all(tables):
            rows.append((i, [(t, j) for t, (j, _) in zip(tables, filled, strict=True)]))
    blocks = []
    for k, (row, titles) in enumerate(rows):
        for n, (table, col) in enumerate(titles):
            last_col = titles[n + 1][1] - 1 if n + 1 < len(titles) else None
            end = len(grid)
            for below, others in rows[k + 1 :]:
                if any(c >= col and (last_col is None or c <= last_col) for _, c in others):
                    end = below - 1
                    break
            blocks.append((table, row, col, end, last_col))
    return blocks


def extract_from_grid(
    grid: object,
    sheet: str = SHEET,
    tables: set[str] | None = None,
    needed_by: dict[str, str] | None = None,
    blocks: list[tuple[str, int, int, int, int | None]] | None = None,
) -> Extract:
    """Read and validate the blocks of a pasted extract (values as Excel shows them).

    Like `udtraek.read_extract`: `tables` must be present (a missing one is an error
    naming the indicator from `needed_by`); raises ExtractError with every problem.
    `blocks` (from `find_blocks`) limits the reading to those blocks."""
    rows = _rows(grid)
    problems = Problems()
    blocks = find_blocks(rows) if blocks is None else blocks
    if not blocks:
        names = ", ".join(TABLES)
        problems.error(
            "arket indeholder ingen tabeller",
            file=sheet,
            expected=f"en række med tabellens navn ({names}) over hver tabel, "
            "derefter overskriftsrækken og dataene",
        )
        problems.raise_if_errors("Udtrækket kan ikke læses", ExtractError)
    required, needed_by = set(tables or ()), needed_by or {}
    frames: dict[str, pd.DataFrame] = {}
    sources: list[SourceFile] = []
    seen: dict[str, int] = {}
    for block in blocks:
        table, title_row = block[0], block[1]
        if table in seen:
            problems.error(
                f"tabellen '{table}' findes to gange på arket",
                file=sheet,
                row=title_row,
                value=f"række {seen[table]} og række {title_row}",
                expected="kun én blok pr. tabel",
            )
            continue
        seen[table] = title_row
        indicator = needed_by.get(table, "") if table in required else None
        if read := _read_block(rows, block, sheet, indicator, problems):
            frames[table], source = read
            sources.append(source)
    for table in sorted(required - set(frames)):
        indicator = needed_by.get(table)
        used = f", men bruges af indikatoren '{indicator}'" if indicator else ""
        problems.error(
            f"tabellen '{table}' mangler i udtrækket{used}",
            file=sheet,
            expected=f"en blok med navnet '{table}' over tabellen",
        )
    problems.raise_if_errors("Udtrækket indeholder fejl", ExtractError)
    return Extract(
        **frames,
        present=frozenset(frames),
        warnings=list(problems.warnings),
        sources=sources,
        location=sheet,
    )


def _read_block(
    rows: list[list[object]],
    block: tuple[str, int, int, int, int | None],
    sheet: str,
    indicator: str | None,
    problems: Problems,
) -> tuple[pd.DataFrame, SourceFile] | None:
    """One block: its header is the first filled row after the title."""
    table, title_row, col, end, last_col = block
    body = rows[title_row:end]  # not changed below: the rows are shared with `rows`
    if col > 1 or last_col is not None:
        body = [r[col - 1 : last_col] for r in body]
    skip = 0
    while skip < len(body) and not any(_filled(v) for v in body[skip]):
        skip += 1
    header_row = title_row + 1 + skip
    if skip >= len(body):
        problems.error(
            f"tabellen '{table}' har ingen overskriftsrække",
            file=sheet,
            row=title_row,
            expected="overskrifterne under navnet",
        )
        return None
    width = _width(body[skip:])
    header, *data = [
        r if len(r) == width else r[:width] + [None] * (width - len(r)) for r in body[skip:]
    ]
    raw = pd.DataFrame(data, columns=range(width), dtype=object)
    raw.columns = ["" if h is None else str(h).strip() for h in header]
    label = f"{sheet}, tabel '{table}'"
    frame = parse_frame(raw, table, label, problems, header_row=header_row, aliases=load_aliases())
    n = int(frame.attrs.get("raekker", len(data)))
    check_rows(table, n, label, indicator, problems)
    return frame, SourceFile(label, _digest([header, *data]), n)


def _width(rows: list[list[object]]) -> int:
    """The number of columns up to the last filled cell of any row (a row's cells are
    looked at only beyond the widest row so far)."""
    width = 0
    for r in rows:
        for j in range(len(r), width, -1):
            if _filled(r[j - 1]):
                width = j
                break
    return width


def grid_token(grid: object) -> str:
    """A content hash of a grid (to cache a parsed extract across cell functions)."""
    return _digest(_rows(grid))
