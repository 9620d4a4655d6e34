"""`xlstatus udvalg`: udvalgets kopi af arbejdsbogen (.xlsx uden formler og personoplysninger
+ PDF). cli.py calls `register(app)`. Errors go to stderr in Danish with exit code 1."""

from __future__ import annotations

from pathlib import Path

import typer

from xlstatus.cli.faelles import fail, month_option, out
from xlstatus.kerne.errors import XlstatusError


def udvalg_cmd(
    arbejdsbog: Path = typer.Argument(
        ..., help="Arbejdsbogen (.xlsx eller .xlsm), som kopien laves ud fra. Den ændres ikke."
    ),
    maaned: str | None = typer.Option(
        None, "--maaned", help="Målemåned på formen ÅÅÅÅ-MM (standard: seneste måned med tal)."
    ),
    ud: Path | None = typer.Option(
        None,
        "--ud",
        help="Mappe til kopien (standard: ved siden "
        "af arbejdsbogen) eller et filnavn, der ender på .xlsx.",
    ),
    udtraek: Path | None = typer.Option(
        None,
        "--udtraek",
        help="FACIT-udtrækket (mappe eller .xlsx), når Overblik, Vandringer og Prognose skal "
        "regnes for kopiens måned (standard: stien på arket Indstillinger).",
    ),
) -> None:
    """Klargør til udvalg: lav NAVN_udvalg_ÅÅÅÅ-MM.xlsx (kun værdier, farver, forklaring,
    grafer; små antal skjult) og en PDF af skemaerne."""
    from xlstatus.udvalg import klargoer_fil

    try:
        result = klargoer_fil(arbejdsbog, month_option(maaned), ud, udtraek=udtraek)
    except XlstatusError as exc:
        fail(exc)
    for line in result.report_lines():
        out.print(line, markup=False)


def register(app: typer.Typer) -> None:
    """Add `udvalg` to the xlstatus command line."""
    app.command("udvalg")(udvalg_cmd)
