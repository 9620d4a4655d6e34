"""Kommandoen `xlstatus server`: xlwings Server med xlstatus' Opdater og funktioner."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add `xlstatus server` to the app."""

    @app.command("server")
    def server_cmd(
        host: str = typer.Option(
            "127.0.0.1",
            "--host",
            help="Adressen, serveren lytter på. "
            "Uden login: kun det interne net (se docs/drift.md).",
        ),
        port: int = typer.Option(8000, "--port", help="Porten."),
        udtraek: Path | None = typer.Option(
            None,
            "--udtraek",
            help="Serverens FACIT-udtræk: en mappe med CSV-filer eller én "
            ".xlsx. Bruges, når arbejdsbogen hverken har et indsat udtræk eller en sti; en sti "
            "i arbejdsbogen skal ligge i denne mappe.",
        ),
        workers: int = typer.Option(1, "--workers", help="Antal arbejdsprocesser (uvicorn)."),
        sammenligning: Path | None = typer.Option(
            None,
            "--sammenligning",
            help="Mappe med sammenligningstal (fx fra xlstatus sammenligning hent). Opdater "
            "fylder arket Sammenligning fra den; en mappe i arbejdsbogens række "
            "'Sammenligning' skal ligge i denne mappe.",
        ),
        gruppe: str | None = typer.Option(
            None,
            "--gruppe",
            envvar="XLSTATUS_SERVER_GRUPPE",
            help="Med Entra ID-login: kun "
            "medlemmer af denne gruppe (objekt-id) eller app-rolle må køre Opdater.",
        ),
    ) -> None:
        """Start xlwings Server med xlstatus: Opdater-knappen, opgaveruden og funktionerne
        XLSTATUS.… i Excel på Windows, Mac og web – uden Python på pc'erne. Kræver
        pip install "xlstatus\\[server]" og miljøvariablen XLWINGS_LICENSE_KEY."""
        from xlstatus.server.start import Opsaetning, StartFejl, koer

        try:
            koer(Opsaetning(host, port, udtraek, workers, gruppe, sammenligning))
        except StartFejl as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
