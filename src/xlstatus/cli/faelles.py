"""What every command shares: consoles, the --maaned option, the Danish failure report."""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import typer
from rich.console import Console

from xlstatus.kerne.errors import DataError, XlstatusError
from xlstatus.kerne.tid import parse_month

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def month_option(value: str | None, hint: str = "--maaned") -> date | None:
    """'2025-03' -> date(2025, 3, 1); a usage error (exit 2) in Danish otherwise."""
    if value is None:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=hint) from exc


def fail(exc: XlstatusError) -> NoReturn:
    """Print every problem (and warning) on stderr in Danish and exit 1."""
    err.print(str(exc), markup=False)
    if isinstance(exc, DataError):
        for w in exc.warnings:
            err.print(str(w), markup=False)
    raise typer.Exit(1)
