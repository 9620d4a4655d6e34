"""The committee copy as files: plain xlsx, no personal data, suppression, charts, the PDF.

One workbook from the demo pipeline (faktor 1, feb-24 … sep-24) with things a real
workbook may hold (an extract sheet with CPR numbers, xlwings.conf, a hidden sheet, a UDF
formula, a person's note); `xlstatus udvalg` runs once on it (LibreOffice: one recalculation
and one PDF). The suppression tests use a crafted extract and need no LibreOffice.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import typer
from builders import ext, person
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from typer.testing import CliRunner

from xlstatus import libreoffice
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.cli.udvalg import register
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.tid import month_range
from xlstatus.plan.vandringer import default_groups
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udvalg import kopi
from xlstatus.udvalg.diskretion import exempt, sum_groups
from xlstatus.udvalg.plan import count_in_text

CPR = re.compile(r"\d{6}-?\d{4}")
UDF = re.compile(r"xlstatus|xlwings", re.IGNORECASE)
WHEN = datetime(2024, 10, 2, 8, 0)
SCHEMAS = load_schemas()
TITLES = [s.titel for s in SCHEMAS]
MONTHS = month_range(date(2024, 2, 1), date(2024, 9, 1))


def cli(*args: str):
    app = typer.Typer()
    register(app)
    app.command("ingen")(lambda: None)  # a second command keeps `udvalg` a subcommand
    return CliRunner().invoke(app, list(args))


def add_hostile_content(path: Path) -> None:
    """What a real workbook may hold that must never reach the committee."""
    wb = openpyxl.load_workbook(path)
    facit = wb.create_sheet("FACIT-udtræk")
    facit.append(["cpr", "maalgruppe"])
    facit.append(["010190-1234", "A-dagpenge"])
    facit.append([2512851234, "A-dagpenge"])
    conf = wb.create_sheet("xlwings.conf")
    conf.append(["INTERPRETER", "python"])
    raw = wb.create_sheet("Rådata")
    raw.append(["0101901234", "skjult"])
    raw.sheet_state = "hidden"
    ws = wb["Flere i job"]
    ws["AF2"] = '=XLSTATUS_VAERDI("Flere i job";"Aktivitetsparate kontanthjælpsmodtagere")'
    ws["C6"].comment = Comment("Ringet til 010190-1234 om tallet", "Sagsbehandler")
    wb.defined_names["xlwings_udf"] = DefinedName("xlwings_udf", attr_text="'xlwings.conf'!$A$1")
    wb.save(path)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    if not libreoffice.available():
        pytest.skip("LibreOffice mangler")
    folder = tmp_path_factory.mktemp("udvalg")
    path = create_workbook(folder / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    extract = generate(seed=2024, faktor=1)
    for m in MONTHS:
        book.opdater(extract, m, when=WHEN, user="test")
    book.save()
    add_hostile_content(path)
    result = cli("udvalg", str(path), "--ud", str(folder / "ud"))
    assert result.exit_code == 0, result.output
    xlsx = folder / "ud" / "Statusskema_udvalg_2024-09.xlsx"
    return {"result": result, "xlsx": xlsx, "pdf": xlsx.with_suffix(".pdf"), "source": path}


@pytest.fixture(scope="module")
def copy_wb(made):
    return openpyxl.load_workbook(made["xlsx"])


# --------------------------------------------------------------------------- the xlsx


def test_the_command_reports_both_files_in_danish(made):
    out = made["result"].output
    assert "Udvalgets kopi for sep-24 er lavet" in out and "PDF:" in out
    assert "grafer" in out and "skjult af diskretionshensyn" in out
    assert "Rådata" in out  # the person's extra sheet is named as left out
    assert "noter skrevet af medarbejdere er ikke med" in out
    assert made["xlsx"].exists() and made["pdf"].exists()


def test_only_schemas_charts_maaltal_and_the_about_page(copy_wb):
    names = copy_wb.sheetnames
    expected = []
    for s in SCHEMAS:
        expected.append(s.ark)
        if any(r.targeted for r in s.rows):
            expected.append(f"Grafer – {s.ark}"[:31])
    assert names == [*expected, "Overblik", "Vandringer", "Måltal", "Om tallene"]
    assert all(ws.sheet_state == "visible" for ws in copy_wb.worksheets)
    assert not copy_wb.defined_names
    assert copy_wb.properties.creator == "xlstatus"


def test_the_file_is_plain_values_without_macros_links_or_names(made):
    with zipfile.ZipFile(made["xlsx"]) as z:
        names = z.namelist()
        assert not [n for n in names if "vbaProject" in n or "externalLink" in n
                    or "pivot" in n.lower() or n.startswith("customXml")]  # fmt: skip
        types = z.read("[Content_Types].xml").decode()
        assert "macroEnabled" not in types and "spreadsheetml.sheet.main" in types
        workbook = z.read("xl/workbook.xml").decode()
        assert "<definedName" not in workbook or "_xlnm.Print" in workbook
        assert 'state="hidden"' not in workbook and 'state="veryHidden"' not in workbook
        for n in names:
            if n.startswith("xl/worksheets/sheet"):
                assert not re.search(r"<(\w+:)?f[ >/]", z.read(n).decode()), n
            if n.endswith(".rels"):
                assert 'TargetMode="External"' not in z.read(n).decode(), n


def test_no_cpr_like_number_and_no_xlstatus_formula_anywhere(made, copy_wb):
    # every cell, note, header and chart title
    for ws in copy_wb.worksheets:
        assert not CPR.search(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None:
                    continue
                assert not CPR.search(str(v)), (ws.title, cell.coordinate)
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                assert not (isinstance(v, str) and v.startswith("=")), (ws.title, cell.coordinate)
                if cell.comment is not None:
                    assert not CPR.search(cell.comment.text)
                    assert cell.comment.author == "xlstatus"
        for part in (ws.oddHeader, ws.oddFooter):
            for item in (part.left, part.center, part.right):
                assert not CPR.search(item.text or "")
        for chart in ws._charts:
            assert not CPR.search(str(chart.title))
    # every XML part, whatever it holds
    with zipfile.ZipFile(made["xlsx"]) as z:
        for n in z.namelist():
            text = z.read(n).decode("utf-8", errors="replace")
            assert not CPR.search(text), n
            if n.startswith("xl/worksheets/") or n == "xl/workbook.xml":
                assert not re.search(r"<f[^>]*>[^<]*(xlstatus|xlwings)", text, re.I), n
    assert not CPR.search(libreoffice.pdf_text(made["pdf"], layout=False))


def test_a_udf_without_the_add_in_never_prints_an_error(made, copy_wb):
    for ws in copy_wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert not str(cell.value or "").startswith("#"), (ws.title, cell.coordinate)
    assert "#NAME" not in libreoffice.pdf_text(made["pdf"])
    assert "vises som '–' i kopien" in made["result"].output  # the person is told


def header_row(ws) -> int:
    """The schema table's header row on a copy's page (the row with the month labels)."""
    cols = range(2, ws.max_column + 1)
    return next(r for r in range(1, ws.max_row + 1)
                if any(ws.cell(r, c).value == "sep-24" for c in cols))  # fmt: skip


def test_colours_symbols_legend_and_the_month_are_kept(copy_wb):
    ws = copy_wb["Flere i job"]
    header = header_row(ws)
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    col = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    sep = col["sep-24"]
    cell = ws.cell(rows["Borgere i ressourceforløb"], sep)
    assert isinstance(cell.value, int)
    assert cell.fill.fgColor.rgb[-6:] in ("C6EFCE", "FFEB9C", "FFC7CE")
    assert cell.number_format.startswith('[$-406]"') and cell.number_format[8] in "✔●✖"
    assert cell.comment is None  # no notes: the PDF has no annotations either
    assert ws.cell(2, 1).value.startswith("Måling: sep-24 (status primo måneden, måledag 1).")
    texts = [str(ws.cell(r, 1).value or "") for r in range(1, ws.max_row + 1)]
    assert "Forklaring:" in texts
    legend = texts.index("Forklaring:") + 1
    assert [ws.cell(legend + 1, c).value for c in (1, 2, 3)] == [
        "✔ På sporet",
        "● Lidt bagud",
        "✖ Bagud",
    ]
    assert any(t.startswith("'.' = færre end 5 personer") for t in texts)
    assert any("Grafer – Flere i job" in t for t in texts)
    assert "okt-24" not in col  # months after the copy's month are not in it
    assert ws.oddHeader.center.text.endswith("Flere i job")
    assert "Måling sep-24" in ws.oddHeader.right.text
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"


def test_no_small_count_is_shown_and_no_hidden_part_is_recoverable(copy_wb):
    for s in SCHEMAS:
        ws = copy_wb[s.ark]
        rows = {}
        section = ""
        for r in range(header_row(ws) + 1, ws.max_row + 1):
            label = ws.cell(r, 1).value
            if label in s.sections:
                section = label
            for row in s.rows:
                if row.label == label and row.sektion in (section, ""):
                    rows[row.key] = (row, r)
        for c in range(2, ws.max_column + 1):
            shown: dict = {}
            for key, (row, r) in rows.items():
                v = ws.cell(r, c).value
                if exempt(row) or v is None:
                    continue
                n = count_in_text(v) if row.fmt == "antal_andel" else v
                if isinstance(n, int | float) and row.fmt in ("antal", "antal_andel"):
                    assert not 0 < n < 5, (s.ark, row.label, c, v)
                shown[key] = v
            for g in sum_groups(s):
                if g.total in shown and shown[g.total] != ".":
                    gone = [p for p in g.parts if shown.get(p) == "."]
                    assert len(gone) != 1, (s.ark, c)


def test_one_native_chart_per_targeted_row_or_a_sentence_instead(copy_wb):
    for s in SCHEMAS:
        targeted = [r for r in s.rows if r.targeted]
        name = f"Grafer – {s.ark}"[:31]
        if not targeted:
            assert name not in copy_wb.sheetnames
            continue
        ws = copy_wb[name]
        empty = [c for row in ws.iter_rows() for c in row if "ingen graf" in str(c.value or "")]
        assert len(ws._charts) + len(empty) == len(targeted)
        heads = [str(ws.cell(r, c).value) for r in range(1, ws.max_row + 1)
                 for c in range(1, ws.max_column + 1)]  # fmt: skip
        for row in targeted:  # the title without a unit the chart states anyway
            label = re.sub(r"\s*\((uger|pct\.|personer)\)$", "", row.label)
            assert any(label in h for h in heads), row.label
        assert ws.print_area and ws.oddHeader.center.text.endswith(s.titel.replace("&", "&&"))


# --------------------------------------------------------------------------- the PDF


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)",
                                                        out)]  # fmt: skip


def test_pdf_pages_are_a4_landscape_with_the_header_and_page_numbers(made, copy_wb):
    sizes = page_sizes(made["pdf"])
    pages = libreoffice.pdf_text(made["pdf"]).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(sizes) == len(pages) >= len(copy_wb.sheetnames)
    assert all(abs(w - 841.9) < 2 and abs(h - 595.3) < 2 for w, h in sizes)
    for i, page in enumerate(pages, start=1):
        assert "Måling sep-24" in page and f"Side {i} af {len(pages)}" in page, i
    headings = [next(line.strip() for line in p.split("\n")[1:] if line.strip()) for p in pages]
    maaltal = headings.count("Måltal")  # the line under the running header
    assert 2 <= maaltal <= 5  # readable type: the tables get the pages they need


def test_the_copy_is_print_ready(made, copy_wb):
    """Issue 18, item 3: nothing for the screen or for editing, Danish numbers, one
    wording for months, the sign after the status symbol, no word broken inside."""
    text = libreoffice.pdf_text(made["pdf"])
    flat = " ".join(text.split())
    for screen in ("Hold musen", "klik", "Klik", "skrives om ved hver Opdater", "Ret tallene",
                   "pladsholdertal", "Skal udfyldes af jer", "Kør Opdater"):  # fmt: skip
        assert screen not in flat, screen
    assert not re.search(r"-\s*[✔●✖]", flat)  # "✖ -2,7 pct.", never "-✖ 2,7"
    assert not re.search(r"\b(Januar|Februar|Marts|August|September) 20\d\d", flat)
    assert re.search(r"\b\d\.\d{3}\b", flat)  # thousands with a point: 1.212
    for ws in copy_wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                printed = openpyxl.utils.range_boundaries(
                    ws.print_area.split("!")[-1].replace("$", "")
                )
                if not isinstance(cell.value, str) or cell.column > printed[2]:
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                merged = any(cell.coordinate in m for m in ws.merged_cells.ranges)
                longest = max((len(w) for w in cell.value.split()), default=0)
                assert merged or longest <= width + 0.5, (ws.title, cell.coordinate, cell.value)


def test_vandringer_and_tidlig_varsling_pages_are_in_the_pdf(made, copy_wb):
    text = libreoffice.pdf_text(made["pdf"])
    assert "Overblik – tidlig varsling" in text and "Næste mål" in text
    for group in default_groups(SCHEMAS):
        assert f"{group}: kom fra" in text or group in text
    assert "Kom fra" in text and "Gik til" in text


def test_pdf_text_has_every_title_the_month_and_values(made, copy_wb):
    pages = libreoffice.pdf_text(made["pdf"]).split("\f")
    text = "\n".join(pages)
    for title in TITLES:
        assert title in " ".join(text.split()), title
    ws = copy_wb["Klar, parat - i job"]
    head = header_row(ws)
    sep = next(c for c in range(1, ws.max_column + 1) if ws.cell(head, c).value == "sep-24")
    assert str(ws.cell(head + 1, sep).value) in pages[0]
    for month in ("maj-24", "sep-24"):
        assert month in text
    assert "May-24" not in text and "Sep-24" not in text
    assert "Forklaring:" in text and "Om tallene" in text


# --------------------------------------------------------------------------- crafted extract


def crafted_extract():
    """32 a-dagpenge receivers, 2 of them in the a-kasse; 20 young people with a Socialt
    Frikort, 8 working 1-5 hours a week and 3 working 6-10."""
    forloeb = [person(f"a{i:02d}", maalgruppe="A-dagpenge", startdato="01-01-2023")
               for i in range(30)]  # fmt: skip
    forloeb += [person(f"n{i}", maalgruppe="A-dagpenge", startdato="15-02-2024") for i in range(2)]
    forloeb.append(person("k1", maalgruppe="Kontanthjælp jobparat", startdato="01-01-2023"))
    markeringer = [{"cpr": f"s{i:02d}", "markering": "SOCIALT-FRIKORT", "startdato": "01-01-2024"}
                   for i in range(20)]  # fmt: skip
    loentimer = [{"cpr": f"s{i:02d}", "maaned": "01-03-2024", "timer": 10.0} for i in range(8)]
    loentimer += [{"cpr": f"s{i:02d}", "maaned": "01-03-2024", "timer": 30.0}
                  for i in range(8, 11)]  # fmt: skip
    return ext(forloeb=forloeb, markeringer=markeringer, loentimer=loentimer, tilbud=[],
               virksomheder=[])  # fmt: skip


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lille")
    path = create_workbook(folder / "Lille.xlsx")
    book = Arbejdsbog(path)
    for m in (date(2024, 4, 1), date(2024, 5, 1)):
        book.opdater(crafted_extract(), m, when=WHEN, user="test", allow_old=True)
    del book.wb["Måltal"]  # no formulas: no LibreOffice needed for these tests
    book.save()
    # the workbook's own Udtræk setting: a copy of apr-24 computes its analyses from it
    udtraek = write_extract(crafted_extract(), folder / "udtraek", "csv")
    wb = openpyxl.load_workbook(path)
    ws = wb["Indstillinger"]
    r = next(
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("Udtræk")
    )
    ws.cell(r, 2).value = str(udtraek)
    wb.save(path)
    return path


def values(wb, sheet: str, month: str) -> dict[str, object]:
    """The copy's column of `month` ('apr-24'): row label -> value ({} when not there)."""
    ws = wb[sheet]
    for r in range(1, ws.max_row + 1):
        cols = [c for c in range(1, ws.max_column + 1) if ws.cell(r, c).value == month]
        if cols:
            return {
                ws.cell(x, 1).value: ws.cell(x, cols[0]).value for x in range(r + 1, ws.max_row + 1)
            }
    return {}


