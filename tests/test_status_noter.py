"""The "Status og bemærkninger" area: built by `ny`, added to hand-typed workbooks below
everything typed, never touched by Opdater, printed under the schema in the committee copy,
and a CPR-like number typed there stops the copy."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from legacy_fixtures import legacy_workbook, small_extract

from xlstatus import libreoffice
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.kerne.errors import WorkbookError
from xlstatus.plan import tekster
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udvalg import kopi

WHEN = datetime(2025, 1, 6, 9, 30)
SCHEMAS = load_schemas()
TEXT = [
    "• Fire nye virksomhedsaftaler i august.",
    "=Bemærk: tallet for juli er rettet manuelt",  # text, never a formula
    "Bemærkninger: ventetiden på jobafklaring er steget.\nNy medarbejder fra 1. oktober.",
]


def _heading_rows(ws) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == tekster.NOTES_TITLE]


def _type_notes(path: Path, sheet: str) -> int:
    """Type the project lead's text below the heading; returns the heading's row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    (head,) = _heading_rows(ws)
    for i, text in enumerate(TEXT, start=1):
        ws.cell(head + i, 1).value = text
        ws.cell(head + i, 1).data_type = "s"
    wb.save(path)
    return head


def _opdater(path: Path, month: date) -> None:
    book = Arbejdsbog(path)
    book.opdater(small_extract(), month, when=WHEN, user="test", allow_old=True)
    book.save()


def _values(ws) -> dict[tuple[int, int], object]:
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
            if c.value is not None}  # fmt: skip


def test_ny_builds_the_area_on_every_schema_sheet_below_the_legend(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    wb = openpyxl.load_workbook(path)
    for schema in SCHEMAS:
        ws = wb[schema.ark]
        (head,) = _heading_rows(ws)
        legend = next(r for r in range(1, ws.max_row + 1)
                      if ws.cell(r, 1).value == tekster.LEGEND_TITLE)  # fmt: skip
        assert head > legend and ws.cell(head, 1).font.b
        assert ws.cell(head, 2).value == tekster.NOTES_HINT
        assert head == ws.max_row  # nothing below it: the rows are the project lead's


def test_the_text_is_kept_across_two_opdater_runs_and_printed_in_the_copy(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    sheet = "Flere i job"
    head = _type_notes(path, sheet)
    _opdater(path, date(2024, 8, 1))
    _opdater(path, date(2024, 9, 1))
    ws = openpyxl.load_workbook(path)[sheet]
    assert _heading_rows(ws) == [head]
    for i, text in enumerate(TEXT, start=1):
        cell = ws.cell(head + i, 1)
        assert cell.value == text and cell.data_type == "s" and cell.comment is None
    assert ws.max_row == head + len(TEXT)

    if not libreoffice.available():
        pytest.skip("LibreOffice mangler")
    made = kopi.save_copy(path, ud=tmp_path / "ud")
    cws = openpyxl.load_workbook(made.xlsx)[sheet]
    cells = {c.value: c for row in cws.iter_rows() for c in row if isinstance(c.value, str)}
    assert f"{tekster.NOTES_TITLE} – sep-24" in cells
    assert tekster.NOTES_TITLE not in cells and tekster.NOTES_HINT not in cells
    lines = [TEXT[0], TEXT[1], "Bemærkninger: ventetiden på jobafklaring er steget.",
             "Ny medarbejder fra 1. oktober."]  # fmt: skip
    rows = [cells[t].row for t in lines]
    assert rows == sorted(rows) and rows[0] == cells[f"{tekster.NOTES_TITLE} – sep-24"].row + 1
    assert all(cells[t].data_type == "s" for t in lines)
    legend = cells[tekster.LEGEND_TITLE].row
    assert legend < rows[0]  # under the schema, after its legend
    merged = {str(m) for m in cws.merged_cells.ranges}
    assert any(m.startswith(f"A{rows[0]}:") for m in merged)
    text = " ".join(libreoffice.pdf_text(made.pdf).split())
    for t in lines:
        assert " ".join(t.split()) in text


def test_a_hand_typed_workbook_gets_the_area_below_everything_typed(tmp_path):
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    before = {ws.title: _values(ws) for ws in openpyxl.load_workbook(path).worksheets}
    last = {name: max(r for r, _ in cells) for name, cells in before.items()}
    _opdater(path, date(2024, 9, 1))
    wb = openpyxl.load_workbook(path)
    for name in before:
        ws = wb[name]
        (head,) = _heading_rows(ws)
        assert head > last[name] + 1
        # the rows below the table that people typed (footnotes) are where they were
        for (r, c), v in before[name].items():
            if c == 1:
                assert ws.cell(r, 1).value == v, (name, r)
    head = _type_notes(path, "Ark3")
    _opdater(path, date(2024, 10, 1))
    ws = openpyxl.load_workbook(path)["Ark3"]
    assert _heading_rows(ws) == [head]
    assert [ws.cell(head + i, 1).value for i in range(1, len(TEXT) + 1)] == TEXT


def test_a_cpr_like_number_in_the_notes_stops_the_copy_naming_the_cell(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    _opdater(path, date(2024, 9, 1))
    wb = openpyxl.load_workbook(path)
    ws = wb["Jobperronen"]
    (head,) = _heading_rows(ws)
    ws.cell(head + 2, 1).value = "Borger 010190-1234 er startet i job"
    wb.save(path)
    with pytest.raises(WorkbookError) as err:
        kopi.build_copy(path)
    message = str(err.value)
    assert f"A{head + 2}" in message and "Jobperronen" in message
    assert "Status og bemærkninger" in message and "CPR-nummer" in message
    assert "010190" not in message
