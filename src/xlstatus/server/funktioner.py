"""The cell functions as xlwings Server serves them: XLSTATUS.INDIKATOR … (the manifest's
namespace XLSTATUS), reading extracts only inside the server's extract folder; without
an extract argument they use the server's own extract. They run in the server's
thread pool (`arbejde`), off the event loop."""

from __future__ import annotations

from pathlib import Path

from xlstatus import excel
from xlstatus.excel import funktioner as fn
from xlstatus.server import arbejde, sikkerhed, udtraek


def _sti(path: Path) -> Path:
    return sikkerhed.tilladt_sti(path)


def aktiver() -> dict[str, object]:
    """Limit the functions to the server's extracts; the functions to register."""
    fn.POLITIK.sti = _sti
    fn.POLITIK.standard = udtraek.serverens
    fn.POLITIK.rod = sikkerhed.rod
    return {name: arbejde.asynkron(f) for name, f in excel.office_js_funktioner().items()}
