"""Small hand-built extracts for tests: `ext(forloeb=[...], markeringer=[...], ...)`."""

from __future__ import annotations

from datetime import date

import pandas as pd

from xlstatus.kerne.model import TABLES, Extract, empty_table
from xlstatus.kerne.skema import Params, Row, Schema
from xlstatus.kerne.tid import month_range

PROJECT_START = date(2024, 1, 10)


def d(text: str) -> pd.Timestamp:
    """'15-03-2024' -> Timestamp."""
    return pd.Timestamp(pd.to_datetime(text, format="%d-%m-%Y"))


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return empty_table(name)
    df = pd.DataFrame(rows)
    out = empty_table(name).reindex(range(len(df)))
    for col, (kind, _) in TABLES[name].items():
        if col not in df:
            continue
        if kind in ("date", "month"):
            out[col] = pd.to_datetime(df[col].map(lambda v: d(v) if isinstance(v, str) else v))
        elif kind == "decimal":
            out[col] = df[col].astype("float64")
        else:
            out[col] = df[col].astype(object)
    return out


def ext(**tables: list[dict]) -> Extract:
    return Extract(**{name: table(name, rows) for name, rows in tables.items()})


def person(cpr: str, birth: str = "01-01-1980", **kw) -> dict:
    return {"cpr": cpr, "foedselsdato": birth, **kw}


def schema_of(*rows: Row, start: date = PROJECT_START) -> Schema:
    return Schema(
        projekt="Test", kode="test", ark="Test", titel="Test", overskrift="",
        startmaaling=start, projektstart=start,
        months=tuple(month_range(date(2024, 2, 1), date(2026, 1, 1))),
        milestones=(), rows=rows,
    )  # fmt: skip


def row(kind: str, fmt: str = "antal", **params) -> Row:
    tuples = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    return Row(projekt="Test", sektion="", label=kind, kind=kind, params=Params(**tuples), fmt=fmt)
