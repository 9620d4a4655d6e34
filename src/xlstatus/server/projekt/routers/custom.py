"""xlwings Server's custom router: xlstatus's own routes (see xlstatus.server.ruter)."""

from xlstatus.server.ruter import router  # noqa: F401
