"""The Vandringer sheet, the Prognose column and the Overblik sheet (issue #12, workbook
part), and their pages in the committee copy. Counts and lines worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from builders import ext, person
from legacy_fixtures import legacy_workbook, small_extract

from xlstatus import libreoffice
from xlstatus.arbejdsbog import fil
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.kerne.analyser import Kategori, prognoser
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.tid import add_months
from xlstatus.plan import tekster
from xlstatus.plan.indstillinger import read_settings
from xlstatus.plan.layout import recognise_workbook
from xlstatus.plan.overblik import (
    HEADER_ROW,
    misses,
    overblik_writes,
    prognose_writes,
    sheet_prognoses,
)
from xlstatus.plan.vandringer import SLOTS, blocks, default_groups, slots
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udvalg import kopi

SCHEMAS = load_schemas()
WHEN = datetime(2024, 10, 2, 8, 0)
SEP = date(2024, 9, 1)
DEFAULT = ("A-dagpenge", "Kontanthjælp aktivitetsparat", "Ressourceforløb",
           "Kontanthjælp jobparat", "Sygedagpenge")  # fmt: skip


def fl(cpr: str, grp: str, start: str, end: str | None = None, why: str | None = None) -> dict:
    return person(cpr, maalgruppe=grp, startdato=start, slutdato=end, afgangsaarsag=why)


def flow_extract(ingen: int = 2, syg: int = 1):
    """For sep-24 (window jul-23 … aug-24): A-dagpenge's tilgang is `ingen` × Ingen and
    `syg` × Sygedagpenge; one A-dagpenge forløb ended with reason Job; each Sygedagpenge
    forløb ended the day before its A-dagpenge forløb started (afgang → A-dagpenge)."""
    rows = []
    for i in range(ingen):
        rows.append(fl(f"i{i}", "A-dagpenge", "01-05-2024"))
    for i in range(syg):
        rows.append(fl(f"s{i}", "Sygedagpenge", "01-01-2024", "31-03-2024", "Anden ydelse"))
        rows.append(fl(f"s{i}", "A-dagpenge", "01-04-2024"))
    rows.append(fl("j0", "A-dagpenge", "01-01-2023", "30-06-2024", "Job"))  # started before
    return ext(forloeb=rows)


def _opdater(path: Path, extract, month: date = SEP) -> Arbejdsbog:
    book = Arbejdsbog(path)
    book.opdater(extract, month, when=WHEN, user="test", allow_old=True)  # tiny extract
    book.save()
    return book


def _values(ws, r: int, c: int, n: int = 3) -> list:
    return [ws.cell(r, c + i).value for i in range(n)]


# --------------------------------------------------------------------------- pure parts


def test_default_groups_are_the_schemas_groups_and_sygedagpenge():
    assert default_groups(SCHEMAS) == DEFAULT


def test_more_than_eight_categories_end_in_one_summed_row():
    lines = [Kategori("A-dagpenge", "afgang", f"K{i}", "aarsag", 10 - i, (10 - i) / 55 * 100)
             for i in range(10)]  # fmt: skip
    rows = slots(lines)
    assert len(rows) == SLOTS
    assert rows[0] == ("K0 (afgangsårsag)", 10, pytest.approx(10 / 55 * 100))
    assert rows[-1][0] == "Øvrige (3 kategorier)"
    assert rows[-1][1] == 3 + 2 + 1  # K7, K8, K9
    assert sum(r[1] for r in rows) == 55


def test_the_groups_setting_reads_danish_spelling_and_rejects_unknown_groups():
    got = read_settings([["Vandringer: målgrupper", "sygedagpenge;  A-DAGPENGE ; "]])
    assert got.vandringer == ("Sygedagpenge", "A-dagpenge")
    with pytest.raises(WorkbookError) as err:
        read_settings([["Vandringer: målgrupper", "A-dagpenge; Pensionister"]])
    assert "Pensionister" in str(err.value) and "kender ikke målgruppen" in str(err.value)


# --------------------------------------------------------------------------- the sheet


def test_ny_builds_overblik_and_vandringer_with_two_charts_per_group(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    assert names.index("Overblik") == len(SCHEMAS) and names.index("Vandringer") == len(SCHEMAS) + 1
    ws = wb["Vandringer"]
    assert [ws.cell(b.top, 1).value for b in blocks(DEFAULT)] == list(DEFAULT)
    assert len(ws._charts) == 2 * len(DEFAULT)
    for block in blocks(DEFAULT):
        assert _values(ws, block.header, 1) == ["Kom fra", "Antal", "Andel"]
        assert _values(ws, block.header, 5) == ["Gik til", "Antal", "Andel"]
    for schema in SCHEMAS:
        header = [c.value for c in wb[schema.ark][4]]
        assert header[-1] == tekster.PROGNOSE_HEADER  # right after the milestones
        assert header[-2] == schema.milestones[-1].header


def test_opdater_fills_the_tables_with_the_hand_counted_flows(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    _opdater(path, flow_extract())
    ws = openpyxl.load_workbook(path)["Vandringer"]
    a, syg = (b for b in blocks(DEFAULT) if b.maalgruppe in ("A-dagpenge", "Sygedagpenge"))
    # A-dagpenge, tilgang: i0, i1 (no earlier forløb) and s0 (from Sygedagpenge); j0 started
    # before the window. Afgang: j0, reason Job.
    assert _values(ws, a.first, 1) == ["Ingen", 2, pytest.approx(200 / 3)]
    assert _values(ws, a.first + 1, 1) == ["Sygedagpenge", 1, pytest.approx(100 / 3)]
    assert _values(ws, a.first + 2, 1) == [None, None, None]
    assert _values(ws, a.total, 1) == ["I alt", 3, 100]
    assert _values(ws, a.first, 5) == ["Job (afgangsårsag)", 1, 100]
    # Sygedagpenge: s0 ended 31-03-2024, A-dagpenge started the next day
    assert _values(ws, syg.first, 5) == ["A-dagpenge", 1, 100]
    assert _values(ws, syg.first, 1) == ["Ingen", 1, 100]
    info = ws.cell(2, 1).value
    assert "sep-24" in info and "jul-23 – aug-24" in info and "forløb, ikke personer" in info
    empty = next(b for b in blocks(DEFAULT) if b.maalgruppe == "Ressourceforløb")
    assert ws.cell(empty.first, 1).value == tekster.VANDRINGER_EMPTY
    assert ws.cell(empty.total, 2).value == 0


def test_other_groups_on_indstillinger_lay_the_sheet_out_again(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Indstillinger"]
    r = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Vandringer: målgrupper")
    ws.cell(r, 2).value = "Sygedagpenge; A-dagpenge"
    wb.save(path)
    _opdater(path, flow_extract())
    wb = openpyxl.load_workbook(path)
    ws = wb["Vandringer"]
    first, second = blocks(("Sygedagpenge", "A-dagpenge"))
    assert ws.cell(first.top, 1).value == "Sygedagpenge"
    assert ws.cell(second.top, 1).value == "A-dagpenge"
    assert _values(ws, second.total, 1) == ["I alt", 3, 100]
    assert len(ws._charts) == 4
    assert wb.sheetnames.index("Vandringer") == len(SCHEMAS) + 1  # where it was


def test_a_hand_typed_workbook_gets_both_sheets_and_a_prognose_column(tmp_path):
    path = legacy_workbook(tmp_path / "Gammel.xlsx")
    _opdater(path, small_extract())
    wb = openpyxl.load_workbook(path)
    assert {"Overblik", "Vandringer"} <= set(wb.sheetnames)
    view = fil.read_view(wb)
    rec = recognise_workbook([(s.name, s.grid) for s in view.sheets], SCHEMAS)
    for layout in rec.layouts:
        heads = [c.header for c in layout.columns]
        assert heads.count(tekster.PROGNOSE_HEADER) == 1, layout.sheet
    _opdater(path, small_extract(), date(2024, 10, 1))  # a second run finds the same column
    wb = openpyxl.load_workbook(path)
    for name in ("Klar parat", "Flere i job"):
        texts = [v for r in wb[name].iter_rows(values_only=True) for v in r]
        assert texts.count(tekster.PROGNOSE_HEADER) == 1


# --------------------------------------------------------------------------- prognose


def _layout(tmp_path: Path, projekt: str):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    view = fil.read_view(openpyxl.load_workbook(path))
    rec = recognise_workbook([(s.name, s.grid) for s in view.sheets], SCHEMAS)
    layout = next(lay for lay in rec.layouts if lay.schema.projekt == projekt)
    return layout, view.sheet(layout.sheet)


def test_a_line_that_meets_the_target_exactly_at_the_milestone_is_a_tick(tmp_path):
    layout, sheet = _layout(tmp_path, "Flere i job")
    schema = layout.schema
    row = next(r for r in schema.rows if r.targets and r.direction == "højere")
    lower = next(r for r in schema.rows if r.targets and r.direction == "lavere")
    t_month, target = row.targets[-1]
    month = add_months(t_month, -4)
    values = {}
    for r_, sign in ((row, -1), (lower, 1)):
        tm, v = next((m, x) for m, x in r_.targets if m >= month)
        # six points on the line v ± 2·(months before the milestone): exact at tm
        pts = {add_months(month, -i): v + sign * 2 * (_months(add_months(month, -i), tm))
               for i in range(6)}  # fmt: skip
        values[(schema.projekt, r_.sektion, r_.label)] = pts
    found = {rp.row.key: rp for rp in sheet_prognoses(layout, values, month)}
    for r_ in (row, lower):
        p = found[r_.key].prognose
        tm, v = next((m, x) for m, x in r_.targets if m >= month)
        assert p.fremskrevet == pytest.approx(v) and p.naar_maalet
        assert p.maaned_maal_naas == tm
    writes = {w.row: w for w in prognose_writes(layout, sheet, list(found.values()))}
    w = writes[layout.rows[row.key]]
    assert w.status == "groen" and "✔" in w.number_format
    assert f"nås målet {_num(target)}" in w.note and "de seneste 6 måneder" in w.note
    rows_without = [rp for rp in found.values() if rp.row.key not in (row.key, lower.key)]
    for rp in rows_without:  # no values: no points, no prognosis
        cell = writes[layout.rows[rp.row.key]]
        assert cell.value == "–" and "kun 0 målinger" in cell.note


def test_a_flat_line_below_the_target_is_never_met_and_leads_the_warning_list(tmp_path):
    layout, sheet = _layout(tmp_path, "Flere i job")
    schema = layout.schema
    a, b = [r for r in schema.rows if r.targets and r.direction == "højere"][:2]
    t_month, _ = a.targets[-1]
    month = add_months(t_month, -2)
    ta = next(v for m, v in a.targets if m >= month)
    tb = next(v for m, v in b.targets if m >= month)
    values = {
        (schema.projekt, a.sektion, a.label): {add_months(month, -i): ta * 0.9 for i in range(3)},
        (schema.projekt, b.sektion, b.label): {add_months(month, -i): tb * 0.5 for i in range(4)},
    }
    found = sheet_prognoses(layout, values, month)
    worst = misses(found)
    assert [rp.row.key for rp in worst] == [b.key, a.key]  # 50 % short before 10 % short
    pa = next(rp.prognose for rp in found if rp.row.key == a.key)
    assert pa.fremskrevet == pytest.approx(ta * 0.9) and pa.haeldning == pytest.approx(0)
    assert pa.maaned_maal_naas is None
    note = next(w.note for w in prognose_writes(layout, sheet, found)
                if w.row == layout.rows[a.key])  # fmt: skip
    assert f"ikke inden {_label(add_months(pa.naeste_maal_maaned, 24))}" in note
    cells = {(w.row, w.col): w.value for w in overblik_writes(found, month)}
    assert cells[(HEADER_ROW + 1, 1)] == schema.projekt
    assert cells[(HEADER_ROW + 1, 5)] == pytest.approx(round(tb * 0.5, 1))
    assert cells[(HEADER_ROW + 3, 1)] is None  # the rest of the list is emptied
    assert cells[(3, 1)].startswith("2 af 2 rækker")
    # one wording everywhere (analyser.md §2): the note and Overblik's 'Målet nås'
    assert "Nås målet: nej – ikke inden for 2 år" in note
    assert cells[(HEADER_ROW + 1, 7)] == cells[(HEADER_ROW + 2, 7)] == "nej – ikke inden for 2 år"


def test_the_workbooks_prognoses_equal_the_cores_on_a_fresh_workbook(tmp_path):
    """No Data history yet: every point is computed by the engine, as `xlstatus prognose`."""
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    extract = small_extract()
    _opdater(path, extract)
    wb = openpyxl.load_workbook(path)
    core = {(p.projekt, p.sektion, p.label): p for p in prognoser(extract, SCHEMAS, SEP)}
    view = fil.read_view(wb)
    rec = recognise_workbook([(s.name, s.grid) for s in view.sheets], SCHEMAS)
    checked = 0
    for layout in rec.layouts:
        schema, ws = layout.schema, wb[layout.sheet]
        col = next(c.col for c in layout.columns if c.header == tekster.PROGNOSE_HEADER)
        for row in schema.rows:
            p = core.get((schema.projekt, row.sektion, row.label))
            if p is None:
                continue
            cell = ws.cell(layout.rows[row.key], col)
            if p.har_prognose:
                assert cell.value == pytest.approx(round(p.fremskrevet, 1)), row.label
                assert ("✔" if p.naar_maalet else "✖") in cell.number_format
                checked += 1
            else:
                assert cell.value == "–"
    assert checked >= 3


# --------------------------------------------------------------------------- the copy


@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice mangler")
def test_the_copy_hides_small_flows_and_their_shares(tmp_path):
    path = create_workbook(tmp_path / "Statusskema.xlsx")
    _opdater(path, flow_extract(ingen=6, syg=2))
    wb, result = kopi.build_copy(path)
    assert wb.sheetnames[-4:] == ["Overblik", "Vandringer", "Måltal", "Om tallene"]
    ws = wb["Vandringer"]
    a = blocks(DEFAULT)[0]
    # Sygedagpenge 2 < 5: hidden with its share; then Ingen 6 could be recovered from the
    # total 8, so it is hidden too; the total stays.
    assert _values(ws, a.first, 1) == ["Ingen", ".", "."]
    assert _values(ws, a.first + 1, 1) == ["Sygedagpenge", ".", "."]
    assert _values(ws, a.total, 1) == ["I alt", 8, 100]
    assert _values(ws, a.first, 5) == ["Job (afgangsårsag)", ".", "."]  # 1 < 5
    assert _values(ws, a.total, 5) == ["I alt", ".", "."]
    assert len(ws._charts) == 2 * len(DEFAULT)
    assert result.hidden >= 5


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def _label(m: date) -> str:
    from xlstatus.kerne.tid import month_label

    return month_label(m)
