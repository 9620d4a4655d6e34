"""The Excel front end through xlwings' own server engine – no mocks of xlwings.

A workbook file is turned into the payload the xlwings add-in sends (every sheet's
values), `xlwings.server.custom_scripts_call` runs the Opdater script on `xw.Book(json=…)`,
and the returned actions are replayed onto the file's cells. The result must be what the
command line's Opdater writes into the same file: the same values, colours, number
formats and notes in the same cells. Cell functions go through `custom_functions_meta`
and `custom_functions_call` (culture da-DK, dates as serial numbers, as Office.js sends
them) and must give the core's numbers.
"""

from __future__ import annotations

import asyncio
import csv
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw
from xlwings.server import (
    custom_functions_call,
    custom_functions_meta,
    custom_scripts_call,
    custom_scripts_meta,
)

from xlstatus import excel
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import opdater_fil
from xlstatus.excel import funktioner as excel_funktioner
from xlstatus.excel.payload import OFFICE_JS, VBA, a1, book_payload, replay
from xlstatus.kerne.formatering import display
from xlstatus.kerne.indikatorer import compute_month, targets_for
from xlstatus.kerne.maaltal import group_total, project_effect
from xlstatus.kerne.status import STATUS_TEXT, assess
from xlstatus.plan import stil, tekster
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.ark import SHEET as EXTRACT_SHEET
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udtraek.laes import read_extract

USER = "test"
TABLES = ["forloeb", "markeringer", "tilbud", "loentimer", "virksomheder"]
VBA_ACTIONS = {"setValues", "setRangeColor", "setNumberFormat", "alert", "resizeTable",
               "rangeInsert", "rangeClearContents", "addSheet", "addTable", "namesAdd"}  # fmt: skip


@pytest.fixture(autouse=True)
def _user(monkeypatch):
    monkeypatch.setenv("XLSTATUS_BRUGER", USER)
    excel_funktioner._LAST.clear()


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    """A small synthetic FACIT extract (CSV files)."""
    folder = tmp_path_factory.mktemp("udtraek")
    write_extract(generate(seed=7, faktor=0.05), folder, "csv")
    return folder


def settings_row(ws, label: str) -> int:
    for r in range(1, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "").startswith(label):
            return r
    raise AssertionError(label)


def new_book(path: Path, udtraek: Path | None) -> Path:
    create_workbook(path)
    if udtraek is not None:
        wb = openpyxl.load_workbook(path)
        ws = wb[tekster.SETTINGS]
        ws.cell(settings_row(ws, "Udtræk"), 2).value = str(udtraek)
        wb.save(path)
    return path


def run_script(path: Path, *args, client: str = OFFICE_JS, script: str = "opdater"):
    payload = book_payload(path, client)
    book = xw.Book(json=payload)
    asyncio.run(custom_scripts_call(excel, script, typehint_to_value={xw.Book: book},
                                    args=list(args)))  # fmt: skip
    actions = book.json()["actions"]
    return payload, actions, replay(actions, payload)


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Look:
    value: object
    fill: str | None
    font: str | None
    number_format: str
    note: str | None


def _value(v: object) -> object:
    if isinstance(v, datetime):
        return v.date() if v.time() == datetime.min.time() else v.replace(microsecond=0)
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}:\d{2}.*)?", v):
        return _value(datetime.fromisoformat(v.rstrip("Z").split(".")[0]))
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 9)
    return v


