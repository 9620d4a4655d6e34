"""Sammenligning (sammenligning.md §1–2): the tidy table of published comparison figures and
the readers of the four source shapes. Pure: text in, rows out (the files are read by
`udtraek.sammenligning`).

- `Raekke(kilde, maal, gruppe, omraade, periode, vaerdi)`: one tidy row; `vaerdi` is None
  when the source suppresses the figure (`.`, `..`, `-`, empty, null) – never 0.
- `parse_json(text, kilde)`: Jobindsats API JSON, version 2 (`[{"Variables", "Data"}]`) or
  version 3 (`{"columns", "rows"}`).
- `parse_csv(text, kilde, maal=None)`: a `;`-separated CSV – Statistikbanken's (a header with
  `INDHOLD`) or jobindsats.dk's (labels as headers, read like the JSON).
- `tal(value)`: a JSON number or a Danish number text (`"9,14"`, `"1.234"`, `"1.234,5"`) as
  a float; None for a suppression mark; ValueError for anything else.

Every problem is a Danish message naming the file (and row, column and value); the readers
raise `KildeError` holding them all, and return nothing then.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from xlstatus.kerne.errors import DataError, Problems

KOLONNER = ("kilde", "maal", "gruppe", "omraade", "periode", "vaerdi")
SKILLE = " – "  # between the group texts of one row
UNDERTRYKT = frozenset({"", ".", "..", "-", "null"})
AREA_NAMES = frozenset({"area", "område", "omraade"})
PERIOD_NAMES = frozenset({"period", "periode", "tid"})
STATBANK_AREA, STATBANK_PERIOD, STATBANK_VALUE = "OMRÅDE", "TID", "INDHOLD"
_DANISH = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
MAX_TEXT = 200  # a header or value longer than this is not a label we know


class KildeError(DataError):
    """A comparison source (a file from jobindsats.dk, its API or Statistikbanken) is bad."""


@dataclass(frozen=True)
class Raekke:
    """One tidy row: a figure for (measure, group, area, period) from one source."""

    kilde: str
    maal: str
    gruppe: str
    omraade: str
    periode: str
    vaerdi: float | None


def tal(value: object) -> float | None:
    """A figure as the sources write it -> float; None when suppressed."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("ikke et tal")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("ikke et tal")
        return float(value)
    text = str(value).strip().replace("\xa0", "")
    if text in UNDERTRYKT:
        return None
    if not _DANISH.fullmatch(text):
        raise ValueError("ikke et tal")
    return float(text.replace(".", "").replace(",", "."))


def _is_number(value: object) -> bool | None:
    """True for a number, None for a suppression mark, False for anything else."""
    try:
        number = tal(value)
    except ValueError:
        return False
    return None if number is None else True


@dataclass(frozen=True)
class _Kolonne:
    name: str
    label: str

    @property
    def vist(self) -> str:
        return self.label or self.name

    def er(self, names: frozenset[str]) -> bool:
        return self.name.strip().casefold() in names or self.label.strip().casefold() in names


def _find(columns: Sequence[_Kolonne], names: frozenset[str]) -> int | None:
    return next((i for i, c in enumerate(columns) if c.er(names)), None)


def _kinds(
    columns: Sequence[_Kolonne], rows: Sequence[Sequence[object]], skip: set[int]
) -> tuple[list[int], list[int]]:
    """The measure columns (every value a number or suppressed, at least one number) and
    the group columns (the rest), in source order."""
    measures, groups = [], []
    for i in range(len(columns)):
        if i in skip:
            continue
        seen = [_is_number(r[i]) for r in rows]
        (measures if seen and False not in seen and True in seen else groups).append(i)
    return measures, groups


