"""The Lite workbook as real xlwings Lite writes it, compared part by part with workbooks
saved by Lite (the public repository amararun/xlwings-lite-apps-codes-docs: six files,
2025): web-extension properties, requirements.txt, and sheet buttons whose links survive
a ' in the sheet name."""

from __future__ import annotations

import ast
import io
import json
import re
import zipfile
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from xlstatus.byg.dele import NS_PKG, _rels_path, _save, sheet_parts
from xlstatus.byg.lite import (
    ADDIN_VERSION,
    PYODIDE_VERSION,
    add_shapes,
    add_webextension,
    button_ref,
    lite_main,
    lite_requirements,
)

WE = "{http://schemas.microsoft.com/office/webextensions/webextension/2010/11}"
# what every one of the six real files has: these lines first, each marked "# required"
REAL_REQUIRED = ["xlwings", "python-dotenv", "pyodide-http", "black"]


def _parts_with(sheets: list[str]) -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    wb.active.title = sheets[0]
    for name in sheets[1:]:
        wb.create_sheet(name)
    return _save(wb)


def js_sheet_and_cell(button: str) -> tuple[str, str, str]:
    """xlwings' sheet-buttons.js (Lite and Server): how the add-in reads `button=`."""
    m = re.match(r"^\[(.*?)\](.*)$", button)
    assert m is not None
    shape, rest = m[1], m[2]
    sheet, cell = rest.split("!")[:2]
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1]
    return shape, sheet, cell


def excel_location(target: str) -> tuple[str, str]:
    """A hyperlink location '#'Bo''s ark'!B3' as Excel resolves it."""
    sheet, cell = target.lstrip("#").rsplit("!", 1)
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cell


@pytest.mark.parametrize("sheet", ["Jobperronen", "Klar, parat - i job", "Bo's ark", "'x'"])
def test_sheet_buttons_survive_quotes_in_sheet_names(sheet):
    parts = _parts_with([sheet])
    add_shapes(parts, [sheet])
    part = sheet_parts(parts)[sheet]
    drawing_rel = ET.fromstring(parts[_rels_path(part)])
    drawing = "xl/drawings/" + next(iter(drawing_rel)).get("Target").rsplit("/", 1)[1]
    link = next(iter(ET.fromstring(parts[_rels_path(drawing)])))
    assert link.tag == f"{{{NS_PKG}}}Relationship"
    assert excel_location(link.get("Target")) == (sheet, "B3")  # the click selects B3 …
    assert js_sheet_and_cell(button_ref(sheet)) == ("xlstatus_opdater", sheet, "B3")  # … runs
    code = lite_main([sheet], bundle=b"")
    tree = ast.parse(code)  # a name with ' or " still makes valid Python
    buttons = [kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
               for kw in node.keywords if kw.arg == "button"]  # fmt: skip
    assert buttons == [button_ref(sheet)]


def test_requirements_list_what_real_lite_files_list():
    lines = lite_requirements().splitlines()
    names = [re.split(r"[=<>\s]", line)[0] for line in lines]
    assert names[: len(REAL_REQUIRED)] == REAL_REQUIRED
    assert all(line.endswith("# required") for line in lines[: len(REAL_REQUIRED)])
    assert {"pandas", "numpy", "openpyxl"} <= set(names)


def test_webextension_carries_the_properties_real_files_carry():
    parts = _parts_with(["Ark1"])
    parts["_rels/.rels"] = parts["_rels/.rels"]
    add_webextension(parts, "print('hej')\n", lite_requirements())
    ext = ET.fromstring(parts["xl/webextensions/webextension1.xml"])
    props = {p.get("name"): json.loads(p.get("value")) for p in ext.iter(f"{WE}property")}
    assert props["pyodideVersion"] == PYODIDE_VERSION and re.fullmatch(
        r"\d+\.\d+\.\d+", PYODIDE_VERSION
    )
    assert props["addinVersion"] == ADDIN_VERSION and ADDIN_VERSION.startswith("1.0.0.0-")
    assert props["main.py"] == "print('hej')\n"
    order = [p.get("name") for p in ext.iter(f"{WE}property")]
    real = ["main.py", "pyodideVersion", "addinVersion", "requirements.txt"]
    assert [n for n in order if n in real] == real  # as Lite writes them
    ref = ext.find(f"{WE}reference")
    alt = ext.find(f"{WE}alternateReferences/{WE}reference")
    assert ref.get("id") == "wa200008175" and alt.get("store") == "WA200008175"


def test_the_built_lite_workbook_opens_and_has_the_parts(tmp_path):
    from xlstatus.byg import byg_arbejdsbog

    byg_arbejdsbog(tmp_path)
    data = (tmp_path / "lite" / "Statusskema.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        ext = z.read("xl/webextensions/webextension1.xml").decode()
    assert "pyodideVersion" in ext and "addinVersion" in ext
    openpyxl.load_workbook(io.BytesIO(data))
    server = tmp_path / "server" / "Statusskema.xlsx"
    with zipfile.ZipFile(server) as z:
        names = z.namelist()
    assert not any("webextension" in n or "vbaProject" in n for n in names)  # no macros
    assert sum(n.startswith("xl/drawings/drawingKnap") for n in names) == 5


def test_lite_reads_an_extract_imported_through_its_files_menu(tmp_path, monkeypatch):
    """In Lite, Python sees only its own file system: what was imported through the menu
    Files → Import/Export (/data/…). Such a path on Indstillinger is read; any other path
    gets the Danish explanation. (sys.platform is what tells xlstatus it runs in Lite.)"""
    import sys

    from test_excel import new_book, run_script

    from xlstatus.udtraek.generator import generate, write_extract

    imported = write_extract(generate(seed=5, faktor=0.03), tmp_path / "data" / "udtraek", "csv")
    monkeypatch.setattr(sys, "platform", "emscripten")
    _, _, rp = run_script(new_book(tmp_path / "a.xlsx", imported), "2025-03")
    ((text, _title, mode),) = rp.alerts
    assert mode == "info" and text.startswith("Opdateret mar-25"), text
    _, actions, rp = run_script(new_book(tmp_path / "b.xlsx", tmp_path / "nej"), "2025-03")
    assert [a["func"] for a in actions] == ["alert"]
    assert "Files → Import/Export" in rp.alerts[0][0] and "/data/udtraek" in rp.alerts[0][0]
