"""Backfill (`--fra`): many months in one pass give exactly the figures of month-by-month runs,
on the command line (CSV) and in the workbook's cells."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import opdater_fil, opdater_fil_maaneder
from xlstatus.cli.app import COLUMNS, app
from xlstatus.kerne.tid import month_key, month_range
from xlstatus.plan.indstillinger import Settings
from xlstatus.udtraek.generator import generate, write_extract

runner = CliRunner()
# across a year end: the Måltal sheet's period (year to date) changes within the span
MONTHS = month_range(date(2024, 11, 1), date(2025, 3, 1))
WHEN = datetime(2025, 4, 2, 9, 30)


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    return write_extract(generate(), tmp_path_factory.mktemp("fyld") / "udtraek", "csv")


def csv_rows(*args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["indikatorer", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))


def test_indikatorer_fra_equals_month_by_month_csv(udtraek: Path):
    first, last = month_key(MONTHS[0]), month_key(MONTHS[-1])
    together = csv_rows(
        "--udtraek", str(udtraek), "--fra", first, "--maaned", last, "--maaledag", "10"
    )
    one_by_one = [
        r
        for m in MONTHS
        for r in csv_rows("--udtraek", str(udtraek), "--maaned", month_key(m), "--maaledag", "10")
    ]
    assert list(together[0]) == COLUMNS
    assert len(together) == 39 * len(MONTHS)
    assert together == one_by_one
    assert [r["maaned"] for r in together[::39]] == [month_key(m) for m in MONTHS]


def test_indikatorer_fra_after_maaned_is_a_usage_error(udtraek: Path):
    result = runner.invoke(
        app, ["indikatorer", "--udtraek", str(udtraek), "--fra", "2025-04", "--maaned", "2025-03"]
    )
    assert result.exit_code == 2
    assert "--fra" in result.stderr and "Ugyldig værdi" in result.stderr


def cells(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cells (value, number format, fill, comment) except the Log's run times."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            for c in row:
                if ws.title == "Log" and c.column == 1 and c.row > 1:
                    continue  # Tidspunkt
                if c.value is None and c.comment is None:
                    continue
                rows.append(
                    (
                        c.coordinate,
                        c.value,
                        c.number_format,
                        c.fill.fgColor.rgb,
                        c.comment.text if c.comment else None,
                    )
                )
        out[ws.title] = rows
    return out


def test_opdater_fra_gives_the_workbook_of_month_by_month_runs(tmp_path: Path, udtraek: Path):
    one, many = tmp_path / "en" / "Statusskema.xlsx", tmp_path / "alle" / "Statusskema.xlsx"
    for path in (one, many):
        path.parent.mkdir()
        create_workbook(path, Settings(udtraek=str(udtraek)))
    for m in MONTHS:
        opdater_fil(one, udtraek, m, when=WHEN, user="test")
    plans, backup = opdater_fil_maaneder(
        many, MONTHS[0], MONTHS[-1], udtraek, when=WHEN, user="test"
    )
    assert [p.month for p in plans] == MONTHS and backup is not None
    assert sum(p.cells_written for p in plans) == 39 * len(MONTHS)
    a, b = cells(one), cells(many)
    assert a.keys() == b.keys()
    for sheet in a:
        assert a[sheet] == b[sheet], sheet


def edit_a_computed_cell(path: Path) -> str:
    """A person types over one computed number on the first sheet; returns its address."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cell = next(
        c
        for row in ws.iter_rows(min_row=5)
        for c in row
        if isinstance(c.value, int) and c.value > 0 and c.column > 3
    )
    cell.value = 999
    wb.save(path)
    return cell.coordinate


def test_a_second_backfill_over_edited_cells_equals_month_by_month(tmp_path: Path, udtraek: Path):
    one, many = tmp_path / "en" / "Statusskema.xlsx", tmp_path / "alle" / "Statusskema.xlsx"
    for path in (one, many):
        path.parent.mkdir()
        create_workbook(path, Settings(udtraek=str(udtraek)))
    for m in MONTHS:
        opdater_fil(one, udtraek, m, when=WHEN, user="test")
    opdater_fil_maaneder(many, MONTHS[0], MONTHS[-1], udtraek, when=WHEN, user="test")
    assert edit_a_computed_cell(one) == edit_a_computed_cell(many)
    skipped = [len(opdater_fil(one, udtraek, m, when=WHEN, user="test")[0].skipped) for m in MONTHS]
    plans, _ = opdater_fil_maaneder(many, MONTHS[0], MONTHS[-1], udtraek, when=WHEN, user="test")
    assert [len(p.skipped) for p in plans] == skipped and sum(skipped) == 1
    a, b = cells(one), cells(many)
    for sheet in a:
        assert a[sheet] == b[sheet], sheet


def test_cli_opdater_fra_fills_every_month_in_one_run(tmp_path: Path, udtraek: Path):
    path = tmp_path / "Statusskema.xlsx"
    create_workbook(path, Settings())
    result = runner.invoke(
        app,
        [
            "opdater",
            str(path),
            "--udtraek",
            str(udtraek),
            "--fra",
            "2024-02",
            "--maaned",
            "2024-07",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Opdateret 6 måneder (feb-24 – jul-24)" in result.stdout
    data = openpyxl.load_workbook(path)["Data"]
    months = {r[3].value for r in data.iter_rows(min_row=2) if r[3].value is not None}
    assert {m.date() if isinstance(m, datetime) else m for m in months} == set(
        month_range(date(2024, 2, 1), date(2024, 7, 1))
    )
    bad = runner.invoke(
        app,
        [
            "opdater",
            str(path),
            "--udtraek",
            str(udtraek),
            "--fra",
            "2024-08",
            "--maaned",
            "2024-07",
        ],
    )
    assert bad.exit_code == 2 and "--fra" in bad.stderr
