"""Build the workbooks people open (workbook/) from the templates, reproducibly.

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
- `lite/main.py`, `lite/requirements.txt` – the same code as files (xlstatus and its
  templates are packed into main.py, so the workbook needs nothing else);
- `server/Statusskema.xlsx` – for `xlstatus server` (xlwings Server): the Lite workbook
  without the Lite add-in part and without macros; the server's add-in binds the same
  sheet buttons;
- `LÆSMIG.md` – what the files are and the one manual step for each.

Parts: `dele` (names, zip-part helpers), `skrivebord` (desktop), `lite` (xlwings Lite).

The openpyxl workbook is made by `arbejdsbog.bygger.build_workbook`; buttons, shapes, VBA
and the add-in parts are added at the zip level (openpyxl cannot write them). Entries get
fixed timestamps, so building twice gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from xlstatus.byg.dele import (
    BOOK,
    BUTTON_ROW,
    BUTTON_ROW_HEIGHT,
    FIXED,
    MACRO,
    SHAPE,
    _fixed_core,
    _save,
    _zip,
    sheet_parts,
)
from xlstatus.byg.lite import add_shapes, add_webextension, lite_code, lite_main, lite_requirements
from xlstatus.byg.skrivebord import (
    add_buttons,
    add_vba,
    desktop_module,
    vba_project,
    xlwings_conf_sheet,
)
from xlstatus.kerne.skema import Schema
from xlstatus.plan import tekster
from xlstatus.skabelonfiler import load_schemas

__all__ = ["BOOK", "MACRO", "SHAPE", "byg_arbejdsbog", "lite_code", "sheet_parts"]


# --------------------------------------------------------------------------- the workbook


def extract_sheet(wb) -> None:
    """The sheet FACIT-udtræk: where the extract is pasted (works everywhere, Lite too)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from xlstatus.arbejdsbog.fil import set_value
    from xlstatus.kerne.model import TABLES
    from xlstatus.udtraek.ark import SHEET

    ws = wb.create_sheet(SHEET)
    lines = [
        (
            "FACIT-udtræk – indsæt månedens udtræk her (bruges i stedet for stien på "
            "Indstillinger)",
            Font(bold=True, size=14),
        ),
        (
            "Indsæt hver tabel under sit navn: overskriftsrækken og alle rækker, fx kopieret fra "
            "CSV-filen eller udtrækket i Excel. Står der intet under et navn, læses udtrækket fra "
            "stien på Indstillinger.",
            None,
        ),
        (
            "Har jeres udtræk flere kolonner end her, så skriv i stedet tabellernes navne i "
            "kolonne A under hinanden med tabellen under hvert navn og en tom række imellem.",
            None,
        ),
        (
            "Arket indeholder personoplysninger (CPR-numre), når udtrækket er indsat: slet "
            "indholdet, når I er færdige. Udvalgets kopi indeholder aldrig dette ark.",
            Font(bold=True, color="9C0006"),
        ),
    ]
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


# --------------------------------------------------------------------------- the command

README = """# Arbejdsbøgerne (genereret – ret ikke i filerne)

Bygget af `xlstatus byg-arbejdsbog` fra skabelonerne (skemaer, Måltal, aliaser) og
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
- `server/Statusskema.xlsx` – til `xlstatus server` (xlwings Server; driftsvejledningen:
  `xlstatus drift`): ingen makroer og ingen kode i filen; serveren udleverer den selv.
  Knapperne **Opdater** er de samme figurer som i Lite; tilføjelsesprogrammet fra
  serveren (fanen Hjem → xlstatus) kører dem, og funktionerne hedder
  `XLSTATUS.INDIKATOR` osv.

## Det manuelle skridt

- **Skrivebords-Excel:** funktionerne `XLSTATUS_…` skal hentes ind én gang: Alt+F8 →
  `ImportPythonUDFs` → Kør (kræver *Tillid til adgang til VBA-projektets objektmodel*).
  Det kan ikke gøres uden Excel, så det er ikke gjort i filen.
- **xlwings Lite:** åbn `lite/Statusskema.xlsx` og xlwings Lite (fanen Hjem). Viser editoren
  ikke xlstatus-koden, så kopiér `lite/main.py` ind i `main.py` og `lite/requirements.txt`
  ind i `requirements.txt` i editoren og gem (Ctrl+S). Første gang spørger Lite, om
  arbejdsbogen er til at stole på – svar ja.
- **Server:** IT installerer tilføjelsesprogrammet (manifestet fra serveren) centralt;
  arbejdsbogen selv kræver intet.

Kommandolinjen (`xlstatus opdater`) arbejder på en almindelig `.xlsx` uden knapper – lav
den med `xlstatus ny Statusskema.xlsx`.
"""


def server_arbejdsbog(schemas: list[Schema] | None = None) -> bytes:
    """The server's workbook (`server/Statusskema.xlsx`): no macros, no code; the
    server's add-in binds its Opdater shapes. `xlstatus server` hands it out."""
    wb, sheets = build_base(schemas if schemas is not None else load_schemas(), desktop=False)
    parts = _save(wb)
    _fixed_core(parts)
    add_shapes(parts, sheets)
    return _zip(parts)


def byg_arbejdsbog(mappe: str | Path = "workbook") -> list[Path]:
    """Build every file in `mappe` (see the module text); returns the files written."""
    import xlwings

    mappe = Path(mappe)
    for sub in ("lite", "server"):
        (mappe / sub).mkdir(parents=True, exist_ok=True)
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

    write(f"server/{BOOK}.xlsx", server_arbejdsbog(schemas))
    write("LÆSMIG.md", README.format(xlwings=xlwings.__version__))
    _ship_drift()
    return written


def _ship_drift() -> None:
    """In a checkout: the operating guide docs/drift.md is shipped in the package
    (xlstatus/server/drift.md, printed by `xlstatus drift`); a test compares them."""
    here = Path(__file__).resolve()
    source, DRIFT = here.parents[3] / "docs" / "drift.md", here.parents[1] / "server" / "drift.md"
    if source.is_file() and DRIFT.parent.is_dir():
        text = source.read_text(encoding="utf-8")
        if not DRIFT.is_file() or DRIFT.read_text(encoding="utf-8") != text:
            DRIFT.write_text(text, encoding="utf-8")
