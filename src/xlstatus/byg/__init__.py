"""Build the workbooks people open (workbook/) from templates/, reproducibly.

`byg_arbejdsbog(mappe)` writes

- `Statusskema.xlsm` – desktop Excel: the statusskema workbook of `arbejdsbog.bygger`
  (schema sheets, Måltal, Data, Log, Indstillinger, Vejledning) plus the sheets
  `FACIT-udtræk` and `xlwings.conf`, xlwings' standalone VBA module (taken from the
  installed xlwings package, so it always matches its version) and an **Opdater** button
  on every schema sheet that runs the macro `SampleCall`, i.e. RunPython
  `import Statusskema; Statusskema.main()`;
- `Statusskema.py` – that module: `main()` calls `xlstatus.excel.koer_opdater` with
  `xw.Book.caller()`, and it exposes the xlstatus cell functions for Import Functions;
- `lite/Statusskema.xlsx` – for xlwings Lite: the same workbook with a shape named
  `xlstatus_opdater` on every schema sheet, hyperlinked to the cell it covers, and the
  add-in part `xl/webextensions/webextension1.xml` holding main.py and requirements.txt;
- `lite/main.py`, `lite/requirements.txt` – the same code as files (xlstatus and
  templates/ are packed into main.py, so the workbook needs nothing else);
- `LÆSMIG.md` – what the files are and the one manual step for each.

The openpyxl workbook is made by `arbejdsbog.bygger.build_workbook`; buttons, shapes, VBA
and the add-in parts are added at the zip level (openpyxl cannot write them). Entries get
fixed timestamps, so building twice gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import uuid
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from xlstatus import TEMPLATES, __version__
from xlstatus.arbejdsbog import tekster
from xlstatus.kerne.skema import Schema, load_schemas

BOOK = "Statusskema"
MACRO = "SampleCall"  # the macro of xlwings' standalone quickstart: RunPython <book>.main()
SHAPE = "xlstatus_opdater"
BUTTON_ROW, BUTTON_COL = 3, 2  # B3: inside the frozen panes, empty on every schema sheet
BUTTON_ROW_HEIGHT = 26.0  # points
LITE_STORE_ID = "wa200008175"  # xlwings Lite in the Office add-in store
FIXED = datetime(2024, 1, 10, 12, 0, 0)  # the start measurement: every build is identical
XLWINGS_CONF = "xlwings.conf"
BUNDLE_SKIP = ("cli/", "byg/", "udtraek/generator.py")  # not needed inside Excel

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
REL_LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXT = "http://schemas.microsoft.com/office/2011/relationships/webextension"
VML_NS = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
          "x": "urn:schemas-microsoft-com:office:excel"}  # fmt: skip
for _prefix, _uri in VML_NS.items():
    ET.register_namespace(_prefix, _uri)

# sheets after which an element may not come before <legacyDrawing> / <drawing>
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst")  # fmt: skip
_AFTER_DRAWING = ("legacyDrawing", *_AFTER_LEGACY)


# --------------------------------------------------------------------------- the workbook


def extract_sheet(wb) -> None:
    """The sheet FACIT-udtræk: where the extract is pasted (works everywhere, Lite too)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from xlstatus.arbejdsbog.fil import set_value
    from xlstatus.kerne.model import TABLES
    from xlstatus.udtraek.ark import SHEET

    ws = wb.create_sheet(SHEET)
    lines = [
        ("FACIT-udtræk – indsæt månedens udtræk her (bruges i stedet for stien på "
         "Indstillinger)", Font(bold=True, size=14)),
        ("Indsæt hver tabel under sit navn: overskriftsrækken og alle rækker, fx kopieret fra "
         "CSV-filen eller udtrækket i Excel. Står der intet under et navn, læses udtrækket fra "
         "stien på Indstillinger.", None),
        ("Har jeres udtræk flere kolonner end her, så skriv i stedet tabellernes navne i "
         "kolonne A under hinanden med tabellen under hvert navn og en tom række imellem.",
         None),
        ("Arket indeholder personoplysninger (CPR-numre), når udtrækket er indsat: slet "
         "indholdet, når I er færdige. Udvalgets kopi indeholder aldrig dette ark.",
         Font(bold=True, color="9C0006")),
    ]  # fmt: skip
    for r, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        set_value(cell, text)
        if font is not None:
            cell.font = font
    title_row = len(lines) + 2
    col = 1
    fill = PatternFill("solid", fgColor="DDEBF7")
    for table, spec in TABLES.items():
        title = ws.cell(title_row, col)
        set_value(title, table)
        title.font = Font(bold=True, size=12)
        for j, name in enumerate(spec):
            cell = ws.cell(title_row + 1, col + j)
            set_value(cell, name)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center")
            ws.column_dimensions[cell.column_letter].width = 14
        col += len(spec) + 4
    ws.freeze_panes = ws.cell(title_row + 2, 1).coordinate


