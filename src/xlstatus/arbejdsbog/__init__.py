"""The statusskema workbook: build it (`ny`), update it (`opdater`), keep what people add.

Computing is separate from writing so every front end shares it:

- `layout`  — recognise a sheet from its values (pure);
- `plan`    — what an Opdater run changes, as plain dataclasses (pure);
- `stil`, `tekster`, `indstillinger` — colours, number formats, Danish texts, settings (pure);
- `fil`, `kolonner`, `bygger`, `opdater` — the openpyxl file adapter.

Another front end (xlwings desktop/Server/Lite) reads its sheets into a `WorkbookView`,
calls `recognise_workbook` and `make_plan`, and applies the `OpdaterPlan` itself
(the five steps in `plan`'s module text).
"""

from xlstatus.arbejdsbog.indstillinger import Settings, read_settings, settings_rows
from xlstatus.arbejdsbog.layout import (
    Recognition,
    SheetLayout,
    label_key,
    parse_header,
    recognise_workbook,
)
from xlstatus.arbejdsbog.plan import (
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
    make_plan,
)

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
    "label_key",
    "make_plan",
    "parse_header",
    "read_settings",
    "recognise_workbook",
    "settings_rows",
]