def _rgb(color) -> str | None:
    rgb = getattr(color, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def file_looks(path: Path) -> dict[str, dict[tuple[int, int], Look]]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for (r, c), cell in ws._cells.items():
            fill = _rgb(cell.fill.fgColor) if cell.fill.fill_type == "solid" else None
            cells[(r, c)] = Look(
                _value(cell.value),
                fill,
                _rgb(cell.font.color),
                cell.number_format,
                cell.comment.text if cell.comment else None,
            )
        out[ws.title] = cells
    return out


def after_actions(base: Path, rp) -> dict[str, dict[tuple[int, int], Look]]:
    """The base file's cells with the replayed actions applied."""
    looks = file_looks(base)
    for (s, r, c), cell in rp.cells.items():
        sheet = looks.setdefault(rp.names[s], {})
        old = sheet.get((r, c), Look(None, None, None, stil.GENERAL, None))
        sheet[(r, c)] = Look(
            _value(cell.value) if cell.value_set else old.value,
            cell.fill.lstrip("#") if cell.fill else old.fill,
            cell.font_color.lstrip("#") if cell.font_color else old.font,
            cell.number_format if cell.number_format is not None else old.number_format,
            cell.note if cell.note is not None else old.note,
        )
    return looks


EMPTY = Look(None, None, None, stil.GENERAL, None)


def differences(expected, actual, *, fonts: bool = True, notes: bool = True,
                skip=lambda sheet, r, c: False) -> list[str]:  # fmt: skip
    out = []
    for sheet in expected:
        e_cells, a_cells = expected[sheet], actual.get(sheet, {})
        for key in sorted(set(e_cells) | set(a_cells)):
            if skip(sheet, *key):
                continue
            e, a = e_cells.get(key, EMPTY), a_cells.get(key, EMPTY)
            fields = [("værdi", e.value, a.value), ("fyld", e.fill, a.fill),
                      ("talformat", e.number_format, a.number_format)]  # fmt: skip
            if fonts:
                fields.append(("skriftfarve", e.font, a.font))
            if notes:
                fields.append(("note", e.note, a.note))
            for what, x, y in fields:
                if x != y:
                    out.append(f"{sheet}!{openpyxl.utils.get_column_letter(key[1])}{key[0]} "
                               f"{what}: kommandolinjen {x!r}, knappen {y!r}")  # fmt: skip
    return out


def log_time(sheet: str, r: int, c: int) -> bool:
    return sheet == tekster.LOG and c == 1 and r > 1  # the run's timestamp


# --------------------------------------------------------------------------- Opdater


def test_payload_is_what_the_add_in_sends(tmp_path, udtraek):
    path = new_book(tmp_path / "Statusskema.xlsx", udtraek)
    payload = book_payload(path)
    assert payload["client"] == "Office.js" and payload["version"] == xw.__version__
    names = [s["name"] for s in payload["sheets"]]
    wb = openpyxl.load_workbook(path)
    assert names == wb.sheetnames  # every sheet, the very hidden record sheet too
    sheet = payload["sheets"][0]
    header = next(row for row in sheet["values"] if any(
        isinstance(v, str) and v.startswith("Startmåling") for v in row))  # fmt: skip
    assert "2024-02-01T00:00:00.000Z" in header  # dates as Office.js sends them
    assert all(v == "" or v is not None for row in sheet["values"] for v in row)
    assert {"xlstatus_maaledag", "xlstatus_udtraek"} <= {n["name"] for n in payload["names"]}
    data = next(s for s in payload["sheets"] if s["name"] == tekster.DATA)
    assert data["tables"][0]["name"] == tekster.DATA_TABLE
    assert all("notes" in s for s in payload["sheets"])
    assert all("notes" not in s for s in book_payload(path, VBA)["sheets"])


def test_opdater_writes_what_the_command_line_writes(tmp_path, udtraek):
    base = new_book(tmp_path / "Statusskema.xlsx", udtraek)
    cli = tmp_path / "cli.xlsx"
    shutil.copy(base, cli)
    plan, _ = opdater_fil(cli, None, date(2025, 3, 1), user=USER)

    _, actions, rp = run_script(base, "2025-03")

    assert {a["func"] for a in actions} >= {"setValues", "setRangeColor", "setNumberFormat",
                                            "setFontProperty", "addNote", "alert"}  # fmt: skip
    assert not {a["func"] for a in actions} & {"addConditionalFormat",
                                               "addFormatConditions"}  # fmt: skip
    diff = differences(file_looks(cli), after_actions(base, rp), skip=log_time)
    assert diff == []
    # the values really are the engine's: spot-check one coloured cell
    sheet = next(s for s, p in plan.sheets if p.startswith("Håndholdt"))
    coloured = [(k, c) for k, c in rp.sheet_cells(sheet).items() if c.fill]
    assert coloured and all(c.fill.lstrip("#") in stil.FILL.values() for _, c in coloured)
    # the run's report comes back as a message box
    ((text, title, mode),) = rp.alerts
    assert title == "Opdater" and mode == "info" and text.startswith("Opdateret mar-25")


def test_a_month_column_is_written_in_whole_ranges(tmp_path, udtraek):
    # adjacent cells of one look are one range (a month column is not one action per row):
    # no two actions of the same kind and argument cover blocks that touch edge to edge
    _, actions, _ = run_script(new_book(tmp_path / "Statusskema.xlsx", udtraek), "2025-03")
    looks = ("setNumberFormat", "setRangeColor", "setFontProperty")
    seen: dict[tuple, list[tuple[int, int, int, int]]] = {}
    for a in (a for a in actions if a["func"] in looks):
        r0, c0 = int(a["start_row"]), int(a["start_column"])
        box = (r0, c0, r0 + int(a["row_count"]) - 1, c0 + int(a["column_count"]) - 1)
        key = (a["func"], a["sheet_position"], str(a["args"]))
        for r1, c1, r2, c2 in seen.get(key, []):
            touching = box[0] == r2 + 1 or r1 == box[2] + 1
            assert not ((c1, c2) == (box[1], box[3]) and touching), (key, box)
        seen.setdefault(key, []).append(box)
    rows = [a for a in actions if a["func"] == "setValues" and len(a["values"]) > 1]
    assert rows, "a month column's values come as one block"
    cells = sum(len(r) for a in actions if a["func"] == "setValues" for r in a["values"])
    assert len([a for a in actions if a["func"] in (*looks, "setValues")]) < cells / 2


def test_a_persons_values_are_kept_and_coloured_like_the_command_line(tmp_path, udtraek):
    base = new_book(tmp_path / "Statusskema.xlsx", udtraek)
    opdater_fil(base, None, date(2025, 2, 1), user=USER)
    opdater_fil(base, None, date(2025, 3, 1), user=USER)
    # a person corrects the February and March counts on Jobperronen
    wb = openpyxl.load_workbook(base)
    ws = wb["Jobperronen"]
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value ==
               "Antal jobparate kontanthjælpsmodtagere over 30 år")  # fmt: skip
    cols = {c.value.date(): c.column for r in ws.iter_rows(max_row=10) for c in r
            if isinstance(c.value, datetime)}  # fmt: skip
    feb, mar = cols[date(2025, 2, 1)], cols[date(2025, 3, 1)]
    ws.cell(row, feb).value = 61
    ws.cell(row, mar).value = 9
    wb.save(base)
    cli = tmp_path / "cli.xlsx"
    shutil.copy(base, cli)
    plan, _ = opdater_fil(cli, None, date(2025, 3, 1), user=USER)
    assert [(s.sheet, s.row, s.col) for s in plan.skipped] == [("Jobperronen", row, mar)]

    _, _, rp = run_script(base, "2025-03")

    # a remote book cannot read note texts: a person's cell keeps its old note there
    persons = {("Jobperronen", row, feb), ("Jobperronen", row, mar)}
    diff = differences(file_looks(cli), after_actions(base, rp), skip=lambda s, r, c: (
        log_time(s, r, c) or (s, r, c) in persons))  # fmt: skip
    assert diff == []
    expected = file_looks(cli)["Jobperronen"]
    for col, typed in ((feb, 61), (mar, 9)):
        cell = rp.cell("Jobperronen", f"{openpyxl.utils.get_column_letter(col)}{row}")
        assert cell is not None and not cell.value_set  # the person's value stays …
        assert expected[(row, col)].value == typed
        assert cell.fill.lstrip("#") == expected[(row, col)].fill  # … coloured by its value
    assert "1 sprunget over" in rp.alerts[0][0]


