"""`xlstatus vandringer` and `xlstatus prognose` (analyser.md). cli/app.py calls `register(app)`.

Output as a table, `;`-separated CSV (the columns of the spec, `.` as decimal point) or
JSON; exit codes as `indikatorer`: 0 ok, 1 bad data (Danish messages on stderr), 2 usage.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from xlstatus.cli.faelles import err, fail, month_option
from xlstatus.kerne.errors import XlstatusError
from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.koder import MAALGRUPPER, STANDARD_MAANEDER, STANDARD_PUNKTER, TILGANG
from xlstatus.kerne.tid import month_key

if TYPE_CHECKING:  # the analyses (numpy, pandas) are imported when a command runs
    from xlstatus.kerne.analyser import Prognose, Vandringer
    from xlstatus.kerne.model import Extract
    from xlstatus.kerne.skema import Row, Schema

VANDRINGER_COLUMNS = ["maalgruppe", "retning", "kategori", "type", "antal", "andel"]
PROGNOSE_COLUMNS = [
    "projekt",
    "sektion",
    "label",
    "maaned",
    "punkter",
    "haeldning",
    "naeste_maal_maaned",
    "naeste_maal",
    "fremskrevet",
    "naar_maalet",
    "maaned_maal_naas",
]


class Format(StrEnum):
    tabel = "tabel"
    csv = "csv"
    json = "json"


UDTRAEK_HELP = "Mappe med CSV-filer eller én .xlsx-fil."
MAANED_HELP = "Måned på formen ÅÅÅÅ-MM, fx 2025-03."
MAALEDAG_HELP = "Dag i måneden, der måles på."
FORMAT_HELP = "Udskrift: tabel, csv eller json."


def register(app: typer.Typer) -> None:
    """Add `vandringer` and `prognose` to the xlstatus command line."""
    app.command("vandringer")(vandringer_cmd)
    app.command("prognose")(prognose_cmd)


# --------------------------------------------------------------------------- shared


def tal(value: float | int | None) -> str:
    """A number for CSV: '.' as decimal point, unrounded, never in e-notation; '' for none."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    import numpy as np

    return np.format_float_positional(float(value) + 0.0, trim="-")


def maaned_tekst(value: date | None) -> str:
    return "" if value is None else month_key(value)


def write(records: list[dict[str, object]], columns: list[str], fmt: Format) -> None:
    """CSV (every value as text, as the spec fixes it) or JSON (numbers as numbers)."""
    if fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, columns, delimiter=";", lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(
                {k: tal(v) if isinstance(v, int | float) else (v or "") for k, v in r.items()}
            )
    else:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")


def read(udtraek: Path, tables: dict[str, str], month: date, maaledag: int) -> Extract:
    """The extract (exit 1 with Danish messages when it is bad or has no data for the
    month); warnings on stderr."""
    from xlstatus.kerne.indikatorer import check_has_data, future_warnings
    from xlstatus.udtraek.laes import read_extract

    try:
        extract = read_extract(udtraek, set(tables), tables)
        check_has_data(extract, month, maaledag)
    except XlstatusError as exc:
        fail(exc)
    for w in [*extract.warnings, *future_warnings(extract, month, maaledag)]:
        err.print(str(w), markup=False, highlight=False)
    return extract


# --------------------------------------------------------------------------- vandringer


def target_groups(values: Sequence[str] | None) -> list[str] | None:
    """--maalgruppe values (repeated or comma-separated) in their canonical spelling (case
    ignored); exit 2 when unknown."""
    if not values:
        return None
    known = {g.casefold(): g for g in MAALGRUPPER}
    out = []
    for v in (part for value in values for part in value.split(",") if part.strip()):
        g = known.get(v.strip().casefold())
        if g is None:
            raise typer.BadParameter(
                f"ukendt målgruppe '{v}' – kendte målgrupper: {'; '.join(MAALGRUPPER)}",
                param_hint="--maalgruppe",
            )
        out.append(g)
    return out


def vandringer_records(v: Vandringer) -> list[dict[str, object]]:
    return [
        {
            "maalgruppe": k.maalgruppe,
            "retning": k.retning,
            "kategori": k.kategori,
            "type": k.type,
            "antal": k.antal,
            "andel": k.andel,
        }
        for k in v.linjer
    ]


def vandringer_cmd(
    udtraek: Path = typer.Option(..., "--udtraek", help=UDTRAEK_HELP),
    maaned: str = typer.Option(..., "--maaned", help=MAANED_HELP),
    maaledag: int = typer.Option(1, "--maaledag", min=1, max=31, help=MAALEDAG_HELP),
    maaneder: int = typer.Option(
        STANDARD_MAANEDER,
        "--maaneder",
        min=1,
        max=120,
        help="Antal hele måneder før måneden, der ses på.",
    ),
    maalgruppe: list[str] | None = typer.Option(
        None,
        "--maalgruppe",
        help="Målgruppe, fx A-dagpenge (kan gentages eller skrives med "
        "komma imellem). Udeladt: alle målgrupper med forløb i udtrækket.",
    ),
    fmt: Format = typer.Option(Format.tabel, "--format", help=FORMAT_HELP),
) -> None:
    """Vandringer: hvor borgerne i en målgruppe kom fra (tilgang), og hvor de gik hen
    (afgang), talt i forløb over de seneste hele måneder."""
    from xlstatus.kerne.analyser import vandringer

    month = month_option(maaned)
    groups = target_groups(maalgruppe)
    extract = read(udtraek, {"forloeb": "vandringer"}, month, maaledag)
    try:
        result = vandringer(extract, month, maaledag, maaneder, groups)
    except XlstatusError as exc:
        fail(exc)
    if fmt is Format.tabel:
        print_vandringer(result)
    else:
        write(vandringer_records(result), VANDRINGER_COLUMNS, fmt)


