"""xlwings Server's custom_functions: xlstatus's cell functions (xlstatus.server.funktioner)."""

from xlstatus.server.funktioner import aktiver as _aktiver

globals().update(_aktiver())