def test_vba_client_gets_only_actions_it_can_apply(tmp_path, udtraek):
    base = new_book(tmp_path / "Statusskema.xlsx", udtraek)
    cli = tmp_path / "cli.xlsx"
    shutil.copy(base, cli)
    opdater_fil(cli, None, date(2025, 3, 1), user=USER)

    _, actions, rp = run_script(base, "2025-03", client=VBA)

    assert {a["func"] for a in actions} <= VBA_ACTIONS
    # plain fills, values and number formats as on the file (no font colours, no notes)
    diff = differences(file_looks(cli), after_actions(base, rp), fonts=False, notes=False,
                       skip=log_time)  # fmt: skip
    assert diff == []


def test_new_month_column_is_inserted_like_the_command_line(tmp_path, udtraek):
    base = new_book(tmp_path / "Statusskema.xlsx", udtraek)
    cli = tmp_path / "cli.xlsx"
    shutil.copy(base, cli)
    plan, _ = opdater_fil(cli, None, date(2026, 2, 1), user=USER)
    assert plan.inserts

    _, actions, rp = run_script(base, "2026-02")

    inserts = [a for a in actions if a["func"] == "rangeInsert"]
    assert [(a["sheet_position"], a["start_column"] + 1) for a in inserts] == [
        (rp.names.index(i.sheet), i.col) for i in plan.inserts]  # fmt: skip
    expected = file_looks(cli)
    for ins in plan.inserts:
        header = rp.cell(ins.sheet, f"{openpyxl.utils.get_column_letter(ins.col)}"
                                    f"{ins.header_row}")  # fmt: skip
        assert _value(header.value) == date(2026, 2, 1)
        for (s, r, c), cell in rp.cells.items():
            if rp.names[s] != ins.sheet or c != ins.col or not cell.value_set:
                continue
            e = expected[ins.sheet][(r, c)]
            assert _value(cell.value) == e.value
            if cell.fill:  # status colours (Excel copies the header's look on insert)
                assert cell.fill.lstrip("#") == e.fill


