"""The Sammenligning sheet (sammenligning.md §6): filled by `xlstatus sammenligning indlaes`
and by Opdater from the folder on Indstillinger; text typed on it kept; bad sources change
nothing."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from legacy_fixtures import small_extract
from typer.testing import CliRunner

from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.cli.app import app
from xlstatus.plan import sammenligning as plan
from xlstatus.plan import tekster
from xlstatus.udtraek.generator import write_extract

DATA = Path(__file__).parent / "data" / "sammenligning"
UDG = "Offentlige udgifter pr. person i arbejdsstyrken"
JP = "Jobparat, kontanthjælp: status 1 måned efter afsluttet forløb"
runner = CliRunner()


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory):
    return write_extract(small_extract(), tmp_path_factory.mktemp("u") / "udtraek", "csv")


@pytest.fixture
def bog(tmp_path):
    path = tmp_path / "Statusskema.xlsx"
    create_workbook(path)
    return path


def indlaes(bog: Path, *args: str):
    return runner.invoke(app, ["sammenligning", "indlaes", str(bog), *args])


def block_rows(ws, title: str) -> dict[str, list]:
    """The block's rows by their text in column A (from the title to Bemærkninger)."""
    rows = [[c.value for c in r] for r in ws.iter_rows(max_col=plan.MAX_COL)]
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    out = {"#header": rows[start + 1]}
    for r in rows[start + 2 :]:
        out[r[0]] = r
        if r[0] == plan.NOTE_LABEL:
            break
    return out


def test_indlaes_fills_the_sheet(bog, udtraek):
    r = indlaes(bog, str(DATA), "--udtraek", str(udtraek), "--maaned", "2024-09")
    assert r.exit_code == 0, r.output
    assert "Arket Sammenligning er opdateret" in r.stdout
    wb = openpyxl.load_workbook(bog)
    ws = wb[tekster.SAMMENLIGNING]
    assert ws["A1"].value == plan.TITLE
    udg = block_rows(ws, UDG)
    assert udg["#header"][:6] == [None, "Hele landet", "RAR Østjylland", "Hedensted",
                                  "Ringkøbing-Skjern", "Forskel"]  # fmt: skip
    assert udg["Ydelsesgrupper i alt"][1:6] == [3053, 3341, 2674, 3085, -411]
    assert udg["Uddannelseshjælp"][1:6] == ["."] * 5  # not in the source: '.'
    row = next(r for r in ws.iter_rows() if r[0].value == "Ydelsesgrupper i alt")
    assert row[3].font.b and not row[1].font.b  # the own municipality bold
    texts = [k for k in udg if isinstance(k, str) and k.startswith(("Kilde:", "Hedensted"))]
    assert texts[0].startswith("Kilde: jobindsats.dk, ptv_a02. Periode: 2023M12.")
    assert texts[1].startswith("Hedensted ligger 379 kr. under Hele landet")
    jp = block_rows(ws, JP)
    assert jp["#header"][5] == "Forskel" and "egne tal (FACIT)" in jp["#header"][6]
    assert jp["A-dagpenge"][4] == "."  # suppressed by jobindsats: '.', never 0
    # j2 ended 30-06-2024 with reason Uddannelse: 100 pct. there, 0 (not '.') elsewhere
    assert jp["Uddannelse"][6] == 100 and jp["Lønmodtagerbeskæftigelse"][6] == 0
    ap = block_rows(ws, "Aktivitetsparat, kontanthjælp: status 1 måned efter afsluttet forløb")
    # k3 ended 15-05-2024 with reason Job, inside sep-23 … aug-24 (12 months before sep-24)
    assert ap["Lønmodtagerbeskæftigelse"][6] == 100.0 and ap["Uddannelse"][6] == 0.0
    assert any(k and str(k).startswith("Egne tal fra FACIT") for k in ap)


