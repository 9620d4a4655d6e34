"""The workbook file: build (`ny`), Opdater, nothing lost, legacy workbooks, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import typer
from legacy_fixtures import EXTRA_ROW, USER, dump_workbook, legacy_workbook, log_rows, run
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from typer.testing import CliRunner

from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.bygger import build_workbook, create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.cli.arbejdsbog import register
from xlstatus.kerne.errors import WorkbookError
from xlstatus.plan import tekster
from xlstatus.plan.indstillinger import Settings
from xlstatus.skabelonfiler import load_schemas

REFERENCE = Path(__file__).parent / "reference" / "arbejdsbog_golden.json"
MAR, MAJ, SEP = date(2024, 3, 1), date(2024, 5, 1), date(2024, 9, 1)
PROJECT_SHEETS = ["Klar, parat - i job", "Flere i job", "Kompetenceporten", "Jobperronen",
                  "Socialt Frikort"]  # fmt: skip


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return create_workbook(tmp_path / "Statusskema.xlsx")


def cli(*args: str):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, list(args))


# --------------------------------------------------------------------------- building


def test_new_workbook_has_the_familiar_layout(book: Path):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:5] == PROJECT_SHEETS
    assert wb.sheetnames[5:] == ["Overblik", "Vandringer", "Måltal", "Data", "Log",
                                 "Indstillinger", "Vejledning", "_xlstatus"]  # fmt: skip
    assert wb["_xlstatus"].sheet_state == "veryHidden"
    ws = wb["Flere i job"]
    assert ws["A1"].value == "Flere i job"
    assert ws["B4"].value == "Startmåling 10-01-2024"
    months = [ws.cell(4, c).value for c in range(3, 27)]
    assert months[0].date() == date(2024, 2, 1) and months[-1].date() == date(2026, 1, 1)
    assert {ws.cell(4, c).number_format for c in range(3, 27)} == {"[$-406]mmm-yy"}
    assert [ws.cell(4, c).value for c in range(27, 30)] == [
        "Mindste mål August 2024",
        "Mindste mål Januar 2025",
        "Mindste mål Januar 2026",
    ]
    labels = [ws.cell(r, 1).value for r in range(5, 21)]
    assert labels[:3] == ["Målgruppeantal", "Aktivitetsparate kontanthjælpsmodtagere",
                          "Borgere i ressourceforløb"]  # fmt: skip
    row = labels.index("Ressourceforløb - alle") + 5  # first one: løntimer
    assert ws.cell(row, 2).value == "4 (5 pct.)"
    assert (ws.cell(row, 27).value, ws.cell(row, 27).number_format) == (5, '[$-406]0" pct."')
    klar = wb["Klar, parat - i job"]
    varighed = next(r for r in range(5, 15) if str(klar.cell(r, 1).value).startswith("Gennem"))
    assert klar.cell(varighed, 2).value == 18.8
    assert klar.cell(varighed, 2).number_format == '[$-406]0.0"*"'
    texts = [klar.cell(r, 1).value for r in range(1, klar.max_row + 1)]
    assert "*3.kvartal 2023" in texts and "Forklaring:" in texts
    assert texts[1].startswith("Seneste måling: endnu ikke opdateret")


def test_print_setup_landscape_fit_to_width_titles_repeated(book: Path):
    wb = openpyxl.load_workbook(book)
    for name in PROJECT_SHEETS:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$4" and ws.print_title_cols == "$A:$A"
        assert ws.freeze_panes == "C5"


def test_settings_sheet_has_defined_names_and_reads_back(book: Path):
    wb = openpyxl.load_workbook(book)
    for name in ("xlstatus_maaledag", "xlstatus_udtraek", "xlstatus_tolerance_spaend",
                 "xlstatus_tolerance_maal", "xlstatus_diskretion"):  # fmt: skip
        ((sheet, _ref),) = list(wb.defined_names[name].destinations)
        assert sheet == "Indstillinger"
    assert fil.read_view(wb).settings == Settings()


def test_new_refuses_to_replace_an_existing_workbook(book: Path):
    with pytest.raises(WorkbookError, match="findes allerede"):
        create_workbook(book)


# --------------------------------------------------------------------------- golden file


def test_golden_updated_workbook(book: Path):
    """Values, fills, number formats and notes of a small updated workbook against the
    reviewed reference (XLSTATUS_GOLDEN=1 rewrites it — review the diff before committing)."""
    run(book, MAR)
    run(book, SEP)
    got = dump_workbook(book, skip=(tekster.LOG, "Måltal", "Indstillinger", "Vejledning"))
    got.pop("names")  # the Måltal sheet's names are not this reference's business
    if os.environ.get("XLSTATUS_GOLDEN"):
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        REFERENCE.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True),
                             encoding="utf-8")  # fmt: skip
    want = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(got, ensure_ascii=False)) == want


def test_updated_cells_have_value_status_symbol_colour_and_note(book: Path):
    run(book, SEP)
    ws = openpyxl.load_workbook(book)["Flere i job"]
    col = 3 + 7  # sep-24
    red = ws.cell(12, col)  # Antal med virksomhedspraktik: over 30 år -> 0 (0 pct.), Bagud
    assert ws.cell(12, 1).value == "Aktivitetsparate kontanthjælpsmodtagere over 30 år"
    assert red.value == "0 (0 pct.)"
    assert red.number_format == '"✖ "@'
    assert red.fill.fgColor.rgb[-6:] == "FFC7CE" and red.font.color.rgb[-6:] == "9C0006"
    assert red.comment.author == "xlstatus"
    assert red.comment.text.splitlines()[:3] == [
        "✖ Bagud (sep-24)",
        "Forventet: mindst 27,2 pct.",
        "Næste mål: 28 pct. i jan-25",
    ]
    green = ws.cell(6, col)  # Målgruppeantal: aktivitetsparate, 2 (lower is better)
    assert (green.value, green.number_format) == (2, '[$-406]"✔ "#,##0')
    assert green.fill.fgColor.rgb[-6:] == "C6EFCE"
    assert "Forventet: højst 99,6" in green.comment.text
    andel = ws.cell(15, col)  # Delaftale 2: exact share, shown with one decimal
    assert (andel.value, andel.number_format) == (100.0, '[$-406]"✔ "0.0" pct."')
    frikort = openpyxl.load_workbook(book)["Socialt Frikort"]
    plain = frikort.cell(5, col)  # no milestones: no colour, no note
    assert (plain.value, plain.fill.fill_type, plain.comment) == (1, None, None)


def test_data_table_and_log_line(book: Path):
    plan, _ = run(book, MAR)
    wb = openpyxl.load_workbook(book)
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    assert header == ["projekt", "sektion", "label", "maaned", "antal", "population", "vaerdi",
                      "forventet", "naeste_maal", "status"]  # fmt: skip
    (table,) = ws.tables.values()
    assert table.ref == f"A1:J{1 + 39}"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=40)]
    ressource = next(r for r in rows if r[2] == "Ressourceforløb - alle")
    assert ressource[0] == "Flere i job" and ressource[3].date() == MAR
    assert ressource[4:7] == [0, 2, 0.0] and ressource[9] == "Bagud"
    (log,) = log_rows(book)
    assert log[1] == USER and log[2].date() == MAR
    assert log[7] == 39 and log[8] == 0  # cells changed, cells skipped
    assert len(plan.data) == 39


def test_running_the_same_month_twice_gives_the_same_workbook(book: Path):
    run(book, MAR)
    run(book, SEP)
    first = dump_workbook(book)
    plan, _ = run(book, SEP)
    assert plan.cells_changed == 0 and not plan.skipped
    assert dump_workbook(book) == first
    logs = log_rows(book)
    assert len(logs) == 3 and logs[-1][7] == 0


def test_save_keeps_the_previous_version_as_backup(book: Path):
    before = book.read_bytes()
    _, backup = run(book, MAR)
    assert backup == book.with_name("Statusskema.backup.xlsx")
    assert backup.read_bytes() == before
    assert not list(book.parent.glob(".*xlstatus-tmp*"))


# --------------------------------------------------------------------------- nothing is lost


def test_cells_a_person_changed_are_skipped_and_listed_unless_overwrite(book: Path):
    run(book, SEP)
    wb = openpyxl.load_workbook(book)
    ws = wb["Flere i job"]
    ws.cell(6, 10).value = 7  # sep-24, aktivitetsparate (xlstatus wrote 2)
    ws.cell(19, 10).value = "ca. 40 pct."
    manual = wb["Socialt Frikort"]
    manual.cell(11, 10).value = "Høj"  # the manual row
    wb.save(book)
    plan, _ = run(book, SEP)
    assert [(s.sheet, s.cell, s.found) for s in plan.skipped] == [
        ("Flere i job", "J6", 7),
        ("Flere i job", "J19", "ca. 40 pct."),
    ]
    assert ("Socialt Frikort", "Tilfredshed hos virksomheder (målt ved konkrete aktiviteter og "
            "samarbejder)") in plan.manual  # fmt: skip
    report = "\n".join(plan.report_lines())
    assert "Flere i job!J6" in report and "brug --overskriv" in report
    wb = openpyxl.load_workbook(book)
    kept = wb["Flere i job"].cell(6, 10)
    assert kept.value == 7
    assert "indtastet af en person" in kept.comment.text and "beregnede: 2" in kept.comment.text
    assert kept.fill.fgColor.rgb[-6:] == "C6EFCE"  # 7 is still on track (lower is better)
    assert wb["Socialt Frikort"].cell(11, 10).value == "Høj"
    assert log_rows(book)[-1][8] == 2
    plan, _ = run(book, SEP, overwrite=True)
    assert not plan.skipped and len(plan.overwritten) == 2
    wb = openpyxl.load_workbook(book)
    assert wb["Flere i job"].cell(6, 10).value == 2
    assert wb["Socialt Frikort"].cell(11, 10).value == "Høj"  # manual rows: never


def test_a_corrected_earlier_value_is_recoloured(book: Path):
    run(book, MAR)
    wb = openpyxl.load_workbook(book)
    ws = wb["Flere i job"]
    ws.cell(6, 4).value = 150  # mar-24: far above the expected 102 (lower is better)
    wb.save(book)
    run(book, SEP)
    cell = openpyxl.load_workbook(book)["Flere i job"].cell(6, 4)
    assert cell.value == 150 and cell.fill.fgColor.rgb[-6:] == "FFC7CE"
    assert cell.number_format.startswith('[$-406]"✖ "')


def add_user_things(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Flere i job"]
    ws["AF30"] = "Min egen note"
    ws["AF31"] = "=SUM(C6:E6)"
    ws["A40"] = '=HYPERLINK("#Data!A1","Til data")'
    ws["AF30"].comment = Comment("Husk at tjekke marts", "Hanne")
    ws.cell(6, 2).comment = Comment("Startværdi fra jobindsats", "Hanne")
    ws.column_dimensions["AF"].width = 33
    ws.row_dimensions[30].height = 28
    dv = DataValidation(type="list", formula1='"ja,nej"')
    ws.add_data_validation(dv)
    dv.add("AG30")
    mine = wb.create_sheet("Mine tal")
    mine["A1"] = "Egen beregning"
    mine["B2"] = "='Flere i job'!D6*2"
    mine["C3"] = "=Tal"
    mine.sheet_properties.tabColor = "FF0000"
    wb.defined_names["Tal"] = DefinedName("Tal", attr_text="'Mine tal'!$A$1")
    chart = BarChart()
    chart.title = "Mit diagram"
    chart.add_data(Reference(wb["Data"], min_col=7, min_row=1, max_row=10), titles_from_data=True)
    mine.add_chart(chart, "D5")
    wb.save(path)


def check_user_things(path: Path, shift: int = 0) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Flere i job"]
    col = openpyxl.utils.get_column_letter
    af, ag = col(32 + shift), col(33 + shift)
    assert ws[f"{af}30"].value == "Min egen note"
    assert ws[f"{af}30"].comment.text == "Husk at tjekke marts"
    assert ws[f"{af}30"].comment.author == "Hanne"
    assert ws.cell(6, 2).comment.text == "Startværdi fra jobindsats"
    assert ws.column_dimensions[af].width == 33
    assert ws.row_dimensions[30].height == 28
    assert any(str(dv.sqref) == f"{ag}30" for dv in ws.data_validations.dataValidation)
    assert ws["A40"].value.startswith("=HYPERLINK")
    mine = wb["Mine tal"]
    assert mine["A1"].value == "Egen beregning" and mine["C3"].value == "=Tal"
    assert mine.sheet_properties.tabColor.rgb[-6:] == "FF0000"
    assert wb.defined_names["Tal"].attr_text == "'Mine tal'!$A$1"
    assert len(mine._charts) == 1
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


def test_what_a_user_added_survives_an_opdater(book: Path):
    run(book, MAR)
    add_user_things(book)
    run(book, SEP)
    check_user_things(book)
    wb = openpyxl.load_workbook(book)
    assert wb["Flere i job"]["AF31"].value == "=SUM(C6:E6)"
    assert wb["Mine tal"]["B2"].value == "='Flere i job'!D6*2"
    assert wb["Flere i job"].cell(6, 10).value == 2  # and the update happened


def _inject(path: Path, extra: dict[str, bytes], patch: dict[str, tuple[bytes, bytes]]) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in patch:
                old, new = patch[item.filename]
                data = data.replace(old, new, 1)
            dst.writestr(item, data)
        for name, data in extra.items():
            dst.writestr(name, data)
    tmp.replace(path)


def test_parts_openpyxl_would_drop_stop_the_run_before_anything_changes(book: Path):
    shape = (
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
        b'spreadsheetDrawing"><xdr:twoCellAnchor><xdr:sp/></xdr:twoCellAnchor></xdr:wsDr>'
    )
    _inject(
        book,
        {
            "xl/drawings/drawing9.xml": shape,
            "xl/threadedComments/threadedComment1.xml": b"<ThreadedComments/>",
        },
        {},
    )
    before = book.read_bytes()
    with pytest.raises(WorkbookError) as err:
        run(book, MAR)
    text = str(err.value)
    assert "figurer eller tekstfelter" in text and "kommentartråde" in text
    assert "Intet er ændret" in text
    assert book.read_bytes() == before


def test_sparklines_in_a_sheet_stop_the_run(book: Path):
    ext = (
        b'<extLst><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" xmlns:x14="http://'
        b'schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:sparklineGroups/>'
        b"</ext></extLst></worksheet>"
    )
    _inject(book, {}, {"xl/worksheets/sheet2.xml": (b"</worksheet>", ext)})
    with pytest.raises(WorkbookError, match=r"minidiagrammer \(sparklines\) \(arket 'Flere i"):
        run(book, MAR)


# --------------------------------------------------------------------------- locked files


def test_a_workbook_open_in_excel_gives_a_clear_message_and_exit_1(book: Path, tmp_path: Path):
    lock = book.with_name("~$" + book.name)
    name = "Jens Hansen"
    lock.write_bytes(bytes([len(name)]) + name.encode("cp1252") + b" " * 40)
    before = book.read_bytes()
    result = cli("opdater", str(book), "--udtraek", str(tmp_path / "findes-ikke"),
                 "--maaned", "2024-03")  # fmt: skip
    assert result.exit_code == 1
    assert ("Arbejdsbogen Statusskema.xlsx er åben i Excel (låst af Jens Hansen). Luk den og "
            "prøv igen.") in result.output  # fmt: skip
    assert "Traceback" not in result.output
    assert book.read_bytes() == before


def test_a_workbook_open_in_libreoffice_is_refused_too(book: Path):
    book.with_name(f".~lock.{book.name}#").write_text("Mette Holm,pc7,mette,,", "utf-8")
    with pytest.raises(WorkbookError, match=r"åben i LibreOffice \(låst af Mette Holm\)"):
        Arbejdsbog(book)


def test_a_failed_rename_is_a_clear_message(book: Path, monkeypatch):
    def locked(*_args):
        raise PermissionError(13, "Permission denied")

    wb = openpyxl.load_workbook(book)
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(WorkbookError, match="kan ikke gemmes: den er åben i Excel"):
        fil.save_atomic(wb, book)


# --------------------------------------------------------------------------- legacy workbooks


def test_a_workbook_typed_from_the_seed_drafts_is_recognised_and_filled(tmp_path: Path):
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    before = openpyxl.load_workbook(path)
    plan, _ = run(path, MAR)
    assert dict(plan.sheets) == {"Klar parat": "Klar, parat – i job",
                                 "Flere i job": "Flere i job", "Ark3": "Kompetenceporten",
                                 "Jobperronen": "Håndholdt indsats for jobparate "
                                 "kontanthjælpsmodtagere",
                                 "Socialt Frikort": "Unge i job med Socialt Frikort"}  # fmt: skip
    # the report names only the sheets named otherwise than their schema (issue 18)
    recognised = [x.strip() for x in plan.report_lines() if "er genkendt som" in x]
    assert recognised == ["Arket 'Klar parat' er genkendt som 'Klar, parat – i job'.",
                          "Arket 'Ark3' er genkendt som 'Kompetenceporten'."]  # fmt: skip
    assert not plan.inserts and not plan.missing_rows
    assert [(s, label) for s, _, label in plan.unknown_rows] == [
        ("Flere i job", EXTRA_ROW),
        ("Socialt Frikort", "Udkast til statusskema (måles primo måneden)"),
    ]
    wb = openpyxl.load_workbook(path)
    flere = wb["Flere i job"]
    assert flere["D3"].value == "Marts 2024"  # the header stays as typed
    assert flere["D5"].value == 3 and flere["D6"].value == 2  # 'Borgere i  ressourceforløb'
    assert flere["C7"].value == 12 and flere["D7"].value is None  # the unknown row: untouched
    assert wb["Ark3"]["D5"].value == 2  # 'marts' under 'Febr.', year from 'August 2024'
    assert wb["Klar parat"]["D8"].value == 1  # 'Klar, parat – i job akkumuleret.'
    # nothing else changed: every cell outside the filled month column and the legend
    for ws_old in before.worksheets:
        ws = wb[ws_old.title]
        for row in ws_old.iter_rows():
            for c in row:
                if c.column != 4:
                    assert ws.cell(c.row, c.column).value == c.value, (ws.title, c.coordinate)


def test_a_month_without_a_column_gets_one_in_date_order(tmp_path: Path):
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    before = openpyxl.load_workbook(path)
    plan, _ = run(path, MAJ)
    assert {(i.sheet, i.col) for i in plan.inserts} == {
        (s, 6) for s in ("Klar parat", "Flere i job", "Ark3", "Jobperronen", "Socialt Frikort")
    }
    wb = openpyxl.load_workbook(path)
    for ws_old in before.worksheets:
        ws = wb[ws_old.title]
        for row in ws_old.iter_rows():
            for c in row:
                new_col = c.column + 1 if c.column >= 6 else c.column
                assert ws.cell(c.row, new_col).value == c.value, (ws.title, c.coordinate)
        assert ws.column_dimensions["A"].width == 60
    jp = wb["Jobperronen"]
    assert jp["E4"].value == "April 2024" and jp["F4"].value.date() == MAJ
    assert jp["F4"].number_format == "[$-406]mmm-yy"
    assert jp["G4"].value == "..." and jp["H4"].value == "August 2024"
    assert jp["H5"].value == 72  # the milestone moved along with its column
    assert jp["F5"].value == 3  # May's value
    # the next run finds the inserted month and the milestones where they are now
    plan, _ = run(path, MAJ)
    assert not plan.inserts and plan.cells_changed == 0


def test_inserting_a_column_keeps_formulas_names_and_merges_right(tmp_path: Path):
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Klar parat"]
    ws["M4"] = "=SUM(B4:H4)"
    ws.merge_cells("G20:H20")
    ws.merge_cells("B22:C22")
    wb["Flere i job"]["M1"] = "='Klar parat'!H4+'Klar parat'!$B$4"
    wb.defined_names["Maal"] = DefinedName("Maal", attr_text="'Klar parat'!$G$4:$K$4")
    dv = DataValidation(type="list", formula1='"a,b"')
    ws.add_data_validation(dv)
    dv.add("G25")
    wb.save(path)
    run(path, MAJ)
    wb = openpyxl.load_workbook(path)
    ws = wb["Klar parat"]
    assert ws["N4"].value == "=SUM(B4:I4)"
    assert {str(r) for r in ws.merged_cells.ranges} == {"H20:I20", "B22:C22"}
    assert wb["Flere i job"]["N1"].value == "='Klar parat'!I4+'Klar parat'!$B$4"
    assert wb.defined_names["Maal"].attr_text == "'Klar parat'!$H$4:$L$4"
    assert [str(d.sqref) for d in ws.data_validations.dataValidation] == ["H25"]


# --------------------------------------------------------------------------- command line


def test_cli_new_and_update(tmp_path: Path):
    from xlstatus.udtraek.generator import generate, write_extract

    folder = write_extract(generate(faktor=0.05), tmp_path / "udtraek", "csv")
    path = tmp_path / "Skema.xlsx"
    result = cli("ny", str(path), "--udtraek", "udtraek")
    assert result.exit_code == 0, result.output
    assert "Arbejdsbogen er lavet" in result.output
    assert cli("ny", str(path)).exit_code == 1
    result = cli("opdater", str(path), "--maaned", "2024-06")  # extract from Indstillinger
    assert result.exit_code == 0, result.output
    assert "Opdateret jun-24" in result.output and "Skema.backup.xlsx" in result.output
    assert folder.exists()
    assert cli("opdater", str(path), "--maaned", "juni").exit_code == 2


def test_cli_bad_extract_changes_nothing(tmp_path: Path, book: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "forloeb.csv").write_text("cpr;maalgruppe;startdato\n0101801234;Ukendt;x\n",
                                     encoding="utf-8")  # fmt: skip
    before = book.read_bytes()
    result = cli("opdater", str(book), "--udtraek", str(bad), "--maaned", "2024-03")
    assert result.exit_code == 1
    assert "Fejl" in result.output and "Traceback" not in result.output
    assert book.read_bytes() == before


def test_demo_builds_and_updates_every_month(tmp_path: Path):
    result = cli("demo", "--mappe", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    path = tmp_path / "demo" / "Statusskema.xlsx"
    assert "opdateret for 24 måneder (feb-24 – jan-26)" in result.output
    wb = openpyxl.load_workbook(path)
    ws = wb["Flere i job"]
    assert all(ws.cell(6, c).value is not None for c in range(3, 27))
    assert len(log_rows(path)) == 24
    assert wb["Data"].max_row == 1 + 24 * 39
    assert "Seneste måling: jan-26" in ws["A2"].value
    # no personal data anywhere: no CPR-like numbers in any cell
    import re

    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and re.search(r"\b\d{6}-?\d{4}\b", v)), v


def test_build_workbook_without_saving_has_no_personal_data_sheets():
    wb = build_workbook(load_schemas())
    assert "forloeb" not in wb.sheetnames and "udtraek" not in wb.sheetnames


def test_sheet_renamed_by_a_person_is_still_updated(book: Path):
    wb = openpyxl.load_workbook(book)
    wb["Flere i job"].title = "FIJ 2024"
    wb.save(book)
    plan, _ = run(book, MAR)
    assert ("FIJ 2024", "Flere i job") in plan.sheets
    assert openpyxl.load_workbook(book)["FIJ 2024"].cell(6, 4).value == 3
    shutil.copy(book, book.with_name("kopi.xlsx"))


def test_a_macro_workbook_keeps_its_macros(tmp_path: Path):
    wb = build_workbook(load_schemas())
    wb.save(tmp_path / "a.xlsx")
    path = tmp_path / "Bog.xlsm"
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    with zipfile.ZipFile(tmp_path / "a.xlsx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(main, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType='
                    b'"application/vnd.ms-office.vbaProject"/></Types>',
                )
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVBA" Type="http:'
                    b"//schemas.microsoft.com/office/2006/relationships/"
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", b"VBA" * 50)
    run(path, MAR)
    run(path, SEP)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert z.read("xl/vbaProject.bin") == b"VBA" * 50
    assert len(names) == len(set(names))  # no part written twice
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb["Flere i job"].cell(6, 10).comment.author == "xlstatus"
    assert wb["Socialt Frikort"].cell(11, 1).comment is not None
