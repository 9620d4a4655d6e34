"""Måltal in every copy (issue 18, item 4): where the sheet's formulas carry no values,
xlstatus computes them itself – and gets what LibreOffice computes from the same file."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest

from xlstatus import libreoffice
from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.indstillinger import read_price_settings
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


def libreoffice_values(path, tmp_path):
    """The Måltal sheet as LibreOffice computes it (the file recalculated headless)."""
    fresh = libreoffice.convert(path, "xlsx", tmp_path)
    return fil.sheet_view(openpyxl.load_workbook(fresh, data_only=True)["Måltal"]).grid


@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice mangler")
def test_xlstatus_computes_what_libreoffice_computes(workbook, tmp_path):
    raw = next(s for s in raw_view(workbook).sheets if s.name == "Måltal")
    oekonomi = read_price_settings(openpyxl.load_workbook(workbook))
    ours = computed_cells(raw, oekonomi)
    theirs = libreoffice_values(workbook, tmp_path)
    checked = {"tal": 0, "dato": 0, "tekst": 0}
    for (r, c), v in ours.items():
        assert is_formula(raw.grid[r - 1][c - 1]), (r, c)  # only formula cells are filled
        lo = theirs[r - 1][c - 1]
        if isinstance(v, float | int):
            assert lo == pytest.approx(v, abs=1e-6), (r, c, lo, v)
            checked["tal"] += 1
        elif isinstance(v, datetime):
            assert lo == v, (r, c, lo, v)
            checked["dato"] += 1
        else:
            assert (lo or "") == v, (r, c, lo, v)
            checked["tekst"] += 1
    assert checked["tal"] >= 80 and checked["dato"] >= 8 and checked["tekst"] >= 5, checked
    money = next(r for r in range(1, len(raw.grid)) if raw.grid[r - 1][0] == "Økonomi – "
                 "forventet besparelse mod investering (kr.)")  # fmt: skip
    assert any(r > money and c == 10 for r, c in ours)  # Tjent ind is computed


def test_the_copy_needs_no_spreadsheet_engine(workbook, monkeypatch):
    """LibreOffice is not asked (its path is broken here), and Økonomi is in the copy."""
    monkeypatch.setenv("PATH", "/nonexistent")
    copy = kopi.model_of(workbook)
    (page,) = [p for p in copy.pages if p.kind == "maaltal"]
    tables = [b for b in page.blocks if isinstance(b, Table)]
    names = [t.name for t in tables]
    assert any("Økonomi" in n for n in names), names
    oekonomi = next(t for t in tables if "Økonomi" in t.name)
    texts = [c.text for r in oekonomi.body for c in r]
    assert texts[0] and not any(t.startswith("=") for t in texts)
    assert any(re.fullmatch(r"[a-zæø]{3}-\d\d|Ikke i perioden", t) for t in texts)
    prices = [r for t in tables for r in t.body if r[0].text.startswith("Pris pr.")]
    assert prices and any(c.text.replace(".", "").isdigit() for c in prices[0][1:])
    assert not any("økonomi" in w.casefold() for w in copy.warnings), copy.warnings


def test_without_a_spreadsheet_engine_the_copy_still_has_maaltal(workbook, monkeypatch):
    monkeypatch.setattr(libreoffice, "available", lambda: False)
    copy = kopi.model_of(workbook)
    (page,) = [p for p in copy.pages if p.kind == "maaltal"]
    cells = [c.text for b in page.blocks if isinstance(b, Table) for r in b.body for c in r]
    assert "1.212" in cells  # Fleksjob etableret, the Danish way
    assert not any(t.startswith("=") for t in cells)
    warnings: list[str] = []
    filled = fill_values(raw_view(workbook), warnings)  # without the prices
    left = [v for row in filled.sheet("Måltal").grid for v in row if is_formula(v)]
    assert left and not warnings  # the price row, Økonomi and the schedule stay formulas


def test_a_typed_formula_without_an_engine_prints_a_dash_and_says_so(
    workbook, tmp_path, monkeypatch
):
    path = tmp_path / "Statusskema.xlsx"
    wb = openpyxl.load_workbook(workbook)
    wb["Flere i job"]["C6"] = "=2+3"  # saved by openpyxl: the formula without its value
    wb.save(path)
    monkeypatch.setenv("PATH", "/nonexistent")
    copy = kopi.model_of(path)
    assert any("1 celle med en formel, som hverken Excel" in w for w in copy.warnings)
    cells = [c.text for p in copy.pages for b in p.blocks if isinstance(b, Table)
             for r in [*b.header_rows, *b.body] for c in r]  # fmt: skip
    assert not any(t.startswith("=") for t in cells)
