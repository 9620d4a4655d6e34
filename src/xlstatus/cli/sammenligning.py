"""`xlstatus sammenligning …` (sammenligning.md): vis, egne, hent, indlaes.

Output as a table, `;`-separated CSV (exactly the spec's columns, `.` as decimal point) or
JSON; exit codes: 0 ok, 1 bad data / no answer (Danish messages on stderr), 2 usage.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from xlstatus.cli.analyser import FORMAT_HELP, MAALEDAG_HELP, UDTRAEK_HELP, Format, read, write
from xlstatus.cli.faelles import fail, month_option
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


# --------------------------------------------------------------------------- egne


def _config():
    from xlstatus.skabelonfiler import load_sammenligning

    try:
        return load_sammenligning()
    except XlstatusError as exc:
        fail(exc)


@sammenligning.command("egne")
def egne_cmd(
    udtraek: Path = typer.Option(..., "--udtraek", help=UDTRAEK_HELP),
    fra: str = typer.Option(..., "--fra", help="Første måned, ÅÅÅÅ-MM."),
    til: str = typer.Option(..., "--til", help="Sidste måned, ÅÅÅÅ-MM (med)."),
    maaledag: int = typer.Option(1, "--maaledag", min=1, max=31, help=MAALEDAG_HELP),
    fmt: Format = typer.Option(Format.tabel, "--format", help=FORMAT_HELP),
) -> None:
    """Kommunens egne tal fra FACIT: gennemsnitlig varighed af afsluttede forløb (uger) og
    status efter afsluttet forløb (næste målgruppe inden for en måned, ellers
    afgangsårsagen) pr. målgruppe for månederne --fra … --til."""
    from xlstatus.kerne.sammenligning_egne import EGNE_KOLONNER, egne_tal, window_months
    from xlstatus.kerne.tid import add_months

    first, last = month_option(fra, "--fra"), month_option(til, "--til")
    try:
        window_months(first, last)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--til") from exc
    opsaetning = _config()
    extract = read(udtraek, {"forloeb": "sammenligning egne"}, add_months(last, 1), maaledag)
    try:
        result = egne_tal(extract, first, last, maaledag, opsaetning)
    except XlstatusError as exc:
        fail(exc)
    recs = [{k: getattr(x, k) for k in EGNE_KOLONNER} for x in result.linjer]
    if fmt is not Format.tabel:
        write(recs, list(EGNE_KOLONNER), fmt)
        return
    table = Table(
        title=f"Egne tal fra FACIT {result.fra:%m-%Y} – {result.til:%m-%Y}, "
        f"opgjort pr. {result.maaledato:%d-%m-%Y}"
    )
    for name in ("Målgruppe", "Måling", "Kategori", "Antal forløb", "Værdi"):
        table.add_column(name, overflow="fold")
    for x in result.linjer:
        shown = (
            f"{number_da(x.vaerdi, 1)} uger"
            if x.kategori == ""
            else (f"{number_da(x.vaerdi, 1)} pct.")
        )
        maal = "Varighed" if x.kategori == "" else "Status efter afsluttet forløb"
        table.add_row(x.maalgruppe, maal, x.kategori, number_da(x.antal), shown)
    Console(width=180).print(table)


# --------------------------------------------------------------------------- hent


@sammenligning.command("hent")
def hent_cmd(
    ud: Path = typer.Option(
        ..., "--ud", help="Mappen, tabellerne gemmes i (skrives helt eller slet ikke)."
    ),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help="Sekunder pr. forespørgsel."),
) -> None:
    """Hent sammenligningens tabeller fra Jobindsats' API (version 3; nøglen i
    miljøvariablen JOBINDSATS_API_NOEGLE) og Statistikbanken og gem svarene uændret i
    --ud sammen med kilde.json."""
    from xlstatus.udtraek.hent import hent

    opsaetning = _config()
    try:
        files = hent(opsaetning, ud, timeout)
    except XlstatusError as exc:
        fail(exc)
    for p in files:
        typer.echo(f"Hentet: {p}")


# --------------------------------------------------------------------------- indlaes


@sammenligning.command("indlaes")
def indlaes_cmd(
    arbejdsbog: Path = typer.Argument(..., help="Arbejdsbogen (.xlsx/.xlsm)."),
    kilder: list[Path] = typer.Argument(..., help="Filer eller mapper med sammenligningstal."),
    udtraek: Path | None = typer.Option(
        None,
        "--udtraek",
        help=UDTRAEK_HELP + " Giver kolonnen med egne tal fra FACIT "
        "(ellers udtrækket på Indstillinger, hvis der står et).",
    ),
    maaned: str | None = typer.Option(
        None,
        "--maaned",
        help="Måned (ÅÅÅÅ-MM); egne tal er de 12 hele måneder før. Standard: denne måned.",
    ),
) -> None:
    """Fyld arket Sammenligning i arbejdsbogen fra kilderne. Tekst, som en person har skrevet
    på arket (Bemærkninger), bevares; en fejl i en kilde ændrer intet."""
    from xlstatus.arbejdsbog.opdater import indlaes_fil

    month = month_option(maaned)
    try:
        line, backup = indlaes_fil(arbejdsbog, list(kilder), udtraek, month)
    except XlstatusError as exc:
        fail(exc)
    typer.echo(line)
    if backup is not None:
        typer.echo(f"Den forrige udgave er gemt som {backup.name}.")
