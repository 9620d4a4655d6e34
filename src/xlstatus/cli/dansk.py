"""Danish texts for typer's built-in help and usage errors (typer vendors click, whose
texts are English and not translatable through gettext)."""

from __future__ import annotations

import typer.rich_utils as ru
from typer._click import core as click_core
from typer._click import exceptions as click_exc
from typer._click import formatting as click_fmt

PANELS = {
    "ARGUMENTS_PANEL_TITLE": "Argumenter",
    "OPTIONS_PANEL_TITLE": "Tilvalg",
    "COMMANDS_PANEL_TITLE": "Kommandoer",
    "ERRORS_PANEL_TITLE": "Fejl",
    "ABORTED_TEXT": "Afbrudt.",
    "RICH_HELP": "Skriv [blue]'{command_path} {help_option}'[/] for at få hjælp.",
    "DEFAULT_STRING": "[standard: {}]",
    "REQUIRED_LONG_STRING": "[skal angives]",
    "ENVVAR_STRING": "[miljøvariabel: {}]",
    "DEPRECATED_STRING": "(udgået) ",
}
KINDS = {"option": "tilvalget", "argument": "argumentet", "parameter": "parameteren"}


def _hint(exc: click_exc.BadParameter) -> str:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    return click_exc._join_param_hints(hint) if hint else ""


def _bad_parameter(self: click_exc.BadParameter) -> str:
    hint = _hint(self)
    return f"Ugyldig værdi for {hint}: {self.message}" if hint else f"Ugyldig værdi: {self.message}"


def _missing_parameter(self: click_exc.MissingParameter) -> str:
    kind = self.param_type or (self.param.param_type_name if self.param else "parameter")
    return f"Mangler {KINDS.get(kind, kind)} {_hint(self)}.".replace("  ", " ")


def _no_such_option(self: click_exc.NoSuchOption, *args, **kwargs) -> None:
    _orig_no_such_option(self, *args, **kwargs)
    self.message = f"Ukendt tilvalg: {self.option_name}"


def _help_option(self, ctx):  # type: ignore[no-untyped-def]
    opt = _orig_help_option(self, ctx)
    if opt is not None:
        opt.help = "Vis denne hjælp og afslut."
    return opt


USAGE_WORDS = {"[OPTIONS]": "[TILVALG]", "COMMAND": "KOMMANDO", "[ARGS]": "[ARGUMENTER]"}


def _write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    for english, danish in USAGE_WORDS.items():
        args = args.replace(english, danish)
    _orig_write_usage(self, prog, args, "Brug: " if prefix is None else prefix)


_orig_no_such_option = click_exc.NoSuchOption.__init__
_orig_help_option = click_core.Command.get_help_option
_orig_write_usage = click_fmt.HelpFormatter.write_usage


def install() -> None:
    """Make typer's own help and usage errors Danish (idempotent)."""
    for name, text in PANELS.items():
        setattr(ru, name, text)
    click_exc.BadParameter.format_message = _bad_parameter
    click_exc.MissingParameter.format_message = _missing_parameter
    click_exc.NoSuchOption.__init__ = _no_such_option
    click_core.Command.get_help_option = _help_option
    click_fmt.HelpFormatter.write_usage = _write_usage
