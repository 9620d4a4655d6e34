"""The Måltal sheet: formulas LibreOffice recalculates, edits, settings, update, CLI."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import typer
from builders import ext
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from xlstatus.arbejdsbog.indstillinger import read_price_settings, write_price_settings
from xlstatus.arbejdsbog.maaltal import (
    read_maaltal_sheet,
    update_maaltal_sheet,
    write_maaltal_sheet,
)
from xlstatus.cli.maaltal import register
from xlstatus.kerne.errors import TemplateError
from xlstatus.kerne.maaltal import (
    Periode,
    actual_vs_target,
    default_period,
    maalepunkter,
    project_matrix,
    savings,
    typed_total_mismatches,
)
from xlstatus.plan.indstillinger import MUST_FILL, N_COSTS, N_PRICES, N_START, SETTING_NAMES
from xlstatus.plan.maaltal import FLAG_TEXT, MARK_ACTUAL, MARK_MATRIX, MARK_MONEY, NOT_REACHED
from xlstatus.skabelonfiler import load_maaltal

SOFFICE = shutil.which("soffice")
TOTALS = [649, 433, 385, 1212, 58]


# --------------------------------------------------------------------------- helpers


def new_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = "Oversigt"
    write_maaltal_sheet(wb)
    return wb


def marker(ws: Worksheet, text: str) -> int:
    return next(
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith(text)
    )


def total_rows(ws: Worksheet) -> list[int]:
    end = marker(ws, MARK_MATRIX)
    return [r for r in range(1, end) if ws.cell(r, 3).value == "I alt"]


def line_row(ws: Worksheet, text: str, kind: str = "basis") -> int:
    return next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 2).value == text and ws.cell(r, 3).value == kind
    )


def block(ws: Worksheet, mark: str, header: str, ncols: int) -> dict[str, list]:
    """Rows of a block under `mark`: first column -> the next ncols values."""
    r = marker(ws, mark)
    while ws.cell(r, 1).value != header:
        r += 1
    out: dict[str, list] = {}
    r += 1
    while ws.cell(r, 1).value not in (None, ""):
        out.setdefault(str(ws.cell(r, 1).value), [ws.cell(r, c).value for c in range(2, 2 + ncols)])
        r += 1
    return out


def actual_block(ws: Worksheet) -> dict[str, list]:
    """Linje -> [Mål, Målgrupper, Faktisk, Forskel, Status]."""
    r = marker(ws, MARK_ACTUAL)
    while ws.cell(r, 1).value != "Gruppe":
        r += 1
    out = {}
    r += 1
    while ws.cell(r, 1).value not in (None, ""):
        out[ws.cell(r, 2).value] = [ws.cell(r, c).value for c in range(3, 8)]
        r += 1
    return out


def snapshot(ws: Worksheet) -> list[tuple]:
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None or c.fill.fgColor.rgb not in (None, "00000000"):
                cells.append(
                    (
                        c.coordinate,
                        c.value,
                        c.fill.fgColor.rgb,
                        c.font.color and c.font.color.rgb,
                        c.number_format,
                    )
                )
    return cells


def recalc(paths: list[Path], out: Path, profile: Path) -> dict[str, openpyxl.Workbook]:
    """Let LibreOffice recalculate every formula and return the values it computed."""
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return {p.stem: openpyxl.load_workbook(out / p.name, data_only=True) for p in paths}


def hand_extract():
    """Period 1-20 Jan 2025 (20 days): Sygedagpenge 2 persons all days + 1 person 10 days."""
    rows = [
        ("A", "Sygedagpenge", "01-12-2024", None),
        ("B", "Sygedagpenge", "01-01-2025", "31-01-2025"),
        ("C", "Sygedagpenge", "11-01-2025", "25-01-2025"),
        ("D", "Ressourceforløb", "15-12-2024", "05-01-2025"),
    ]
    keys = ("cpr", "maalgruppe", "startdato", "slutdato")
    return ext(forloeb=[dict(zip(keys, r, strict=True)) for r in rows])


PERIOD = Periode(date(2025, 1, 1), date(2025, 1, 20))


# --------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def lo(tmp_path_factory) -> dict[str, openpyxl.Workbook]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    tmp = tmp_path_factory.mktemp("maaltal_lo")
    paths = []

    plain = new_workbook()
    paths.append(tmp / "skabelon.xlsx")
    plain.save(paths[-1])

    edited = new_workbook()
    ws = edited["Måltal"]
    ws.cell(line_row(ws, "Sygedagpenge"), 5).value = 660  # 650 -> 660, as a person types it
    ws.cell(line_row(ws, "Uddannelseshjælp"), 5).value = "=238+2"  # a typed formula
    paths.append(tmp / "rettet.xlsx")
    edited.save(paths[-1])

    priced = new_workbook()
    s = priced["Indstillinger"]
    for row in s.iter_rows():
        if row[0].value == "Ressourceforløb":
            row[1].value = 200_000
        if row[0].value == "Flere i job":
            row[1].value = 1_200_000
    paths.append(tmp / "priser.xlsx")
    priced.save(paths[-1])

    updated = new_workbook()
    update_maaltal_sheet(updated, hand_extract(), date(2025, 2, 1), PERIOD)
    paths.append(tmp / "opdateret.xlsx")
    updated.save(paths[-1])

    books = recalc(paths, tmp / "ud", tmp / "lo_profile")
    books["_formler"] = {p.stem: openpyxl.load_workbook(p) for p in paths}  # type: ignore[assignment]
    return books


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_seeds_totals(lo):
    ws = lo["skabelon"]["Måltal"]
    rows = total_rows(ws)
    assert [ws.cell(r, 6).value for r in rows] == TOTALS  # Sum af linjer (formula)
    assert [ws.cell(r, 5).value for r in rows] == TOTALS  # the printed totals
    assert [ws.cell(r, 7).value for r in rows] == ["OK"] * 5


@pytest.mark.libreoffice
def test_libreoffice_matrix_sums_match_python(lo):
    ws = lo["skabelon"]["Måltal"]
    m = load_maaltal()
    matrix = project_matrix(m)
    got = block(ws, MARK_MATRIX, "Projekt", len(matrix.columns))
    for project in matrix.index:
        assert got[project] == matrix.loc[project].tolist(), project
    assert got["Kompetenceporten"][-1] == -5
    assert got["Unge i job med Socialt Frikort"][-1] == 0
    assert got["Håndholdt indsats for jobparate kontanthjælpsmodtagere"][-1] == -15
    assert got["Flere i job"][-1] == -6
    prices = got["Pris pr. fuldtidsperson pr. år (kr., fra Indstillinger)"][:5]
    assert prices == [130_000, 95_000, 130_000, 120_000, 140_000]
    targets = {k: v[0] for k, v in actual_block(ws).items()}
    assert targets == {p.tekst: p.maal for p in maalepunkter(m)}


@pytest.mark.libreoffice
def test_libreoffice_money_matches_python(lo):
    ws = lo["skabelon"]["Måltal"]
    calc = savings(load_maaltal())
    got = block(ws, MARK_MONEY, "Projekt", 9)
    for p in [*calc.projekter, calc.total]:
        row = got[p.projekt]
        assert row[0] == p.effekt_i_alt
        assert row[1] == pytest.approx(p.aarlig_besparelse)
        assert row[5] == pytest.approx(p.udgift_i_alt)
        assert row[6] == pytest.approx(p.besparelse_i_alt)
        assert row[7] == pytest.approx(p.nettoprovenu)
        expected = datetime(p.tjent_ind.year, p.tjent_ind.month, 1) if p.tjent_ind else NOT_REACHED
        assert row[8] == expected, p.projekt
    assert got["I alt"][8] == datetime(2026, 4, 1)
    assert got["Unge i job med Socialt Frikort"][8] == NOT_REACHED


@pytest.mark.libreoffice
def test_an_edited_line_recalculates_and_the_typed_total_is_flagged(lo):
    ws = lo["rettet"]["Måltal"]
    rows = total_rows(ws)
    assert [ws.cell(r, 6).value for r in rows] == [659, 435, 385, 1212, 58]
    assert [ws.cell(r, 7).value for r in rows] == [FLAG_TEXT, FLAG_TEXT, "OK", "OK", "OK"]
    targets = {k: v[0] for k, v in actual_block(ws).items()}
    assert targets["Sygedagpenge"] == 659 and targets["Uddannelseshjælp"] == 243
    # Python reads the same sheet (with the person's formula) and flags the same groups
    m = read_maaltal_sheet(lo["_formler"]["rettet"]["Måltal"])
    assert [(x.gruppe, x.indtastet, x.sum) for x in typed_total_mismatches(m)] == [
        ("Sygedagpenge", 649, 659),
        ("Kontanthjælp og uddannelseshjælp", 433, 435),
    ]


@pytest.mark.libreoffice
def test_a_changed_price_in_indstillinger_changes_the_money_live(lo):
    ws = lo["priser"]["Måltal"]
    got = block(ws, MARK_MONEY, "Projekt", 9)
    assert got["Flere i job"][1] == 4 * 95_000 + 2 * 200_000
    assert got["Flere i job"][2] == 1_200_000
    m = read_maaltal_sheet(lo["_formler"]["priser"]["Måltal"])
    calc = {p.projekt: p for p in savings(m).projekter}
    assert calc["Flere i job"].aarlig_besparelse == 780_000
    assert got["Flere i job"][6] == pytest.approx(calc["Flere i job"].besparelse_i_alt)
    assert got["Flere i job"][5] == pytest.approx(calc["Flere i job"].udgift_i_alt)


@pytest.mark.libreoffice
def test_updated_sheet_recalculates_difference(lo):
    ws = lo["opdateret"]["Måltal"]
    got = actual_block(ws)
    target, codes, actual, diff, status = got["Sygedagpenge"]
    assert (target, codes) == (649, "Sygedagpenge")
    assert actual == pytest.approx(2.5) and diff == pytest.approx(2.5 - 649)
    assert status == "✔ På sporet"


# --------------------------------------------------------------------------- without LibreOffice


def test_sheet_reads_back_as_the_template():
    wb = new_workbook()
    m = read_maaltal_sheet(wb["Måltal"])
    t = load_maaltal()

    def strip(mm):
        return [
            (g.navn, g.total_tekst, g.total, g.maalgrupper, [replace(x, line=0) for x in g.linjer])
            for g in mm.grupper
        ]

    assert strip(m) == strip(t)
    assert m.titel == t.titel and m.noter == t.noter
    assert m.oekonomi.priser == t.oekonomi.priser
    assert m.oekonomi.udgifter == t.oekonomi.udgifter
    assert (m.oekonomi.start, m.oekonomi.maaneder, m.oekonomi.indfasning) == (
        t.oekonomi.start,
        t.oekonomi.maaneder,
        t.oekonomi.indfasning,
    )
    assert m.oekonomi.pladsholder


def test_totals_are_formulas_and_flags_are_visible():
    ws = new_workbook()["Måltal"]
    r = total_rows(ws)[0]
    assert ws.cell(r, 6).value.startswith("=SUMIFS(E") and '"<>I alt"' in ws.cell(r, 6).value
    assert ws.cell(r, 7).value.startswith("=IF(") and FLAG_TEXT in ws.cell(r, 7).value
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert any(rng.startswith("G") for rng in ranges)
    assert rules[0].dxf.fill.fgColor.rgb.endswith("FFC7CE")
    assert len(ws._charts) == 2


def test_price_settings_are_marked_and_named():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indstillinger"
    ws["A1"] = "Indstilling"
    refs = write_price_settings(ws, 10)
    assert set(refs) == set(SETTING_NAMES)
    assert all(name in wb.defined_names for name in SETTING_NAMES)
    assert refs[N_PRICES] == "'Indstillinger'!$A$19:$B$23"
    assert MUST_FILL in ws["A10"].value and "PLADSHOLDERTAL" in ws["A11"].value
    assert ws["B13"].value == "ja"
    assert ws["B14"].value == date(2024, 1, 1) and refs[N_START] == "'Indstillinger'!$B$14"
    assert ws["B19"].fill.fgColor.rgb.endswith("FFCC99")  # input cells stand out
    ws["B13"] = "nej"
    ws["B19"] = 150_000  # Sygedagpenge
    o = read_price_settings(wb)
    assert not o.pladsholder and o.priser["Sygedagpenge"] == 150_000
    assert wb.defined_names[N_COSTS].attr_text.startswith("'Indstillinger'!$A$")


def test_update_fills_actuals_and_is_idempotent(tmp_path):
    wb = new_workbook()
    results = update_maaltal_sheet(wb, hand_extract(), date(2025, 2, 1), PERIOD)
    by = {r.punkt.tekst: r for r in results}
    # Sygedagpenge: A and B all 20 days, C 11-20 Jan = 10 days -> 50 / 20 = 2.5
    assert by["Sygedagpenge"].faktisk == pytest.approx(2.5)
    assert by["Ressourceforløb"].faktisk == pytest.approx(5 / 20)
    ws = wb["Måltal"]
    got = actual_block(ws)
    assert got["Sygedagpenge"][2] == pytest.approx(2.5)
    assert got["Sygedagpenge"][4] == "✔ På sporet"
    row = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 2).value == "Sygedagpenge"
        and ws.cell(r, 1).value == "Sygedagpenge"
        and r > marker(ws, MARK_ACTUAL)
    )
    assert ws.cell(row, 5).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.cell(row, 7).font.color.rgb.endswith("006100")
    invest = line_row(ws, "Investering – Kompetenceporten", "investering")
    assert ws.cell(row, 3).value == f"=E{line_row(ws, 'Sygedagpenge')}+E{invest}"
    first = snapshot(ws)
    update_maaltal_sheet(wb, hand_extract(), date(2025, 2, 1), PERIOD)
    assert snapshot(ws) == first
    path = tmp_path / "a.xlsx"
    wb.save(path)
    wb2 = openpyxl.load_workbook(path)
    update_maaltal_sheet(wb2, hand_extract(), date(2025, 2, 1), PERIOD)
    assert snapshot(wb2["Måltal"]) == first
    assert len(wb2["Måltal"]._charts) == 2


def test_update_keeps_a_persons_edits_and_uses_them():
    wb = new_workbook()
    ws = wb["Måltal"]
    ws.cell(line_row(ws, "Ressourceforløb"), 5).value = 1  # target becomes 1 - 2 - 15 = -16
    ws.cell(line_row(ws, "Kontanthjælp"), 5).value = 200
    results = update_maaltal_sheet(wb, hand_extract(), date(2025, 2, 1), PERIOD)
    assert ws.cell(line_row(ws, "Kontanthjælp"), 5).value == 200
    by = {r.punkt.tekst: r for r in results}
    assert by["Ressourceforløb"].maal == -16 and by["Ressourceforløb"].status == "roed"
    assert actual_block(ws)["Ressourceforløb"][4] == "✖ Bagud"
    assert ws.cell(line_row(ws, "Ressourceforløb"), 5).value == 1


def test_update_default_period_and_a_workbook_without_the_sheet():
    wb = openpyxl.Workbook()
    results = update_maaltal_sheet(wb, hand_extract(), date(2025, 2, 1))
    assert "Måltal" in wb.sheetnames and "Indstillinger" in wb.sheetnames
    assert results[0].periode == default_period(date(2025, 2, 1))
    assert results[0].periode == Periode(date(2025, 1, 1), date(2025, 1, 31))
    ws = wb["Måltal"]
    r = marker(ws, MARK_ACTUAL) + 1
    assert ws.cell(r, 2).value == date(2025, 1, 1) and ws.cell(r, 3).value == date(2025, 1, 31)


def test_text_from_data_never_becomes_a_formula(tmp_path):
    t = load_maaltal()
    g = t.grupper[0]
    line = replace(g.linjer[1], tekst='=HYPERLINK("x")', projekt="@Kompetenceporten")
    m = replace(t, grupper=(replace(g, linjer=(g.linjer[0], line)), *t.grupper[1:]))
    wb = openpyxl.Workbook()
    write_maaltal_sheet(wb, m)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    ws = openpyxl.load_workbook(path)["Måltal"]
    row = line_row(ws, '=HYPERLINK("x")', "investering")
    assert ws.cell(row, 2).data_type == "s"
    assert read_maaltal_sheet(ws).grupper[0].linjer[1].tekst == '=HYPERLINK("x")'


def test_bad_cells_on_the_sheet_are_template_errors():
    wb = new_workbook()
    ws = wb["Måltal"]
    row = line_row(ws, "A-dagpenge")
    ws.cell(row, 5).value = "mange"
    ws.cell(line_row(ws, "Løntilskud", "øvrig"), 3).value = "tilskud"
    with pytest.raises(TemplateError) as err:
        read_maaltal_sheet(ws)
    found = {(p.file, p.row, p.column) for p in err.value.problems}
    assert ("Måltal", row, "Antal fuldtidspersoner") in found
    assert ("Måltal", line_row(ws, "Løntilskud", "tilskud"), "type") in found


def test_danish_text_numbers_are_read():
    wb = new_workbook()
    ws = wb["Måltal"]
    ws.cell(total_rows(ws)[3], 5).value = "1.212"
    ws.cell(line_row(ws, "A-dagpenge"), 5).value = "393"
    m = read_maaltal_sheet(ws)
    assert m.grupper[3].total == 1212 and typed_total_mismatches(m) == []


def test_python_actuals_agree_with_the_sheet_reader():
    wb = new_workbook()
    m = read_maaltal_sheet(wb["Måltal"])
    a = actual_vs_target(hand_extract(), m, PERIOD)
    b = update_maaltal_sheet(wb, hand_extract(), date(2025, 2, 1), PERIOD)
    assert [(x.punkt.tekst, x.faktisk, x.status) for x in a] == [
        (x.punkt.tekst, x.faktisk, x.status) for x in b
    ]


# --------------------------------------------------------------------------- command line


@pytest.fixture()
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # a group, so `maaltal` is a subcommand
        pass

    register(app)
    return app


def write_csv_extract(folder: Path) -> Path:
    folder.mkdir()
    (folder / "forloeb.csv").write_text(
        "cpr;maalgruppe;startdato;slutdato\n"
        "P1;Sygedagpenge;01-12-2024;\n"
        "P2;Sygedagpenge;01-01-2025;31-01-2025\n"
        "P3;Fleksjob;15-01-2025;\n",
        encoding="utf-8",
    )
    return folder


def test_cli_uses_the_template_when_the_workbook_is_missing(cli, tmp_path):
    result = CliRunner().invoke(cli, ["maaltal", str(tmp_path / "ingen.xlsx")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "skabelonen" in out and "1.212" in out and "Fleksjob etableret" in out
    for total in ("649", "433", "385", "58"):
        assert total in out
    assert "Kompetenceporten" in out and "-15" in out
    assert "pladsholdertal" in out and "Ikke i perioden" in out


def test_cli_reads_the_workbook_and_the_extract(cli, tmp_path):
    wb = new_workbook()
    ws = wb["Måltal"]
    ws.cell(line_row(ws, "Sygedagpenge"), 5).value = 660
    book = tmp_path / "bog.xlsx"
    wb.save(book)
    folder = write_csv_extract(tmp_path / "udtraek")
    result = CliRunner().invoke(
        cli, ["maaltal", str(book), "--udtraek", str(folder), "--periode", "2025-01:2025-01"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Afviger fra summen" in out and "659" in out
    assert "01-01-2025 – 31-01-2025" in out
    assert "2,0" in out  # Sygedagpenge: two persons all of January
    assert "På sporet" in out


def test_cli_errors(cli, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["maaltal", str(tmp_path / "x.xlsx"), "--periode", "marts"])
    assert bad.exit_code == 2
    missing = runner.invoke(
        cli, ["maaltal", str(tmp_path / "x.xlsx"), "--udtraek", str(tmp_path / "ingen")]
    )
    assert missing.exit_code == 1
    assert "findes ikke" in missing.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_text("ikke en arbejdsbog", encoding="utf-8")
    result = runner.invoke(cli, ["maaltal", str(broken)])
    assert result.exit_code == 1 and "kan ikke læses" in result.stderr
