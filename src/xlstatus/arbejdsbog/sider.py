"""How xlstatus's sheets print, for the workbook and the committee copy alike: the one page
setup (A4, one page wide, titles repeated, page x of y in the footer) and the one word-wrap
estimate behind row heights."""

from __future__ import annotations

from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Calibri"
LINE_HEIGHT = 15.0  # points per line of 11 pt text


def wrapped_lines(text: str, per_line: float) -> int:
    """How many lines text wraps to, word by word, at `per_line` characters: the one
    word-wrap estimate (row heights here and in the committee copy)."""
    lines, used = 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += need
    return lines


def text_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines text wraps to in a workbook column of the given width (an estimate)."""
    return wrapped_lines(str(text), max(1.0, width * (1.0 if bold else 1.15)))


def lines_needed(text: str, width: float, bold: bool = False) -> int:
    """How many lines a text of paragraphs wraps to in a committee-copy column of `width`
    characters (an estimate; each line break starts a paragraph)."""
    per_line = max(1.0, width * (1.0 if bold else 1.1) - 1)
    return sum(wrapped_lines(part, per_line) for part in str(text).split("\n"))


def page_setup(
    ws: Worksheet,
    title_rows: str | None = None,
    title_cols: str | None = None,
    landscape: bool = True,
    fit_height: int = 0,
    margin: float = 0.6,
    centered: bool = False,
) -> None:
    """A4 in `landscape` or portrait, one page wide (`fit_height` pages high, 0: as many as
    needed), top and bottom `margin` (inches), the sheet name and page numbers in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = fit_height
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = margin
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if centered:
        ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Side &P af &N"
    ws.oddFooter.left.size = ws.oddFooter.right.size = 8
