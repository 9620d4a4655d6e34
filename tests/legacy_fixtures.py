"""Fixtures of the workbook tests: a small hand-made extract, a workbook dump for golden and
idempotency checks, and a workbook typed by hand from the seed's statusskema drafts (seed
000, "Månedsvis status").

Every tab-separated line of a draft becomes a sheet row, exactly as the seed has it —
text headers (`feb-24`, `Februar 2024`, `Febr.`, `marts`, `Startmålin g 10-01- 2024`,
`Status 10. januar 2024`, `Mindste mål August 2024...`, `Mål ultimo 2024`, `...`), start
values like `18,8*` and `17 (17 pct.)` as text, whole numbers as numbers. A few labels get
the variations people type (another dash, a double space, a trailing period).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
from builders import ext, person

from xlstatus.kerne.model import Extract
from xlstatus.plan import tekster

# the five statusskema drafts of seed 000_2305933e555c0ab1.txt, kept with the tests
SEED = Path(__file__).resolve().parent / "data" / "seed_statusskemaer.txt"

# (sheet name people used, first line of the draft's block)
BLOCKS = [
    ("Klar parat", "Månedsvis status – Klar, parat – i job"),
    ("Flere i job", "Månedsvis status Flere i job"),
    ("Ark3", "Kompetenceporten – månedsvis opfølgning"),
    ("Jobperronen", "Håndholdt indsats for jobparate kontanthjælpsmodtagere"),
    ("Socialt Frikort", "Social Frikort – skema til månedsvis opfølgning"),
]

# label as in the seed -> as a person typed it
VARIATIONS = {
    "Antal henviste til Klar, parat - i job akkumuleret":
        "Antal henviste til Klar, parat – i job akkumuleret.",
    "Borgere i ressourceforløb": "Borgere i  ressourceforløb",
    "Behovsafdækning – antal virksomheder": "Behovsafdækning - antal  virksomheder",
    "Delaftale 2 - 12 måneder - andel, som opfylder krav":
        "Delaftale 2 — 12 måneder — andel, som opfylder krav.",
    "Antal/andel med løntimer": "ANTAL/ANDEL MED LØNTIMER",
}  # fmt: skip
EXTRA_ROW = "Antal deltagere i morgenmøder (egen række)"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def draft_blocks() -> list[tuple[str, list[str]]]:
    """(sheet name, the block's lines) for the five drafts."""
    lines = seed_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == BLOCKS[0][1])
    lines = lines[start:]
    heads = [next(i for i, line in enumerate(lines) if line.strip() == head)
             for _, head in BLOCKS]  # fmt: skip
    out = []
    for k, (name, _) in enumerate(BLOCKS):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        out.append((name, lines[heads[k] : end]))
    return out


def cell(text: str) -> object:
    t = text.strip()
    if not t:
        return None
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    if re.fullmatch(r"-?\d+,\d+", t):
        return float(t.replace(",", "."))
    return t


