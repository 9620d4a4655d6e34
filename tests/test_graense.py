"""The import rule: which part of xlstatus may import which (docs/DEVELOPING.md).

    kerne            pure: nothing else of xlstatus, no spreadsheet, Excel or console library,
                     no I/O (no files, folders or environment variables)
    skabelonfiler    kerne: finds and reads the template files (packaged + override folder)
    udtraek          kerne
    libreoffice      kerne
    plan             kerne: what Opdater writes, as data (pure: no openpyxl, no I/O)
    arbejdsbog       kerne, udtraek, plan: the workbook file (the openpyxl adapter)
    udvalg           kerne, udtraek, plan, arbejdsbog, libreoffice
    excel            the Excel front end: Opdater on an xw.Book, the cell functions; it applies
                     the plan itself and never uses the file adapter (arbejdsbog)
    server           hosts the Excel front end on xlwings Server (like desktop's RunPython
                     module and Lite's main.py do): may use excel, never cli
    front ends       the layers above, never each other (excel, server, cli)
    byg              packages the Excel front end (and the server's workbook) into workbook/
    cli              may call byg for `xlstatus byg-arbejdsbog`, server for `xlstatus server`

Lazy imports inside functions count too: the rule is about what a module reaches.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "xlstatus"
LAYERS = ("kerne", "skabelonfiler", "udtraek", "libreoffice", "plan", "arbejdsbog", "udvalg")
FRONT_ENDS = ("excel", "server", "cli")
ALLOWED: dict[str, set[str]] = {
    "kerne": {"kerne"},
    "skabelonfiler": {"kerne"},
    "udtraek": {"kerne", "skabelonfiler", "udtraek"},
    "libreoffice": {"kerne"},
    "plan": {"kerne", "plan"},
    "arbejdsbog": {"kerne", "skabelonfiler", "udtraek", "plan", "arbejdsbog"},
    "udvalg": {"kerne", "skabelonfiler", "udtraek", "plan", "arbejdsbog", "udvalg", "libreoffice"},
    "excel": {*LAYERS, "excel"} - {"arbejdsbog"},
    "server": {*LAYERS, "excel", "server"},
    "byg": {*LAYERS, "byg", "excel", "server"},
    "cli": {*LAYERS, "cli", "byg", "server"},
    "__init__": {"skabelonfiler"},
}
# Libraries the pure core must not touch: it runs in xlwings Lite (Pyodide) too, where only
# numpy and pandas are certain, and it does no I/O of its own.
EDGE_LIBRARIES = {"openpyxl", "xlwings", "xlsxwriter", "typer", "rich", "subprocess", "pyarrow",
                  "fastapi", "uvicorn", "xlwings_server", "shutil", "tempfile",
                  "os", "pathlib", "glob", "io", "importlib"}  # fmt: skip


def part_of(path: Path, root: Path = SRC) -> str:
    rel = path.relative_to(root)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 or rel.stem != "__init__" \
        else "__init__"  # fmt: skip


def module_of(path: Path, root: Path = SRC) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = ["xlstatus", *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = SRC) -> set[str]:
    """Every module path this file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = module_of(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            names.add(mod)
            names |= {f"{mod}.{a.name}" for a in node.names}  # `from pkg import module`
    return names


def xlstatus_parts(path: Path, root: Path = SRC) -> set[str]:
    """The parts of xlstatus (kerne, udtraek, …) this file imports."""
    parts = set()
    for name in imports(path, root):
        bits = name.split(".")
        if (
            bits[0] == "xlstatus"
            and len(bits) > 1
            and ((root / bits[1]).is_dir() or (root / bits[1]).with_suffix(".py").exists())
        ):
            parts.add(bits[1])
    return parts


MODULES = sorted(SRC.rglob("*.py"))


def imported_modules(path: Path, known: set[str], root: Path = SRC) -> set[str]:
    """The modules of `known` this file imports: `from pkg import mod` reaches `pkg.mod`,
    and `pkg` itself only when a name is taken from the package's own __init__."""
    found: set[str] = set()
    for name in imports(path, root):
        if name in known and name != module_of(path, root):
            found.add(name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.names:
            pkg = _from_module(node, path, root)
            if all(f"{pkg}.{a.name}" in known for a in node.names):
                found.discard(pkg)  # only submodules are taken: the package is no edge
    return found


def _from_module(node: ast.ImportFrom, path: Path, root: Path) -> str:
    module = module_of(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def module_graph(root: Path = SRC) -> dict[str, set[str]]:
    """Module -> the xlstatus modules it imports, imports inside functions included."""
    paths = {module_of(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(paths)
    return {m: imported_modules(p, known, root) for m, p in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (each an import circle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_between_modules():
    """No two modules import each other, directly or round a loop (lazy imports count)."""
    assert circles(module_graph()) == []


def test_circle_check_catches_a_lazy_loop(tmp_path):
    """The checker itself, on a small fake tree: a loop hidden in a function is caught, and
    `from pkg import module` is an edge to the module, not to the package."""
    pkg = tmp_path / "arbejdsbog"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from xlstatus.arbejdsbog.a import A\n")
    (pkg / "a.py").write_text("from xlstatus.arbejdsbog import b\nA = 1\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n")
    (pkg / "c.py").write_text("from xlstatus.arbejdsbog import a\n")
    assert circles(module_graph(tmp_path)) == [["xlstatus.arbejdsbog.a", "xlstatus.arbejdsbog.b"]]
    (pkg / "b.py").write_text("from xlstatus.arbejdsbog import A\n")
    assert circles(module_graph(tmp_path)) == [
        ["xlstatus.arbejdsbog", "xlstatus.arbejdsbog.a", "xlstatus.arbejdsbog.b"]
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_module_imports_only_what_its_part_may(path):
    part = part_of(path)
    assert part in ALLOWED, f"{part}: a new part needs a line in ALLOWED (and in DEVELOPING.md)"
    assert xlstatus_parts(path) <= ALLOWED[part]


@pytest.mark.parametrize("path", sorted((SRC / "kerne").rglob("*.py")),
                         ids=lambda p: p.name)  # fmt: skip
def test_core_imports_no_edge_library(path):
    top = {name.split(".")[0] for name in imports(path)}
    assert not top & EDGE_LIBRARIES


# What the plan must not touch: it is the pure half of the workbook, applied by openpyxl in
# `arbejdsbog` and by live Excel in `excel`, so it holds no spreadsheet library and no I/O.
PLAN_LIBRARIES = EDGE_LIBRARIES | {"zipfile", "getpass", "socket"}


@pytest.mark.parametrize(
    "path", sorted((SRC / "plan").rglob("*.py")), ids=lambda p: p.relative_to(SRC).as_posix()
)
def test_plan_imports_no_spreadsheet_library_and_does_no_io(path):
    top = {name.split(".")[0] for name in imports(path)}
    assert not top & PLAN_LIBRARIES


def test_only_excel_its_server_and_its_builder_import_xlwings():
    users = {part_of(p) for p in MODULES if "xlwings" in {n.split(".")[0] for n in imports(p)}}
    assert users <= {"excel", "server", "byg"}


@pytest.mark.parametrize(("where", "code", "reaches"), [
    ("kerne/tid.py", "def f():\n    from xlstatus.arbejdsbog import fil\n", "arbejdsbog"),
    ("kerne/tid.py", "from ..udtraek.laes import read_extract\n", "udtraek"),
    ("excel/bog.py", "from xlstatus import cli\n", "cli"),
    ("arbejdsbog/plan.py", "from .. import udvalg\n", "udvalg"),
])  # fmt: skip
def test_rule_catches_a_back_edge(tmp_path, where, code, reaches):
    """The checker itself, on a small fake tree: a back-edge, lazy or relative, is caught."""
    for part in ("kerne", "udtraek", "arbejdsbog", "udvalg", "excel", "cli"):
        (tmp_path / part).mkdir()
        (tmp_path / part / "__init__.py").write_text("")
    fake = tmp_path / where
    fake.write_text(code, encoding="utf-8")
    assert reaches in xlstatus_parts(fake, tmp_path)
    assert not xlstatus_parts(fake, tmp_path) <= ALLOWED[part_of(fake, tmp_path)]
