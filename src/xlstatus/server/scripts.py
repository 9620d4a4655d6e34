"""The scripts xlwings Server runs: the task pane's Opdater (month, overskriv) and Klargør
til udvalg, and one script per schema sheet's Opdater button (the same shapes as Lite).

Everything runs through the Excel front end (`excel.koer_opdater`): the same plan and
the same Danish messages as the command line; an error becomes an alert action and no
cell changes."""

from __future__ import annotations

from datetime import date

import xlwings as xw
from xlwings_server.config import settings
from xlwings_server.models import CurrentUser

from xlstatus import excel
from xlstatus.kerne.errors import XlstatusError
from xlstatus.kerne.tid import month_key, month_start
from xlstatus.server import sikkerhed, udtraek
from xlstatus.skabelonfiler import load_schemas

SHAPE = "xlstatus_opdater"  # the shape on every schema sheet (workbook/server)
BUTTON_CELL = "B3"


def _sign_in() -> bool:
    return bool(settings.auth_providers)


def koer(book: xw.Book, maaned: str | None, overskriv: bool, current_user) -> None:
    """Opdater on the server: check the user, pick the extract, write the Log's user."""
    sign_in = _sign_in()
    try:
        sikkerhed.maa_opdatere(current_user, sign_in)
    except XlstatusError as exc:
        excel.meld(book, str(exc), "Opdater – ingen adgang", True)
        return
    excel.koer_opdater(
        book,
        maaned or None,
        bool(overskriv),
        udtraek=lambda: udtraek.vaelg(book),
        user=sikkerhed.bruger(current_user, sign_in),
        sammenligning=sikkerhed.sammenligning_sti,
    )


@xw.script(name="Opdater")
def opdater(
    book: xw.Book, maaned: str = "", overskriv: bool = False, current_user: CurrentUser = None
):
    """Opdater: udfyld måneden (ÅÅÅÅ-MM; tom: den nyeste måned i udtrækket) og farv
    skemaerne; overskriv: erstat også celler, som en person har ændret."""
    koer(book, maaned or nyeste_maaned(), overskriv, current_user)


@xw.script(name="Klargør til udvalg")
def klargoer_til_udvalg(book: xw.Book):
    """Klargør til udvalg: siger, hvordan kopien til udvalget laves."""
    excel.koer_klargoer(book)


def nyeste_maaned() -> str:
    """The newest month the server's extract covers (ÅÅÅÅ-MM); this month without one."""
    try:
        newest = udtraek.serverens().data_date
    except (XlstatusError, OSError):
        newest = None
    day = newest.date() if newest is not None else date.today()
    return month_key(month_start(day))


def button_ref(sheet: str) -> str:
    """The shape's reference as xlwings' add-in reads it: outer quotes stripped, a ' in
    the sheet name not doubled (see byg.lite.button_ref)."""
    return f"[{SHAPE}]'{sheet}'!{BUTTON_CELL}"


def _button_script(index: int, sheet: str):
    def run(book: xw.Book, current_user: CurrentUser = None):
        koer(book, None, False, current_user)

    run.__name__ = run.__qualname__ = f"opdater_ark_{index}"
    run.__doc__ = f"Knappen Opdater på arket {sheet}."
    return xw.script(name=f"Opdater ({sheet})", button=button_ref(sheet), show_taskpane=False)(run)


def knapper() -> dict[str, object]:
    """One script per schema sheet, bound to its Opdater shape (as in Lite): the button
    updates the month the workbook would get from the command line (this month)."""
    out = {}
    for i, schema in enumerate(load_schemas(), start=1):
        func = _button_script(i, schema.ark)
        out[func.__name__] = func
    return out


__all__ = ["klargoer_til_udvalg", "opdater"]
