"""xlstatus on a self-hosted xlwings Server (`xlstatus server`, extra `xlstatus[server]`).

The server is the third host of the Excel front end (`xlstatus.excel`: the Opdater run on
an `xw.Book`, the cell functions), next to desktop Excel (RunPython) and xlwings Lite
(main.py). This package holds only what is the server's own:

- `sikkerhed` – which extract files a workbook may make the server read, short masked
  values in messages, the Entra ID group check;
- `udtraek` – the extract of a run: pasted in the workbook, a path inside the server's
  extract folder, or the server's own extract (`--udtraek`);
- `scripts` – the scripts the task pane and sheet buttons run (Opdater with month and
  overskriv, Klargør til udvalg, one per schema sheet's button);
- `funktioner` – the cell functions as XLSTATUS.INDIKATOR …, limited to the extract folder;
- `start` – settings (environment variables read by xlwings Server), licence check, uvicorn;
- `projekt/` – the xlwings Server project folder: `custom_scripts` and `custom_functions`
  (which only re-export the modules above), the Danish task pane and add-in manifest.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent / "projekt"
ENV_UDTRAEK = "XLSTATUS_SERVER_UDTRAEK"  # the server's extract (folder or .xlsx)
ENV_SAMMENLIGNING = "XLSTATUS_SERVER_SAMMENLIGNING"  # the comparison sources' folder
ENV_GRUPPE = "XLSTATUS_SERVER_GRUPPE"  # Entra ID group (object id) or app role for Opdater

# xlwings decides at import whether it runs as a server: this package wants server mode.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
