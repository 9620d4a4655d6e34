"""Readable pages in the committee copy: the headers of a hand-typed workbook wrap instead
of running into each other ("Status 10. januaMarts 2024"), and every header reads whole."""

from __future__ import annotations

from datetime import date, datetime

from legacy_fixtures import legacy_workbook, small_extract

from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.plan.layout import recognise_workbook
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udvalg import kopi
from xlstatus.udvalg.sider import LINE_PT, lines_needed


def test_lines_needed_worked_by_hand():
    # 8.43 characters, bold: 7.43 a line – 'Mindste' | 'mål' | 'August' | '2024...'
    assert lines_needed("Mindste mål August 2024...", 8.43, bold=True) == 4
    # 'Status 10.' (10) fits in 12 - 1 = 11 with bold; 'januar 2024' (11) too
    assert lines_needed("Status 10. januar 2024", 12, bold=True) == 2
    assert lines_needed("a\nb c", 40) == 2  # a line break starts a new line


def test_headers_of_a_hand_typed_workbook_wrap_and_read_whole(tmp_path):
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    book = Arbejdsbog(path)
    book.opdater(small_extract(), date(2024, 9, 1), when=datetime(2025, 1, 6), user="test")
    book.save()
    wb, _ = kopi.build_copy(path)
    view = fil.read_view(wb)
    rec = recognise_workbook([(s.name, s.grid) for s in view.sheets], load_schemas())
    checked = 0
    for layout in rec.layouts:
        ws = wb[layout.sheet]
        cols = [c.col for c in layout.columns if c.kind != "other" or c.header]
        need = 1
        for r in (layout.header_row - 1, layout.header_row):
            for c in cols:
                cell = ws.cell(r, c)
                if not isinstance(cell.value, str) or not cell.value.strip():
                    continue
                assert cell.alignment.wrap_text, (layout.sheet, cell.coordinate)
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                lines = lines_needed(cell.value, width, True)
                assert ws.row_dimensions[r].height >= LINE_PT * lines, cell.coordinate
                need = max(need, lines)
                checked += 1
        assert need >= 2, layout.sheet  # the seed's long headers do not fit on one line
    assert len(rec.layouts) == 5 and checked >= 20
