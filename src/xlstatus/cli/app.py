"""Kommandolinjen `xlstatus` (typer). Everything a person reads here is Danish."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from xlstatus.cli.dansk import install as install_danish
from xlstatus.cli.faelles import err, fail, month_option
from xlstatus.kerne.errors import XlstatusError
from xlstatus.kerne.formatering import display
from xlstatus.kerne.status import STATUS_TEXT
from xlstatus.kerne.tid import month_key, month_range

if TYPE_CHECKING:
    from xlstatus.kerne.indikatorer import RowResult

app = typer.Typer(
    help="xlstatus – statusskemaer for Jobcenter Hedensteds investeringsprojekter.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
install_danish()

COLUMNS = [
    "projekt",
    "sektion",
    "label",
    "maaned",
    "antal",
    "population",
    "vaerdi",
    "forventet",
    "naeste_maal",
    "status",
]


class Format(StrEnum):
    tabel = "tabel"
    csv = "csv"
    json = "json"


def result_record(r: RowResult) -> dict[str, object]:
    m, a = r.measurement, r.assessment
    return {
        "projekt": r.schema.projekt,
        "sektion": r.row.sektion,
        "label": r.row.label,
        "maaned": month_key(r.month),
        "antal": m.antal,
        "population": m.population,
        "vaerdi": None if m.vaerdi is None else round(m.vaerdi, 6),
        "forventet": None if a.expected is None else round(a.expected, 6),
        "naeste_maal": a.next_target,
        "status": a.status or "",
    }


@app.command("indikatorer")
def indikatorer_cmd(
    udtraek: Path = typer.Option(..., "--udtraek", help="Mappe med CSV-filer eller én .xlsx-fil."),
    maaned: str = typer.Option(..., "--maaned", help="Måned på formen ÅÅÅÅ-MM, fx 2025-03."),
    fra: str | None = typer.Option(
        None, "--fra", help="Første måned (ÅÅÅÅ-MM): beregn alle måneder fra --fra til --maaned."
    ),
    maaledag: int = typer.Option(
        1, "--maaledag", min=1, max=31, help="Dag i måneden, der måles på."
    ),
    fmt: Format = typer.Option(Format.tabel, "--format", help="Udskrift: tabel, csv eller json."),
) -> None:
    """Beregn alle indikatorer i de fem statusskemaer for én måned (eller hver måned fra --fra)."""
    from xlstatus.kerne.indikatorer import (
        check_has_data,
        compute_months,
        future_warnings,
        needed_tables,
    )
    from xlstatus.skabelonfiler import load_schemas
    from xlstatus.udtraek.laes import read_extract

    month = month_option(maaned)
    months = span_option(fra, month)
    try:
        schemas = load_schemas()
        extract = read_extract(udtraek, set(needed_tables(schemas)), needed_tables(schemas))
        check_has_data(extract, months[0], maaledag)  # no data, no figures (indikatorer.md)
        results = compute_months(extract, schemas, months, maaledag)
    except XlstatusError as exc:
        fail(exc)
    for w in [*extract.warnings, *future_warnings(extract, month, maaledag)]:
        err.print(str(w), markup=False, highlight=False)
    if fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, COLUMNS, delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(result_record(r) for r in results)
    elif fmt is Format.json:
        json.dump([result_record(r) for r in results], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for m in months:
            print_table([r for r in results if r.month == m])


def span_option(fra: str | None, til: date) -> list[date]:
    """The months --fra … --maaned (just --maaned without --fra); a usage error when reversed."""
    first = month_option(fra, "--fra") or til
    if first > til:
        raise typer.BadParameter(
            f"--fra ({first:%Y-%m}) skal ligge før eller i --maaned ({til:%Y-%m})",
            param_hint="--fra",
        )
    return month_range(first, til)


def target_text(fmt: str, value: float | None, decimals: int) -> str:
    """A target in the row's unit: shares as 'pct.', counts and weeks as numbers."""
    if value is None:
        return ""
    return display("andel" if fmt == "antal_andel" else fmt, None, value, decimals)


def print_table(results: list[RowResult]) -> None:
    title = f"Indikatorer {month_key(results[0].month)}" if results else "Indikatorer"
    table = Table(title=title, show_lines=False)
    for name in (
        "Projekt",
        "Sektion",
        "Label",
        "Måned",
        "Værdi",
        "Forventet",
        "Næste mål",
        "Status",
    ):
        table.add_column(name, overflow="fold")
    for r in results:
        row, m, a = r.row, r.measurement, r.assessment
        table.add_row(
            r.schema.projekt,
            row.sektion,
            row.label,
            month_key(r.month),
            display(row.fmt, m.antal, m.vaerdi, row.decimals),
            target_text(row.fmt, a.expected, 1),
            target_text(row.fmt, a.next_target, row.decimals),
            STATUS_TEXT.get(a.status or "", ""),
        )
    Console(width=200).print(table)


@app.command("generer-udtraek")
def generer_udtraek_cmd(
    mappe: Path = typer.Argument(..., help="Mappe, som udtrækket skrives til."),
    faktor: float = typer.Option(1.0, "--faktor", min=0.01, help="Skalering af antal personer."),
    seed: int = typer.Option(2024, "--seed", help="Startværdi for tilfældighedsgeneratoren."),
    fmt: str = typer.Option("csv", "--format", help="csv (en fil pr. tabel) eller xlsx."),
) -> None:
    """Lav et syntetisk FACIT-udtræk med realistiske størrelser for Hedensted."""
    from xlstatus.udtraek.generator import generate, write_extract

    if fmt not in ("csv", "xlsx"):
        raise typer.BadParameter("skal være csv eller xlsx", param_hint="--format")
    path = write_extract(generate(seed=seed, faktor=faktor), mappe, fmt)
    typer.echo(f"Udtrækket er skrevet til {path}")


def _register_commands() -> None:
    """Commands that live beside their adapters."""
    from xlstatus.cli.analyser import register as register_analyser
    from xlstatus.cli.arbejdsbog import register as register_arbejdsbog
    from xlstatus.cli.byg import register as register_excel
    from xlstatus.cli.maaltal import register as register_maaltal
    from xlstatus.cli.sammenligning import register as register_sammenligning
    from xlstatus.cli.server import register as register_server
    from xlstatus.cli.skabeloner import register as register_skabeloner
    from xlstatus.cli.udvalg import register as register_udvalg

    register_skabeloner(app)
    register_arbejdsbog(app)
    register_maaltal(app)
    register_udvalg(app)
    register_excel(app)
    register_analyser(app)
    register_server(app)
    register_sammenligning(app)


_register_commands()
