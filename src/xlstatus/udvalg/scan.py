"""Checks that the committee copy is safe to publish: no CPR-like number anywhere, no
formula, no macro, no external link. Reads the .xlsx as a zip of XML parts, so it sees
what any program would see (cells, notes, chart titles, headers, properties, …)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

CPR_LIKE = re.compile(r"\d{6}-?\d{4}")
UDF = re.compile(r"xlstatus|xlwings", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_FORBIDDEN_PARTS = (
    "xl/vbaProject",
    "xl/externalLinks/",
    "xl/connections.xml",
    "xl/pivotTables/",
    "xl/pivotCache/",
    "xl/queryTables/",
    "xl/embeddings/",
    "xl/activeX/",
    "customXml/",
)


def cpr_like(text: str) -> bool:
    return CPR_LIKE.search(text) is not None


def scan_xlsx(path: str | Path) -> list[str]:
    """Danish descriptions of everything in the file that must not be in a committee copy
    (the CPR-like number itself is never repeated)."""
    found: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if any(name.startswith(p) for p in _FORBIDDEN_PARTS):
                found.append(f"{name}: makroer, eksterne forbindelser eller pivotdata")
                continue
            data = z.read(name)
            text = data.decode("utf-8", errors="replace")
            if name == "[Content_Types].xml" and "macroEnabled" in text:
                found.append(f"{name}: filen er makroaktiveret")
            if cpr_like(text):
                found.append(f"{name}: noget, der ligner et CPR-nummer")
            if name.startswith("xl/worksheets/") and _FORMULA.search(data):
                found.append(f"{name}: formler")
            if name == "xl/workbook.xml" and "<definedName" in text and UDF.search(text):
                found.append(f"{name}: navne, der henviser til xlstatus eller xlwings")
    return found


__all__ = ["CPR_LIKE", "UDF", "cpr_like", "scan_xlsx"]