def test_typed_text_is_kept(bog):
    assert indlaes(bog, str(DATA)).exit_code == 0
    wb = openpyxl.load_workbook(bog)
    ws = wb[tekster.SAMMENLIGNING]
    note_rows = [r[0].row for r in ws.iter_rows() if r[0].value == plan.NOTE_LABEL]
    ws.cell(note_rows[1], 2).value = "Udgifterne til førtidspension drøftes i juni."
    ws.cell(7, 14).value = "Min egen kolonne"  # after xlstatus's columns
    wb.save(bog)
    # fewer tables now (only the two ptv_a02 ones have data … the layout moves)
    assert indlaes(bog, str(DATA / "ptv_a02.json"), str(DATA / "AUF01.csv")).exit_code == 0
    ws = openpyxl.load_workbook(bog)[tekster.SAMMENLIGNING]
    assert (
        block_rows(ws, UDG)[plan.NOTE_LABEL][1] == "Udgifterne til førtidspension drøftes i juni."
    )
    assert ws.cell(7, 14).value == "Min egen kolonne"


def test_bad_source_changes_nothing(bog):
    before = bog.read_bytes()
    r = indlaes(bog, str(DATA / "fejl" / "fejl_tal.csv"))
    assert r.exit_code == 1 and "fejl_tal.csv" in r.stderr and "12,3,4" in r.stderr
    assert bog.read_bytes() == before


def _set_folder(path: Path, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[tekster.SETTINGS]
    row = next(r for r in ws.iter_rows() if r[0].value == "Sammenligning")
    row[1].value = value
    wb.save(path)


def test_opdater_fills_it_from_the_folder_on_indstillinger(bog, tmp_path):
    folder = tmp_path / "tal"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("fejl", "*.md"))
    _set_folder(bog, "tal")  # relative to the workbook's folder
    book = Arbejdsbog(bog)
    plan_ = book.opdater(small_extract(), date(2024, 9, 1), when=datetime(2024, 10, 2),
                         user="test", allow_old=True)  # fmt: skip
    book.save()
    assert any("Arket Sammenligning er opdateret" in line for line in plan_.report_lines())
    ws = openpyxl.load_workbook(bog)[tekster.SAMMENLIGNING]
    assert block_rows(ws, UDG)["Ydelsesgrupper i alt"][5] == -411
    assert "jan-24" not in str(ws["A2"].value) and "sep-23 – aug-24" in str(ws["A2"].value)


def test_opdater_without_a_folder_leaves_the_sheet_and_says_so_once(bog):
    assert indlaes(bog, str(DATA)).exit_code == 0
    before = [[c.value for c in r] for r in openpyxl.load_workbook(bog)[tekster.SAMMENLIGNING]]
    book = Arbejdsbog(bog)
    months = [date(2024, 8, 1), date(2024, 9, 1)]
    when = datetime(2024, 10, 2)
    plans = book.opdater_maaneder(small_extract(), months, when=when, user="t", allow_old=True)
    book.save()
    lines = [ln for p in plans for ln in p.report_lines() if "Sammenligning" in ln]
    assert lines == [tekster.SAMMENLIGNING_UROERT]
    after = [[c.value for c in r] for r in openpyxl.load_workbook(bog)[tekster.SAMMENLIGNING]]
    assert after == before


# --------------------------------------------------------------------------- live Excel


def _copy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tal"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("fejl", "*.md"))
    return folder


def test_excel_route_writes_what_the_file_route_writes(tmp_path):
    import xlwings as xw
    from legacy_fixtures import USER, WHEN
    from test_excel import _value

    from xlstatus.excel.bog import opdater_book
    from xlstatus.excel.payload import OFFICE_JS, book_payload, replay

    folder = _copy_folder(tmp_path)
    excel_file, cli_file = tmp_path / "Excel.xlsx", tmp_path / "Cli.xlsx"
    for p in (excel_file, cli_file):
        create_workbook(p)
        _set_folder(p, str(folder))
    month = date(2024, 9, 1)
    book = Arbejdsbog(cli_file)
    book.opdater(small_extract(), month, when=WHEN, user=USER, allow_old=True)
    book.save()
    payload = book_payload(excel_file, OFFICE_JS)
    xbook = xw.Book(json=payload)
    run_ = opdater_book(xbook, month, extract=small_extract(), when=WHEN, user=USER)
    assert any("Arket Sammenligning er opdateret" in ln for ln in run_.plan.report_lines())
    rp = replay(xbook.json()["actions"], payload)
    s = rp.names.index(tekster.SAMMENLIGNING)
    actual = {(r, c): _value(cell.value) for (i, r, c), cell in rp.cells.items()
              if i == s and cell.value not in (None, "")}  # fmt: skip
    ws = openpyxl.load_workbook(cli_file)[tekster.SAMMENLIGNING]
    expected = {(c.row, c.column): _value(c.value) for row in ws.iter_rows() for c in row
                if c.value not in (None, "")}  # fmt: skip
    assert actual == expected


