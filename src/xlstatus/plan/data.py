"""The plan's shared types, at the bottom of `plan/`: what a front end reads a workbook
into (`WorkbookView`, `SheetView`, `RecordRow`, `DataRow`, `Analyser`, `RunInfo`) and what
an Opdater run hands back (`OpdaterPlan` of `ColumnInsert`s, `CellWrite`s, `SkippedCell`s
and a `LogEntry`). Plain dataclasses, no I/O; every other module of the plan imports them
from here, so no module needs another's types back (no import circle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from xlstatus.kerne.analyser import Vandringer
from xlstatus.kerne.tid import month_label
from xlstatus.plan import stil, tekster
from xlstatus.plan.indstillinger import Settings

# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Note:
    text: str
    author: str = ""

    @property
    def ours(self) -> bool:
        return tekster.is_own_note(self.text, self.author)


@dataclass
class SheetView:
    """A sheet as values: `grid[r-1][c-1]` is cell (r, c); notes and non-General
    number formats by (row, col)."""

    name: str
    grid: list[list[object]]
    notes: dict[tuple[int, int], Note] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordRow:
    """What xlstatus last wrote into a month cell (no personal data: aggregates only)."""

    projekt: str
    sektion: str
    label: str
    maaned: date
    skrevet: object  # the cell value as written
    vaerdi: float | None  # the exact compared value behind it

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.projekt, self.sektion, self.label, self.maaned)


RECORD_COLUMNS = ["projekt", "sektion", "label", "maaned", "skrevet", "vaerdi"]


@dataclass(frozen=True)
class DataRow:
    """One row of the tidy history table `Data`."""

    projekt: str
    sektion: str
    label: str
    maaned: date
    antal: int | None
    population: int | None
    vaerdi: float | None
    forventet: float | None
    naeste_maal: float | None
    status: str  # 'På sporet' | 'Lidt bagud' | 'Bagud' | ''

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.projekt, self.sektion, self.label, self.maaned)

    def cells(self) -> list[object]:
        return [
            self.projekt,
            self.sektion,
            self.label,
            self.maaned,
            self.antal,
            self.population,
            self.vaerdi,
            self.forventet,
            self.naeste_maal,
            self.status,
        ]


DATA_COLUMNS = [
    "projekt",
    "sektion",
    "label",
    "maaned",
    "antal",
    "population",
    "vaerdi",
    "forventet",
    "naeste_maal",
    "status",
]
DATA_FORMATS = [
    "@",
    "@",
    "@",
    stil.MONTH_FORMAT,
    "0",
    "0",
    stil.LOCALE + "0.0###",
    stil.LOCALE + "0.0###",
    stil.LOCALE + "0.0###",
    "@",
]


def _as_date(v: object) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return None


def record_from_rows(rows: list[list[object]]) -> list[RecordRow]:
    """The `_xlstatus` sheet's values (header first) as RecordRows."""
    out = []
    for row in rows[1:]:
        row = (list(row) + [None] * 6)[:6]
        month = _as_date(row[3])
        if not row[0] or month is None:
            continue
        exact = row[5] if isinstance(row[5], int | float) and not isinstance(row[5], bool) else None
        out.append(
            RecordRow(str(row[0]), str(row[1] or ""), str(row[2] or ""), month, row[4], exact)
        )
    return out


def data_from_rows(rows: list[list[object]]) -> list[DataRow]:
    """The `Data` sheet's values (header first, columns found by name) as DataRows."""
    if not rows:
        return []
    header = [str(h or "").strip().casefold() for h in rows[0]]
    idx = {name: header.index(name) for name in DATA_COLUMNS if name in header}
    if "projekt" not in idx or "maaned" not in idx:
        return []

    def get(row: list[object], name: str) -> object:
        i = idx.get(name)
        return row[i] if i is not None and i < len(row) else None

    def num(v: object) -> float | None:
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None

    def whole(v: object) -> int | None:
        x = num(v)
        return int(x) if x is not None else None

    out = []
    for row in rows[1:]:
        month = _as_date(get(row, "maaned"))
        if not get(row, "projekt") or month is None:
            continue
        out.append(
            DataRow(
                str(get(row, "projekt")),
                str(get(row, "sektion") or ""),
                str(get(row, "label") or ""),
                month,
                whole(get(row, "antal")),
                whole(get(row, "population")),
                num(get(row, "vaerdi")),
                num(get(row, "forventet")),
                num(get(row, "naeste_maal")),
                str(get(row, "status") or ""),
            )
        )
    return out


@dataclass
class WorkbookView:
    sheets: list[SheetView]
    record: list[RecordRow] = field(default_factory=list)
    data: list[DataRow] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    sheet_names: tuple[str, ...] = ()  # every sheet (the Overblik/Vandringer sheets: when here)

    def sheet(self, name: str) -> SheetView:
        return next(s for s in self.sheets if s.name == name)


@dataclass(frozen=True)
class RunInfo:
    """Facts about the run for the Log (no personal data)."""

    when: datetime
    user: str
    files: tuple[str, ...] = ()
    content_hash: str = ""
    rows_read: int = 0
    warnings: tuple[str, ...] = ()
    data_date: date | None = None


@dataclass(frozen=True)
class Analyser:
    """What the file route computes besides month M for the analysis parts of a run: the
    vandringer of M (for the Vandringer sheet, laid out for `groups`) and the values of
    earlier months the Data table lacks (for the prognoses)."""

    vandringer: Vandringer | None = None
    groups: tuple[str, ...] = ()
    history: dict = field(default_factory=dict)  # (projekt, sektion, label) -> {month: value}


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class ColumnInsert:
    sheet: str
    col: int  # the new column's index (1-based)
    month: date
    header_row: int
    style_from: int  # column (after the insert) whose width and styles the new one copies


