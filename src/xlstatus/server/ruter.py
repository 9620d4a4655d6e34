"""xlstatus's own routes on xlwings Server: the committee copy's links."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, PlainTextResponse
from xlwings_server import dependencies as dep
from xlwings_server.config import settings

from xlstatus.server import sikkerhed, udlevering

WORKBOOK = "Statusskema.xlsx"

router = APIRouter(prefix=settings.app_path)

UKENDT = (
    "Linket findes ikke eller er udløbet (linkene til udvalgets kopi virker i få minutter "
    "og kun for den, der bad om kopien). Klik Klargør til udvalg igen."
)


@router.get(udlevering.PREFIX + "/{secret}/{name}")
async def udvalg(secret: str, name: str, current_user: dep.User):
    """One file of a committee copy, for the user it was made for, until it expires."""
    who = sikkerhed.identitet(current_user, bool(settings.auth_providers))
    found = udlevering.hent(secret, name, who)
    if found is None:
        return PlainTextResponse(UKENDT, status_code=404)
    path, media = found
    return FileResponse(path, media_type=media, filename=name)


@router.get("/" + WORKBOOK)
async def arbejdsbog(current_user: dep.User):
    """The server's workbook (made by `xlstatus server` at start, from its templates)."""
    path = udlevering.tilstand() / WORKBOOK
    if not path.is_file():
        return PlainTextResponse(
            "Arbejdsbogen er ikke lavet på denne server. IT: start serveren med "
            "'xlstatus server' (den laver arbejdsbogen ud fra skabelonerne).",
            status_code=404,
        )
    return FileResponse(path, media_type=udlevering.MEDIA[".xlsx"], filename=WORKBOOK)


@router.get("/xlstatus/maaned")
async def maaned(current_user: dep.User):
    """Task-pane data: the newest month of the server's extract (behind the access rule)."""
    from xlstatus.server.scripts import nyeste_maaned

    return {"maaned": nyeste_maaned()}
