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
from xlstatus.server import arbejde, sikkerhed, udlevering, udtraek
from xlstatus.skabelonfiler import load_schemas

SHAPE = "xlstatus_opdater"  # the shape on every schema sheet (workbook/server)
BUTTON_CELL = "B3"


def _sign_in() -> bool:
    return bool(settings.auth_providers)


def koer(book: xw.Book, maaned: str | None, overskriv: bool, current_user) -> None:
    """Opdater on the server: check the user, pick the extract, write the Log's user."""
    sign_in = _sign_in()
    try:
        sikkerhed.adgang(current_user, sign_in)
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
async def opdater(
    book: xw.Book, maaned: str = "", overskriv: bool = False, current_user: CurrentUser = None
):
    """Opdater: udfyld måneden (ÅÅÅÅ-MM; tom: den nyeste måned i udtrækket) og farv
    skemaerne; overskriv: erstat også celler, som en person har ændret."""

    def run():
        koer(book, maaned or nyeste_maaned(), overskriv, current_user)

    await arbejde.i_traad(run)


@xw.script(name="Klargør til udvalg")
async def klargoer_til_udvalg(book: xw.Book, current_user: CurrentUser = None):
    """Klargør til udvalg: laver udvalgets kopi (.xlsx og PDF) på serveren og giver
    links til filerne; opgaveruden åbner kopien i Excel og tilbyder PDF'en."""
    await arbejde.i_traad(klargoer, book, current_user)


def klargoer(book: xw.Book, current_user) -> None:
    """The committee copy on the server (in the pool): the access rule, then the copy
    with the server's links and its extract."""
    sign_in = _sign_in()
    try:
        sikkerhed.adgang(current_user, sign_in)
    except XlstatusError as exc:
        excel.meld(book, str(exc), "Klargør til udvalg – ingen adgang", True)
        return
    excel.koer_klargoer(
        book,
        publish=lambda files, user: _publish(book, files, user),
        udtraek=_server_extract,
        user=sikkerhed.identitet(current_user, sign_in),
    )


TASKPANE_ACTION = "xlstatusUdvalg"  # the task pane's callback (static/js/xlstatus-opgaverude.js)


def _publish(book: xw.Book, files: list[tuple[str, bytes]], user: str | None) -> list[str]:
    """Hand the copy's files out as links, and tell the task pane about them."""
    urls = udlevering.publish(files, user)
    listed = [{"navn": name, "url": url} for (name, _), url in zip(files, urls, strict=True)]
    book.json()["actions"].append(
        {"func": TASKPANE_ACTION, "args": [listed], "values": None, "sheet_position": 0,
         "start_row": 0, "start_column": 0, "row_count": 0, "column_count": 0}
    )  # fmt: skip
    return urls


def _server_extract():
    """The server's own extract for the copy (None when the server has none)."""
    return udtraek.serverens() if sikkerhed.udtraek_sti() is not None else None


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
    async def run(book: xw.Book, current_user: CurrentUser = None):
        await arbejde.i_traad(koer, book, None, False, current_user)

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
