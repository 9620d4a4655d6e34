"""Insert a column into an openpyxl worksheet the way Excel does.

openpyxl's `insert_cols` only moves cells. Excel also moves everything that points at
the moved cells; so does this: formulas on every sheet, defined names, merged cells,
column widths, conditional formats, data validations, hyperlinks, print titles and area,
auto filters, tables, freeze panes, chart series and the anchors of charts and images.
"""

from __future__ import annotations

import re
from copy import copy

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from xlstatus.plan import stil

_SHEET_REF = re.compile(r"^(?P<sheet>(?:'(?:[^']|'')+'|[^'!]+)!)?(?P<ref>.+)$")
_CELL = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_COL = re.compile(r"^(\$?)([A-Za-z]{1,3})$")


def _sheet_name(prefix: str | None) -> str | None:
    if not prefix:
        return None
    name = prefix[:-1]
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


def _shift_part(part: str, col: int, n: int) -> str:
    """One side of a reference ('$C$4', 'C', '4'): its column moves right when ≥ col."""
    if m := _CELL.match(part):
        c = column_index_from_string(m[2].upper())
        if c >= col:
            return f"{m[1]}{get_column_letter(c + n)}{m[3]}{m[4]}"
        return part
    if m := _COL.match(part):
        c = column_index_from_string(m[2].upper())
        if c >= col:
            return f"{m[1]}{get_column_letter(c + n)}"
    return part


def shift_reference(ref: str, col: int, n: int = 1) -> str:
    """'B2:D9' with 1 column inserted before C -> 'B2:E9' (no sheet prefix)."""
    parts = ref.split(":")
    if len(parts) == 2 and all(re.fullmatch(r"\$?\d+", p) for p in parts):
        return ref  # whole rows
    if not all(_CELL.match(p) or _COL.match(p) for p in parts):
        return ref  # a name, a table reference, an error …
    return ":".join(_shift_part(p, col, n) for p in parts)


def shift_formula(formula: str, target: str, home: str | None, col: int, n: int = 1) -> str:
    """Shift the references to sheet `target` in a formula that lives on sheet `home`."""
    if not isinstance(formula, str) or not formula.startswith("="):
        return formula
    try:
        tok = Tokenizer(formula)
    except TokenizerError:
        return formula
    changed = False
    for t in tok.items:
        if t.type != Token.OPERAND or t.subtype != Token.RANGE:
            continue
        m = _SHEET_REF.match(t.value)
        if not m:
            continue
        sheet = _sheet_name(m["sheet"]) or home
        if sheet is None or sheet.casefold() != target.casefold():
            continue
        new = shift_reference(m["ref"], col, n)
        if new != m["ref"]:
            t.value = (m["sheet"] or "") + new
            changed = True
    return tok.render() if changed else formula


def _shift_text_ref(text: str, target: str, col: int, n: int = 1) -> str:
    """A reference text like "'Flere i job'!$A$1:$C$4" or a comma list of them."""
    return shift_formula("=" + text, target, None, col, n)[1:] if text else text


def _shift_range(rng: str, col: int, n: int = 1) -> str:
    return " ".join(shift_reference(part, col, n) for part in str(rng).split())


def insert_column(
    wb: Workbook, ws: Worksheet, col: int, style_from: int | None = None, n: int = 1
) -> None:
    """Insert n empty columns before column `col` of ws, keeping every reference right."""
    ws.insert_cols(col, n)
    for cell in _cells(ws):  # hyperlinks carry their own cell reference
        if cell.hyperlink is not None and cell.column >= col:
            cell.hyperlink.ref = cell.coordinate
    _shift_widths(ws, col, n)
    _shift_merged(ws, col, n)
    _shift_conditional_formats(ws, col, n)
    _shift_validations(ws, col, n)
    for sheet in wb.worksheets:
        _shift_sheet_refs(sheet, ws, col, n)
    for dn in wb.defined_names.values():
        dn.attr_text = _shift_text_ref(dn.attr_text, ws.title, col, n)
    _shift_print_and_tables(ws, col, n)
    if style_from:
        copy_column_look(ws, style_from, col, n)


def _shift_widths(ws: Worksheet, col: int, n: int) -> None:
    """Rebuild the column dimension table shifted."""
    dims = [
        (d.min or column_index_from_string(k), d.max or column_index_from_string(k), d)
        for k, d in list(ws.column_dimensions.items())
    ]
    ws.column_dimensions.clear()
    for lo, hi, d in sorted(dims, key=lambda t: t[0]):
        if lo >= col:
            lo, hi = lo + n, hi + n
        elif hi >= col:
            hi += n
        d.min, d.max = lo, hi
        d.index = get_column_letter(lo)
        ws.column_dimensions[d.index] = d


def _shift_merged(ws: Worksheet, col: int, n: int) -> None:
    merged = []
    for mcr in list(ws.merged_cells.ranges):
        ws.merged_cells.remove(mcr)
        b = CellRange(mcr.coord)
        if b.min_col >= col:
            b.shift(col_shift=n)
        elif b.max_col >= col:
            b.expand(right=n)
        merged.append(b.coord)
    for coord in merged:
        ws.merge_cells(coord)


def _shift_conditional_formats(ws: Worksheet, col: int, n: int) -> None:
    name = ws.title
    cf_old = ws.conditional_formatting
    rules = [(cf.sqref, list(cf.rules)) for cf in cf_old]
    cf_old._cf_rules.clear()
    for sqref, cf_rules in rules:
        new_ref = _shift_range(sqref, col, n)
        for rule in cf_rules:
            rule.formula = [shift_formula("=" + f, name, name, col, n)[1:] for f in rule.formula]
            cf_old._cf_rules.setdefault(_cf(new_ref), []).append(rule)