def test_suppression_on_a_crafted_extract(crafted):
    wb, result = kopi.build_copy(crafted, date(2024, 4, 1))
    klar = values(wb, "Klar, parat - i job", "apr-24")
    assert klar["Antal a-dagpengemodtagere i alt (personer)"] == 32
    assert klar["Antal a-dagpengemodtagere med kontaktforløb i a-kassen"] == "."  # 2: primary
    # 30 = 32 - 2 would give the 2 away: hidden too
    assert klar["Antal a-dagpengemodtagere med kontaktforløb i jobcentret (personer)"] == "."
    frikort = values(wb, "Socialt Frikort", "apr-24")
    assert frikort["Antal unge med Socialt Frikort"] == 20
    assert frikort["Antal/andel med løntimer"] == "11 (55 pct.)"
    assert frikort["6-10 lønnede timer pr. uge"] == "."  # 3: primary
    assert frikort["1-5 lønnede timer pr. uge"] == "."  # 8: else 11 - 8 - 0 = 3
    assert frikort["Over 10 lønnede timer pr. uge"] == "0 (0 pct.)"
    assert result.hidden >= 4
    ws = wb["Socialt Frikort"]
    hidden = next(c for row in ws.iter_rows() for c in row if c.value == ".")
    assert hidden.comment is None and hidden.fill.fill_type is None