def test_extract_pasted_into_the_workbook(tmp_path, udtraek):
    """Lite has no file system: the extract pasted into FACIT-udtræk gives the same run."""
    cli = new_book(tmp_path / "cli.xlsx", udtraek)
    base = new_book(tmp_path / "Statusskema.xlsx", None)
    for p in (cli, base):
        wb = openpyxl.load_workbook(p)
        ws = wb.create_sheet(EXTRACT_SHEET)
        if p == base:
            r = 1
            for table in TABLES:
                ws.cell(r, 1).value = table
                with (udtraek / f"{table}.csv").open(encoding="utf-8-sig") as f:
                    for i, values in enumerate(csv.reader(f, delimiter=";")):
                        for c, v in enumerate(values, start=1):
                            if i and re.fullmatch(r"\d\d-\d\d-\d{4}", v):
                                v = datetime.strptime(v, "%d-%m-%Y")  # pasted dates
                            ws.cell(r + 1 + i, c).value = v or None
                r += i + 3
        wb.save(p)
    opdater_fil(cli, None, date(2025, 3, 1), user=USER)

    _, actions, rp = run_script(base, "2025-03")

    def source(s, r, c):  # where the extract came from differs, by design
        return (
            log_time(s, r, c)
            or (s == tekster.LOG and c in (4, 5, 7))
            or s in (tekster.SETTINGS, EXTRACT_SHEET)
        )

    diff = differences(file_looks(cli), after_actions(base, rp), skip=source)
    assert diff == []
    log = [a for a in actions if a["func"] == "setValues" and
           a["sheet_position"] == rp.names.index(tekster.LOG)]  # fmt: skip
    assert "FACIT-udtræk, tabel 'forloeb'" in str(log[-1]["values"])


