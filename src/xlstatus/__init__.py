"""xlstatus: statusskemaer for Jobcenter Hedensteds investeringsprojekter.

One folder per part (see docs/DEVELOPING.md):

- `kerne` – the pure core: extract model, schemas, indicators, status, Måltal sums;
- `udtraek` – reading FACIT extracts (CSV, xlsx, a pasted sheet) and the demo generator;
- `arbejdsbog` – the workbook file: Opdater as a plan of cell writes, sheets, saving;
- `udvalg` – the committee copy;
- front ends: `cli` (command line), `excel` (xlwings: buttons and cell functions);
- `byg` – builds the workbooks in workbook/ that package the Excel front end.
"""

from xlstatus.skabelonfiler import TEMPLATES

__version__ = "0.1.0"
__all__ = ["TEMPLATES", "__version__"]