def print_vandringer(v: Vandringer) -> None:
    from xlstatus.kerne.analyser import kategori_tekst

    title = (
        f"Vandringer {v.fra:%d-%m-%Y} – {v.til:%d-%m-%Y} ({v.maaneder} måneder), "
        f"opgjort pr. {v.maaledato:%d-%m-%Y}"
    )
    table = Table(title=title)
    for name in ("Målgruppe", "Retning", "Kom fra / gik til", "Antal forløb", "Andel"):
        table.add_column(name, overflow="fold")
    for k in v.linjer:
        retning = "Tilgang (kom fra)" if k.retning == TILGANG else "Afgang (gik til)"
        table.add_row(
            k.maalgruppe,
            retning,
            kategori_tekst(k),
            number_da(k.antal),
            f"{number_da(k.andel, 1)} pct.",
        )
    Console(width=160).print(table)
    if not v.linjer:
        err.print("Ingen forløb begyndte eller sluttede i perioden.", markup=False)


# --------------------------------------------------------------------------- prognose


def prognose_record(p: Prognose) -> dict[str, object]:
    rec: dict[str, object] = {
        "projekt": p.projekt,
        "sektion": p.sektion,
        "label": p.label,
        "maaned": month_key(p.maaned),
        "punkter": p.antal_punkter,
    }
    ok = p.har_prognose
    rec["haeldning"] = p.haeldning if ok else None
    rec["naeste_maal_maaned"] = maaned_tekst(p.naeste_maal_maaned) if ok else None
    rec["naeste_maal"] = p.naeste_maal if ok else None
    rec["fremskrevet"] = p.fremskrevet if ok else None
    rec["naar_maalet"] = ("ja" if p.naar_maalet else "nej") if ok else None
    rec["maaned_maal_naas"] = (maaned_tekst(p.maaned_maal_naas) or None) if ok else None
    return rec


def prognose_cmd(
    udtraek: Path = typer.Option(..., "--udtraek", help=UDTRAEK_HELP),
    maaned: str = typer.Option(..., "--maaned", help=MAANED_HELP),
    maaledag: int = typer.Option(1, "--maaledag", min=1, max=31, help=MAALEDAG_HELP),
    punkter: int = typer.Option(
        STANDARD_PUNKTER,
        "--punkter",
        min=1,
        max=120,
        help="Antal måneder (til og med måneden), linjen lægges "
        "igennem. Under 3 måneder med tal giver ingen prognose.",
    ),
    fmt: Format = typer.Option(Format.tabel, "--format", help=FORMAT_HELP),
) -> None:
    """Prognose: en ret linje gennem rækkens seneste måneder, aflæst ved det første
    mindste mål efter måneden – nås målet i det tempo, og i hvilken måned?"""
    from xlstatus.kerne.analyser import prognoser
    from xlstatus.kerne.indikatorer import needed_tables
    from xlstatus.skabelonfiler import load_schemas

    month = month_option(maaned)
    try:
        schemas = load_schemas()
    except XlstatusError as exc:
        fail(exc)
    extract = read(udtraek, needed_tables(schemas), month, maaledag)
    try:
        result = prognoser(extract, schemas, month, maaledag, punkter)
    except XlstatusError as exc:
        fail(exc)
    if fmt is Format.tabel:
        print_prognoser(result, schemas)
    else:
        write([prognose_record(p) for p in result], PROGNOSE_COLUMNS, fmt)


def _plain(value: float, decimals: int) -> str:
    """A number rounded the Danish way; a negative zero after rounding reads 0."""
    rounded = round(float(value), decimals) + 0.0
    return number_da(rounded, decimals)


def in_unit(row: Row | None, value: float | None, decimals: int = 1) -> str:
    """A value in the row's unit, one format per unit: shares '20,0 pct.', counts and
    weeks '20,0' (projections are not whole, so targets get the same decimal)."""
    from xlstatus.kerne.analyser import is_share

    if value is None:
        return ""
    text = _plain(value, decimals)
    return f"{text} pct." if row is not None and is_share(row) else text


def slope_text(row: Row | None, value: float | None) -> str:
    """The change per month: shares in percentage points."""
    from xlstatus.kerne.analyser import is_share

    if value is None:
        return ""
    text = _plain(value, 1)
    return f"{text} pct.-point" if row is not None and is_share(row) else text


def print_prognoser(result: list[Prognose], schemas: Sequence[Schema] = ()) -> None:
    from xlstatus.kerne.analyser import vurdering

    rows = {(s.projekt, r.key): r for s in schemas for r in s.rows}
    table = Table(title="Prognose: nås næste mindste mål i det nuværende tempo?")
    for name in (
        "Projekt",
        "Sektion",
        "Label",
        "Punkter",
        "Hældning pr. måned",
        "Næste mål",
        "Fremskrevet",
        "Nås målet?",
    ):
        table.add_column(name, overflow="fold")
    for p in result:
        row = rows.get((p.projekt, p.key))
        goal = ""
        if p.har_prognose and p.naeste_maal_maaned is not None:
            goal = f"{in_unit(row, p.naeste_maal)} ({month_key(p.naeste_maal_maaned)})"
        table.add_row(
            p.projekt,
            p.sektion,
            p.label,
            str(p.antal_punkter),
            slope_text(row, p.haeldning) if p.har_prognose else "",
            goal,
            in_unit(row, p.fremskrevet),
            vurdering(p),
        )
    Console(width=200).print(table)