def test_a_bad_extract_changes_nothing_and_says_why(tmp_path, udtraek):
    bad = tmp_path / "bad"
    shutil.copytree(udtraek, bad)
    text = (bad / "forloeb.csv").read_text(encoding="utf-8-sig").splitlines()
    fields = text[2].split(";")
    fields[1] = "Kontanthjaelp ukendt"
    text[2] = ";".join(fields)
    (bad / "forloeb.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    base = new_book(tmp_path / "Statusskema.xlsx", bad)

    _, actions, rp = run_script(base, "2025-03")

    assert [a["func"] for a in actions] == ["alert"]  # nothing but the message
    ((message, title, mode),) = rp.alerts
    assert mode == "critical" and title.startswith("Opdater")
    assert "forloeb.csv" in message and "række 3" in message and "Intet er ændret" in message
    assert "Traceback" not in message


def test_without_any_extract_the_button_says_where_to_put_it(tmp_path):
    base = new_book(tmp_path / "Statusskema.xlsx", None)
    _, actions, rp = run_script(base, "2025-03")
    assert [a["func"] for a in actions] == ["alert"]
    assert "FACIT-udtræk" in rp.alerts[0][0] and "Indstillinger" in rp.alerts[0][0]


def test_klargoer_in_lite_or_server_says_how_to_make_the_committee_copy(tmp_path):
    base = new_book(tmp_path / "Statusskema.xlsx", None)
    _, actions, rp = run_script(base, script="klargoer_til_udvalg")
    assert [a["func"] for a in actions] == ["alert"]  # a remote book cannot write files
    ((text, title, mode),) = rp.alerts
    assert title.startswith("Klargør til udvalg") and mode == "critical"
    assert "xlstatus udvalg" in text and "Intet er ændret" in text


def test_scripts_are_registered_for_lite_and_server():
    meta = {m["function_name"]: m for m in custom_scripts_meta(excel)}
    assert meta["opdater"]["name"] == "Opdater"
    assert meta["klargoer_til_udvalg"]["name"] == "Klargør til udvalg"


# --------------------------------------------------------------------------- cell functions


def test_every_function_is_listed_with_a_danish_description():
    meta = custom_functions_meta(excel)
    listed = {f["id"]: f for f in meta["functions"]}
    assert set(listed) == {name.upper() for name in excel.FUNKTIONER}
    danish = re.compile(
        r"[æøå]|\b(og|eller|en|et|den|af|i|for|som|fra|på|til|med|valgfri)\b", re.IGNORECASE
    )
    for f in listed.values():
        assert f["name"].startswith("XLSTATUS_")
        assert danish.search(f["description"]), f["description"]
        assert "\n" not in f["description"]
        for p in f["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f["name"], p)
            assert danish.search(p["description"]), (f["name"], p)


def call(name: str, *args):
    """A custom function call as Office.js sends it (da-DK, every argument as a 2D array)."""
    data = {
        "func_name": name,
        "args": [a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "Ark1!B2",
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "da-DK",
        "date_format": "dd-mm-åååå",
    }
    result = asyncio.run(custom_functions_call(data, excel))
    return result[0][0] if len(result) == 1 and len(result[0]) == 1 else result


def serial(d: date) -> float:
    return float((d - date(1899, 12, 30)).days)


def test_indikator_gives_the_cores_numbers(udtraek):
    schemas = load_schemas()
    extract = read_extract(udtraek)
    month = date(2025, 3, 1)
    results = compute_month(extract, schemas, month)
    for r in results:
        sektion = r.row.sektion or None
        value = call("xlstatus_indikator", r.schema.projekt, r.row.label, serial(month), None,
                     sektion, str(udtraek))  # fmt: skip
        if r.measurement.vaerdi is None:
            assert value == {"type": "Error", "errorType": "NotAvailable"}
        else:
            assert value == pytest.approx(r.measurement.vaerdi)
        text = call("xlstatus_indikator", r.schema.ark, r.row.label, serial(month) + 14, "tekst",
                    sektion, str(udtraek))  # fmt: skip
        assert text == display(r.row.fmt, r.measurement.antal, r.measurement.vaerdi,
                               r.row.decimals)  # fmt: skip
        status = call("xlstatus_indikator", r.schema.projekt, r.row.label, "2025-03", "status",
                      sektion, str(udtraek))  # fmt: skip
        assert status == ("" if r.assessment.status is None else STATUS_TEXT[r.assessment.status])


def test_fuldtidspersoner_gives_the_maaltal_numbers(udtraek):
    from xlstatus.kerne.maaltal import Periode, actual_fuldtidspersoner, fuldtidspersoner
    from xlstatus.skabelonfiler import load_maaltal

    extract = read_extract(udtraek)
    first, last = date(2025, 1, 1), date(2025, 5, 31)
    value = call("xlstatus_fuldtidspersoner", "Sygedagpenge", serial(first), serial(last),
                 str(udtraek))  # fmt: skip
    expected = actual_fuldtidspersoner(extract, load_maaltal(), "Sygedagpenge",
                                       Periode(first, last))  # fmt: skip
    assert value == pytest.approx(expected) and value > 0
    code = call("xlstatus_fuldtidspersoner", "A-dagpenge", "01-01-2025", serial(last), str(udtraek))
    assert code == pytest.approx(fuldtidspersoner(extract.forloeb, ("A-dagpenge",), first, last))
    with pytest.raises(excel.ExcelFejl, match="før den begynder"):
        call("xlstatus_fuldtidspersoner", "A-dagpenge", serial(last), serial(first), str(udtraek))


def test_indikator_reads_an_extract_range_as_office_js_passes_it(udtraek):
    """A pasted FACIT-udtræk range arrives as values, dates as serial numbers."""
    grid: list[list[object]] = []
    for table in TABLES:
        with (udtraek / f"{table}.csv").open(encoding="utf-8-sig") as f:
            rows = list(csv.reader(f, delimiter=";"))
        width = len(rows[0])
        grid.append([table] + [""] * 6)
        for i, values in enumerate(rows):
            out: list[object] = []
            for v in values:
                if i and re.fullmatch(r"\d\d-\d\d-\d{4}", v):
                    out.append(serial(datetime.strptime(v, "%d-%m-%Y").date()))
                else:
                    out.append(v)
            grid.append(out + [""] * (7 - width))
        grid.append([""] * 7)
    month = date(2025, 3, 1)
    core = {(r.schema.projekt, r.row.key): r for r in
            compute_month(read_extract(udtraek), load_schemas(), month)}  # fmt: skip
    for (projekt, (sektion, label)), r in list(core.items())[::4]:
        value = call("xlstatus_indikator", projekt, label, serial(month), "antal",
                     sektion or None, grid)  # fmt: skip
        assert value == r.measurement.antal


def test_forventet_status_antal_andel_and_maaltal():
    schemas = load_schemas()
    schema = next(s for s in schemas if s.ark == "Jobperronen")
    row = schema.rows[0]
    month = date(2024, 11, 1)
    expected = assess(None, targets_for(schema, row), month).expected
    assert call("xlstatus_forventet", "jobperronen", row.label, serial(month)) == pytest.approx(
        expected
    )
    for value in (expected - 0.5, expected + 1, expected + 30):
        status = assess(value, targets_for(schema, row), month).status
        assert (
            call("xlstatus_status", "Jobperronen", row.label, serial(month), value)
            == STATUS_TEXT[status]
        )
    # a value typed the Danish way, as in the schema
    flere = next(s for s in schemas if s.projekt == "Flere i job")
    share = next(r for r in flere.rows if r.fmt == "antal_andel")
    want = STATUS_TEXT[assess(12.0, targets_for(flere, share), month).status]
    assert call("xlstatus_status", "Flere i job", share.label, serial(month), "3 (12 pct.)",
                share.sektion) == want  # fmt: skip
    assert call("xlstatus_antal_andel", 17, 100) == "17 (17 pct.)"
    assert call("xlstatus_antal_andel", 3, 7, 1) == "3 (42,9 pct.)"
    assert call("xlstatus_antal_andel", 0, 0) == "0 (–)"
    m = excel_funktioner.maaltal_table()
    for g in m.grupper:
        assert call("xlstatus_maaltal", g.navn) == pytest.approx(group_total(m, g.navn))
    assert (
        call("xlstatus_maaltal", None, "Kompetenceporten")
        == pytest.approx(project_effect(m, "Kompetenceporten"))
        == -5
    )
    assert call("xlstatus_maaltal", "Sygedagpenge", None, "indtastet") == 649
    projects = call("xlstatus_projekter")
    assert [p[0] for p in projects] == [s.projekt for s in schemas]
    assert [r[1] for r in call("xlstatus_raekker", "Jobperronen")] == [r.label for r in schema.rows]


def test_errors_come_back_as_readable_excel_errors(udtraek):
    with pytest.raises(excel.ExcelFejl) as info:
        call("xlstatus_indikator", "Jobperronen", "Findes ikke", serial(date(2025, 3, 1)), None,
             None, str(udtraek))  # fmt: skip
    message = str(info.value)
    assert message.startswith("rækken 'Findes ikke' findes ikke") and "Traceback" not in message
    assert isinstance(info.value, xw.XlwingsError)  # xlwings Server shows str(error)
    with pytest.raises(excel.ExcelFejl, match="angiv sektionen"):
        call("xlstatus_forventet", "Flere i job", "Ressourceforløb - alle", "2025-03")
    with pytest.raises(excel.ExcelFejl, match="ikke en måned"):
        call("xlstatus_forventet", "Jobperronen", "Andel afsluttet til job", "trettende")
    with pytest.raises(excel.ExcelFejl, match="intet udtræk er indlæst"):
        call("xlstatus_indikator", "Jobperronen", "Andel afsluttet til job", "2025-03")
    with pytest.raises(excel.ExcelFejl, match="udtrækket findes ikke"):
        call("xlstatus_indikator", "Jobperronen", "Andel afsluttet til job", "2025-03", None,
             None, "/findes/ikke")  # fmt: skip


def test_functions_use_the_extract_of_the_last_opdater(tmp_path, udtraek):
    base = new_book(tmp_path / "Statusskema.xlsx", udtraek)
    run_script(base, "2025-03")
    r = next(r for r in compute_month(read_extract(udtraek), load_schemas(), date(2025, 3, 1))
             if r.schema.ark == "Jobperronen")  # fmt: skip
    assert (
        call("xlstatus_indikator", "Jobperronen", r.row.label, "2025-03", "antal")
        == r.measurement.antal
    )


def test_a1():
    assert a1("$B$4") == (4, 2) and a1("AA10") == (10, 27)


# --------------------------------------------------------------------------- FACIT-udtræk


def _csv_rows(udtraek: Path, table: str) -> list[list[object]]:
    with (udtraek / f"{table}.csv").open(encoding="utf-8-sig") as f:
        return [list(r) for r in csv.reader(f, delimiter=";")]


def test_pasted_blocks_side_by_side_or_stacked_read_like_the_files(udtraek):
    from xlstatus.udtraek.ark import extract_from_grid

    files = read_extract(udtraek)
    tables = {t: _csv_rows(udtraek, t) for t in TABLES}
    height = max(len(r) for r in tables.values()) + 3
    side = [[None] * 40 for _ in range(height)]
    col = 0
    for t, rows in tables.items():
        side[1][col] = {"loentimer": "Løntimer", "forloeb": "Forløb"}.get(t, t)  # aliases
        for i, r in enumerate(rows):
            side[2 + i][col : col + len(r)] = r
        col += len(rows[0]) + 2
    stacked: list[list[object]] = [["Indsæt udtrækket herunder"]]
    for t, rows in tables.items():
        stacked += [[t], *rows, []]
    for grid in (side, stacked):
        extract = extract_from_grid(grid)
        assert extract.present == frozenset(TABLES)
        for t in TABLES:
            a, b = extract.table(t), files.table(t)
            assert a.reset_index(drop=True).equals(b.reset_index(drop=True)), t
        assert [s.rows for s in extract.sources] == [s.rows for s in files.sources]


def test_a_pasted_extract_reports_sheet_row_and_column(udtraek):
    from xlstatus.kerne.errors import ExtractError
    from xlstatus.udtraek.ark import extract_from_grid

    rows = _csv_rows(udtraek, "forloeb")
    rows[3][2] = "32-13-2024"  # Excel row 6: title in 1, blank 2, header 3
    grid = [["forloeb"], [], *rows]
    with pytest.raises(ExtractError) as info:
        extract_from_grid(grid, tables={"forloeb", "markeringer"},
                          needed_by={"markeringer": "Jobperronen: x"})  # fmt: skip
    text = info.value.report()
    assert "FACIT-udtræk, tabel 'forloeb', række 6, kolonne 'startdato'" in text
    assert "tabellen 'markeringer' mangler" in text and "Jobperronen: x" in text
    with pytest.raises(ExtractError, match="ingen tabeller"):
        extract_from_grid([["noget andet"], [1, 2]])


def test_fields_are_read_as_people_write_them(udtraek):
    # the user guide's own spellings ('næste mål', æ/ø/å, capitals, spaces) give the same
    # as their plain forms: one text key (`alnum_key`) reads every field name
    schema = next(s for s in load_schemas() if s.ark == "Jobperronen")
    row = next(r for r in schema.rows if r.targeted and not r.manual)
    args = (schema.projekt, row.label, "2025-03")
    tail = (row.sektion or None, str(udtraek))
    for written, plain in [("Næste mål", "naestemaal"), ("Værdi", "vaerdi"),
                           ("NÆVNER", "population"), ("næste_mål", "naestemaal")]:  # fmt: skip
        assert call("xlstatus_indikator", *args, written, *tail) == call(
            "xlstatus_indikator", *args, plain, *tail
        ), written
    assert call("xlstatus_maaltal", "Sygedagpenge", None, "I alt") == call(
        "xlstatus_maaltal", "Sygedagpenge", None, "sum"
    )
