"""Dates as every client hands them over: datetime (desktop, openpyxl), ISO text (xlwings
Server's task pane), serial numbers (cell functions, VBA client, a cell without date
format) are read alike wherever the workbook holds dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from xlstatus.arbejdsbog.bygger import build_workbook
from xlstatus.arbejdsbog.indstillinger import named_cells, read_price_settings
from xlstatus.excel import funktioner as fn
from xlstatus.kerne.tid import cell_date, cell_month
from xlstatus.plan.indstillinger import N_COSTS, N_START
from xlstatus.plan.layout import parse_header
from xlstatus.skabelonfiler import load_schemas

JAN_24 = [datetime(2024, 1, 1), date(2024, 1, 1), "2024-01-01T00:00:00.000Z", 45292, 45292.0,
          "2024-01-01", "2024-01-01T00:00:00+01:00"]  # fmt: skip


@pytest.mark.parametrize("value", JAN_24, ids=repr)
def test_every_form_of_a_date_is_the_same_day(value):
    assert cell_date(value) == date(2024, 1, 1)
    assert cell_month(value) == date(2024, 1, 1)
    assert parse_header(value).month == date(2024, 1, 1)
    assert fn.to_month(value) == date(2024, 1, 1)
    assert fn.to_day(value, "fra") == date(2024, 1, 1)


@pytest.mark.parametrize("value", [True, "x", "2024-13-01", -3, 3_000_000])
def test_what_is_not_a_date(value):
    assert cell_date(value) is None


def _set(wb, name: str, col: int, value: object) -> None:
    dn = wb.defined_names.get(name)
    ((title, coord),) = dn.destinations
    ws = wb[title]
    first = ws[coord.replace("$", "").split(":")[0]]
    ws.cell(first.row, first.column + col).value = value


@pytest.mark.parametrize("value", ["2024-03-01T00:00:00.000Z", 45352.0, datetime(2024, 3, 1)],
                         ids=repr)  # fmt: skip
def test_maaltal_months_on_indstillinger_accept_serials_and_iso(tmp_path: Path, value):
    wb = build_workbook(load_schemas())
    path = tmp_path / "b.xlsx"
    wb.save(path)
    wb = openpyxl.load_workbook(path)
    _set(wb, N_START, 0, value)
    _set(wb, N_COSTS, 2, value)
    eco = read_price_settings(wb)
    assert eco.start == date(2024, 3, 1)
    project = named_cells(wb, N_COSTS)[0][0]
    assert next(u for u in eco.udgifter if u.projekt == project).start == date(2024, 3, 1)