def xlwings_conf_sheet(wb) -> None:
    """xlwings' settings for RunPython and Import Functions (keys from A1 down, no gaps)."""
    from openpyxl.styles import Font

    from xlstatus.arbejdsbog.fil import set_value

    ws = wb.create_sheet(XLWINGS_CONF)
    rows = [
        ("Interpreter_Win", r"%LOCALAPPDATA%\xlstatus\venv\Scripts\pythonw.exe",
         "Python med xlstatus på Windows (se docs/brugervejledning.md)."),
        ("Interpreter_Mac", "$HOME/xlstatus/venv/bin/python", "Python med xlstatus på Mac."),
        ("UDF Modules", BOOK, "Modulet med xlstatus-funktionerne: Statusskema.py ved siden af."),
        ("Debug UDFs", False, ""),
        ("Use UDF Server", False, ""),
        ("Show Console", False, ""),
    ]  # fmt: skip
    for r, (key, value, note) in enumerate(rows, start=1):
        set_value(ws.cell(r, 1), key)
        set_value(ws.cell(r, 2), value)
        set_value(ws.cell(r, 4), note)
        ws.cell(r, 4).font = Font(italic=True, color="595959")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 52


def build_base(schemas: list[Schema], desktop: bool):
    """The openpyxl workbook of a variant and the names of its schema sheets."""
    from xlstatus.arbejdsbog.bygger import build_workbook

    wb = build_workbook(schemas)
    names = [ws.title for ws in wb.worksheets[: len(schemas)]]
    for name in names:
        wb[name].row_dimensions[BUTTON_ROW].height = BUTTON_ROW_HEIGHT
    extract_sheet(wb)
    if desktop:
        xlwings_conf_sheet(wb)
        wb.code_name = "ThisWorkbook"
        for i, ws in enumerate(wb.worksheets, start=1):
            ws.sheet_properties.codeName = f"Sheet{i}"
    # the very hidden record sheet stays last
    wb._sheets.sort(key=lambda ws: ws.title == tekster.RECORD)
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = "xlstatus"
    return wb, names


def _save(wb) -> dict[str, bytes]:
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps and '[Content_Types].xml' first."""
    buf = io.BytesIO()
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            z.writestr(info, parts[name])
    return buf.getvalue()


def _fixed_core(parts: dict[str, bytes]) -> None:
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = parts["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m[1] + stamp, core)
    parts["docProps/core.xml"] = core.encode("utf-8")


# --------------------------------------------------------------------------- zip helpers


def _xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def _dump(root: ET.Element) -> bytes:
    """Serialise with the root's namespace as the default one (as Excel writes it)."""
    m = re.match(r"\{([^}]*)\}", root.tag)
    if m and m[1] in (NS_PKG, NS_CT):
        ET.register_namespace("", m[1])
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root)