def _shift_validations(ws: Worksheet, col: int, n: int) -> None:
    name = ws.title
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange(_shift_range(dv.sqref, col, n))
        for attr in ("formula1", "formula2"):
            f = getattr(dv, attr)
            if f:
                setattr(dv, attr, shift_formula("=" + f, name, name, col, n)[1:])


def _shift_sheet_refs(sheet: Worksheet, ws: Worksheet, col: int, n: int) -> None:
    """Formulas, hyperlinks, charts, images and local names on `sheet` that point at ws."""
    name = ws.title
    for cell in _cells(sheet):
        v = cell.value
        if cell.data_type == "f" and isinstance(v, str):
            cell.value = shift_formula(v, name, sheet.title, col, n)
        elif hasattr(v, "text") and hasattr(v, "ref"):  # ArrayFormula
            v.text = shift_formula(v.text, name, sheet.title, col, n)
            if sheet is ws:
                v.ref = _shift_range(v.ref, col, n)
        if cell.hyperlink is not None and cell.hyperlink.location:
            cell.hyperlink.location = _shift_text_ref(cell.hyperlink.location, name, col, n)
    for chart in getattr(sheet, "_charts", []):
        _shift_chart(chart, name, col, n)
        if sheet is ws:
            _shift_anchor(chart.anchor, col, n)
    if sheet is ws:
        for image in getattr(sheet, "_images", []):
            _shift_anchor(image.anchor, col, n)
    for dn in sheet.defined_names.values():
        dn.attr_text = _shift_text_ref(dn.attr_text, name, col, n)


def _shift_print_and_tables(ws: Worksheet, col: int, n: int) -> None:
    """Print titles and area, auto filter, tables, frozen panes and column breaks."""
    if ws.print_title_cols:
        lo, hi = ws.print_title_cols.split(":")
        ws.print_title_cols = _shift_range(f"{lo}:{hi}", col, n)
    if ws.print_area:
        ws.print_area = [
            _shift_text_ref(a, ws.title, col, n).split("!")[-1] for a in ws.print_area.split(",")
        ]
    if ws.auto_filter.ref:
        ws.auto_filter.ref = _shift_range(ws.auto_filter.ref, col, n)
    for table in ws.tables.values():
        min_col, _, _max_col, _ = range_boundaries(table.ref)
        if min_col >= col:
            table.ref = _shift_range(table.ref, col, n)
            if table.autoFilter is not None and table.autoFilter.ref:
                table.autoFilter.ref = _shift_range(table.autoFilter.ref, col, n)
    if ws.freeze_panes:
        ws.freeze_panes = shift_reference(ws.freeze_panes, col, n)
    for brk in ws.col_breaks.brk:
        if brk.id is not None and brk.id >= col - 1:
            brk.id += n


def _cf(ref: str):
    from openpyxl.formatting.formatting import ConditionalFormatting

    return ConditionalFormatting(ref)


def _cells(ws: Worksheet):
    return list(ws._cells.values())


def _shift_anchor(anchor, col: int, n: int) -> None:
    for part in ("_from", "to"):
        marker = getattr(anchor, part, None)
        if marker is not None and marker.col >= col - 1:  # 0-based
            marker.col += n


def _shift_chart(chart, target: str, col: int, n: int) -> None:
    def fix(ref_holder) -> None:
        for attr in ("numRef", "strRef"):
            ref = getattr(ref_holder, attr, None) if ref_holder is not None else None
            if ref is not None and ref.f:
                ref.f = _shift_text_ref(ref.f, target, col, n)

    for s in getattr(chart, "series", []) or chart.ser:
        for attr in ("val", "cat", "xVal", "yVal", "bubbleSize"):
            fix(getattr(s, attr, None))
        if s.tx is not None and s.tx.strRef is not None and s.tx.strRef.f:
            s.tx.strRef.f = _shift_text_ref(s.tx.strRef.f, target, col, n)


def copy_column_look(ws: Worksheet, src: int, dst: int, n: int = 1) -> None:
    """Give new columns the width and cell styles of column src — without xlstatus's
    status colours, symbols and notes."""
    letter = get_column_letter(src)
    if letter in ws.column_dimensions:
        width = ws.column_dimensions[letter].width
        for c in range(dst, dst + n):
            ws.column_dimensions[get_column_letter(c)].width = width
    ours = set(stil.FILL.values())
    our_fonts = set(stil.FONT.values())
    for (r, c), cell in list(ws._cells.items()):
        if c != src or not cell.has_style:
            continue
        for k in range(dst, dst + n):
            new = ws.cell(r, k)
            new._style = copy(cell._style)
            if _rgb(new.fill.fgColor) in ours:
                new.fill = PatternFill(fill_type=None)
            if new.font is not None and _rgb(new.font.color) in our_fonts:
                new.font = _font_with(new.font, color=None)
            new.number_format = stil.strip_symbol(new.number_format)


def _rgb(color) -> str:
    """'C6EFCE' from a colour object (any alpha), '' when not an RGB colour."""
    rgb = getattr(color, "rgb", None) if color is not None else None
    if isinstance(rgb, str) and len(rgb) >= 6:
        return rgb[-6:].upper()
    return ""


def _font_with(font: Font, **changes) -> Font:
    new = copy(font)
    for k, v in changes.items():
        setattr(new, k, v)
    return new
