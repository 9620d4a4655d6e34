"""What Opdater writes into a statusskema workbook, as data: the pure half of the workbook.

No I/O and no spreadsheet library (tests/test_graense.py keeps openpyxl out): every front
end reads its sheets into a `WorkbookView`, calls `recognise_workbook` and `make_plan`, and
applies the `OpdaterPlan` itself — `arbejdsbog.fil` with openpyxl, `excel.bog` in live Excel
(the five steps in `skemaer`'s module text).

- `data`    — the shared types (views in, plan out); the bottom of the part;
- `layout`  — recognise a sheet from its values;
- `skemaer` — the plan for the schema sheets (`make_plan`), legend and notes writes;
- `overblik`, `vandringer` — the Prognose column and the two analysis sheets as writes;
- `maaltal` — the Måltal sheet: its table read from values, an update as blocks of cells;
- `indstillinger` — the Indstillinger sheet: the settings and Måltal's prices;
- `celler` — cells as data (`Block`) and reading values back (Danish numbers, names);
- `koersel` — one run's facts for the Log, the old-extract check;
- `stil`, `tekster` — colours and number formats, Danish texts.
"""

from xlstatus.plan.data import (
    CellWrite,
    ColumnInsert,
    DataRow,
    LogEntry,
    Note,
    OpdaterPlan,
    RecordRow,
    RunInfo,
    SheetView,
    SkippedCell,
    WorkbookView,
)
from xlstatus.plan.indstillinger import Settings, read_settings, settings_rows
from xlstatus.plan.layout import Recognition, SheetLayout, parse_header, recognise_workbook
from xlstatus.plan.skemaer import make_plan

__all__ = [
    "CellWrite",
    "ColumnInsert",
    "DataRow",
    "LogEntry",
    "Note",
    "OpdaterPlan",
    "Recognition",
    "RecordRow",
    "RunInfo",
    "Settings",
    "SheetLayout",
    "SheetView",
    "SkippedCell",
    "WorkbookView",
    "make_plan",
    "parse_header",
    "read_settings",
    "recognise_workbook",
    "settings_rows",
]
