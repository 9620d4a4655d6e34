"""Issue #12 through the Excel route: a hand-typed workbook opened in Excel gets the
Overblik and Vandringer sheets from Opdater, with what the command line writes there.

Runs `opdater_book` on xlwings' own server engine (`xw.Book(json=…)`, no Excel) and
replays the returned actions onto the file's cells (`excel.payload.replay`)."""

from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import xlwings as xw
from legacy_fixtures import USER, WHEN, legacy_workbook, run, small_extract
from test_excel import _value

from xlstatus.excel.bog import opdater_book
from xlstatus.excel.payload import OFFICE_JS, book_payload, replay
from xlstatus.plan import tekster, vandringer

MAR = date(2024, 3, 1)
ANALYSES = (tekster.OVERBLIK, tekster.VANDRINGER)


def _excel_run(path, client: str = OFFICE_JS):
    payload = book_payload(path, client)
    book = xw.Book(json=payload)
    opdater_book(book, MAR, extract=small_extract(), when=WHEN, user=USER)
    actions = book.json()["actions"]
    return actions, replay(actions, payload)


def _cli_values(path, name: str) -> dict[tuple[int, int], object]:
    ws = openpyxl.load_workbook(path)[name]
    return {(c.row, c.column): _value(c.value) for row in ws.iter_rows() for c in row
            if c.value not in (None, "")}  # fmt: skip


def test_hand_typed_workbook_gets_the_analysis_sheets_like_the_command_line(tmp_path):
    excel_file = legacy_workbook(tmp_path / "Excel.xlsx")
    cli_file = shutil.copy(excel_file, tmp_path / "Cli.xlsx")
    run(cli_file, MAR)
    actions, rp = _excel_run(excel_file)

    added = [a["args"] for a in actions if a["func"] == "addSheet"]
    assert [name for _, name in added][:2] == list(ANALYSES)
    cli_order = openpyxl.load_workbook(cli_file).sheetnames
    assert rp.names == cli_order  # the same places as the file route gives them
    for name in ANALYSES:
        expected = _cli_values(cli_file, name)
        assert expected, name
        actual = {
            (r, c): _value(cell.value)
            for (r, c), cell in ((k, v) for k, v in _cells(rp, name))
            if cell.value not in (None, "")
        }
        extra = {k: v for k, v in actual.items() if k not in expected}
        assert {k: actual.get(k) for k in expected} == expected, name
        if name == tekster.VANDRINGER:  # only the Danish 'no chart' line where charts go
            assert set(extra.values()) == {tekster.NO_CHART}
        else:
            assert extra == {}


def _cells(rp, name: str):
    s = rp.names.index(name)
    return [((r, c), cell) for (i, r, c), cell in rp.cells.items() if i == s]


def test_vandringer_is_laid_out_again_when_the_groups_change(tmp_path):
    path = legacy_workbook(tmp_path / "Excel.xlsx")
    run(path, MAR)  # the file route adds the sheets with the default groups
    wb = openpyxl.load_workbook(path)
    groups = vandringer.sheet_groups(
        [list(r) for r in wb[tekster.VANDRINGER].iter_rows(values_only=True)]
    )
    assert len(groups) > 1
    ws = wb.create_sheet(tekster.SETTINGS)
    ws.cell(1, 1, "Vandringer: målgrupper")
    ws.cell(1, 2, groups[0])
    wb.save(path)
    actions, rp = _excel_run(path)
    assert not [a for a in actions if a["func"] == "addSheet" and a["args"][1] in ANALYSES]
    s = rp.names.index(tekster.VANDRINGER)
    cleared = [a for a in actions if a["func"] == "rangeClearContents"
               and a["sheet_position"] == s]  # fmt: skip
    assert cleared
    heads = {
        r: cell.value
        for (i, r, c), cell in rp.cells.items()
        if i == s and c == 1 and r >= vandringer.FIRST_BLOCK
    }
    top = vandringer.blocks(groups[:1])[0].top
    assert heads[top] == groups[0]
    second = top + vandringer.BLOCK_ROWS
    assert heads.get(second) in (None, "")
