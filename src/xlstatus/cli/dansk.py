"""Danish texts for typer's built-in help and usage errors (typer vendors click, whose
texts are English and not translatable through gettext, and checks values with pydantic,
whose messages are English too).

- `dansk(text)`: an English usage message (click's, typer's) in Danish; text it does not
  know is returned as it is (our own messages are Danish already).
- `pydantic_besked(exc)`: the first error of a pydantic ValidationError in Danish, with the
  value that was given ("40 skal være højst 31").
- `install()`: puts both where typer makes its messages (idempotent).
"""

from __future__ import annotations

import re
from typing import Any

import typer._coercion as typer_coercion
import typer._param_types as typer_param_types
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


# (English pattern, Danish replacement), tried in order on every usage message
ENGLISH = (
    (r"(.*) is not one of (.*?)\.?$", r"\1 er ikke en af mulighederne: \2."),
    (r"No such command '(.*?)'\.?", r"Ukendt kommando '\1'."),
    (r" ?Did you mean (.*)\?", r" Mente du \1?"),
    (r"Missing command\.", "Mangler en kommando."),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"For mange argumenter: \1"),
    (r"Option '(.*)' requires an argument\.", r"Tilvalget '\1' skal have en værdi."),
    (r"Option '(.*)' requires (\d+) arguments\.", r"Tilvalget '\1' skal have \2 værdier."),
    (r"Option '(.*)' does not take a value\.", r"Tilvalget '\1' tager ingen værdi."),
    (r"Argument '(.*)' takes (\d+) values\.", r"Argumentet '\1' skal have \2 værdier."),
    (r"Value (.*) is not a valid (.*)\.", r"\1 er ikke en gyldig værdi."),
    (r"Value must be an iterable\.", "Værdien skal være en liste."),
    (r"(?i)(?:file|dir|directory|path) '(.*)' does not exist\.", r"'\1' findes ikke."),
    (r"(?i)(?:file|dir|directory|path) '(.*)' is a file\.", r"'\1' er en fil, ikke en mappe."),
    (r"(?i)(?:file|dir|directory|path) '(.*)' is a directory\.", r"'\1' er en mappe, ikke en fil."),
    (r"(?i)(?:file|dir|directory|path) '(.*)' is not readable\.", r"'\1' kan ikke læses."),
    (r"(?i)(?:file|dir|directory|path) '(.*)' is not writable\.", r"'\1' kan ikke skrives."),
    (r"^Value error, ", ""),
)
# pydantic's error types (the first error of a ValidationError) in Danish
PYDANTIC = {
    "int_parsing": "skal være et helt tal",
    "int_type": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "float_parsing": "skal være et tal",
    "float_type": "skal være et tal",
    "bool_parsing": "skal være ja eller nej (true/false)",
    "bool_type": "skal være ja eller nej (true/false)",
    "less_than_equal": "skal være højst {le}",
    "greater_than_equal": "skal være mindst {ge}",
    "less_than": "skal være under {lt}",
    "greater_than": "skal være over {gt}",
    "string_type": "skal være tekst",
    "date_parsing": "skal være en dato",
    "datetime_parsing": "skal være en dato og et klokkeslæt",
    "uuid_parsing": "skal være et UUID",
    "missing": "mangler",
}


def dansk(text: str) -> str:
    """An English usage message in Danish (known patterns; other text unchanged)."""
    for english, danish in ENGLISH:
        text = re.sub(english, danish, text)
    return text


def _shown(value: Any) -> str:
    """A given value as the message shows it: numbers bare, other text in quotes."""
    try:
        float(value)
    except (TypeError, ValueError):
        return repr(value) if isinstance(value, str) else str(value)
    return str(value)


def pydantic_besked(exc: Any) -> str:
    """The first error of a pydantic ValidationError in Danish, naming the value given."""
    errors = exc.errors()
    if not errors:
        return dansk(str(exc))
    first = errors[0]
    kind, ctx = first.get("type", ""), first.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return dansk(str(ctx["error"]))
    text = PYDANTIC.get(kind)
    if text is None:
        return dansk(str(first.get("msg", "")))
    try:
        text = text.format(**ctx)
    except (KeyError, IndexError):
        return dansk(str(first.get("msg", "")))
    return f"{_shown(first['input'])} {text}" if "input" in first else text.capitalize()


def _hint(exc: click_exc.BadParameter) -> str:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    return click_exc._join_param_hints(hint) if hint else ""


def _bad_parameter(self: click_exc.BadParameter) -> str:
    hint, message = _hint(self), dansk(self.message)
    return f"Ugyldig værdi for {hint}: {message}" if hint else f"Ugyldig værdi: {message}"


def _usage_error(self: click_exc.UsageError) -> str:
    return dansk(self.message)


def _no_such_option_message(self: click_exc.NoSuchOption) -> str:
    if not self.possibilities:
        return dansk(self.message)
    return f"{dansk(self.message)} (mente du {', '.join(sorted(self.possibilities))}?)"


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
    click_exc.UsageError.format_message = _usage_error
    click_exc.BadParameter.format_message = _bad_parameter
    click_exc.MissingParameter.format_message = _missing_parameter
    click_exc.NoSuchOption.__init__ = _no_such_option
    click_exc.NoSuchOption.format_message = _no_such_option_message
    for module in (typer_coercion, typer_param_types):  # each imported typer's own by name
        if hasattr(module, "get_error_msg"):
            module.get_error_msg = pydantic_besked
    click_core.Command.get_help_option = _help_option
    click_fmt.HelpFormatter.write_usage = _write_usage