def legacy_workbook(path: Path, extra_row: bool = True) -> Path:
    """Write the hand-typed workbook; returns its path."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, block in draft_blocks():
        ws = wb.create_sheet(name)
        r = 1
        for line in block:
            cells = line.split("\t") if "\t" in line else [line.strip()]
            values = [cell(v) for v in cells]
            if isinstance(values[0], str) and values[0] in VARIATIONS:
                values[0] = VARIATIONS[values[0]]
            for c, v in enumerate(values, start=1):
                if v is not None:
                    ws.cell(r, c, v)
            r += 1
        ws.column_dimensions["A"].width = 60
    if extra_row:
        ws = wb["Flere i job"]
        r = next(r for r in range(1, ws.max_row + 1)
                 if ws.cell(r, 1).value == "Borgere i  ressourceforløb")  # fmt: skip
        ws.insert_rows(r + 1)
        ws.cell(r + 1, 1, EXTRA_ROW)
        ws.cell(r + 1, 3, 12)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- helpers

WHEN = datetime(2025, 1, 6, 9, 30)
USER = "testbruger"


def small_extract() -> Extract:
    """A dozen persons and three companies; enough for a value in every schema."""

    def fl(cpr, grp, start, end=None, why=None, birth="01-01-1980", **kw):
        return person(cpr, birth, maalgruppe=grp, startdato=start, slutdato=end,
                      afgangsaarsag=why, **kw)  # fmt: skip

    forloeb = [
        fl("a1", "A-dagpenge", "01-06-2023"),
        fl("a2", "A-dagpenge", "15-01-2024"),
        fl("a3", "A-dagpenge", "01-01-2023", "10-02-2024", "Job"),
        fl("a4", "A-dagpenge", "01-03-2024", "20-07-2024", "Job"),
        fl("k1", "Kontanthjælp aktivitetsparat", "01-01-2022"),
        fl("k2", "Kontanthjælp aktivitetsparat", "01-09-2023", birth="01-01-2000"),
        fl("k3", "Kontanthjælp aktivitetsparat", "01-02-2023", "15-05-2024", "Job"),
        fl("r1", "Ressourceforløb", "01-01-2023"),
        fl("r2", "Ressourceforløb", "01-03-2024"),
        fl("j1", "Kontanthjælp jobparat", "01-02-2023"),
        fl("j2", "Kontanthjælp jobparat", "01-10-2023", "30-06-2024", "Uddannelse"),
        fl("j3", "Kontanthjælp jobparat", "01-04-2024"),
        fl("s1", "Uddannelseshjælp aktivitetsparat", "01-01-2023", birth="01-01-2003"),
        fl("s1", "Fleksjob", "01-07-2024", birth="01-01-2003", timer_pr_uge=8.0),
    ]
    markeringer = [
        {"cpr": "a2", "markering": "KPIJ-HENVIST", "startdato": "05-02-2024"},
        {"cpr": "a4", "markering": "KPIJ-HENVIST", "startdato": "10-03-2024",
         "slutdato": "20-07-2024", "afslutning": "Job"},
        {"cpr": "k1", "markering": "KOMPETENCEPORTEN", "startdato": "01-02-2024"},
        {"cpr": "k3", "markering": "KOMPETENCEPORTEN", "startdato": "01-02-2024",
         "slutdato": "15-05-2024", "afslutning": "Uddannelse"},
        {"cpr": "k3", "markering": "KP-OPKVALIFICERET", "startdato": "01-04-2024"},
        {"cpr": "s1", "markering": "SOCIALT-FRIKORT", "startdato": "01-01-2024",
         "slutdato": "30-06-2024", "afslutning": "Fleksjob"},
        {"cpr": "r1", "markering": "SOCIALT-FRIKORT", "startdato": "01-01-2024"},
    ]  # fmt: skip
    tilbud = [
        {"cpr": "k1", "tilbud": "Virksomhedspraktik", "startdato": "01-02-2024",
         "slutdato": "31-03-2024"},
        {"cpr": "j1", "tilbud": "Løntilskud", "startdato": "01-08-2024"},
        {"cpr": "r1", "tilbud": "Virksomhedspraktik", "startdato": "01-07-2024"},
    ]  # fmt: skip
    loentimer = [
        {"cpr": "k1", "maaned": "01-02-2024", "timer": 40.0},
        {"cpr": "k1", "maaned": "01-08-2024", "timer": 60.0},
        {"cpr": "j1", "maaned": "01-08-2024", "timer": 20.0},
        {"cpr": "r1", "maaned": "01-08-2024", "timer": 30.0},
    ]
    virksomheder = [
        {"cvr": "11111111", "navn": "A/S Et", "behovsafdaekket": "01-02-2024",
         "oensker_kompetenceloeft": "15-06-2024"},
        {"cvr": "22222222", "navn": "To ApS", "behovsafdaekket": "20-02-2024"},
        {"cvr": "33333333", "navn": "Tre I/S", "behovsafdaekket": "01-08-2024"},
    ]  # fmt: skip
    return ext(forloeb=forloeb, markeringer=markeringer, tilbud=tilbud, loentimer=loentimer,
               virksomheder=virksomheder)  # fmt: skip


def _plain(v: object) -> object:
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return round(v, 6)
    return v


def _color(c) -> str | None:
    rgb = getattr(c, "rgb", None) if c is not None else None
    return rgb[-6:] if isinstance(rgb, str) else None


def cell_state(cell) -> dict:
    out: dict = {"v": _plain(cell.value)}
    if cell.number_format != "General":
        out["nf"] = cell.number_format
    if cell.fill is not None and cell.fill.fill_type:
        out["fill"] = _color(cell.fill.fgColor)
    if cell.font is not None and _color(cell.font.color) not in (None, "000000"):
        out["font"] = _color(cell.font.color)
    if cell.font is not None and cell.font.bold:
        out["bold"] = True
    if cell.comment is not None:
        out["note"] = cell.comment.text
    return out


def dump_sheet(ws) -> dict[str, dict]:
    out = {}
    for (_r, _c), cell in sorted(ws._cells.items()):
        state = cell_state(cell)
        if state["v"] is None and len(state) == 1:
            continue
        out[cell.coordinate] = state
    return out


def dump_workbook(path: Path, skip: tuple[str, ...] = (tekster.LOG,)) -> dict:
    """Every sheet's cells (values, number formats, fills, font colours, notes), the
    column widths and the defined names — all but the Log, which grows on every run."""
    wb = openpyxl.load_workbook(path, rich_text=True)
    out: dict = {
        "sheets": wb.sheetnames,
        "names": {k: v.attr_text for k, v in sorted(wb.defined_names.items())},
    }
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        widths = {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.width}
        out[ws.title] = {"cells": dump_sheet(ws), "widths": widths,
                         "state": ws.sheet_state}  # fmt: skip
    return out


def log_rows(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb[tekster.LOG].iter_rows(min_row=2, values_only=True)
            if any(v is not None for v in r)]  # fmt: skip


def run(path: Path, month: date, extract: Extract | None = None, overwrite: bool = False):
    """Opdater a workbook file with a fixed time and user (deterministic)."""
    from xlstatus.arbejdsbog.opdater import Arbejdsbog

    book = Arbejdsbog(path)
    plan = book.opdater(extract or small_extract(), month, overwrite, when=WHEN, user=USER)
    backup = book.save()
    return plan, backup
