"""The Sammenligning sheet (sammenligning.md §6) as data: the municipality beside Hele landet,
RAR and its peers, one block per configured comparison. Pure.

Each block: the title; a header (the areas in order, `Forskel`, and the own FACIT column
where the table has one); a row per group (suppressed figures as `.`, as jobindsats.dk
writes them; the own area bold); the source and period; the FACIT note; the Danish sentences
about the largest differences; and a `Bemærkninger` row a person types in. xlstatus owns
columns A … `MAX_COL` of the sheet: what a person typed in a Bemærkninger row is carried to
the block with the same title, and columns after `MAX_COL` are never touched.

`sheet_plan(tabeller, info, kept) -> ArkPlan` (writes and where each block is);
`kept_notes(rows)` reads the Bemærkninger of a sheet already there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xlstatus.kerne.sammenligning_tabel import FORSKEL, Sammenligningstabel
from xlstatus.plan import stil, tekster
from xlstatus.plan.data import CellWrite

SHEET = tekster.SAMMENLIGNING
TITLE_ROW, INFO_ROW, EXPLAIN_ROW, FIRST_BLOCK = 1, 2, 3, 5
MAX_COL = 12  # xlstatus writes in A … L; a person's own columns after that are kept
UNDERTRYKT = "."
NOTE_LABEL = "Bemærkninger:"
TITLE = "Sammenligning med Hele landet, RAR og andre kommuner"
EXPLAIN = (
    "Kilder: jobindsats.dk og Statistikbanken. '.' betyder, at kilden ikke viser tallet "
    "(undertrykt eller ikke opgjort). Forskel = {eget} − {mod}. Kolonnen 'egne tal (FACIT)' er "
    "kommunens egen optælling fra udtrækket og er nyere, men ikke målt som jobindsats.dk. "
    "Skriv gerne i rækkerne 'Bemærkninger' – Opdater bevarer teksten."
)
NOT_CONFIGURED = (
    "Ingen sammenligning endnu: skriv mappen med tal fra jobindsats.dk/Statistikbanken i "
    "rækken 'Sammenligning' på arket Indstillinger (eller kør xlstatus sammenligning indlaes)."
)


@dataclass(frozen=True)
class Blok:
    """Where one table is on the sheet (rows and columns 1-based)."""

    titel: str
    top: int
    header: int
    first: int
    last: int  # the last group row
    area_cols: tuple[int, ...]
    own_col: int | None
    forskel_col: int | None
    egen_col: int | None
    text_rows: tuple[int, ...]  # source, FACIT note, sentences
    note_row: int
    decimaler: int

    @property
    def last_col(self) -> int:
        return max(c for c in (*self.area_cols, self.forskel_col, self.egen_col) if c)


@dataclass
class ArkPlan:
    writes: list[CellWrite] = field(default_factory=list)
    blokke: list[Blok] = field(default_factory=list)
    last_row: int = EXPLAIN_ROW


def _w(row: int, col: int, value: object, fmt: str | None = None, bold: bool = False):
    return CellWrite(SHEET, row, col, value, True, fmt or stil.TEXT_FORMAT, bold=bold)


def number_format(decimaler: int) -> str:
    return stil.LOCALE + ("#,##0" if decimaler == 0 else "#,##0." + "0" * decimaler)


def _cell(value: float | None, fmt: str) -> tuple[object, str]:
    return (UNDERTRYKT, stil.TEXT_FORMAT) if value is None else (value, fmt)


def _place(t: Sammenligningstabel, top: int) -> Blok:
    n = len(t.omraader)
    area_cols = tuple(range(2, 2 + n))
    col = 2 + n
    forskel = col if t.forskel_mod else None
    col += 1 if forskel else 0
    egen = col if t.egen_overskrift else None
    first = top + 2
    last = first + len(t.linjer) - 1
    n_text = 1 + (1 if t.egne_tekst else 0) + len(t.saetninger)
    text_rows = tuple(range(last + 1, last + 1 + n_text))
    own = area_cols[t.eget] if t.eget is not None else None
    return Blok(t.titel, top, top + 1, first, last, area_cols, own, forskel, egen, text_rows,
                text_rows[-1] + 1, t.tabel.decimaler)  # fmt: skip


def _block_writes(t: Sammenligningstabel, b: Blok, note: str) -> list[CellWrite]:
    out = [_w(b.top, 1, t.titel, bold=True), _w(b.header, 1, "")]
    for c, area in zip(b.area_cols, t.omraader, strict=True):
        out.append(_w(b.header, c, area, bold=True))
    if b.forskel_col:
        out.append(_w(b.header, b.forskel_col, FORSKEL, bold=True))
    if b.egen_col:
        out.append(_w(b.header, b.egen_col, t.egen_overskrift, bold=True))
    fmt = number_format(b.decimaler)
    for r, line in enumerate(t.linjer, start=b.first):
        out.append(_w(r, 1, line.tekst))
        for c, v in zip(b.area_cols, line.vaerdier, strict=True):
            out.append(_w(r, c, *_cell(v, fmt), bold=c == b.own_col))
        if b.forskel_col:
            out.append(_w(r, b.forskel_col, *_cell(line.forskel, fmt), bold=True))
        if b.egen_col:
            out.append(_w(r, b.egen_col, *_cell(line.egen, number_format(1))))
    texts = [t.kilde_tekst, *([t.egne_tekst] if t.egne_tekst else []), *t.saetninger]
    out += [_w(r, 1, text) for r, text in zip(b.text_rows, texts, strict=True)]
    out += [_w(b.note_row, 1, NOTE_LABEL, bold=True), _w(b.note_row, 2, note or None)]
    return out


def sheet_plan(
    tabeller: Sequence[Sammenligningstabel],
    info: str,
    kept: dict[str, str] | None = None,
    eget: str = "",
    mod: str = "",
) -> ArkPlan:
    """The whole sheet: title, info line, explanation and a block per table."""
    kept = kept or {}
    plan = ArkPlan()
    plan.writes += [
        _w(TITLE_ROW, 1, TITLE, bold=True),
        _w(INFO_ROW, 1, info),
        _w(EXPLAIN_ROW, 1, EXPLAIN.format(eget=eget or "eget område", mod=mod or "–")),
    ]
    top = FIRST_BLOCK
    for t in tabeller:
        b = _place(t, top)
        plan.blokke.append(b)
        plan.writes += _block_writes(t, b, kept.get(t.titel, ""))
        top = b.note_row + 2
        plan.last_row = b.note_row
    return plan


def kept_notes(rows: Sequence[Sequence[object]]) -> dict[str, str]:
    """title -> the text a person typed in its Bemærkninger row, from the sheet's values."""
    out: dict[str, str] = {}
    title: str | None = None
    for r, row in enumerate(rows, start=1):
        first = row[0] if row else None
        if r >= FIRST_BLOCK and isinstance(first, str) and first.strip() == NOTE_LABEL:
            text = row[1] if len(row) > 1 else None
            if title and text not in (None, ""):
                out[title] = str(text)
            title = None
        elif title is None and r >= FIRST_BLOCK and isinstance(first, str) and first.strip():
            title = first.strip()
    return out


__all__ = ["MAX_COL", "NOT_CONFIGURED", "SHEET", "ArkPlan", "Blok", "kept_notes", "sheet_plan"]
