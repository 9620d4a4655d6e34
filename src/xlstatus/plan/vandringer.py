"""The Vandringer sheet: where people in a target group came from and where they went
(analyser.md §1), for each group listed on Indstillinger.

The sheet has a fixed layout, so every front end can fill it with plain cell writes:
title, measurement line, a short explanation of the categories, then one block per
target group – two tables side by side (Kom fra / Gik til: category, count, share; the
seven largest categories and `Øvrige`), and under each table a native bar chart that
points at the table's cells. `ensure_sheet` (openpyxl) builds the layout – for `ny` and
for a workbook that lacks it or lists other groups – and `vandringer_writes` (pure) gives
the values of month M.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlstatus.kerne.analyser import AFGANG, TILGANG, Kategori, Vandringer, kategori_tekst
from xlstatus.kerne.skema import Schema
from xlstatus.kerne.tid import month_label
from xlstatus.plan import stil, tekster
from xlstatus.plan.data import CellWrite

SHEET = tekster.VANDRINGER
EXTRA_GROUP = "Sygedagpenge"
SLOTS = 8  # category rows per table: the seven largest and 'Øvrige'
TITLE_ROW, INFO_ROW, FIRST_EXPLAIN_ROW = 1, 2, 3
FIRST_BLOCK = FIRST_EXPLAIN_ROW + len(tekster.VANDRINGER_EXPLAIN) + 1
CHART_ROWS = 13
BLOCK_ROWS = 2 + SLOTS + 1 + 1 + CHART_ROWS + 1  # heading, header, slots, total, gap, chart
TABLE_COLS = {TILGANG: 1, AFGANG: 5}  # first column of each table (A and E)
SHARE_FORMAT = stil.value_format("andel", 1)
COUNT_FORMAT = stil.value_format("antal")


def default_groups(schemas: Sequence[Schema]) -> tuple[str, ...]:
    """The target groups the schemas' rows use (in their order), then Sygedagpenge."""
    out: list[str] = []
    for schema in schemas:
        for row in schema.rows:
            g = row.params.maalgruppe
            if g and g not in out:
                out.append(g)
    if EXTRA_GROUP not in out:
        out.append(EXTRA_GROUP)
    return tuple(out)


def groups_for(settings_groups: Sequence[str], schemas: Sequence[Schema]) -> tuple[str, ...]:
    """The groups on Indstillinger, or (none listed) the default groups."""
    return tuple(settings_groups) or default_groups(schemas)


@dataclass(frozen=True)
class Block:
    """Where one target group's tables are (rows 1-based)."""

    maalgruppe: str
    top: int

    @property
    def header(self) -> int:
        return self.top + 1

    @property
    def first(self) -> int:
        return self.top + 2

    @property
    def last(self) -> int:
        return self.first + SLOTS - 1

    @property
    def total(self) -> int:
        return self.last + 1

    @property
    def chart_top(self) -> int:
        return self.total + 2


def blocks(groups: Sequence[str]) -> list[Block]:
    return [Block(g, FIRST_BLOCK + i * BLOCK_ROWS) for i, g in enumerate(groups)]


def layout_writes(groups: Sequence[str]) -> list[CellWrite]:
    """The sheet's fixed texts for the given target groups (title, 'not updated',
    explanation, each group's heading and table headers) as plan writes: the file route
    (`analyseark`) and the Excel route both write these."""
    out = [
        CellWrite(SHEET, TITLE_ROW, 1, tekster.VANDRINGER_TITLE, True, bold=True),
        CellWrite(SHEET, INFO_ROW, 1, tekster.NOT_UPDATED, True),
    ]
    out += [
        CellWrite(SHEET, FIRST_EXPLAIN_ROW + i, 1, line, True)
        for i, line in enumerate(tekster.VANDRINGER_EXPLAIN)
    ]
    for block in blocks(groups):
        out.append(CellWrite(SHEET, block.top, 1, block.maalgruppe, True, bold=True))
        for retning in (TILGANG, AFGANG):
            col = TABLE_COLS[retning]
            out += [
                CellWrite(SHEET, block.header, col + i, text, True, bold=True)
                for i, text in enumerate(tekster.VANDRINGER_HEADERS[retning])
            ]
    return out


def slots(lines: Sequence[Kategori]) -> list[tuple[str, int, float]]:
    """(text, count, share) for the table's rows: the largest SLOTS - 1 categories and
    the rest summed as 'Øvrige (n)' when there are more than SLOTS."""
    rows = [(kategori_tekst(k), k.antal, k.andel) for k in lines]
    if len(rows) <= SLOTS:
        return rows
    keep, rest = rows[: SLOTS - 1], rows[SLOTS - 1 :]
    other = (f"Øvrige ({len(rest)} kategorier)", sum(r[1] for r in rest), sum(r[2] for r in rest))
    return [*keep, other]


def info_text(v: Vandringer) -> str:
    return (
        f"Måling: {month_label(v.month)} (måledato {v.maaledato:%d-%m-%Y}). Vindue: "
        f"{month_label(v.fra)} – {month_label(v.til)} ({v.maaneder} hele måneder før "
        "målemåneden). Tallene tæller forløb, ikke personer."
    )


def _table_writes(block: Block, retning: str, lines: Sequence[Kategori]) -> list[CellWrite]:
    col = TABLE_COLS[retning]
    out = []
    rows = slots(lines)
    for i in range(SLOTS):
        r = block.first + i
        text, count, share = rows[i] if i < len(rows) else (None, None, None)
        if i == 0 and not rows:
            text = tekster.VANDRINGER_EMPTY
        out += [
            CellWrite(SHEET, r, col, text, True, stil.TEXT_FORMAT),
            CellWrite(SHEET, r, col + 1, count, True, COUNT_FORMAT),
            CellWrite(SHEET, r, col + 2, share, True, SHARE_FORMAT),
        ]
    total = sum(k.antal for k in lines)
    out += [
        CellWrite(SHEET, block.total, col, "I alt", True, stil.TEXT_FORMAT, bold=True),
        CellWrite(SHEET, block.total, col + 1, total, True, COUNT_FORMAT, bold=True),
        CellWrite(
            SHEET, block.total, col + 2, 100.0 if total else None, True, SHARE_FORMAT, bold=True
        ),
    ]
    return out


def vandringer_writes(v: Vandringer, groups: Sequence[str]) -> list[CellWrite]:
    """The values of month M on the Vandringer sheet (its layout must list `groups`)."""
    out = [CellWrite(SHEET, INFO_ROW, 1, info_text(v), True, stil.TEXT_FORMAT)]
    for block in blocks(groups):
        out.append(CellWrite(SHEET, block.top, 1, block.maalgruppe, True, stil.TEXT_FORMAT))
        for retning in (TILGANG, AFGANG):
            out += _table_writes(block, retning, v.tabel(block.maalgruppe, retning))
    return out


def sheet_groups(rows: Sequence[Sequence[object]]) -> tuple[str, ...]:
    """The groups a Vandringer sheet's layout lists (its block headings), from its values."""
    out: list[str] = []
    r = FIRST_BLOCK
    while r - 1 < len(rows):
        row = rows[r - 1]
        value = row[0] if row else None
        if not isinstance(value, str) or not value.strip():
            break
        out.append(value.strip())
        r += BLOCK_ROWS
    return tuple(out)


__all__ = [
    "SHEET",
    "Block",
    "blocks",
    "default_groups",
    "groups_for",
    "layout_writes",
    "sheet_groups",
    "slots",
    "vandringer_writes",
]