@dataclass(frozen=True)
class CellWrite:
    sheet: str
    row: int
    col: int
    value: object = None
    set_value: bool = False
    number_format: str | None = None
    status: str | None = None  # 'groen' | 'gul' | 'roed' | None
    style: bool = False  # apply the status look (None: remove xlstatus's colours)
    note: str | None = None  # None: leave the note; '': remove xlstatus's note
    bold: bool = False


@dataclass(frozen=True)
class SkippedCell:
    sheet: str
    row: int
    col: int
    label: str
    month: date
    found: object
    computed: str
    reason: str

    @property
    def cell(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


@dataclass(frozen=True)
class LogEntry:
    tidspunkt: datetime
    bruger: str
    maaned: date
    udtraek: str
    hash: str
    raekker_laest: int
    advarsler: str
    celler_aendret: int
    celler_sprunget_over: int
    bemaerkninger: str

    def cells(self) -> list[object]:
        return [
            self.tidspunkt,
            self.bruger,
            self.maaned,
            self.udtraek,
            self.hash,
            self.raekker_laest,
            self.advarsler,
            self.celler_aendret,
            self.celler_sprunget_over,
            self.bemaerkninger,
        ]


LOG_COLUMNS = [
    "Tidspunkt",
    "Bruger",
    "Måned",
    "Udtræk (filer)",
    "Hash (SHA-256)",
    "Rækker læst",
    "Advarsler",
    "Celler ændret",
    "Celler sprunget over",
    "Bemærkninger",
]
LOG_FORMATS = [
    stil.DATETIME_FORMAT,
    "@",
    stil.MONTH_FORMAT,
    "@",
    "@",
    stil.LOCALE + "#,##0",
    "@",
    "0",
    "0",
    "@",
]


@dataclass
class OpdaterPlan:
    month: date
    inserts: list[ColumnInsert] = field(default_factory=list)
    writes: list[CellWrite] = field(default_factory=list)
    skipped: list[SkippedCell] = field(default_factory=list)
    overwritten: list[SkippedCell] = field(default_factory=list)
    manual: list[tuple[str, str]] = field(default_factory=list)  # (sheet, label)
    unknown_rows: list[tuple[str, int, str]] = field(default_factory=list)
    missing_rows: list[tuple[str, str]] = field(default_factory=list)  # (sheet, label)
    ignored_sheets: list[tuple[str, str]] = field(default_factory=list)
    projects_without_sheet: list[str] = field(default_factory=list)
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, projekt)
    named_as_template: set[str] = field(default_factory=set)  # sheets named as their schema
    data: list[DataRow] = field(default_factory=list)
    record: list[RecordRow] = field(default_factory=list)
    log: LogEntry | None = None
    cells_changed: int = 0
    cells_written: int = 0
    merged: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, range)
    notes: list[str] = field(default_factory=list)  # other sheets' news (Sammenligning)

    def report_lines(self) -> list[str]:
        """The run's report in Danish (what a person reads after Opdater)."""
        m = month_label(self.month)
        lines = [
            f"Opdateret {m}: {self.cells_written} celler skrevet, "
            f"{self.cells_changed} ændret, {len(self.skipped)} sprunget over."
        ]
        for sheet, projekt in self.sheets:
            if sheet not in self.named_as_template:  # only news: a sheet named otherwise
                lines.append(f"  Arket '{sheet}' er genkendt som '{projekt}'.")
        for ins in self.inserts:
            lines.append(
                f"  Arket '{ins.sheet}': kolonne {column_letter(ins.col)} er indsat "
                f"for {month_label(ins.month)}."
            )
        if self.skipped:
            lines.append(
                "Celler, som en person har ændret, er ikke overskrevet "
                "(brug --overskriv for at erstatte dem):"
            )
            lines += [
                f"  {s.sheet}!{s.cell} ({s.label}, {month_label(s.month)}): "
                f"står {s.found!r}, beregnet {s.computed}"
                for s in self.skipped
            ]
        if self.overwritten:
            lines.append("Celler, som en person havde ændret, er overskrevet (--overskriv):")
            lines += [
                f"  {s.sheet}!{s.cell} ({s.label}): var {s.found!r}, nu {s.computed}"
                for s in self.overwritten
            ]
        if self.manual:
            lines.append("Manuelle rækker (udfyldes af en person og røres ikke):")
            lines += [f"  {sheet}: {label}" for sheet, label in self.manual]
        if self.unknown_rows:
            lines.append("Rækker, som ikke blev genkendt (ikke ændret):")
            lines += [f"  {sheet}!A{row}: {label}" for sheet, row, label in self.unknown_rows]
        if self.missing_rows:
            lines.append("Rækker fra skabelonen, som ikke findes på arket (ikke udfyldt):")
            lines += [f"  {sheet}: {label}" for sheet, label in self.missing_rows]
        for sheet, reason in self.ignored_sheets:
            lines.append(f"Arket '{sheet}' er ikke opdateret: {reason}.")
        if self.projects_without_sheet:
            lines.append(
                "Projekter uden ark i arbejdsbogen: " + ", ".join(self.projects_without_sheet) + "."
            )
        if self.merged:
            lines.append("Celler i flettede celler er ikke udfyldt (ophæv fletningen):")
            lines += [f"  {sheet}!{cell} (flettet {rng})" for sheet, cell, rng in self.merged]
        lines += self.notes
        return lines


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
