"""`xlstatus maaltal`: the Måltal aggregates on the command line. Everything printed is Danish."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from xlstatus.kerne.errors import WorkbookError, XlstatusError
from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT
from xlstatus.kerne.tid import month_key, parse_month

if TYPE_CHECKING:  # kerne.maaltal (pandas) is imported when the command runs
    from xlstatus.kerne.maaltal import Besparelser, Faktisk, Maaltal, Periode


def register(app: typer.Typer) -> None:
    """Add the `maaltal` command to the xlstatus app."""
    app.command("maaltal")(maaltal_cmd)


def ftp(value: float) -> str:
    """Fuldtidspersoner the Danish way: '1.212', '-5', '649,3'."""
    return number_da(value, 0 if float(value).is_integer() else 1)


def kr(value: float) -> str:
    return f"{number_da(value, 0)} kr."


def load_workbook_maaltal(path: Path) -> tuple[Maaltal, str]:
    """The Måltal of a workbook (its sheet, as edited), or the template; and where from."""
    from xlstatus.arbejdsbog.maaltal import find_maaltal_sheet, read_maaltal_sheet
    from xlstatus.skabelonfiler import load_maaltal

    if not path.exists():
        return load_maaltal(), f"skabelonen (arbejdsbogen {path} findes ikke)"
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path)
    except PermissionError as exc:
        raise WorkbookError(f"Arbejdsbogen {path} kan ikke åbnes (er den låst?): {exc}") from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise WorkbookError(f"Arbejdsbogen {path} kan ikke læses som en Excel-fil: {exc}") from exc
    ws = find_maaltal_sheet(wb)
    if ws is None:
        return load_maaltal(), f"skabelonen (arbejdsbogen {path.name} har intet Måltal-ark)"
    return read_maaltal_sheet(ws), f"arket {ws.title} i {path.name}"


def maaltal_cmd(
    arbejdsbog: Path = typer.Argument(
        ...,
        help="Arbejdsbogen (.xlsx/.xlsm). Findes den ikke, eller har den intet Måltal-ark, "
        "bruges skabelonen maaltal.toml (pakkens eller fra --skabeloner).",
    ),
    udtraek: Path | None = typer.Option(
        None, "--udtraek", help="FACIT-udtrækket: en mappe med CSV-filer eller én .xlsx-fil."
    ),
    periode: str | None = typer.Option(
        None,
        "--periode",
        help="Periode for de faktiske fuldtidspersoner, ÅÅÅÅ-MM:ÅÅÅÅ-MM (hele måneder). "
        "Standard: år til dato for målemåneden (1. januar til udgangen af måneden før).",
    ),
    maaned: str | None = typer.Option(
        None, "--maaned", help="Målemåned ÅÅÅÅ-MM. Standard: indeværende måned."
    ),
) -> None:
    """Vis Måltal: gruppernes summer og kontrol, projekter × grupper, faktisk mod mål og
    økonomien (besparelse, udgift, nettoprovenu og hvornår investeringen er tjent ind)."""
    from xlstatus.kerne.maaltal import actual_vs_target, default_period, parse_period, savings

    try:
        month = parse_month(maaned) if maaned else date.today().replace(day=1)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--maaned") from exc
    try:
        period = parse_period(periode) if periode else default_period(month)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--periode") from exc
    try:
        m, source = load_workbook_maaltal(arbejdsbog)
        results = None
        if udtraek is not None:
            from xlstatus.udtraek.laes import read_extract

            extract = read_extract(udtraek, {"forloeb"}, {"forloeb": "Måltal (fuldtidspersoner)"})
            for w in extract.warnings:
                typer.echo(str(w), err=True)
            results = actual_vs_target(extract, m, period)
        calc = savings(m)
    except XlstatusError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    out = Console(width=200)
    out.print(f"Måltal fra {source}", markup=False, highlight=False)
    out.print(groups_table(m))
    out.print(matrix_table(m))
    if results is not None:
        out.print(actual_table(results, period, month))
    else:
        out.print("Faktisk mod mål: angiv --udtraek for at beregne de faktiske fuldtidspersoner.")
    out.print(money_table(calc))
    if m.oekonomi.pladsholder:
        out.print(
            "OBS: Priser og udgifter er pladsholdertal – skal udfyldes af jer (arket "
            "Indstillinger i arbejdsbogen).",
            style="bold red",
            markup=False,
        )


def groups_table(m: Maaltal) -> Table:
    table = Table(title="Måltal – grupper (antal fuldtidspersoner)")
    for name in ("Gruppe", "Sum af linjer", "Indtastet i alt", "Kontrol"):
        table.add_column(name, overflow="fold", justify="left" if name == "Gruppe" else "right")
    for g in m.grupper:
        if g.total is None:
            check = ""
        elif g.afviger:
            check = f"Afviger fra summen ({ftp(g.total - g.sum)})"
        else:
            check = "OK"
        typed = "" if g.total is None else f"{g.total_tekst}: {ftp(g.total)}"
        table.add_row(g.navn, ftp(g.sum), typed, check)
    return table


def matrix_table(m: Maaltal) -> Table:
    from xlstatus.kerne.maaltal import project_matrix

    matrix = project_matrix(m)
    table = Table(title="Projekter fordelt på grupper (investeringslinjer, fuldtidspersoner)")
    table.add_column("Projekt", overflow="fold")
    for col in matrix.columns:
        table.add_column(str(col), overflow="fold", justify="right")
    before_total = matrix.index[-2] if len(matrix.index) > 1 else None
    for project, row in matrix.iterrows():
        table.add_row(str(project), *(ftp(v) for v in row), end_section=project == before_total)
    return table


def actual_table(results: list[Faktisk], period: Periode, month: date) -> Table:
    table = Table(
        title=f"Faktisk mod mål, {period.label} ({period.dage} dage; målemåned "
        f"{month_key(month)}; lavere er bedre)"
    )
    for name in ("Gruppe", "Linje", "Målgrupper", "Mål", "Faktisk", "Forskel", "Status"):
        table.add_column(name, overflow="fold")
    for r in results:
        table.add_row(
            r.punkt.gruppe,
            r.punkt.tekst,
            "; ".join(r.punkt.maalgrupper),
            ftp(r.maal),
            number_da(r.faktisk, 1),
            ("+" if r.forskel > 0 else "") + number_da(r.forskel, 1),
            f"{STATUS_SYMBOL[r.status]} {STATUS_TEXT[r.status]}",
        )
    return table


def money_table(calc: Besparelser) -> Table:
    first, last = calc.maaneder[0], calc.maaneder[-1]
    table = Table(
        title=f"Økonomi {month_key(first)} – {month_key(last)} (indfasning {calc.indfasning} "
        "måneder)"
    )
    heads = (
        "Projekt",
        "Effekt (fuldtidspersoner)",
        "Besparelse pr. år ved fuld effekt",
        "Udgift i alt",
        "Besparelse i alt",
        "Nettoprovenu",
        "Tjent ind",
    )
    for name in heads:
        table.add_column(name, overflow="fold", justify="left" if name == "Projekt" else "right")
    for p in [*calc.projekter, calc.total]:
        table.add_row(
            p.projekt,
            ftp(p.effekt_i_alt),
            kr(p.aarlig_besparelse),
            kr(p.udgift_i_alt),
            kr(p.besparelse_i_alt),
            kr(p.nettoprovenu),
            month_key(p.tjent_ind) if p.tjent_ind else "Ikke i perioden",
            end_section=p is calc.projekter[-1] if calc.projekter else False,
        )
    return table
