"""Readable pages in the committee copy: the headers of a hand-typed workbook wrap instead
of running into each other ("Status 10. januaMarts 2024"), and every header reads whole."""

from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl
from legacy_fixtures import legacy_workbook, small_extract

from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.arbejdsbog.sider import LINE_HEIGHT, lines_needed
from xlstatus.udvalg import kopi
from xlstatus.udvalg.model import Table


def test_lines_needed_worked_by_hand():
    # 8.43 characters, bold: 7.43 a line – 'Mindste' | 'mål' | 'August' | '2024...'
    assert lines_needed("Mindste mål August 2024...", 8.43, bold=True) == 4
    # 'Status 10.' (10) fits in 12 - 1 = 11 with bold; 'januar 2024' (11) too
    assert lines_needed("Status 10. januar 2024", 12, bold=True) == 2
    assert lines_needed("a\nb c", 40) == 2  # a line break starts a new line


def test_a_hand_typed_workbook_reads_whole_on_the_printed_pages(tmp_path):
    """The seed's long headers ("Status 10. januar 2024", "Mindste mål August 2024…") wrap
    at spaces only: every column is as wide as its longest word, every row as tall as its
    wrapped texts; milestones are named as the workbook names months ("aug-24")."""
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    book = Arbejdsbog(path)
    book.opdater(small_extract(), date(2024, 9, 1), when=datetime(2025, 1, 6), user="test")
    book.save()
    wb, result = kopi.build_copy(path)
    assert len([p for p in result.model.pages if p.kind == "skema"]) == 5
    checked = 0
    for ws in wb.worksheets:
        last_col = openpyxl.utils.range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))[2]
        merged = [m for m in ws.merged_cells.ranges]
        for row in ws.iter_rows(max_col=last_col):
            for cell in row:
                if not isinstance(cell.value, str) or any(cell.coordinate in m for m in merged):
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                longest = max((len(w) for w in cell.value.split()), default=0)
                assert longest <= width, (ws.title, cell.coordinate, cell.value)
                lines = lines_needed(cell.value, width, bool(cell.font and cell.font.b))
                assert (ws.row_dimensions[cell.row].height or 15) >= LINE_HEIGHT * lines, (
                    cell.coordinate
                )
                assert not re.search(r"(Januar|August|September) 20\d\d", cell.value), cell.value
                checked += 1
    assert checked > 200
    tables = [b for p in result.model.pages for b in p.blocks if isinstance(b, Table)]
    heads = [c.text for t in tables for c in (t.header_rows or [[]])[0]]
    assert any(re.fullmatch(r"Mindste mål [a-zæø]{3}-\d\d", h) for h in heads)
