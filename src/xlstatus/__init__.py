"""xlstatus: statusskemaer for Jobcenter Hedensteds investeringsprojekter.

The pure core (`tid`, `skema`, `indikatorer`, `status`, `maaltal`) turns a FACIT
extract into indicator values and target statuses. Adapters at the edge read
extracts (`udtraek`), write workbooks (`arbejdsbog`, `udvalg`), talk to live
Excel (`excel`) and the command line (`cli`).
"""

import os
from pathlib import Path

__version__ = "0.1.0"

TEMPLATES = Path(
    os.environ.get("XLSTATUS_TEMPLATES", Path(__file__).resolve().parents[2] / "templates")
)
