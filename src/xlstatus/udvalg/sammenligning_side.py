"""The Sammenligning page of the committee copy: every table of the workbook's Sammenligning
sheet (`plan.sammenligning`) with its source, sentences and Bemærkninger, and a bar chart
per table (the table's first row across the areas). Built from the sheet's values, so the
xlsx and the PDF renderer both get it through the copy's model.

The published figures are not subject to the copy's diskretion: jobindsats.dk and
Statistikbanken have already suppressed theirs (shown as '.'); the own FACIT column shows
shares only, never a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xlstatus.kerne.formatering import number_da
from xlstatus.plan import sammenligning as plan
from xlstatus.plan.data import SheetView
from xlstatus.udvalg import tekster
from xlstatus.udvalg.model import HEADER_FILL, Block, Cell, Chart, Heading, Page, Paragraph, Series
from xlstatus.udvalg.model import Table as ModelTable
from xlstatus.udvalg.visning import cell_at, is_number, printable, text_of

PAGE_TITLE = "Sammenligning med andre kommuner"


@dataclass
class _Blok:
    title: str
    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    note: str = ""


def _row(grid: list[list[object]], r: int) -> list[object]:
    return [cell_at(grid, r, c) for c in range(1, plan.MAX_COL + 1)]


def blocks(grid: list[list[object]]) -> list[_Blok]:
    """The sheet's tables, read back from its values (title, header, rows, texts, note)."""
    out: list[_Blok] = []
    r, n = plan.FIRST_BLOCK, len(grid)
    while r <= n:
        row = _row(grid, r)
        nxt = _row(grid, r + 1)
        if isinstance(row[0], str) and row[0].strip() and nxt[0] in (None, "") and nxt[1]:
            b = _Blok(row[0].strip(), nxt)
            r += 2
            while r <= n and not str(cell_at(grid, r, 1) or "").startswith("Kilde:"):
                b.rows.append((r, _row(grid, r)))
                r += 1
            while r <= n and cell_at(grid, r, 1) != plan.NOTE_LABEL:
                text = text_of(cell_at(grid, r, 1))
                if text:
                    b.texts.append(text)
                r += 1
            b.note = text_of(cell_at(grid, r, 2))
            out.append(b)
        r += 1
    return out


def _width(b: _Blok) -> int:
    return max(i for i, v in enumerate(b.header) if v not in (None, "")) + 1


def _value_cell(v: object, fmt: str | None, bold: bool) -> Cell:
    if is_number(v):
        return Cell(text_of(v, fmt), v, fmt, bold=bold, align="right")  # type: ignore[arg-type]
    text = text_of(v)
    return Cell(text, bold=bold, align="right", suppressed=text == plan.UNDERTRYKT)


def _table(sv: SheetView, b: _Blok, own: str) -> ModelTable:
    width = _width(b)
    heads = [text_of(h) for h in b.header[:width]]
    bold_cols = {i for i, h in enumerate(heads) if h in (own, "Forskel")}
    head = [Cell(h, header=True, bold=True, fill=HEADER_FILL, align="left" if i == 0 else "right")
            for i, h in enumerate(heads)]  # fmt: skip
    body = []
    for r, row in b.rows:
        cells = [Cell(text_of(row[0]))]
        cells += [
            _value_cell(row[i], sv.formats.get((r, i + 1)), i in bold_cols) for i in range(1, width)
        ]
        body.append(cells)
    widths = [34.0] + [12.0] * (width - 1)
    return ModelTable([head], body, 1, widths, name=b.title)


def _chart(b: _Blok, unit: str, lower: bool) -> Chart:
    """Bars: the table's first row in every area column (not Forskel or FACIT)."""
    heads = [text_of(h) for h in b.header]
    areas = [i for i in range(1, _width(b)) if heads[i] != "Forskel" and "FACIT" not in heads[i]]
    first_label, first = (text_of(b.rows[0][1][0]), b.rows[0][1]) if b.rows else ("", [])
    values = [float(first[i]) if first and is_number(first[i]) else None for i in areas]
    cats = [heads[i] for i in areas]
    title = f"{b.title}: {first_label}" if first_label and first_label != b.title else b.title
    shown = [f"{c}: {number_da(v, 1 if not float(v).is_integer() else 0)}"
             for c, v in zip(cats, values, strict=True) if v is not None]  # fmt: skip
    alt = f"Søjlediagram: {title} ({unit or 'antal'}) pr. område. " + "; ".join(shown) + "."
    empty = None if shown else tekster.empty_chart_line(title)
    return Chart(title, unit or "antal", "bar", cats, [Series(first_label or b.title, values)],
                 lower, alt, empty)  # fmt: skip


def sammenligning_page(sv: SheetView, month: date, day: date | None) -> Page | None:
    """The page, or None when the sheet has no tables yet."""
    from xlstatus.skabelonfiler import load_sammenligning

    try:
        o = load_sammenligning()
    except Exception:  # the copy is still made; the own area is then not bold
        o = None
    own = o.eget_omraade if o else ""
    config = {t.titel: t for t in (o.tabeller if o else ())}
    found = blocks(sv.grid)
    if not found:
        return None
    out: list[Block] = []
    for r in (plan.INFO_ROW, plan.EXPLAIN_ROW):
        text = printable(text_of(cell_at(sv.grid, r, 1))).split(" Skriv gerne")[0]
        if text:
            out.append(Paragraph(text, "note" if r == plan.INFO_ROW else "normal"))
    for b in found:
        t = config.get(b.title)
        out.append(Heading(b.title, 2))
        out.append(_table(sv, b, own))
        out += [Paragraph(text, "note" if i == 0 else "normal") for i, text in enumerate(b.texts)]
        if b.note:
            out.append(Paragraph(f"Bemærkninger: {b.note}"))
        unit = t.enhed if t else ""
        out.append(_chart(b, unit, t.lavere_er_bedre if t else False))
    title = text_of(cell_at(sv.grid, 1, 1)) or PAGE_TITLE
    return Page(title, plan.SHEET, out, "sammenligning", tekster.header_right(month, day))


__all__ = ["blocks", "sammenligning_page"]
