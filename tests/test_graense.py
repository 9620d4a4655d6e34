"""The import boundary: the pure core never imports a spreadsheet, Excel or console library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "xlstatus"
CORE = ["tid", "skema", "status", "indikatorer", "formatering", "model", "errors", "maaltal",
        "arbejdsbog/layout", "arbejdsbog/plan", "arbejdsbog/stil", "arbejdsbog/indstillinger",
        "udvalg/diskretion", "udvalg/grafer"]  # fmt: skip
EDGE_LIBRARIES = {"openpyxl", "xlwings", "xlsxwriter", "typer", "rich", "subprocess"}


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_edge_library(module):
    assert not imported(SRC / f"{module}.py") & EDGE_LIBRARIES


def test_only_the_excel_adapter_imports_xlwings():
    users = {p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if "xlwings" in imported(p)}
    assert users <= {"excel.py", "excel_bog.py", "excel_payload.py", "excel_bygger.py"}
