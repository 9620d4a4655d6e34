"""One month throughout (issue 18, item 2) and a typed-over value marked (item 3).

A workbook updated for apr-24 and maj-24 and then rerun for apr-24 (a correction) holds
analyses of apr-24 beside schemas of maj-24. The copy for maj-24 computes Overblik,
Vandringer and the Prognose column for maj-24 from the extract – the same as a workbook
whose last run was maj-24 shows – or stops with a Danish message naming both months."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.cli.udvalg import register
from xlstatus.kerne.errors import WorkbookError
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udvalg import kopi
from xlstatus.udvalg.model import TYPED_FOOTNOTE, Table

WHEN = datetime(2024, 6, 3, 8, 0)
APR, MAJ = date(2024, 4, 1), date(2024, 5, 1)


def cli(*args: str):
    app = typer.Typer()
    register(app)
    app.command("ingen")(lambda: None)
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("maaned")
    extract = generate(seed=7, faktor=0.05)
    udtraek = write_extract(extract, folder / "udtraek", "csv")
    path = create_workbook(folder / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    for m in (APR, MAJ):
        book.opdater(extract, m, when=WHEN, user="test", allow_old=True)
    del book.wb["Måltal"]
    book.save()
    fresh = folder / "Frisk.xlsx"  # its last run is maj-24: the analyses are maj-24's
    shutil.copy(path, fresh)
    book = Arbejdsbog(path)
    book.opdater(extract, APR, when=WHEN, user="test", allow_old=True)  # a correction rerun
    book.save()
    return {"mixed": path, "fresh": fresh, "udtraek": udtraek}


def pages(copy) -> dict[str, object]:
    return {p.sheet: p for p in copy.pages}


def texts(page) -> list[list[str]]:
    return [[c.text for c in row] for b in page.blocks if isinstance(b, Table) for row in b.body]


def test_analyses_of_another_month_stop_the_copy_with_both_months_named(books):
    with pytest.raises(WorkbookError) as err:
        kopi.model_of(books["mixed"])
    message = str(err.value)
    assert "apr-24" in message and "maj-24" in message
    assert "Klik Opdater for maj-24 først" in message and "--udtraek" in message
    result = cli("udvalg", str(books["mixed"]), "--ud", str(books["mixed"].parent / "ud"))
    assert result.exit_code == 1 and "Klik Opdater for maj-24 først" in result.output
    assert not (books["mixed"].parent / "ud").exists()  # nothing made


def test_with_the_extract_the_analyses_are_computed_for_the_copys_month(books):
    mixed = pages(kopi.model_of(books["mixed"], udtraek=books["udtraek"]))
    fresh = pages(kopi.model_of(books["fresh"]))
    for name in ("Overblik", "Vandringer"):
        first = mixed[name].blocks[0]
        assert first.text.startswith("Måling: maj-24"), (name, first.text)
        assert texts(mixed[name]) == texts(fresh[name]), name
    for name, page in fresh.items():  # the Prognose column too: every schema page
        if page.kind == "skema":
            assert texts(mixed[name]) == texts(page), name
    result = cli("udvalg", str(books["mixed"]), "--udtraek", str(books["udtraek"]),
                 "--ud", str(books["mixed"].parent / "ud2"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "beregnet for maj-24 fra udtrækket" in result.output


def test_a_value_typed_over_the_computed_one_is_marked(books, tmp_path):
    path = tmp_path / "Rettet.xlsx"
    shutil.copy(books["fresh"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Flere i job"]
    may = datetime(2024, 5, 1)
    head = next(r for r in range(1, 20) if any(ws.cell(r, c).value == may for c in range(1, 60)))
    col = next(c for c in range(1, 60) if ws.cell(head, c).value == may)
    row = next(r for r in range(head, ws.max_row + 1)
               if ws.cell(r, 1).value == "Borgere i ressourceforløb")  # fmt: skip
    cell = ws.cell(row, col)
    assert isinstance(cell.value, int) and cell.value != 999
    cell.value = 999
    wb.save(path)
    copy = kopi.model_of(path)
    page = pages(copy)["Flere i job"]
    typed = [c for b in page.blocks if isinstance(b, Table) for r in b.body for c in r if c.typed]
    assert [c.text.split()[-1] for c in typed] == ["999*"]
    assert typed[0].text[0] in "✔●✖"  # still judged, by the typed value
    notes = [b.text for b in page.blocks if getattr(b, "style", "") == "footnote"]
    assert TYPED_FOOTNOTE in notes and TYPED_FOOTNOTE in copy.footnotes
    untyped = pages(kopi.model_of(books["fresh"]))["Flere i job"]
    assert TYPED_FOOTNOTE not in [getattr(b, "text", "") for b in untyped.blocks]


def test_the_file_route_makes_files_named_by_the_month(books, tmp_path):
    made = kopi.save_copy(books["fresh"], ud=tmp_path, pdf=False)
    assert made.xlsx == Path(tmp_path / "Frisk_udvalg_2024-05.xlsx") and made.pdf is None
    assert made.model is not None and made.model.month == MAJ
