"""`xlstatus sammenligning …` (sammenligning.md): vis, egne, hent, indlaes.

Output as a table, `;`-separated CSV (exactly the spec's columns, `.` as decimal point) or
JSON; exit codes: 0 ok, 1 bad data / no answer (Danish messages on stderr), 2 usage.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from xlstatus.cli.analyser import FORMAT_HELP, Format, write
from xlstatus.cli.faelles import fail
from xlstatus.kerne.errors import XlstatusError
from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.sammenligning import KOLONNER, Raekke

sammenligning = typer.Typer(
    help="Sammenligning: kommunen ved siden af Hele landet, RAR og andre kommuner "
    "(jobindsats.dk, Statistikbanken og egne tal fra FACIT).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add `xlstatus sammenligning` and its commands."""
    app.add_typer(sammenligning, name="sammenligning")


def vaerdi_tekst(value: float | None) -> str:
    """A figure the Danish way, unrounded; '.' (as jobindsats.dk) when suppressed."""
    if value is None:
        return "."
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    return number_da(value, decimals)


def records(rows: list[Raekke]) -> list[dict[str, object]]:
    return [{k: getattr(r, k) for k in KOLONNER} for r in rows]


@sammenligning.command("vis")
def vis_cmd(
    kilder: list[Path] = typer.Argument(
        ...,
        help="Filer (.json, .csv) eller mapper fra jobindsats.dk, dets API eller Statistikbanken.",
    ),
    fmt: Format = typer.Option(Format.tabel, "--format", help=FORMAT_HELP),
) -> None:
    """Vis kildernes tal som én ryddelig tabel: kilde, måling, gruppe, område, periode,
    værdi (undertrykte tal er tomme)."""
    from xlstatus.udtraek.sammenligning import read_sources

    try:
        rows = read_sources(list(kilder))
    except XlstatusError as exc:
        fail(exc)
    if fmt is not Format.tabel:
        write(records(rows), list(KOLONNER), fmt)
        return
    table = Table(title=f"Sammenligningstal ({len(rows)} rækker)")
    for name in ("Kilde", "Måling", "Gruppe", "Område", "Periode", "Værdi"):
        table.add_column(name, overflow="fold", justify="right" if name == "Værdi" else "left")
    for r in rows:
        table.add_row(r.kilde, r.maal, r.gruppe, r.omraade, r.periode, vaerdi_tekst(r.vaerdi))
    Console(width=200).print(table)
