"""Danish display of indicator values: '17 (17 pct.)', '87,9 pct.', '18,8', '–'. Pure."""

from __future__ import annotations

EMPTY = "–"


def number_da(value: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Danish thousands and decimal separators); never '-0'."""
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0.04 rounds to 0, not to a negative zero
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pct_da(share: float | None, decimals: int = 0) -> str:
    return EMPTY if share is None else f"{number_da(share, decimals)} pct."


def antal_andel_da(count: int | None, share: float | None, decimals: int = 0) -> str:
    """Count and share the Danish way: '17 (17 pct.)'; '0 (–)' for an empty population."""
    if count is None:
        return EMPTY
    return f"{number_da(count)} ({pct_da(share, decimals)})"


def display(fmt: str, antal: int | None, vaerdi: float | None, decimals: int = 0) -> str:
    """The text a reader sees for a value in display format fmt."""
    if fmt == "antal_andel":
        return antal_andel_da(antal, vaerdi, decimals)
    if vaerdi is None:
        return EMPTY
    if fmt == "andel":
        return pct_da(vaerdi, decimals)
    if fmt == "uger":
        return number_da(vaerdi, decimals or 1)
    return number_da(vaerdi, decimals)
