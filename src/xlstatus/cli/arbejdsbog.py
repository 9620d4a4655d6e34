"""Kommandoerne `xlstatus ny`, `xlstatus opdater` og `xlstatus demo` (typer).

cli.py calls `register(app)`. Everything a person reads here is Danish; errors go to
stderr with exit code 1, usage errors exit with 2 (typer's own).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xlstatus.cli.faelles import fail, month_option, out
from xlstatus.kerne.errors import XlstatusError
from xlstatus.kerne.tid import month_label, month_range, month_start

WORKBOOK_NAME = "Statusskema.xlsx"
FIRST_MONTH = date(2024, 2, 1)


def _print_plan(plan) -> None:
    for line in plan.report_lines():
        out.print(line, markup=False)


def ny_cmd(
    arbejdsbog: Path = typer.Argument(..., help="Den nye arbejdsbog, fx Statusskema.xlsx."),
    udtraek: str = typer.Option(
        "", "--udtraek", help="Hvor udtrækket ligger (gemmes på arket Indstillinger)."
    ),
    maaledag: int = typer.Option(
        1, "--maaledag", min=1, max=31, help="Dag i måneden, der måles på."
    ),
    erstat: bool = typer.Option(
        False, "--erstat", help="Erstat en eksisterende arbejdsbog (den gamle gemmes som backup)."
    ),
) -> None:
    """Lav en ny arbejdsbog med et statusskema pr. projekt, Måltal, Data, Log,
    Indstillinger og Vejledning."""
    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.plan.indstillinger import Settings

    try:
        path = create_workbook(
            arbejdsbog, Settings(maaledag=maaledag, udtraek=udtraek), replace=erstat
        )
    except XlstatusError as exc:
        fail(exc)
    out.print(f"Arbejdsbogen er lavet: {path}", markup=False)
    out.print(
        f"Opdater den med: xlstatus opdater {path.name} --udtraek STI --maaned ÅÅÅÅ-MM",
        markup=False,
    )


def opdater_cmd(
    arbejdsbog: Path = typer.Argument(..., help="Arbejdsbogen, der skal opdateres."),
    udtraek: Path | None = typer.Option(
        None,
        "--udtraek",
        help="Mappe med CSV-filer eller én .xlsx-fil (ellers stien fra arket Indstillinger).",
    ),
    maaned: str | None = typer.Option(
        None, "--maaned", help="Måned på formen ÅÅÅÅ-MM (standard: denne måned)."
    ),
    fra: str | None = typer.Option(
        None,
        "--fra",
        help="Første måned (ÅÅÅÅ-MM): udfyld alle måneder fra --fra til --maaned i én kørsel.",
    ),
    overskriv: bool = typer.Option(
        False,
        "--overskriv",
        help="Overskriv også celler, som en person har rettet (manuelle rækker røres aldrig).",
    ),
    tillad_gammelt_udtraek: bool = typer.Option(
        False,
        "--tillad-gammelt-udtraek",
        help="Udfyld måneden, selv om dens måledato ligger "
        "mere end en måned efter udtrækkets seneste dato.",
    ),
) -> None:
    """Udfyld månedens kolonne fra FACIT-udtrækket, farv status og opdater Data og Log."""
    from xlstatus.arbejdsbog.opdater import opdater_fil

    month = month_option(maaned) or month_start(date.today())
    if fra is not None:
        _backfill(arbejdsbog, udtraek, fra, month, overskriv, tillad_gammelt_udtraek)
        return
    try:
        plan, backup = opdater_fil(
            arbejdsbog, udtraek, month, overskriv, allow_old=tillad_gammelt_udtraek
        )
    except XlstatusError as exc:
        fail(exc)
    _print_plan(plan)
    if backup:
        out.print(f"Den forrige udgave er gemt som {backup.name}.", markup=False)


def _backfill(
    arbejdsbog: Path, udtraek: Path | None, fra: str, til: date, overskriv: bool, allow_old: bool
) -> None:
    """`opdater --fra`: every month from --fra to --maaned, one read and one save."""
    from xlstatus.arbejdsbog.opdater import opdater_fil_maaneder

    first = month_option(fra, "--fra")
    if first is None or first > til:
        raise typer.BadParameter(
            f"--fra skal ligge før eller i --maaned ({til:%Y-%m})", param_hint="--fra"
        )
    try:
        plans, backup = opdater_fil_maaneder(
            arbejdsbog, first, til, udtraek, overskriv, allow_old=allow_old
        )
    except XlstatusError as exc:
        fail(exc)
    _print_plan(plans[-1])
    written = sum(p.cells_written for p in plans)
    skipped = sum(len(p.skipped) for p in plans)
    out.print(
        f"Opdateret {len(plans)} måneder ({month_label(plans[0].month)} – "
        f"{month_label(plans[-1].month)}): {written} celler skrevet, "
        f"{skipped} sprunget over.",
        markup=False,
    )
    if backup:
        out.print(f"Den forrige udgave er gemt som {backup.name}.", markup=False)


def demo_months(data_date: date | None, last_schema_month: date) -> list[date]:
    """Feb 2024 to the last month the data covers (a month whose måledag lies after the
    data date is not complete yet), at most the schemas' last month."""
    if data_date is None:
        return []
    last = month_start(data_date + timedelta(days=1))
    last = min(last, last_schema_month)
    return month_range(FIRST_MONTH, last) if last >= FIRST_MONTH else []