def test_an_earlier_month_empties_the_later_ones(crafted):
    wb, result = kopi.build_copy(crafted, date(2024, 4, 1))
    assert result.maaned == date(2024, 4, 1)
    assert values(wb, "Klar, parat - i job", "maj-24") == {}  # a later month is not in it
    latest, _ = kopi.build_copy(crafted)
    assert _.maaned == date(2024, 5, 1)
    assert values(latest, "Klar, parat - i job", "maj-24")[
        "Antal a-dagpengemodtagere i alt (personer)"] == 32  # fmt: skip


def test_threshold_zero_hides_nothing(crafted, tmp_path):
    wb = openpyxl.load_workbook(crafted)
    ws = wb["Indstillinger"]
    r = next(r for r in range(1, ws.max_row + 1)
             if ws.cell(r, 1).value == "Diskretionsgrænse (antal)")  # fmt: skip
    ws.cell(r, 2).value = 0
    path = tmp_path / "Nul.xlsx"
    wb.save(path)
    copy, result = kopi.build_copy(path, date(2024, 4, 1))
    klar = values(copy, "Klar, parat - i job", "apr-24")
    assert klar["Antal a-dagpengemodtagere med kontaktforløb i a-kassen"] == 2
    assert result.hidden == 0


def test_a_cpr_number_in_a_schema_sheet_stops_the_copy(crafted, tmp_path):
    wb = openpyxl.load_workbook(crafted)
    wb["Flere i job"]["A40"] = "Spørg om 010190-1234"
    path = tmp_path / "Cpr.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError, match=r"ligner et CPR-nummer.*'Flere i job'!A40"):
        kopi.save_copy(path, ud=tmp_path / "ud", pdf=False)
    assert not (tmp_path / "ud").exists() or not list((tmp_path / "ud").iterdir())


def test_danish_errors_and_exit_code_1(crafted, tmp_path):
    result = cli("udvalg", str(tmp_path / "nej.xlsx"))
    assert result.exit_code == 1 and "findes ikke" in result.output
    result = cli("udvalg", str(crafted), "--maaned", "2025-03")
    assert result.exit_code == 1
    assert "ingen tal for mar-25" in result.output and "Seneste måling er maj-24" in result.output
    result = cli("udvalg", str(crafted), "--maaned", "marts")
    assert result.exit_code == 2


def test_the_output_name_and_folder(tmp_path):
    src = tmp_path / "Bog.xlsm"
    assert kopi.output_paths(src, date(2024, 9, 1), None) == (
        tmp_path / "Bog_udvalg_2024-09.xlsx",
        tmp_path / "Bog_udvalg_2024-09.pdf",
    )
    assert kopi.output_paths(src, date(2024, 9, 1), tmp_path / "x" / "Kopi.xlsx")[1] == (
        tmp_path / "x" / "Kopi.pdf"
    )
