"""Kommandoen `xlstatus byg-arbejdsbog`: byg arbejdsbøgerne i workbook/ fra skabelonerne."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the Excel front end's commands to the `xlstatus` app."""

    @app.command("byg-arbejdsbog")
    def byg_arbejdsbog_cmd(
        mappe: Path = typer.Option(
            Path("workbook"), "--mappe", help="Mappen, som arbejdsbøgerne skrives til."
        ),
    ) -> None:
        """Byg Statusskema.xlsm (skrivebords-Excel med Opdater-knap) og xlwings Lite-udgaven
        fra skabelonerne. Samme skabeloner giver præcis de samme filer."""
        from xlstatus.byg import byg_arbejdsbog
        from xlstatus.kerne.errors import XlstatusError

        try:
            written = byg_arbejdsbog(mappe)
        except XlstatusError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        except OSError as exc:
            typer.echo(f"Arbejdsbøgerne kan ikke skrives i {mappe}: {exc}", err=True)
            raise typer.Exit(1) from None
        for path in written:
            typer.echo(f"Skrevet: {path}")
