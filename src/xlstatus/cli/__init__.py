"""The command line (typer): `xlstatus …`."""

from xlstatus.cli.app import app

__all__ = ["app"]