def demo_cmd(
    mappe: Path = typer.Option(
        Path("xlstatus-demo"), "--mappe", help="Mappe til udtræk og arbejdsbog."
    ),
    faktor: float = typer.Option(1.0, "--faktor", min=0.01, help="Skalering af antal personer."),
    seed: int = typer.Option(2024, "--seed", help="Startværdi for de syntetiske data."),
) -> None:
    """Lav syntetiske data, byg arbejdsbogen og udfyld alle måneder fra feb-24 i én kørsel."""
    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.arbejdsbog.opdater import Arbejdsbog
    from xlstatus.plan.indstillinger import Settings
    from xlstatus.skabelonfiler import load_schemas
    from xlstatus.udtraek.generator import generate, write_extract
    from xlstatus.udtraek.laes import read_extract
    from xlstatus.udvalg import klargoer_fil

    mappe = Path(mappe)
    path = mappe / WORKBOOK_NAME
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    try:
        with Progress(*columns, console=out, transient=False) as progress:
            task = progress.add_task("Laver syntetisk udtræk", total=None)
            folder = write_extract(generate(seed=seed, faktor=faktor), mappe / "udtraek", "csv")
            extract = read_extract(folder)
            progress.update(task, total=1, completed=1, description=f"Udtræk skrevet til {folder}")
            schemas = load_schemas()
            last = max(s.months[-1] for s in schemas)
            data_date = extract.data_date.date() if extract.data_date is not None else None
            months = demo_months(data_date, last)
            task = progress.add_task("Bygger arbejdsbogen", total=1)
            create_workbook(path, Settings(udtraek="udtraek"), replace=True)
            progress.update(task, completed=1)
            book = Arbejdsbog(path)  # saved (and its lock given up) below
            task = progress.add_task("Opdaterer måned", total=len(months))

            def step(m: date) -> None:
                progress.update(
                    task, description=f"Opdaterer {month_label(m)}", completed=months.index(m)
                )

            plans = book.opdater_maaneder(extract, months, on_month=step)
            progress.update(task, completed=len(months), description="Opdateret alle måneder")
            task = progress.add_task("Gemmer", total=1)
            book.save()
            progress.update(task, completed=1)
            task = progress.add_task("Laver udvalgets kopi", total=1)
            kopi = klargoer_fil(path, pdf=None)  # the PDF when a PDF renderer is installed
            progress.update(task, completed=1)
    except XlstatusError as exc:
        fail(exc)
    if plans:
        _print_plan(plans[-1])
    written = sum(p.cells_written for p in plans)
    span = f"{month_label(months[0])} – {month_label(months[-1])}" if months else "ingen måneder"
    out.print(
        f"Arbejdsbogen {path} er opdateret for {len(months)} måneder ({span}), "
        f"{written} celler i alt.",
        markup=False,
    )
    out.print(
        f"Åbn den i Excel, eller opdater igen med: xlstatus opdater {path} "
        f"--udtraek {folder} --maaned {months[-1]:%Y-%m}"
        if months
        else "",
        markup=False,
    )
    pdf = f" og {kopi.pdf}" if kopi.pdf else " (ingen PDF: PDF-modulet og LibreOffice mangler)"
    out.print(f"Udvalgets kopi: {kopi.xlsx}{pdf}", markup=False)
    for w in kopi.warnings:
        out.print(w, markup=False)


def register(app: typer.Typer) -> None:
    """Add `ny`, `opdater` and `demo` to the xlstatus command line."""
    app.command("ny")(ny_cmd)
    app.command("opdater")(opdater_cmd)
    app.command("demo")(demo_cmd)
