"""Måltal in every copy (issue 18, item 4): where the sheet's formulas carry no values,
xlstatus computes them itself – and gets what LibreOffice computes from the same file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest

from xlstatus import libreoffice
from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.udtraek.generator import generate
from xlstatus.udvalg import kopi
from xlstatus.udvalg.maaltal_vaerdier import computed_cells, fill_values, is_formula
from xlstatus.udvalg.model import Table


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = create_workbook(tmp_path_factory.mktemp("maaltal") / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    extract = generate(seed=7, faktor=0.05)
    for m in (date(2024, 4, 1), date(2024, 5, 1)):
        book.opdater(extract, m, when=datetime(2024, 6, 3), user="test", allow_old=True)
    book.save()
    return path


def raw_view(path):
    """The file's view with its formulas as text (no engine has computed them)."""
    wb = openpyxl.load_workbook(path)
    view = fil.read_view(wb)
    return replace(view, sheets=[*view.sheets, fil.sheet_view(wb["Måltal"])])


@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice mangler")
def test_xlstatus_computes_what_libreoffice_computes(workbook):
    raw = next(s for s in raw_view(workbook).sheets if s.name == "Måltal")
    ours = computed_cells(raw)
    theirs = kopi.read_source(workbook).view.sheet("Måltal").grid  # LibreOffice's values
    checked = 0
    for (r, c), v in ours.items():
        assert is_formula(raw.grid[r - 1][c - 1]), (r, c)  # only formula cells are filled
        lo = theirs[r - 1][c - 1]
        if isinstance(v, float):
            assert lo == pytest.approx(v, abs=1e-9), (r, c, lo, v)
        else:
            assert (lo or "") == v, (r, c, lo, v)
        checked += 1
    assert checked >= 40


def test_without_a_spreadsheet_engine_the_copy_still_has_maaltal(workbook, monkeypatch):
    monkeypatch.setattr(libreoffice, "available", lambda: False)
    copy = kopi.model_of(workbook)
    (page,) = [p for p in copy.pages if p.kind == "maaltal"]
    cells = [c.text for b in page.blocks if isinstance(b, Table) for r in b.body for c in r]
    assert "1.212" in cells  # Fleksjob etableret, the Danish way
    assert not any(t.startswith("=") for t in cells)
    assert any("økonomi" in w for w in copy.warnings)
    warnings: list[str] = []
    filled = fill_values(raw_view(workbook), warnings)
    left = [v for row in filled.sheet("Måltal").grid for v in row if is_formula(v)]
    assert left and not warnings  # the price row, Økonomi and the schedule stay formulas
