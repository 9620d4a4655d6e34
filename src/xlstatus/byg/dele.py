"""Shared pieces of the workbook builds: names, XML namespaces and zip-part helpers.

openpyxl cannot write buttons, shapes, VBA or add-in parts, so the builds add them to the
saved zip; entries get fixed timestamps, so building twice gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from xml.etree import ElementTree as ET

BOOK = "Statusskema"
MACRO = "SampleCall"  # the macro of xlwings' standalone quickstart: RunPython <book>.main()
SHAPE = "xlstatus_opdater"
BUTTON_ROW, BUTTON_COL = 3, 2  # B3: inside the frozen panes, empty on every schema sheet
BUTTON_ROW_HEIGHT = 26.0  # points
FIXED = datetime(2024, 1, 10, 12, 0, 0)  # the start measurement: every build is identical

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
VML_NS = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "x": "urn:schemas-microsoft-com:office:excel",
}
for _prefix, _uri in VML_NS.items():
    ET.register_namespace(_prefix, _uri)

# sheets after which an element may not come before <legacyDrawing> / <drawing>
_AFTER_LEGACY = (
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
_AFTER_DRAWING = ("legacyDrawing", *_AFTER_LEGACY)


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


def _content_type(
    parts: dict[str, bytes],
    *,
    default: tuple[str, str] | None = None,
    override: tuple[str, str] | None = None,
) -> None:
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
