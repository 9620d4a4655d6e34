"""The ASGI app `xlstatus server` runs: xlwings Server's app behind xlstatus's guard
(`vagt.Vagt`), with Danish answers for bodies xlwings Server cannot read (400, never
500) and Entra ID's key set from a file or a cache (`noegler`)."""

from __future__ import annotations

import logging

from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from xlwings_server.main import app as fastapi_app
from xlwings_server.main import main_app

from xlstatus.kerne.errors import vist
from xlstatus.server import noegler
from xlstatus.server.vagt import Vagt

logger = logging.getLogger("xlstatus.server")

ULAESELIG = (
    "Forespørgslen kan ikke læses: den er ikke det, Excel sender til xlstatus (gyldig JSON "
    "med arbejdsbogen eller funktionens argumenter). Opdatér tilføjelsesprogrammet (luk "
    "og åbn opgaveruden), og prøv igen. Intet er ændret."
)


async def _ulaeselig(request, exc) -> PlainTextResponse:
    """A body xlwings Server could not turn into a workbook or a call."""
    logger.warning("Ulæselig forespørgsel til %s: %s", request.url.path,
                   vist(f"{type(exc).__name__}: {exc}", None, 200))  # fmt: skip
    return PlainTextResponse(ULAESELIG, status_code=400)


# json.JSONDecodeError and UnicodeDecodeError are ValueErrors; the others come from
# building xw.Book from JSON that is not a workbook (xlstatus's own code answers its
# errors as alerts and never lets them out)
for _kind in (ValueError, KeyError, TypeError, AttributeError, IndexError,
              RequestValidationError):  # fmt: skip
    fastapi_app.add_exception_handler(_kind, _ulaeselig)

noegler.aktiver()
app = Vagt(main_app)
