"""The desktop workbook's extras: the xlwings.conf sheet, form buttons running xlwings'
RunPython macro, the VBA project and the module Statusskema.py beside the workbook."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from xlstatus.byg.dele import (
    _AFTER_LEGACY,
    BOOK,
    BUTTON_COL,
    BUTTON_ROW,
    MACRO,
    REL_VBA,
    REL_VML,
    VML_NS,
    _add_rel,
    _content_type,
    _existing_child,
    _insert_child,
    _rels,
    _resolve,
    _xml,
    sheet_parts,
)

XLWINGS_CONF = "xlwings.conf"


def xlwings_conf_sheet(wb) -> None:
    """xlwings' settings for RunPython and Import Functions (keys from A1 down, no gaps)."""
    from openpyxl.styles import Font

    from xlstatus.arbejdsbog.fil import set_value

    ws = wb.create_sheet(XLWINGS_CONF)
    rows = [
        (
            "Interpreter_Win",
            r"%LOCALAPPDATA%\xlstatus\venv\Scripts\pythonw.exe",
            "Python med xlstatus på Windows (se docs/brugervejledning.md).",
        ),
        ("Interpreter_Mac", "$HOME/xlstatus/venv/bin/python", "Python med xlstatus på Mac."),
        ("UDF Modules", BOOK, "Modulet med xlstatus-funktionerne: Statusskema.py ved siden af."),
        ("Debug UDFs", False, ""),
        ("Use UDF Server", False, ""),
        ("Show Console", False, ""),
    ]
    for r, (key, value, note) in enumerate(rows, start=1):
        set_value(ws.cell(r, 1), key)
        set_value(ws.cell(r, 2), value)
        set_value(ws.cell(r, 4), note)
        ws.cell(r, 4).font = Font(italic=True, color="595959")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 52


def _button_vml(shape_id: int, caption: str, macro: str) -> list[ET.Element]:
    v, o, x = (f"{{{VML_NS[k]}}}" for k in ("v", "o", "x"))
    shapetype = ET.Element(
        f"{v}shapetype",
        {
            "id": "_x0000_t201",
            "coordsize": "21600,21600",
            f"{o}spt": "201",
            "path": "m,l,21600r21600,l21600,xe",
        },
    )
    ET.SubElement(shapetype, f"{v}stroke", joinstyle="miter")
    ET.SubElement(
        shapetype,
        f"{v}path",
        {
            "shadowok": "f",
            f"{o}extrusionok": "f",
            "strokeok": "f",
            "fillok": "f",
            f"{o}connecttype": "rect",
        },
    )
    ET.SubElement(shapetype, f"{o}lock", {f"{v}ext": "edit", "shapetype": "t"})
    shape = ET.Element(
        f"{v}shape",
        {
            "id": f"_x0000_s{shape_id}",
            "type": "#_x0000_t201",
            "style": "position:absolute;margin-left:62pt;margin-top:31pt;width:64pt;height:22pt;"
            "z-index:1;mso-wrap-style:tight",
            f"{o}button": "t",
            "fillcolor": "buttonFace [67]",
            "strokecolor": "windowText [64]",
            f"{o}insetmode": "auto",
        },
    )
    ET.SubElement(shape, f"{v}fill", {"color2": "buttonFace [67]", f"{o}detectmouseclick": "t"})
    ET.SubElement(shape, f"{o}lock", {f"{v}ext": "edit", "rotation": "t"})
    box = ET.SubElement(
        shape, f"{v}textbox", {"style": "mso-direction-alt:auto", f"{o}singleclick": "f"}
    )
    div = ET.SubElement(box, "div", style="text-align:center")
    font = ET.SubElement(div, "font", face="Calibri", size="220", color="#000000")
    font.text = caption
    data = ET.SubElement(shape, f"{x}ClientData", ObjectType="Button")
    c, r = BUTTON_COL - 1, BUTTON_ROW - 1
    for tag, text in (
        ("Anchor", f"{c}, 2, {r}, 2, {c}, 86, {r}, 32"),
        ("PrintObject", "False"),
        ("AutoFill", "False"),
        ("FmlaMacro", f"[0]!{macro}"),
        ("TextHAlign", "Center"),
        ("TextVAlign", "Center"),
    ):
        ET.SubElement(data, f"{x}{tag}").text = text
    return [shapetype, shape]


