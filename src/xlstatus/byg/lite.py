"""The xlwings Lite workbook's extras: a hyperlinked shape per schema sheet (the Opdater
button), main.py with xlstatus packed into it, requirements.txt and the add-in part."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from xlstatus import __version__
from xlstatus.byg.dele import (
    _AFTER_DRAWING,
    BOOK,
    BUTTON_COL,
    BUTTON_ROW,
    FIXED,
    NS_PKG,
    NS_R,
    REL_DRAWING,
    REL_LINK,
    REL_TASKPANES,
    REL_WEBEXT,
    SHAPE,
    _add_rel,
    _content_type,
    _dump,
    _existing_child,
    _insert_child,
    _rels_path,
    _xml,
    sheet_parts,
)

LITE_STORE_ID = "wa200008175"  # xlwings Lite in the Office add-in store
# What workbooks saved by real xlwings Lite carry (amararun/xlwings-lite-apps-codes-docs,
# six files, 2025): the add-in and Pyodide versions, and the four "# required" lines.
PYODIDE_VERSION = "0.27.5"
ADDIN_VERSION = "1.0.0.0-18"
PYTHON_DOTENV = "python-dotenv==1.1.1"
BUNDLE_SKIP = ("cli/", "byg/", "server/", "udtraek/generator.py")  # not needed inside Excel


def _shape_xml(rid: str) -> bytes:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    c, r = BUTTON_COL - 1, BUTTON_ROW - 1
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}" xmlns:r="{NS_R}"><xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>{c}</xdr:col><xdr:colOff>19050</xdr:colOff><xdr:row>{r}</xdr:row><xdr:rowOff>19050</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c}</xdr:col><xdr:colOff>800100</xdr:colOff><xdr:row>{r}</xdr:row><xdr:rowOff>304800</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="{SHAPE}" descr="Opdater: udfyld måneden fra FACIT-udtrækket"><a:hlinkClick r:id="{rid}" tooltip="Opdater"/></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="781050" cy="285750"/></a:xfrm><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="2F5597"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="1F3864"/></a:solidFill></a:ln></xdr:spPr><xdr:txBody><a:bodyPr wrap="none" lIns="36000" tIns="0" rIns="36000" bIns="0" rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="da-DK" sz="1100" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr><a:t>Opdater</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData fPrintsWithSheet="0"/></xdr:twoCellAnchor></xdr:wsDr>'''.encode()  # noqa: E501


def button_cell() -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(BUTTON_COL)}{BUTTON_ROW}"


def button_ref(sheet: str) -> str:
    """A script's `button=` for the shape on `sheet`. The add-in (xlwings' sheet-buttons.js,
    Lite and Server alike) strips the outer quotes but does not undo doubled ones, so a
    sheet name with ' goes in as it is: [xlstatus_opdater]'Bo's ark'!B3."""
    return f"[{SHAPE}]'{sheet}'!{button_cell()}"


def _quoted(sheet: str) -> str:
    """A sheet name in a hyperlink location (Excel's syntax: ' doubled)."""
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
        ET.SubElement(
            link_rels,
            f"{{{NS_PKG}}}Relationship",
            Id="rId1",
            Type=REL_LINK,
            Target=f"#{_quoted(name)}!{button_cell()}",
        )
        parts[_rels_path(drawing)] = _dump(link_rels)
        parts[drawing] = _shape_xml("rId1")
        _content_type(
            parts,
            override=("/" + drawing, "application/vnd.openxmlformats-officedocument.drawing+xml"),
        )
        rid = _add_rel(parts, part, REL_DRAWING, "../drawings/" + drawing.rsplit("/", 1)[1])
        parts[part] = _insert_child(parts[part], "drawing", rid, _AFTER_DRAWING)


def _bundle() -> bytes:
    """xlstatus's source with the templates in use (packaged ones plus the override
    folder's, skabelonfiler) as one zip (fixed timestamps: reproducible)."""
    from xlstatus.skabelonfiler import (
        ALIAS_FILE,
        MAALTAL_FILE,
        SAMMENLIGNING_FILE,
        schema_files,
        template_file,
    )

    pkg = Path(__file__).resolve().parents[1]
    files: list[tuple[str, Path]] = []
    for p in sorted(pkg.rglob("*.py")):
        rel = p.relative_to(pkg).as_posix()
        if not rel.startswith(BUNDLE_SKIP):
            files.append(("xlstatus/" + rel, p))
    for name in (ALIAS_FILE, MAALTAL_FILE, SAMMENLIGNING_FILE):
        files.append((f"xlstatus/skabeloner/{name}", template_file(name)))
    files += [(f"xlstatus/skabeloner/skemaer/{p.name}", p) for p in schema_files()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, path in files:
            info = zipfile.ZipInfo(arcname, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buf.getvalue()


def _slug(text: str) -> str:
    from xlstatus.kerne.noegler import alnum_key

    return re.sub(r"_+", "_", alnum_key(text).replace(" ", "_")) or "ark"


def lite_main(sheets: list[str], bundle: bytes | None = None) -> str:
    """main.py for xlwings Lite: unpacks xlstatus, then the scripts and functions."""
    bundle = _bundle() if bundle is None else bundle
    digest = hashlib.sha256(bundle).hexdigest()[:12]
    text = base64.b64encode(bundle).decode("ascii")
    chunks = "\n".join(f'    "{text[i : i + 96]}"' for i in range(0, len(text), 96))
    buttons, used = [], set()
    for sheet in sheets:
        ref = button_ref(sheet)
        slug = _slug(sheet)
        while slug in used:
            slug += "_"
        used.add(slug)
        buttons.append(f'''


@script(name={"Opdater (" + sheet + ")"!r}, button={ref!r}, show_taskpane=False)
def opdater_{slug}(book: xw.Book):
    """Knappen Opdater på et skemaark (se button)."""
    excel.koer_opdater(book)''')
    return f'''"""xlstatus i xlwings Lite – genereret af `xlstatus byg-arbejdsbog`; ret ikke i den.

Knappen Opdater på hvert skemaark og funktionerne XLSTATUS.… kører samme kode som
kommandolinjen. xlstatus {__version__} med skabelonerne (xlstatus/skabeloner) ligger pakket herunder
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
    os.environ.setdefault("XLWINGS_ON_SERVER", "true")  # Lite's setting, in case


_pak_ud()

import xlwings as xw  # noqa: E402
from xlwings import script  # noqa: E402

from xlstatus import excel  # noqa: E402
from xlstatus.excel import klargoer_til_udvalg, opdater  # noqa: E402, F401 - Lites scripts

# funktionerne som XLSTATUS.INDIKATOR osv. (Lite har intet eget navnerum)
globals().update(excel.office_js_funktioner(excel.NAMESPACE)){"".join(buttons)}
'''


def lite_requirements() -> str:
    import xlwings

    return (
        f"xlwings=={xlwings.__version__}  # required\n"
        f"{PYTHON_DOTENV}  # required\n"
        "pyodide-http  # required\n"
        "black  # required\n"
        "pandas\n"
        "numpy\n"
        "openpyxl\n"
    )


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
    ET.SubElement(
        ext,
        f"{{{we}}}reference",
        id=LITE_STORE_ID,
        version="1.0.0.0",
        store="en-US",
        storeType="OMEX",
    )
    alternate = ET.SubElement(ext, f"{{{we}}}alternateReferences")
    ET.SubElement(
        alternate,
        f"{{{we}}}reference",
        id=LITE_STORE_ID,
        version="1.0.0.0",
        store=LITE_STORE_ID.upper(),
        storeType="OMEX",
    )
    props = ET.SubElement(ext, f"{{{we}}}properties")
    for name, value in (
        ("Office.AutoShowTaskpaneWithDocument", "true"),
        ("xlwingsWorkbookId", json.dumps(str(book_id))),
        ("main.py", json.dumps(main_py, ensure_ascii=False)),
        ("pyodideVersion", json.dumps(PYODIDE_VERSION)),
        ("addinVersion", json.dumps(ADDIN_VERSION)),
        ("requirements.txt", json.dumps(requirements, ensure_ascii=False)),
    ):
        ET.SubElement(props, f"{{{we}}}property", name=name, value=value)
    ET.SubElement(ext, f"{{{we}}}bindings")
    ET.SubElement(ext, f"{{{we}}}snapshot")
    parts["xl/webextensions/webextension1.xml"] = _dump(ext)
    panes = ET.Element(f"{{{wetp}}}taskpanes")
    pane = ET.SubElement(
        panes, f"{{{wetp}}}taskpane", dockstate="right", visibility="1", width="438", row="4"
    )
    ET.SubElement(pane, f"{{{wetp}}}webextensionref", {f"{{{NS_R}}}id": "rId1"})
    parts["xl/webextensions/taskpanes.xml"] = _dump(panes)
    rels = ET.Element(f"{{{NS_PKG}}}Relationships")
    ET.SubElement(
        rels, f"{{{NS_PKG}}}Relationship", Id="rId1", Type=REL_WEBEXT, Target="webextension1.xml"
    )
    parts["xl/webextensions/_rels/taskpanes.xml.rels"] = _dump(rels)
    root = _xml(parts["_rels/.rels"])
    ET.SubElement(
        root,
        f"{{{NS_PKG}}}Relationship",
        Id="rIdXlwingsLite",
        Type=REL_TASKPANES,
        Target="xl/webextensions/taskpanes.xml",
    )
    parts["_rels/.rels"] = _dump(root)
    _content_type(
        parts,
        override=(
            "/xl/webextensions/taskpanes.xml",
            "application/vnd.ms-office.webextensiontaskpanes+xml",
        ),
    )
    _content_type(
        parts,
        override=(
            "/xl/webextensions/webextension1.xml",
            "application/vnd.ms-office.webextension+xml",
        ),
    )


def lite_code(parts: dict[str, bytes]) -> dict[str, str]:
    """main.py and requirements.txt as stored in a workbook (for checking a build)."""
    root = _xml(parts["xl/webextensions/webextension1.xml"])
    out = {}
    for p in root.iter():
        if p.tag.endswith("}property") and p.get("name") in ("main.py", "requirements.txt"):
            out[p.get("name")] = json.loads(p.get("value"))
    return out
