"""The ASGI app `xlstatus server` runs: xlwings Server's app behind xlstatus's guard."""

from __future__ import annotations

from xlwings_server.main import main_app

from xlstatus.server.vagt import Vagt

app = Vagt(main_app)
