"""Recognising statusskema sheets, reading settings and planning — the pure parts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from legacy_fixtures import cell, draft_blocks

from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.noegler import spaceless_key
from xlstatus.plan.indstillinger import Settings, read_settings, settings_rows
from xlstatus.plan.layout import classify_columns, parse_header, recognise_sheet, recognise_workbook
from xlstatus.plan.skemaer import insert_position, parse_value, same
from xlstatus.plan.stil import strip_symbol, with_status
from xlstatus.skabelonfiler import load_schemas

SCHEMAS = load_schemas()
BY_CODE = {s.kode: s for s in SCHEMAS}


@pytest.mark.parametrize(
    ("text", "kind", "month"),
    [
        ("feb-24", "month", date(2024, 2, 1)),
        ("Februar 2024", "month", date(2024, 2, 1)),
        ("Februa r 2024", "month", date(2024, 2, 1)),  # broken by the text extraction
        ("mar-24", "month", date(2024, 3, 1)),
        ("maj-24", "month", date(2024, 5, 1)),
        ("okt-25", "month", date(2025, 10, 1)),
        (datetime(2024, 6, 1), "month", date(2024, 6, 1)),
        ("Startmåling 10-01-2024", "start", date(2024, 1, 1)),
        ("Startmålin g 10-01- 2024", "start", date(2024, 1, 1)),
        ("Status 10. januar 2024", "start", date(2024, 1, 1)),
        ("Den 10. Januar 2024", "start", date(2024, 1, 1)),
        ("Mindste mål pr. aug-24", "milestone", date(2024, 8, 1)),
        ("Mindste mål August 2024...", "milestone", date(2024, 8, 1)),
        ("Mindste mål Januar 2025", "milestone", date(2025, 1, 1)),
        ("Mål ultimo 2024", "milestone", date(2025, 1, 1)),
        ("Mål 2024", "milestone", date(2025, 1, 1)),
        ("Mål januar 2025", "milestone", date(2025, 1, 1)),
        ("Slutmål januar 2026", "milestone", date(2026, 1, 1)),
        ("...", "placeholder", None),
        ("…", "placeholder", None),
        ("Bemærkninger", "other", None),
        (None, "empty", None),
    ],
)
def test_header_forms_of_the_seeds(text, kind, month):
    h = parse_header(text)
    assert (h.kind, h.month) == (kind, month)


@pytest.mark.parametrize("text", ["Febr.", "marts", "Jan.", "april"])
def test_month_names_without_a_year_are_months_whose_year_is_unknown(text):
    h = parse_header(text)
    assert h.kind == "month" and not h.year_known


def test_labels_match_ignoring_case_spaces_dashes_and_a_final_period():
    a = "Behovsafdækning – antal virksomheder"
    for typed in ("behovsafdækning - antal  virksomheder.", "BEHOVSAFDÆKNING—antal virksomheder",
                  " Behovsafdækning ‐ antal\u00a0virksomheder "):  # fmt: skip
        assert spaceless_key(typed) == spaceless_key(a)
    assert spaceless_key("Uddannelse") != spaceless_key("Voksenlære")


def test_year_of_short_month_names_comes_from_the_neighbouring_columns():
    grid = [
        ["Kompetenceporten", None, None, None, None, None, "August", None, "Mål", None, "Januar"],
        ["Udkast", "Jan.", "Febr.", "marts", "april", "...", 2024, "...", 2024, "...", 2026],
    ]
    cols = classify_columns(grid, 2, 1, BY_CODE["3_kompetenceporten"])
    got = [(c.kind, c.month) for c in cols]
    assert got == [
        ("start", date(2024, 1, 1)), ("month", date(2024, 2, 1)), ("month", date(2024, 3, 1)),
        ("month", date(2024, 4, 1)), ("placeholder", None), ("milestone", date(2024, 8, 1)),
        ("placeholder", None), ("milestone", date(2025, 1, 1)), ("placeholder", None),
        ("milestone", date(2026, 1, 1)),
    ]  # fmt: skip


def test_a_plain_month_after_the_months_is_a_milestone_column():
    schema = BY_CODE["4_jobperronen"]
    months = [date(2024, m, 1) for m in range(2, 13)] + [date(2025, 1, 1)]
    grid = [["Skema", "Startmåling 10-01-2024", *months, "August 2024", "Mål ultimo 2024"]]
    cols = classify_columns(grid, 1, 1, schema)
    assert [c.kind for c in cols[-2:]] == ["milestone", "milestone"]
    assert sum(c.kind == "month" for c in cols) == 12
    assert cols[0].kind == "start"


def legacy_grids() -> list[tuple[str, list[list[object]]]]:
    out = []
    for name, block in draft_blocks():
        grid = [[cell(v) for v in line.split("\t")] if "\t" in line else [line.strip() or None]
                for line in block]  # fmt: skip
        out.append((name, grid))
    return out


def test_every_seed_draft_is_recognised_with_all_its_rows():
    rec = recognise_workbook(legacy_grids(), SCHEMAS)
    assert rec.ignored == ()
    got = {lay.sheet: lay.schema.kode for lay in rec.layouts}
    assert got == {"Klar parat": "1_klar_parat_i_job", "Flere i job": "2_flere_i_job",
                   "Ark3": "3_kompetenceporten", "Jobperronen": "4_jobperronen",
                   "Socialt Frikort": "5_socialt_frikort"}  # fmt: skip
    for lay in rec.layouts:
        assert set(lay.rows) == {r.key for r in lay.schema.rows}, lay.sheet
        assert set(lay.month_cols) == {date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)}
        assert set(lay.milestone_cols) == {date(2024, 8, 1), date(2025, 1, 1), date(2026, 1, 1)}
        assert lay.start_col == 2
    flere = next(lay for lay in rec.layouts if lay.sheet == "Flere i job")
    # the same label under five sections: told apart by the section rows
    rows = sorted(r for (sek, label), r in flere.rows.items()
                  if label == "Aktivitetsparate kontanthjælpsmodtagere over 30 år")  # fmt: skip
    assert len(rows) == 4
    frikort = next(lay for lay in rec.layouts if lay.sheet == "Socialt Frikort")
    assert [u.label for u in frikort.unknown] == ["Udkast til statusskema (måles primo måneden)"]


def test_a_sheet_that_looks_like_no_project_is_left_out():
    grid = [["Mine noter", "feb-24", "mar-24"], ["Kaffe", 1, 2], ["Kage", 3, 4]]
    rec = recognise_workbook([("Noter", grid), *legacy_grids()[:1]], SCHEMAS)
    assert [lay.sheet for lay in rec.layouts] == ["Klar parat"]


def test_a_second_sheet_of_the_same_project_is_reported_not_updated():
    grids = legacy_grids()
    rec = recognise_workbook([grids[1], ("Kopi af Flere i job", grids[1][1])], SCHEMAS)
    assert [lay.sheet for lay in rec.layouts] == ["Flere i job"]
    assert rec.ignored[0][0] == "Kopi af Flere i job"


def test_a_missing_month_goes_after_the_last_earlier_month():
    name, grid = legacy_grids()[0]
    lay = recognise_sheet(name, grid, BY_CODE["1_klar_parat_i_job"])
    assert insert_position(lay, date(2024, 5, 1)) == (6, 5)  # after apr-24, before '...'
    assert insert_position(lay, date(2024, 1, 1))[0] == 3  # before feb-24 (after the start)
    assert insert_position(lay, date(2026, 2, 1)) == (6, 5)  # after the last month


def test_settings_read_back_from_the_sheet_rows():
    rows = settings_rows(Settings(maaledag=10, udtraek="x", diskretion=0))
    assert read_settings(rows) == Settings(maaledag=10, udtraek="x", diskretion=0)
    assert read_settings(None) == Settings()
    s = read_settings([["Måledag", "15"], ["Tolerance (andel af spændet)", "30 %"],
                       ["Tolerance (andel af målet)", 10]])  # fmt: skip
    assert (s.maaledag, s.tolerance_spaend, s.tolerance_maal) == (15, 0.3, 0.1)
    assert read_settings({"xlstatus_maaledag": 3}).maaledag == 3


def test_invalid_settings_are_a_danish_error_naming_them():
    with pytest.raises(WorkbookError, match="Måledag' skal være et helt tal fra 1 til 31"):
        read_settings([["Måledag", 40]])
    with pytest.raises(WorkbookError, match="procentsats"):
        read_settings([["Tolerance (andel af målet)", "meget"]])


@pytest.mark.parametrize(
    ("value", "fmt", "nf", "expected"),
    [
        (17, "antal", None, 17.0),
        ("1.234", "antal", None, 1234.0),
        ("87,9 pct.", "andel", None, 87.9),
        (0.25, "andel", "0%", 25.0),
        ("17 (17 pct.)", "antal_andel", None, 17.0),
        ("4 (5,5 pct.)", "antal_andel", None, 5.5),
        ("18,8*", "uger", None, 18.8),
        ("–", "andel", None, None),
        (".", "antal", None, None),
        ("ikke målt", "antal", None, None),
    ],
)
def test_values_people_typed_are_read_the_danish_way(value, fmt, nf, expected):
    assert parse_value(value, fmt, nf) == expected


def test_same_value_within_rounding_and_spacing():
    assert same(33.333333333333336, 33.33333333333333)
    assert same("17 (17 pct.)", "17  (17 pct.)")
    assert not same(17, "17")
    assert same(None, "  ")


def test_status_symbol_goes_in_front_of_the_number_format_and_comes_off_again():
    nf = with_status('[$-406]0.0" pct."', "groen")
    assert nf == '[$-406]"✔ "0.0" pct."'
    assert strip_symbol(nf) == '[$-406]0.0" pct."'
    assert with_status(nf, "roed") == '[$-406]"✖ "0.0" pct."'
    assert with_status(nf, None) == '[$-406]0.0" pct."'
    assert with_status("@", "gul") == '"● "@'
    assert with_status("0;-0", "gul") == "0;-0"  # several sections: left alone


# --------------------------------------------------------------------------- the plan, purely


def pure_plan(month: date, grids=None, record=(), overwrite=False):
    from dataclasses import fields
    from datetime import datetime as dt

    from legacy_fixtures import small_extract

    from xlstatus.kerne.indikatorer import compute_month
    from xlstatus.plan.data import RunInfo, SheetView, WorkbookView
    from xlstatus.plan.skemaer import make_plan

    grids = grids or legacy_grids()
    view = WorkbookView([SheetView(name, grid) for name, grid in grids], list(record))
    rec = recognise_workbook(grids, SCHEMAS)
    results = compute_month(small_extract(), [lay.schema for lay in rec.layouts], month)
    plan = make_plan(view, rec, results, month, RunInfo(dt(2025, 1, 1), "t"), overwrite, SCHEMAS)
    for w in plan.writes:  # plain data only: a front end needs no openpyxl to apply it
        for f in fields(w):
            v = getattr(w, f.name)
            assert v is None or isinstance(v, str | int | float | bool | date), (f.name, v)
    return plan


def apply_to_grid(plan, name: str, grid: list[list[object]]) -> dict[tuple[int, int], object]:
    """Another front end, in ten lines: a dict of cells."""
    cells = {(r, c): v for r, row in enumerate(grid, 1) for c, v in enumerate(row, 1)}
    for ins in plan.inserts:
        if ins.sheet == name:
            cells = {(r, c + 1 if c >= ins.col else c): v for (r, c), v in cells.items()}
    for w in plan.writes:
        if w.sheet == name and w.set_value:
            cells[(w.row, w.col)] = w.value
    return cells


def test_a_plan_is_plain_data_another_front_end_can_apply():
    plan = pure_plan(date(2024, 5, 1))
    name, grid = legacy_grids()[3]  # Jobperronen
    cells = apply_to_grid(plan, name, grid)
    header = next(r for r, row in enumerate(grid, 1) if row[0] and "Udkast" in str(row[0]))
    assert cells[(header, 6)] == date(2024, 5, 1) and cells[(header, 7)] == "..."
    assert cells[(header + 1, 6)] == 3 and cells[(header + 1, 8)] == 72  # value, milestone
    assert plan.log is not None and plan.log.maaned == date(2024, 5, 1)
    assert len(plan.data) == 39 and len(plan.record) == 39


def test_a_value_a_person_typed_is_skipped_and_a_value_xlstatus_wrote_is_updated():
    from xlstatus.plan.data import RecordRow

    grids = [legacy_grids()[1]]  # Flere i job: row 5 'Aktivitetsparate …', column D = Marts
    _name, grid = grids[0]
    grid[4][3] = 99  # typed by a person
    grid[5][3] = 50  # written by xlstatus last time (the record says so)
    label = "Borgere i ressourceforløb"
    rec = [RecordRow("Flere i job", "Målgruppeantal", label, date(2024, 3, 1), 50, 50.0)]
    plan = pure_plan(date(2024, 3, 1), grids, rec)
    assert [(s.row, s.col, s.found, s.computed) for s in plan.skipped] == [(5, 4, 99, "3")]
    writes = {(w.row, w.col): w for w in plan.writes if w.set_value}
    assert (5, 4) not in writes and writes[(6, 4)].value == 2
    plan = pure_plan(date(2024, 3, 1), grids, rec, overwrite=True)
    assert not plan.skipped and [s.row for s in plan.overwritten] == [5]
