"""The workbooks people open (workbook/): built reproducibly, with working buttons.

The desktop workbook's button must run xlwings' RunPython macro, the Lite workbook's
shapes must match the scripts' `button=` references, and both must update through
xlwings' server engine exactly as the command line updates a plain workbook.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
import xlwings as xw
from test_excel import (
    EMPTY,
    USER,
    Look,
    _value,
    differences,
    file_looks,
    log_time,
    new_book,
)
from xlwings.server import custom_scripts_call

from xlstatus import excel, libreoffice
from xlstatus.arbejdsbog.opdater import opdater_fil
from xlstatus.byg import (
    BOOK,
    MACRO,
    SHAPE,
    byg_arbejdsbog,
    lite_code,
    sheet_parts,
)
from xlstatus.excel.payload import book_payload, replay
from xlstatus.plan import tekster
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.ark import SHEET as EXTRACT_SHEET
from xlstatus.udtraek.generator import generate, write_extract

SCHEMA_SHEETS = ["Klar, parat - i job", "Flere i job", "Kompetenceporten", "Jobperronen",
                 "Socialt Frikort"]  # fmt: skip
FILES = [f"{BOOK}.xlsm", f"{BOOK}.py", f"lite/{BOOK}.xlsx", "lite/main.py",
         "lite/requirements.txt", f"server/{BOOK}.xlsx", "LÆSMIG.md"]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workbook")
    written = byg_arbejdsbog(folder)
    assert sorted(p.relative_to(folder).as_posix() for p in written) == sorted(FILES)
    return folder


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("udtraek")
    write_extract(generate(seed=7, faktor=0.05), folder, "csv")
    return folder


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_building_twice_gives_the_same_files(built, tmp_path):
    again = tmp_path / "again"
    byg_arbejdsbog(again)
    for name in FILES:
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


def test_the_schema_sheets_are_the_workbook_builders(built):
    assert len(load_schemas()) == len(SCHEMA_SHEETS)
    wb = openpyxl.load_workbook(built / f"{BOOK}.xlsm", keep_vba=True)
    assert wb.sheetnames[:5] == SCHEMA_SHEETS
    assert wb.sheetnames[5:] == [
        tekster.OVERBLIK,
        tekster.VANDRINGER,
        tekster.MAALTAL,
        tekster.DATA,
        tekster.LOG,
        tekster.SETTINGS,
        tekster.GUIDE,
        EXTRACT_SHEET,
        "xlwings.conf",
        tekster.RECORD,
    ]
    assert wb[tekster.RECORD].sheet_state == "veryHidden"


def test_desktop_workbook_has_xlwings_vba_and_an_opdater_button_per_schema_sheet(built):
    p = parts(built / f"{BOOK}.xlsm")
    with zipfile.ZipFile(Path(xw.__file__).parent / "quickstart_standalone.xlsm") as z:
        assert p["xl/vbaProject.bin"] == z.read("xl/vbaProject.bin")  # same xlwings version
    types = p["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert "vbaProject" in p["xl/_rels/workbook.xml.rels"].decode()
    assert 'codeName="ThisWorkbook"' in p["xl/workbook.xml"].decode()
    sheets = sheet_parts(p)
    for name, part in sheets.items():
        xml = p[part].decode()
        m = re.search(r'<legacyDrawing[^>]*r:id="([^"]+)"', xml)
        buttons = []
        if m:
            rels = ET.fromstring(p[part.replace("worksheets/", "worksheets/_rels/") + ".rels"])
            target = next(r.get("Target") for r in rels if r.get("Id") == m[1])
            vml = p["xl/drawings/" + target.rsplit("/", 1)[1]].decode()
            buttons = re.findall(r'ObjectType="Button".*?<x:FmlaMacro>([^<]+)<', vml, re.S)
        assert buttons == ([f"[0]!{MACRO}"] if name in SCHEMA_SHEETS else []), name
    # the manual row's note on Socialt Frikort is still there beside the button
    wb = openpyxl.load_workbook(built / f"{BOOK}.xlsm", keep_vba=True)
    assert any(c.comment for row in wb["Socialt Frikort"].iter_rows() for c in row)
    conf = wb["xlwings.conf"]
    keys = [conf.cell(r, 1).value for r in range(1, conf.max_row + 1)]
    assert None not in keys  # xlwings reads the keys from A1 down to the first gap
    settings = {str(k).upper(): conf.cell(r, 2).value for r, k in enumerate(keys, start=1)}
    assert settings["INTERPRETER_WIN"].endswith(r"\venv\Scripts\pythonw.exe")
    assert settings["UDF MODULES"] == BOOK


def test_desktop_module_calls_xlstatus_with_the_calling_book(built):
    source = (built / f"{BOOK}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    functions = {f.name: ast.unparse(f) for f in tree.body if isinstance(f, ast.FunctionDef)}
    assert "excel.koer_opdater(xw.Book.caller())" in functions["main"]
    assert "excel.koer_klargoer(xw.Book.caller())" in functions["klargoer"]
    imported = {a.name for node in tree.body if isinstance(node, ast.ImportFrom)
                and node.module == "xlstatus.excel" for a in node.names}  # fmt: skip
    assert imported == set(excel.FUNKTIONER)  # what Import Functions registers


def test_desktop_workbook_updates_like_the_command_line(built, udtraek, tmp_path, monkeypatch):
    """The shipped .xlsm through xlwings' server engine against the CLI on a plain .xlsx."""
    monkeypatch.setenv("XLSTATUS_BRUGER", USER)
    cli = new_book(tmp_path / "cli.xlsx", udtraek)
    opdater_fil(cli, None, date(2025, 3, 1), user=USER)
    xlsm = built / f"{BOOK}.xlsm"
    payload = book_payload(xlsm)
    settings = next(s for s in payload["sheets"] if s["name"] == tekster.SETTINGS)
    row = next(r for r in settings["values"] if str(r[0]).startswith("Udtræk"))
    row[1] = str(udtraek)  # what the person types on Indstillinger
    book = xw.Book(json=payload)
    asyncio.run(custom_scripts_call(excel, "opdater", typehint_to_value={xw.Book: book},
                                    args=["2025-03"]))  # fmt: skip
    rp = replay(book.json()["actions"], payload)
    actual = file_looks(xlsm)
    actual[tekster.SETTINGS] = file_looks(cli)[tekster.SETTINGS]
    for (s, r, c), cell in rp.cells.items():
        sheet = actual.setdefault(rp.names[s], {})
        old = sheet.get((r, c), EMPTY)
        sheet[(r, c)] = Look(_value(cell.value) if cell.value_set else old.value,
                             cell.fill.lstrip("#") if cell.fill else old.fill,
                             cell.font_color.lstrip("#") if cell.font_color else old.font,
                             cell.number_format or old.number_format,
                             cell.note if cell.note is not None else old.note)  # fmt: skip
    assert differences(file_looks(cli), actual, skip=log_time) == []