def add_buttons(parts: dict[str, bytes], sheets: list[str], caption: str = "Opdater") -> None:
    """A form button running the macro on every given sheet (legacy VML drawing)."""
    _content_type(
        parts, default=("vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")
    )
    by_name = sheet_parts(parts)
    # every VML drawing owns its own blocks of 1024 shape ids (<o:idmap data="…">)
    taken = {
        int(b)
        for name, data in parts.items()
        if name.endswith(".vml")
        for m in re.finditer(rb'idmap[^>]*data="([\d,]+)"', data)
        for b in m[1].decode().split(",")
    }
    for n, name in enumerate(sheets, start=1):
        part = by_name[name]
        rid = _existing_child(parts[part], "legacyDrawing")
        rels = {r.get("Id"): r.get("Target", "") for r in _rels(parts, part)}
        if rid is not None:
            vml_part = _resolve(part, rels[rid])
            root = _xml(parts[vml_part])
        else:
            vml_part = f"xl/drawings/vmlDrawingKnap{n}.vml"
            free = next(b for b in range(1, 1000) if b not in taken)
            taken.add(free)
            root = ET.Element("xml")
            layout = ET.SubElement(
                root, f"{{{VML_NS['o']}}}shapelayout", {f"{{{VML_NS['v']}}}ext": "edit"}
            )
            ET.SubElement(
                layout,
                f"{{{VML_NS['o']}}}idmap",
                {f"{{{VML_NS['v']}}}ext": "edit", "data": str(free)},
            )
        idmap = next(root.iter(f"{{{VML_NS['o']}}}idmap"), None)
        block = int(str(idmap.get("data") if idmap is not None else 1).split(",")[0])
        used = [
            int(m[1]) for s in root.iter() if (m := re.fullmatch(r"_x0000_s(\d+)", s.get("id", "")))
        ]
        shape_id = max([block * 1024, *used]) + 1
        if rid is not None and any(s.get("id") == "_x0000_t201" for s in root.iter()):
            root.append(_button_vml(shape_id, caption, MACRO)[1])
        else:
            for el in _button_vml(shape_id, caption, MACRO):
                root.append(el)
        parts[vml_part] = ET.tostring(root)
        if rid is None:
            target = "../drawings/" + vml_part.rsplit("/", 1)[1]
            new = _add_rel(parts, part, REL_VML, target)
            parts[part] = _insert_child(parts[part], "legacyDrawing", new, _AFTER_LEGACY)


def vba_project() -> bytes:
    """vbaProject.bin of xlwings' standalone quickstart (module xlwings + SampleCall)."""
    import xlwings

    src = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(src) as z:
        return z.read("xl/vbaProject.bin")


def add_vba(parts: dict[str, bytes], vba: bytes) -> None:
    parts["xl/vbaProject.bin"] = vba
    _content_type(parts, default=("bin", "application/vnd.ms-office.vbaProject"))
    _content_type(
        parts, override=("/xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    )
    _add_rel(parts, "xl/workbook.xml", REL_VBA, "vbaProject.bin")


def desktop_module() -> str:
    from xlstatus.excel import FUNKTIONER

    names = ",\n    ".join(FUNKTIONER)
    return f'''"""Opdater-knappen og xlstatus-funktionerne i {BOOK}.xlsm (skrivebords-Excel).

Genereret af `xlstatus byg-arbejdsbog` – ret ikke i filen. Knappen Opdater kører makroen
{MACRO}, som via xlwings' RunPython kalder main() i denne fil med arbejdsbogen, der er
åben i Excel. Filen skal ligge i samme mappe som {BOOK}.xlsm og hedde som den.
Funktionerne herunder hentes ind i Excel med makroen ImportPythonUDFs (Alt+F8).
"""

import xlwings as xw

from xlstatus import excel
from xlstatus.excel import (  # noqa: F401 - Import Functions finder dem her
    {names},
)


def main():
    """Opdater: udfyld måneden fra FACIT-udtrækket i den åbne arbejdsbog."""
    excel.koer_opdater(xw.Book.caller())


def klargoer():
    """Klargør til udvalg: lav kopien til udvalget ved siden af arbejdsbogen."""
    excel.koer_klargoer(xw.Book.caller())


if __name__ == "__main__":  # kør fra en terminal med arbejdsbogen åben i Excel
    xw.Book("{BOOK}.xlsm").set_mock_caller()
    main()
'''
