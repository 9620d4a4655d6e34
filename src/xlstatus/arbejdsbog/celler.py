"""Applies a plan's `Block` of cells (`plan.celler`) to an openpyxl worksheet."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as _Font
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.arbejdsbog.sider import FONT_NAME
from xlstatus.plan.celler import Block, Look

TOP = Border(top=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")


def font_for(look: Look) -> _Font:
    """A named font: without a name LibreOffice falls back to a serif font."""
    given = (
        ("bold", look.bold),
        ("italic", look.italic),
        ("size", look.size),
        ("color", look.color),
    )
    return _Font(name=FONT_NAME, **{k: v for k, v in given if v is not None})


def write_block(ws: Worksheet, block: Block) -> None:
    """Apply a block of cells; text that is not a formula never becomes one."""
    for (r, c), bc in block.cells.items():
        cell = ws.cell(row=r, column=c)
        cell.value = bc.value
        if isinstance(bc.value, str) and bc.value[:1] in ("=", "+", "-", "@") and not bc.formula:
            cell.data_type = "s"
        if bc.font is not None:
            cell.font = font_for(bc.font)
        if bc.fill is not None:
            cell.fill = PatternFill("solid", fgColor=bc.fill)
        if bc.top:
            cell.border = TOP
        if bc.wrap:
            cell.alignment = WRAP
        if bc.number_format is not None:
            cell.number_format = bc.number_format
    for r, height in block.heights.items():
        ws.row_dimensions[r].height = height
