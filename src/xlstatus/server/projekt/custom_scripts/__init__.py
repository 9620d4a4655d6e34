"""xlwings Server's custom_scripts: xlstatus's scripts (see xlstatus.server.scripts)."""

from xlstatus.server import scripts as _scripts
from xlstatus.server.scripts import klargoer_til_udvalg, opdater  # noqa: F401

globals().update(_scripts.knapper())
