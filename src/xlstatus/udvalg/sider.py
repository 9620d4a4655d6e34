"""How much room a text needs on the printed page (an estimate, word by word). Pure.

Used by the .xlsx renderer to give every row the height its wrapped texts need and every
column the width of its longest word, so no word is broken inside."""

from __future__ import annotations

LINE_PT = 15.0


def wrapped_lines(text: str, per_line: float) -> int:
    """How many lines one paragraph wraps to, word by word, at `per_line` characters."""
    lines, used = 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += need
    return lines


def lines_needed(text: str, width: float, bold: bool = False) -> int:
    """How many lines a text wraps to in a column of `width` characters (an estimate)."""
    per_line = max(1.0, width * (1.0 if bold else 1.1) - 1)
    return sum(wrapped_lines(part, per_line) for part in str(text).split("\n"))


__all__ = ["LINE_PT", "lines_needed", "wrapped_lines"]