def test_lite_reads_only_under_data():
    from xlstatus.excel.sammenligning import lite_folder
    from xlstatus.kerne.errors import WorkbookError

    assert lite_folder("tal") == Path("/data/tal")
    assert lite_folder("/data/tal/2024") == Path("/data/tal/2024")
    assert lite_folder("") is None
    for bad in ("/etc", "../tal", "/data/../etc"):
        with pytest.raises(WorkbookError, match="/data"):
            lite_folder(bad)


def test_server_folder_is_confined(tmp_path, monkeypatch):
    from xlstatus.kerne.errors import WorkbookError
    from xlstatus.server import ENV_SAMMENLIGNING
    from xlstatus.server.sikkerhed import sammenligning_sti

    monkeypatch.delenv(ENV_SAMMENLIGNING, raising=False)
    assert sammenligning_sti("") is None  # no folder set up, none typed: sheet untouched
    with pytest.raises(WorkbookError, match="--sammenligning"):
        sammenligning_sti("tal")
    root = _copy_folder(tmp_path)
    (root / "2024").mkdir()
    monkeypatch.setenv(ENV_SAMMENLIGNING, str(root))
    assert sammenligning_sti("") == root
    assert sammenligning_sti("2024") == (root / "2024").resolve()
    (root / "ud").symlink_to(tmp_path)
    for bad in ("../", "/etc", "ud"):
        with pytest.raises(WorkbookError, match="sammenligningsmappe"):
            sammenligning_sti(bad)


# --------------------------------------------------------------------------- committee copy


@pytest.mark.skipif(not __import__("xlstatus.libreoffice").libreoffice.available(),
                    reason="LibreOffice mangler")  # fmt: skip
def test_committee_copy_has_a_page_per_table_with_a_chart(bog, udtraek):
    from xlstatus.udvalg import kopi
    from xlstatus.udvalg.model import Chart, Heading, Table

    book = Arbejdsbog(bog)
    book.opdater(small_extract(), date(2024, 9, 1), when=datetime(2024, 10, 2), user="t",
                 allow_old=True)  # fmt: skip
    book.save()
    assert indlaes(bog, str(DATA), "--udtraek", str(udtraek), "--maaned", "2024-09").exit_code == 0
    wb, result = kopi.build_copy(bog)
    page = next(p for p in result.model.pages if p.kind == "sammenligning")
    headings = [b.text for b in page.blocks if isinstance(b, Heading)]
    assert UDG in headings and JP in headings
    tables = [b for b in page.blocks if isinstance(b, Table)]
    charts = [b for b in page.blocks if isinstance(b, Chart)]
    assert len(tables) == len(charts) == len(headings)  # a chart per table
    udg = tables[headings.index(UDG)]
    first = [c.text for c in udg.body[0]]
    assert first == ["Ydelsesgrupper i alt", "3.053", "3.341", "2.674", "3.085", "-411"]
    assert udg.body[0][3].bold and not udg.body[0][1].bold  # Hedensted bold
    assert [c.text for c in udg.body[3]][1:] == ["."] * 5 and udg.body[3][1].suppressed
    chart = charts[headings.index(UDG)]
    assert chart.categories == ["Hele landet", "RAR Østjylland", "Hedensted", "Ringkøbing-Skjern"]
    assert chart.series[0].values == [3053, 3341, 2674, 3085] and chart.unit == "kr."
    assert "Sammenligning" in wb.sheetnames