def _stray(
    columns: Sequence[_Kolonne], rows: Sequence[Sequence[object]], groups: list[int]
) -> tuple[int, int] | None:
    """(row index, column) of the first value that keeps a mostly numeric column from being
    a measure – what a person looks for when no measure column is found."""
    for i in groups:
        seen = [_is_number(r[i]) for r in rows]
        if seen.count(True) >= max(1, len(seen) // 2):
            return seen.index(False), i
    return None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def tidy(
    kilde: str,
    columns: Sequence[_Kolonne],
    rows: Sequence[Sequence[object]],
    first_row: int,
    problems: Problems,
) -> list[Raekke]:
    """Rows of a labelled table -> tidy rows (one per row and measure). `first_row` is the
    row number people see for rows[0] (2 in a CSV with its header, 1 in JSON)."""
    area, period = _find(columns, AREA_NAMES), _find(columns, PERIOD_NAMES)
    for idx, what in ((area, "område (Area/Område)"), (period, "periode (Period/Periode)")):
        if idx is None:
            problems.error(
                f"kilden har ingen kolonne for {what}",
                file=kilde,
                expected="kolonner: " + ", ".join(c.vist for c in columns)[:MAX_TEXT],
            )
    bad = [n for n, r in enumerate(rows) if len(r) != len(columns)]
    for n in bad[:5]:
        problems.error(
            f"rækken har {len(rows[n])} værdier, men der er {len(columns)} kolonner",
            file=kilde,
            row=first_row + n,
        )
    if area is None or period is None or bad:
        return []
    measures, groups = _kinds(columns, rows, {area, period})
    if not measures:
        where = _stray(columns, rows, groups)
        extra: dict[str, object] = {}
        if where is not None:
            n, i = where
            extra = {"row": first_row + n, "column": columns[i].vist, "value": rows[n][i]}
        problems.error(
            "kilden har ingen kolonne med tal (en måling)",
            file=kilde,
            expected="en kolonne, hvor hver værdi er et tal eller undertrykt (., .., -)",
            **extra,
        )
        return []
    out = []
    for r in rows:
        gruppe = SKILLE.join(t for t in (_text(r[i]) for i in groups) if t)
        for i in measures:
            out.append(
                Raekke(kilde, columns[i].vist, gruppe, _text(r[area]), _text(r[period]), tal(r[i]))
            )
    return out


# --------------------------------------------------------------------------- JSON


def _v3_column(c: object) -> _Kolonne:
    if isinstance(c, dict):
        label = c.get("label") or c.get("Label") or c.get("name") or c.get("Name") or ""
        return _Kolonne(_text(c.get("name") or c.get("Name") or c.get("id") or ""), _text(label))
    return _Kolonne(_text(c), _text(c))


def _shape(data: object) -> tuple[list[_Kolonne], list, str] | None:
    """(columns, rows, version) of a v2 or v3 response; None for another shape."""
    if isinstance(data, dict) and all(isinstance(data.get(k), list) for k in ("columns", "rows")):
        return [_v3_column(c) for c in data["columns"]], data["rows"], "3"
    if isinstance(data, list) and len(data) >= 1 and isinstance(data[0], dict):
        first = data[0]
        if isinstance(first.get("Variables"), list) and isinstance(first.get("Data"), list):
            cols = [
                _Kolonne(_text(v.get("Name", "")), _text(v.get("Label", "")))
                if isinstance(v, dict)
                else _Kolonne(_text(v), _text(v))
                for v in first["Variables"]
            ]
            return cols, first["Data"], "2"
    return None


def parse_json(text: str, kilde: str) -> list[Raekke]:
    """A Jobindsats API JSON response (version 2 or 3) -> tidy rows."""
    problems = Problems()
    out: list[Raekke] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(
            f"filen er ikke gyldig JSON (linje {exc.lineno}, tegn {exc.colno})", file=kilde
        )
        problems.raise_if_errors("Sammenligningskilden kan ikke læses", KildeError)
    shape = _shape(data)
    if shape is None:
        problems.error(
            "JSON-filen har ikke en form, der kendes fra Jobindsats' API",
            file=kilde,
            expected='version 2: [{"Variables": […], "Data": […]}] eller version 3: '
            '{"columns": […], "rows": […]}',
        )
    else:
        columns, rows, _version = shape
        if any(not isinstance(r, list) for r in rows):
            n = next(i for i, r in enumerate(rows) if not isinstance(r, list))
            problems.error("rækken er ikke en liste af værdier", file=kilde, row=n + 1)
        else:
            out = tidy(kilde, columns, rows, 1, problems)
    problems.raise_if_errors("Sammenligningskilden kan ikke læses", KildeError)
    return out


# --------------------------------------------------------------------------- CSV


def _csv_rows(text: str) -> list[list[str]]:
    return [r for r in csv.reader(text.splitlines(), delimiter=";") if any(c.strip() for c in r)]


def _statbank(
    kilde: str, header: list[str], rows: list[list[str]], maal: str, problems: Problems
) -> list[Raekke]:
    """Statistikbanken's CSV: OMRÅDE, TID, INDHOLD and the other variables as the group."""
    keys = [h.strip().upper() for h in header]
    idx = {k: keys.index(k) for k in (STATBANK_AREA, STATBANK_PERIOD, STATBANK_VALUE) if k in keys}
    for k in (STATBANK_AREA, STATBANK_PERIOD):
        if k not in idx:
            problems.error(
                f"Statistikbankens fil har ingen kolonne {k}",
                file=kilde,
                expected="kolonner: " + ", ".join(header)[:MAX_TEXT],
            )
    if len(idx) < 3:
        return []
    groups = [i for i in range(len(keys)) if i not in idx.values()]
    out = []
    for n, r in enumerate(rows, start=2):
        if len(r) != len(header):
            problems.error(
                f"rækken har {len(r)} værdier, men der er {len(header)} kolonner",
                file=kilde,
                row=n,
            )
            continue
        try:
            value = tal(r[idx[STATBANK_VALUE]])
        except ValueError:
            problems.error(
                "værdien er ikke et tal",
                file=kilde,
                row=n,
                column=header[idx[STATBANK_VALUE]],
                value=r[idx[STATBANK_VALUE]],
                expected="et tal med decimalkomma eller '..' (undertrykt)",
            )
            continue
        gruppe = SKILLE.join(t for t in (r[i].strip() for i in groups) if t)
        area, period = r[idx[STATBANK_AREA]].strip(), r[idx[STATBANK_PERIOD]].strip()
        out.append(Raekke(kilde, maal, gruppe, area, period, value))
    return out


def parse_csv(text: str, kilde: str, maal: str | None = None) -> list[Raekke]:
    """A `;`-separated CSV from Statistikbanken (its header has INDHOLD; `maal` = the table
    id, by default the file name without extension) or from jobindsats.dk -> tidy rows."""
    problems = Problems()
    rows = _csv_rows(text)
    out: list[Raekke] = []
    if not rows:
        problems.error("filen er tom", file=kilde)
    elif len(rows[0]) < 2:
        problems.error(
            "filen er ikke semikolonsepareret",
            file=kilde,
            row=1,
            value=rows[0][0][:MAX_TEXT] if rows[0] else "",
            expected="kolonner adskilt af ';'",
        )
    elif STATBANK_VALUE in (h.strip().upper() for h in rows[0]):
        table_id = maal or kilde.rsplit(".", 1)[0]
        out = _statbank(kilde, rows[0], rows[1:], table_id, problems)
    else:
        columns = [_Kolonne(h.strip(), h.strip()) for h in rows[0]]
        out = tidy(kilde, columns, rows[1:], 2, problems)
    problems.raise_if_errors("Sammenligningskilden kan ikke læses", KildeError)
    return out
