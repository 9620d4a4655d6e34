"""The global option `xlstatus --skabeloner DIR …`: the municipality's own templates."""

from __future__ import annotations

from pathlib import Path

import typer

from xlstatus.skabelonfiler import ENV, set_override


def register(app: typer.Typer) -> None:
    """Add the global `--skabeloner` option (a callback run before every command)."""

    @app.callback()
    def skabeloner_option(
        skabeloner: Path | None = typer.Option(
            None,
            "--skabeloner",
            envvar=ENV,
            help="Mappe med egne skabeloner: skemaer (skemaer/*.toml) lægges til pakkens, og "
            "en fil med samme navn som en af pakkens erstatter den; maaltal.toml og "
            "kolonnealiaser.toml erstatter pakkens.",
        ),
    ) -> None:
        """xlstatus – statusskemaer for Jobcenter Hedensteds investeringsprojekter."""
        if skabeloner is None:
            return
        if not skabeloner.is_dir():
            raise typer.BadParameter(f"mappen findes ikke: {skabeloner}", param_hint="--skabeloner")
        set_override(skabeloner)