def test_lite_workbook_has_named_shapes_linked_to_their_cells_and_the_code(built):
    p = parts(built / f"lite/{BOOK}.xlsx")
    sheets = sheet_parts(p)
    for name, part in sheets.items():
        xml = p[part].decode()
        m = re.search(r'<drawing[^>]*r:id="([^"]+)"', xml)
        if name not in SCHEMA_SHEETS:
            continue
        assert m, name
        rels = ET.fromstring(p[part.replace("worksheets/", "worksheets/_rels/") + ".rels"])
        drawing = "xl/drawings/" + next(r.get("Target") for r in rels
                                        if r.get("Id") == m[1]).rsplit("/", 1)[1]  # fmt: skip
        shape = p[drawing].decode()
        assert f'name="{SHAPE}"' in shape and "<a:hlinkClick" in shape
        link = ET.fromstring(p[drawing.replace("drawings/", "drawings/_rels/") + ".rels"])
        assert [r.get("Target") for r in link] == [f"#'{name}'!B3"]
        assert "<xdr:from><xdr:col>1</xdr:col>" in shape and "<xdr:row>2</xdr:row>" in shape
    code = lite_code(p)
    assert code["main.py"] == (built / "lite/main.py").read_text(encoding="utf-8")
    assert code["requirements.txt"] == (built / "lite/requirements.txt").read_text()
    assert f"xlwings=={xw.__version__}" in code["requirements.txt"]
    ext = p["xl/webextensions/webextension1.xml"].decode()
    assert 'id="wa200008175"' in ext and 'storeType="OMEX"' in ext
    assert "webextensiontaskpanes" in p["_rels/.rels"].decode()
    assert "webextension+xml" in p["[Content_Types].xml"].decode()


LITE_RUNNER = r"""
import asyncio, importlib.util, json, os, sys
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"  # as in xlwings Lite
os.environ["XLSTATUS_BRUGER"] = "test"
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
sys.modules["main"] = main
spec.loader.exec_module(main)
import xlstatus
import xlwings as xw
from xlwings.server import custom_functions_meta, custom_scripts_call, custom_scripts_meta
from xlstatus.excel.payload import book_payload, replay
out = {"xlstatus": xlstatus.__file__, "templates": str(xlstatus.TEMPLATES),
       "scripts": custom_scripts_meta(main),
       "functions": [f["name"] for f in custom_functions_meta(main)["functions"]]}
payload = book_payload(sys.argv[2])
book = xw.Book(json=payload)
asyncio.run(custom_scripts_call(main, "opdater_jobperronen", typehint_to_value={xw.Book: book}))
out["alerts"] = replay(book.json()["actions"], payload).alerts
print(json.dumps(out))
"""


