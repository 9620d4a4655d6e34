"""xlwings Server's custom_scripts: xlstatus's scripts (see xlstatus.server.scripts)."""

from xlstatus.server import scripts as _scripts
from xlstatus.server.scripts import klargoer_til_udvalg, opdater  # noqa: F401

globals().update(_scripts.knapper())

# the task pane's month picker starts at the newest month of the server's extract
from xlwings_server.templates import templates as _templates  # noqa: E402

_templates.env.globals["xlstatus_nyeste_maaned"] = _scripts.nyeste_maaned