def _rels_path(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    folder = base_part.rsplit("/", 1)[0]
    out: list[str] = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _rels(parts: dict[str, bytes], part: str) -> ET.Element:
    path = _rels_path(part)
    if path in parts:
        return _xml(parts[path])
    return ET.Element(f"{{{NS_PKG}}}Relationships")


def _add_rel(parts: dict[str, bytes], part: str, rel_type: str, target: str) -> str:
    root = _rels(parts, part)
    ids = {r.get("Id") for r in root}
    n = 1
    while f"rIdX{n}" in ids:
        n += 1
    rid = f"rIdX{n}"
    ET.SubElement(root, f"{{{NS_PKG}}}Relationship", Id=rid, Type=rel_type, Target=target)
    parts[_rels_path(part)] = _dump(root)
    return rid


def _content_type(parts: dict[str, bytes], *, default: tuple[str, str] | None = None,
                  override: tuple[str, str] | None = None) -> None:  # fmt: skip
    root = _xml(parts["[Content_Types].xml"])
    if default:
        ext, ctype = default
        if not any(e.get("Extension") == ext for e in root.iter(f"{{{NS_CT}}}Default")):
            el = ET.Element(f"{{{NS_CT}}}Default", Extension=ext, ContentType=ctype)
            root.insert(0, el)
    if override:
        name, ctype = override
        for e in root.iter(f"{{{NS_CT}}}Override"):
            if e.get("PartName") == name:
                e.set("ContentType", ctype)
                break
        else:
            ET.SubElement(root, f"{{{NS_CT}}}Override", PartName=name, ContentType=ctype)
    parts["[Content_Types].xml"] = _dump(root)


def sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> its worksheet part (zip path)."""
    wb = _xml(parts["xl/workbook.xml"])
    rels = {r.get("Id"): r.get("Target", "") for r in _rels(parts, "xl/workbook.xml")}
    out = {}
    for s in wb.iter(f"{{{NS_MAIN}}}sheet"):
        rid = s.get(f"{{{NS_R}}}id")
        out[s.get("name")] = _resolve("xl/workbook.xml", rels[rid])
    return out


def _insert_child(sheet_xml: bytes, tag: str, rid: str, before: tuple[str, ...]) -> bytes:
    """Add <tag r:id="…"/> to a worksheet, before the first of `before` (schema order)."""
    text = sheet_xml.decode("utf-8")
    root_tag = re.search(r"<worksheet\b[^>]*>", text)
    assert root_tag is not None
    head = root_tag.group(0)
    if "xmlns:r=" not in head:
        text = text.replace(head, head[:-1] + f' xmlns:r="{NS_R}">', 1)
    element = f'<{tag} r:id="{rid}"/>'
    positions = [m.start() for b in before for m in [re.search(rf"<{b}\b", text)] if m]
    at = min(positions) if positions else text.rindex("</worksheet>")
    return (text[:at] + element + text[at:]).encode("utf-8")


def _existing_child(sheet_xml: bytes, tag: str) -> str | None:
    m = re.search(rf'<{tag}\b[^>]*\b(?:r:)?id="([^"]+)"', sheet_xml.decode("utf-8"))
    return m[1] if m else None


# --------------------------------------------------------------------------- desktop


def _button_vml(shape_id: int, caption: str, macro: str) -> list[ET.Element]:
    v, o, x = (f"{{{VML_NS[k]}}}" for k in ("v", "o", "x"))
    shapetype = ET.Element(f"{v}shapetype", {"id": "_x0000_t201", "coordsize": "21600,21600",
                                             f"{o}spt": "201",
                                             "path": "m,l,21600r21600,l21600,xe"})  # fmt: skip
    ET.SubElement(shapetype, f"{v}stroke", joinstyle="miter")
    ET.SubElement(shapetype, f"{v}path", {"shadowok": "f", f"{o}extrusionok": "f",
                                          "strokeok": "f", "fillok": "f",
                                          f"{o}connecttype": "rect"})  # fmt: skip
    ET.SubElement(shapetype, f"{o}lock", {f"{v}ext": "edit", "shapetype": "t"})
    shape = ET.Element(f"{v}shape", {
        "id": f"_x0000_s{shape_id}", "type": "#_x0000_t201",
        "style": "position:absolute;margin-left:62pt;margin-top:31pt;width:64pt;height:22pt;"
                 "z-index:1;mso-wrap-style:tight",
        f"{o}button": "t", "fillcolor": "buttonFace [67]", "strokecolor": "windowText [64]",
        f"{o}insetmode": "auto",
    })  # fmt: skip
    ET.SubElement(shape, f"{v}fill", {"color2": "buttonFace [67]", f"{o}detectmouseclick": "t"})
    ET.SubElement(shape, f"{o}lock", {f"{v}ext": "edit", "rotation": "t"})
    box = ET.SubElement(shape, f"{v}textbox", {"style": "mso-direction-alt:auto",
                                               f"{o}singleclick": "f"})  # fmt: skip
    div = ET.SubElement(box, "div", style="text-align:center")
    font = ET.SubElement(div, "font", face="Calibri", size="220", color="#000000")
    font.text = caption
    data = ET.SubElement(shape, f"{x}ClientData", ObjectType="Button")
    c, r = BUTTON_COL - 1, BUTTON_ROW - 1
    for tag, text in (("Anchor", f"{c}, 2, {r}, 2, {c}, 86, {r}, 32"), ("PrintObject", "False"),
                      ("AutoFill", "False"), ("FmlaMacro", f"[0]!{macro}"),
                      ("TextHAlign", "Center"), ("TextVAlign", "Center")):  # fmt: skip
        ET.SubElement(data, f"{x}{tag}").text = text
    return [shapetype, shape]


def add_buttons(parts: dict[str, bytes], sheets: list[str], caption: str = "Opdater") -> None:
    """A form button running the macro on every given sheet (legacy VML drawing)."""
    _content_type(parts, default=("vml", "application/vnd.openxmlformats-officedocument."
                                          "vmlDrawing"))  # fmt: skip
    by_name = sheet_parts(parts)
    # every VML drawing owns its own blocks of 1024 shape ids (<o:idmap data="…">)
    taken = {int(b) for name, data in parts.items() if name.endswith(".vml")
             for m in re.finditer(rb'idmap[^>]*data="([\d,]+)"', data)
             for b in m[1].decode().split(",")}  # fmt: skip
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
            layout = ET.SubElement(root, f"{{{VML_NS['o']}}}shapelayout",
                                   {f"{{{VML_NS['v']}}}ext": "edit"})  # fmt: skip
            ET.SubElement(layout, f"{{{VML_NS['o']}}}idmap",
                          {f"{{{VML_NS['v']}}}ext": "edit", "data": str(free)})  # fmt: skip
        idmap = next(root.iter(f"{{{VML_NS['o']}}}idmap"), None)
        block = int(str(idmap.get("data") if idmap is not None else 1).split(",")[0])
        used = [int(m[1]) for s in root.iter() if (m := re.fullmatch(r"_x0000_s(\d+)",
                                                                     s.get("id", "")))]  # fmt: skip
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
    _content_type(parts, override=("/xl/workbook.xml",
                                   "application/vnd.ms-excel.sheet.macroEnabled.main+xml"))
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


# --------------------------------------------------------------------------- xlwings Lite


def _shape_xml(rid: str) -> bytes:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    c, r = BUTTON_COL - 1, BUTTON_ROW - 1
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}" xmlns:r="{NS_R}"><xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>{c}</xdr:col><xdr:colOff>19050</xdr:colOff><xdr:row>{r}</xdr:row><xdr:rowOff>19050</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c}</xdr:col><xdr:colOff>800100</xdr:colOff><xdr:row>{r}</xdr:row><xdr:rowOff>304800</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="{SHAPE}" descr="Opdater: udfyld måneden fra FACIT-udtrækket"><a:hlinkClick r:id="{rid}" tooltip="Opdater"/></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="781050" cy="285750"/></a:xfrm><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="2F5597"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="1F3864"/></a:solidFill></a:ln></xdr:spPr><xdr:txBody><a:bodyPr wrap="none" lIns="36000" tIns="0" rIns="36000" bIns="0" rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="da-DK" sz="1100" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr><a:t>Opdater</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData fPrintsWithSheet="0"/></xdr:twoCellAnchor></xdr:wsDr>'''.encode()  # noqa: E501


def button_cell() -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(BUTTON_COL)}{BUTTON_ROW}"


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def add_shapes(parts: dict[str, bytes], sheets: list[str]) -> None:
    """A shape named xlstatus_opdater on every given sheet, hyperlinked to the cell it
    covers (B3): xlwings Lite runs the script bound to `[xlstatus_opdater]'Ark'!B3`."""
    by_name = sheet_parts(parts)
    for n, name in enumerate(sheets, start=1):
        part = by_name[name]
        if _existing_child(parts[part], "drawing") is not None:
            raise ValueError(f"arket {name} har allerede en tegning")
        drawing = f"xl/drawings/drawingKnap{n}.xml"
        link_rels = ET.Element(f"{{{NS_PKG}}}Relationships")
        ET.SubElement(link_rels, f"{{{NS_PKG}}}Relationship", Id="rId1", Type=REL_LINK,
                      Target=f"#{_quoted(name)}!{button_cell()}")  # fmt: skip
        parts[_rels_path(drawing)] = _dump(link_rels)
        parts[drawing] = _shape_xml("rId1")
        _content_type(parts, override=("/" + drawing,
                                       "application/vnd.openxmlformats-officedocument."
                                       "drawing+xml"))  # fmt: skip
        rid = _add_rel(parts, part, REL_DRAWING, "../drawings/" + drawing.rsplit("/", 1)[1])
        parts[part] = _insert_child(parts[part], "drawing", rid, _AFTER_DRAWING)


def _bundle() -> bytes:
    """xlstatus's source and templates/ as one zip (fixed timestamps: reproducible)."""
    pkg = Path(__file__).resolve().parents[1]
    files: list[tuple[str, Path]] = []
    for p in sorted(pkg.rglob("*.py")):
        rel = p.relative_to(pkg).as_posix()
        if not rel.startswith(BUNDLE_SKIP):
            files.append(("xlstatus/" + rel, p))
    for p in sorted(Path(TEMPLATES).rglob("*")):
        if p.is_file() and p.suffix in (".toml", ".csv", ".txt"):
            files.append(("templates/" + p.relative_to(TEMPLATES).as_posix(), p))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, path in files:
            info = zipfile.ZipInfo(arcname, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buf.getvalue()


def _slug(text: str) -> str:
    from xlstatus.udtraek.laes import fold

    return re.sub(r"_+", "_", fold(text).replace(" ", "_")) or "ark"


def lite_main(sheets: list[str], bundle: bytes | None = None) -> str:
    """main.py for xlwings Lite: unpacks xlstatus, then the scripts and functions."""
    from xlstatus.excel import FUNKTIONER

    bundle = _bundle() if bundle is None else bundle
    digest = hashlib.sha256(bundle).hexdigest()[:12]
    text = base64.b64encode(bundle).decode("ascii")
    chunks = "\n".join(f'    "{text[i:i + 96]}"' for i in range(0, len(text), 96))
    buttons = []
    for sheet in sheets:
        ref = f"[{SHAPE}]{_quoted(sheet)}!{button_cell()}"
        buttons.append(f'''


@script(name="Opdater ({sheet})", button={ref!r}, show_taskpane=False)
def opdater_{_slug(sheet)}(book: xw.Book):
    """Knappen Opdater på arket {sheet}."""
    excel.koer_opdater(book)''')
    names = ",\n    ".join(["klargoer_til_udvalg", "opdater", *FUNKTIONER])
    return f'''"""xlstatus i xlwings Lite – genereret af `xlstatus byg-arbejdsbog`; ret ikke i den.

Knappen Opdater på hvert skemaark og funktionerne XLSTATUS_… kører samme kode som
kommandolinjen. xlstatus {__version__} og skabelonerne (templates/) ligger pakket herunder
og pakkes ud, når Lite starter. Udtrækket indsættes på arket FACIT-udtræk.
"""

import base64
import io
import os
import sys
import tempfile
import zipfile

_PAKKE = "{digest}"
_INDHOLD = (
{chunks}
)


def _pak_ud() -> None:
    target = os.path.join(tempfile.gettempdir(), "xlstatus-" + _PAKKE)
    if not os.path.isdir(os.path.join(target, "xlstatus")):
        data = base64.b64decode("".join(_INDHOLD))
        zipfile.ZipFile(io.BytesIO(data)).extractall(target)
    if target not in sys.path:
        sys.path.insert(0, target)
    os.environ["XLSTATUS_TEMPLATES"] = os.path.join(target, "templates")
    os.environ.setdefault("XLWINGS_ON_SERVER", "true")  # Lite's setting, in case


_pak_ud()

import xlwings as xw  # noqa: E402
from xlwings import script  # noqa: E402

from xlstatus import excel  # noqa: E402
from xlstatus.excel import (  # noqa: E402, F401 - Lite finder scripts og funktioner her
    {names},
){"".join(buttons)}
'''


def lite_requirements() -> str:
    import xlwings

    return (f"xlwings=={xlwings.__version__}\n"
            "pandas\n"
            "numpy\n"
            "openpyxl\n")  # fmt: skip


def add_webextension(parts: dict[str, bytes], main_py: str, requirements: str) -> None:
    """The xlwings Lite add-in part: a task pane whose properties hold main.py and
    requirements.txt (each a JSON string, as Lite stores them)."""
    we = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
    wetp = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
    ET.register_namespace("we", we)
    ET.register_namespace("wetp", wetp)
    ET.register_namespace("r", NS_R)
    book_id = uuid.uuid5(uuid.NAMESPACE_URL, f"xlstatus/{BOOK}")
    ext = ET.Element(f"{{{we}}}webextension", id="{" + str(book_id).upper() + "}")
    ET.SubElement(ext, f"{{{we}}}reference", id=LITE_STORE_ID, version="1.0.0.0", store="en-US",
                  storeType="OMEX")  # fmt: skip
    ET.SubElement(ext, f"{{{we}}}alternateReferences")
    props = ET.SubElement(ext, f"{{{we}}}properties")
    for name, value in (
        ("Office.AutoShowTaskpaneWithDocument", "true"),
        ("xlwingsWorkbookId", json.dumps(str(book_id))),
        ("main.py", json.dumps(main_py, ensure_ascii=False)),
        ("requirements.txt", json.dumps(requirements, ensure_ascii=False)),
    ):
        ET.SubElement(props, f"{{{we}}}property", name=name, value=value)
    ET.SubElement(ext, f"{{{we}}}bindings")
    ET.SubElement(ext, f"{{{we}}}snapshot")
    parts["xl/webextensions/webextension1.xml"] = _dump(ext)
    panes = ET.Element(f"{{{wetp}}}taskpanes")
    pane = ET.SubElement(panes, f"{{{wetp}}}taskpane", dockstate="right", visibility="1",
                         width="438", row="4")  # fmt: skip
    ET.SubElement(pane, f"{{{wetp}}}webextensionref", {f"{{{NS_R}}}id": "rId1"})
    parts["xl/webextensions/taskpanes.xml"] = _dump(panes)
    rels = ET.Element(f"{{{NS_PKG}}}Relationships")
    ET.SubElement(rels, f"{{{NS_PKG}}}Relationship", Id="rId1", Type=REL_WEBEXT,
                  Target="webextension1.xml")  # fmt: skip
    parts["xl/webextensions/_rels/taskpanes.xml.rels"] = _dump(rels)
    root = _xml(parts["_rels/.rels"])
    ET.SubElement(root, f"{{{NS_PKG}}}Relationship", Id="rIdXlwingsLite", Type=REL_TASKPANES,
                  Target="xl/webextensions/taskpanes.xml")  # fmt: skip
    parts["_rels/.rels"] = _dump(root)
    _content_type(parts, override=("/xl/webextensions/taskpanes.xml",
                                   "application/vnd.ms-office.webextensiontaskpanes+xml"))
    _content_type(parts, override=("/xl/webextensions/webextension1.xml",
                                   "application/vnd.ms-office.webextension+xml"))


def lite_code(parts: dict[str, bytes]) -> dict[str, str]:
    """main.py and requirements.txt as stored in a workbook (for checking a build)."""
    root = _xml(parts["xl/webextensions/webextension1.xml"])
    out = {}
    for p in root.iter():
        if p.tag.endswith("}property") and p.get("name") in ("main.py", "requirements.txt"):
            out[p.get("name")] = json.loads(p.get("value"))
    return out


# --------------------------------------------------------------------------- the command

README = """# Arbejdsbøgerne (genereret – ret ikke i filerne)

Bygget af `xlstatus byg-arbejdsbog` fra `templates/` (skemaer, Måltal, aliaser) og
xlwings {xlwings}. Byg dem igen efter en ændring i skabelonerne; samme skabeloner giver
præcis de samme filer. Brugervejledningen står i `docs/brugervejledning.md`.

- `Statusskema.xlsm` – skrivebords-Excel (Windows/Mac) med Python og xlstatus
  installeret. Knappen **Opdater** på hvert skemaark kører makroen `SampleCall` →
  `Statusskema.main()` via xlwings (RunPython). Arket `xlwings.conf` siger, hvilken
  Python der bruges.
- `Statusskema.py` – skal ligge ved siden af `Statusskema.xlsm` (knappen kalder den).
- `lite/Statusskema.xlsx` – xlwings Lite (Excel på Windows, Mac og i browseren, ingen
  Python-installation). Knappen **Opdater** er en figur med navnet `xlstatus_opdater`,
  der linker til cellen B3 under den; koden (`main.py`) og `requirements.txt` ligger i
  arbejdsbogen.
- `lite/main.py`, `lite/requirements.txt` – samme kode som filer.

## Det manuelle skridt

- **Skrivebords-Excel:** funktionerne `XLSTATUS_…` skal hentes ind én gang: Alt+F8 →
  `ImportPythonUDFs` → Kør (kræver *Tillid til adgang til VBA-projektets objektmodel*).
  Det kan ikke gøres uden Excel, så det er ikke gjort i filen.
- **xlwings Lite:** åbn `lite/Statusskema.xlsx` og xlwings Lite (fanen Hjem). Viser editoren
  ikke xlstatus-koden, så kopiér `lite/main.py` ind i `main.py` og `lite/requirements.txt`
  ind i `requirements.txt` i editoren og gem (Ctrl+S). Lites lagring i arbejdsbogen er ikke
  offentligt beskrevet, så det kan ikke kontrolleres uden Excel.

Kommandolinjen (`xlstatus opdater`) arbejder på en almindelig `.xlsx` uden knapper – lav
den med `xlstatus ny Statusskema.xlsx`.
"""


def byg_arbejdsbog(mappe: str | Path = "workbook") -> list[Path]:
    """Build every file in `mappe` (see the module text); returns the files written."""
    import xlwings

    mappe = Path(mappe)
    (mappe / "lite").mkdir(parents=True, exist_ok=True)
    schemas = load_schemas()
    written: list[Path] = []

    def write(name: str, data: bytes | str) -> None:
        path = mappe / name
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        written.append(path)

    wb, sheets = build_base(schemas, desktop=True)
    parts = _save(wb)
    _fixed_core(parts)
    add_vba(parts, vba_project())
    add_buttons(parts, sheets)
    write(f"{BOOK}.xlsm", _zip(parts))
    write(f"{BOOK}.py", desktop_module())

    wb, sheets = build_base(schemas, desktop=False)
    parts = _save(wb)
    _fixed_core(parts)
    add_shapes(parts, sheets)
    main_py, requirements = lite_main(sheets), lite_requirements()
    add_webextension(parts, main_py, requirements)
    write(f"lite/{BOOK}.xlsx", _zip(parts))
    write("lite/main.py", main_py)
    write("lite/requirements.txt", requirements)
    write("LÆSMIG.md", README.format(xlwings=xlwings.__version__))
    return written