def test_lite_main_py_runs_the_button_scripts_and_functions(built, udtraek, tmp_path):
    """main.py as Lite loads it: xlstatus comes out of main.py itself; the sheet button's
    script updates the workbook from the extract pasted into FACIT-udtræk."""
    book = tmp_path / "lite.xlsx"
    shutil.copy(built / f"lite/{BOOK}.xlsx", book)
    wb = openpyxl.load_workbook(book)
    ws = wb[EXTRACT_SHEET]
    title_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "forloeb")
    col = 1
    for table in ("forloeb", "markeringer", "tilbud", "loentimer", "virksomheder"):
        assert ws.cell(title_row, col).value == table
        lines = (udtraek / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()
        header = lines[0].split(";")
        assert [ws.cell(title_row + 1, col + j).value for j in range(len(header))] == header
        for i, line in enumerate(lines[1:], start=title_row + 2):
            for j, v in enumerate(line.split(";")):
                ws.cell(i, col + j).value = v or None
        col += len(header) + 4
    st = wb[tekster.SETTINGS]  # the button fills this month; the test extract ends in jan-26
    row = next(r for r in range(1, st.max_row + 1)
               if st.cell(r, 1).value == "Tillad gammelt udtræk")  # fmt: skip
    st.cell(row, 2).value = "Ja"
    wb.save(book)
    runner = tmp_path / "runner.py"
    runner.write_text(LITE_RUNNER, encoding="utf-8")
    result = subprocess.run([sys.executable, str(runner), str(built / "lite/main.py"), str(book)],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert "xlstatus-" in out["xlstatus"] and "site-packages" not in out["xlstatus"]
    assert out["templates"].endswith("skabeloner") and "xlstatus-" in out["templates"]
    buttons = {m["function_name"]: m.get("button") for m in out["scripts"]}
    for sheet in SCHEMA_SHEETS:
        assert f"[{SHAPE}]'{sheet}'!B3" in buttons.values()
    assert buttons["opdater"] is None and "klargoer_til_udvalg" in buttons
    # Office.js names in Lite: XLSTATUS.INDIKATOR (desktop Excel: XLSTATUS_INDIKATOR)
    assert sorted(out["functions"]) == sorted(
        f"{excel.NAMESPACE}.{excel.office_js_navn(f)}" for f in excel.FUNKTIONER
    )
    ((text, _title, mode),) = out["alerts"]
    assert mode == "info" and text.startswith("Opdateret"), text


pytestmark_lo = pytest.mark.skipif(not libreoffice.available(),
                                   reason="LibreOffice er ikke installeret")  # fmt: skip


@pytest.mark.libreoffice
@pytestmark_lo
def test_libreoffice_sees_the_buttons_macro_and_shapes(built, tmp_path):
    ods = libreoffice.convert(built / f"{BOOK}.xlsm", "ods", tmp_path / "desktop")
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode()
        module = z.read("Basic/VBAProject/Module1.xml").decode()
        names = z.namelist()
    assert len(re.findall(r"<form:button\b[^>]*form:label=\"Opdater\"", content)) == 5
    assert content.count(f"VBAProject.Module1.{MACRO}") == 5
    assert "RunPython" in module and "main()" in module
    assert "Basic/VBAProject/xlwings.xml" in names
    ods = libreoffice.convert(built / f"lite/{BOOK}.xlsx", "ods", tmp_path / "lite")
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode()
    assert content.count(f'draw:name="{SHAPE}"') == 5
    for sheet in SCHEMA_SHEETS:
        assert f"#&apos;{sheet}&apos;.B3" in content


def test_command_line_refuses_the_lite_workbook_rather_than_dropping_its_code(built):
    from xlstatus.arbejdsbog.fil import lost_parts

    lost = lost_parts(built / "lite" / f"{BOOK}.xlsx")
    assert any("xlwings Lite-koden" in item for item in lost)


def test_committed_workbook_folder_is_current(built):
    """workbook/ is generated: after changing src/ (templates too), run byg-arbejdsbog."""
    repo = Path(__file__).resolve().parents[1] / "workbook"
    stale = [name for name in FILES if (repo / name).read_bytes() != (built / name).read_bytes()]
    assert not stale, f"forældede filer i workbook/ – kør 'xlstatus byg-arbejdsbog': {stale}"
