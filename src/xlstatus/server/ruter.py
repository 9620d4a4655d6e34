"""xlstatus's own routes on xlwings Server: the committee copy's links."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, PlainTextResponse
from xlwings_server import dependencies as dep
from xlwings_server.config import settings

from xlstatus.server import sikkerhed, udlevering

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
