"""Test session setup.

xlwings decides at import time whether it runs as a server, so its server engine (which the
Excel front-end tests go through, instead of mocks) is switched on before any test module
imports it: xlwings PRO's noncommercial licence, which covers government institutions.
"""

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"
