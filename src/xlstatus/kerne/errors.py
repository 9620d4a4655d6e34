"""Errors as data: every problem carries where it is and what was expected.

Readers collect problems lazily in a `Problems` list and raise one `DataError`
holding all of them at the end, so a single run shows every problem.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["fejl", "advarsel"]

MAX_PROBLEMS = 200
MAX_VALUE_CHARS = 80  # a longer value found in the data is shortened in messages
MAX_TEXT_CHARS = 1000  # message, file, column, expected (a header cell can be any length)
CPR_HIDDEN = "(skjult – ligner et CPR-nummer)"
# ddmmyy-xxxx, ddmmyyxxxx or ddmmyy xxxx, not inside a longer run of digits
CPR_LIKE = re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)")
# a whole value: also 9 digits (a CPR number whose leading 0 a spreadsheet dropped)
CPR_VALUE = re.compile(r"\s*\d{6}[- ]?\d{3,4}\s*")


def mask_cpr(text: str) -> str:
    """Every CPR-like number in a text replaced by a note that it is hidden."""
    return CPR_LIKE.sub(CPR_HIDDEN, text)


def _safe_text(text: str, limit: int) -> str:
    """CPR numbers hidden; a text over `limit` characters cut, with its length."""
    shown = mask_cpr(text[: limit * 2])  # the cut keeps the masking's work small
    if len(text) <= limit and len(shown) <= limit:
        return shown
    tail = f"… ({len(text)} tegn i alt)"
    return shown[: limit - len(tail)] + tail


# control characters (C0, DEL, C1) and Unicode's line and paragraph separators
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
EXTRACT_FOLDER = "udtræksmappen"


def vist(text: object, root: str | None = None, limit: int = MAX_TEXT_CHARS,
         lines: bool = False) -> str:  # fmt: skip
    """The one way a message shows what a user sent (a path, a name, a value, an error
    built from them): paths inside `root` (the server's extract folder) relative to it
    and `root` itself as 'udtræksmappen', control characters gone (each becomes a space;
    `lines`: a whole message keeps its line breaks), CPR-like numbers masked, at most
    `limit` characters."""
    shown = str(text)
    if root:
        for form in {root.rstrip("/\\"), root.rstrip("/\\").replace("\\", "/")}:
            if not form:
                continue
            for sep in ("/", "\\"):
                shown = shown.replace(form + sep, "")
            shown = shown.replace(form, EXTRACT_FOLDER)
    shown = (CONTROL_BUT_NEWLINE if lines else CONTROL).sub(" ", shown.replace("\r\n", "\n"))
    return _safe_text(shown, limit)


def shown_value(value: object) -> object:
    """A value found in the data, safe to echo: CPR numbers hidden, long texts shortened."""
    if value is None or isinstance(value, bool):
        return value
    raw = str(value)
    whole = f"{value:.0f}" if isinstance(value, float) and value.is_integer() else raw
    if CPR_VALUE.fullmatch(whole):
        return CPR_HIDDEN
    if isinstance(value, numbers.Real) and len(raw) <= MAX_VALUE_CHARS and not CPR_LIKE.search(raw):
        return value
    return _safe_text(raw, MAX_VALUE_CHARS)


@dataclass(frozen=True)
class Problem:
    """One problem in an input: file (or sheet), Excel row, column, value, expected form."""

    message: str
    file: str = ""
    row: int | None = None  # as Excel shows it: header = row 1
    column: str = ""
    value: object = None
    expected: str = ""
    severity: Severity = "fejl"

    def __post_init__(self) -> None:
        # central, so every message, Log line and note is safe: no CPR number, no huge value
        for name in ("message", "file", "column", "expected"):
            object.__setattr__(self, name, vist(getattr(self, name)))
        object.__setattr__(self, "value", shown_value(self.value))

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column:
            where.append(f"kolonne '{self.column}'")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None and self.value != "":
            text += f" (fundet: {self.value!r})"
        if self.expected:
            text += f" – forventet: {self.expected}"
        label = "Fejl" if self.severity == "fejl" else "Advarsel"
        return f"{label}: {text}"


@dataclass
class Problems:
    """A lazy collector of errors and warnings (capped at MAX_PROBLEMS each)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def error(self, message: str, **where: object) -> None:
        self._add(self.errors, Problem(message, severity="fejl", **where))  # type: ignore[arg-type]

    def warn(self, message: str, **where: object) -> None:
        self._add(self.warnings, Problem(message, severity="advarsel", **where))  # type: ignore[arg-type]

    def _add(self, bucket: list[Problem], problem: Problem) -> None:
        if len(bucket) < MAX_PROBLEMS:
            bucket.append(problem)
        else:
            self.dropped += 1

    def extend(self, other: Problems) -> None:
        for p in other.errors:
            self._add(self.errors, p)
        for p in other.warnings:
            self._add(self.warnings, p)
        self.dropped += other.dropped

    def raise_if_errors(
        self, summary: str = "Udtrækket indeholder fejl", kind: type[DataError] | None = None
    ) -> None:
        if self.errors:
            raise (kind or DataError)(summary, self.errors, self.warnings, self.dropped)


class XlstatusError(Exception):
    """Base of every error xlstatus reports to a person (messages are Danish)."""


class DataError(XlstatusError):
    """Bad input data: carries every problem found."""

    def __init__(
        self,
        summary: str,
        problems: list[Problem],
        warnings: list[Problem] | None = None,
        dropped: int = 0,
    ) -> None:
        self.summary = summary
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        self.dropped = dropped
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.summary} ({len(self.problems)} fejl):"]
        lines += [f"  {p}" for p in self.problems]
        if self.dropped:
            lines.append(f"  … og {self.dropped} problemer mere, som ikke er vist.")
        return "\n".join(lines)


class ExtractError(DataError):
    """The FACIT extract could not be read or validated."""


class TemplateError(DataError):
    """A schema or Måltal template is malformed."""


class WorkbookError(XlstatusError):
    """The workbook cannot be read or written (locked, missing, not a statusskema)."""
