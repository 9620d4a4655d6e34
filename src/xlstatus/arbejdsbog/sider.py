"""The one page setup: how every sheet xlstatus lays out prints (the workbook's sheets and
the committee copy's). A4, fit to one page wide, titles repeated, page x of y in the footer."""

from __future__ import annotations

from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Calibri"


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
