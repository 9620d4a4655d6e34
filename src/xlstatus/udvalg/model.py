"""The committee copy as data: one model, several renderers (issue 19, item 0).

Pure: no openpyxl, no weasyprint, no I/O — dates, strings and numbers only, so it runs in
Pyodide too. A builder (`xlstatus.udvalg.bygger.build_copy`) makes a `CommitteeCopy` from the
workbook view a workbook file and a live or posted workbook both give; renderers turn it into
files:

- `xlstatus.udvalg.xlsx.render_xlsx(copy) -> bytes` — the plain .xlsx copy;
- `xlstatus.udvalg.pdf.render_pdf(copy) -> bytes` — the accessible PDF (WeasyPrint, PDF/UA-1).

Every `Cell.text` is exactly what is printed (Danish number formats, the status symbol before
a signed number: "✖ -2,7 pct.", "." for a suppressed value, a trailing "*" on a value a person
typed over the computed one). A renderer never formats numbers itself: `value` and
`number_format` are only there so the .xlsx keeps real numbers where it can.

Changes against the sketch (its names and meanings are kept): added with defaults
`Cell.wrap`, `Table.name`, `Series.statuses`, `Page.header_right`,
`CommitteeCopy.data_date`, `.warnings`, `.hidden`, `.charts`, `.file_stem()`, and the
constants `STATUS_FILL`/`STATUS_FONT`/`HEADER_FILL` and `TYPED_FOOTNOTE`. Status notes are
`Paragraph(style="note")` blocks after their table (never cell comments: no annotations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from xlstatus.kerne.tid import MONTH_NAMES_DA

Status = Literal["groen", "gul", "roed"]  # kerne.status: På sporet / Lidt bagud / Bagud
Align = Literal["left", "center", "right"]

# The fills and symbols of the three statuses (as the workbook prints them).
STATUS_FILL: dict[str, str] = {"groen": "C6EFCE", "gul": "FFEB9C", "roed": "FFC7CE"}
STATUS_FONT: dict[str, str] = {"groen": "006100", "gul": "9C5700", "roed": "9C0006"}
HEADER_FILL = "D9D9D9"
TYPED_FOOTNOTE = "* indtastet i arbejdsbogen, ikke beregnet"


@dataclass(frozen=True)
class Cell:
    text: str  # exactly what is printed, Danish formats ("1.212", "✖ -2,7 pct.", ".")
    value: float | int | str | None = None  # the raw value for the xlsx writer (None: text only)
    number_format: str | None = None  # Excel number format for the xlsx writer
    status: Status | None = None  # colour AND symbol/word in text: colour never the only carrier
    bold: bool = False
    align: Align = "left"
    suppressed: bool = False  # diskretion: text is "." (jobindsats.dk practice)
    typed: bool = False  # a person typed over the computed value: text ends with "*"
    header: bool = False  # a header cell (<th>); scope from Table.header_rows/row_header_cols
    colspan: int = 1
    fill: str | None = None  # hex "RRGGBB" background for non-status fills (e.g. header grey)
    wrap: bool = True  # may wrap at spaces (never inside a word)


@dataclass(frozen=True)
class Table:
    header_rows: list[list[Cell]]  # repeated on every page the table spans (th scope=col)
    body: list[list[Cell]]  # no row split across pages
    row_header_cols: int = 1  # leading columns that are row headers (th scope=row)
    col_widths: list[float] = field(default_factory=list)  # relative widths (Excel char units)
    caption: str | None = None
    name: str = ""  # what the table is, for alt text / accessibility summaries


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]  # None = suppressed or missing
    role: Literal["actual", "target", "other"] = "actual"
    statuses: list[Status | None] = field(default_factory=list)  # per value (bar colours)


@dataclass(frozen=True)
class Chart:
    title: str  # without a repeated unit
    unit: str  # e.g. "uger", "pct.", "personer"
    kind: Literal["line", "bar", "hbar"]  # hbar: categories down the side (long names)
    categories: list[str]  # e.g. month labels "aug-24"
    series: list[Series]
    lower_is_better: bool = False
    alt_text: str = ""  # what the chart shows: title, unit, latest value against target
    empty_text: str | None = None  # when every value is suppressed: this sentence instead


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["normal", "note", "footnote", "legend"] = "normal"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # page title is level 1 (Page.title); sections 2, sub 3


Block = Heading | Paragraph | Table | Chart

PageKind = Literal["skema", "overblik", "vandringer", "maaltal", "sammenligning", "grafer", "om"]


@dataclass(frozen=True)
class Page:
    title: str  # level-1 heading, e.g. the schema's project name or "Måltal"
    sheet: str  # the sheet name in the .xlsx copy (<= 31 chars)
    blocks: list[Block]
    kind: PageKind = "skema"
    header_right: str = ""  # running header's right part, e.g. "Måling jan-26 · data 05-02-2026"


@dataclass(frozen=True)
class CommitteeCopy:
    title: str  # e.g. "Statusskema – udvalgets kopi"
    municipality: str  # e.g. "Hedensted"
    month: date  # the copy's month (first day); one month throughout
    month_label: str  # as the workbook writes months: "jan-26"
    pages: list[Page]
    source_name: str = ""  # the workbook's file name, for the xlsx properties
    footnotes: list[str] = field(default_factory=list)  # e.g. TYPED_FOOTNOTE
    data_date: date | None = None  # the extract's data date, when known
    warnings: list[str] = field(default_factory=list)  # Danish, for the person making the copy
    hidden: int = 0  # how many values diskretion hid
    charts: int = 0  # how many charts (one per targeted row)

    @property
    def document_title(self) -> str:
        """The files' title, month included: 'Statusskemaer – kopi til udvalget – januar 2026'
        (`title` itself names no month: the pages' running heads add it)."""
        return f"{self.title} – {MONTH_NAMES_DA[self.month.month - 1]} {self.month.year}"

    def file_stem(self, workbook_stem: str) -> str:
        """`Statusskema_udvalg_2026-01` from the workbook's stem `Statusskema`."""
        return f"{workbook_stem}_udvalg_{self.month:%Y-%m}"


__all__ = [
    "HEADER_FILL",
    "STATUS_FILL",
    "STATUS_FONT",
    "TYPED_FOOTNOTE",
    "Align",
    "Block",
    "Cell",
    "Chart",
    "CommitteeCopy",
    "Heading",
    "Page",
    "PageKind",
    "Paragraph",
    "Series",
    "Status",
    "Table",
]
